#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# Backpressure, proved by counting: the guest (testpmd txonly) sends as
# fast as it can into a far end that is made slow (the sink spends
# thousands of loop iterations per frame). Every frame the guest handed
# over must reach the far end -- none dropped by xbr-vhost or by the veth --
# and xbr-vhost must have stalled (left frames in the guest's ring).
. "$(dirname "$0")/../lib/net.sh"
. "$(dirname "$0")/lib.sh"
xt_init vhost-backpressure
vh_need_build xsk_redirect.bpf.o sink.bpf.o
vh_hugepages 512
vh_topology 1
vh_sink_spin "${VH_SPIN:-3000}"
# The far end's NAPI in its own thread: otherwise it runs in xbr-vhost's
# sendto (softirq on exit) and is slow on xbr-vhost's time, not its own.
nsx far sh -c 'echo 1 > /sys/class/net/far0/threaded' || xt_skip "no threaded NAPI"
vh_start

vh_testpmd "set fwd txonly
set txpkts 64
start
sleep 3
stop
sleep 2
show port stats 0" || { tail -20 "$XT_TMP/testpmd.out"; xt_fail "testpmd failed"; }
# Let xbr-vhost finish what the guest queued before testpmd left.
sleep 1
vh_stop

fwd=$(grep -A4 'Forward statistics for port 0' "$XT_TMP/testpmd.out" | head -5)
tx=$(echo "$fwd" | grep -o 'TX-packets: *[0-9]*' | grep -o '[0-9]*$')
refused=$(echo "$fwd" | grep -o 'TX-dropped: *[0-9]*' | grep -o '[0-9]*$')
sink=$(vh_sink_frames)
vtx=$(vh_stat tx_frames)
stalls=$(vh_stat tx_stalls)
retries=$(vh_stat tx_retries)
drops=$(vh_stat drops)
vethdrop=$(nsx far cat /sys/class/net/far0/statistics/rx_dropped)
vmdrop=$(nsx vm cat /sys/class/net/vm0/statistics/tx_dropped)
xt_log "guest handed over $tx (and found its ring full for $refused more)"
xt_log "xbr-vhost sent $vtx, stalled $stalls times, $retries kernel retries, dropped $drops"
xt_log "far end counted $sink; veth drops: far0 rx $vethdrop, vm0 tx $vmdrop"
fail() { cat "$XT_TMP/xbr-vhost.log"; xt_fail "$*"; }
[ -n "$tx" ] && [ "$tx" -gt 0 ] || fail "testpmd sent nothing"
[ "$drops" = 0 ] || fail "xbr-vhost dropped $drops frames"
[ "$tx" = "$vtx" ] || fail "guest handed over $tx, xbr-vhost sent $vtx"
[ "$sink" = "$tx" ] || fail "guest handed over $tx, far end got $sink"
[ "$stalls" -gt 0 ] || fail "far end was not slower than the guest (no stall)"
[ "$refused" -gt 0 ] || fail "the guest never found its ring full"
exit 0
