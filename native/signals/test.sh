#!/bin/sh
# Tests of attenuator-signals; run by `make test` with OUT set.
set -u
S="$OUT/attenuator-signals"
fails=0
check() { # check DESCRIPTION EXPECTED ACTUAL
    if [ "$2" = "$3" ]; then :; else echo "signals: FAIL $1: expected '$2', got '$3'" >&2; fails=$((fails + 1)); fi
}

# HUP INT QUIT USR1 USR2 TERM WINCH: bits 0 1 2 9 11 14 27 of SigBlk, and nothing else
check "blocked set of CMD" "0000000008004a07" "$("$S" grep SigBlk /proc/self/status | awk '{print $2}')"
# a signal sent to CMD stays pending instead of ending it
"$S" sleep 1 & pid=$!
until grep -q "SigBlk:.*8004a07" "/proc/$pid/status" 2>/dev/null; do :; done # blocked from here on
kill -TERM "$pid"; wait "$pid"; check "TERM does not end CMD" 0 $?
"$S" /nonexistent/command 2>/dev/null; check "missing command" 127 $?
"$S" 2>/dev/null; check "no command" 2 $?

if [ "$fails" -eq 0 ]; then echo "signals: all tests passed"; else exit 1; fi
