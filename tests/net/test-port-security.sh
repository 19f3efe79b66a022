#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# Port security through real stacks, in tc and xdp mode: a locked port
# with its MAC and address forwards, and drops (and counts, by reason) a
# changed source MAC, a foreign source address, another port's MAC used
# elsewhere; max-macs learns the first MAC only; flood-limit caps a storm.
. "$(dirname "$0")/topo.sh"

run_mode()
{
	local mode=$1 before

	topo_bridge
	topo_ports "$mode"
	xbr_br port set "$BR" vnet1 locked on mac "${MAC[vm1]}" ip "${IP[vm1]}" ||
		xt_fail "$mode: lock vnet1"
	xbr_br -j port show "$BR" | jq -e '.[] | select(.dev == "vnet1") |
		.locked and (.macs == ["02:00:00:00:00:01"]) and (.ips == ["10.77.0.1"])' \
		>/dev/null || xt_fail "$mode: port show does not show the lock"

	ping_pair vm1 vm2 || xt_fail "$mode: locked vm1 with its own MAC and address"

	# vm1 sends from an address that is not its own.
	nsx vm1 ip addr add 10.77.0.9/24 dev vif0
	nsx vm1 ip neigh flush dev vif0
	! nsx vm1 ping -q -c 2 -W 1 -I 10.77.0.9 "${IP[vm2]}" >/dev/null ||
		xt_fail "$mode: vm1 reached vm2 from a foreign address"
	[ "$(pstat vnet1 drops.ip_spoof)" -gt 0 ] || xt_fail "$mode: ip_spoof not counted"
	nsx vm1 ip addr del 10.77.0.9/24 dev vif0

	# vm1 changes its MAC.
	nsx vm1 ip link set vif0 address 02:00:00:00:00:aa
	! ping_pair vm1 vm2 || xt_fail "$mode: vm1 reached vm2 from a new MAC"
	[ "$(pstat vnet1 drops.locked)" -gt 0 ] || xt_fail "$mode: locked not counted"
	nsx vm1 ip link set vif0 address "${MAC[vm1]}"

	# vm2 (unlocked) borrows vm1's MAC: refused, vm1's entry stays put.
	nsx vm2 ip link set vif0 address "${MAC[vm1]}"
	! ping_pair vm2 vm3 || xt_fail "$mode: vm2 used vm1's MAC"
	[ "$(pstat vnet2 drops.mac_spoof)" -gt 0 ] || xt_fail "$mode: mac_spoof not counted"
	nsx vm2 ip link set vif0 address "${MAC[vm2]}"
	[ "$(fdb_field "${MAC[vm1]}" dev)" = vnet1 ] || xt_fail "$mode: vm1's entry was moved"

	# max-macs 1: vm3's first MAC is learned, a second one is refused.
	xbr_br port set "$BR" vnet3 locked on max-macs 1 || xt_fail "$mode: max-macs"
	ping_pair vm3 vm2 || xt_fail "$mode: vm3's first MAC"
	nsx vm3 ip link set vif0 address 02:00:00:00:00:cc
	nsx vm3 ip neigh flush dev vif0
	! ping_pair vm3 vm2 || xt_fail "$mode: vm3's second MAC passed max-macs 1"
	nsx vm3 ip link set vif0 address "${MAC[vm3]}"

	# flood-limit: 60 broadcasts in well under a second, 10 may flood.
	xbr_br port set "$BR" uplink flood-limit 10 || xt_fail "$mode: flood-limit"
	before=$(pstat uplink flooded)
	nsx ext python3 "$PKT" send vif0 --src "${MAC[ext]}" --dst ff:ff:ff:ff:ff:ff \
		--count 60 --gap 0 >/dev/null
	[ $(($(pstat uplink flooded) - before)) -le 11 ] || xt_fail "$mode: flood-limit not kept"
	[ "$(pstat uplink drops.flood_limit)" -ge 49 ] || xt_fail "$mode: flood_limit not counted"

	# Unlocking restores the old behaviour.
	xbr_br port set "$BR" vnet1 locked off || xt_fail "$mode: unlock"
	nsx vm1 ip link set vif0 address 02:00:00:00:00:aa
	ping_pair vm1 vm2 || xt_fail "$mode: unlocked vm1 with a new MAC"
	nsx vm1 ip link set vif0 address "${MAC[vm1]}"
	xt_log "ok: $mode: lock, ip lock, mac_spoof, max-macs, flood-limit, unlock"
	xbr_br bridge del "$BR" || xt_fail "bridge del"
}

topo_init port-security
run_mode tc
run_mode xdp
echo PASS
