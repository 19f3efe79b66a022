#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""udp_probe.py IP PORT N: N datagrams, each from its own socket (its own
flow, so the bridge side hashes them over the vport's queues), to IP:PORT;
counts the echoes that come back. Prints "sent=N received=M"."""
import select
import socket
import sys
import time

ip, port, n = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])
socks = []
for i in range(n):
    s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    s.bind(("", 0))
    s.setblocking(False)
    s.sendto(b"xbr-vport-%04d" % i + b"." * 200, (ip, port))
    socks.append(s)
    time.sleep(0.01)
got = set()
deadline = time.time() + 3
while len(got) < n and time.time() < deadline:
    r, _, _ = select.select(socks, [], [], 0.1)
    for s in r:
        data = s.recv(2048)
        if data.startswith(b"xbr-vport-"):
            got.add(s.fileno())
print("sent=%d received=%d" % (n, len(got)))
