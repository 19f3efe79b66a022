#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# Two tenants on different VLANs over one trunk uplink, in tc and in xdp
# mode: each tenant reaches its own peers and its own VLAN on the trunk,
# never the other tenant (same subnet, same far-end address per VLAN), and a
# tagged frame hopping VLANs from an access port is dropped and counted.
# The trunk's far end is an AF_PACKET host (this kernel has no 8021q).
. "$(dirname "$0")/topo.sh"

TRUNK=$xt_root/tests/lib/trunkhost.py

run_mode()
{
	local mode=$1 v10 v20 out

	# vm1, vm3: tenant A on VLAN 10; vm2: tenant B on VLAN 20; ext: trunk.
	xbr_br bridge add "$BR" || xt_fail "bridge add"
	for h in "${HOSTS[@]}"; do
		topo_port "$h" "$mode"
	done
	xbr_br vlan add "$BR" dev vnet1 vid 10 pvid untagged || xt_fail "vlan add vnet1"
	xbr_br vlan add "$BR" dev vnet3 vid 10 pvid untagged || xt_fail "vlan add vnet3"
	xbr_br vlan add "$BR" dev vnet2 vid 20 pvid untagged || xt_fail "vlan add vnet2"
	xbr_br vlan add "$BR" dev uplink vid 10-20 || xt_fail "vlan add uplink"
	for p in vnet1 vnet2 vnet3 uplink; do
		xbr_br vlan del "$BR" dev $p vid 1 || xt_fail "vlan del $p vid 1"
	done
	xbr_br -j vlan show "$BR" | jq -e '.[] | select(.dev == "uplink") | .vlans | length == 11' \
		>/dev/null || xt_fail "uplink should carry vids 10-20"

	nsx ext ip addr flush dev vif0
	nsx ext python3 "$TRUNK" vif0 --vlan 10=10.77.0.254 --vlan 20=10.77.0.254 \
		--duration 8 >"$XT_TMP/trunk-$mode" &
	local trunk_pid=$!
	sleep 0.5

	ping_pair vm1 vm3 || xt_fail "$mode: vm1 -> vm3 (both VLAN 10)"
	! ping_pair vm1 vm2 || xt_fail "$mode: vm1 reached vm2 across VLANs"
	! ping_pair vm2 vm3 || xt_fail "$mode: vm2 reached vm3 across VLANs"
	xt_ping vm1 10.77.0.254 || xt_fail "$mode: vm1 -> trunk host on VLAN 10"
	xt_ping vm2 10.77.0.254 || xt_fail "$mode: vm2 -> trunk host on VLAN 20"
	# Each tenant resolved the far end's per-VLAN MAC: VLAN 10's, VLAN 20's.
	nsx vm1 ip neigh show 10.77.0.254 | grep -q 02:00:00:00:0f:0a ||
		xt_fail "$mode: vm1 got an answer from outside VLAN 10"
	nsx vm2 ip neigh show 10.77.0.254 | grep -q 02:00:00:00:0f:14 ||
		xt_fail "$mode: vm2 got an answer from outside VLAN 20"

	# VLAN hopping: vm2 writes frames tagged 10 on its access port.
	nsx vm2 python3 "$TRUNK" vif0 --send-tagged 10 --src-mac "${MAC[vm2]}" --count 5 \
		>/dev/null
	wait $trunk_pid
	out=$(cat "$XT_TMP/trunk-$mode")
	xt_log "$mode trunk host: $(tr '\n' ';' <<<"$out")"
	v10=$(awk '$2 == 10 {print $4 + $6}' <<<"$out")
	v20=$(awk '$2 == 20 {print $4 + $6}' <<<"$out")
	[ "${v10:-0}" -gt 0 ] && [ "${v20:-0}" -gt 0 ] || xt_fail "$mode: trunk answered too little"
	! grep -q '^vlan 0 ' <<<"$out" || xt_fail "$mode: untagged frames reached the trunk"
	[ "$(pstat vnet2 drops.vlan)" -ge 5 ] || xt_fail "$mode: VLAN hopping not counted"

	# The FDB is per VLAN.
	[ "$(fdb_field "${MAC[vm1]}" vlan)" = 10 ] || xt_fail "$mode: vm1 learned outside VLAN 10"
	[ "$(fdb_field "${MAC[vm2]}" vlan)" = 20 ] || xt_fail "$mode: vm2 learned outside VLAN 20"
	xt_log "ok: $mode: tenants isolated, trunk per VLAN, hopping dropped"
	xbr_br bridge del "$BR" || xt_fail "bridge del"
}

topo_init vlan
run_mode tc
run_mode xdp
echo PASS
