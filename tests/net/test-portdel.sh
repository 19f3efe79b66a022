#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# `port del` detaches the port's programs, forgets its FDB entries and stops
# all forwarding to it; a port whose netdev vanishes (the VM namespace is
# deleted) is shown as gone and the others keep forwarding, floods
# included.
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
topo_init portdel
topo_bridge
topo_ports "$XT_MODE"
ping_all
xbr_br fdb add "$BR" 02:00:00:00:03:03 dev vnet3 static || xt_fail "fdb add static on vnet3"

xbr_br port del "$BR" vnet3 || xt_fail "port del vnet3"
! xt_has_xdp br vnet3 || xt_fail "port del left XDP on vnet3"
! xt_has_tc br vnet3 || xt_fail "port del left a tc filter on vnet3"
[ -z "$(xbr_br -j port show "$BR" | jq -r '.[] | select(.dev == "vnet3")')" ] ||
	xt_fail "vnet3 still in port show"
left=$(xbr_br -j fdb show "$BR" | jq -c '[.[] | select(.dev == "vnet3")]')
[ "$left" = "[]" ] || xt_fail "FDB entries of vnet3 left: $left"
xt_log "ok: port del removed programs, the port and its FDB entries"

k=$(rx vm3)
send_raw vm1 ff:ff:ff:ff:ff:ff --count 5
send_raw vm1 "${MAC[vm3]}" --count 5
send_raw vm1 02:00:00:00:03:03 --count 5
sleep 0.3
[ $(( $(rx vm3) - k )) -eq 0 ] || xt_fail "vm3 still receives after port del"
! ping_pair vm1 vm3 1 || xt_fail "vm1 still reaches vm3"
HOSTS=(vm1 vm2 ext)
ping_all
xt_log "ok: nothing reaches vm3; the rest forwards"

# Re-adding works (port del left nothing that blocks it).
topo_port vm3 "$XT_MODE"
HOSTS=(vm1 vm2 vm3 ext)
ping_all
xt_log "ok: vnet3 re-added and forwarding"

# vm2's namespace disappears, taking vif0 and its peer vnet2 with it.
ip netns del "$(xt_nsname vm2)"
xt_wait 5 sh -c "! ip -n $(xt_nsname br) link show dev vnet2" || xt_fail "vnet2 still exists"
st=$(xbr_br -j port show "$BR" | jq -r '.[] | select(.dev == "vnet2") | .state')
[ "$st" = gone ] || xt_fail "vanished vnet2 shown as state '$st'"
xt_log "ok: vanished port shown as gone"
xbr_br port show "$BR" || xt_fail "port show (text) with a gone port"
HOSTS=(vm1 vm3 ext)
declare -A k2
for h in "${HOSTS[@]}"; do k2[$h]=$(rx "$h"); done
send_raw vm1 ff:ff:ff:ff:ff:ff --count 5
sleep 0.3
for h in vm3 ext; do
	[ $(( $(rx "$h") - k2[$h] )) -ge 5 ] || xt_fail "flood after vnet2 vanished: $h missed frames"
done
send_raw vm1 "${MAC[vm2]}" --count 5	# for the gone station: must not break anything
ping_all
xbr_br -j stats "$BR" | jq -e 'type == "array"' >/dev/null || xt_fail "stats -j with a gone port"
xt_log "ok: the others still forward and flood"
xbr_br bridge reload "$BR" || xt_fail "bridge reload with a gone port"
ping_all
xt_log "ok: reload with a gone port"

xbr_br port del "$BR" vnet2 || xt_fail "port del of the gone vnet2"
[ -z "$(xbr_br -j port show "$BR" | jq -r '.[] | select(.dev == "vnet2")')" ] ||
	xt_fail "gone vnet2 still listed after port del"
xt_log "ok: gone port removed by port del"

# A bridge whose port vanished can still be deleted, leaving nothing.
ip netns del "$(xt_nsname vm3)"
xt_wait 5 sh -c "! ip -n $(xt_nsname br) link show dev vnet3" || xt_fail "vnet3 still exists"
xbr_br bridge del "$BR" || xt_fail "bridge del with a gone port"
[ ! -e "$XBR_PIN_ROOT/xbr/$BR" ] || xt_fail "bridge del left pins"
for d in vnet1 uplink; do
	! xt_has_xdp br $d && ! xt_has_tc br $d || xt_fail "bridge del left programs on $d"
done
xt_log "ok: bridge del with a gone port"
