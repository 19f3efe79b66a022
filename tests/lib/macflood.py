#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""A guest gone bad: broadcast frames with random source MACs, as fast as
an AF_PACKET socket writes them.  macflood.py IFACE COUNT"""
import os
import socket
import sys


def main():
    iface, count = sys.argv[1], int(sys.argv[2])
    s = socket.socket(socket.AF_PACKET, socket.SOCK_RAW)
    s.bind((iface, 0))
    rnd = os.urandom(count * 5)
    for i in range(count):
        # Locally administered unicast: 02:xx:xx:xx:xx:xx.
        src = b"\x02" + rnd[i * 5:i * 5 + 5]
        s.send(b"\xff" * 6 + src + b"\x88\xb5" + b"\0" * 46)
    print("sent %d" % count)


if __name__ == "__main__":
    sys.exit(main())
