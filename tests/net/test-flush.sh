#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# In modes auto and xdp: after `fdb flush` and `fdb del`, frames for the
# forgotten stations flood, and each station is learned again by its very
# next frame (no datapath cache may keep a forgotten entry alive or stop it
# from being re-learned).
set -e
. "$(dirname "$0")/topo.sh"
topo_init flush

declare -A k
snap() { for h in "${HOSTS[@]}"; do k[$h]=$(rx "$h"); done; }
delta() { echo $(( $(rx "$1") - k[$1] )); }

for mode in auto xdp; do
	xt_log "== mode $mode"
	topo_bridge
	topo_ports "$mode"
	ping_all
	topo_quiet
	for i in 1 2 3; do
		send_raw vm2 ff:ff:ff:ff:ff:ff --gap 0	# keep vm2 hot in any cache
	done

	xbr_br fdb flush "$BR" || xt_fail "fdb flush"
	left=$(xbr_br -j fdb show "$BR" | jq -c 'map(select(.state != "local"))')
	[ "$left" = "[]" ] || xt_fail "mode $mode: fdb flush left $left"
	snap
	send_raw vm1 "${MAC[vm2]}" --count 3
	sleep 0.3
	[ "$(delta vm3)" -ge 3 ] && [ "$(delta ext)" -ge 3 ] ||
		xt_fail "mode $mode: frames for flushed vm2 not flooded (vm3 +$(delta vm3), ext +$(delta ext))"
	xt_log "ok: mode $mode: flushed station is unknown: frames flood"

	send_raw vm2 ff:ff:ff:ff:ff:ff
	sleep 0.2
	[ "$(fdb_field "${MAC[vm2]}" dev)" = vnet2 ] ||
		xt_fail "mode $mode: vm2 not re-learned after flush: $(xbr_br -j fdb show "$BR" | jq -c .)"
	snap
	send_raw vm1 "${MAC[vm2]}" --count 3
	sleep 0.3
	[ "$(delta vm2)" -ge 3 ] && [ "$(delta vm3)" -eq 0 ] ||
		xt_fail "mode $mode: after re-learning, vm2 +$(delta vm2) vm3 +$(delta vm3) (want 3, 0)"
	xt_log "ok: mode $mode: re-learned by its next frame, unicast again"

	xbr_br fdb del "$BR" "${MAC[vm2]}" || xt_fail "fdb del"
	[ -z "$(fdb_entry "${MAC[vm2]}")" ] || xt_fail "fdb del left $(fdb_entry "${MAC[vm2]}")"
	send_raw vm2 ff:ff:ff:ff:ff:ff
	sleep 0.2
	[ "$(fdb_field "${MAC[vm2]}" dev)" = vnet2 ] || xt_fail "mode $mode: vm2 not re-learned after fdb del"
	xt_log "ok: mode $mode: re-learned after fdb del"

	# A station moves right after a flush: learned where it now is.
	xbr_br fdb flush "$BR"
	nsx vm3 python3 "$PKT" send vif0 --src "${MAC[vm2]}" --dst ff:ff:ff:ff:ff:ff
	sleep 0.2
	[ "$(fdb_field "${MAC[vm2]}" dev)" = vnet3 ] || xt_fail "mode $mode: moved station not learned on vnet3: $(fdb_entry "${MAC[vm2]}")"
	xt_log "ok: mode $mode: learned on its new port after a flush"

	xbr_br bridge del "$BR" || xt_fail "bridge del"
done
