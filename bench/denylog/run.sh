#!/bin/sh
# Denials per second: mkdir denied with EPERM by the profile, N times in a C loop under
# `attenuator run`, denied in the kernel (no --deny-log) and routed through the supervisor and
# logged (--deny-log), side by side. From the repository root, after building the distribution:
#   sh bench/denylog/run.sh [N] [ROUNDS]      (default 20000 calls, 3 rounds)
set -e
N=${1:-20000}
ROUNDS=${2:-3}
ATT=${ATTENUATOR:-distribution/standalone/target/attenuator/bin/attenuator}
WORK=$(mktemp -d)
trap 'rm -rf "$WORK"' EXIT
gcc -O2 -Wall -Wextra -Werror -o "$WORK/denials" bench/denylog/denials.c
cat > "$WORK/deny-mkdir.json" <<'JSON'
{"defaultAction": "SCMP_ACT_ALLOW",
 "syscalls": [{"names": ["mkdir"], "action": "SCMP_ACT_ERRNO", "errnoRet": 1}]}
JSON
mkdir "$WORK/home" "$WORK/log"
# one round: "SECONDS" of the loop
round() {
    ATTENUATOR_HOME="$WORK/home" "$ATT" run "$@" --profile "$WORK/deny-mkdir.json" -- "$WORK/denials" "$N" "$WORK" \
        2>/dev/null | awk '{print $2}'
}
best() { sort -n | head -1; }
kernel=$(i=0; while [ $i -lt "$ROUNDS" ]; do round; i=$((i + 1)); done | best)
routed=$(i=0; while [ $i -lt "$ROUNDS" ]; do round --deny-log="$WORK/log/deny.jsonl"; i=$((i + 1)); done | best)
entries=$(grep -c '"event":"deny"' "$WORK/log/deny.jsonl" || true)
echo "| denied by | calls | best of $ROUNDS (s) | denials/s | per call (us) |"
echo "|---|---|---|---|---|"
awk -v n="$N" -v k="$kernel" -v r="$routed" 'BEGIN {
    printf "| kernel (no --deny-log) | %d | %.4f | %.0f | %.2f |\n", n, k, n / k, k / n * 1e6
    printf "| supervisor, logged (--deny-log) | %d | %.4f | %.0f | %.2f |\n", n, r, n / r, r / n * 1e6
    printf "\nrouted+logged / kernel: %.1fx the time per denial\n", r / k }'
echo "deny entries written over $ROUNDS runs: $entries (the rate limit, 20 per tree, syscall and second, counts the rest)"
