#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# A locked max-macs VM (vm1) tries to become the gateway (ext, on the
# uplink): it sends frames from the gateway's MAC while the gateway talks
# to vm2. A MAC live behind another port is never a locked port's to learn:
# vm1's frames are dropped (locked), the gateway's entry stays on the
# uplink, and its traffic is not refused as a spoof. Locking a port that
# already holds more stations than max-macs keeps max-macs of them.
# Modes tc and xdp.
. "$(dirname "$0")/topo.sh"

topo_init lock-claim vm1 vm2 ext

for mode in tc xdp; do
	topo_bridge
	topo_ports "$mode"
	ping_pair ext vm2 || xt_fail "$mode: ext -> vm2"
	# vm1 had three more stations behind it before the lock.
	for s in 02:00:00:00:01:01 02:00:00:00:01:02 02:00:00:00:01:03; do
		nsx vm1 python3 "$PKT" send vif0 --src "$s" --dst ff:ff:ff:ff:ff:ff
	done
	ping_pair vm1 vm2 || xt_fail "$mode: vm1 -> vm2"
	xbr_br port set "$BR" vnet1 locked on mac "${MAC[vm1]}" max-macs 2 ||
		xt_fail "$mode: lock vnet1"
	n=$(xbr_br -j fdb show "$BR" dev vnet1 | jq '[.[] | select(.mac != "'"${MAC[vm1]}"'")] | length')
	[ "$n" -le 2 ] || xt_fail "$mode: locked with max-macs 2, vnet1 still has $n other stations"
	xt_log "ok: $mode: locking kept $n of vm1's 3 extra stations (max-macs 2)"

	nsx ext ping -q -i 0.05 -c 60 "${IP[vm2]}" >"$XT_TMP/ping" 2>&1 &
	ping_pid=$!
	sleep 0.5
	nsx vm1 python3 "$PKT" send vif0 --src "${MAC[ext]}" --dst "${MAC[vm2]}" --count 20 \
		--gap 0.05
	wait $ping_pid
	grep -q ' 0% packet loss' "$XT_TMP/ping" ||
		xt_fail "$mode: the gateway lost frames while vm1 claimed its MAC: $(grep loss "$XT_TMP/ping")"
	[ "$(fdb_field "${MAC[ext]}" dev)" = uplink ] ||
		xt_fail "$mode: the gateway's entry moved to $(fdb_field "${MAC[ext]}" dev)"
	[ "$(pstat vnet1 drops.locked)" -ge 20 ] ||
		xt_fail "$mode: vm1's claims not dropped as locked ($(pstat vnet1 drops.locked))"
	[ "$(pstat uplink drops.mac_spoof)" -eq 0 ] ||
		xt_fail "$mode: the gateway's own frames dropped as spoofs"
	ping_pair vm1 vm2 || xt_fail "$mode: vm1's own MAC stopped working"
	xt_log "ok: $mode: vm1 could not claim the gateway's MAC; the gateway kept talking"
	xbr_br bridge del "$BR" || xt_fail "bridge del"
done
echo PASS
