#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# xbr trace on a live bridge, from the CLI: where the trace says a frame
# goes (a known unicast, a flood, a VLAN trunk tagged) is where real frames
# of that kind go, counted at every host; where it says dropped, real
# frames are dropped and counted for that reason. A trace learns nothing
# and moves no counter. -j gives one JSON object; wrong arguments name what
# is wrong; a bridge whose programs lack the trace program (made by an
# older xbr) is told to reload, and the reload brings it.
. "$(dirname "$0")/topo.sh"

topo_init trace vm1 vm2 vm3 ext
topo_bridge
topo_ports auto
topo_quiet
ping_pair vm1 vm2 || xt_fail "vm1 -> vm2"
ping_pair vm3 ext || xt_fail "vm3 -> ext"

trace() { xbr_br -j trace "$BR" "$@"; }
# verdict ARGS: "RESULT DEV|REASON|COPIES" of the trace's last step.
verdict()
{
	trace "$@" | jq -r '.steps[-1] | select(.step == "verdict") |
		"\(.result) \(.dev // .reason // .copies)"'
}
# outs ARGS: the ports a copy leaves by, "DEV:untagged|tagged/VID", sorted.
outs()
{
	trace "$@" | jq -r '[.steps[] | select(.step == "out") |
		select(.result == "untagged" or .result == "tagged") |
		"\(.dev):\(.result)\(if .result == "tagged" then "/\(.vlan)" else "" end)"] |
		sort | join(" ")'
}
# sent_to SRC-HOST DST-MAC: send 5 frames, print how many each host got.
sent_to()
{
	local h
	for h in vm1 vm2 vm3 ext; do count_start "$h" 1.5 --src "${MAC[$1]}"; done
	send_raw "$1" "$2" --count 5
	count_wait
	for h in vm1 vm2 vm3 ext; do printf '%s=%s ' "$h" "$(count_of "$h")"; done
}

# A known unicast: one port, and real frames reach only that host.
v=$(verdict dev vnet1 src "${MAC[vm1]}" dst "${MAC[vm2]}")
[ "$v" = "unicast vnet2" ] || xt_fail "trace vm1 -> vm2: verdict '$v', expected 'unicast vnet2'"
got=$(sent_to vm1 "${MAC[vm2]}")
[ "$got" = "vm1=0 vm2=5 vm3=0 ext=0 " ] || xt_fail "real frames vm1 -> vm2 went: $got"
xt_log "ok: a known unicast: the trace's port is where frames go ($got)"

# An unknown destination: a flood to every other port, and so it is.
v=$(verdict dev vnet1 src "${MAC[vm1]}" dst 02:00:00:00:00:99)
o=$(outs dev vnet1 src "${MAC[vm1]}" dst 02:00:00:00:00:99)
[ "$v" = "flood 3" ] && [ "$o" = "uplink:untagged vnet2:untagged vnet3:untagged" ] ||
	xt_fail "trace of an unknown unicast: '$v', out '$o'"
got=$(sent_to vm1 02:00:00:00:00:99)
[ "$got" = "vm1=0 vm2=5 vm3=5 ext=5 " ] || xt_fail "real frames to an unknown MAC went: $got"
xt_log "ok: an unknown unicast: the trace's flood is where frames go ($got)"

# A trace learns nothing and counts nothing.
before=$(xbr_br -j stats "$BR")
v=$(verdict dev vnet3 src 02:00:00:00:00:77 dst "${MAC[vm1]}" saddr 10.77.0.77 \
	daddr 10.77.0.1 udp dport 53)
[ "$v" = "unicast vnet1" ] || xt_fail "trace from a new source: '$v'"
trace dev vnet3 src 02:00:00:00:00:77 dst "${MAC[vm1]}" |
	jq -e '.steps[] | select(.step == "learn" and .result == "new")' >/dev/null ||
	xt_fail "the trace does not say the new source would be learned"
[ -z "$(fdb_entry 02:00:00:00:00:77)" ] || xt_fail "the trace learned 02:00:00:00:00:77"
[ "$(xbr_br -j stats "$BR")" = "$before" ] || xt_fail "a trace moved counters"
xt_log "ok: a trace says it would learn, and learns and counts nothing"

# A drop: a locked port sending from a MAC not its own.
xbr_br port set "$BR" vnet1 locked on mac "${MAC[vm1]}" || xt_fail "lock vnet1"
v=$(verdict dev vnet1 src 02:00:00:00:00:55 dst "${MAC[vm2]}")
[ "$v" = "drop locked" ] || xt_fail "trace of a foreign source on a locked port: '$v'"
for h in vm2 vm3 ext; do count_start "$h" 1.5 --src 02:00:00:00:00:55; done
nsx vm1 python3 "$PKT" send vif0 --src 02:00:00:00:00:55 --dst "${MAC[vm2]}" --count 5
count_wait
[ "$(count_of vm2)$(count_of vm3)$(count_of ext)" = 000 ] &&
	[ "$(pstat vnet1 drops.locked)" -eq 5 ] ||
	xt_fail "real frames of a foreign source: vm2=$(count_of vm2) vm3=$(count_of vm3)" \
		"ext=$(count_of ext), locked drops $(pstat vnet1 drops.locked)"
xt_log "ok: a drop: the trace's reason is what the datapath counts (locked x5)"
xbr_br port set "$BR" vnet1 locked off || xt_fail "unlock vnet1"

# VLANs: vnet1 an access port of VLAN 10, the uplink a trunk of 10.
xbr_br vlan add "$BR" dev vnet1 vid 10 pvid untagged || xt_fail "vlan add vnet1"
xbr_br vlan add "$BR" dev uplink vid 10 || xt_fail "vlan add uplink"
o=$(outs dev vnet1 src "${MAC[vm1]}" dst ff:ff:ff:ff:ff:ff)
[ "$o" = "uplink:tagged/10" ] || xt_fail "trace of a VLAN 10 broadcast: out '$o'"
trace dev vnet2 src "${MAC[vm2]}" dst ff:ff:ff:ff:ff:ff vlan 10 | jq -e \
	'.steps[] | select(.step == "vlan" and .result == "drop" and .reason == "vlan")' \
	>/dev/null || xt_fail "a VLAN 10 tag on vnet2 (not a member) is not dropped by the trace"
tags_start ext 2 --src "${MAC[vm1]}"
count_start vm2 2 --src "${MAC[vm1]}"
send_raw vm1 ff:ff:ff:ff:ff:ff --count 5
count_wait
grep -qx '5 0x8100 10 0x88b5' <<<"$(tags_of ext)" && [ "$(count_of vm2)" -eq 0 ] ||
	xt_fail "real VLAN 10 broadcasts: ext saw '$(tags_of ext)', vm2 $(count_of vm2)"
xt_log "ok: VLANs: the trace's tagged copy on the trunk is what the trunk gets"

# The text form, one line a step.
text=$(xbr_br trace "$BR" dev vnet1 src "${MAC[vm1]}" dst ff:ff:ff:ff:ff:ff)
echo "$text"
grep -q '^  vlan *10 (untagged' <<<"$text" && grep -q '^  out *uplink tagged 10$' <<<"$text" &&
	grep -q '^  verdict *flood: 1 copy$' <<<"$text" || xt_fail "the text trace reads wrong"

# Wrong arguments name the object and the reason.
xt_expect_err "no source MAC" "needs dev DEV, src MAC and dst MAC" \
	xbr_br trace "$BR" dev vnet1 dst "${MAC[vm2]}"
xt_expect_err "a bad MAC" 'invalid src "02:00:zz"' \
	xbr_br trace "$BR" dev vnet1 src 02:00:zz dst "${MAC[vm2]}"
xt_expect_err "a netdev that is no port" "port vif9 is not in bridge $BR|has no port vif9" \
	xbr_br trace "$BR" dev vif9 src "${MAC[vm1]}" dst "${MAC[vm2]}"
xt_expect_err "ICMPv6 over IPv4" "icmp ra is ICMPv6" \
	xbr_br trace "$BR" dev vnet1 src "${MAC[vm1]}" dst "${MAC[vm2]}" saddr 10.0.0.1 \
	daddr 10.0.0.2 icmp ra
xt_expect_err "a frame too small for its headers" "headers take" \
	xbr_br trace "$BR" dev vnet1 src "${MAC[vm1]}" dst "${MAC[vm2]}" saddr fd00::1 \
	daddr fd00::2 tcp size 60

# A bridge from before the trace program: told to reload, and reload adds it.
rm "$XBR_PIN_ROOT/xbr/$BR/progs/trace" || xt_fail "cannot remove the trace program's pin"
xt_expect_err "a bridge without the trace program" "xbr bridge reload $BR" \
	xbr_br trace "$BR" dev vnet1 src "${MAC[vm1]}" dst "${MAC[vm2]}"
xbr_br bridge reload "$BR" || xt_fail "bridge reload"
v=$(verdict dev vnet1 src "${MAC[vm1]}" dst ff:ff:ff:ff:ff:ff)
[ "$v" = "flood 1" ] || xt_fail "after the reload the trace says '$v'"
xt_log "ok: a reload gives an older bridge its trace program"
echo PASS
