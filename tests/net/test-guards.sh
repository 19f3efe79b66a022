#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# First-hop guards: a locked VM (vm1) plays the network's DHCP server and
# router. Its DHCPv4 offers and IPv6 Router Advertisements reach no other
# VM and are counted (dhcp_server, ra) until its port is trusted for them
# (dhcp-server on, ra on); an unlocked port's pass (the guards belong to
# the lock). vm2 and vm3 count only vm1's frames of each kind. Modes tc
# and xdp.
. "$(dirname "$0")/topo.sh"

topo_init guards vm1 vm2 vm3

# rogue N: vm1 sends N offers and N RAs; sets V4 and V6 to what vm2 and vm3
# received of them (each host's count, summed).
rogue()
{
	local h
	for h in vm2 vm3; do count_start "$h" 1.5 --src "${MAC[vm1]}" --type 0x0800; done
	nsx vm1 python3 "$PKT" dhcp-offer vif0 --src "${MAC[vm1]}" --count "$1"
	count_wait
	V4=$(( $(count_of vm2) + $(count_of vm3) ))
	for h in vm2 vm3; do count_start "$h" 1.5 --src "${MAC[vm1]}" --type 0x86dd; done
	nsx vm1 python3 "$PKT" ra vif0 --src "${MAC[vm1]}" --count "$1"
	count_wait
	V6=$(( $(count_of vm2) + $(count_of vm3) ))
}

for mode in tc xdp; do
	topo_bridge
	topo_ports "$mode"
	ping_pair vm1 vm2 || xt_fail "$mode: vm1 -> vm2"

	rogue 5
	[ "$V4" -eq 10 ] && [ "$V6" -eq 10 ] ||
		xt_fail "$mode: unlocked vm1: offers/RAs should reach both (got $V4, $V6 of 10)"
	xt_log "ok: $mode: an unlocked port's DHCP offers and RAs pass"

	xbr_br port set "$BR" vnet1 locked on mac "${MAC[vm1]}" || xt_fail "lock vnet1"
	rogue 5
	[ "$V4" -eq 0 ] && [ "$V6" -eq 0 ] ||
		xt_fail "$mode: locked vm1: rogue offers/RAs reached the VMs ($V4, $V6)"
	[ "$(pstat vnet1 drops.dhcp_server)" -eq 5 ] && [ "$(pstat vnet1 drops.ra)" -eq 5 ] ||
		xt_fail "$mode: drops not counted: $(xbr_br -j stats "$BR" dev vnet1 | jq -c .[0].drops)"
	ping_pair vm1 vm2 || xt_fail "$mode: locked vm1 cannot ping any more"
	xt_log "ok: $mode: a locked port's rogue DHCP offers and RAs are dropped and counted"

	xbr_br port set "$BR" vnet1 dhcp-server on || xt_fail "dhcp-server on"
	rogue 3
	[ "$V4" -eq 6 ] && [ "$V6" -eq 0 ] ||
		xt_fail "$mode: dhcp-server on: offers $V4 of 6, RAs $V6 of 0"
	xbr_br port set "$BR" vnet1 ra on || xt_fail "ra on"
	rogue 3
	[ "$V4" -eq 6 ] && [ "$V6" -eq 6 ] || xt_fail "$mode: ra on: offers $V4, RAs $V6 of 6"
	xbr_br -j port show "$BR" | jq -e '.[] | select(.dev == "vnet1") |
		.dhcp_server and .ra and .locked' >/dev/null || xt_fail "port show misses the trust"
	xt_log "ok: $mode: a trusted port's offers and RAs pass"
	xbr_br bridge del "$BR" || xt_fail "bridge del"
done
echo PASS
