#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# A front-end that dies mid-traffic (kill -9 of testpmd while it sends as
# fast as it can): xbr-vhost must notice, drop the guest's memory and
# rings, keep running, and serve the next front-end with exact counts.
. "$(dirname "$0")/../lib/net.sh"
. "$(dirname "$0")/lib.sh"
xt_init vhost-crash
vh_need_build sink.bpf.o
vh_hugepages 512
vh_topology 1
vh_start

mkfifo "$XT_TMP/pmd.in"
exec 8<>"$XT_TMP/pmd.in"
dpdk-testpmd -l 0,1 --main-lcore 0 --no-pci --huge-dir "$VH_HUGE" -m 256 \
	--file-prefix "xbrvhc$$" --single-file-segments \
	--vdev "net_virtio_user0,path=$VH_SOCK,queues=1" \
	-- -i --nb-cores=1 <&8 >"$XT_TMP/victim.out" 2>&1 &
victim=$!
XT_PIDS+=("$victim")
sleep 2
printf 'set fwd txonly\nstart\n' >&8
sleep 2
kill -9 "$victim"
wait "$victim" 2>/dev/null
sleep 0.5
kill -0 "$VH_PID" 2>/dev/null || { cat "$XT_TMP/xbr-vhost.log"; xt_fail "xbr-vhost died with its front-end"; }
grep -q "front-end disconnected" "$XT_TMP/xbr-vhost.log" || xt_fail "disconnect not noticed"
sleep 1.2
before_x=$(vh_stat tx_frames)
before_s=$(vh_sink_frames)
[ "$before_x" -gt 0 ] || xt_fail "the killed front-end sent nothing"
xt_log "killed testpmd after $before_x frames; xbr-vhost still running"

vh_testpmd "set fwd txonly
set txpkts 64
start
sleep 2
stop
sleep 1" || { tail -20 "$XT_TMP/testpmd.out"; xt_fail "second testpmd failed"; }
sleep 1.2
tx=$(grep -A3 'Forward statistics for port 0' "$XT_TMP/testpmd.out" | head -4 |
	grep -o 'TX-packets: *[0-9]*' | grep -o '[0-9]*$')
vtx=$(( $(vh_stat tx_frames) - before_x ))
sink=$(( $(vh_sink_frames) - before_s ))
xt_log "next front-end: testpmd $tx, xbr-vhost $vtx, far end $sink"
[ -n "$tx" ] && [ "$tx" -gt 0 ] || xt_fail "second testpmd sent nothing"
[ "$tx" = "$vtx" ] && [ "$tx" = "$sink" ] || { cat "$XT_TMP/xbr-vhost.log"; xt_fail "counts differ"; }
exit 0
