#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""Seed corpora for the fuzzers: a front-end's usual start-up sequence for
fuzz_msg (guest memory: gpa 0, uva 0x10000) and for fuzz_fds (the same,
in a real memfd, with chains poked into its rings), and rings with a few
valid chains for fuzz_ring. Usage: gen_fuzz_seeds.py MSG-DIR RING-DIR FDS-DIR"""
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


def write(d, name, data):
    os.makedirs(d, exist_ok=True)
    with open(os.path.join(d, name), "wb") as f:
        f.write(data)


features = 1 << 32 | 1 << 15 | 1 << 28 | 1 << 29 | 1 << 30
start = [msg(3), msg(1), msg(15), msg(16, struct.pack("<Q", 9)),
         msg(2, struct.pack("<Q", features)), msg(17)]
rings = []
for ring in (0, 1):
    base = 0x10000 + ring * 0x4000
    rings += [msg(8, state(ring, 8), ACK),
              msg(10, state(ring, 0)),
              msg(9, addr(ring, base, base + 0x200, base + 0x100)),
              msg(13, struct.pack("<Q", ring | 1 << 8)),
              msg(12, struct.pack("<Q", ring | 1 << 8)),
              msg(18, state(ring, 1))]
stop = [msg(11, state(0, 0)), msg(11, state(1, 0)), msg(4)]

write(sys.argv[1], "startup", b"".join(start + rings))
write(sys.argv[1], "startup-stop", b"".join(start + rings + stop))

# fuzz_ring: byte 0 picks size and features, byte 1 the start, then region
# A (0x8000 bytes: avail at 0, used at 0x100, descriptors at 0x400), then
# region B (0x8000).
mem = bytearray(0x1000)
struct.pack_into("<HH", mem, 0, 0, 2)              # avail flags, idx
struct.pack_into("<HH", mem, 4, 0, 2)              # ring[0] = 0, ring[1] = 2
descs = [(0x800, 12, 1, 1), (0x900, 60, 0, 0), (0x7ff0, 0x20, 0, 0)]
for i, d in enumerate(descs):
    struct.pack_into("<QIHH", mem, 0x400 + 16 * i, *d)
write(sys.argv[2], "two-chains", bytes([3 | 0x10, 0]) + bytes(mem))
write(sys.argv[2], "two-chains-logged", bytes([3 | 0x10 | 0x20 | 0x80, 0]) + bytes(mem))

# ... one whose second chain is an indirect table of two descriptors,
struct.pack_into("<QIHH", mem, 0x400 + 16 * 2, 0x700, 32, 4, 0)
struct.pack_into("<QIHH", mem, 0x700, 0x800, 12, 1, 1)
struct.pack_into("<QIHH", mem, 0x710, 0x900, 60, 0, 0)
write(sys.argv[2], "indirect", bytes([3 | 0x10 | 0x40, 0]) + bytes(mem))

# ... and one whose indirect table lies in region B and points into both.
big = bytearray(0x10000)
big[:len(mem)] = mem
struct.pack_into("<QIHH", big, 0x400 + 16 * 2, 0x8100, 48, 4, 0)
struct.pack_into("<QIHH", big, 0x8000 + 0x100, 0x800, 12, 1, 1)
struct.pack_into("<QIHH", big, 0x8000 + 0x110, 0x7ff8, 16, 1, 2)
struct.pack_into("<QIHH", big, 0x8000 + 0x120, 0x9000, 60, 0, 0)
write(sys.argv[2], "indirect-region-b", bytes([3 | 0x10 | 0x40, 0]) + bytes(big))

# Packed rings (size 8, start slot 0 wrap 1): descriptors at 0x400 as
# (addr, len, id, flags); AVAIL is bit 7, USED bit 15, NEXT 1, WRITE 2,
# INDIRECT 4. A list of two (id 3), then an indirect table (id 5) in B.
pk = bytearray(0x10000)
AV = 1 << 7
struct.pack_into("<QIHH", pk, 0x400, 0x800, 12, 0, AV | 1)
struct.pack_into("<QIHH", pk, 0x410, 0x900, 60, 3, AV)
struct.pack_into("<QIHH", pk, 0x420, 0x8100, 32, 5, AV | 4)
struct.pack_into("<QIHH", pk, 0x8100, 0x800, 12, 0, 0)
struct.pack_into("<QIHH", pk, 0x8110, 0x7ff8, 16, 0, 0)
write(sys.argv[2], "packed", bytes([4 | 0x08 | 0x10 | 0x40, 0x80]) + bytes(pk))
rx = bytearray(0x10000)
struct.pack_into("<QIHH", rx, 0x400, 0x7f00, 0x200, 0, AV | 2 | 1)
struct.pack_into("<QIHH", rx, 0x410, 0x9000, 1526, 7, AV | 2)
struct.pack_into("<QIHH", rx, 0x420, 0xa000, 1526, 2, AV | 2)
write(sys.argv[2], "packed-rx-logged",
      bytes([4 | 0x08 | 0x10 | 0x20 | 0x80, 0x80]) + bytes(rx))
# ... and one that wraps: starts at slot 6 of 8 with a list over slots 6,
# 7 (wrap 1) and 0 (wrap 0 there: AVAIL clear, USED set).
wr = bytearray(0x8000)
struct.pack_into("<QIHH", wr, 0x400 + 16 * 6, 0x800, 12, 0, AV | 1)
struct.pack_into("<QIHH", wr, 0x400 + 16 * 7, 0x900, 12, 0, AV | 1)
struct.pack_into("<QIHH", wr, 0x400 + 16 * 0, 0xa00, 40, 1, 1 << 15)
write(sys.argv[2], "packed-wrap", bytes([4 | 0x08 | 0x10, 0x80 | 6]) + bytes(wr))

# fuzz_fds: records (see fuzz_fds.c): 0 message, 1 poke, 2 pump.
def rec_msg(m, fds=()):
    return bytes([0, len(fds)]) + b"".join(struct.pack("<H", f) for f in fds) + m


def rec_poke(off, data):
    return bytes([1, 0]) + struct.pack("<IB", off, len(data)) + data


table = struct.pack("<II", 1, 0) + struct.pack("<QQQQ", 0, 0x10000, 0x10000, 0)
seq = [rec_msg(m) for m in start]
seq.append(rec_msg(msg(5, table, ACK), fds=(0x10000 // 64,)))
seq += [rec_msg(m) for m in rings]
# Ring 1 (transmit) at 0x4000: a chain of two at descriptors 0, 1.
seq.append(rec_poke(0x4000, struct.pack("<QIHH", 0x8000, 12, 1, 1) +
                    struct.pack("<QIHH", 0x8100, 60, 0, 0)))
seq.append(rec_poke(0x4100, struct.pack("<HHH", 0, 1, 0)))
# Ring 0 (receive) at 0: one writable buffer.
seq.append(rec_poke(0x0, struct.pack("<QIHH", 0x9000, 1526, 2, 0)))
seq.append(rec_poke(0x100, struct.pack("<HHH", 0, 1, 0)))
seq.append(bytes([2]))
write(sys.argv[3], "startup-pump", b"".join(seq))
# The same with a memfd of 4 KiB behind the 64 KiB region.
seq[len(start)] = rec_msg(msg(5, table, ACK), fds=(4096 // 64,))
write(sys.argv[3], "short-file", b"".join(seq))
