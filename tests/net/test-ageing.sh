#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# Ageing, in modes auto and xdp: default 300 s; `bridge set br0 ageing 2`
# makes an idle station unknown after 2 s (frames for it flood again);
# static entries never age.
set -e
. "$(dirname "$0")/topo.sh"
topo_init ageing
run_mode()
{
	mode=$1
	xt_log "== mode $mode"
	topo_bridge
	topo_ports "$mode"

	a=$(xbr_br -j bridge show "$BR" | jq -r '.[0].ageing')
	[ "$a" = 300 ] || xt_fail "default ageing is '$a', want 300"
	xbr_br bridge set "$BR" ageing 2 || xt_fail "bridge set ageing 2"
	a=$(xbr_br -j bridge show "$BR" | jq -r '.[0].ageing')
	[ "$a" = 2 ] || xt_fail "ageing after set is '$a', want 2"
	xt_log "ok: ageing 300 by default, set to 2"

	xbr_br fdb add "$BR" 02:00:00:00:00:aa dev vnet3 static || xt_fail "fdb add static"

	declare -A k
	snap() { for h in "${HOSTS[@]}"; do k[$h]=$(rx "$h"); done; }
	delta() { echo $(( $(rx "$1") - k[$1] )); }

	send_raw vm2 ff:ff:ff:ff:ff:ff		# vm2 speaks once: learned
	sleep 0.2
	[ "$(fdb_field "${MAC[vm2]}" dev)" = vnet2 ] || xt_fail "vm2 not learned"
	snap
	send_raw vm1 "${MAC[vm2]}" --count 5
	sleep 0.2
	[ "$(delta vm3)" -eq 0 ] || xt_fail "fresh entry: frames for vm2 flooded"
	xt_log "ok: fresh entry forwards to vnet2 only"

	sleep 3.5	# vm2 stays silent (no IPv6, no ARP): its entry expires
	e=$(fdb_entry "${MAC[vm2]}")
	if [ -n "$e" ]; then
		jq -e '.age >= 2' <<<"$e" >/dev/null || xt_fail "expired entry shown with age: $e"
		xt_log "expired entry still listed, age $(jq .age <<<"$e")"
	fi
	snap
	send_raw vm1 "${MAC[vm2]}" --count 5
	sleep 0.3
	[ "$(delta vm2)" -ge 5 ] || xt_fail "vm2 got $(delta vm2) of 5 after expiry"
	[ "$(delta vm3)" -ge 5 ] && [ "$(delta ext)" -ge 5 ] ||
		xt_fail "expired entry still used: vm3 +$(delta vm3), ext +$(delta ext) (want flood)"
	xt_log "ok: after 2 s idle the station is unknown and frames flood"

	e=$(fdb_entry 02:00:00:00:00:aa)
	[ "$(jq -r .state <<<"$e")" = static ] || xt_fail "static entry aged out: '$e'"
	snap
	send_raw vm1 02:00:00:00:00:aa --count 5
	sleep 0.3
	[ "$(delta vm3)" -ge 5 ] && [ "$(delta vm2)" -eq 0 ] ||
		xt_fail "static entry not used after ageing time (vm3 +$(delta vm3), vm2 +$(delta vm2))"
	xt_log "ok: static entry survived ageing"

	send_raw vm2 ff:ff:ff:ff:ff:ff		# speaks again: learned again
	sleep 0.2
	[ "$(fdb_field "${MAC[vm2]}" dev)" = vnet2 ] && jq -e '.age < 2' <<<"$(fdb_entry "${MAC[vm2]}")" >/dev/null ||
		xt_fail "vm2 not re-learned: $(fdb_entry "${MAC[vm2]}")"
	xt_log "ok: re-learned when it speaks again"

	# A station that keeps talking never ages out: for 5 s (2.5 ageing
	# times) vm2 sends every 0.4 s and vm1 sends to it; nothing floods.
	topo_quiet
	snap
	for i in $(seq 1 12); do
		send_raw vm2 "${MAC[vm1]}" --gap 0
		send_raw vm1 "${MAC[vm2]}" --gap 0
		sleep 0.3
	done
	[ "$(delta vm3)" -eq 0 ] && [ "$(delta ext)" -eq 0 ] ||
		xt_fail "an active station aged out: frames flooded (vm3 +$(delta vm3), ext +$(delta ext))"
	xt_log "ok: an active station never ages out"
	xbr_br bridge del "$BR" || xt_fail "bridge del"
}

for m in auto xdp; do
	run_mode $m
done
