#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# `xbr bridge reload br0`, three times during a 2000-packet ping flood (one
# every 2 ms), loses no packet and keeps the FDB and the counters; in mode
# auto, mode xdp and a bridge mixing xdp and tc ports; a TCP stream
# (default offloads) across three reloads completes without checksum errors.
set -e
. "$(dirname "$0")/topo.sh"
topo_init reload vm1 vm2 vm3

csum_errors() { nsx "$1" awk '/^Tcp:/ { if (!h) { for (i = 1; i <= NF; i++) if ($i == "InCsumErrors") c = i; h = 1 } else print $c }' /proc/net/snmp; }

for mode in auto xdp mixed; do
	topo_bridge
	if [ $mode = mixed ]; then
		topo_port vm1 xdp
		topo_port vm2 tc
		topo_port vm3 xdp
	else
		topo_ports "$mode"
	fi
	ping_all
	rx0=$(pstat vnet1 rx_packets)
	fdb0=$(xbr_br -j fdb show "$BR" | jq -c 'map({mac, dev}) | sort_by(.mac)')
	xdp0=$(ip -n "$(xt_nsname br)" -j link show dev vnet1 | jq -c '.[0].xdp.prog.id // .[0].xdp')

	out=$XT_TMP/ping-$mode
	nsx vm1 ping -q -i 0.002 -c 2000 -W 2 "${IP[vm2]}" >"$out" 2>&1 &
	pp=$!
	XT_PIDS+=("$pp")
	for i in 1 2 3; do
		sleep 0.7
		xbr_br bridge reload "$BR" || xt_fail "mode $mode: reload $i failed"
	done
	wait "$pp" || true
	cat "$out"
	grep -Eq '^2000 packets transmitted, 2000 received' "$out" ||
		xt_fail "mode $mode: ping flood lost packets across reloads: $(grep transmitted "$out")"
	xt_log "ok: mode $mode: 3 reloads under a 2000-packet flood, no loss"

	fdb1=$(xbr_br -j fdb show "$BR" | jq -c 'map({mac, dev}) | sort_by(.mac)')
	for h in "${HOSTS[@]}"; do
		jq -e --arg m "${MAC[$h]}" --arg d "${PORT[$h]}" 'any(.[]; .mac == $m and .dev == $d)' <<<"$fdb1" >/dev/null ||
			xt_fail "mode $mode: reload lost ${MAC[$h]}: before $fdb0 after $fdb1"
	done
	rx1=$(pstat vnet1 rx_packets)
	[ "$rx1" -ge $((rx0 + 2000)) ] || xt_fail "mode $mode: vnet1 rx_packets $rx0 -> $rx1 (reset by reload?)"
	xdp1=$(ip -n "$(xt_nsname br)" -j link show dev vnet1 | jq -c '.[0].xdp.prog.id // .[0].xdp')
	xt_log "ok: mode $mode: FDB and counters kept ($rx0 -> $rx1); vnet1 XDP prog $xdp0 -> $xdp1"
	[ "$mode" = auto ] || [ "$xdp1" != null ] || xt_fail "mode $mode: no XDP on vnet1 after reload"

	if [ $mode != xdp ] && command -v iperf3 >/dev/null; then
		e0=$(csum_errors vm2)
		xt_bg vm2 iperf3 -s -1 -B "${IP[vm2]}" -p 5299
		xt_wait 5 nsx vm2 sh -c "ss -ltn | grep -q ':5299 '" || xt_fail "iperf3 server"
		nsx vm1 timeout 30 iperf3 -c "${IP[vm2]}" -p 5299 -t 4 -J >"$XT_TMP/tcp-$mode" &
		cp=$!
		XT_PIDS+=("$cp")
		for i in 1 2 3; do
			sleep 0.8
			xbr_br bridge reload "$BR" || xt_fail "mode $mode: reload $i under TCP"
		done
		wait "$cp" || xt_fail "mode $mode: iperf3 across reloads failed: $(jq -r '.error // empty' "$XT_TMP/tcp-$mode")"
		bytes=$(jq '.end.sum_received.bytes' "$XT_TMP/tcp-$mode")
		[ "$bytes" -gt 1000000 ] || xt_fail "mode $mode: TCP across reloads moved $bytes bytes"
		[ "$(csum_errors vm2)" = "$e0" ] || xt_fail "mode $mode: TCP checksum errors across reloads"
		xt_log "ok: mode $mode: TCP stream across 3 reloads: $(jq '.end.sum_received.bits_per_second / 1e9 * 100 | floor / 100' "$XT_TMP/tcp-$mode") Gbit/s, retransmits $(jq '.end.sum_sent.retransmits' "$XT_TMP/tcp-$mode")"
	fi
	xbr_br bridge del "$BR" || xt_fail "bridge del"
done
