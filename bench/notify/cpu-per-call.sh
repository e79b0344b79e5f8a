#!/bin/bash
# CPU per notification, in the steady state: how much CPU the supervisor's answering thread and the
# target each spend per round trip, under `bin/attenuator run --profile P` (P as in
# through-run.sh) and under the C loop (c_loop.c), in turn. Less noisy than a rate on a shared
# machine: what other processes take shows up in the rate, much less in the CPU per call.
#
#   bench/notify/cpu-per-call.sh [PAIRS]      default 4
#   ATTENUATOR=FILE   another bin/attenuator;  JAVA_OPTS=...  passed to it
#   WATCHERS=...      passed to c_loop (see c_loop.c)
#   WARM=S WINDOW=S   seconds of warm-up after the target's start (default 4), seconds measured (3)
#
# Method: after the warm-up, the kernel's sum_exec_runtime of the event loop thread (or c_loop)
# and of the target (/proc/.../sched) over the window, divided by the notifications in it: the
# target's voluntary context switches (it blocks once per notified call). Prints one line a run
# and the means.
set -eu
ROOT=$(cd "$(dirname "$0")/../.." && pwd)
PAIRS=${1:-4}
WARM=${WARM:-4}
WINDOW=${WINDOW:-3}
. "$ROOT/bench/notify/setup.sh"
N=50000000 # more than the window needs: the target is killed after it

runtime_ms() { awk '/se.sum_exec_runtime/ { print $3 }' "$1"; }
switches() { awk '/^nr_voluntary_switches/ { print $3 }' "$1"; }
target_pid() { pgrep -f "^$work/loop_target $N\$"; }

# measure SUPERVISOR_SCHED_FILE TARGET_PID LABEL
measure() {
    sleep "$WARM"
    local l1 t1 s1 l2 t2 s2
    l1=$(runtime_ms "$1") t1=$(runtime_ms "/proc/$2/sched") s1=$(switches "/proc/$2/sched")
    sleep "$WINDOW"
    l2=$(runtime_ms "$1") t2=$(runtime_ms "/proc/$2/sched") s2=$(switches "/proc/$2/sched")
    kill "$2"
    awk -v w="$3" -v l1="$l1" -v l2="$l2" -v t1="$t1" -v t2="$t2" -v n=$((s2 - s1)) -v s="$WINDOW" \
        'BEGIN { printf "%s loop_ns %.0f target_ns %.0f calls_per_s %.0f\n", w, (l2 - l1) * 1e6 / n, (t2 - t1) * 1e6 / n, n / s }'
}

echo "# CPU per notification: $PAIRS pairs, warm-up ${WARM} s, window ${WINDOW} s, $(uname -r), $(nproc) cpus," \
     "load average $(cut -d' ' -f1-3 /proc/loadavg)"
i=0
while [ "$i" -lt "$PAIRS" ]; do
    "$ATTENUATOR" run --profile "$work/notify-getppid.json" -- "$work/loop_target" "$N" > /dev/null 2>&1 &
    run=$!
    until tp=$(target_pid); do sleep 0.05; done
    jvm=$(pgrep -f "Main run --profile $work/notify-getppid.json")
    sleep 1
    loop=$(for t in /proc/"$jvm"/task/*; do # the loop thread that answers: the one that has run most
        [ "$(cat "$t/comm")" = attenuator-loop ] && echo "$(runtime_ms "$t/sched") $t"
    done | sort -n -r | head -1 | cut -d' ' -f2)
    measure "$loop/sched" "$tp" run >> "$work/rows"
    wait "$run" || true
    "$work/c_loop" "$work/loop_target" "$N" > /dev/null &
    c=$!
    until tp=$(target_pid); do sleep 0.05; done
    measure "/proc/$c/sched" "$tp" c_loop >> "$work/rows"
    wait "$c" || true
    tail -2 "$work/rows" | sed 's/^/# /'
    i=$((i + 1))
done
awk '{ l[$1] += $3; t[$1] += $5; r[$1] += $7; n[$1]++ }
     END { for (k in n) printf "%s: loop %.0f ns, target %.0f ns per notification (mean of %d; %.0f calls/s)\n",
           k, l[k] / n[k], t[k] / n[k], n[k], r[k] / n[k] }' "$work/rows" | sort -r
echo "# load average after: $(cut -d' ' -f1-3 /proc/loadavg)"
