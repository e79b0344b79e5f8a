#!/bin/sh
# C-level tests of attenuator-client, seen from the target's side; run by `make test` with OUT set.
# A stand-in distribution ($T/dist: the client, and a bin/attenuator that only says "JVM" and its
# arguments, so every fall-back is visible), a home with a program cache, filters from exec's mkfilter.
set -u
HERE=$(cd "$(dirname "$0")" && pwd)
B="$OUT/tests/client"
CC=${CC:-gcc}
mkdir -p "$B"
$CC -O2 -Wall -Wextra -Werror -o "$B/mkfilter" "$HERE/../exec/tests/mkfilter.c" &&
$CC -O2 -Wall -Wextra -Werror -static -o "$B/target" "$HERE/../exec/tests/target.c" || { echo "client: FAIL building tests"; exit 1; }
T=$(mktemp -d)
trap 'rm -rf "$T"' EXIT
trap 'exit 1' INT TERM
chmod 755 "$T"
SUITE=client
. "$HERE/../common/checks.sh"

# ready FILE: waits (at most 60 s, a loaded machine starts python slowly) for FILE to appear
ready() { i=0; while [ ! -e "$1" ] && [ $i -lt 1200 ]; do sleep 0.05; i=$((i + 1)); done; }

D="$T/dist"; mkdir -p "$D/bin" "$D/lib/profiles"
cp "$OUT/attenuator-client" "$D/bin/"
printf '#!/bin/sh\necho "JVM $* ATTENUATOR_CLIENT=$ATTENUATOR_CLIENT"\n' > "$D/bin/attenuator"; chmod 755 "$D/bin/attenuator"
echo '{"defaultAction":"SCMP_ACT_ALLOW"}' > "$D/lib/profiles/docker-default.json"
echo '0.2.0-TEST 20261205T000000.000Z' > "$D/lib/build-id"
echo '{"defaultAction":"SCMP_ACT_ERRNO"}' > "$T/mine.json"
H="$T/home"; mkdir -m 700 -p "$H/programs" "$H/run"
export ATTENUATOR_HOME="$H"
C="$D/bin/attenuator-client"
M="$B/mkfilter"; TG="$B/target"
SYS_getppid=110 SYS_execve=59 SYS_execveat=322 EPERM=1 EACCES=13

# name MODE PROFILE: the cache file name, computed here with coreutils (so sha256 is checked too)
name() {
    d=$(sha256sum < "$2" | cut -c1-64)
    printf 'attenuator-program 1\nmode=%s\narch=x86_64\ncaps=a80425fb\nprofile=%s\nbuild=%s\nkernel=%s\n' "$1" "$d" \
        "$(cat "$D/lib/build-id")" "$(uname -r)" | sha256sum | cut -c1-64
}
# entry MODE PROFILE FILTER [METADATA]: writes the cache entry as the JVM does
entry() {
    f="$H/programs/$(name "$1" "$2")"; meta=${4:-}
    n=$(($(stat -c %s "$3") / 8))
    { printf 'attenuator-program 1 %s %d %d\n' "$1" "$n" "${#meta}"; printf '%s' "$meta"; cat "$3"; } > "$f.tmp"
    chmod 600 "$f.tmp"; mv "$f.tmp" "$f"; echo "$f"
}

$M "$T/getppid-eperm" errno:$SYS_getppid:$EPERM
$M "$T/getppid-eacces" errno:$SYS_getppid:$EACCES
$M "$T/notify-exec" notify:$SYS_execve notify:$SYS_execveat

# --- kernel-only from the cache -----------------------------------------------------------------
out=$($C --kernel-only -- "$TG" getppid 2>&1); rc=$?
expect "no cache entry: the JVM runs it, same arguments" 0 $rc "$out" "JVM run --kernel-only -- $TG getppid ATTENUATOR_CLIENT=off"
E1=$(entry kernel "$D/lib/profiles/docker-default.json" "$T/getppid-eperm")
out=$($C --kernel-only -- "$TG" getppid 2>&1); rc=$?
expect "cached default profile: the cached filter is installed, no JVM" 0 $rc "$out" "getppid -1 EPERM" "$(printf 'Seccomp:\t2')" "$(printf 'NoNewPrivs:\t1')"
echo '0.2.1-TEST 20261205T000001.000Z' > "$D/lib/build-id"
out=$($C --kernel-only -- "$TG" getppid 2>&1); rc=$?
expect "an entry another build of the distribution wrote: the JVM" 0 $rc "$out" "JVM run --kernel-only -- $TG getppid ATTENUATOR_CLIENT=off"
echo '0.2.0-TEST 20261205T000000.000Z' > "$D/lib/build-id"
entry kernel "$T/mine.json" "$T/getppid-eacces" > /dev/null
out=$($C --kernel-only --profile "$T/mine.json" "$TG" getppid 2>&1); rc=$?
expect "--profile FILE picks its own entry (by the file's digest)" 0 $rc "$out" "getppid -1 EACCES"
echo ' ' >> "$T/mine.json"
out=$($C --kernel-only --profile "$T/mine.json" "$TG" getppid 2>&1); rc=$?
expect "an edited profile has no entry yet: the JVM" 0 $rc "$out" "JVM run --kernel-only --profile $T/mine.json $TG getppid ATTENUATOR_CLIENT=off"
out=$($C --kernel-only sh -c 'exit 7' 2>&1); rc=$?
expect "the target's exit status is run's" 7 $rc "$out"
out=$($C --kernel-only sh -c 'kill -TERM $$' 2>&1); rc=$?
expect "killed by signal 15: 143" 143 $rc "$out"
$C --kernel-only sh -c 'trap "exit 9" TERM; echo > '"$T/started"'; while :; do sleep 0.05; done' & P=$!
ready "$T/started"
kill -TERM $P; wait $P; rc=$?
expect "SIGTERM to run is forwarded to the target" 9 $rc ""
out=$($C --kernel-only "$TG" fds 2>&1); rc=$?
expect "the target gets fds 0 1 2 only" 0 $rc "$out" "fds 0 1 2"
out=$($C --kernel-only --cap-add SYS_ADMIN "$TG" getppid 2>&1); rc=$?
expect "any other option: the JVM, arguments unchanged" 0 $rc "$out" "JVM run --kernel-only --cap-add SYS_ADMIN $TG getppid ATTENUATOR_CLIENT=off"
out=$($C --kernel-only -- no-such-program-here 2>&1); rc=$?
expect "a program not found: the JVM says so" 0 $rc "$out" "JVM run --kernel-only -- no-such-program-here ATTENUATOR_CLIENT=off"
out=$(ATTENUATOR_CLIENT=off $C --kernel-only "$TG" getppid 2>&1); rc=$?
expect "ATTENUATOR_CLIENT=off: the JVM" 0 $rc "$out" "JVM run --kernel-only $TG getppid ATTENUATOR_CLIENT=off"

# --- a kill rule: the line names the call, from the kernel's audit record (root reads /dev/kmsg) ---
echo '{"kill":"getppid"}' > "$T/kill.json"
$M "$T/kill-getppid" kill:$SYS_getppid
entry kernel "$T/kill.json" "$T/kill-getppid" > /dev/null
KILLED="attenuator: $TG (pid [0-9]*) was killed by SIGSYS"
if [ "$(id -u)" = 0 ]; then
    out=$($C --kernel-only --profile "$T/kill.json" "$TG" getppid 2>&1); rc=$?
    expect "killed by a kill rule: 159 and the call named as the JVM names it" 159 $rc "$out" "$KILLED: system call getppid on x86_64 (a kill rule of its profile)"
    # a user who may not read the kernel log is told where to look
    H1=$T/home1000; mkdir -m 700 -p "$H1/programs"
    cp "$H/programs/$(name kernel "$T/kill.json")" "$H1/programs/"; chown -R 1000:1000 "$H1"
    out=$(cd "$T" && ATTENUATOR_HOME="$H1" setpriv --reuid=1000 --regid=1000 --clear-groups $C --kernel-only --profile "$T/kill.json" "$TG" getppid 2>&1); rc=$?
    expect "killed, the kernel log not readable: 159 and where to look" 159 $rc "$out" "$KILLED (a kill rule of its profile; the kernel log names the call: dmesg | grep type=1326)"
fi

# --- planted entries: another user's, a group-writable one, a symbolic link ---------------------
if [ "$(id -u)" = 0 ]; then
    chown 1000:1000 "$E1"
    out=$($C --kernel-only "$TG" getppid 2>&1); rc=$?
    expect "an entry owned by uid 1000 is ignored" 0 $rc "$out" "JVM run --kernel-only $TG getppid ATTENUATOR_CLIENT=off"
    chown 0:0 "$E1"
    chown 1000 "$H"
    out=$($C --kernel-only "$TG" getppid 2>&1); rc=$?
    expect "a home owned by uid 1000 is ignored" 0 $rc "$out" "JVM run --kernel-only $TG getppid ATTENUATOR_CLIENT=off"
    chown 0 "$H"
fi
chmod 660 "$E1"
out=$($C --kernel-only "$TG" getppid 2>&1); rc=$?
expect "a group-writable entry is ignored" 0 $rc "$out" "JVM run --kernel-only $TG getppid ATTENUATOR_CLIENT=off"
chmod 600 "$E1"; mv "$E1" "$T/real"; ln -s "$T/real" "$E1"
out=$($C --kernel-only "$TG" getppid 2>&1); rc=$?
expect "an entry that is a symbolic link is ignored" 0 $rc "$out" "JVM run --kernel-only $TG getppid ATTENUATOR_CLIENT=off"
rm "$E1"; mv "$T/real" "$E1"
chmod 770 "$H/programs"
out=$($C --kernel-only "$TG" getppid 2>&1); rc=$?
expect "a group-writable cache directory is ignored" 0 $rc "$out" "JVM run --kernel-only $TG getppid ATTENUATOR_CLIENT=off"
chmod 700 "$H/programs"
printf 'attenuator-program 1 kernel 99 0\nshort' > "$T/bad"; chmod 600 "$T/bad"; mv "$T/bad" "$E1"
out=$($C --kernel-only "$TG" getppid 2>&1); rc=$?
expect "a truncated entry is ignored" 0 $rc "$out" "JVM run --kernel-only $TG getppid ATTENUATOR_CLIENT=off"

# --- agent mode -----------------------------------------------------------------------------------
META='profile=docker-default
source=launch
fallback=allow'
entry agent "$D/lib/profiles/docker-default.json" "$T/notify-exec" "$META" > /dev/null
out=$($C -- "$TG" getppid 2>&1); rc=$?
expect "no agent socket in the home: the JVM" 0 $rc "$out" "JVM run -- $TG getppid ATTENUATOR_CLIENT=off"
python3 "$HERE/tests/agent.py" "$H/run/agent.sock" "$T/msg" & AGENT=$!
ready "$T/msg.ready"
out=$($C -- "$TG" getppid 2>&1); rc=$?
wait $AGENT
expect "agent mode: the target runs, its exec let through" 0 $rc "$out" "$(printf 'Seccomp:\t2')" "getppid ok"
if [ "$(cat "$T/msg.fd" 2>/dev/null)" = "anon_inode:seccomp notify" ]; then pass "agent mode: the agent got the seccomp listener"; else fail "agent mode: the agent got '$(cat "$T/msg.fd" 2>/dev/null)'"; fi
python3 - "$T/msg" "$TG" <<'PY' && pass "agent mode: the message is run --agent's, metadata + executable" || fail "agent mode: message $(cat "$T/msg")"
import json, sys
m = json.load(open(sys.argv[1]))
assert m["fds"] == ["seccompFd"] and m["state"]["status"] == "running", m
assert m["metadata"] == "profile=docker-default\nsource=launch\nfallback=allow\nexecutable=" + sys.argv[2], m["metadata"]
assert m["pid"] == m["state"]["pid"] and m["state"]["id"] == "attenuator-launch-%d" % m["pid"], m
PY
rm -f "$T/msg.ready"
out=$($C --agent "$T/nobody.sock" -- "$TG" getppid 2>&1); rc=$?
expect "--agent with nobody listening: the JVM says so" 0 $rc "$out" "JVM run --agent $T/nobody.sock -- $TG getppid ATTENUATOR_CLIENT=off"
rm -f "$H/run/agent.sock"
python3 "$HERE/tests/agent.py" "$H/run/agent.sock" "$T/msg3" & AGENT=$!
ready "$T/msg3.ready"
out=$($C -- "$TG" fds 2>&1); rc=$?
wait $AGENT
expect "agent mode: the listener never reaches the target (fds 0 1 2)" 0 $rc "$out" "fds 0 1 2"

# --- the packaged agent (attenuator.service: /run/attenuator-agent/agent.sock), root only ---------
# The real path: made here only when absent (mkdir is the claim) and removed at the end.
PK=/run/attenuator-agent
# agent_as USER SOCKET OUT: a stand-in agent of USER on SOCKET, ready when it returns
# (the system's python3: another user cannot run root's pyenv shims)
agent_as() {
    rm -f "$3.ready" "$3"
    setpriv --reuid="$1" --regid="$1" --clear-groups /usr/bin/python3 "$HERE/tests/agent.py" "$2" "$3" & AGENT=$!
    ready "$3.ready"; [ -e "$3.ready" ] || fail "the stand-in agent of uid $1 on $2 did not start"
}
if [ "$(id -u)" != 0 ]; then
    echo "client: SKIP the packaged agent's socket (not root)"
elif ! mkdir -m 700 "$PK" 2>/dev/null; then
    echo "client: SKIP the packaged agent's socket ($PK exists: an installed agent's)"
else
    trap 'rm -rf "$T" "$PK"' EXIT
    rm -f "$H/run/agent.sock"
    W="$T/shared"; mkdir -m 777 "$W"
    AU=$(id -u attenuator 2>/dev/null || echo 0); chown "$AU:$AU" "$PK"
    agent_as "$AU" "$PK/agent.sock" "$W/pk"
    out=$($C -- "$TG" getppid 2>&1); rc=$?
    wait $AGENT
    expect "root, no agent in the home: the packaged agent (uid $AU) takes the tree" 0 $rc "$out" "getppid ok"
    if [ "$(cat "$W/pk.fd" 2>/dev/null)" = "anon_inode:seccomp notify" ]; then pass "the packaged agent got the listener"; else fail "the packaged agent got '$(cat "$W/pk.fd" 2>/dev/null)'"; fi
    out=$($C -- "$TG" getppid 2>&1); rc=$?
    expect "a dead packaged socket (its agent gone, the file left): the JVM" 0 $rc "$out" "JVM run -- $TG getppid ATTENUATOR_CLIENT=off"
    # a second local user's socket there: their directory, or a directory others may write to
    rm -f "$PK/agent.sock"; chown 1000:1000 "$PK"
    agent_as 1000 "$PK/agent.sock" "$W/planted"
    out=$($C -- "$TG" getppid 2>&1); rc=$?
    kill $AGENT 2>/dev/null; wait $AGENT 2>/dev/null
    expect "a socket of uid 1000 in a directory of uid 1000: the JVM" 0 $rc "$out" "JVM run -- $TG getppid ATTENUATOR_CLIENT=off"
    if [ -e "$W/planted" ]; then fail "uid 1000's agent got a tree: $(cat "$W/planted")"; else pass "uid 1000's agent got no tree"; fi
    rm -f "$PK/agent.sock"; chown 0:0 "$PK"; chmod 1777 "$PK"
    agent_as 1000 "$PK/agent.sock" "$W/planted"
    out=$($C -- "$TG" getppid 2>&1); rc=$?
    kill $AGENT 2>/dev/null; wait $AGENT 2>/dev/null
    expect "a socket of uid 1000 in root's directory writable by others: the JVM" 0 $rc "$out" "JVM run -- $TG getppid ATTENUATOR_CLIENT=off"
    if [ -e "$W/planted" ]; then fail "uid 1000's agent got a tree: $(cat "$W/planted")"; else pass "uid 1000's agent got no tree"; fi
    rm -f "$PK/agent.sock"; chmod 700 "$PK"
    # uid 1000 itself never uses root's packaged agent, even one it can reach
    chmod 755 "$PK"; agent_as 0 "$PK/agent.sock" "$W/pk2"; chmod 777 "$PK/agent.sock"
    H2="$T/home1000"; mkdir -m 700 -p "$H2/programs"; chown -R 1000:1000 "$H2"
    f="$H2/programs/$(name agent "$D/lib/profiles/docker-default.json")"
    cp "$H/programs/$(name agent "$D/lib/profiles/docker-default.json")" "$f"; chown 1000:1000 "$f"
    out=$(ATTENUATOR_HOME="$H2" setpriv --reuid=1000 --regid=1000 --clear-groups $C -- "$TG" getppid 2>&1); rc=$?
    kill $AGENT 2>/dev/null; wait $AGENT 2>/dev/null
    expect "uid 1000 with root's packaged agent reachable: the JVM" 0 $rc "$out" "JVM run -- $TG getppid ATTENUATOR_CLIENT=off"
    if [ -e "$W/pk2" ]; then fail "root's agent got uid 1000's tree"; else pass "root's agent got no tree of uid 1000"; fi
    rm -rf "$PK"
fi

summary
