#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""A guest gone bad, or a busy LAN: broadcast frames from many source MACs,
as fast as an AF_PACKET socket writes them.

  macflood.py IFACE COUNT           random sources (02:xx:xx:xx:xx:xx)
  macflood.py IFACE COUNT --seq P   COUNT distinct sources 02:P:00:00:00
                                    onwards (P: one byte in hex), counting up
"""
import argparse
import os
import socket
import struct
import sys


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("iface")
    ap.add_argument("count", type=int)
    ap.add_argument("--seq", help="first byte after 02: of sequential sources")
    a = ap.parse_args()
    s = socket.socket(socket.AF_PACKET, socket.SOCK_RAW)
    s.bind((a.iface, 0))
    tail = b"\x88\xb5" + b"\0" * 46
    if a.seq is not None:
        # Locally administered unicast: 02:P:nn:nn:nn:nn, distinct by construction.
        head = b"\xff" * 6 + b"\x02" + bytes([int(a.seq, 16)])
        for i in range(a.count):
            s.send(head + struct.pack("!I", i) + tail)
    else:
        rnd = os.urandom(a.count * 5)
        for i in range(a.count):
            s.send(b"\xff" * 6 + b"\x02" + rnd[i * 5:i * 5 + 5] + tail)
    print("sent %d" % a.count)


if __name__ == "__main__":
    sys.exit(main())
