#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# Ping between every pair of 3 VMs and the external host, with every port in
# mode auto, then tc, then xdp; bridge del between modes leaves no program
# behind.
set -e
. "$(dirname "$0")/topo.sh"
topo_init ping

for mode in auto tc xdp; do
	xt_log "== mode $mode"
	topo_bridge
	topo_ports "$mode"
	ping_all
	for h in "${HOSTS[@]}"; do
		[ "$(pstat "${PORT[$h]}" rx_packets)" -gt 0 ] ||
			xt_fail "mode $mode: ${PORT[$h]} rx_packets not counted"
		[ "$(pstat "${PORT[$h]}" tx_packets)" -gt 0 ] ||
			xt_fail "mode $mode: ${PORT[$h]} tx_packets not counted"
	done
	xt_log "ok: every port counted rx and tx"
	xbr_br bridge del "$BR" || xt_fail "bridge del $BR"
	for h in "${HOSTS[@]}"; do
		! xt_has_xdp br "${PORT[$h]}" ||
			xt_fail "bridge del left XDP on ${PORT[$h]}"
		! xt_has_tc br "${PORT[$h]}" ||
			xt_fail "bridge del left a tc filter on ${PORT[$h]}"
	done
	[ ! -e "$XBR_PIN_ROOT/xbr/$BR" ] || xt_fail "bridge del left pins"
	# Nothing forwards any more.
	! ping_pair vm1 vm2 1 || xt_fail "vm1 still reaches vm2 after bridge del"
	xt_log "ok: bridge del removed programs and pins"
	for h in "${HOSTS[@]}"; do
		nsx "$h" ip neigh flush dev vif0
	done
done
