#!/bin/sh
# Smoke tests for attenuator-testhelper; run by `make test` with OUT set.
set -u
H="$OUT/attenuator-testhelper"
fails=0
check() { # check DESCRIPTION EXPECTED ACTUAL
    if [ "$2" = "$3" ]; then :; else echo "testhelper: FAIL $1: expected '$2', got '$3'" >&2; fails=$((fails + 1)); fi
}

out=$("$H" --probe); rc=$?
check "--probe exit status" 0 "$rc"
for f in user_notif continue addfd wait_killable_recv sync_wake_up pidfd_getfd tsync_esrch; do
    line=$(printf '%s\n' "$out" | grep "^$f ")
    case "$line" in
        "$f yes "*|"$f no "*) ;;
        *) check "--probe line for $f" "$f yes|no DETAIL" "$line" ;;
    esac
done

"$H" -- /nonexistent/command 2>/dev/null; check "missing command" 127 $?
"$H" -- /dev/null 2>/dev/null; check "non-executable command" 126 $?
"$H" --notify 39 --socket /nonexistent/sock -- true 2>/dev/null; check "unreachable socket" 1 $?
"$H" --filter /nonexistent/filter -- true 2>/dev/null; check "missing filter file" 1 $?
"$H" --notify x -- true 2>/dev/null; check "bad --notify" 2 $?
"$H" 2>/dev/null; check "no command" 2 $?

# A notify filter without a listener: the notified syscall fails with ENOSYS, the rest runs.
# getppid is 110 on x86_64; sh's $PPID is read at start-up from getppid.
if [ "$(uname -m)" = x86_64 ]; then
    r=$("$H" --notify 110 -- sh -c 'echo ok'); check "--notify without socket runs the command" ok "$r"
fi
r=$("$H" --notify 999 -- sh -c 'exit 3'); check "exit status of CMD" 3 "$?"

[ "$fails" -eq 0 ] || exit 1
echo "testhelper: all tests passed"
