#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""Seed corpora for the fuzzers: a front-end's usual start-up sequence for
fuzz_msg (guest memory: gpa 0, uva 0x10000), and a ring with a few valid
chains for fuzz_ring. Usage: gen_fuzz_seeds.py MSG-DIR RING-DIR"""
import os
import struct
import sys

V, ACK = 1, 1 | 8


def msg(req, payload=b"", flags=V):
    return struct.pack("<III", req, flags, len(payload)) + payload


def state(i, n):
    return struct.pack("<II", i, n)


def addr(i, desc, used, avail):
    return struct.pack("<IIQQQQ", i, 0, desc, used, avail, 0)


features = 1 << 32 | 1 << 15 | 1 << 28 | 1 << 29 | 1 << 30
start = [msg(3), msg(1), msg(15), msg(16, struct.pack("<Q", 9)),
         msg(2, struct.pack("<Q", features)), msg(17)]
for ring in (0, 1):
    base = 0x10000 + ring * 0x4000
    start += [msg(8, state(ring, 8), ACK),
              msg(10, state(ring, 0)),
              msg(9, addr(ring, base, base + 0x200, base + 0x100)),
              msg(13, struct.pack("<Q", ring | 1 << 8)),
              msg(12, struct.pack("<Q", ring | 1 << 8)),
              msg(18, state(ring, 1))]
stop = [msg(11, state(0, 0)), msg(11, state(1, 0)), msg(4)]

os.makedirs(sys.argv[1], exist_ok=True)
with open(os.path.join(sys.argv[1], "startup"), "wb") as f:
    f.write(b"".join(start))
with open(os.path.join(sys.argv[1], "startup-stop"), "wb") as f:
    f.write(b"".join(start + stop))

# fuzz_ring: 8 entries, event idx, TX; two chains (header + frame).
mem = bytearray(0x1000)
struct.pack_into("<HH", mem, 0, 0, 2)              # avail flags, idx
struct.pack_into("<HH", mem, 4, 0, 2)              # ring[0] = 0, ring[1] = 2
descs = [(0x800, 12, 1, 1), (0x900, 60, 0, 0), (0x7ff0, 0x20, 0, 0)]
for i, d in enumerate(descs):
    struct.pack_into("<QIHH", mem, 0x400 + 16 * i, *d)
os.makedirs(sys.argv[2], exist_ok=True)
with open(os.path.join(sys.argv[2], "two-chains"), "wb") as f:
    f.write(bytes([3 | 0x10]) + bytes(mem))

# ... and one whose second chain is an indirect table of two descriptors.
struct.pack_into("<QIHH", mem, 0x400 + 16 * 2, 0x700, 32, 4, 0)
struct.pack_into("<QIHH", mem, 0x700, 0x800, 12, 1, 1)
struct.pack_into("<QIHH", mem, 0x710, 0x900, 60, 0, 0)
with open(os.path.join(sys.argv[2], "indirect"), "wb") as f:
    f.write(bytes([3 | 0x10 | 0x40]) + bytes(mem))
