#!/bin/sh
# Learning speed: nginx bare, under its first learning run and under a second learning run of the
# same key (which lets the kernel allow what the first one learned), side by side.
#
#   bench/learning/run.sh [SECONDS] [REPS]     from anywhere; default 5 s of load x 3 repetitions
#
# Needs: nginx (nginx-light), gcc, curl, and the distribution built
# (mvn -o -DskipTests -DskipITs -pl distribution/standalone -am package). Each repetition learns
# under a fresh key in a fresh ATTENUATOR_HOME; the table shows the median requests/s per mode.
set -eu
ROOT=$(cd "$(dirname "$0")/../.." && pwd)
A=${ATTENUATOR:-$ROOT/distribution/standalone/target/attenuator/bin/attenuator}
SECONDS_OF_LOAD=${1:-5}
REPS=${2:-3}
CONNECTIONS=${CONNECTIONS:-8}
PORT=${PORT:-18089}
[ -x "$A" ] || { echo "run.sh: $A missing: build the distribution first" >&2; exit 2; }
WORK=$(mktemp -d /tmp/learning-bench.XXXXXX)
running=
trap '[ -z "$running" ] || kill -TERM $running 2>/dev/null; rm -rf "$WORK"' EXIT
gcc -O2 -Wall -Wextra -Werror -o "$WORK/load" "$ROOT/bench/learning/load.c"
mkdir -p "$WORK/nginx/logs" "$WORK/www"
printf 'hello\n' > "$WORK/www/index.html"
cat > "$WORK/nginx/nginx.conf" <<CONF
daemon off; master_process off; worker_processes 1;
error_log stderr; pid $WORK/nginx/nginx.pid;
events { worker_connections 256; }
http {
    access_log off; keepalive_requests 1000000000; keepalive_timeout 300s;
    server { listen 127.0.0.1:$PORT; root $WORK/www; }
}
CONF
NGINX="nginx -c $WORK/nginx/nginx.conf -p $WORK/nginx"

# measure LABEL HOME COMMAND...: starts COMMAND, waits until nginx answers, loads it, stops it.
measure() {
    label=$1 home=$2; shift 2
    ATTENUATOR_HOME=$home "$@" >/dev/null 2>"$WORK/$label.err" &
    pid=$! running=$!
    tries=0
    until curl -sf -o /dev/null "http://127.0.0.1:$PORT/"; do
        tries=$((tries + 1))
        if [ $tries -ge 300 ] || ! kill -0 $pid 2>/dev/null; then
            echo "run.sh: $label did not answer: $(cat "$WORK/$label.err")" >&2
            exit 1
        fi
        sleep 0.1
    done
    "$WORK/load" 127.0.0.1 "$PORT" "$CONNECTIONS" 1 >/dev/null   # warm-up
    "$WORK/load" 127.0.0.1 "$PORT" "$CONNECTIONS" "$SECONDS_OF_LOAD" >> "$WORK/$label.rates"
    kill -TERM $pid
    wait $pid || true
    running=
}

median() {
    sort -n "$1" | awk '{ v[NR] = $1 } END { print v[int((NR + 1) / 2)] }'
}

echo "# learning benchmark - $(date -u +%Y-%m-%dT%H:%M:%SZ), $(nginx -v 2>&1 | sed 's/.*: //'), kernel $(uname -r)," \
     "$(nproc) cpus, $CONNECTIONS connections, ${SECONDS_OF_LOAD} s x $REPS"
for r in $(seq 1 "$REPS"); do
    home="$WORK/home$r"
    mkdir -m 700 "$home"
    measure bare "$home" $NGINX
    measure learn1 "$home" "$A" run --learn="nginx-$r" -- $NGINX
    measure learn2 "$home" "$A" run --learn="nginx-$r" -- $NGINX
done
BARE=$(median "$WORK/bare.rates")
echo
echo "| mode | requests/s (median of $REPS) | of bare |"
echo "|---|---|---|"
for m in bare learn1 learn2; do
    rate=$(median "$WORK/$m.rates")
    case $m in
        bare) what="bare (\`nginx\`)" ;;
        learn1) what="first learning run (\`run --learn=KEY\`, nothing learned yet)" ;;
        learn2) what="second learning run (same key: the learned profile allowed in the kernel)" ;;
    esac
    echo "| $what | $rate | $(awk -v r="$rate" -v b="$BARE" 'BEGIN { printf "%.1f%%", 100 * r / b }') |"
done
echo
echo "all runs (requests/s): bare $(tr '\n' ' ' < "$WORK/bare.rates")| learn1 $(tr '\n' ' ' < "$WORK/learn1.rates")| learn2 $(tr '\n' ' ' < "$WORK/learn2.rates")"
grep -h "learned nginx-$REPS:" "$WORK/learn1.err" "$WORK/learn2.err" 2>/dev/null | sed 's/^/    /' || true
