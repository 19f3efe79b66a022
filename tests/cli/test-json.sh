#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# Every -j output parses and carries the documented fields and types;
# stats count what crossed; -s and text output work.
set -e
. "$(dirname "$0")/cli.sh"
cli_init cli-json
PKT=$xt_root/tests/net/pkt.py

for o in "bridge show" "port show" "fdb show" stats; do
	j=$(x -j $o) || xt_fail "xbr -j $o with no bridge"
	jq -e 'type == "array" and length == 0' <<<"$j" >/dev/null || xt_fail "xbr -j $o with no bridge: '$j'"
done
xt_log "ok: empty outputs are []"

x bridge add br0 host-port
x port add br0 vnet0
x port add br0 vnet1 mode tc
x port add br0 vnet2

N=20
nsx peer python3 "$PKT" send p0 --src 02:00:00:00:10:00 --dst ff:ff:ff:ff:ff:ff --count $N --gap 0
sleep 0.3

j=$(x -j bridge show)
jq -e 'type == "array" and length == 1 and (.[0] | (.name | type) == "string" and (.ageing | type) == "number"
	and has("host_port") and (.ports | type) == "array" and (.ports | length) == 4)' <<<"$j" >/dev/null ||
	xt_fail "bridge show -j: $j"
j=$(x -j port show br0)
jq -e 'length == 4 and all(.[]; (.dev | type) == "string" and (.mode | IN("auto", "xdp", "tc"))
	and (.learning | type) == "boolean" and (.flood | type) == "boolean"
	and (.xdp | type) == "boolean" and (.tc | type) == "boolean" and (.state | IN("up", "gone")))' <<<"$j" >/dev/null ||
	xt_fail "port show -j: $j"
j=$(x -j fdb show br0)
jq -e 'all(.[]; (.mac | test("^[0-9a-fA-F]{2}(:[0-9a-fA-F]{2}){5}$")) and (.dev | type) == "string"
	and (.vlan | type) == "number" and (.state | IN("static", "dynamic", "local")) and (.age | type) == "number")' <<<"$j" >/dev/null ||
	xt_fail "fdb show -j: $j"
jq -e 'any(.[]; .mac == "02:00:00:00:10:00" and .dev == "vnet0")' <<<"$j" >/dev/null ||
	xt_fail "fdb show -j lacks the learned sender: $j"
j=$(x -j stats br0)
jq -e 'length == 4 and all(.[]; (.dev | type) == "string"
	and all(.rx_packets, .rx_bytes, .tx_packets, .tx_bytes, .flooded; type == "number" and . >= 0)
	and (.drops | type == "object" and all(.[]; type == "number")))' <<<"$j" >/dev/null ||
	xt_fail "stats -j: $j"
xt_log "ok: every -j output has its fields: $(jq -c . <<<"$j")"

g() { jq -r --arg d "$1" ".[] | select(.dev == \$d) | .$2" <<<"$j"; }
[ "$(g vnet0 rx_packets)" -ge $N ] || xt_fail "vnet0 rx_packets $(g vnet0 rx_packets) < $N"
[ "$(g vnet0 rx_bytes)" -ge $((N * 60)) ] || xt_fail "vnet0 rx_bytes $(g vnet0 rx_bytes) < $((N * 60))"
[ "$(g vnet0 flooded)" -ge $N ] || xt_fail "vnet0 flooded $(g vnet0 flooded) < $N"
for d in vnet1 vnet2; do
	[ "$(g $d tx_packets)" -ge $N ] || xt_fail "$d tx_packets $(g $d tx_packets) < $N (flooded copies)"
	[ "$(g $d tx_bytes)" -ge $((N * 60)) ] || xt_fail "$d tx_bytes $(g $d tx_bytes)"
done
xt_log "ok: counters match the $N frames sent"

[ "$(x -j stats br0 dev vnet1 | jq -c 'map(.dev)')" = '["vnet1"]' ] || xt_fail "stats dev vnet1: $(x -j stats br0 dev vnet1)"
[ "$(x -j stats | jq length)" = 4 ] || xt_fail "stats (all bridges): $(x -j stats)"
xt_expect_err "stats no such bridge" 'nosuch' x stats nosuch
xt_expect_err "stats dev not a port" 'vnet3' x stats br0 dev vnet3
xt_log "ok: stats filters and errors"

for o in "bridge show" "port show" "fdb show" stats; do
	t=$(x $o) || xt_fail "xbr $o (text)"
	[ -n "$t" ] || xt_fail "xbr $o prints nothing"
	! jq -e . <<<"$t" >/dev/null 2>&1 || xt_fail "xbr $o prints JSON without -j"
	x -s $o >/dev/null || xt_fail "xbr -s $o"
	x -j -s $o | jq -e . >/dev/null || xt_fail "xbr -j -s $o is not JSON"
	x --pin-root "$XBR_PIN_ROOT" -j $o | jq -e . >/dev/null || xt_fail "xbr --pin-root DIR -j $o"
done
x stats br0 | grep -q vnet1 || xt_fail "stats (text) lacks vnet1"
xt_log "ok: text, -s and -j outputs"
