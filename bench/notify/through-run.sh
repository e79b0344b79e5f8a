#!/bin/sh
# Notifications through the user's command: one target calls a notified getppid N times under
# `bin/attenuator run --profile P`, and the same target under the C reference loop (c_loop.c, the
# blocking RECV + SEND CONTINUE of bench_notify's "1 target, SYNC_WAKE_UP, unpinned" row), in turn
# (A B A B ...). The target times its own loop (loop_target.c), so neither side's start-up counts.
# Prints one line per pair and a table row: the medians and the median of the per-pair ratios.
#
#   bench/notify/through-run.sh [N] [ROUNDS]     default 500000 calls, 5 pairs
#   PROFILE=FILE                                 another profile (it must notify getppid; default: a
#                                                profile with notify getppid, undecided allow)
#   JAVA_OPTS=...                                passed to bin/attenuator (e.g. to take a change back)
#   ATTENUATOR=FILE                              another bin/attenuator
#   TICKER=0                                     no 50 ms ticker (below)
#
# Both sides run next to a shell that wakes every 50 ms, as the JVM's own periodic task thread does:
# on the 2-vCPU reference VM under load, such a ticker alone takes the C loop from ~40k to ~120k
# calls/s and leaves run's rate as it is (its JVM ticks anyway), so without it the C side is the
# one handicapped. Why the scheduler behaves so was not established.
#
# Needs gcc and the distribution (mvn -o -B -DskipTests -pl distribution/standalone -am package).
set -eu
ROOT=$(cd "$(dirname "$0")/../.." && pwd)
N=${1:-500000}
ROUNDS=${2:-5}
. "$ROOT/bench/notify/setup.sh"
PROFILE=${PROFILE:-$work/notify-getppid.json}

if [ "${TICKER:-1}" = 1 ]; then
    (while sleep 0.05; do :; done) &
    ticker=$!
    trap 'kill $ticker 2>/dev/null; rm -rf "$work"' EXIT
fi

rate() { sed -n 's/.* rate=\([0-9]*\) .*/\1/p' "$1"; }
echo "# notifications through run: $N getppid calls, $ROUNDS pairs, ticker ${TICKER:-1}, $(uname -r), $(nproc) cpus," \
     "load average $(cut -d' ' -f1-3 /proc/loadavg)"
echo "# pair: run calls/s (its second half) | C loop calls/s (its second half) | ratio"
i=0
while [ "$i" -lt "$ROUNDS" ]; do
    "$ATTENUATOR" run --profile "$PROFILE" -- "$work/loop_target" "$N" > "$work/a" 2> "$work/a.err" \
        || { echo "through-run.sh: run failed:" >&2; cat "$work/a.err" "$work/a" >&2; exit 1; }
    "$work/c_loop" "$work/loop_target" "$N" > "$work/b" || { echo "through-run.sh: c_loop failed" >&2; exit 1; }
    a=$(rate "$work/a") b=$(rate "$work/b")
    ah=$(sed -n 's/.*second_half_rate=\([0-9]*\).*/\1/p' "$work/a")
    bh=$(sed -n 's/.*second_half_rate=\([0-9]*\).*/\1/p' "$work/b")
    echo "$a $ah $b $bh" >> "$work/pairs"
    awk -v a="$a" -v ah="$ah" -v b="$b" -v bh="$bh" 'BEGIN { printf "# %d (%d) | %d (%d) | %.2f\n", a, ah, b, bh, a / b }'
    i=$((i + 1))
done
echo "| what | run calls/s | C loop calls/s | ratio (median of pairs) | second halves' ratio |"
echo "|---|---|---|---|---|"
awk -v n="$N" '
    function median(v, k,   i, j, t) { for (i = 2; i <= k; i++) for (j = i; j > 1 && v[j-1] > v[j]; j--) { t = v[j]; v[j] = v[j-1]; v[j-1] = t }
      return k % 2 ? v[(k+1)/2] : (v[k/2] + v[k/2+1]) / 2 }
    { k++; a[k] = $1; b[k] = $3; r[k] = $1 / $3; rh[k] = $2 / $4 }
    END { printf "| notification rate through run (%d getppid) | %d | %d | %.2fx | %.2fx |\n", n, median(a, k), median(b, k),
          median(r, k), median(rh, k) }' "$work/pairs"
echo "# load average after: $(cut -d' ' -f1-3 /proc/loadavg)"
