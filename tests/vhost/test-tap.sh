#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# xbr-vhost --tap: dpdk-testpmd (virtio_user) -> xbr-vhost -> tap vt1, a
# port of bridge br0 -> port vnet1 -> namespace h1, and back. Counted on
# every side: every frame the guest sent entered the bridge; every frame
# sent to the guest reached it or was dropped by the tap's queue, counted.
# Clear refusals for a missing tap, a one-queue tap asked for two queues,
# a tap with --vport; a tap down under a sending guest loses nothing; two
# queue pairs on a multi_queue tap;
# xbr-vhost exits 1 when its tap is deleted.
. "$(dirname "$0")/../lib/net.sh"
. "$(dirname "$0")/lib.sh"
xt_init vhost-tap
vh_need_build sink.bpf.o pktsend
vh_hugepages 512
GUEST_MAC=52:54:00:00:00:02
H1_MAC=02:00:00:00:00:01

vh_bridge_h1 "$H1_MAC"
nsx br ip tuntap add dev vt1 mode tap || xt_fail "tuntap add vt1"
nsx br ip link set vt1 up
xbr_in br port add br0 vt1 || xt_fail "port add vt1"

out=$(nsx br "$VH_BIN" --tap nope --socket "$XT_TMP/x.sock" 2>&1) &&
	xt_fail "xbr-vhost started on a missing tap"
grep -q "nope: no such interface" <<<"$out" || xt_fail "missing tap: $out"
out=$(nsx br "$VH_BIN" --tap vt1 --queues 2 --socket "$XT_TMP/x.sock" 2>&1) &&
	xt_fail "xbr-vhost served 2 queues on a one-queue tap"
grep -q "vt1: not a tap made multi_queue" <<<"$out" || xt_fail "two queues: $out"
out=$(nsx br "$VH_BIN" --tap vt1 --bridge br0 --vport vm1 --socket "$XT_TMP/x.sock" 2>&1) &&
	xt_fail "xbr-vhost took --tap with --vport"
grep -q "not a vport" <<<"$out" || xt_fail "--tap with --vport: $out"
[ -e "$XT_TMP/x.sock" ] && xt_fail "a refused start left its socket"
xt_log "ok: missing tap, two queues on a one-queue tap, --tap with --vport refused"

VH_SOCK=$XT_TMP/tap.sock
vh_start_bg br --tap vt1 --socket "$VH_SOCK"

# port_rx [DEV]: what the bridge counted in on its port DEV (vt1).
port_rx() { xbr_in br -j stats br0 dev "${1:-vt1}" | python3 -c '
import json, sys
print(sum(p["rx_packets"] for p in json.load(sys.stdin)))'; }
rx0=$(port_rx)
vh_tx_then_rx h1 vif0 "$H1_MAC" "$GUEST_MAC"
tx=$VH_TX rx=$VH_RX sent=$VH_SENT
sink=$(vh_sink_frames)
bridged=$(( $(port_rx) - rx0 ))
vtx=$(vh_stat tx_frames)
vrx=$(vh_stat rx_frames)
tapdrop=$(nsx br cat /sys/class/net/vt1/statistics/tx_dropped)
xt_log "guest TX: testpmd $tx, xbr-vhost $vtx, bridge port vt1 $bridged, h1 $sink"
xt_log "guest RX: h1 sent $sent, xbr-vhost $vrx, testpmd $rx; tap queue drops $tapdrop"
fail() { cat "$XT_TMP/xbr-vhost.log"; xt_fail "$*"; }
[ -n "$tx" ] && [ "$tx" -gt 0 ] || fail "testpmd sent nothing"
[ "$tx" = "$vtx" ] || fail "testpmd sent $tx, xbr-vhost took $vtx"
[ "$bridged" = "$vtx" ] || fail "xbr-vhost wrote $vtx, the bridge saw $bridged on vt1"
# Past the bridge, a redirect into a full veth ring drops (counted by the
# kernel, not here): what reaches h1 is nearly, not provably, all.
[ "$sink" -le "$bridged" ] && [ $((sink * 100)) -ge $((bridged * 99)) ] ||
	fail "the bridge took $bridged of the guest's frames, h1 got $sink"
[ "$vrx" = "$rx" ] || fail "xbr-vhost delivered $vrx, testpmd received $rx"
[ "$vrx" -gt 0 ] || fail "the guest received nothing"
[ "$sent" = $((vrx + tapdrop)) ] || fail "h1 sent $sent, xbr-vhost delivered $vrx, the tap dropped $tapdrop"
[ "$(vh_stat drops)" = 0 ] || fail "xbr-vhost dropped $(vh_stat drops)"

# The tap down for a second under a guest sending flat out: its writes
# fail (EIO), the frames stay in the guest's ring and go once it is up.
r0=$(vh_stat tx_retries) t0=$(vh_stat tx_frames) rx0=$(port_rx)
VH_PMD_ARGS="--eth-peer=0,$H1_MAC" vh_testpmd "set fwd txonly
set txpkts 64
start
sleep 1
!nsx br ip link set vt1 down
sleep 1
!nsx br ip link set vt1 up
sleep 1
stop" ",queues=1,mac=$GUEST_MAC" || { tail -20 "$XT_TMP/testpmd.out"; fail "testpmd failed"; }
sleep 1.2
tx=$(grep -A3 'Forward statistics for port 0' "$XT_TMP/testpmd.out" | head -4 |
	grep -o 'TX-packets: *[0-9]*' | grep -o '[0-9]*$')
vtx=$(( $(vh_stat tx_frames) - t0 ))
bridged=$(( $(port_rx) - rx0 ))
retries=$(( $(vh_stat tx_retries) - r0 ))
xt_log "tap down 1 s: testpmd sent $tx, xbr-vhost wrote $vtx after $retries retries, bridge saw $bridged"
[ "$retries" -gt 0 ] || fail "no write failed while the tap was down"
# Retried on a timer (every 100 ms while down), not in a spin.
[ "$retries" -lt 100 ] || fail "$retries writes tried in a second of the tap down: a spin"
[ "$tx" = "$vtx" ] && [ "$vtx" = "$bridged" ] ||
	fail "tap down: testpmd sent $tx, xbr-vhost wrote $vtx, the bridge saw $bridged"
[ "$(vh_stat drops)" = 0 ] || fail "xbr-vhost dropped $(vh_stat drops)"

# Two queue pairs on a multi_queue tap: both carry the guest's frames.
nsx br ip tuntap add dev vt2 mode tap multi_queue || fail "tuntap add vt2"
nsx br ip link set vt2 up
xbr_in br port add br0 vt2 || fail "port add vt2"
SOCK1=$VH_SOCK PID1=$VH_PID VH_SOCK=$XT_TMP/tap2.sock
vh_start_bg br --tap vt2 --queues 2 --socket "$VH_SOCK"
VH_PMD_ARGS="--eth-peer=0,$H1_MAC --txq=2 --rxq=2" vh_testpmd "set fwd txonly
set txpkts 64
start
sleep 2
stop
sleep 1" ",queues=2,mac=52:54:00:00:00:03" || { tail -20 "$XT_TMP/testpmd.out"; fail "testpmd failed"; }
sleep 1.2
tx=$(grep -A4 'Forward statistics for port 0' "$XT_TMP/testpmd.out" | head -5 |
	grep -o 'TX-packets: *[0-9]*' | grep -o '[0-9]*$')
q0=$(vh_stat tx_frames 0) q1=$(vh_stat tx_frames 1)
bridged=$(port_rx vt2)
xt_log "two queues: testpmd sent $tx, xbr-vhost queue 0 $q0, queue 1 $q1, bridge saw $bridged on vt2"
[ "$q0" -gt 0 ] && [ "$q1" -gt 0 ] || fail "both queue pairs must carry frames"
[ $((q0 + q1)) = "$tx" ] && [ "$bridged" = "$tx" ] ||
	fail "two queues: testpmd sent $tx, xbr-vhost wrote $((q0 + q1)), the bridge saw $bridged"
vh_stop
VH_SOCK=$SOCK1 VH_PID=$PID1

# The tap deleted under it: xbr-vhost says so and exits 1.
nsx br ip link del vt1
vh_expect_gone tap "the tap is gone"
exit 0
