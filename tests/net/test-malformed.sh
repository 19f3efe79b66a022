#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# Malformed frames from a VM, through the real datapath in every mode:
# truncated 802.1Q/802.1ad tags, truncated ARP and IPv4 headers, a bare
# Ethernet header. A truncated tag cannot be parsed: it reaches nobody and,
# where XDP sees it, is counted as a parse drop; nothing malformed breaks the bridge
# (everyone still pings afterwards).
set -e
. "$(dirname "$0")/topo.sh"
topo_init malformed

FRAMES=(
	8100		# 802.1Q type, no tag
	8100000a	# 802.1Q tag, no inner type
	88a80005	# 802.1ad tag, no inner type
	88a80005810000	# QinQ, inner tag cut
	0806000108	# ARP header cut
	08004500001c	# IPv4 header cut
	0800ff		# IPv4 with a nonsense version/IHL
	86dd60		# IPv6 header cut
)
parse() { xbr_br -j stats "$BR" dev vnet1 | jq '[.[0].drops | to_entries[] | select(.key | test("parse"; "i")) | .value] | add // 0'; }

for mode in auto tc xdp; do
	topo_bridge
	topo_ports "$mode"
	ping_all
	topo_quiet
	declare -A k=()
	for h in "${HOSTS[@]}"; do k[$h]=$(rx "$h"); done
	p0=$(parse)
	for dst in ff:ff:ff:ff:ff:ff "${MAC[vm2]}"; do
		for f in 8100 8100000a 88a80005; do
			send_raw vm1 "$dst" --raw "$f" --count 5 --gap 0
		done
	done
	sleep 0.3
	for h in vm2 vm3 ext; do
		[ $(( $(rx "$h") - k[$h] )) -eq 0 ] || xt_fail "mode $mode: truncated tags reached $h"
	done
	p1=$(parse)
	# On the skb path the kernel itself drops a truncated tag before tc
	# (skb_vlan_untag); only XDP sees it and must count it.
	if xt_has_xdp br vnet1; then
		[ $((p1 - p0)) -ge 30 ] || xt_fail "mode $mode: 30 truncated tags seen by XDP, parse drops $p0 -> $p1: $(xbr_br -j stats "$BR" dev vnet1 | jq -c '.[0].drops')"
	fi
	xt_log "ok: mode $mode: truncated tags reached nobody (parse drops $p0 -> $p1)"
	for dst in ff:ff:ff:ff:ff:ff "${MAC[vm2]}" 02:00:00:00:77:77; do
		for f in "${FRAMES[@]}"; do
			send_raw vm1 "$dst" --raw "$f" --count 3 --gap 0
		done
	done
	send_raw vm3 ff:ff:ff:ff:ff:ff --raw 0800 --count 3 --gap 0
	ping_all
	xt_log "ok: mode $mode: the bridge survived every malformed frame"
	xbr_br bridge del "$BR" || xt_fail "bridge del"
	for h in "${HOSTS[@]}"; do nsx "$h" ip neigh flush all; done
done
