#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""Frame tools for xbr's net tests (stdlib only).

  pkt.py send IFACE --src MAC --dst MAC [--type 0x88b5] [--count N] [--raw HEX]
        write raw Ethernet frames with any source MAC (spoofing included);
        --raw gives the bytes after the MACs verbatim (malformed frames)
  pkt.py arp IFACE --src MAC --sip IP --tip IP [--count N]
        broadcast ARP who-has TIP from SRC/SIP
  pkt.py count IFACE --type 0x88b5 [--src MAC] --seconds S
        count the frames of that EtherType (from SRC) IFACE receives for S
        seconds: prints "ready" once listening, then the count; tests that
        count their own frames this way do not see ARP, ND or retries
  pkt.py tags IFACE --src MAC --seconds S
        like count, for frames from SRC, one line per kind seen:
        "N TPID VID INNER" (the outer tag, from PACKET_AUXDATA as the kernel
        moved it into metadata, or inline; TPID 0 if untagged; INNER: the
        EtherType behind it)
  pkt.py stag IFACE --src MAC --dst MAC --vid VID [--count N]
        an 802.1ad (S-tagged) frame carrying an EtherType 0x88b5 payload
  pkt.py dhcp-offer IFACE --src MAC --dst MAC [--count N]
        a DHCPv4 server reply (UDP 67 -> 68), what a rogue server sends
  pkt.py ra IFACE --src MAC [--count N]
        an ICMPv6 Router Advertisement to all nodes from fe80::1
  pkt.py tap NAME --mac MAC --ip IP
        be a VM behind a tap: open /dev/net/tun (IFF_TAP|IFF_NO_PI) in the
        current namespace, print "ready", answer ARP and ping for IP, and
        obey commands on stdin, one per line, each answered by one line:
          ping IP [COUNT]  -> "ok N" (replies received) or "fail REASON"
          count            -> "count N" (frames read from the tap so far)
          quit
"""
import argparse
import fcntl
import os
import select
import socket
import struct
import sys
import time

ETH_P_ARP = 0x0806
ETH_P_IP = 0x0800
BCAST = b"\xff" * 6


def mac(s):
    return bytes(int(x, 16) for x in s.split(":"))


def ip4(s):
    return socket.inet_aton(s)


def csum(data):
    if len(data) % 2:
        data += b"\0"
    s = sum(struct.unpack("!%dH" % (len(data) // 2), data))
    while s >> 16:
        s = (s & 0xFFFF) + (s >> 16)
    return (~s) & 0xFFFF


def eth(dst, src, etype, payload):
    f = dst + src + struct.pack("!H", etype) + payload
    return f + b"\0" * max(0, 60 - len(f))


def arp(op, sha, spa, tha, tpa):
    return struct.pack("!HHBBH", 1, ETH_P_IP, 6, 4, op) + sha + spa + tha + tpa


def ipv4(src, dst, proto, payload):
    h = struct.pack("!BBHHHBBH4s4s", 0x45, 0, 20 + len(payload), 0, 0x4000,
                    64, proto, 0, src, dst)
    h = h[:10] + struct.pack("!H", csum(h)) + h[12:]
    return h + payload


def icmp_echo(typ, ident, seq, data):
    h = struct.pack("!BBHHH", typ, 0, 0, ident, seq) + data
    return h[:2] + struct.pack("!H", csum(h)) + h[4:]


def raw_socket(iface):
    s = socket.socket(socket.AF_PACKET, socket.SOCK_RAW)
    s.bind((iface, 0))
    return s


def cmd_send(a):
    s = raw_socket(a.iface)
    if a.raw is not None:
        # Everything after the MACs, verbatim: no padding, any length.
        f = mac(a.dst) + mac(a.src) + bytes.fromhex(a.raw)
    else:
        payload = a.payload.encode() if a.payload else b"xbr-test"
        f = eth(mac(a.dst), mac(a.src), int(a.type, 0), payload)
    for _ in range(a.count):
        s.send(f)
        time.sleep(a.gap)


def cmd_arp(a):
    s = raw_socket(a.iface)
    f = eth(BCAST, mac(a.src), ETH_P_ARP,
            arp(1, mac(a.src), ip4(a.sip), b"\0" * 6, ip4(a.tip)))
    for _ in range(a.count):
        s.send(f)
        time.sleep(a.gap)


def incoming(s, seconds, src, aux=False):
    """(frame, ancillary data) for each frame s receives in the next
    seconds, not one we sent, from src if given; ancillary data (the
    kernel's PACKET_AUXDATA) only with aux."""
    end = time.monotonic() + seconds
    while True:
        left = end - time.monotonic()
        if left <= 0:
            return
        r, _, _ = select.select([s], [], [], left)
        if not r:
            continue
        if aux:
            f, anc, _, addr = s.recvmsg(65535, socket.CMSG_SPACE(64))
        else:
            (f, addr), anc = s.recvfrom(65535), []
        if addr[2] == socket.PACKET_OUTGOING or (src and f[6:12] != src):
            continue
        yield f, anc


def cmd_count(a):
    etype = int(a.type, 0)
    s = socket.socket(socket.AF_PACKET, socket.SOCK_RAW, socket.htons(etype))
    s.bind((a.iface, 0))
    src = mac(a.src) if a.src else None
    print("ready", flush=True)
    print(sum(1 for _ in incoming(s, a.seconds, src)), flush=True)


SOL_PACKET = 263
PACKET_AUXDATA = 8
TP_STATUS_VLAN_VALID = 1 << 4
TP_STATUS_VLAN_TPID_VALID = 1 << 6


def outer_tag(ancdata, f):
    """(tpid, vid, inner EtherType) of a received frame's outermost tag."""
    for level, kind, data in ancdata:
        if level == SOL_PACKET and kind == PACKET_AUXDATA and len(data) >= 20:
            status = struct.unpack_from("I", data, 0)[0]
            tci, tpid = struct.unpack_from("HH", data, 16)
            if status & TP_STATUS_VLAN_VALID:
                if not status & TP_STATUS_VLAN_TPID_VALID:
                    tpid = 0x8100
                return tpid, tci & 0xFFF, struct.unpack("!H", f[12:14])[0]
    t = struct.unpack("!H", f[12:14])[0]
    if t in (0x8100, 0x88A8) and len(f) >= 18:
        return t, struct.unpack("!H", f[14:16])[0] & 0xFFF, struct.unpack("!H", f[16:18])[0]
    return 0, 0, t


def cmd_tags(a):
    s = socket.socket(socket.AF_PACKET, socket.SOCK_RAW, socket.htons(0x0003))
    s.setsockopt(SOL_PACKET, PACKET_AUXDATA, 1)
    s.bind((a.iface, 0))
    print("ready", flush=True)
    seen = {}
    for f, anc in incoming(s, a.seconds, mac(a.src), aux=True):
        k = outer_tag(anc, f)
        seen[k] = seen.get(k, 0) + 1
    for (tpid, vid, inner), n in sorted(seen.items()):
        print("%d %#06x %d %#06x" % (n, tpid, vid, inner))
    print("end", flush=True)


def cmd_stag(a):
    s = raw_socket(a.iface)
    f = eth(mac(a.dst), mac(a.src), 0x88A8,
            struct.pack("!HH", a.vid & 0x0FFF, 0x88B5) + b"xbr-s-tagged")
    for _ in range(a.count):
        s.send(f)
        time.sleep(a.gap)


def udp4(src, dst, sport, dport, data):
    return ipv4(src, dst, 17, struct.pack("!HHHH", sport, dport, 8 + len(data), 0) + data)


def cmd_dhcp_offer(a):
    s = raw_socket(a.iface)
    # BOOTREPLY, Ethernet, 6-byte hardware address: enough to be a reply.
    bootp = struct.pack("!BBBB", 2, 1, 6, 0) + b"\0" * 232 + b"\x63\x82\x53\x63\xff"
    f = eth(mac(a.dst), mac(a.src), ETH_P_IP,
            udp4(ip4("10.77.0.250"), ip4("255.255.255.255"), 67, 68, bootp))
    for _ in range(a.count):
        s.send(f)
        time.sleep(a.gap)


def cmd_ra(a):
    s = raw_socket(a.iface)
    src = socket.inet_pton(socket.AF_INET6, "fe80::1")
    dst = socket.inet_pton(socket.AF_INET6, "ff02::1")
    # Router Advertisement: hop limit 64, router lifetime 1800 s.
    body = struct.pack("!BBHBBHII", 134, 0, 0, 64, 0, 1800, 0, 0)
    pseudo = src + dst + struct.pack("!IxxxB", len(body), 58)
    body = body[:2] + struct.pack("!H", csum(pseudo + body)) + body[4:]
    ip6 = struct.pack("!IHBB", 6 << 28, len(body), 58, 255) + src + dst
    f = eth(b"\x33\x33\x00\x00\x00\x01", mac(a.src), 0x86DD, ip6 + body)
    for _ in range(a.count):
        s.send(f)
        time.sleep(a.gap)


class TapVM:
    """A minimal IPv4 host on a tap: ARP, ICMP echo, nothing else."""

    IFF_TAP = 0x0002
    IFF_NO_PI = 0x1000
    TUNSETIFF = 0x400454CA

    def __init__(self, name, hw, addr):
        self.fd = os.open("/dev/net/tun", os.O_RDWR)
        ifr = struct.pack("16sH", name.encode(), self.IFF_TAP | self.IFF_NO_PI)
        fcntl.ioctl(self.fd, self.TUNSETIFF, ifr)
        self.mac, self.ip = mac(hw), ip4(addr)
        self.neigh = {}
        self.replies = set()
        self.frames = 0

    def write(self, frame):
        os.write(self.fd, frame)

    def handle(self, f):
        self.frames += 1
        if len(f) < 14:
            return
        dst, src, etype = f[0:6], f[6:12], struct.unpack("!H", f[12:14])[0]
        if dst not in (self.mac, BCAST):
            return
        p = f[14:]
        if etype == ETH_P_ARP and len(p) >= 28:
            op = struct.unpack("!H", p[6:8])[0]
            sha, spa, tpa = p[8:14], p[14:18], p[24:28]
            if tpa != self.ip:
                return
            self.neigh[spa] = sha
            if op == 1:
                self.write(eth(sha, self.mac, ETH_P_ARP,
                               arp(2, self.mac, self.ip, sha, spa)))
        elif etype == ETH_P_IP and len(p) >= 28 and p[9] == 1:
            ihl = (p[0] & 0xF) * 4
            tot = struct.unpack("!H", p[2:4])[0]
            sip, dip = p[12:16], p[16:20]
            if dip != self.ip:
                return
            icmp = p[ihl:tot]
            typ, _, _, ident, seq = struct.unpack("!BBHHH", icmp[:8])
            if typ == 8:
                self.write(eth(src, self.mac, ETH_P_IP,
                               ipv4(self.ip, sip, 1,
                                    icmp_echo(0, ident, seq, icmp[8:]))))
            elif typ == 0:
                self.replies.add((sip, ident, seq))

    def pump(self, timeout, done=lambda: False):
        end = time.monotonic() + timeout
        while not done():
            left = end - time.monotonic()
            if left <= 0:
                return False
            r, _, _ = select.select([self.fd], [], [], left)
            if r:
                self.handle(os.read(self.fd, 65536))
        return True

    def ping(self, addr, count):
        dip = ip4(addr)
        for _ in range(3):
            if dip in self.neigh:
                break
            self.write(eth(BCAST, self.mac, ETH_P_ARP,
                           arp(1, self.mac, self.ip, b"\0" * 6, dip)))
            self.pump(1.0, lambda: dip in self.neigh)
        if dip not in self.neigh:
            return "fail no ARP reply from %s" % addr
        ident, got = os.getpid() & 0xFFFF, 0
        for seq in range(1, count + 1):
            self.write(eth(self.neigh[dip], self.mac, ETH_P_IP,
                           ipv4(self.ip, dip, 1,
                                icmp_echo(8, ident, seq, b"xbr-tap" * 8))))
            key = (dip, ident, seq)
            if self.pump(1.0, lambda: key in self.replies):
                got += 1
        return "ok %d" % got if got else "fail no echo reply from %s" % addr

    def run(self):
        print("ready", flush=True)
        stdin = sys.stdin.fileno()
        while True:
            r, _, _ = select.select([self.fd, stdin], [], [])
            if self.fd in r:
                self.handle(os.read(self.fd, 65536))
            if stdin in r:
                line = sys.stdin.readline()
                if not line:
                    return
                w = line.split()
                if not w:
                    continue
                if w[0] == "quit":
                    return
                if w[0] == "ping":
                    out = self.ping(w[1], int(w[2]) if len(w) > 2 else 1)
                elif w[0] == "count":
                    out = "count %d" % self.frames
                else:
                    out = "fail unknown command"
                print(out, flush=True)


def main():
    ap = argparse.ArgumentParser(description=__doc__,
                                 formatter_class=argparse.RawTextHelpFormatter)
    sub = ap.add_subparsers(dest="cmd", required=True)
    s = sub.add_parser("send")
    s.add_argument("iface")
    s.add_argument("--src", required=True)
    s.add_argument("--dst", required=True)
    s.add_argument("--type", default="0x88b5")
    s.add_argument("--payload")
    s.add_argument("--raw", help="hex bytes after the MACs (type included), unpadded")
    s.add_argument("--count", type=int, default=1)
    s.add_argument("--gap", type=float, default=0.01)
    s = sub.add_parser("arp")
    s.add_argument("iface")
    s.add_argument("--src", required=True)
    s.add_argument("--sip", required=True)
    s.add_argument("--tip", required=True)
    s.add_argument("--count", type=int, default=1)
    s.add_argument("--gap", type=float, default=0.01)
    s = sub.add_parser("tap")
    s.add_argument("name")
    s.add_argument("--mac", required=True)
    s.add_argument("--ip", required=True)
    s = sub.add_parser("count")
    s.add_argument("iface")
    s.add_argument("--type", default="0x88b5")
    s.add_argument("--src")
    s.add_argument("--seconds", type=float, required=True)
    s = sub.add_parser("tags")
    s.add_argument("iface")
    s.add_argument("--src", required=True)
    s.add_argument("--seconds", type=float, required=True)
    s = sub.add_parser("stag")
    s.add_argument("iface")
    s.add_argument("--src", required=True)
    s.add_argument("--dst", required=True)
    s.add_argument("--vid", type=int, required=True)
    s.add_argument("--count", type=int, default=1)
    s.add_argument("--gap", type=float, default=0.01)
    for name in ("dhcp-offer", "ra"):
        s = sub.add_parser(name)
        s.add_argument("iface")
        s.add_argument("--src", required=True)
        if name == "dhcp-offer":
            s.add_argument("--dst", default="ff:ff:ff:ff:ff:ff")
        s.add_argument("--count", type=int, default=1)
        s.add_argument("--gap", type=float, default=0.01)
    a = ap.parse_args()
    cmds = {"send": cmd_send, "arp": cmd_arp, "count": cmd_count, "tags": cmd_tags,
            "stag": cmd_stag,
            "dhcp-offer": cmd_dhcp_offer, "ra": cmd_ra}
    if a.cmd in cmds:
        cmds[a.cmd](a)
    else:
        TapVM(a.name, a.mac, a.ip).run()


if __name__ == "__main__":
    main()
