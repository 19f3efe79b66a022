#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""The far end of an 802.1Q trunk, for a kernel without 8021q: one
AF_PACKET socket that answers ARP and ICMP echo for an address per VLAN,
reading each frame's tag from PACKET_AUXDATA (the kernel moves received tags
into skb metadata) and writing replies with the tag inline.

  trunkhost.py DEV --vlan VID=IP[/MAC] [--vlan ...] [--duration S]
      answers until the duration ends, then prints per-VLAN counts:
      "vlan VID arp N icmp N"; untagged frames are counted as vlan 0.
  trunkhost.py DEV --send-tagged VID --src-mac M --dst-mac M --count N
      writes N broadcast ARP requests tagged VID (a VLAN-hopping attempt
      when sent from an access port), for drop-counter tests.
"""
import argparse
import socket
import struct
import sys
import time

ETH_P_ALL = 0x0003
SOL_PACKET = 263
PACKET_AUXDATA = 8
TP_STATUS_VLAN_VALID = 1 << 4


def mac_bytes(mac):
    return bytes(int(b, 16) for b in mac.split(":"))


def csum(data):
    if len(data) % 2:
        data += b"\0"
    s = sum(w for (w,) in struct.iter_unpack("!H", data))
    while s >> 16:
        s = (s & 0xFFFF) + (s >> 16)
    return ~s & 0xFFFF


def tagged(dst, src, vid, ethertype, payload):
    if vid:
        return dst + src + struct.pack("!HHH", 0x8100, vid, ethertype) + payload
    return dst + src + struct.pack("!H", ethertype) + payload


def frame_vid(ancdata, frame):
    """The VID from auxdata, or from an inline tag; 0 when untagged."""
    for level, kind, data in ancdata:
        if level == SOL_PACKET and kind == PACKET_AUXDATA and len(data) >= 20:
            status = struct.unpack_from("I", data, 0)[0]
            tci = struct.unpack_from("H", data, 16)[0]
            if status & TP_STATUS_VLAN_VALID:
                return tci & 0xFFF, frame
    if frame[12:14] == b"\x81\x00":
        return struct.unpack("!H", frame[14:16])[0] & 0xFFF, frame[:12] + frame[16:]
    return 0, frame


def serve(a):
    vlans = {}
    for spec in a.vlan:
        vid, rest = spec.split("=")
        ip, _, mac = rest.partition("/")
        vid = int(vid)
        vlans[vid] = (socket.inet_aton(ip), mac_bytes(mac or "02:00:00:00:0f:%02x" % (vid & 0xFF)))
    counts = {}
    s = socket.socket(socket.AF_PACKET, socket.SOCK_RAW, socket.htons(ETH_P_ALL))
    s.bind((a.dev, 0))
    s.setsockopt(SOL_PACKET, PACKET_AUXDATA, 1)
    s.settimeout(0.2)
    end = time.time() + a.duration
    while time.time() < end:
        try:
            frame, anc, _, addr = s.recvmsg(4096, socket.CMSG_SPACE(64))
        except socket.timeout:
            continue
        if addr[2] == socket.PACKET_OUTGOING:
            continue
        vid, frame = frame_vid(anc, frame)
        c = counts.setdefault(vid, {"arp": 0, "icmp": 0})
        if vid not in vlans:
            continue
        my_ip, my_mac = vlans[vid]
        ethertype = struct.unpack("!H", frame[12:14])[0]
        body = frame[14:]
        if ethertype == 0x0806 and len(body) >= 28 and body[24:28] == my_ip and \
                struct.unpack("!H", body[6:8])[0] == 1:
            reply = struct.pack("!HHBBH", 1, 0x0800, 6, 4, 2) + my_mac + my_ip + \
                body[8:14] + body[14:18]
            s.send(tagged(frame[6:12], my_mac, vid, 0x0806, reply))
            c["arp"] += 1
        elif ethertype == 0x0800 and len(body) >= 28 and body[16:20] == my_ip and \
                body[9] == 1:
            ihl = (body[0] & 0xF) * 4
            icmp = body[ihl:]
            if icmp[0] != 8:
                continue
            icmp = b"\x00\x00\x00\x00" + icmp[4:]
            icmp = icmp[:2] + struct.pack("!H", csum(icmp)) + icmp[4:]
            ip = bytearray(body[:ihl])
            ip[12:16], ip[16:20] = body[16:20], body[12:16]
            ip[10:12] = b"\0\0"
            ip[10:12] = struct.pack("!H", csum(bytes(ip)))
            s.send(tagged(frame[6:12], my_mac, vid, 0x0800, bytes(ip) + icmp))
            c["icmp"] += 1
    for vid in sorted(counts):
        print("vlan %d arp %d icmp %d" % (vid, counts[vid]["arp"], counts[vid]["icmp"]))
    sys.stdout.flush()


def send_tagged(a):
    s = socket.socket(socket.AF_PACKET, socket.SOCK_RAW)
    s.bind((a.dev, 0))
    arp = struct.pack("!HHBBH", 1, 0x0800, 6, 4, 1) + mac_bytes(a.src_mac) + \
        socket.inet_aton("10.77.0.99") + bytes(6) + socket.inet_aton("10.77.0.254")
    for _ in range(a.count):
        s.send(tagged(b"\xff" * 6, mac_bytes(a.src_mac), a.send_tagged, 0x0806, arp))
    print("sent %d" % a.count)


def main():
    p = argparse.ArgumentParser()
    p.add_argument("dev")
    p.add_argument("--vlan", action="append", default=[])
    p.add_argument("--duration", type=float, default=10)
    p.add_argument("--send-tagged", type=int)
    p.add_argument("--src-mac", default="02:00:00:00:0e:01")
    p.add_argument("--count", type=int, default=5)
    a = p.parse_args()
    if a.send_tagged is not None:
        send_tagged(a)
    else:
        serve(a)
    return 0


if __name__ == "__main__":
    sys.exit(main())
