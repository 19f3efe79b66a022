#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""rarp_count.py IFNAME MAC SECONDS: count the RARP frames (ethertype
0x8035) from MAC that arrive on IFNAME, for at most SECONDS; the running
count is printed (a line) after each one."""
import socket
import sys
import time

ETH_P_RARP = 0x8035
ifname, mac, secs = sys.argv[1], bytes.fromhex(sys.argv[2].replace(":", "")), float(sys.argv[3])
s = socket.socket(socket.AF_PACKET, socket.SOCK_RAW, socket.htons(ETH_P_RARP))
s.bind((ifname, 0))
s.settimeout(0.2)
n = 0
end = time.time() + secs
while time.time() < end:
    try:
        frame = s.recv(2048)
    except socket.timeout:
        continue
    if frame[6:12] == mac and frame[12:14] == b"\x80\x35":
        n += 1
        print(n, flush=True)
