#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# A host with many VMs: 72 ports in one bridge (more than the tc clone
# loop's bound of 64 copies). Either every port is added and a broadcast
# reaches all 71 others (mode tc and mode xdp), or a port add beyond a
# limit is refused with a reason and every port that was added still gets
# every flood. Known unicast still reaches the last port only. Modes auto,
# tc, xdp; failures are collected and reported together.
set -e
. "$(dirname "$0")/../lib/net.sh"
xt_init manyports
xt_need jq python3
xt_need_xbr
PKT=$xt_root/tests/net/pkt.py
N=72
xt_ns br
xt_ns peers
for i in $(seq 0 $((N - 1))); do
	xt_veth br vnet$i peers p$i "$(printf '02:00:00:00:%02x:%02x' $((i / 256)) $((i % 256)))"
done
x() { xbr_in br "$@"; }
rxall() { ip -n "$(xt_nsname peers)" -j -s link show | jq -c 'map({key: .ifname, value: .stats64.rx.packets}) | from_entries'; }

bad=()
for mode in auto tc xdp; do
	x bridge add br0 || xt_fail "bridge add"
	added=0
	for i in $(seq 0 $((N - 1))); do
		[ $mode = xdp ] && xt_gro_on peers p$i
		if ! err=$(x port add br0 vnet$i mode $mode 2>&1); then
			xt_log "mode $mode: port add vnet$i refused: $err"
			grep -Eqi 'vnet'$i'|limit|too many|max' <<<"$err" || xt_fail "refusal gives no reason: $err"
			break
		fi
		added=$((added + 1))
	done
	[ $added -ge 64 ] || xt_fail "mode $mode: only $added ports could be added"
	xt_log "mode $mode: $added ports added"

	before=$(rxall)
	nsx peers python3 "$PKT" send p0 --src 02:00:00:00:00:00 --dst ff:ff:ff:ff:ff:ff --count 3
	sleep 0.5
	after=$(rxall)
	missing=$(jq -n --argjson b "$before" --argjson a "$after" --argjson n $added \
		'[range(1; $n) | "p\(.)" | select(($a[.] - $b[.]) < 3)]')
	if [ "$missing" = "[]" ]; then
		xt_log "ok: mode $mode: a broadcast reached all $((added - 1)) other ports"
	else
		bad+=("mode $mode: broadcast from vnet0 missed $(jq length <<<"$missing") of $((added - 1)) ports: $(jq -c . <<<"$missing")")
		xt_log "BAD: ${bad[-1]}"
	fi

	last=$((added - 1))
	lmac=$(printf '02:00:00:00:%02x:%02x' $((last / 256)) $((last % 256)))
	nsx peers python3 "$PKT" send p$last --src "$lmac" --dst ff:ff:ff:ff:ff:ff
	sleep 0.2
	before=$(rxall)
	nsx peers python3 "$PKT" send p0 --src 02:00:00:00:00:00 --dst "$lmac" --count 3
	sleep 0.3
	after=$(rxall)
	got=$(jq -n --argjson b "$before" --argjson a "$after" '[$a | to_entries[] | select(.value - $b[.key] > 0) | .key]')
	[ "$(jq -c . <<<"$got")" = "[\"p$last\"]" ] || xt_fail "mode $mode: unicast to vnet$last reached $got"
	xt_log "ok: mode $mode: unicast to vnet$last reached only it"
	x bridge del br0 || xt_fail "bridge del"
done
[ ${#bad[@]} -eq 0 ] || xt_fail "${bad[*]}"
