#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# 802.1ad is payload: an access port (pvid 10, untagged) sends frames with
# an outer S-tag (0x88a8) carrying VID 10 or 20. The bridge classifies them
# by the port (VLAN 10) like any untagged frame, and they leave the 802.1Q
# trunk inside an 802.1Q tag for VLAN 10 with the S-tag behind it, as a
# Linux bridge with vlan_protocol 802.1Q sends them; never with the S-tag
# outermost, which an 802.1Q switch upstream would take for an untagged
# frame of its native VLAN. The trunk end reads the outer tag from
# PACKET_AUXDATA (the kernel moves the outermost tag, 0x8100 or 0x88a8,
# into metadata on receive). Modes tc and xdp.
. "$(dirname "$0")/topo.sh"

topo_init stag vm1 vm2 ext

for mode in tc xdp; do
	xbr_br bridge add "$BR" || xt_fail "bridge add"
	for h in vm1 vm2 ext; do topo_port "$h" "$mode"; done
	xbr_br vlan add "$BR" dev vnet1 vid 10 pvid untagged || xt_fail "vlan add vnet1"
	xbr_br vlan add "$BR" dev vnet2 vid 20 pvid untagged || xt_fail "vlan add vnet2"
	xbr_br vlan add "$BR" dev uplink vid 10-20 || xt_fail "vlan add uplink"
	for p in vnet1 vnet2 uplink; do
		xbr_br vlan del "$BR" dev $p vid 1 || xt_fail "vlan del $p vid 1"
	done

	tags_start ext 2 --src "${MAC[vm1]}"
	count_start vm2 2 --src "${MAC[vm1]}" --type 0x88a8
	nsx vm1 python3 "$PKT" stag vif0 --src "${MAC[vm1]}" --dst ff:ff:ff:ff:ff:ff --vid 10 \
		--count 5
	nsx vm1 python3 "$PKT" stag vif0 --src "${MAC[vm1]}" --dst ff:ff:ff:ff:ff:ff --vid 20 \
		--count 5
	count_wait
	seen=$(tags_of ext)
	xt_log "$mode: the trunk saw (count tpid vid inner): $(tr '\n' ';' <<<"$seen")"
	[ "$(wc -l <<<"$seen")" -eq 1 ] && grep -qx '10 0x8100 10 0x88a8' <<<"$seen" ||
		xt_fail "$mode: expected all 10 frames 802.1Q VLAN 10 with the S-tag inside"
	[ "$(count_of vm2)" -eq 0 ] ||
		xt_fail "$mode: S-tagged frames of VLAN 10 reached vm2 in VLAN 20 ($(count_of vm2))"
	xt_log "ok: $mode: S-tagged frames stay in the access port's VLAN, S-tag as payload"

	# With filtering off, tags of any kind pass untouched.
	xbr_br bridge set "$BR" vlan-filtering off || xt_fail "vlan-filtering off"
	tags_start ext 2 --src "${MAC[vm1]}"
	nsx vm1 python3 "$PKT" stag vif0 --src "${MAC[vm1]}" --dst ff:ff:ff:ff:ff:ff --vid 20 \
		--count 5
	count_wait
	seen=$(tags_of ext)
	grep -qx '5 0x88a8 20 0x88b5' <<<"$seen" ||
		xt_fail "$mode: filtering off: the S-tagged frames changed: $seen"
	xt_log "ok: $mode: with filtering off the S-tag passes untouched"
	xbr_br bridge del "$BR" || xt_fail "bridge del"
done
echo PASS
