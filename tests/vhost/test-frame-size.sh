#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# Frame sizes: xbr-vhost carries a guest's frames up to the vport's MTU
# plus their Ethernet header (14 bytes, 18 tagged; at most its 4096-byte
# UMEM frames, and a veth running XDP allows an MTU of at most 3506); a
# larger one is dropped whole and counted (tx_too_big), never cut. DPDK's
# virtio_user sends, by size: 1514 bytes (MTU 1500: carried), 1515 and
# 9000 (5 segments, a descriptor chain: dropped and counted); then with
# every MTU on the path raised to 3000, 3014 bytes (carried) and 3100
# (dropped). The far end counts what arrived. Receiving: 1514-byte frames from the far end reach
# the guest (merged over its buffers as needed).
. "$(dirname "$0")/../lib/net.sh"
. "$(dirname "$0")/lib.sh"
xt_init vhost-frame-size
vh_need_build sink.bpf.o pktsend
vh_hugepages 512
vh_topology 1
vh_start
fail() { cat "$XT_TMP/xbr-vhost.log"; tail -30 "$XT_TMP/testpmd.out"; xt_fail "$*"; }

# send SEGMENTS: a 1 s txonly flood of frames of those segment sizes;
# prints "sent far_end_got too_big".
send()
{
	local sink0 big0 tx
	sink0=$(vh_sink_frames)
	big0=$(vh_stat tx_too_big)
	vh_testpmd "set fwd txonly
set txpkts $1
start
sleep 1
stop
sleep 1" ",queues=1" || fail "testpmd failed"
	sleep 1.5
	tx=$(grep -A3 'Forward statistics for port 0' "$XT_TMP/testpmd.out" | head -4 |
		grep -o 'TX-packets: *[0-9]*' | grep -o '[0-9]*$')
	echo "$tx $(( $(vh_sink_frames) - sink0 )) $(( $(vh_stat tx_too_big) - big0 ))"
}

# expect SEGMENTS carried|dropped
expect()
{
	local tx got big size
	size=$(echo "$1" | tr , '\n' | awk '{ s += $1 } END { print s }')
	read -r tx got big < <(send "$1")
	xt_log "$size-byte frames ($1): guest sent $tx, far end got $got, xbr-vhost dropped $big as too big"
	[ -n "$tx" ] && [ "$tx" -gt 0 ] || fail "testpmd sent no $size-byte frame"
	if [ "$2" = carried ]; then
		[ "$got" = "$tx" ] && [ "$big" = 0 ] || fail "$size-byte frames not all carried"
	else
		[ "$big" = "$tx" ] && [ "$got" = 0 ] || fail "$size-byte frames not dropped and counted"
	fi
}

grep -q "vm0: MTU 1500, frames up to 1514 bytes" "$XT_TMP/xbr-vhost.log" ||
	fail "xbr-vhost did not say its limit"
expect 1514 carried
expect 1515 dropped
expect 1800,1800,1800,1800,1800 dropped
for dev in vm0 vm0-br vnet0; do nsx vm ip link set "$dev" mtu 3000 || fail "mtu 3000 on $dev"; done
nsx far ip link set far0 mtu 3000
sleep 1.5	# xbr-vhost reads the MTU once a second
grep -q "vm0: MTU 3000, frames up to 3014 bytes" "$XT_TMP/xbr-vhost.log" ||
	fail "xbr-vhost did not follow the MTU"
expect 1500,1514 carried
expect 1600,1500 dropped

# Receiving: full-size frames from the far end reach the guest.
vh_testpmd "set fwd rxonly
start
!nsx far $VH_TOOLS/pktsend far0 2000 1514 >$XT_TMP/pktsend.out
sleep 1
stop
show port stats 0" ",queues=1" || fail "testpmd failed"
sleep 1.2
rx=$(vh_pmd_stat RX-packets)
kdrop=$(( $(vh_stat xsk_rx_ring_full) + $(vh_stat xsk_rx_dropped) ))
xt_log "1514-byte frames to the guest: far end sent $(cat "$XT_TMP/pktsend.out"), guest got $rx, kernel dropped $kdrop"
[ "$(cat "$XT_TMP/pktsend.out")" = $((rx + kdrop)) ] && [ "$rx" -gt 0 ] ||
	fail "1514-byte frames lost on the way to the guest"
[ "$(vh_stat rx_too_big)" = 0 ] || fail "xbr-vhost found $(vh_stat rx_too_big) frames too big for the guest"
vh_stop
exit 0
