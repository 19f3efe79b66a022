#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# Two queue pairs, xbr-vhost connecting as the client (virtio_user is the
# server here), and a front-end that leaves and comes back: testpmd sends
# on both TX queues, quits, and a second testpmd reconnects and sends
# again. Per queue, xbr-vhost's counts must match what the far end saw.
. "$(dirname "$0")/../lib/net.sh"
. "$(dirname "$0")/lib.sh"
xt_init vhost-mq
vh_need_build sink.bpf.o
vh_hugepages 512
vh_topology 2

run_pmd()
{
	# server=1: virtio_user listens, xbr-vhost (--client) connects.
	vh_testpmd "set fwd txonly
set txpkts 64
start
sleep 2
stop
sleep 1
show port stats 0" ",server=1,queues=2" || {
		tail -20 "$XT_TMP/testpmd.out"; xt_fail "testpmd failed"; }
	grep -A4 'Forward statistics for port 0' "$XT_TMP/testpmd.out" |
		head -5 | grep -o 'TX-packets: *[0-9]*' | grep -o '[0-9]*$'
}

# testpmd must create the socket first; xbr-vhost retries every second.
xt_bg vm "$VH_BIN" $VH_VPORT_ARGS --socket "$VH_SOCK" \
	--queues 2 --client 2>>"$XT_TMP/xbr-vhost.log"
VH_PID=$XT_LAST_PID
tx1=$(VH_PMD_ARGS="--txq=2 --rxq=2" run_pmd)
tx2=$(VH_PMD_ARGS="--txq=2 --rxq=2" run_pmd)
sleep 1.5
q0=$(vh_stat tx_frames 0)
q1=$(vh_stat tx_frames 1)
sink=$(vh_sink_frames)
vh_stop
xt_log "testpmd sessions sent $tx1 + $tx2; xbr-vhost queue 0 $q0, queue 1 $q1; far end $sink"
fail() { cat "$XT_TMP/xbr-vhost.log"; xt_fail "$*"; }
[ -n "$tx1" ] && [ "$tx1" -gt 0 ] && [ -n "$tx2" ] && [ "$tx2" -gt 0 ] ||
	fail "a testpmd session sent nothing"
[ "$q0" -gt 0 ] && [ "$q1" -gt 0 ] || fail "both queue pairs must carry frames"
[ $((q0 + q1)) = $((tx1 + tx2)) ] || fail "testpmd sent $((tx1 + tx2)), xbr-vhost $((q0 + q1))"
[ "$sink" = $((tx1 + tx2)) ] || fail "far end got $sink of $((tx1 + tx2))"
[ "$(grep -c 'front-end connected' "$XT_TMP/xbr-vhost.log")" -ge 2 ] ||
	fail "xbr-vhost did not reconnect"
exit 0
