#!/bin/sh
# Benchmark of attenuator-keeper: takeover latency and answer throughput (docs/keeper.md).
#   OUT=/tmp/keeper-build sh native/keeper/bench.sh      (after make OUT=... all)
set -u
HERE=$(cd "$(dirname "$0")" && pwd)
OUT=${OUT:-/tmp/keeper-build}
CC=${CC:-gcc}
mkdir -p "$OUT/tests/keeper"
$CC -O2 -Wall -Wextra -Werror -Wno-format-truncation -I"$HERE/../common" -o "$OUT/tests/keeper/ktest" \
    "$HERE/tests/ktest.c" "$HERE/../common/attn_seccomp.c" || exit 1
T=$(mktemp -d)
trap 'rm -rf "$T"' EXIT INT TERM
REPS=${REPS:-20} "$OUT/tests/keeper/ktest" --bench "$OUT/attenuator-keeper" "$T"
grep 'first answer after takeover' "$T/keeper.log" | sed 's/.*, \([0-9.]*\) ms after the drop/\1/' |
    sort -n | awk '{v[NR]=$1} END {if (NR) printf "bench: keeper-side drop (EOF seen) -> first answer sent, %d runs: min %.3f ms, median %.3f ms, max %.3f ms\n", NR, v[1], v[int((NR+1)/2)], v[NR]}'
