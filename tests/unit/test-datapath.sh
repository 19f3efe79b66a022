#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# The datapath's forwarding rules, one BPF_PROG_TEST_RUN case each, on the
# real pinned programs and maps of a bridge made with the CLI:
#
#   namespace br: bridge br0 (host port br0/br0-hp), ports
#     x1, x2  veth, mode xdp   (XDP, XDP target, trusted checksums)
#     tc1     veth, mode tc
#     tap1    tap,  mode auto  (XDP, XDP target, untrusted checksums)
#     gone1   veth, mode tc, its netdev deleted after port add
#   and out1, a veth that is no port. Their peers sit in namespace h.
#
# build/tests/unit/xbr-unit runs the cases inside namespace br (test_run
# needs the ingress ifindex to exist in the caller's namespace). The VLAN
# cases also send and capture real frames on the peers x1-p, x2-p
# and tc1-p in namespace h (peers=): tc keeps an 802.1Q tag in skb
# metadata, which test_run neither takes nor returns. They run last, after
# the cases that assume VLAN filtering off, then the port security cases.
set -u
. "$(dirname "$0")/../lib/net.sh"
xt_init unit
xt_need_xbr
xt_need ethtool
UNIT=$xt_root/build/tests/unit/xbr-unit
[ -x "$UNIT" ] || xt_fail "$UNIT not built (run make)"
[ -c /dev/net/tun ] || xt_skip "no /dev/net/tun for the tap port"

xt_ns br
xt_ns h
for d in x1 x2 tc1 out1 gone1; do
	xt_veth br $d h "$d-p"
done
# A native XDP redirect into a veth needs NAPI on its peer (docs/FACTS.md):
# GRO on the peers of the xdp-mode ports, for the live-frame cases.
for d in x1 x2; do
	nsx h ethtool -K "$d-p" gro on >/dev/null || xt_fail "gro on $d-p"
done
nsx br ip tuntap add dev tap1 mode tap || xt_fail "cannot create tap1"
nsx br ip link set tap1 up

xbr_in br bridge add br0 host-port || xt_fail "bridge add br0 host-port"
xbr_in br port add br0 x1 mode xdp || xt_fail "port add x1 mode xdp"
xbr_in br port add br0 x2 mode xdp || xt_fail "port add x2 mode xdp"
xbr_in br port add br0 tc1 mode tc || xt_fail "port add tc1 mode tc"
xbr_in br port add br0 tap1 mode auto || xt_fail "port add tap1 mode auto"
xbr_in br port add br0 gone1 mode tc || xt_fail "port add gone1 mode tc"
# gone1's netdev vanishes under the bridge, as a stopped VM's tap does.
nsx br ip link del gone1 || xt_fail "cannot delete gone1"
xbr_in br port show br0

nsx br "$UNIT" "$XBR_PIN_ROOT/xbr/br0" x1=x1 x2=x2 tc=tc1 tap=tap1 out=out1 host=br0-hp gone=gone1 \
	peers="/run/netns/$(xt_nsname h)"
rc=$?
[ $rc -eq 0 ] || xt_fail "xbr-unit: some cases failed (exit $rc)"
