#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# A real front-end that is not ours: DPDK's virtio_user (dpdk-testpmd)
# sends through xbr-vhost and the vport to a namespace, then receives from
# it; the counts of testpmd, xbr-vhost and the far end must all match.
# With VH_VDEV_ARGS=",packed_vq=1" (test-testpmd-packed.sh) on packed rings.
. "$(dirname "$0")/../lib/net.sh"
. "$(dirname "$0")/lib.sh"
xt_init vhost-testpmd
vh_need_build sink.bpf.o pktsend
vh_hugepages 512
vh_topology 1
vh_start

# Guest -> far: txonly for 2 s. testpmd's "TX-packets" counts frames the
# virtio ring accepted, i.e. handed to xbr-vhost.
vh_testpmd "set fwd txonly
set txpkts 64
start
sleep 2
stop
sleep 1
show port stats 0
set fwd rxonly
start
!nsx far $VH_TOOLS/pktsend far0 20000 64 >$XT_TMP/pktsend.out
sleep 1
stop
show port stats 0" || { tail -20 "$XT_TMP/testpmd.out"; xt_fail "testpmd failed"; }
sleep 1
vh_stop

tx=$(grep -A3 'Forward statistics for port 0' "$XT_TMP/testpmd.out" | head -4 |
	grep -o 'TX-packets: *[0-9]*' | grep -o '[0-9]*$')
rx=$(vh_pmd_stat RX-packets)
sink=$(vh_sink_frames)
vtx=$(vh_stat tx_frames)
vrx=$(vh_stat rx_frames)
sent=$(cat "$XT_TMP/pktsend.out")
drops=$(vh_stat drops)
kdrop=$(( $(vh_stat xsk_rx_ring_full) + $(vh_stat xsk_rx_dropped) ))
xt_log "guest TX: testpmd $tx, xbr-vhost $vtx, far end $sink"
xt_log "guest RX: far sent $sent, xbr-vhost $vrx, testpmd $rx; kernel drops $kdrop"
fail() { cat "$XT_TMP/xbr-vhost.log"; tail -30 "$XT_TMP/testpmd.out"; xt_fail "$*"; }
[ -n "$tx" ] && [ "$tx" -gt 0 ] || fail "testpmd sent nothing"
[ "$tx" = "$vtx" ] || fail "testpmd sent $tx, xbr-vhost took $vtx"
[ "$tx" = "$sink" ] || fail "xbr-vhost sent $vtx, far end got $sink"
[ "$vrx" = "$rx" ] || fail "xbr-vhost delivered $vrx, testpmd received $rx"
# Frames that found no guest buffer are the kernel's to count, not lost.
[ "$sent" = $((vrx + kdrop)) ] || fail "far end sent $sent, xbr-vhost delivered $vrx, kernel dropped $kdrop"
xt_log "rx_no_buffers $(vh_stat rx_no_buffers) fill_empty $(vh_stat xsk_fill_empty) ring_full $(vh_stat xsk_rx_ring_full) rx_batches $(vh_stat rx_batches)"
[ "$(vh_stat drops)" = 0 ] || fail "xbr-vhost dropped $(vh_stat drops)"
vh_check_layout
exit 0
