#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# MTU: jumbo frames (MTU 9000 on vm1, vm2 and their ports) cross the bridge
# in every mode; a frame larger than the egress port's MTU (vnet3: 1500) is
# not sent and is counted as a drop; frames that fit still are. A port
# whose MTU XDP cannot take (mode xdp on a 9000-byte veth) either works
# another way or is refused with a reason, leaving nothing attached.
set -e
. "$(dirname "$0")/topo.sh"
topo_init mtu vm1 vm2 vm3
for h in vm1 vm2; do
	nsx "$h" ip link set vif0 mtu 9000
	nsx br ip link set "${PORT[$h]}" mtu 9000
done

drops() { xbr_br -j stats "$BR" | jq '[.[].drops | to_entries[] | select(.key | test("mtu"; "i")) | .value] | add // 0'; }

for mode in auto tc xdp; do
	topo_bridge
	for h in "${HOSTS[@]}"; do
		if [ "$mode" = xdp ]; then
			xt_gro_on "$h" vif0
			if ! err=$(xbr_br port add "$BR" "${PORT[$h]}" mode xdp 2>&1); then
				xt_log "mode xdp refused on ${PORT[$h]} (MTU $(nsx br cat /sys/class/net/${PORT[$h]}/mtu)): $err"
				grep -q "${PORT[$h]}" <<<"$err" || xt_fail "refusal does not name ${PORT[$h]}: $err"
				! xt_has_xdp br "${PORT[$h]}" && ! xt_has_tc br "${PORT[$h]}" ||
					xt_fail "refused port add left programs on ${PORT[$h]}"
				topo_port "$h" auto
			fi
		else
			topo_port "$h" "$mode"
		fi
	done
	xt_log "== mode $mode: $(xbr_br -j port show "$BR" | jq -c 'map({dev, mode, xdp, tc})')"
	nsx vm1 ping -q -c 3 -i 0.2 -W 1 -M do -s 8000 "${IP[vm2]}" >/dev/null ||
		xt_fail "mode $mode: 8000-byte ping vm1 -> vm2 (MTU 9000 path)"
	nsx vm2 ping -q -c 3 -i 0.2 -W 1 -M do -s 8000 "${IP[vm1]}" >/dev/null ||
		xt_fail "mode $mode: 8000-byte ping vm2 -> vm1"
	xt_log "ok: mode $mode: jumbo frames cross"
	if [ "$mode" = xdp ] && [ "$(xbr_br -j port show "$BR" | jq '[.[] | select(.dev == "vnet1" or .dev == "vnet2") | .xdp] | all')" = true ]; then
		# Multi-buffer XDP: the 8000-byte frames went by XDP redirect, none
		# was handed to tc.
		h=$(xbr_br -j stats "$BR" | jq '[.[] | select(.dev == "vnet1" or .dev == "vnet2") | .handoffs] | add')
		[ "$h" -eq 0 ] || xt_fail "mode xdp: $h jumbo frames went through tc, not XDP"
		xt_log "ok: mode xdp: jumbo frames forwarded by multi-buffer XDP"
	fi
	nsx vm1 ping -q -c 2 -i 0.2 -W 1 -M do -s 1400 "${IP[vm3]}" >/dev/null ||
		xt_fail "mode $mode: 1400-byte ping vm1 -> vm3"
	topo_quiet	# no ARP probes in the count below
	d0=$(drops)
	k0=$(rx vm3)
	! nsx vm1 ping -q -c 3 -i 0.2 -W 1 -M do -s 3000 "${IP[vm3]}" >/dev/null ||
		xt_fail "mode $mode: 3000-byte ping reached vm3 through a 1500-byte port"
	d1=$(drops)
	[ $(( $(rx vm3) - k0 )) -eq 0 ] || xt_fail "mode $mode: vm3 received $(( $(rx vm3) - k0 )) frames during the oversized ping"
	[ $((d1 - d0)) -ge 3 ] || xt_fail "mode $mode: oversized frames not counted as MTU drops ($d0 -> $d1): $(xbr_br -j stats "$BR" | jq -c 'map({dev, drops})')"
	xt_log "ok: mode $mode: frames over vnet3's MTU dropped and counted ($d0 -> $d1)"
	xbr_br bridge del "$BR" || xt_fail "bridge del"
	for h in "${HOSTS[@]}"; do nsx "$h" ip neigh flush nud permanent; done
done
