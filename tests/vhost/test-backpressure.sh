#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# Backpressure through a real vport and bridge, proved by counting: the
# guest (testpmd txonly) sends as fast as it can; xbr-vhost takes a chain
# only when it has a UMEM frame and a TX slot for it, so the guest finds
# its ring full and holds the rest (testpmd's TX-dropped: frames it never
# handed over), and xbr-vhost drops none. Every frame the guest handed
# over is accounted for on the way: received by the far end, or dropped
# by the kernel where the bridge's XDP redirect found the far end's ring
# full (vnet0's tx_dropped), as a full NIC TX ring would. Two rounds: a
# fast far end (nothing may be lost at all), and one slowed on purpose
# (thousands of loop iterations per frame).
. "$(dirname "$0")/../lib/net.sh"
. "$(dirname "$0")/lib.sh"
xt_init vhost-backpressure
vh_need_build sink.bpf.o
vh_hugepages 512
vh_topology 1
vh_start
fail() { cat "$XT_TMP/xbr-vhost.log"; tail -20 "$XT_TMP/testpmd.out"; xt_fail "$*"; }

# round SPIN: one flood; checks and logs the accounting.
round()
{
	local tx refused sink vtx egress drops
	local sink0 vtx0 egress0
	vh_sink_spin "$1"
	sink0=$(vh_sink_frames)
	vtx0=$(vh_stat tx_frames)
	egress0=$(nsx vm cat /sys/class/net/vnet0/statistics/tx_dropped)
	vh_testpmd "set fwd txonly
set txpkts 64
start
sleep 3
stop
sleep 2
show port stats 0" || fail "testpmd failed"
	# Let xbr-vhost finish what the guest queued, the stats file follow.
	sleep 1.5
	fwd=$(grep -A4 'Forward statistics for port 0' "$XT_TMP/testpmd.out" | head -5)
	tx=$(echo "$fwd" | grep -o 'TX-packets: *[0-9]*' | grep -o '[0-9]*$')
	refused=$(echo "$fwd" | grep -o 'TX-dropped: *[0-9]*' | grep -o '[0-9]*$')
	sink=$(( $(vh_sink_frames) - sink0 ))
	vtx=$(( $(vh_stat tx_frames) - vtx0 ))
	egress=$(( $(nsx vm cat /sys/class/net/vnet0/statistics/tx_dropped) - egress0 ))
	drops=$(vh_stat drops)
	xt_log "far end spin $1: guest handed over $tx (found its ring full for $refused more)"
	xt_log "  xbr-vhost sent $vtx, stalled $(vh_stat tx_stalls) times," \
		"$(vh_stat tx_retries) kernel retries, dropped $drops"
	xt_log "  far end counted $sink; dropped by the kernel at the bridge's egress (vnet0 tx_dropped) $egress"
	[ -n "$tx" ] && [ "$tx" -gt 0 ] || fail "testpmd sent nothing"
	[ "$drops" = 0 ] || fail "xbr-vhost dropped $drops frames"
	[ "$tx" = "$vtx" ] || fail "guest handed over $tx, xbr-vhost sent $vtx"
	[ "$refused" -gt 0 ] || fail "the guest never found its ring full"
	[ $((sink + egress)) = "$vtx" ] ||
		fail "xbr-vhost sent $vtx: far end $sink + egress drops $egress = $((sink + egress))"
	LAST_EGRESS=$egress
}

round 0
[ "$LAST_EGRESS" = 0 ] || fail "fast far end: $LAST_EGRESS frames lost on the way"
# The slow far end's NAPI in its own thread: otherwise it runs in
# xbr-vhost's sendto (softirq on exit) and is slow on xbr-vhost's time.
nsx far sh -c 'echo 1 > /sys/class/net/far0/threaded' || xt_skip "no threaded NAPI"
round "${VH_SPIN:-3000}"
vh_stop
exit 0
