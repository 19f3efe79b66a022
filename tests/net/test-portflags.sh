#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# Per-port policy, in modes auto and xdp: `learning off` learns nothing
# from that port (its station stays unknown, frames for it flood);
# `flood off` keeps broadcast
# and unknown unicast away from the port while known unicast still reaches
# it; `port set` changes both on a live port; port show reports them.
set -e
. "$(dirname "$0")/topo.sh"
topo_init portflags
run_mode()
{
	mode=$1
	xt_log "== mode $mode"
	topo_bridge
	topo_port vm1 "$mode"
	topo_port vm2 "$mode"
	topo_port vm3 "$mode" learning off
	topo_port ext "$mode" flood off

	pf() { xbr_br -j port show "$BR" | jq -r --arg d "$1" ".[] | select(.dev == \$d) | .$2"; }
	[ "$(pf vnet3 learning)" = false ] && [ "$(pf vnet3 flood)" = true ] || xt_fail "vnet3 flags: $(pf vnet3 learning)/$(pf vnet3 flood)"
	[ "$(pf uplink learning)" = true ] && [ "$(pf uplink flood)" = false ] || xt_fail "uplink flags: $(pf uplink learning)/$(pf uplink flood)"
	xt_log "ok: port show reports learning/flood"

	declare -A k
	snap() { for h in "${HOSTS[@]}"; do k[$h]=$(rx "$h"); done; }
	delta() { echo $(( $(rx "$1") - k[$1] )); }

	send_raw vm3 ff:ff:ff:ff:ff:ff --count 3
	send_raw ext ff:ff:ff:ff:ff:ff --count 3
	send_raw vm2 ff:ff:ff:ff:ff:ff --count 3
	sleep 0.2
	[ -z "$(fdb_entry "${MAC[vm3]}")" ] || xt_fail "learned from a learning-off port: $(fdb_entry "${MAC[vm3]}")"
	[ "$(fdb_field "${MAC[ext]}" dev)" = uplink ] || xt_fail "ext not learned on uplink"
	xt_log "ok: nothing learned from vnet3"

	snap
	send_raw vm1 ff:ff:ff:ff:ff:ff --count 5	# broadcast
	send_raw vm1 02:00:00:00:09:09 --count 5	# unknown unicast
	sleep 0.3
	[ "$(delta ext)" -eq 0 ] || xt_fail "flood-off uplink got $(delta ext) flooded frames"
	[ "$(delta vm2)" -ge 10 ] && [ "$(delta vm3)" -ge 10 ] || xt_fail "flood missed vm2/vm3"
	xt_log "ok: broadcast and unknown unicast kept off the flood-off uplink"

	snap
	send_raw vm1 "${MAC[ext]}" --count 5		# known unicast still goes
	send_raw vm1 "${MAC[vm3]}" --count 5		# unknown (not learned): floods
	sleep 0.3
	[ "$(delta ext)" -ge 5 ] || xt_fail "known unicast did not reach the flood-off uplink"
	[ "$(delta vm3)" -ge 5 ] && [ "$(delta vm2)" -ge 5 ] || xt_fail "frames for the unlearned vm3 not flooded"
	xt_log "ok: known unicast reaches a flood-off port; unlearned station gets floods"

	xbr_br port set "$BR" vnet3 learning on || xt_fail "port set learning on"
	xbr_br port set "$BR" uplink flood on || xt_fail "port set flood on"
	xbr_br port set "$BR" uplink flood on || xt_fail "port set flood on (again)"
	[ "$(pf vnet3 learning)" = true ] && [ "$(pf uplink flood)" = true ] || xt_fail "port set not reflected"
	send_raw vm3 ff:ff:ff:ff:ff:ff
	sleep 0.2
	[ "$(fdb_field "${MAC[vm3]}" dev)" = vnet3 ] || xt_fail "vnet3 still not learning after port set"
	snap
	send_raw vm1 ff:ff:ff:ff:ff:ff --count 5
	sleep 0.3
	[ "$(delta ext)" -ge 5 ] || xt_fail "uplink still excluded from floods after port set"
	ping_all
	xt_log "ok: port set learning on / flood on take effect on live ports"
	xbr_br bridge del "$BR" || xt_fail "bridge del"
	for h in "${HOSTS[@]}"; do nsx "$h" ip neigh flush all; done
}

for m in auto xdp; do
	run_mode $m
done
