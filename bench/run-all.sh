#!/bin/sh
# Re-runs every row of docs/benchmarks.md that this script can measure on this machine and prints it
# as that table's rows: each command timed as a whole process, in turn with its yardstick (A B A B ...),
# the median of each and the median of the per-pair ratios A/B (pairs keep the ratio honest when a
# shared machine's speed drifts). Ratios are medians of the per-pair ratios. The start-up rows and
# notifications through run first (about 3 minutes on an idle 2-CPU machine), then every other row of
# the table by its own script.
#   ROWS=startup bench/run-all.sh only the start-up rows and notifications through run
#   QUICK=1 bench/run-all.sh      a smoke run of every row (about 3 minutes)
#   bench/run-all.sh              after: mvn -o -B -DskipTests -pl distribution/standalone -am install
#   ROUNDS=20 bench/run-all.sh    more pairs per row (default 10; QUICK=1 sets 3)
# Reads C_BASELINE (default: shared/bench/c-baseline next to this checkout) for the C programs;
# rows whose tools are missing say so (apt-get install -y bubblewrap firejail runc busybox-static nginx-light
# for all of them). Run as root for the runc row.
set -eu
repo=$(cd "$(dirname "$0")/.." && pwd)
dist="$repo/distribution/standalone/target/attenuator"
att="$dist/bin/attenuator"
c_baseline=${C_BASELINE:-$repo/../shared/bench/c-baseline}
[ -d "$c_baseline" ] || [ -n "${C_BASELINE:-}" ] || c_baseline=$repo/../../shared/bench/c-baseline # from a git worktree
rounds=${ROUNDS:-10}
[ "${QUICK:-0}" = 1 ] && rounds=3
[ -x "$att" ] || { echo "run-all.sh: no $att: build the distribution first (see the top of this script)" >&2; exit 2; }
work=$(mktemp -d "${TMPDIR:-/tmp}/attenuator-bench.XXXXXX")
trap 'rm -rf "$work"' EXIT
export ATTENUATOR_HOME="$work/home"
# the JVM's rows measure the JVM: attenuator-client (which a warm program cache would let take over a
# kernel-only run) only where a row says so, through `env ATTENUATOR_CLIENT=on`
export ATTENUATOR_CLIENT=off

# pair NAME YARDSTICK_NAME 'YARDSTICK COMMAND' 'COMMAND' ['JAVA_OPTS']: one table row (commands split as
# words, no shell; java itself does not read JAVA_OPTS, only bin/attenuator does). Wall time from the clock,
# CPU time (user + sys of the process and the children it waited for) from GNU time, in 10 ms steps;
# on a shared machine the CPU columns suffer less from the load.
pair() {
  name=$1 yname=$2 ycmd=$3 cmd=$4 JAVA_OPTS=${5:-}
  export JAVA_OPTS
  # one of each first, not counted: caches warm, a home created
  $cmd >/dev/null 2>&1 </dev/null || true; $ycmd >/dev/null 2>&1 </dev/null || true
  i=0
  while [ $i -lt "$rounds" ]; do
    t0=$(date +%s%N); /usr/bin/time -f '%U %S' -o "$work/a" $cmd >/dev/null 2>&1 </dev/null || true
    t1=$(date +%s%N); /usr/bin/time -f '%U %S' -o "$work/b" $ycmd >/dev/null 2>&1 </dev/null || true
    t2=$(date +%s%N); echo "$(( (t1 - t0) / 1000 )) $(tail -n 1 "$work/a") $(( (t2 - t1) / 1000 )) $(tail -n 1 "$work/b")"
    i=$((i + 1))
  done > "$work/pairs"
  awk -v name="$name" -v yname="$yname" '
    function median(v, n,   i, j, t) { for (i = 2; i <= n; i++) for (j = i; j > 1 && v[j-1] > v[j]; j--) { t = v[j]; v[j] = v[j-1]; v[j-1] = t }
      return n % 2 ? v[(n+1)/2] : (v[n/2] + v[n/2+1]) / 2 }
    { n++; aw[n] = $1 / 1e6; ac[n] = $2 + $3; bw[n] = $4 / 1e6; bc[n] = $5 + $6; rw[n] = $1 / $4
      rc[n] = $5 + $6 > 0 ? ($2 + $3) / ($5 + $6) : -1 }
    function ms(v) { return v < 1 ? sprintf("%.1f ms", v * 1000) : sprintf("%.2f s", v) }
    END { mrc = median(rc, n)
      printf "| %s | %s | %s | %s | %s | %s | %.1fx | %s |\n", name, ms(median(aw, n)), ms(median(ac, n)),
             yname, ms(median(bw, n)), ms(median(bc, n)), median(rw, n), (mrc > 0 ? sprintf("%.0fx", mrc) : "(CPU under 10 ms)") }' "$work/pairs"
}

java_home=$(dirname "$(dirname "$(readlink -f "$(command -v java)")")")
base_cds="$java_home/lib/server/classes.jsa"
echo "# attenuator start-up - $(date -u +%Y-%m-%dT%H:%M:%SZ), $(uname -r), $(nproc) cpus, $rounds pairs a row"
echo "| command | wall | CPU | yardstick | its wall | its CPU | wall ratio | CPU ratio |"
echo "|---|---|---|---|---|---|---|---|"
pair "run -- /bin/true" "java -version" "java -version" "$att run -- /bin/true"
pair "run --kernel-only -- /bin/true" "java -version" "java -version" "$att run --kernel-only -- /bin/true"
# each lever taken away again, through JAVA_OPTS (a later JVM option wins over the script's)
no_cds="-XX:SharedArchiveFile=$base_cds" c2="-XX:TieredStopAtLevel=4" unpack_jffi="-Djffi.boot.library.path=$work/none"
pair "run -- /bin/true, without the class archive" "java -version" "java -version" "$att run -- /bin/true" "$no_cds"
pair "run -- /bin/true, with C2 (full JIT)" "java -version" "java -version" "$att run -- /bin/true" "$c2"
pair "run -- /bin/true, jffi unpacked at every start" "java -version" "java -version" "$att run -- /bin/true" "$unpack_jffi"
pair "run -- /bin/true, default compile thresholds" "java -version" "java -version" "$att run -- /bin/true" \
  "-XX:CompileThresholdScaling=1"
# a run takes the program an earlier run of the same profile left in HOME/programs: this one finds none
printf '#!/bin/sh\nrm -rf "$ATTENUATOR_HOME/programs"\nexec "$@"\n' > "$work/uncached"; chmod +x "$work/uncached"
pair "run -- /bin/true, the profile compiled at every start (no program cache entry)" "java -version" "java -version" \
  "$work/uncached $att run -- /bin/true"
pair "run -- /bin/true, none of the five (the start before)" "java -version" "java -version" "$work/uncached $att run -- /bin/true" \
  "$no_cds $c2 $unpack_jffi -XX:CompileThresholdScaling=1"

# the C baseline's fork + filter + exec, as a whole process: seccomp_exec installs the same filter
if [ -x "$c_baseline/seccomp_exec" ] || make -s -C "$c_baseline" seccomp_exec >/dev/null 2>&1; then
  unzip -p "$dist"/bundle/attenuator-profile-*.jar org/attenuator/profile/docker-default.json > "$work/docker-default.json"
  "$att" compile --format bpf -o "$work/docker-default.bpf" "$work/docker-default.json"
  pair "run --kernel-only -- /bin/true" "seccomp_exec (C)" "$c_baseline/seccomp_exec $work/docker-default.bpf /bin/true" \
    "$att run --kernel-only -- /bin/true"
else
  echo "| run --kernel-only -- /bin/true | | | seccomp_exec (C) | not built: no $c_baseline | | | |"
fi

# attenuator-client: the same launches without a JVM, from the program cache the first (uncounted) run
# fills; through a running agent of the home (run/agent.sock) and kernel-only
client="env ATTENUATOR_CLIENT=on $att"
if [ -x "$c_baseline/seccomp_exec" ]; then
  pair "run --kernel-only -- /bin/true, kernel-only from the cache (attenuator-client)" "seccomp_exec (C)" \
    "$c_baseline/seccomp_exec $work/docker-default.bpf /bin/true" "$client run --kernel-only -- /bin/true"
  if command -v bwrap >/dev/null; then
    # bwrap reads its filter from a file descriptor: a two-line sh script opens it (dash's start, about
    # a millisecond, counts against bwrap)
    printf '#!/bin/sh\nexec bwrap --ro-bind / / --seccomp 9 /bin/true 9<"%s"\n' "$work/docker-default.bpf" > "$work/bwrap-seccomp"
    chmod +x "$work/bwrap-seccomp"
    pair "run --kernel-only -- /bin/true, kernel-only from the cache (attenuator-client)" "bwrap --seccomp (same filter)" \
      "$work/bwrap-seccomp" "$client run --kernel-only -- /bin/true"
  fi
  mkdir -p -m 700 "$ATTENUATOR_HOME/run"
  "$att" agent --socket "$ATTENUATOR_HOME/run/agent.sock" >"$work/agent.log" 2>&1 & agent=$!
  i=0; while [ ! -S "$ATTENUATOR_HOME/run/agent.sock" ] && [ $i -lt 600 ]; do sleep 0.1; i=$((i + 1)); done
  # a host's agent runs for days: 100 launches first, uncounted, so its JIT has compiled the adoption
  # (a fresh agent's first 40 launches take 12-15 ms at the median here, then about 5)
  i=0; while [ $i -lt 100 ]; do $client run -- /bin/true >/dev/null 2>&1 </dev/null || true; i=$((i + 1)); done
  pair "run -- /bin/true, launch through a running agent (attenuator-client)" "seccomp_exec (C)" \
    "$c_baseline/seccomp_exec $work/docker-default.bpf /bin/true" "$client run -- /bin/true"
  # the same through the checkout's ./attenuator, the command the README gives: its check that the
  # build is current (a find over the sources) comes first
  pair "./attenuator run -- /bin/true (the checkout's script), launch through a running agent" "seccomp_exec (C)" \
    "$c_baseline/seccomp_exec $work/docker-default.bpf /bin/true" "env ATTENUATOR_CLIENT=on $repo/attenuator run -- /bin/true"
  kill -TERM $agent; wait $agent || true
fi

# runc run of /bin/true (busybox) in a throw-away bundle
if command -v runc >/dev/null && command -v busybox >/dev/null && [ "$(id -u)" = 0 ]; then
  mkdir -p "$work/oci/rootfs/bin" && cp "$(command -v busybox)" "$work/oci/rootfs/bin/true"
  (cd "$work/oci" && runc spec && sed -i 's/"terminal": true/"terminal": false/; s/"sh"/"\/bin\/true"/' config.json)
  pair "run -- /bin/true" "runc run" "runc --root $work/runc run -b $work/oci bench" "$att run -- /bin/true"
else
  echo "| run -- /bin/true | | | runc run | not measured: needs root, runc and busybox | | | |"
fi
for tool in bwrap firejail; do
  command -v $tool >/dev/null || echo "| run -- /bin/true | | | $tool | not installed here | | | |"
done
if command -v bwrap >/dev/null; then
  pair "run -- /bin/true" "bwrap" "bwrap --ro-bind / / --unshare-all /bin/true" "$att run -- /bin/true"
fi
if command -v firejail >/dev/null; then
  pair "run -- /bin/true" "firejail" "firejail --quiet --noprofile /bin/true" "$att run -- /bin/true"
fi

# notifications through the user's command: a notified getppid loop under run next to the same target
# under a C RECV/SEND loop (about a minute; QUICK=1: 100,000 calls, 2 pairs)
echo
if [ "${QUICK:-0}" = 1 ]; then
  "$repo/bench/notify/through-run.sh" 100000 2
else
  "$repo/bench/notify/through-run.sh" 500000 5
fi

[ "${ROWS:-all}" = startup ] && exit 0
# The table's other rows, each by its own script, which prints its own table next to its yardstick
# (the page docs/benchmarks.md names for the row explains it). A row whose script fails says so and
# the rest go on.
row() {
  title=$1; shift
  echo; echo "## $title"; echo "    \$ $*"
  "$@" || echo "(not measured: exit $? of $*; these rows need the build at the top of this script, with install)"
}
if [ "${QUICK:-0}" = 1 ]; then
  row "notification rate, 1 target (docs/notify-benchmark.md)" "$repo/bench/notify/run.sh"
  row "deny-log: denials per second (docs/denylog.md)" sh "$repo/bench/denylog/run.sh" 5000 1
  row "kill -9 to the keeper's first answer (docs/keeper.md)" "$repo/bench/fallback/run.sh" 3
  row "learning: nginx bare, first and second run (docs/learning-benchmark.md)" "$repo/bench/learning/run.sh" 2 1
else
  row "notification rate, 1/2/100 targets (docs/notify-benchmark.md)" "$repo/bench/notify/run.sh" 3000 3
  row "BPF: program size, compile time and per-call cost against libseccomp (docs/bpf-benchmark.md)" \
    make -s -C "$repo/bench/bpf" run
  row "launch to first instruction (docs/exec-benchmark.md)" "$repo/bench/launch/run.sh"
  row "deny-log: denials per second (docs/denylog.md)" sh "$repo/bench/denylog/run.sh"
  row "kill -9 to the keeper's first answer (docs/keeper.md)" "$repo/bench/fallback/run.sh"
  row "learning: nginx bare, first and second run (docs/learning-benchmark.md)" "$repo/bench/learning/run.sh"
fi
