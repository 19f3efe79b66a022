#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# Learning, in modes auto and xdp: every station is learned on its port;
# known unicast reaches only its port (the other ports' tx counters and the
# other hosts' rx counters stay still); a moved station is re-learned and
# counted; hairpin frames and multicast sources are dropped and counted.
set -e
. "$(dirname "$0")/topo.sh"
topo_init unicast
run_mode()
{
	mode=$1
	xt_log "== mode $mode"
	topo_bridge
	topo_ports "$mode"
	ping_all
	topo_quiet

	for h in "${HOSTS[@]}"; do
		e=$(fdb_entry "${MAC[$h]}")
		[ -n "$e" ] || xt_fail "${MAC[$h]} ($h) not learned"
		[ "$(jq -r .dev <<<"$e")" = "${PORT[$h]}" ] ||
			xt_fail "${MAC[$h]} learned on wrong port: $e"
		[ "$(jq -r .state <<<"$e")" = dynamic ] || xt_fail "state not dynamic: $e"
		[ "$(jq -r .vlan <<<"$e")" = 0 ] || xt_fail "vlan not 0: $e"
		jq -e '.age | type == "number" and . >= 0 and . < 60' <<<"$e" >/dev/null ||
			xt_fail "bad age: $e"
	done
	xt_log "ok: all stations learned on their ports"

	# snapshot: kernel rx of every host, xbr tx of every port.
	declare -A krx xtx
	snap()
	{
		for h in "${HOSTS[@]}"; do
			krx[$h]=$(rx "$h")
			xtx[$h]=$(pstat "${PORT[$h]}" tx_packets)
		done
	}
	# only_reached DEST N: DEST got >= N more frames, nobody else any.
	only_reached()
	{
		local d=$1 n=$2 h kd xd
		for h in "${HOSTS[@]}"; do
			kd=$(( $(rx "$h") - krx[$h] ))
			xd=$(( $(pstat "${PORT[$h]}" tx_packets) - xtx[$h] ))
			if [ "$h" = "$d" ]; then
				[ $kd -ge "$n" ] || xt_fail "$h received $kd of $n frames"
				[ $xd -ge "$n" ] || xt_fail "${PORT[$h]} tx_packets +$xd, expected +$n"
			else
				[ $kd -eq 0 ] || xt_fail "$h received $kd frames meant for $d"
				[ $xd -eq 0 ] || xt_fail "${PORT[$h]} tx_packets +$xd, frames for $d leaked"
			fi
		done
	}

	N=20
	snap
	send_raw vm1 "${MAC[vm2]}" --count $N
	sleep 0.5
	only_reached vm2 $N
	xt_log "ok: $N unicast frames vm1 -> vm2 reached only vm2"

	snap
	nsx ext ping -q -c $N -i 0.01 "${IP[vm3]}" >/dev/null || xt_fail "ext -> vm3 ping"
	sleep 0.3
	# vm3 got the requests, ext the replies; vm1 and vm2 nothing.
	for h in vm1 vm2; do
		[ $(( $(rx $h) - krx[$h] )) -eq 0 ] || xt_fail "$h saw ext<->vm3 traffic"
		[ $(( $(pstat "${PORT[$h]}" tx_packets) - xtx[$h] )) -eq 0 ] ||
			xt_fail "${PORT[$h]} sent ext<->vm3 traffic"
	done
	xt_log "ok: ext <-> vm3 ping stayed off vnet1 and vnet2"

	sumf() { xbr_br -j stats "$BR" | jq "[.[].$1] | add"; }
	[ "$(sumf learned)" -ge 4 ] || xt_fail "learned counters: $(xbr_br -j stats "$BR" | jq -c 'map({dev, learned})')"
	mv0=$(sumf moves)
	# A station that moves (vm1's MAC now behind vnet3) is re-learned there...
	nsx vm3 python3 "$PKT" send vif0 --src "${MAC[vm1]}" --dst ff:ff:ff:ff:ff:ff
	sleep 0.2
	[ "$(fdb_field "${MAC[vm1]}" dev)" = vnet3 ] ||
		xt_fail "moved station not re-learned on vnet3: $(fdb_entry "${MAC[vm1]}")"
	xt_log "ok: moved station re-learned on vnet3"
	# ... and moves back when it speaks from vnet1 again.
	send_raw vm1 ff:ff:ff:ff:ff:ff
	sleep 0.2
	[ "$(fdb_field "${MAC[vm1]}" dev)" = vnet1 ] ||
		xt_fail "station not re-learned on vnet1: $(fdb_entry "${MAC[vm1]}")"
	xt_log "ok: and back on vnet1"
	mv1=$(sumf moves)
	[ $((mv1 - mv0)) -ge 2 ] || xt_fail "2 moves not counted: moves $mv0 -> $mv1"
	xt_log "ok: moves counted ($mv0 -> $mv1)"

	# A multicast source address is invalid: dropped, counted, never learned.
	snap
	d0=$(xbr_br -j stats "$BR" dev vnet2 | jq '[.[0].drops[]] | add // 0')
	nsx vm2 python3 "$PKT" send vif0 --src 01:00:5e:00:00:01 --dst ff:ff:ff:ff:ff:ff --count 3
	sleep 0.3
	only_reached none 0
	[ -z "$(fdb_entry 01:00:5e:00:00:01)" ] || xt_fail "multicast source learned: $(fdb_entry 01:00:5e:00:00:01)"
	d1=$(xbr_br -j stats "$BR" dev vnet2 | jq '[.[0].drops[]] | add // 0')
	[ $((d1 - d0)) -ge 3 ] || xt_fail "multicast-source frames not counted as drops ($d0 -> $d1)"
	xt_log "ok: multicast source dropped and counted, not learned"

	# Hairpin: a frame for a station on its own ingress port goes nowhere.
	nsx vm1 python3 "$PKT" send vif0 --src 02:00:00:00:01:01 --dst 02:00:00:00:01:01 >/dev/null
	sleep 0.2
	[ "$(fdb_field 02:00:00:00:01:01 dev)" = vnet1 ] || xt_fail "02:00:00:00:01:01 not learned"
	snap
	d0=$(xbr_br -j stats "$BR" dev vnet1 | jq '[.[0].drops[]] | add // 0')
	send_raw vm1 02:00:00:00:01:01 --count 5
	sleep 0.3
	only_reached none 0
	d1=$(xbr_br -j stats "$BR" dev vnet1 | jq '[.[0].drops[]] | add // 0')
	[ $((d1 - d0)) -ge 5 ] || xt_fail "hairpin drops not counted on vnet1 ($d0 -> $d1)"
	xt_log "ok: hairpin frames dropped and counted ($d0 -> $d1)"
	xbr_br bridge del "$BR" || xt_fail "bridge del"
}

for m in auto xdp; do
	run_mode $m
done
