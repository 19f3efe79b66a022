#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# fdb add/del/show/flush: JSON fields, filters, static vs dynamic, errors
# naming MAC/device/bridge, safe re-runs.
set -e
. "$(dirname "$0")/cli.sh"
cli_init cli-fdb
PKT=$xt_root/tests/net/pkt.py
x bridge add br0
x bridge add br1
x port add br0 vnet0
x port add br0 vnet1
x port add br1 vnet2

fdb() { x -j fdb show "$@"; }
entry() { fdb br0 | jq -c --arg m "$1" '.[] | select((.mac | ascii_downcase) == $m)'; }

[ "$(fdb br0 | jq -c .)" = "[]" ] || xt_fail "fresh bridge has FDB entries: $(fdb br0)"

x fdb add br0 02:00:00:00:00:a0 dev vnet0 static || xt_fail "fdb add static"
e=$(entry 02:00:00:00:00:a0)
jq -e '.dev == "vnet0" and .vlan == 0 and .state == "static" and (.age | type == "number")' <<<"$e" >/dev/null ||
	xt_fail "static entry: '$e'"
x fdb add br0 02:00:00:00:00:a0 dev vnet0 static || xt_fail "fdb add static (again)"
[ "$(fdb br0 | jq 'map(select(.mac == "02:00:00:00:00:a0")) | length')" = 1 ] || xt_fail "re-add duplicated the entry"
x fdb add br0 02:00:00:00:00:a0 dev vnet1 static || xt_fail "fdb add: moving a static entry by replacing it"
[ "$(jq -r .dev <<<"$(entry 02:00:00:00:00:a0)")" = vnet1 ] || xt_fail "replaced static entry: $(entry 02:00:00:00:00:a0)"
x fdb add br0 02:00:00:00:00:a0 dev vnet0 static
x fdb add br0 02:00:00:00:00:AB dev vnet0 static || xt_fail "fdb add with upper-case MAC"
[ -n "$(entry 02:00:00:00:00:ab)" ] || xt_fail "upper-case MAC entry not shown"
x fdb add br0 02:00:00:00:00:a1 dev vnet1 || xt_fail "fdb add without static"
s=$(jq -r .state <<<"$(entry 02:00:00:00:00:a1)")
[ "$s" = dynamic ] || [ "$s" = static ] || xt_fail "entry added without static has state '$s'"
xt_log "ok: fdb add: $(fdb br0 | jq -c .)"

# Learned entries: frames from the peers.
nsx peer python3 "$PKT" send p1 --src 02:00:00:00:00:b1 --dst ff:ff:ff:ff:ff:ff
nsx peer python3 "$PKT" send p0 --src 02:00:00:00:00:b0 --dst ff:ff:ff:ff:ff:ff
sleep 0.2
jq -e '.dev == "vnet1" and .state == "dynamic"' <<<"$(entry 02:00:00:00:00:b1)" >/dev/null ||
	xt_fail "learned entry: '$(entry 02:00:00:00:00:b1)'"
xt_log "ok: learned entries shown dynamic"

[ "$(fdb br0 dev vnet0 | jq -c '[.[].dev] | unique')" = '["vnet0"]' ] || xt_fail "fdb show dev vnet0: $(fdb br0 dev vnet0)"
[ "$(fdb br1 | jq length)" = 0 ] || xt_fail "br1 shows br0's entries: $(fdb br1)"
[ "$(fdb | jq length)" -ge "$(fdb br0 | jq length)" ] || xt_fail "fdb show (all) lists fewer than br0"
x fdb show br0 | grep -qi 02:00:00:00:00:a0 || xt_fail "fdb show (text) lacks 02:00:00:00:00:a0"
xt_log "ok: fdb show filters"

for bad in zz:zz:zz:zz:zz:zz 02:00:00:00:00 02:00:00:00:00:00:00 02-00-00-00-00-0g 1:2:3:4:5:666 ""; do
	xt_expect_err "bad MAC '$bad'" 'mac|address|invalid' x fdb add br0 "$bad" dev vnet0 static
done
xt_expect_err "fdb add no such device" 'vnet9' x fdb add br0 02:00:00:00:00:c0 dev vnet9 static
xt_expect_err "fdb add on a non-port" 'vnet3' x fdb add br0 02:00:00:00:00:c0 dev vnet3 static
xt_expect_err "fdb add on another bridge's port" 'vnet2' x fdb add br0 02:00:00:00:00:c0 dev vnet2 static
xt_expect_err "fdb add no such bridge" 'nosuch' x fdb add nosuch 02:00:00:00:00:c0 dev vnet0 static
xt_expect_err "fdb add without dev" 'dev|usage' x fdb add br0 02:00:00:00:00:c0
xt_expect_err "fdb add bad keyword" 'frob' x fdb add br0 02:00:00:00:00:c0 dev vnet0 frob
[ -z "$(entry 02:00:00:00:00:c0)" ] || xt_fail "failed fdb add left an entry"
xt_expect_err "fdb show no such bridge" 'nosuch' x fdb show nosuch
xt_log "ok: fdb add errors, nothing added"

x fdb del br0 02:00:00:00:00:ab || xt_fail "fdb del"
[ -z "$(entry 02:00:00:00:00:ab)" ] || xt_fail "fdb del left the entry"
if ! err=$(x fdb del br0 02:00:00:00:00:ab 2>&1); then
	grep -qi '02:00:00:00:00:ab' <<<"$err" || xt_fail "fdb del of a missing entry: '$err' does not name the MAC"
fi
xt_expect_err "fdb del bad MAC" 'mac|address|invalid' x fdb del br0 nonsense
xt_expect_err "fdb del no such bridge" 'nosuch' x fdb del nosuch 02:00:00:00:00:a0
xt_log "ok: fdb del"

x fdb flush br0 dynamic || xt_fail "fdb flush dynamic"
[ "$(fdb br0 | jq 'map(select(.state == "dynamic")) | length')" = 0 ] || xt_fail "flush dynamic left: $(fdb br0)"
[ -n "$(entry 02:00:00:00:00:a0)" ] || xt_fail "flush dynamic removed a static entry"
nsx peer python3 "$PKT" send p1 --src 02:00:00:00:00:b1 --dst ff:ff:ff:ff:ff:ff
nsx peer python3 "$PKT" send p0 --src 02:00:00:00:00:b0 --dst ff:ff:ff:ff:ff:ff
sleep 0.2
x fdb add br0 02:00:00:00:00:a2 dev vnet1 static
x fdb flush br0 dev vnet1 || xt_fail "fdb flush dev vnet1"
[ "$(fdb br0 | jq 'map(select(.dev == "vnet1")) | length')" = 0 ] || xt_fail "flush dev vnet1 left: $(fdb br0)"
[ -n "$(entry 02:00:00:00:00:b0)" ] && [ -n "$(entry 02:00:00:00:00:a0)" ] || xt_fail "flush dev vnet1 removed vnet0's entries"
x fdb flush br0 dev vnet1 || xt_fail "fdb flush dev vnet1 (again)"
xt_expect_err "fdb flush dev not a port" 'vnet3' x fdb flush br0 dev vnet3
xt_expect_err "fdb flush no such bridge" 'nosuch' x fdb flush nosuch
x fdb flush br0 || xt_fail "fdb flush"
[ "$(fdb br0 | jq 'map(select(.state != "local")) | length')" = 0 ] || xt_fail "flush left: $(fdb br0)"
x fdb flush br0 || xt_fail "fdb flush (again)"
xt_log "ok: fdb flush [dev] [dynamic]"
