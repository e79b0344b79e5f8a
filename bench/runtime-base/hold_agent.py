#!/usr/bin/env python3
"""Holds every seccomp listener an OCI runtime sends to the socket argv[1], never answering (measure.sh)."""
import socket, sys, os
path = sys.argv[1]
try: os.unlink(path)
except FileNotFoundError: pass
s = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM); s.bind(path); s.listen(8)
held = []
while True:
    c, _ = s.accept()
    msg, fds, _, _ = socket.recv_fds(c, 65536, 8)
    held.append((c, fds))
