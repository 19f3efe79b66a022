#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# xbr stats --prometheus is Prometheus' text exposition format (read by a
# strict parser, promparse.py) and says what stats -j, bridge show -j and
# port show -j say, series for series: two bridges, ports in xdp and tc
# mode, a port whose name needs escaping in a label, a gone port, and
# traffic that moves several drop reasons by different amounts, so a
# counter under the wrong name or reason cannot pass. dev DEV narrows it;
# -j with it, a missing bridge or port fail and print nothing.
set -e
. "$(dirname "$0")/cli.sh"
cli_init cli-prometheus
xt_need python3
PKT=$xt_root/tests/net/pkt.py
PARSE=$xt_root/tests/cli/promparse.py
CHECK=$xt_root/tests/cli/promcheck.py
odd='v"q\1'		# a valid netdev name: " and \ must be escaped in a label

xt_veth br "$odd" peer p4 02:00:00:00:10:04
x bridge add br0 host-port
x bridge add br1 ageing 45
x port add br0 vnet0
x port add br0 vnet1 mode tc
x port add br0 vnet2
x port add br1 vnet3
x port add br1 "$odd" mode tc
x port set br0 vnet2 locked on mac 02:00:00:00:10:02

send() { nsx peer python3 "$PKT" send "$1" --src "$2" --dst "$3" --count "$4" --gap 0; }
send p0 02:00:00:00:10:00 ff:ff:ff:ff:ff:ff 7		# flooded
send p0 02:00:00:00:10:00 01:80:c2:00:00:0e 3		# link_local
send p1 03:00:00:00:10:01 ff:ff:ff:ff:ff:ff 4		# bad_src
send p2 02:00:00:00:10:99 ff:ff:ff:ff:ff:ff 5		# locked
send p4 02:00:00:00:10:04 02:00:00:00:10:03 6		# unknown unicast, flooded
send p3 02:00:00:00:10:03 02:00:00:00:10:04 2		# known: to the odd port
sleep 0.3
ip -n "$(xt_nsname br)" link del vnet1			# vnet1 is gone now
vnet1_state() { x -j port show br0 | jq -r '.[] | select(.dev == "vnet1") | .state'; }
xt_wait_eq 5 gone vnet1_state ||
	xt_fail "vnet1 is not gone: $(x port show br0)"

snap()	# snap FILE: what -j says, for promcheck.py
{
	jq -n --argjson s "$(x -j stats)" --argjson b "$(x -j bridge show)" \
		--argjson p "$(x -j port show)" '{stats: $s, bridges: $b, ports: $p}' >"$1"
}

snap "$XT_TMP/before.json"
x stats --prometheus >"$XT_TMP/all.prom" || xt_fail "stats --prometheus failed"
snap "$XT_TMP/after.json"
out=$(python3 "$CHECK" "$XT_TMP/all.prom" "$XT_TMP/before.json" "$XT_TMP/after.json") ||
	{ cat "$XT_TMP/all.prom"; xt_fail "stats --prometheus differs from -j: $out"; }
xt_log "$out"

# What the scenario made must be there, so that a check of nothing cannot pass.
val() { python3 -c '
import json, sys
fams = json.load(open(sys.argv[1]))
want = dict(a.split("=", 1) for a in sys.argv[3:])
hits = [v for l, v in fams.get(sys.argv[2], {"samples": []})["samples"] if l == want]
print(int(hits[0]) if len(hits) == 1 else "none")' "$XT_TMP/fams.json" "$@"; }
python3 "$PARSE" "$XT_TMP/all.prom" >"$XT_TMP/fams.json"
expect() { local want=$1; shift; [ "$(val "$@")" = "$want" ] || xt_fail "$* is $(val "$@"), not $want"; }
expect 7 xbr_port_flooded_total bridge=br0 port=vnet0
expect 3 xbr_port_drops_total bridge=br0 port=vnet0 reason=link_local
expect 4 xbr_port_drops_total bridge=br0 port=vnet1 reason=bad_src
expect 5 xbr_port_drops_total bridge=br0 port=vnet2 reason=locked
expect 6 xbr_port_flooded_total bridge=br1 "port=$odd"
expect 2 xbr_port_tx_packets_total bridge=br1 "port=$odd"
expect 0 xbr_port_up bridge=br0 port=vnet1
expect 1 xbr_port_up bridge=br0 port=vnet0
expect 45 xbr_bridge_ageing_seconds bridge=br1
expect 126976 xbr_bridge_fdb_max_learned bridge=br0
grep -qF 'port="v\"q\\1"' "$XT_TMP/all.prom" || xt_fail "the odd port's label is not escaped: $(grep -F 'q' "$XT_TMP/all.prom" | head -3)"
[ "$(grep -c '^xbr_port_drops_total{' "$XT_TMP/all.prom")" = $((6 * $(jq '.stats[0].drops | length' "$XT_TMP/before.json"))) ] ||
	xt_fail "not every port has a series for every drop reason"
xt_log "ok: the scenario's counts are there: floods, three drop reasons, an escaped label, a gone port"

# dev DEV: that port's series and its bridge's, nothing of the others.
x stats br1 dev "$odd" --prometheus >"$XT_TMP/dev.prom" || xt_fail "stats br1 dev ODD --prometheus"
python3 "$PARSE" "$XT_TMP/dev.prom" >"$XT_TMP/dev.json" || xt_fail "dev output does not parse"
others=$(jq -r '[.[] | .samples[] | .[0] | select(.bridge != "br1" or (has("port") and .port != "v\"q\\1"))] | length' \
	"$XT_TMP/dev.json")
[ "$others" = 0 ] || xt_fail "stats br1 dev ODD --prometheus has $others series of others: $(cat "$XT_TMP/dev.prom")"
[ "$(jq '.xbr_port_rx_packets_total.samples | length' "$XT_TMP/dev.json")" = 1 ] &&
	[ "$(jq '.xbr_bridge_fdb_learned.samples | length' "$XT_TMP/dev.json")" = 1 ] ||
	xt_fail "stats br1 dev ODD --prometheus lacks the port's or the bridge's series"
[ "$(x stats br0 --prometheus | grep -c 'bridge="br1"')" = 0 ] || xt_fail "stats br0 --prometheus shows br1"
x stats --prometheus show >/dev/null || xt_fail "stats --prometheus show (the option first)"
xt_log "ok: BRIDGE and dev DEV narrow it"

# Refusals: a reason, nothing on stdout (a collector's file stays whole).
for args in "-j stats --prometheus" "stats nosuch --prometheus" "stats br0 dev vnet3 --prometheus" \
	"stats br0 --prometheus bogus"; do
	# shellcheck disable=SC2086
	if o=$(x $args 2>"$XT_TMP/err"); then xt_fail "xbr $args succeeded"; fi
	[ -z "$o" ] || xt_fail "xbr $args printed: $o"
	grep -q . "$XT_TMP/err" || xt_fail "xbr $args failed without saying why"
	xt_log "ok: xbr $args: $(cat "$XT_TMP/err")"
done

# No bridge at all: the families, no samples; still the format.
x bridge del br0
x bridge del br1
x stats --prometheus >"$XT_TMP/empty.prom"
python3 "$PARSE" "$XT_TMP/empty.prom" >"$XT_TMP/empty.json" || xt_fail "the empty output does not parse"
[ "$(jq '[.[] | .samples | length] | add' "$XT_TMP/empty.json")" = 0 ] ||
	xt_fail "no bridge, yet samples: $(cat "$XT_TMP/empty.prom")"
xt_log "ok: with no bridge: $(jq length "$XT_TMP/empty.json") families, no samples"
exit 0
