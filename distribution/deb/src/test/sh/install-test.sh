#!/usr/bin/env bash
# The Debian package as an administrator meets it, on this Debian 12 machine, as root: installs
# target/attenuator_*_amd64.deb with apt-get, uses `attenuator` from PATH in fresh login shells
# (no project directory), checks the man page, the completions and the unit, runs the agent unit
# (under the machine's systemd when it is PID 1, else under a systemd of the test's own in a pid
# and mount namespace: private-systemd.sh), crashes it, then removes and purges the package and
# checks that no keeper and none of its files are left. One PASS/FAIL line per check.
#   install-test.sh TARGET_DIR
# Idempotent: a leftover install is purged first, and the package is purged again on any exit.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
target=$(cd "$1" && pwd)
if [ "$(id -u)" -ne 0 ] || ! command -v apt-get >/dev/null; then
  echo "install-test: skipped: installing a package needs root and apt-get"
  exit 0
fi
debs=("$target"/attenuator_*_amd64.deb)
if [ ${#debs[@]} -ne 1 ] || [ ! -f "${debs[0]}" ]; then
  echo "install-test: expected one attenuator_*_amd64.deb in $target, found: ${debs[*]}" >&2
  exit 1
fi
deb=${debs[0]}
# the project's own distribution: what the package was made from, and what other tests run
dist=$(cd "$here/../../../../standalone/target/attenuator" && pwd)
source "$here/private-systemd.sh"

java17=/usr/lib/jvm/java-17-openjdk-amd64/bin/java
keeper=/usr/lib/attenuator/bin/attenuator-keeper
socket=/run/attenuator-agent/agent.sock
profile=/tmp/deb-test/notify-mkdir.json
passed=0
failed=0
check() { # DESCRIPTION COMMAND...: one PASS/FAIL line
  local what=$1
  shift
  if "$@"; then
    echo "PASS $what"
    passed=$((passed + 1))
  else
    echo "FAIL $what"
    failed=$((failed + 1))
  fi
}
# waits for the dpkg lock another apt-get may hold
apt() { DEBIAN_FRONTEND=noninteractive apt-get -o DPkg::Lock::Timeout=300 "$@" -y -qq >/dev/null; }
installed() { [ "$(dpkg-query -W -f='${db:Status-Status}' attenuator 2>/dev/null)" = installed ]; }
known() { dpkg-query -W -f='${db:Status-Status}' attenuator 2>/dev/null | grep -q -v '^not-installed$'; }
purge_leftover() { if known; then apt purge attenuator; fi; }
# pids of processes running the package's keeper (also after its file was removed)
our_keepers() {
  local exe
  for exe in /proc/[0-9]*/exe; do
    case "$(readlink "$exe" 2>/dev/null)" in "$keeper" | "$keeper (deleted)") exe=${exe#/proc/}; echo "${exe%/exe}" ;; esac
  done
}
no_keeper() { [ -z "$(our_keepers)" ]; }

if [ -d /run/systemd/system ]; then
  echo "systemd is PID 1 here: the unit runs under it"
  own_systemd=false
else
  echo "systemd is not PID 1 here ($(ps -p 1 -o comm=)): the unit runs under a systemd of this test's own (pid + mount namespace)"
  own_systemd=true
fi
# the test's files for the targets: in the private systemd's own /tmp, else the machine's
clean_tmp() { if ! $own_systemd; then rm -rf /tmp/deb-test; fi; }
on_exit() {
  sd_shutdown
  clean_tmp
  purge_leftover
}
trap on_exit EXIT
clean_tmp
# a command as a user types it: a fresh login shell, in /, with nothing of this project around
as_user() { sd runuser -l "$1" -c "cd / && $2"; }
agent_pid() { sd systemctl show -p MainPID --value attenuator.service; }
agent_restarted() { local now; now=$(agent_pid); [ "$now" != "$pid" ] && [ "$now" != 0 ]; }
wait_for() { # SECONDS COMMAND...: true once COMMAND is
  local deadline=$((SECONDS + $1))
  shift
  until "$@"; do
    [ $SECONDS -lt $deadline ] || return 1
    sleep 0.2
  done
}
journal_has() { sd journalctl --no-pager -q -u attenuator.service | grep -q -- "$1"; }

purge_leftover
apt install "$deb"
check "apt-get installs $(basename "$deb") with its dependencies" installed

# --- files: root's, writable by nobody else (the launcher's trusted-path checks need that)
loose=$(find /usr/lib/attenuator /usr/bin/attenuator /lib/systemd/system/attenuator.service /etc/attenuator \
  \( ! -user root -o ! -group root -o -perm /022 \) -print)
check "installed files are root's and not group/other writable${loose:+: $loose}" test -z "$loose"
check "attenuator on PATH is /usr/bin/attenuator" test "$(runuser -l root -c 'command -v attenuator')" = /usr/bin/attenuator

# --- as a user would: new login shells, no project directory
check "attenuator doctor (root) says supervision is possible" as_user root 'attenuator doctor | grep -q "^Supervision is possible here"'
check "attenuator run -- /bin/true (root) exits 0" as_user root 'attenuator run -- /bin/true'
check "attenuator run -- sh -c 'exit 3' (root) exits 3" as_user root 'attenuator run -- sh -c "exit 3"; test $? -eq 3'
if id -u cloudsdk >/dev/null 2>&1; then
  check "attenuator run -- /bin/true (second user cloudsdk) exits 0" as_user cloudsdk 'attenuator run -- /bin/true'
fi
# the launcher runs Debian's Java 17 whatever java is first on PATH: a java there that fails changes nothing
mkdir -p -m 0700 "$target/fake-java"
printf '#!/bin/sh\necho "not the java you want" >&2\nexit 99\n' >"$target/fake-java/java"
chmod 0755 "$target/fake-java/java"
check "attenuator --version runs Java 17, not the java first on PATH" \
  eval 'env PATH="$target/fake-java:/usr/bin:/bin" attenuator --version | grep -q "(Java 17\."' 
check "the project's own distribution still runs while the package is installed" "$dist/bin/attenuator" run -- /bin/true

# --- man page and completions
check "man -w attenuator finds the installed page" test "$(man -w attenuator)" = /usr/share/man/man1/attenuator.1
check "the man page is the one the build generated" cmp -s /usr/share/man/man1/attenuator.1 "$dist/man/man1/attenuator.1"
check "bash completion loads and completes attenuator" \
  bash -c 'source /usr/share/bash-completion/completions/attenuator && complete -p attenuator >/dev/null'
check "zsh completion is installed" test -f /usr/share/zsh/vendor-completions/_attenuator
check "systemd-analyze verify attenuator.service" systemd-analyze verify --man=yes /lib/systemd/system/attenuator.service

# --- the agent unit
if $own_systemd; then
  sd_boot "$target/private-systemd.log"
else
  systemctl start attenuator.service
fi
check "the agent unit starts and listens on $socket" wait_for 60 sd test -S "$socket"
check "the socket is the agent's, mode 0600, in its 0700 directory (only root and the agent reach it)" \
  test "$(sd stat -c '%U %a' "$socket" "$(dirname "$socket")" | tr '\n' ' ')" = "attenuator 600 attenuator 700 "
pid=$(agent_pid)
check "the agent runs Java 17 ($java17)" test "$(sd readlink /proc/"$pid"/exe)" = "$java17"
status=$(sd cat /proc/"$pid"/status)
check "the agent runs as the system user attenuator, not root" \
  grep -q -E "^Uid:\s+($(id -u attenuator)\s+){3}$(id -u attenuator)$" <<<"$status"
check "  with no_new_privs and a seccomp filter" grep -q -z -E 'NoNewPrivs:\s+1.*Seccomp:\s+2' <<<"$status"
check "  and only CAP_SYS_PTRACE and CAP_KILL (effective and bounding: 0000000000080020)" \
  test "$(grep -c -E '^Cap(Eff|Bnd):\s+0000000000080020$' <<<"$status")" -eq 2

# a profile whose mkdir and chdir the agent decides (no handler: undecided, EPERM); the deny-log
# entry carries the path, read from the target's memory: that needs the unit's CAP_SYS_PTRACE
sd install -d -m 0700 /tmp/deb-test
sd sh -c "cat >$profile" <<<'{"defaultAction":"SCMP_ACT_ALLOW","architectures":["SCMP_ARCH_X86_64"],
  "syscalls":[{"names":["mkdir","mkdirat","chdir"],"action":"SCMP_ACT_NOTIFY"}]}'
agent_run() { sd runuser -l root -c "cd / && attenuator run --agent $socket --profile $profile -- $1"; }
out=$(agent_run 'mkdir /tmp/deb-test/made' 2>&1) && rc=0 || rc=$?
check "run --agent: the agent denies mkdir (EPERM, exit 1)" \
  test $rc -eq 1 -a "$(grep -c "mkdir: cannot create directory '/tmp/deb-test/made': Operation not permitted" <<<"$out")" -eq 1
[ $rc -eq 1 ] || sed 's/^/  | /' <<<"$out"
check "  and the directory was not made" sd test ! -e /tmp/deb-test/made
check "  the agent's deny-log has the call with its path read from the target" \
  wait_for 30 sd grep -q '"syscall":"mkdir".*"path":"/tmp/deb-test/made"' /var/log/attenuator/denylog.jsonl

# Restart=: a crashed agent comes back, its keeper (KillMode=process) answered meanwhile and
# hands the live tree back: the tree's next call is decided by the new agent.
keeper_log=/var/lib/attenuator-agent/run/keeper.log
long_tree() { # NAME: a tree blocked (no system call to answer) until a line comes on NAME.fifo, then a chdir
  sd mkfifo "/tmp/deb-test/$1.fifo"
  sd sh -c "(attenuator run --agent $socket --profile $profile -- sh -c \
    'echo \$\$ >/tmp/deb-test/$1.pid; read line </tmp/deb-test/$1.fifo; cd /tmp/deb-test' >/tmp/deb-test/$1.out 2>&1 &)"
}
tree_pid() { sd cat "/tmp/deb-test/$1.pid" 2>/dev/null; }
kept() { # NAME: the keeper holds that tree
  local p
  p=$(tree_pid "$1") && grep -q "added: pid $p," "$keeper_log" 2>/dev/null
}
long_tree crash
check "a long-lived tree is covered by the agent's keeper" wait_for 60 kept crash
keepers=$(our_keepers)
check "one keeper runs, from the package's binary" test "$(wc -w <<<"$keepers")" -eq 1
sd kill -KILL "$pid"
check "Restart=: the agent killed by SIGKILL is started again" wait_for 30 agent_restarted
check "  the keeper outlived the agent (KillMode=process)" kill -0 $keepers
check "  the restarted agent took the tree back" wait_for 60 journal_has "1 tree(s) handed back"
sd timeout 30 sh -c 'echo go >/tmp/deb-test/crash.fifo'
check "  and decides its next call (its chdir)" \
  wait_for 30 journal_has "ended: pid $(tree_pid crash), 1 notifications"

# removal: the unit stopped (as prerm stops it) leaves the keeper holding a live tree; removing
# the package must end that keeper, and only it
long_tree removal
check "a second long-lived tree is covered" wait_for 60 kept removal
sd systemctl stop attenuator.service
check "the stopped agent left its keeper holding the tree" test -n "$(our_keepers)"
check "  and the unit counts the stop as a success (the JVM ends with 143 on SIGTERM)" \
  test "$(sd systemctl show -p Result --value attenuator.service)" = success
apt remove attenuator
check "apt-get remove: no attenuator-keeper of the package is left running" wait_for 30 no_keeper
check "  /usr/bin/attenuator and /usr/lib/attenuator are gone" test ! -e /usr/bin/attenuator -a ! -e /usr/lib/attenuator
check "  the unit file is gone" test ! -e /lib/systemd/system/attenuator.service
apt purge attenuator
check "apt-get purge: the package is gone" eval '! known' 
check "  its state, logs, profile directory and unit links are gone" \
  test ! -e /var/lib/attenuator-agent -a ! -e /var/log/attenuator -a ! -e /etc/attenuator \
  -a ! -e /etc/systemd/system/multi-user.target.wants/attenuator.service -a ! -e /etc/systemd/system/attenuator.service

echo "install-test: $passed passed, $failed failed"
[ "$failed" -eq 0 ]
