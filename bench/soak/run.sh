#!/bin/sh
# The soak: an agent for SECONDS (default 600) under tree churn, one long-lived tree under
# notifications, and the keeper killed once half-way; one table row a minute (RSS, fds, p99,
# ENOSYS). Exit 1 if any tree saw ENOSYS or failed.
#
#   bench/soak/run.sh [SECONDS]          from anywhere, after ./attenuator has built the distribution
#   CHURN=N bench/soak/run.sh            N churning loops (default 10)
set -eu
ROOT=$(cd "$(dirname "$0")/../.." && pwd)
DIST=$ROOT/distribution/standalone/target/attenuator
[ -x "$DIST/bin/attenuator" ] || { echo "run.sh: build the distribution first: ./attenuator --version" >&2; exit 2; }
OUT=$ROOT/bench/soak/target
mkdir -p "$OUT"
gcc -O2 -Wall -Wextra -Werror -o "$OUT/soak_target" "$ROOT/bench/soak/soak_target.c"
exec python3 "$ROOT/bench/soak/soak.py" "$DIST" "$OUT/soak_target" "${1:-600}"
