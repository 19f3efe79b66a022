#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""A "VM" on a tap, as QEMU/vhost-net drive one: frames written and read
through /dev/net/tun with a virtio-net header, so the test can hand the
bridge what a guest with checksum offload hands it (VIRTIO_NET_HDR_F_NEEDS_CSUM
and only the pseudo-header sum in the checksum field).

  tapvm.py DEV udp --src-mac M --dst-mac M --src-ip A --dst-ip A
           [--count N] [--size BYTES] [--partial] [--dport P]
  tapvm.py DEV ping --src-mac M --dst-mac M --src-ip A --dst-ip A [--count N]
      sends ICMP echo requests, reads the tap, prints how many replies came
"""
import argparse
import fcntl
import os
import select
import socket
import struct
import sys
import time

TUNSETIFF = 0x400454CA
IFF_TAP, IFF_NO_PI, IFF_VNET_HDR = 0x0002, 0x1000, 0x4000
VNET_HDR_LEN = 10                      # struct virtio_net_hdr, no MRG_RXBUF
VIRTIO_NET_HDR_F_NEEDS_CSUM = 1


def mac_bytes(mac):
    return bytes(int(b, 16) for b in mac.split(":"))


def csum_add(data, s=0):
    if len(data) % 2:
        data += b"\0"
    for (w,) in struct.iter_unpack("!H", data):
        s += w
    return s


def csum_fold(s):
    while s >> 16:
        s = (s & 0xFFFF) + (s >> 16)
    return s


def ipv4_header(src, dst, proto, payload_len, ident):
    hdr = struct.pack("!BBHHHBBH4s4s", 0x45, 0, 20 + payload_len, ident, 0x4000,
                      64, proto, 0, socket.inet_aton(src), socket.inet_aton(dst))
    check = ~csum_fold(csum_add(hdr)) & 0xFFFF
    return hdr[:10] + struct.pack("!H", check) + hdr[12:]


def open_tap(dev):
    # Non-blocking like QEMU's: tun runs native XDP only on such writes.
    fd = os.open("/dev/net/tun", os.O_RDWR | os.O_NONBLOCK)
    ifr = struct.pack("16sH", dev.encode(), IFF_TAP | IFF_NO_PI | IFF_VNET_HDR)
    fcntl.ioctl(fd, TUNSETIFF, ifr)
    return fd


def udp_frame(a, i):
    payload = (b"xbr-%06d " % i).ljust(a.size, b".")
    udp_len = 8 + len(payload)
    pseudo = csum_add(socket.inet_aton(a.src_ip) + socket.inet_aton(a.dst_ip)) \
        + socket.IPPROTO_UDP + udp_len
    udp = struct.pack("!HHHH", 40000 + i % 1000, a.dport, udp_len, 0) + payload
    if a.partial:
        # What a guest with checksum offload writes: the folded pseudo-header
        # sum, to be completed by whoever transmits (csum_start/csum_offset).
        check = csum_fold(pseudo)
        vnet = struct.pack("<BBHHHH", VIRTIO_NET_HDR_F_NEEDS_CSUM, 0, 0, 0, 34, 6)
    else:
        check = ~csum_fold(csum_add(udp, pseudo)) & 0xFFFF or 0xFFFF
        vnet = bytes(VNET_HDR_LEN)
    udp = udp[:6] + struct.pack("!H", check) + udp[8:]
    eth = mac_bytes(a.dst_mac) + mac_bytes(a.src_mac) + b"\x08\x00"
    return vnet + eth + ipv4_header(a.src_ip, a.dst_ip, socket.IPPROTO_UDP, len(udp), i) + udp


def icmp_echo(a, i):
    body = struct.pack("!BBHHH", 8, 0, 0, 0x7862, i) + b"xbr-ping".ljust(32, b".")
    check = ~csum_fold(csum_add(body)) & 0xFFFF
    body = body[:2] + struct.pack("!H", check) + body[4:]
    eth = mac_bytes(a.dst_mac) + mac_bytes(a.src_mac) + b"\x08\x00"
    return bytes(VNET_HDR_LEN) + eth + ipv4_header(a.src_ip, a.dst_ip, 1, len(body), i) + body


def is_echo_reply(frame, a):
    eth = frame[VNET_HDR_LEN:]
    if len(eth) < 14 + 20 + 8 or eth[12:14] != b"\x08\x00":
        return False
    ihl = (eth[14] & 0xF) * 4
    return eth[14 + 9] == 1 and eth[14 + ihl] == 0 and \
        eth[0:6] == mac_bytes(a.src_mac)


def main():
    p = argparse.ArgumentParser()
    p.add_argument("dev")
    p.add_argument("what", choices=["udp", "ping"])
    p.add_argument("--src-mac", required=True)
    p.add_argument("--dst-mac", required=True)
    p.add_argument("--src-ip", required=True)
    p.add_argument("--dst-ip", required=True)
    p.add_argument("--count", type=int, default=10)
    p.add_argument("--size", type=int, default=32)
    p.add_argument("--dport", type=int, default=9000)
    p.add_argument("--partial", action="store_true")
    a = p.parse_args()

    fd = open_tap(a.dev)
    if a.what == "udp":
        for i in range(a.count):
            os.write(fd, udp_frame(a, i))
        print(f"sent {a.count}")
        return 0

    replies = 0
    for i in range(a.count):
        os.write(fd, icmp_echo(a, i))
        deadline = time.time() + 1.0
        while time.time() < deadline:
            r, _, _ = select.select([fd], [], [], max(0, deadline - time.time()))
            if not r:
                break
            try:
                frame = os.read(fd, 65536)
            except BlockingIOError:
                continue
            if is_echo_reply(frame, a):
                replies += 1
                break
    print(f"replies {replies}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
