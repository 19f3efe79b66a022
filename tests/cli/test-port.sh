#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# port add/set/del/show: modes and what the kernel then has attached, errors
# naming port and reason, nothing half-made after a failure, safe re-runs.
set -e
. "$(dirname "$0")/cli.sh"
cli_init cli-port
x bridge add br0
x bridge add br1

ps() { x -j port show "$@"; }
pf() { ps br0 | jq -r --arg d "$1" ".[] | select(.dev == \$d) | .$2"; }

x port add br0 vnet0 || xt_fail "port add (default mode)"
x port add br0 vnet1 mode tc || xt_fail "port add mode tc"
x port add br0 vnet2 mode xdp learning off flood off || xt_fail "port add mode xdp learning off flood off"
o=$(ps br0)
jq -e 'type == "array" and length == 3 and all(.[]; has("dev") and has("mode") and has("learning")
	and has("flood") and has("xdp") and has("tc") and has("state"))' <<<"$o" >/dev/null ||
	xt_fail "port show -j: $o"
[ "$(pf vnet0 mode)" = auto ] || xt_fail "default mode is $(pf vnet0 mode)"
[ "$(pf vnet1 mode)/$(pf vnet1 xdp)/$(pf vnet1 tc)" = tc/false/true ] || xt_fail "vnet1: $(ps br0)"
[ "$(pf vnet2 mode)/$(pf vnet2 xdp)" = xdp/true ] || xt_fail "vnet2: $(ps br0)"
[ "$(pf vnet2 learning)/$(pf vnet2 flood)" = false/false ] || xt_fail "vnet2 flags: $(ps br0)"
[ "$(pf vnet0 learning)/$(pf vnet0 flood)/$(pf vnet0 state)" = true/true/up ] || xt_fail "vnet0: $(ps br0)"
xt_has_tc br vnet1 && ! xt_has_xdp br vnet1 || xt_fail "mode tc: kernel has xdp=$(xt_has_xdp br vnet1 && echo y) tc=$(xt_has_tc br vnet1 && echo y)"
xt_has_xdp br vnet2 || xt_fail "mode xdp: no XDP on vnet2"
for d in vnet0 vnet1 vnet2; do
	[ "$(pf $d xdp)" = "$(xt_has_xdp br $d && echo true || echo false)" ] || xt_fail "$d: port show xdp=$(pf $d xdp) disagrees with the kernel"
	[ "$(pf $d tc)" = "$(xt_has_tc br $d && echo true || echo false)" ] || xt_fail "$d: port show tc=$(pf $d tc) disagrees with the kernel"
done
xt_log "ok: port show -j: $(ps br0 | jq -c .)"
[ "$(x -j bridge show br0 | jq -c '.[0].ports | map(if type == "object" then .dev else . end) | sort')" = '["vnet0","vnet1","vnet2"]' ] ||
	xt_fail "bridge show ports: $(x -j bridge show br0)"
[ "$(ps | jq length)" = 3 ] || xt_fail "port show (all bridges) lists $(ps | jq length)"
[ "$(ps br1)" = "[]" ] || [ "$(ps br1 | jq length)" = 0 ] || xt_fail "br1 has ports: $(ps br1)"
x port show br0 | grep -q vnet2 || xt_fail "port show (text) lacks vnet2"

xt_expect_err "port already in another bridge" 'vnet0.*already.*br0' x port add br1 vnet0
[ "$(ps br1 | jq length)" = 0 ] || xt_fail "failed add put vnet0 in br1"
[ "$(pf vnet0 state)" = up ] || xt_fail "failed add to br1 broke vnet0 in br0"
# Re-running the same add is safe: it succeeds or says so, and changes nothing.
before=$(ps br0 | jq -S -c .)
if ! err=$(x port add br0 vnet0 2>&1); then
	grep -Eqi 'vnet0.*already.*br0' <<<"$err" || xt_fail "re-run port add: '$err'"
fi
[ "$(ps br0 | jq -S -c .)" = "$before" ] || xt_fail "re-run port add changed the ports: $(ps br0)"
xt_log "ok: re-running port add is harmless"

xt_expect_err "no such device" 'no such device: vnet9' x port add br0 vnet9
xt_expect_err "no such bridge" 'nosuch' x port add nosuch vnet3
! attached vnet3 || xt_fail "port add to a missing bridge attached programs to vnet3"
xt_expect_err "bad mode" 'mode.*bogus|bogus.*mode' x port add br0 vnet3 mode bogus
xt_expect_err "bad learning" 'learning|maybe' x port add br0 vnet3 learning maybe
xt_expect_err "bad flood" 'flood|maybe' x port add br0 vnet3 flood maybe
xt_expect_err "unknown keyword" 'frob' x port add br0 vnet3 frob on
xt_expect_err "missing device" 'dev|usage|port' x port add br0
! attached vnet3 || xt_fail "failed port add left programs on vnet3"
[ "$(ps br0 | jq 'map(select(.dev == "vnet3")) | length')" = 0 ] || xt_fail "failed port add left vnet3 in br0"
[ "$(ps br0 | jq length)" = 3 ] || xt_fail "failed port adds changed the port list"
xt_expect_err "loopback is not a port" 'lo' x port add br0 lo
xt_log "ok: port add errors, nothing half-made"

x port set br0 vnet2 learning on flood on || xt_fail "port set"
x port set br0 vnet2 learning on flood on || xt_fail "port set (again)"
[ "$(pf vnet2 learning)/$(pf vnet2 flood)" = true/true ] || xt_fail "port set not shown: $(ps br0)"
x port set br0 vnet0 flood off || xt_fail "port set flood off"
[ "$(pf vnet0 learning)/$(pf vnet0 flood)" = true/false ] || xt_fail "port set flood off changed learning: $(ps br0)"
xt_expect_err "port set on a non-port" 'vnet3' x port set br0 vnet3 learning off
xt_expect_err "port set on a missing bridge" 'nosuch' x port set nosuch vnet0 learning off
xt_expect_err "port set bad value" 'learning|maybe' x port set br0 vnet0 learning maybe
xt_expect_err "port set mode (not settable)" 'mode|usage|invalid|unknown' x port set br0 vnet0 mode tc
xt_log "ok: port set"

x fdb add br0 02:00:00:00:00:a1 dev vnet1 static
x port del br0 vnet1 || xt_fail "port del vnet1"
! attached vnet1 || xt_fail "port del left programs on vnet1"
[ "$(ps br0 | jq 'map(select(.dev == "vnet1")) | length')" = 0 ] || xt_fail "port del left vnet1 listed"
[ "$(x -j fdb show br0 | jq 'map(select(.dev == "vnet1")) | length')" = 0 ] || xt_fail "port del left FDB entries of vnet1"
xt_expect_err "port del twice" 'vnet1' x port del br0 vnet1
xt_expect_err "port del missing device" 'vnet9' x port del br0 vnet9
xt_expect_err "port del from the wrong bridge" 'vnet0' x port del br1 vnet0
attached vnet0 || xt_fail "failed port del from br1 detached vnet0"
x port add br1 vnet1 || xt_fail "port add vnet1 to br1 after its del from br0"
xt_log "ok: port del"

x bridge del br0
! attached vnet0 && ! attached vnet2 || xt_fail "bridge del left programs on its ports"
attached vnet1 || xt_fail "bridge del br0 detached br1's vnet1"
x bridge del br1
! attached vnet1 || xt_fail "bridge del br1 left vnet1 attached"
xt_log "ok: bridge del detaches exactly its own ports"
