#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# The whole path: dpdk-testpmd (virtio_user) -> xbr-vhost -> vport vm1 ->
# bridge br0 -> port vnet1 -> namespace h1, and back. xbr-vhost finds the
# vport's XSKMAP from --bridge/--vport alone. Counted on every side.
. "$(dirname "$0")/../lib/net.sh"
. "$(dirname "$0")/lib.sh"
xt_init vhost-bridge
vh_need_build sink.bpf.o pktsend
vh_hugepages 512
GUEST_MAC=52:54:00:00:00:02
H1_MAC=02:00:00:00:00:01

vh_bridge_h1 "$H1_MAC"
xbr_in br vport add br0 vm1 mac "$GUEST_MAC" || xt_fail "vport add"
# veth pushes back on a full peer only with a qdisc (see lib.sh).
nsx br tc qdisc replace dev vm1 root pfifo_fast

# Clear refusals: a vport that does not exist, more queues than it has.
out=$(nsx br "$VH_BIN" --bridge br0 --vport nope --socket "$XT_TMP/x.sock" 2>&1) &&
	xt_fail "xbr-vhost started on a missing vport"
grep -q "no vport nope" <<<"$out" || xt_fail "missing vport: $out"
out=$(nsx br "$VH_BIN" --bridge br0 --vport vm1 --queues 2 --socket "$XT_TMP/x.sock" 2>&1) &&
	xt_fail "xbr-vhost served 2 queues on a 1-queue vport"
grep -q "has 1 queue(s), cannot serve 2" <<<"$out" || xt_fail "too many queues: $out"
xt_log "ok: missing vport and too many queues refused"

# No --socket: the vport's socket is $XBR_RUN_DIR/br0/vm1.sock.
export XBR_RUN_DIR=$XT_TMP/run
VH_SOCK=$XBR_RUN_DIR/br0/vm1.sock
vh_start_bg br --bridge br0 --vport vm1
vh_tx_then_rx h1 vif0 "$H1_MAC" "$GUEST_MAC"
tx=$VH_TX rx=$VH_RX sent=$VH_SENT
sink=$(vh_sink_frames)
vtx=$(vh_stat tx_frames)
vrx=$(vh_stat rx_frames)
kdrop=$(( $(vh_stat xsk_rx_ring_full) + $(vh_stat xsk_rx_dropped) ))
xt_log "guest TX: testpmd $tx, xbr-vhost $vtx, h1 $sink"
xt_log "guest RX: h1 sent $sent, xbr-vhost $vrx, testpmd $rx; kernel drops $kdrop"
xbr_in br vport show br0 vm1 | sed 's/^/  /'
"$VH_BIN" --stats --bridge br0 --vport vm1 | grep -E 'queue|_frames|drops' | sed 's/^/  /'
fail() { cat "$XT_TMP/xbr-vhost.log"; xt_fail "$*"; }
[ -n "$tx" ] && [ "$tx" -gt 0 ] || fail "testpmd sent nothing"
[ "$tx" = "$vtx" ] || fail "testpmd sent $tx, xbr-vhost took $vtx"
[ "$sink" = "$tx" ] || fail "xbr-vhost sent $vtx, h1 got $sink"
[ "$vrx" = "$rx" ] || fail "xbr-vhost delivered $vrx, testpmd received $rx"
[ "$sent" = $((vrx + kdrop)) ] || fail "h1 sent $sent, xbr-vhost delivered $vrx, kernel dropped $kdrop"
[ "$(vh_stat drops)" = 0 ] || fail "xbr-vhost dropped $(vh_stat drops)"
vh_stop
exit 0
