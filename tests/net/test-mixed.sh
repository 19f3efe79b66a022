#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# A bridge mixing mode xdp ports (vnet1, vnet3) and mode tc ports (vnet2,
# uplink): port show says what each runs (and the kernel agrees), unicast
# and floods cross between them in both directions, and tx_packets counts
# every copy sent out of a port, whichever path sent it.
set -e
. "$(dirname "$0")/topo.sh"
topo_init mixed
topo_bridge
declare -A MODE=([vm1]=xdp [vm2]=tc [vm3]=xdp [ext]=tc)
for h in "${HOSTS[@]}"; do topo_port "$h" "${MODE[$h]}"; done

ps=$(xbr_br -j port show "$BR")
for h in "${HOSTS[@]}"; do
	p=${PORT[$h]}
	o=$(jq -c --arg d "$p" '.[] | select(.dev == $d)' <<<"$ps")
	[ -n "$o" ] || xt_fail "port show lacks $p: $ps"
	[ "$(jq -r .mode <<<"$o")" = "${MODE[$h]}" ] || xt_fail "$p mode: $o"
	[ "$(jq -r .state <<<"$o")" = up ] || xt_fail "$p state: $o"
	if [ "${MODE[$h]}" = xdp ]; then
		[ "$(jq -r .xdp <<<"$o")" = true ] || xt_fail "$p should run XDP: $o"
		xt_has_xdp br "$p" || xt_fail "$p: no XDP program attached in the kernel"
	else
		[ "$(jq -r .xdp <<<"$o")" = false ] && [ "$(jq -r .tc <<<"$o")" = true ] ||
			xt_fail "$p should run tc only: $o"
		! xt_has_xdp br "$p" || xt_fail "$p (mode tc) has an XDP program"
		xt_has_tc br "$p" || xt_fail "$p (mode tc) has no tc filter"
	fi
done
xt_log "ok: port show matches the kernel: $(jq -c '[.[] | {dev, mode, xdp, tc}]' <<<"$ps")"

ping_all
topo_quiet

declare -A k x
snap()
{
	for h in "${HOSTS[@]}"; do
		k[$h]=$(rx "$h")
		x[$h]=$(pstat "${PORT[$h]}" tx_packets)
	done
}
N=10
for s in "${HOSTS[@]}"; do
	snap
	send_raw "$s" ff:ff:ff:ff:ff:ff --count $N
	sleep 0.3
	for h in "${HOSTS[@]}"; do
		[ "$h" = "$s" ] && continue
		kd=$(( $(rx "$h") - k[$h] ))
		xd=$(( $(pstat "${PORT[$h]}" tx_packets) - x[$h] ))
		[ $kd -ge $N ] || xt_fail "broadcast ${MODE[$s]} $s -> ${MODE[$h]} $h: $kd of $N arrived"
		[ $xd -ge $N ] || xt_fail "broadcast $s -> $h: ${PORT[$h]} tx_packets +$xd, want +$N"
	done
	xt_log "ok: broadcast from ${MODE[$s]} port of $s reached all, tx counted"
done

for s in "${HOSTS[@]}"; do
	for d in "${HOSTS[@]}"; do
		[ "$s" = "$d" ] && continue
		snap
		send_raw "$s" "${MAC[$d]}" --count 5 --gap 0
		sleep 0.2
		for h in "${HOSTS[@]}"; do
			[ "$h" = "$s" ] && continue
			kd=$(( $(rx "$h") - k[$h] ))
			if [ "$h" = "$d" ]; then
				[ $kd -ge 5 ] || xt_fail "unicast $s (${MODE[$s]}) -> $d (${MODE[$d]}): $kd of 5"
			else
				[ $kd -eq 0 ] || xt_fail "unicast $s -> $d leaked $kd frames to $h"
			fi
		done
	done
done
xt_log "ok: unicast between every pair of xdp/tc ports, nothing leaked"
