#!/bin/sh
# The notification benchmark: Attenuator's Java supervisor (NotifyBench.java) and the C loop
# (../shared/bench/c-baseline/bench_notify) in one run, under the same CPU placement.
#
#   bench/notify/run.sh [DURATION_MS] [REPS]    from anywhere; default 5000 ms x 5
#   QUICK=1 bench/notify/run.sh                 smoke test: 1 s x 1, scenario 1 only
#   PLACEMENT="taskset -c 0,1" bench/notify/run.sh   CPU placement for both sides (default: none)
#   WORKERS=N                                    supervisor event loops (default: the supervisor's, one per CPU)
#   C_BASELINE=/path/to/c-baseline               where bench_notify lives
#   CORE_CLASSES=DIR HELPER=FILE                 a copy of bundles/core/target/classes and of the
#                                                testhelper (when other builds share the machine)
#
# Needs: root (or ptrace rights over own children), gcc, make, libseccomp-dev (the C side), a JDK 17,
# and bundles/core built and installed (mvn -o -pl bundles/core install -DskipTests), which also
# unpacks attenuator-testhelper into bundles/core/target/native/bin.
set -eu
ROOT=$(cd "$(dirname "$0")/../.." && pwd)
HERE=$ROOT/bench/notify
C_BASELINE=${C_BASELINE:-$ROOT/../shared/bench/c-baseline}
PLACEMENT=${PLACEMENT:-}
WORKERS=${WORKERS:-}
if [ "${QUICK:-0}" = 1 ]; then
    DURATION=1000; REPS=1; SCENARIOS=1
else
    DURATION=${1:-5000}; REPS=${2:-5}; SCENARIOS="1 2 100"
fi
OUT=$ROOT/bench/notify/target
mkdir -p "$OUT"

HELPER=${HELPER:-$ROOT/bundles/core/target/native/bin/attenuator-testhelper}
[ -x "$HELPER" ] || { echo "run.sh: $HELPER missing: mvn -o -pl bundles/core install -DskipTests" >&2; exit 2; }
gcc -O2 -Wall -Werror -o "$OUT/notify_target" "$HERE/notify_target.c"
CP=$(mvn -q -o -B -f "$ROOT/bundles/core/pom.xml" dependency:build-classpath -Dmdep.includeScope=test \
        -Dmdep.outputFile="$OUT/classpath.txt" >/dev/null && cat "$OUT/classpath.txt")
CP=${CORE_CLASSES:-$ROOT/bundles/core/target/classes}:$CP

echo "# notify benchmark - $(date -u +%Y-%m-%dT%H:%M:%SZ), kernel $(uname -r), $(nproc) cpus, placement '${PLACEMENT:-none}'"
echo
echo "### Java: Attenuator supervisor (${WORKERS:-default} event loop(s), SYNC_WAKE_UP where the kernel has it, after a warm-up run)"
for s in $SCENARIOS; do
    # shellcheck disable=SC2086 # PLACEMENT is a command prefix
    $PLACEMENT java -XX:+UseParallelGC -cp "$CP" "$HERE/NotifyBench.java" "$HELPER" "$OUT/notify_target" \
        "$s" "$DURATION" "$REPS" $WORKERS
done
echo
echo "### C: bench_notify, the same scenarios"
make -s -C "$C_BASELINE" bench_notify
for row in "1 target, SYNC_WAKE_UP, unpinned" "2 targets, epoll(2 fds), unpinned" \
           "100 targets, epoll: 10 busy+90 idle, SYNC"; do
    if [ "${QUICK:-0}" = 1 ] && [ "$row" != "1 target, SYNC_WAKE_UP, unpinned" ]; then continue; fi
    # shellcheck disable=SC2086
    $PLACEMENT "$C_BASELINE/bench_notify" -k 50000 -r "$REPS" -d "$DURATION" -n 1000 -s "$row"
done
