#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# A VM restarts: its port's netdev vanishes and a new one with the same
# name appears, and the operator's hook runs the same `port add` again.
# The re-add succeeds, the port is listed once (up), and traffic for the
# VM's MAC reaches the new port at once, even before the VM speaks: FDB
# entries of a vanished port must not black-hole its stations (the Linux
# bridge flushes them when the port goes away).
set -e
# Once per mode, each run with its own namespaces (this test deletes some).
if [ -z "${XT_MODE:-}" ]; then
	for m in auto xdp; do
		echo "== mode $m"
		XT_MODE=$m bash "$0" || exit
	done
	exit 0
fi
. "$(dirname "$0")/topo.sh"
topo_init vmrestart
topo_bridge
topo_ports "$XT_MODE"
ping_all
topo_quiet

# vm2 "stops": its namespace, and with it vnet2, disappear.
ip netns del "$(xt_nsname vm2)"
xt_wait 5 sh -c "! ip -n $(xt_nsname br) link show dev vnet2" || xt_fail "vnet2 still exists"
[ "$(xbr_br -j port show "$BR" | jq -r '.[] | select(.dev == "vnet2") | .state')" = gone ] ||
	xt_fail "vnet2 not shown as gone"

# vm2 "starts" again: same MAC, same port name, new netdev.
xt_ns vm2
xt_veth br vnet2 vm2 vif0 "${MAC[vm2]}"
xt_addr vm2 vif0 "${IP[vm2]}/24"
for h in vm1 vm3 ext; do
	nsx vm2 ip neigh replace "${IP[$h]}" lladdr "${MAC[$h]}" nud permanent dev vif0
done
xbr_br port add "$BR" vnet2 || xt_fail "port add of the restarted VM's vnet2"
n=$(xbr_br -j port show "$BR" | jq '[.[] | select(.dev == "vnet2")] | length')
st=$(xbr_br -j port show "$BR" | jq -c '[.[] | select(.dev == "vnet2") | .state]')
[ "$n" = 1 ] || xt_fail "vnet2 listed $n times after the re-add: $st"
[ "$st" = '["up"]' ] || xt_fail "re-added vnet2 state $st"
xt_log "ok: re-added vnet2 listed once, up"

k=$(rx vm2)
send_raw vm1 "${MAC[vm2]}" --count 5	# vm2 has not spoken since it came back
sleep 0.3
[ $(( $(rx vm2) - k )) -ge 5 ] ||
	xt_fail "frames for vm2's MAC did not reach the new vnet2 (got $(( $(rx vm2) - k )) of 5); FDB: $(fdb_entry "${MAC[vm2]}")"
xt_log "ok: traffic for the restarted VM reaches its new port before it speaks"
ping_all
