#!/bin/sh
# C-level tests of attenuator-exec --serve, seen from the target's side; run by `make test` with OUT set.
# Builds the test programs in tests/ into $OUT/tests/exec, prints one PASS/FAIL line per check.
set -u
HERE=$(cd "$(dirname "$0")" && pwd)
E="$OUT/attenuator-exec"
B="$OUT/tests/exec"
CC=${CC:-gcc}
mkdir -p "$B"
$CC -O2 -Wall -Wextra -Werror -o "$B/mkfilter" "$HERE/tests/mkfilter.c" &&
$CC -O2 -Wall -Wextra -Werror -static -o "$B/target" "$HERE/tests/target.c" &&
$CC -O2 -Wall -Wextra -Werror -o "$B/client" "$HERE/tests/client.c" || { echo "exec: FAIL building tests"; exit 1; }
T=$(mktemp -d)
trap 'rm -rf "$T"' EXIT INT TERM
SUITE=exec
. "$HERE/../common/checks.sh"

M="$B/mkfilter"; TG="$B/target"
SYS_brk=12 SYS_getppid=110 SYS_execve=59 SYS_execveat=322 EPERM=1
$M "$T/allow"
$M "$T/getppid-eperm" errno:$SYS_getppid:$EPERM
$M "$T/kill-brk" kill:$SYS_brk
$M "$T/notify-exec" notify:$SYS_execve notify:$SYS_execveat
$M "$T/max" pad:4096
$M "$T/toolong" pad:4097
printf 'abcdefg' > "$T/seven"; : > "$T/empty"

# Every launch goes through a fresh server started by tests/client (its parent, as the JVM is).
# (a target killed by SIGSYS: the { } 2>/dev/null hides the shell's "Bad system call")
C="$B/client"
K="$C --kernel"
# --- kernel-only mode with the kernel's log (first: the kernel rate-limits audit lines) ---------
# SECCOMP_FILTER_FLAG_LOG: the kernel logs the ERRNO it returns (audit type 1326) and the call still fails.
logged() { dmesg 2>/dev/null | grep -c "type=1326.*exe=\"$TG\".*syscall=$SYS_getppid "; }
before=$(logged)
out=$($K --mode kernel+log "$E" "$T/getppid-eperm" -- "$TG" getppid 2>&1); rc=$?
expect "kernel+log: the ERRNO rule applies" 0 $rc "$out" "getppid -1 EPERM" "client: exit 0"
after=$(logged)
if [ "$after" -gt "$before" ]; then pass "kernel+log: the kernel logged the denied getppid"; else fail "kernel+log: no audit line for the denied getppid ($before -> $after)"; fi
out=$($K --mode kernel+bogus "$E" "$T/getppid-eperm" -- "$TG" getppid 2>&1); rc=$?
expect "unknown mode suffix -> error reply, nothing forked" 0 $rc "$out" "client: error bad request: mode must be supervised or kernel, optionally +log"
# --- kernel-only mode -------------------------------------------------------------------------
out=$($K "$E" "$T/allow" -- "$TG" 2>&1); rc=$?
expect "filter on from the start (Seccomp 2, NoNewPrivs 1)" 0 $rc "$out" "$(printf 'Seccomp:\t2')" "$(printf 'NoNewPrivs:\t1')" "client: exit 0"
out=$($K "$E" "$T/kill-brk" -- "$TG" 2>&1); rc=$?
expect "target's first syscall (static brk before main) is filtered: SIGSYS, no output" 0 $rc "$out" "client: signal 31"
absent "SIGSYS before main: target printed nothing" "$out" "Seccomp:"
out=$($K "$E" "$T/getppid-eperm" -- "$TG" getppid 2>&1); rc=$?
expect "ERRNO rule: getppid -> EPERM" 0 $rc "$out" "getppid -1 EPERM" "client: exit 0"
out=$($K "$E" "$T/getppid-eperm" -- "$TG" int80 2>&1); rc=$?
expect "i386 ABI (int 0x80 getppid) killed by the arch check" 0 $rc "$out" "client: signal 31"
absent "i386 ABI: call never returned" "$out" "int80 returned"
out=$($K "$E" "$T/getppid-eperm" -- "$TG" x32 2>&1); rc=$?
expect "x32 ABI (nr | 0x40000000) killed" 0 $rc "$out" "client: signal 31"
absent "x32 ABI: call never returned" "$out" "x32 returned"
out=$($K "$E" "$T/max" -- "$TG" 2>&1); rc=$?
expect "4096 instructions accepted" 0 $rc "$out" "$(printf 'Seccomp:\t2')" "client: exit 0"
out=$($K "$E" "$T/allow" -- /bin/sh -c 'grep -E "^Sig(Ign|Blk)" /proc/self/status; pwd' 2>&1); rc=$?
expect "signals the server ignores or blocks are default and unblocked in the target" 0 $rc "$out" \
    "$(printf 'SigBlk:\t0000000000000000')" "$(printf 'SigIgn:\t0000000000000000')"
# --- capabilities (CAPS): as root the kept set is exactly the one asked for, in all five sets ---
if [ "$(id -u)" = 0 ]; then
    out=$($K --caps 3 "$E" "$T/allow" -- /bin/grep ^Cap /proc/self/status 2>&1); rc=$?
    expect "CAPS 3: the target keeps CHOWN and DAC_OVERRIDE only" 0 $rc "$out" \
        "$(printf 'CapInh:\t0000000000000003')" "$(printf 'CapPrm:\t0000000000000003')" \
        "$(printf 'CapEff:\t0000000000000003')" "$(printf 'CapBnd:\t0000000000000003')" \
        "$(printf 'CapAmb:\t0000000000000003')" "client: exit 0"
    out=$($C --caps 0 "$E" "$T/notify-exec" -- /bin/grep ^Cap /proc/self/status 2>&1); rc=$?
    expect "CAPS 0, supervised: no capability left, listener still taken" 0 $rc "$out" \
        "$(printf 'CapEff:\t0000000000000000')" "$(printf 'CapBnd:\t0000000000000000')" "client: exit 0"
fi
out=$($K --caps all "$E" "$T/allow" -- /bin/grep ^Cap /proc/self/status 2>&1); rc=$?
expect "CAPS all: the caller's capabilities untouched" 0 $rc "$out" \
    "$(grep '^CapEff' /proc/self/status)" "$(grep '^CapBnd' /proc/self/status)" "client: exit 0"
out=$($K --caps 3x "$E" "$T/allow" -- "$TG" 2>&1); rc=$?
expect "CAPS not hex -> error reply, nothing forked" 0 $rc "$out" \
    "client: error bad request: capabilities must be all or a hex mask"
out=$($K --cwd / "$E" "$T/allow" -- /bin/pwd 2>&1); rc=$?
expect "cwd from the request" 0 $rc "$out" "/" "client: exit 0"

# --- fds --------------------------------------------------------------------------------------
out=$($K --keep 7 "$E" "$T/allow" -- "$TG" fds 2>&1 5</dev/null 7</dev/null 9</dev/null); rc=$?
expect "only 0-2 and the kept fd (as 3) reach the target" 0 $rc "$out" "fds 0 1 2 3" "fd 3 -> /dev/null"
out=$($K "$E" "$T/allow" -- "$TG" fds 2>&1 5</dev/null 7</dev/null 9</dev/null); rc=$?
expect "nothing kept: only 0-2 (the client's 5, 7, 9 and the server's fds stay out)" 0 $rc "$out" "fds 0 1 2"

# --- failure statuses -------------------------------------------------------------------------
chmod 644 "$T/empty"
out=$($K "$E" "$T/allow" -- /no/such/file 2>&1); rc=$?
expect "missing path -> 127" 0 $rc "$out" "attenuator-exec: /no/such/file: No such file or directory" "client: exit 127"
out=$($K "$E" "$T/allow" -- "$T/empty" 2>&1); rc=$?
expect "non-executable file -> 126" 0 $rc "$out" "attenuator-exec: $T/empty: Permission denied" "client: exit 126"
out=$($K "$E" "$T/allow" -- "$T" 2>&1); rc=$?
expect "directory -> 126" 0 $rc "$out" "attenuator-exec: $T: Permission denied" "client: exit 126"
out=$($K --cwd /no/such/dir "$E" "$T/allow" -- "$TG" 2>&1); rc=$?
expect "missing cwd -> 125" 0 $rc "$out" "attenuator-exec: chdir(/no/such/dir): No such file or directory (ENOENT)" "client: exit 125"
absent "missing cwd: nothing executed" "$out" "Seccomp:"
for f in seven empty toolong missing; do
    out=$($K "$E" "$T/$f" -- "$TG" 2>&1); rc=$?
    expect "bad program ($f) -> error reply, nothing forked" 0 $rc "$out" \
        "client: error bad request: the program must be 1..4096 whole 8-byte instructions"
    absent "bad program ($f): nothing executed" "$out" "Seccomp:"
done
# 8 zero bytes: whole instructions the kernel rejects (no RET at the end) -> 125 naming seccomp
head -c 8 /dev/zero > "$T/noret"
out=$($K "$E" "$T/noret" -- "$TG" 2>&1); rc=$?
expect "program the kernel refuses -> 125" 0 $rc "$out" "attenuator-exec: seccomp(SECCOMP_SET_MODE_FILTER): Invalid argument (EINVAL)" "client: exit 125"
absent "program the kernel refuses: nothing executed" "$out" "Seccomp:"
$M "$T/deny-exec" errno:$SYS_execve:$EPERM
out=$($K "$E" "$T/deny-exec" -- "$TG" 2>&1); rc=$?
expect "kernel-only program denying execve -> 126" 0 $rc "$out" "attenuator-exec: $TG: Operation not permitted" "client: exit 126"
out=$("$E" --program "$T/allow" -- "$TG" 2>&1); rc=$?
expect "usage error -> 125" 125 $rc "$out" "usage: attenuator-exec --serve SOCKET"

# --- the server ---------------------------------------------------------------------------------
out=$($K --malformed "$E" "$T/allow" -- "$TG" 2>&1); rc=$?
expect "malformed request: error reply, and the server serves the next one" 0 $rc "$out" \
    "client: malformed: error bad request: not an exec request" "$(printf 'Seccomp:\t2')" "client: exit 0"
out=$($K --stranger "$E" "$T/allow" -- "$TG" 2>&1); rc=$?
expect "a peer that is not the server's parent is refused; the parent is served" 0 $rc "$out" \
    "client: stranger got: error refused: peer pid [0-9]* uid [0-9]*: not the supervisor (pid [0-9]*)" "client: exit 0"
out=$(cd "$T" && timeout 60 "$E" --serve "$T/lonely.sock" 2>&1); rc=$?
expect "nobody connects within 10 s: the server ends and removes its socket" 0 $rc "$out"
[ -e "$T/lonely.sock" ] && fail "lonely.sock left behind"

# --- supervised mode --------------------------------------------------------------------------
out=$($C "$E" "$T/notify-exec" -- "$TG" exec /bin/true fds 2>&1); rc=$?
expect "supervised: the child's execve continued once, target under filter" 0 $rc "$out" \
    "client: announced listener=3" \
    "client: first notification: nr=59 from the child: yes; answer CONTINUE" \
    "$(printf 'Seccomp:\t2')" "$(printf 'NoNewPrivs:\t1')" \
    "client: later notification 1: nr=59 same pid: yes; answer EPERM" \
    "execve -1 EPERM" "fds 0 1 2" "client: exit 0"
absent "supervised: target holds no seccomp listener" "$out" "seccomp notify"
out=$($C --keep 3 "$E" "$T/notify-exec" -- "$TG" fds 2>&1 3</dev/null); rc=$?
expect "supervised with a kept fd (3): listener announced at 4" 0 $rc "$out" \
    "client: announced listener=4" "fds 0 1 2 3" "fd 3 -> /dev/null" "client: exit 0"
out=$($C --deny-first "$E" "$T/notify-exec" -- "$TG" 2>&1); rc=$?
expect "supervised: the supervisor denies the child's execve -> 126" 0 $rc "$out" \
    "attenuator-exec: $TG: Operation not permitted" "client: exit 126"
absent "supervised deny: target never ran" "$out" "Seccomp:"

# --- a new pid namespace (PIDNS new): a reaper is pid 1, the target pid 2 ---------------------
out=$($K --pidns other "$E" "$T/allow" -- "$TG" 2>&1); rc=$?
expect "PIDNS neither shared nor new -> error reply, nothing forked" 0 $rc "$out" \
    "client: error bad request: pid namespace must be shared or new"
if [ "$(id -u)" = 0 ]; then
    out=$($K --pidns new "$E" "$T/allow" -- /bin/sh -c 'echo "pid $$"; kill -0 '$$' 2>/dev/null && echo "sees $$"; exit 7' 2>&1); rc=$?
    expect "PIDNS new: the target is pid 2, cannot signal the caller, its status is the reaper's" 0 $rc "$out" \
        "pid 2" "client: exit 7"
    absent "PIDNS new: the caller is invisible" "$out" "sees"
    out=$($K --pidns new "$E" "$T/allow" -- /bin/sh -c 'kill -TERM $$' 2>&1); rc=$?
    expect "PIDNS new: a target killed by SIGTERM -> exit 143" 0 $rc "$out" "client: exit 143"
    out=$($C --pidns new "$E" "$T/notify-exec" -- "$TG" exec /bin/true 2>&1); rc=$?
    expect "PIDNS new, supervised: listener taken from the announced (outer) pid, exec notified" 0 $rc "$out" \
        "client: announced a child of the server's child" \
        "client: first notification: nr=59 from the child: yes; answer CONTINUE" \
        "client: later notification 1: nr=59 same pid: yes; answer EPERM" "execve -1 EPERM" "client: exit 0"
    chmod 755 "$T"
    out=$(setpriv --reuid=65534 --regid=65534 --clear-groups $K --pidns new "$E" "$T/allow" -- "$TG" 2>&1); rc=$?
    expect "PIDNS new without CAP_SYS_ADMIN -> error reply, nothing forked" 0 $rc "$out" \
        "client: error clone(CLONE_NEWPID): Operation not permitted (EPERM)"
fi

summary
