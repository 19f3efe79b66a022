#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# bridge add/del/set/reload/show: pins, errors that name the bridge and the
# reason, nothing half-made after a failure, safe re-runs, and maps that
# bpftool prints with named fields.
set -e
. "$(dirname "$0")/cli.sh"
cli_init cli-bridge

x bridge add br0 || xt_fail "bridge add br0"
for m in ports fdb stats config; do
	[ -e "$XBR_PIN_ROOT/xbr/br0/$m" ] || xt_fail "no pinned map $m (have: $(pins br0))"
done
xt_log "ok: bridge add pinned: $(pins br0 | tr '\n' ' ')"

s=$(x -j bridge show br0)
jq -e 'type == "array" and length == 1 and .[0].name == "br0" and .[0].ageing == 300
	and (.[0].ports | type == "array" and length == 0)' <<<"$s" >/dev/null ||
	xt_fail "bridge show -j br0: $s"
jq -e '.[0] | has("host_port")' <<<"$s" >/dev/null || xt_fail "bridge show -j lacks host_port: $s"
xt_log "ok: bridge show -j: $s"

xt_expect_err "bridge add existing" 'br0.*exist|exist.*br0' x bridge add br0
[ "$(x -j bridge show | jq length)" = 1 ] || xt_fail "failed re-add changed the bridge list"

x bridge add br1 ageing 30 || xt_fail "bridge add br1 ageing 30"
[ "$(x -j bridge show br1 | jq '.[0].ageing')" = 30 ] || xt_fail "br1 ageing not 30"
[ "$(x -j bridge show | jq -c 'map(.name) | sort')" = '["br0","br1"]' ] ||
	xt_fail "bridge show lists: $(x -j bridge show | jq -c 'map(.name)')"
x bridge set br1 ageing 45 || xt_fail "bridge set ageing 45"
x bridge set br1 ageing 45 || xt_fail "bridge set ageing 45 (again)"
[ "$(x -j bridge show br1 | jq '.[0].ageing')" = 45 ] || xt_fail "br1 ageing not 45"
xt_log "ok: ageing at add and by set"

for bad in abc -1 "" 1x; do
	xt_expect_err "bridge set ageing '$bad'" 'ageing|invalid|bad' x bridge set br1 ageing "$bad"
done
[ "$(x -j bridge show br1 | jq '.[0].ageing')" = 45 ] || xt_fail "failed set changed ageing"
xt_expect_err "bridge add bad ageing" 'ageing|invalid|bad' x bridge add br2 ageing abc
[ ! -e "$XBR_PIN_ROOT/xbr/br2" ] || xt_fail "failed bridge add left $XBR_PIN_ROOT/xbr/br2: $(pins br2)"
xt_expect_err "bridge add unknown keyword" 'frob' x bridge add br2 frob
[ ! -e "$XBR_PIN_ROOT/xbr/br2" ] || xt_fail "failed bridge add left pins of br2"
xt_expect_err "bridge add too-long name" 'name|long|invalid' x bridge add brabcdefghijklmnopq
xt_expect_err "bridge name with a slash" 'name|invalid' x bridge add br/x
xt_log "ok: bad arguments rejected, nothing made"

# A pin root that is not a bpffs, or does not exist: refused, nothing made.
mkdir -p "$XT_TMP/plain"
xt_expect_err "pin root not on bpffs" "$XT_TMP/plain" x --pin-root "$XT_TMP/plain" bridge add brz
[ ! -e "$XT_TMP/plain/xbr/brz" ] || xt_fail "failed bridge add left $XT_TMP/plain/xbr/brz"
xt_expect_err "pin root missing" "$XT_TMP/none" x --pin-root "$XT_TMP/none" bridge add brz
[ ! -e "$XT_TMP/none" ] || xt_fail "bridge add created the missing pin root"

xt_expect_err "set on missing bridge" 'nosuch' x bridge set nosuch ageing 10
xt_expect_err "del missing bridge" 'nosuch.*(no such|not found|exist)|(no such|not found|exist).*nosuch' x bridge del nosuch
xt_expect_err "show missing bridge" 'nosuch' x bridge show nosuch
xt_expect_err "reload missing bridge" 'nosuch' x bridge reload nosuch

x bridge reload br0 || xt_fail "bridge reload (no ports)"
x bridge reload br0 || xt_fail "bridge reload (again)"
xt_log "ok: reload is re-runnable"

# bpftool prints every field by name (BTF kept): needs an entry in each map.
x port add br0 vnet0 || xt_fail "port add"
x fdb add br0 02:00:00:00:00:aa dev vnet0 static || xt_fail "fdb add"
for m in fdb ports stats config; do
	d=$(bpftool map dump pinned "$XBR_PIN_ROOT/xbr/br0/$m" 2>&1) || xt_fail "bpftool map dump $m: $d"
	grep -q '^key:' <<<"$d" && xt_fail "map $m dumps as raw bytes (no BTF?): $d"
	grep -q '"key"' <<<"$d" || xt_fail "map $m: no entries or no BTF: $d"
	grep -Eq '"value": \{|"values": \[' <<<"$d" || xt_fail "map $m: value not a named struct: $d"
done
d=$(bpftool map dump pinned "$XBR_PIN_ROOT/xbr/br0/fdb")
grep -q '"key": {' <<<"$d" || xt_fail "fdb key is not a struct: $d"
echo "$d"
xt_log "ok: bpftool prints named fields for fdb, ports, stats, config"

# host-port: a netdev of that name already there is an error, and the
# failure leaves neither the bridge nor a half veth pair.
ip -n "$(xt_nsname br)" link add brx type veth peer name brx-peer
xt_expect_err "host port over an existing netdev" 'brx' x bridge add brx host-port
[ ! -e "$XBR_PIN_ROOT/xbr/brx" ] || xt_fail "failed host-port add left pins: $(pins brx)"
[ "$(ip -n "$(xt_nsname br)" -j -d link show dev brx | jq -r '.[0].linkinfo.info_kind')" = veth ] ||
	xt_fail "failed host-port add damaged the existing brx"
nsx br ip link show dev brx-hp >/dev/null 2>&1 && xt_fail "failed host-port add left brx-hp"
x bridge add brh host-port || xt_fail "bridge add brh host-port"
nsx br ip link show dev brh >/dev/null 2>&1 || xt_fail "no host netdev brh"
xt_expect_err "the host side as a port of its own bridge" 'brh' x port add brh brh
[ "$(x -j port show brh | jq length)" = 1 ] || xt_fail "port list of brh: $(x -j port show brh)"
x bridge del brh || xt_fail "bridge del brh"
nsx br ip link show dev brh >/dev/null 2>&1 && xt_fail "bridge del left the host netdev brh"
xt_log "ok: host-port conflicts refused, nothing left"

# bridge del takes everything with it, ports included.
x bridge del br0 || xt_fail "bridge del br0"
[ ! -e "$XBR_PIN_ROOT/xbr/br0" ] || xt_fail "bridge del left pins: $(pins br0)"
! attached vnet0 || xt_fail "bridge del left programs on vnet0"
xt_expect_err "bridge del twice" 'br0' x bridge del br0
x bridge add br0 || xt_fail "bridge add after del"
x port add br0 vnet0 || xt_fail "port add vnet0 after bridge del/add"
x bridge del br0
x bridge del br1
[ -z "$(pins)" ] || xt_fail "pins left: $(pins)"
[ "$(x -j bridge show)" = "[]" ] || [ "$(x -j bridge show | jq length)" = 0 ] || xt_fail "bridge show -j not empty"
xt_log "ok: bridge del removes pins and programs; re-creating works"
