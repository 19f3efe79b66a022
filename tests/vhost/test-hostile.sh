#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# A hostile front-end/guest against the running daemon: looping chains,
# buffers outside guest memory, bogus descriptor indices and malformed
# messages each break only that device (error eventfd, reason logged) or
# close that connection; xbr-vhost keeps running and serves the next
# front-end, whose 10 frames reach the far end. Last, the vport is deleted
# under it: xbr-vhost must say so and exit with an error.
. "$(dirname "$0")/../lib/net.sh"
. "$(dirname "$0")/lib.sh"
xt_init vhost-hostile
vh_need_build xsk_redirect.bpf.o sink.bpf.o evil_frontend
vh_topology 1
vh_start
evil=$VH_TOOLS/evil_frontend
for mode in loop range index garbage; do
	"$evil" "$VH_SOCK" "$mode" >/dev/null || {
		cat "$XT_TMP/xbr-vhost.log"; xt_fail "mode $mode: xbr-vhost did not react"; }
	kill -0 "$VH_PID" 2>/dev/null || xt_fail "xbr-vhost died on mode $mode"
	xt_log "ok: $mode"
done
grep -q "loops" "$XT_TMP/xbr-vhost.log" || xt_fail "loop not logged"
grep -q "outside guest memory" "$XT_TMP/xbr-vhost.log" || xt_fail "range not logged"
grep -q "descriptor index 99" "$XT_TMP/xbr-vhost.log" || xt_fail "index not logged"
"$evil" "$VH_SOCK" good || { cat "$XT_TMP/xbr-vhost.log"; xt_fail "good front-end not served"; }
sleep 0.2
[ "$(vh_sink_frames)" = 10 ] || xt_fail "far end got $(vh_sink_frames) of 10"
xt_log "ok: the next front-end's 10 frames arrived"

ip -n "$(xt_nsname vm)" link del vm0
for _ in $(seq 30); do kill -0 "$VH_PID" 2>/dev/null || break; sleep 0.1; done
kill -0 "$VH_PID" 2>/dev/null && xt_fail "xbr-vhost still running without its vport"
wait "$VH_PID"
rc=$?
[ "$rc" = 1 ] || xt_fail "xbr-vhost exited with $rc after its vport went away"
grep -q "was the vport deleted" "$XT_TMP/xbr-vhost.log" || xt_fail "no error message"
xt_log "ok: vport deleted: xbr-vhost says so and exits 1"
exit 0
