#!/bin/sh
# Regenerates the syscall tables under src/main/resources from the kernel UAPI
# headers of this machine (Debian: linux-libc-dev). One "name number" line per
# syscall, sorted by number; x32 numbers include __X32_SYSCALL_BIT because that is
# what seccomp_data.nr holds. aarch64 has no header of its own on x86 hosts, so its
# table is asm-generic/unistd.h preprocessed with the switches arm64's uapi
# <asm/unistd.h> sets.
# The build machine's headers are Linux 6.1 (up to number 450); the calls Linux added
# up to 6.18 (451 cachestat .. 469 file_setattr, and x86_64's 335 uretprobe) were added
# by hand from the kernel's syscall_64.tbl, syscall_32.tbl and asm-generic unistd.h
# (map_shadow_stack is 64-bit only: not in x86 or x32). Re-add them after regenerating
# from older headers.
#   usage: src/main/scripts/gen-syscall-tables.sh   (from bundles/bpf)
set -eu
INC=${INC:-/usr/include}
OUT=${OUT:-src/main/resources/org/attenuator/bpf/internal/tables}
CC=${CC:-gcc}
mkdir -p "$OUT"

# Prints "name value" for every __NR_ macro the preprocessor defines, evaluated by
# the C compiler itself, so "(__X32_SYSCALL_BIT + 0)" and aliases come out as numbers.
table() {
    names=$(printf '#include <%s>\n' "$1" | $CC -E -dM $2 -I"$INC" - \
        | sed -n 's/^#define __NR_\([a-z0-9_]*\) .*/\1/p' | grep -v -e '^syscalls$' -e '^arch_specific_syscall$' | sort -u)
    {
        printf '#include <stdio.h>\n#include <%s>\nint main(void){\n' "$1"
        for n in $names; do printf 'printf("%%s %%lu\\n","%s",(unsigned long)(__NR_%s));\n' "$n" "$n"; done
        printf 'return 0;}\n'
    } > "$TMP/t.c"
    $CC $2 -I"$INC" -o "$TMP/t" "$TMP/t.c"
    "$TMP/t" | sort -k2,2n -k1,1
}

TMP=$(mktemp -d); trap 'rm -rf "$TMP"' EXIT
table x86_64-linux-gnu/asm/unistd_64.h "" > "$OUT/x86_64.tsv"
table x86_64-linux-gnu/asm/unistd_32.h "" > "$OUT/x86.tsv"
table x86_64-linux-gnu/asm/unistd_x32.h "-D__X32_SYSCALL_BIT=0x40000000" > "$OUT/x32.tsv"
table asm-generic/unistd.h "-D__BITS_PER_LONG=64 -D__ARCH_WANT_RENAMEAT -D__ARCH_WANT_NEW_STAT \
    -D__ARCH_WANT_SET_GET_RLIMIT -D__ARCH_WANT_SYS_CLONE3 -D__ARCH_WANT_MEMFD_SECRET" > "$OUT/aarch64.tsv"
wc -l "$OUT"/*.tsv
