#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# A port whose driver has no native XDP (a VXLAN overlay uplink): mode auto
# puts tc on it, mode xdp falls back to tc and says so (or refuses with a
# reason), and traffic crosses between veth VMs and the remote end of the
# tunnel either way. Being an uplink, it learns without a cap and is
# trusted for DHCP and RA.
#
#   vm1, vm2 -- br0 (ns br) -- vx0 (VXLAN 42) ~~ underlay ul0 10.77.1.1/30
#                                              ~~ remote ns: ul0 10.77.1.2/30,
#                                                 vx0 10.77.0.200/24
set -e
. "$(dirname "$0")/topo.sh"
topo_init vxlan vm1 vm2
xt_ns remote
xt_veth br ul0 remote ul0
xt_addr br ul0 10.77.1.1/30
xt_addr remote ul0 10.77.1.2/30
nsx br ip link add vx0 type vxlan id 42 local 10.77.1.1 remote 10.77.1.2 dstport 4789 ||
	xt_skip "no VXLAN in this kernel"
nsx remote ip link add vx0 type vxlan id 42 local 10.77.1.2 remote 10.77.1.1 dstport 4789
nsx remote ip link set vx0 address 02:00:00:00:00:c8
xt_addr remote vx0 10.77.0.200/24
nsx br ip link set vx0 up
nsx remote ip link set vx0 up
# The overlay's MTU is 1450: keep the VMs below it.
for h in vm1 vm2; do nsx "$h" ip link set vif0 mtu 1450; done

for mode in auto xdp; do
	topo_bridge
	topo_port vm1 auto
	topo_port vm2 auto
	if err=$(xbr_br port add "$BR" vx0 mode $mode 2>&1); then
		[ -z "$err" ] || xt_log "port add vx0 mode $mode said: $err"
		o=$(xbr_br -j port show "$BR" | jq -c '.[] | select(.dev == "vx0")')
		[ "$(jq -r .tc <<<"$o")" = true ] || xt_fail "mode $mode: vx0 runs no tc: $o"
		# A LAN lives behind a tunnel: no learn cap, trusted for DHCP and RA.
		[ "$(jq -r '"\(.kind) \(.learn_limit) \(.dhcp_server) \(.ra)"' <<<"$o")" = \
			"lan 0 true true" ] || xt_fail "mode $mode: vx0 defaults: $o"
		if [ $mode = xdp ] && [ "$(jq -r .xdp <<<"$o")" = false ]; then
			grep -qi 'vx0' <<<"$err" || xt_fail "mode xdp fell back to tc on vx0 silently"
		fi
		xt_log "ok: mode $mode on vx0: $o"
	else
		[ $mode = xdp ] || xt_fail "port add vx0 mode $mode: $err"
		grep -qi 'vx0' <<<"$err" || xt_fail "refusal does not name vx0: $err"
		! xt_has_xdp br vx0 && ! xt_has_tc br vx0 || xt_fail "refused port add left programs on vx0"
		xt_log "ok: mode xdp refused on vx0: $err"
		xbr_br port add "$BR" vx0 || xt_fail "port add vx0 (auto)"
	fi
	for h in vm1 vm2; do
		xt_ping "$h" 10.77.0.200 3 || xt_fail "mode $mode: $h -> remote over VXLAN"
		xt_ping remote "${IP[$h]}" 3 || xt_fail "mode $mode: remote -> $h over VXLAN"
	done
	ping_pair vm1 vm2 || xt_fail "mode $mode: vm1 -> vm2"
	[ "$(fdb_field 02:00:00:00:00:c8 dev)" = vx0 ] || xt_fail "remote MAC not learned on vx0"
	xt_log "ok: mode $mode: VMs and the remote end talk across the VXLAN port"
	xbr_br bridge del "$BR" || xt_fail "bridge del"
	for h in vm1 vm2 remote; do nsx "$h" ip neigh flush all; done
done
