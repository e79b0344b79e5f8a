#!/bin/sh
# C-level tests of attenuator-exec, seen from the target's side; run by `make test` with OUT set.
# Builds the test programs in tests/ into $OUT/tests/exec, prints one PASS/FAIL line per check.
set -u
HERE=$(cd "$(dirname "$0")" && pwd)
E="$OUT/attenuator-exec"
B="$OUT/tests/exec"
CC=${CC:-gcc}
mkdir -p "$B"
$CC -O2 -Wall -Wextra -Werror -o "$B/mkfilter" "$HERE/tests/mkfilter.c" &&
$CC -O2 -Wall -Wextra -Werror -static -o "$B/target" "$HERE/tests/target.c" &&
$CC -O2 -Wall -Wextra -Werror -o "$B/supervisor" "$HERE/tests/supervisor.c" || { echo "exec: FAIL building tests"; exit 1; }
T=$(mktemp -d)
trap 'rm -rf "$T"' EXIT INT TERM
fails=0; passes=0
pass() { echo "exec: PASS $1"; passes=$((passes + 1)); }
fail() { echo "exec: FAIL $1"; fails=$((fails + 1)); }
# expect NAME EXPECTED-STATUS STATUS OUTPUT PATTERN... : status equal and each line pattern present
expect() {
    name=$1 want=$2 got=$3 out=$4; shift 4
    if [ "$want" != "$got" ]; then fail "$name: status $got, expected $want; output: $out"; return; fi
    for p in "$@"; do
        if ! printf '%s\n' "$out" | grep -qx -- "$p"; then fail "$name: no line '$p' in: $out"; return; fi
    done
    pass "$name"
}
# absent NAME OUTPUT PATTERN : no line matches
absent() {
    if printf '%s\n' "$2" | grep -q -- "$3"; then fail "$1: unexpected '$3' in: $2"; else pass "$1"; fi
}

M="$B/mkfilter"; TG="$B/target"
SYS_brk=12 SYS_getppid=110 SYS_execve=59 SYS_execveat=322 EPERM=1
$M "$T/allow"
$M "$T/getppid-eperm" errno:$SYS_getppid:$EPERM
$M "$T/kill-brk" kill:$SYS_brk
$M "$T/notify-exec" notify:$SYS_execve notify:$SYS_execveat
$M "$T/max" pad:4096
$M "$T/toolong" pad:4097
printf 'abcdefg' > "$T/seven"; : > "$T/empty"

# (a target killed by SIGSYS: the { } 2>/dev/null hides the shell's "Bad system call")
# --- kernel-only mode -------------------------------------------------------------------------
out=$("$E" --program "$T/allow" -- "$TG" 2>&1); rc=$?
expect "filter on from the start (Seccomp 2, NoNewPrivs 1)" 0 $rc "$out" "$(printf 'Seccomp:\t2')" "$(printf 'NoNewPrivs:\t1')"
{ out=$("$E" --program "$T/kill-brk" -- "$TG" 2>&1); rc=$?; } 2>/dev/null
expect "target's first syscall (static brk before main) is filtered: SIGSYS, no output" 159 $rc "$out" ""
out=$("$E" --program "$T/getppid-eperm" -- "$TG" getppid 2>&1); rc=$?
expect "ERRNO rule: getppid -> EPERM" 0 $rc "$out" "getppid -1 EPERM"
{ out=$("$E" --program "$T/getppid-eperm" -- "$TG" int80 2>&1); rc=$?; } 2>/dev/null
expect "i386 ABI (int 0x80 getppid) killed by the arch check" 159 $rc "$out"
absent "i386 ABI: call never returned" "$out" "int80 returned"
{ out=$("$E" --program "$T/getppid-eperm" -- "$TG" x32 2>&1); rc=$?; } 2>/dev/null
expect "x32 ABI (nr | 0x40000000) killed" 159 $rc "$out"
absent "x32 ABI: call never returned" "$out" "x32 returned"
out=$("$E" --program "$T/max" -- "$TG" 2>&1); rc=$?
expect "4096 instructions accepted" 0 $rc "$out" "$(printf 'Seccomp:\t2')"
out=$(PATH="$B:/usr/bin:/bin" "$E" --program "$T/allow" -- target getppid 2>&1); rc=$?
expect "PATH search finds target" 0 $rc "$out" "getppid ok"

# --- fds --------------------------------------------------------------------------------------
out=$("$E" --program "$T/allow" --keep-fd 7 -- "$TG" fds 2>&1 5</dev/null 7</dev/null 9</dev/null); rc=$?
expect "only 0-2 and --keep-fd 7 reach the target" 0 $rc "$out" "fds 0 1 2 7"
out=$("$E" --program "$T/allow" -- "$TG" fds 2>&1 5</dev/null 7</dev/null 9</dev/null); rc=$?
expect "no --keep-fd: only 0-2" 0 $rc "$out" "fds 0 1 2"
out=$("$E" --program "$T/allow" --keep-fd 8 -- "$TG" 2>&1); rc=$?
expect "--keep-fd of a closed fd -> 125" 125 $rc "$out" "attenuator-exec: --keep-fd 8: Bad file descriptor"

# --- failure statuses -------------------------------------------------------------------------
chmod 644 "$T/empty"
out=$("$E" --program "$T/allow" -- no-such-command-xyz 2>&1); rc=$?
expect "missing command -> 127" 127 $rc "$out" "attenuator-exec: no-such-command-xyz: command not found"
out=$("$E" --program "$T/allow" -- /no/such/file 2>&1); rc=$?
expect "missing path -> 127" 127 $rc "$out" "attenuator-exec: /no/such/file: No such file or directory"
out=$("$E" --program "$T/allow" -- "$T/empty" 2>&1); rc=$?
expect "non-executable file -> 126" 126 $rc "$out" "attenuator-exec: $T/empty: Permission denied"
out=$("$E" --program "$T/allow" -- "$T" 2>&1); rc=$?
expect "directory -> 126" 126 $rc "$out" "attenuator-exec: $T: Permission denied"
for bad in seven:"7 bytes is not a whole number of 8-byte instructions" empty:"empty program" \
           toolong:"more than 4096 instructions" missing:"No such file or directory"; do
    f=${bad%%:*}; why=${bad#*:}
    out=$("$E" --program "$T/$f" -- "$TG" 2>&1); rc=$?
    expect "bad program ($f) -> 125" 125 $rc "$out" "attenuator-exec: $T/$f: $why"
    absent "bad program ($f): nothing executed" "$out" "Seccomp:"
done
out=$("$E" --program "$T/allow" 2>&1); rc=$?
expect "usage error -> 125" 125 $rc "$out" "attenuator-exec: usage: .*"
out=$("$E" --program "$T/allow" --control "$T/nobody.sock" -- "$TG" 2>&1); rc=$?
expect "unreachable control socket -> 125" 125 $rc "$out" "attenuator-exec: $T/nobody.sock: connect: No such file or directory (ENOENT)"
# 8 zero bytes: whole instructions the kernel rejects (no RET at the end) -> 125 naming seccomp
head -c 8 /dev/zero > "$T/noret"
out=$("$E" --program "$T/noret" -- "$TG" 2>&1); rc=$?
expect "program the kernel refuses -> 125" 125 $rc "$out" "attenuator-exec: seccomp(SECCOMP_SET_MODE_FILTER): Invalid argument (EINVAL)"
absent "program the kernel refuses: nothing executed" "$out" "Seccomp:"
# a kernel-only program that does not allow execve: installed, execve fails -> 126
$M "$T/deny-exec" errno:$SYS_execve:$EPERM
out=$("$E" --program "$T/deny-exec" -- "$TG" 2>&1); rc=$?
expect "kernel-only program denying execve -> 126" 126 $rc "$out" "attenuator-exec: $TG: Operation not permitted"

# --- supervised mode --------------------------------------------------------------------------
S="$B/supervisor"
out=$("$S" "$T/c.sock" -- "$E" --program "$T/notify-exec" --control "$T/c.sock" -- "$TG" exec /bin/true fds 2>&1); rc=$?
expect "supervised: launcher's execve continued once, target under filter" 0 $rc "$out" \
    "supervisor: announced listener=3" \
    "supervisor: first notification: nr=59 from launcher pid: yes; answer CONTINUE" \
    "$(printf 'Seccomp:\t2')" "$(printf 'NoNewPrivs:\t1')" \
    "supervisor: later notification 1: nr=59 same pid: yes; answer EPERM" \
    "execve -1 EPERM" "fds 0 1 2" "supervisor: launcher exit 0"
absent "supervised: target holds no seccomp listener" "$out" "seccomp notify"
out=$("$S" "$T/c.sock" -- "$E" --program "$T/notify-exec" --control "$T/c.sock" --keep-fd 3 -- "$TG" fds 2>&1 3</dev/null); rc=$?
expect "supervised with --keep-fd 3: listener announced at 4" 0 $rc "$out" \
    "supervisor: announced listener=4" "fds 0 1 2 3" "fd 3 -> /dev/null" "supervisor: launcher exit 0"
out=$("$S" --deny-first "$T/c.sock" -- "$E" --program "$T/notify-exec" --control "$T/c.sock" -- "$TG" 2>&1); rc=$?
expect "supervised: supervisor denies the launcher's execve -> 126" 0 $rc "$out" \
    "attenuator-exec: $TG: Operation not permitted" "supervisor: launcher exit 126"
absent "supervised deny: target never ran" "$out" "Seccomp:"

echo "exec: $passes passed, $fails failed"
[ "$fails" -eq 0 ]
