#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""tcp_send.py HOST PORT FILE RATE: send FILE over one TCP connection at
about RATE MiB/s (so that a stream lasts while something else happens),
retrying the connection for a few seconds until the receiver listens."""
import socket
import sys
import time

host, port, path, rate = sys.argv[1], int(sys.argv[2]), sys.argv[3], float(sys.argv[4])
for _ in range(50):
    try:
        s = socket.create_connection((host, port), timeout=5)
        break
    except OSError:
        time.sleep(0.2)
else:
    sys.exit("cannot connect")
s.settimeout(60)
chunk = 64 * 1024
start = time.time()
sent = 0
with open(path, "rb") as f:
    while True:
        data = f.read(chunk)
        if not data:
            break
        s.sendall(data)
        sent += len(data)
        ahead = sent / (rate * 1048576) - (time.time() - start)
        if ahead > 0:
            time.sleep(ahead)
s.shutdown(socket.SHUT_WR)
s.close()
print(f"{sent} bytes in {time.time() - start:.1f} s")
