#!/bin/sh
# kill -9 of the supervisor JVM -> the target's first answer from the keeper, through the Java
# plugin (docs/keeper.md, "End to end through the Java plugin").
#
#   bench/fallback/run.sh [RUNS]        from anywhere; default 20
#
# Needs: gcc, a JDK 17, and the fallback plugin's tests compiled with their native programs
# (mvn -o -pl bundles/plugins/fallback -am install -DskipTests), which also writes its test classpath.
set -eu
ROOT=$(cd "$(dirname "$0")/../.." && pwd)
MODULE=$ROOT/bundles/plugins/fallback
OUT=$ROOT/bench/fallback/target
RUNS=${1:-20}
[ -f "$MODULE/target/test-classpath.txt" ] && [ -x "$MODULE/target/native/bin/attenuator-keeper" ] || {
    echo "run.sh: the fallback plugin's tests are not built: mvn -o -pl bundles/plugins/fallback -am install -DskipTests" >&2
    exit 2
}
CP=$MODULE/target/test-classes:$MODULE/target/classes:$(cat "$MODULE/target/test-classpath.txt")
mkdir -p "$OUT/classes"
# compiled, not run as a source file: the bench shares the rig's package, and package access holds
# only within one class loader
javac -d "$OUT/classes" -cp "$CP" "$ROOT/bench/fallback/KillToFallbackBench.java"
# the rig works in the module's directory (target/fallback-runs, target/test-programs), as under surefire
cd "$MODULE"
java -Dattenuator.native.dir="$MODULE/target/native/bin" -Dattenuator.test.classpath="$MODULE/target/test-classpath.txt" \
    -cp "$OUT/classes:$CP" org.attenuator.plugin.fallback.internal.KillToFallbackBench "$RUNS"
