#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# A real tap port, as QEMU would use it: the test opens /dev/net/tun in the
# bridge namespace (IFF_TAP|IFF_NO_PI) and plays the VM (tests/net/pkt.py
# tap): it resolves and pings the others and answers their pings, with the
# tap in mode auto, tc and xdp. Then the "VM" exits, its tap vanishes: the
# port shows as gone and the others keep forwarding.
set -e
. "$(dirname "$0")/topo.sh"
topo_init tap
topo_bridge
topo_ports auto

TAP=xtap0 TMAC=02:00:00:00:00:50 TIP=10.77.0.50
coproc VM { exec ip netns exec "$(xt_nsname br)" python3 -u "$PKT" tap $TAP --mac $TMAC --ip $TIP 2>&1; }
XT_PIDS+=("$VM_PID")
read -r -t 10 -u "${VM[0]}" line || xt_fail "tap helper did not start"
[ "$line" = ready ] || xt_fail "tap helper: $line"
nsx br ip link set $TAP up

# vm COMMAND: one command to the tap "VM"; its answer is left in $reply.
# (Not in a subshell: bash does not pass coproc descriptors to those.)
vm()
{
	echo "$*" >&"${VM[1]}"
	read -r -t 20 -u "${VM[0]}" reply || xt_fail "tap helper silent after '$*'"
}

for mode in auto tc xdp; do
	xbr_br port add "$BR" $TAP mode $mode || xt_fail "port add $TAP mode $mode"
	for h in vm1 ext; do
		vm ping "${IP[$h]}" 3
		[ "$reply" = "ok 3" ] || xt_fail "mode $mode: tap VM -> $h: $reply"
		nsx "$h" ip neigh flush dev vif0
		xt_ping "$h" $TIP 3 || xt_fail "mode $mode: $h -> tap VM"
	done
	[ "$(fdb_field $TMAC dev)" = $TAP ] || xt_fail "mode $mode: $TMAC not learned on $TAP"
	xt_log "ok: mode $mode: the tap VM and vm1/ext ping each other"
	# Broadcast from a veth VM reaches the tap.
	vm count
	c0=${reply#count }
	nsx vm2 python3 "$PKT" arp vif0 --src "${MAC[vm2]}" --sip "${IP[vm2]}" --tip 10.77.0.99 --count 5
	sleep 0.3
	vm count
	c1=${reply#count }
	[ $((c1 - c0)) -ge 5 ] || xt_fail "mode $mode: tap read $((c1 - c0)) of 5 broadcasts"
	xt_log "ok: mode $mode: broadcasts flood into the tap"
	if [ $mode != xdp ]; then
		xbr_br port del "$BR" $TAP || xt_fail "port del $TAP"
	fi
done

# The VM goes away: its tap disappears under xbr.
echo quit >&"${VM[1]}"
wait "$VM_PID" 2>/dev/null || true
xt_wait 5 sh -c "! ip -n $(xt_nsname br) link show dev $TAP" || xt_fail "tap still there"
st=$(xbr_br -j port show "$BR" | jq -r --arg d $TAP '.[] | select(.dev == $d) | .state')
[ "$st" = gone ] || xt_fail "vanished tap shown as state '$st'"
xt_log "ok: vanished tap shown as gone"
ping_all
xt_log "ok: the others still forward"
xbr_br port del "$BR" $TAP || xt_fail "port del of the gone tap"
[ -z "$(xbr_br -j port show "$BR" | jq -r --arg d $TAP '.[] | select(.dev == $d)')" ] ||
	xt_fail "gone tap still listed after port del"
xt_log "ok: gone port removed"
