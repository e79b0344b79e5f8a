#!/usr/bin/env python3
"""Syscalls a runtime makes after it installs the container's seccomp filter, up to the container's execve.

Reads `strace -f -qq` output. For every task that installs a filter (prctl(PR_SET_SECCOMP, SECCOMP_MODE_FILTER)
or seccomp(SECCOMP_SET_MODE_FILTER, FLAGS, {len=...})), prints the names of the syscalls that task makes from
the install up to its execve (which is included); with TSYNC, the syscalls of every other task seen in between too."""
import re, sys
line_re = re.compile(r'^(\d+)\s+(?:<\.\.\. (\w+) resumed>|(\w+)\()')
installs = re.compile(r'prctl\(PR_SET_SECCOMP, SECCOMP_MODE_FILTER|seccomp\(SECCOMP_SET_MODE_FILTER, [^,]*, \{len=')
names = set(); watching = {}; tsync = False; other = set()
for raw in open(sys.argv[1]):
    m = line_re.match(raw)
    if not m:
        continue
    tid, resumed, name = m.group(1), m.group(2), m.group(3)
    if name and installs.search(raw):
        watching[tid] = True
        tsync = tsync or 'TSYNC' in raw
        continue
    if name and tid in watching:
        names.add(name)
        if name == 'execve':
            del watching[tid]
    elif name and watching and tsync:
        other.add(name)
print(' '.join(sorted(names)))
if other:
    print('other threads (TSYNC):', ' '.join(sorted(other)))
