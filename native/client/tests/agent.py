#!/usr/bin/env python3
"""A stand-in OCI seccomp agent for the client's C tests: accepts one connection, reads one JSON
document with the listener in SCM_RIGHTS, writes the document to OUT and what the fd is to OUT.fd,
then holds the listener until the tree's last process exits (POLLHUP), so the target never sees
ENOSYS."""
import json, os, select, socket, sys

path, out = sys.argv[1], sys.argv[2]
s = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
s.bind(path)
s.listen(1)
s.settimeout(30)  # a client that never comes ends the test's wait with a failure, not a hang
open(out + ".ready", "w").close()
c, _ = s.accept()
c.settimeout(None)
data, fds = b"", []
while True:
    msg, got, _, _ = socket.recv_fds(c, 65536, 4)
    fds += got
    if not msg:
        break
    data += msg
    try:
        json.loads(data)
        break
    except ValueError:
        continue
with open(out, "wb") as f:
    f.write(data)
with open(out + ".fd", "w") as f:
    f.write(" ".join(os.readlink("/proc/self/fd/%d" % fd) for fd in fds))
if fds:
    p = select.poll()
    p.register(fds[0], select.POLLHUP)
    p.poll(10000)
