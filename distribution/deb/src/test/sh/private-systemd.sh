# Sourced by install-test.sh: a systemd of the test's own, PID 1 of a new pid and mount namespace,
# for machines where systemd is not PID 1 (containers, CI). It applies attenuator.service as
# installed (every hardening option is systemd's own doing) and nothing else: it boots into a target
# that wants only that unit, with the unit's boot-ordering dependencies (sysinit.target) dropped and
# the units that clean directories (systemd-tmpfiles-*) masked. /run, /tmp, /var/tmp and the journal
# are fresh tmpfs mounts in the namespace; /usr, /etc and /var/lib are the machine's, so the unit and
# the package are the installed ones.

# Host pid of the namespace's systemd, once booted.
sd_pid=""
# Top-level cgroup directories before the boot: the private systemd makes its own, removed again after.
sd_cgroups_before=""

sd_boot() { # LOGFILE
  local log=$1 unshare_pid
  sd_cgroups_before=$(find /sys/fs/cgroup -mindepth 1 -maxdepth 2 -type d 2>/dev/null | sort)
  unshare --fork --pid --mount --mount-proc --propagation private sh -c '
    set -e
    mount -t tmpfs -o mode=0755 tmpfs /run
    mount -t tmpfs -o mode=1777 tmpfs /tmp
    mount -t tmpfs -o mode=1777 tmpfs /var/tmp
    if [ -d /var/log/journal ]; then mount -t tmpfs -o mode=0755 tmpfs /var/log/journal; fi
    control=/run/systemd/system.control
    mkdir -p "$control/attenuator.service.d"
    for u in systemd-tmpfiles-setup.service systemd-tmpfiles-setup-dev.service \
             systemd-tmpfiles-setup-dev-early.service systemd-tmpfiles-clean.service systemd-tmpfiles-clean.timer; do
      ln -s /dev/null "$control/$u"
    done
    printf "[Unit]\nDescription=attenuator install test\nWants=systemd-journald.socket attenuator.service\n" > "$control/attenuator-test.target"
    printf "[Unit]\nDefaultDependencies=no\n" > "$control/attenuator.service.d/test-boot.conf"
    exec env container=attenuator-test /lib/systemd/systemd --system --unit=attenuator-test.target
  ' >"$log" 2>&1 </dev/null &
  unshare_pid=$!
  local i
  for i in $(seq 1 300); do
    sd_pid=$(pgrep -P "$unshare_pid" -x systemd || true)
    if [ -n "$sd_pid" ]; then
      case "$(sd systemctl is-system-running 2>/dev/null || true)" in running|degraded) return 0 ;; esac
    fi
    sleep 0.2
  done
  echo "the private systemd did not boot within 60 s; its log:" >&2
  cat "$log" >&2
  return 1
}

# Runs a command inside the namespaces once booted (as a user logged in there would), else as is.
sd() {
  if [ -n "$sd_pid" ]; then nsenter --target "$sd_pid" --mount --pid -- "$@"; else "$@"; fi
}

sd_shutdown() {
  [ -n "$sd_pid" ] || return 0
  # SIGKILL to a pid namespace's init ends every process in it; the mounts go with the namespace
  kill -KILL "$sd_pid" 2>/dev/null || true
  while kill -0 "$sd_pid" 2>/dev/null; do sleep 0.1; done
  sd_pid=""
  local d
  for d in $(comm -13 <(echo "$sd_cgroups_before") <(find /sys/fs/cgroup -mindepth 1 -maxdepth 2 -type d 2>/dev/null | sort)); do
    find "$d" -depth -type d -exec rmdir {} \; 2>/dev/null || true
  done
}
