#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# Two bridges in one namespace are isolated: br0 (vm1, vm2) and br1 (vm3,
# ext). Broadcasts, unknown unicast and frames for the other bridge's
# stations stay in their bridge; each bridge learns only its own ports;
# deleting one leaves the other forwarding. Modes auto and xdp.
set -e
. "$(dirname "$0")/topo.sh"
topo_init twobridges
# Both bridges share one subnet on purpose: only the bridges separate them.

for mode in auto xdp; do
	xbr_br bridge add br0 || xt_fail "bridge add br0"
	xbr_br bridge add br1 || xt_fail "bridge add br1"
	BR=br0 topo_port vm1 $mode
	BR=br0 topo_port vm2 $mode
	BR=br1 topo_port vm3 $mode
	BR=br1 topo_port ext $mode
	ping_pair vm1 vm2 || xt_fail "mode $mode: vm1 -> vm2 in br0"
	ping_pair vm3 ext || xt_fail "mode $mode: vm3 -> ext in br1"
	! ping_pair vm1 vm3 1 || xt_fail "mode $mode: vm1 (br0) reaches vm3 (br1)"
	! ping_pair ext vm2 1 || xt_fail "mode $mode: ext (br1) reaches vm2 (br0)"
	xt_log "ok: mode $mode: pings stay inside each bridge"

	# Each host counts the test's own frames (EtherType 0x88b5) only.
	for h in "${HOSTS[@]}"; do count_start "$h" 1.5; done
	send_raw vm1 ff:ff:ff:ff:ff:ff --count 5
	send_raw vm1 "${MAC[vm3]}" --count 5		# a br1 station: unknown in br0
	send_raw vm3 ff:ff:ff:ff:ff:ff --count 5
	send_raw vm3 "${MAC[vm1]}" --count 5
	count_wait
	declare -A got=()
	for h in "${HOSTS[@]}"; do got[$h]=$(count_of "$h"); done
	[ "${got[vm2]}" -eq 10 ] && [ "${got[ext]}" -eq 10 ] ||
		xt_fail "mode $mode: floods missed their own bridge (vm2 ${got[vm2]}, ext ${got[ext]} of 10)"
	[ "${got[vm1]}" -eq 0 ] && [ "${got[vm3]}" -eq 0 ] ||
		xt_fail "mode $mode: frames crossed bridges (vm1 ${got[vm1]}, vm3 ${got[vm3]})"
	xt_log "ok: mode $mode: floods stay inside each bridge"

	f0=$(xbr_br -j fdb show br0 | jq -c '[.[].dev] | unique')
	f1=$(xbr_br -j fdb show br1 | jq -c '[.[].dev] | unique')
	[ "$f0" = '["vnet1","vnet2"]' ] || xt_fail "mode $mode: br0 FDB has ports $f0"
	[ "$f1" = '["uplink","vnet3"]' ] || xt_fail "mode $mode: br1 FDB has ports $f1"
	[ "$(xbr_br -j stats br0 | jq -c 'map(.dev) | sort')" = '["vnet1","vnet2"]' ] || xt_fail "stats br0 lists other ports"
	xt_log "ok: mode $mode: each bridge learned only its own ports"

	xbr_br bridge del br0 || xt_fail "bridge del br0"
	ping_pair vm3 ext || xt_fail "mode $mode: br1 broken by deleting br0"
	xt_log "ok: mode $mode: br1 forwards after br0 is deleted"
	xbr_br bridge del br1 || xt_fail "bridge del br1"
	for h in "${HOSTS[@]}"; do nsx "$h" ip neigh flush all; done
done
