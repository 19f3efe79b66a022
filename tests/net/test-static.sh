#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# In modes auto and xdp: a static FDB entry forwards before its station
# ever spoke and resists a spoofed source MAC from another port; a dynamic
# entry would move.
set -e
. "$(dirname "$0")/topo.sh"
topo_init static
run_mode()
{
	mode=$1
	xt_log "== mode $mode"
	topo_bridge
	topo_ports "$mode"

	V2=${MAC[vm2]}
	xbr_br fdb add "$BR" "$V2" dev vnet2 static || xt_fail "fdb add static"
	e=$(fdb_entry "$V2")
	[ "$(jq -r .state <<<"$e")" = static ] && [ "$(jq -r .dev <<<"$e")" = vnet2 ] ||
		xt_fail "static entry shown as: $e"
	xt_log "ok: static entry $V2 on vnet2: $e"

	declare -A k
	snap() { for h in "${HOSTS[@]}"; do k[$h]=$(rx "$h"); done; }
	delta() { echo $(( $(rx "$1") - k[$1] )); }

	# Forwarded by the static entry alone: vm2 has sent nothing yet.
	snap
	send_raw vm1 "$V2" --count 10
	sleep 0.3
	[ "$(delta vm2)" -ge 10 ] || xt_fail "vm2 got $(delta vm2) of 10"
	[ "$(delta vm3)" -eq 0 ] && [ "$(delta ext)" -eq 0 ] ||
		xt_fail "static unicast flooded (vm3 +$(delta vm3), ext +$(delta ext))"
	xt_log "ok: unicast to a static entry reaches only its port"

	# vm2 speaks first (warming any per-CPU cache of recent sources), then
	# vm3 spoofs vm2's MAC right away, broadcast and unicast.
	send_raw vm2 ff:ff:ff:ff:ff:ff --count 3 --gap 0
	nsx vm3 python3 "$PKT" send vif0 --src "$V2" --dst ff:ff:ff:ff:ff:ff --count 5
	nsx vm3 python3 "$PKT" send vif0 --src "$V2" --dst "${MAC[vm1]}" --count 5
	sleep 0.3
	e=$(fdb_entry "$V2")
	[ "$(jq -r .dev <<<"$e")" = vnet2 ] && [ "$(jq -r .state <<<"$e")" = static ] ||
		xt_fail "static entry moved by a spoofed source: $e"
	xt_log "ok: spoofed source did not move the static entry"

	snap
	send_raw vm1 "$V2" --count 10
	sleep 0.3
	[ "$(delta vm2)" -ge 10 ] && [ "$(delta vm3)" -eq 0 ] ||
		xt_fail "after spoofing: vm2 +$(delta vm2) vm3 +$(delta vm3) (want 10, 0)"
	ping_pair vm1 vm2 || xt_fail "vm1 -> vm2 ping after spoofing"
	xt_log "ok: traffic for $V2 still goes to vm2 only"

	# Re-adding the same static entry is harmless.
	xbr_br fdb add "$BR" "$V2" dev vnet2 static || xt_fail "fdb add static (again)"
	[ "$(xbr_br -j fdb show "$BR" | jq --arg m "$V2" '[.[] | select(.mac == $m)] | length')" = 1 ] ||
		xt_fail "re-added static entry duplicated"

	# Without the static entry a spoofed source takes the MAC over.
	xbr_br fdb del "$BR" "$V2" || xt_fail "fdb del"
	[ -z "$(fdb_entry "$V2")" ] || xt_fail "fdb del left $(fdb_entry "$V2")"
	nsx vm3 python3 "$PKT" send vif0 --src "$V2" --dst ff:ff:ff:ff:ff:ff
	sleep 0.2
	[ "$(fdb_field "$V2" dev)" = vnet3 ] && [ "$(fdb_field "$V2" state)" = dynamic ] ||
		xt_fail "dynamic entry not learned from vnet3: $(fdb_entry "$V2")"
	xt_log "ok: without the static entry the MAC is learned where it appears"
	xbr_br bridge del "$BR" || xt_fail "bridge del"
	for h in "${HOSTS[@]}"; do nsx "$h" ip neigh flush all; done
}

for m in auto xdp; do
	run_mode $m
done
