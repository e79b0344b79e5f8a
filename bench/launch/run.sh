#!/bin/sh
# Launch to first instruction (docs/exec-benchmark.md, section 2), and the Docker programs as a
# launch compiles them for bench_exec (section 1): bench/launch/target/docker-attenuator-{kernel_only,supervised}.bpf
#
#   bench/launch/run.sh            from anywhere
#   M2=DIR bench/launch/run.sh     the Maven repository to take the classpath from (default ~/.m2/repository)
#
# Needs: gcc (static libc), a JDK 17, and bundles/core built and installed
# (mvn -o -pl bundles/core -am install -DskipTests), which also unpacks attenuator-exec into
# bundles/core/target/native/bin.
set -eu
ROOT=$(cd "$(dirname "$0")/../.." && pwd)
OUT=$ROOT/bench/launch/target
M2=${M2:-$HOME/.m2/repository}
EXEC=$ROOT/bundles/core/target/native/bin/attenuator-exec
[ -x "$EXEC" ] || { echo "run.sh: $EXEC missing: mvn -o -pl bundles/core -am install -DskipTests" >&2; exit 2; }
mkdir -p "$OUT/classes"
mvn -q -o -B -Dstyle.color=never -Dmaven.repo.local="$M2" -f "$ROOT/bundles/core/pom.xml" dependency:build-classpath -Dmdep.includeScope=runtime \
    -Dmdep.outputFile="$OUT/classpath.txt" >/dev/null
CP=$ROOT/bundles/core/target/classes:$(cat "$OUT/classpath.txt")
# compiled, not run as a source file: LaunchBench shares LaunchPlan's package, and package access
# holds only within one class loader
javac -d "$OUT/classes" -cp "$CP" "$ROOT/bench/launch/LaunchBench.java"
java -Dlogback.configurationFile="$ROOT/bench/launch/logback.xml" -cp "$OUT/classes:$CP" org.attenuator.core.internal.launch.LaunchBench "$EXEC" "$OUT"
