#!/bin/sh
# Regenerates src/main/resources/org/attenuator/profile/internal/errno.tsv ("NAME number", the
# Linux errno values, aliases included) from the UAPI headers of this machine.
#   usage: src/main/scripts/gen-errno-table.sh   (from bundles/profile)
set -eu
INC=${INC:-/usr/include}
OUT=${OUT:-src/main/resources/org/attenuator/profile/internal/errno.tsv}
printf '#include <asm-generic/errno.h>\n' | ${CC:-gcc} -E -dM -I"$INC" - \
    | awk '$1 == "#define" && $2 ~ /^E[A-Z0-9]+$/ { print $2, $3 }' > "$OUT.raw"
# resolve aliases such as "EWOULDBLOCK EAGAIN"
awk 'NR == FNR { v[$1] = $2; next } { x = $2; while (x in v) x = v[x]; print $1, x }' "$OUT.raw" "$OUT.raw" \
    | sort -k2,2n -k1,1 > "$OUT"
rm -f "$OUT.raw"
wc -l "$OUT"
