#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# A hostile front-end/guest against the running daemon: looping chains,
# buffers outside guest memory, bogus descriptor indices, an indirect table
# larger than the ring and malformed messages each break only that device
# (error eventfd, reason logged, chain counted in tx_ring_errors) or close
# that connection; memory tables with the wrong number of fds leak none; a
# region larger than its file is refused (mapping it would end in SIGBUS);
# xbr-vhost keeps running and serves the next front-end, whose 10 frames
# reach the far end. Last, the vport is deleted under it: xbr-vhost must
# say so and exit with an error.
. "$(dirname "$0")/../lib/net.sh"
. "$(dirname "$0")/lib.sh"
xt_init vhost-hostile
vh_need_build sink.bpf.o evil_frontend
vh_topology 1
vh_start
evil=$VH_TOOLS/evil_frontend
fds() { ls "/proc/$VH_PID/fd" | wc -l; }
fds_before=$(fds)
for mode in loop range index indirect garbage fds sigbus; do
	"$evil" "$VH_SOCK" "$mode" >/dev/null || {
		cat "$XT_TMP/xbr-vhost.log"; xt_fail "mode $mode: xbr-vhost did not react"; }
	kill -0 "$VH_PID" 2>/dev/null || { cat "$XT_TMP/xbr-vhost.log"; xt_fail "xbr-vhost died on mode $mode"; }
	xt_log "ok: $mode"
done
sleep 0.2	# the last front-end's disconnect
fds_after=$(fds)
[ "$fds_after" = "$fds_before" ] ||
	xt_fail "xbr-vhost holds $fds_after fds after the hostile front-ends, $fds_before before"
xt_log "ok: xbr-vhost holds $fds_after fds, as before ($fds_before)"
grep -q "loops" "$XT_TMP/xbr-vhost.log" || xt_fail "loop not logged"
grep -q "outside guest memory" "$XT_TMP/xbr-vhost.log" || xt_fail "range not logged"
grep -q "descriptor index 99" "$XT_TMP/xbr-vhost.log" || xt_fail "index not logged"
grep -q "indirect table of 61440 descriptors, ring size 8" "$XT_TMP/xbr-vhost.log" ||
	xt_fail "oversized indirect table not logged"
grep -q "ends past the end of its file" "$XT_TMP/xbr-vhost.log" ||
	xt_fail "region past its file not logged"
kill -USR1 "$VH_PID"
sleep 0.2
[ "$(vh_stat tx_ring_errors)" = 4 ] ||
	xt_fail "tx_ring_errors $(vh_stat tx_ring_errors), want 4 (loop, range, index, indirect)"
xt_log "ok: 4 chains that broke the ring counted (tx_ring_errors)"
"$evil" "$VH_SOCK" good || { cat "$XT_TMP/xbr-vhost.log"; xt_fail "good front-end not served"; }
sleep 0.2
[ "$(vh_sink_frames)" = 10 ] || xt_fail "far end got $(vh_sink_frames) of 10"
xt_log "ok: the next front-end's 10 frames arrived"

xbr_in vm vport del br0 vm0 2>/dev/null
vh_expect_gone vport "was the vport deleted"
exit 0
