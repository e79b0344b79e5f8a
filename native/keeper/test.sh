#!/bin/sh
# Real-process tests of attenuator-keeper; run by `make test` with OUT set. Builds tests/ktest.c
# into $OUT/tests/keeper and runs it: one PASS/FAIL line per check. The keeper's stderr goes to
# a log file that is printed on failure.
set -u
HERE=$(cd "$(dirname "$0")" && pwd)
B="$OUT/tests/keeper"
CC=${CC:-gcc}
mkdir -p "$B"
$CC -O2 -Wall -Wextra -Werror -Wno-format-truncation -I"$HERE/../common" -I"$HERE" -o "$B/ktest" \
    "$HERE/tests/ktest.c" "$HERE/../common/attn_seccomp.c" || { echo "keeper: FAIL building tests"; exit 1; }
T=$(mktemp -d)
trap 'rm -rf "$T"' EXIT INT TERM
timeout 600 "$B/ktest" "$OUT/attenuator-keeper" "$T"; rc=$?
if [ $rc -eq 0 ]; then
    exit 0
fi
echo "keeper: FAIL (status $rc); keeper log:"
sed 's/^/    /' "$T/keeper.log"
exit 1
