#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# Several xbr commands at once (VMs starting together, each hook adding its
# tap): every port ends up in the bridge, in the flood set and forwarding;
# parallel fdb adds all land; parallel dels leave nothing behind.
set -e
. "$(dirname "$0")/cli.sh"
cli_init cli-concurrent
PKT=$xt_root/tests/net/pkt.py
x bridge add br0

pids=()
for i in 0 1 2 3; do
	x port add br0 vnet$i >"$XT_TMP/add$i" 2>&1 &
	pids+=($!)
done
for i in 0 1 2 3; do
	wait "${pids[$i]}" || xt_fail "parallel port add vnet$i: $(cat "$XT_TMP/add$i")"
done
[ "$(x -j port show br0 | jq -c 'map(.dev) | sort')" = '["vnet0","vnet1","vnet2","vnet3"]' ] ||
	xt_fail "after parallel adds: $(x -j port show br0 | jq -c 'map(.dev)')"
xt_log "ok: 4 parallel port adds all landed"

# Each port floods to the three others.
for s in 0 1 2 3; do
	declare -A k=()
	for i in 0 1 2 3; do k[$i]=$(xt_link_stat peer p$i rx packets); done
	nsx peer python3 "$PKT" send p$s --src 02:00:00:00:20:0$s --dst ff:ff:ff:ff:ff:ff --count 3
	sleep 0.3
	for i in 0 1 2 3; do
		[ $i = $s ] && continue
		got=$(( $(xt_link_stat peer p$i rx packets) - k[$i] ))
		[ $got -ge 3 ] || xt_fail "broadcast from vnet$s: p$i got $got of 3 (flood set lost a port?)"
	done
done
xt_log "ok: every port is in the flood set"

pids=()
for i in $(seq 1 20); do
	x fdb add br0 02:00:00:00:30:$(printf %02x $i) dev vnet$((i % 4)) static &
	pids+=($!)
done
for p in "${pids[@]}"; do wait "$p" || xt_fail "a parallel fdb add failed"; done
n=$(x -j fdb show br0 | jq '[.[] | select(.mac | startswith("02:00:00:00:30:"))] | length')
[ "$n" = 20 ] || xt_fail "parallel fdb adds: $n of 20 present"
xt_log "ok: 20 parallel fdb adds"

pids=()
for i in 0 1 2 3; do
	x port del br0 vnet$i &
	pids+=($!)
done
for p in "${pids[@]}"; do wait "$p" || xt_fail "a parallel port del failed"; done
[ "$(x -j port show br0 | jq length)" = 0 ] || xt_fail "ports left: $(x -j port show br0)"
[ "$(x -j fdb show br0 | jq 'map(select(.state != "local")) | length')" = 0 ] || xt_fail "FDB left: $(x -j fdb show br0)"
for i in 0 1 2 3; do ! attached vnet$i || xt_fail "vnet$i still attached"; done
xt_log "ok: parallel port dels leave nothing"
