#!/bin/sh
# What a container runtime calls after it installs the container's seccomp filter, up to and
# including the container's execve: the runtime's base syscalls (the lists in
# bundles/plugins/learning/src/main/resources/org/attenuator/plugin/learning/runtime/).
#
#   measure.sh RUNTIME NNP LISTENER [RUNS]    RUNTIME runc|crun, NNP true|false, LISTENER yes|no
#   USERID=1000 measure.sh ...                 the container's process as that uid
#
# Each run: a busybox-static rootfs, `RUNTIME spec` with an allow-all filter that has one rule
# (kexec_load; NOTIFY with LISTENER=yes, held by hold_agent.py, else ERRNO) so that a filter is
# installed, the runtime under `strace -f`, and after_filter.py printing the syscalls the
# installing thread made from the install to its execve. Needs root, strace, busybox-static, python3.
set -e
here=$(cd "$(dirname "$0")" && pwd)
rt=$1 nnp=$2 lis=$3 runs=${4:-5}
w=$(mktemp -d)
apid=
trap '[ -z "$apid" ] || kill "$apid"; rm -rf "$w"' EXIT
mkdir -p "$w/b/rootfs/bin" "$w/b/rootfs/proc" "$w/b/rootfs/dev" "$w/b/rootfs/sys" "$w/b/rootfs/tmp" "$w/b/rootfs/etc"
cp /bin/busybox "$w/b/rootfs/bin/"
ln -s busybox "$w/b/rootfs/bin/sh"
(cd "$w/b" && runc spec)
if [ "$lis" = yes ]; then
    python3 "$here/hold_agent.py" "$w/agent.sock" & apid=$!
    while [ ! -S "$w/agent.sock" ]; do sleep 0.1; done
fi
python3 - "$w/b/config.json" "$nnp" "$lis" "$w/agent.sock" <<'PY'
import json, os, sys
f, nnp, lis, sock = sys.argv[1:]
c = json.load(open(f))
c['process']['terminal'] = False
c['process']['args'] = ['/bin/sh', '-c', 'echo hi']
c['process']['noNewPrivileges'] = nnp == 'true'
if os.environ.get('USERID'):
    c['process']['user'] = {'uid': int(os.environ['USERID']), 'gid': int(os.environ['USERID'])}
s = {'defaultAction': 'SCMP_ACT_ALLOW', 'architectures': ['SCMP_ARCH_X86_64'],
     'syscalls': [{'names': ['kexec_load'], 'action': 'SCMP_ACT_NOTIFY' if lis == 'yes' else 'SCMP_ACT_ERRNO'}]}
if lis == 'yes':
    s['listenerPath'] = sock
c['linux']['seccomp'] = s
# crun cannot set up cgroups in a hybrid layout; the measurement does not need them
c['mounts'] = [m for m in c['mounts'] if m['type'] != 'cgroup']
json.dump(c, open(f, 'w'), indent=1)
PY
for i in $(seq "$runs"); do
    if [ "$rt" = crun ]; then
        # crun refuses a hybrid cgroup layout: give it a private cgroup2 view and no cgroup manager
        unshare -m sh -c "umount -R /sys/fs/cgroup; mount -t cgroup2 none /sys/fs/cgroup;
            strace -f -qq -o $w/t$i.txt crun --cgroup-manager=disabled --root $w/root run --bundle $w/b c$i >/dev/null"
    else
        strace -f -qq -o "$w/t$i.txt" "$rt" --root "$w/root" run --bundle "$w/b" "c$i" >/dev/null
    fi
    python3 "$here/after_filter.py" "$w/t$i.txt"
done
