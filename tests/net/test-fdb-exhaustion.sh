#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# FDB exhaustion: a guest floods 20000 frames from random source MACs while
# two other VMs keep talking. Its learn-limit (1024 per ageing time for a
# VM port by default) caps what it adds; the others' entries stay, their
# traffic keeps flowing, and what was not learned is counted.
. "$(dirname "$0")/topo.sh"

topo_init fdb-exhaustion vm1 vm2 vm3
topo_bridge
topo_ports tc
ping_pair vm2 vm3 || xt_fail "vm2 -> vm3 before the flood"

nsx vm2 ping -q -i 0.05 -c 100 "${IP[vm3]}" >"$XT_TMP/ping" 2>&1 &
ping_pid=$!
nsx vm1 python3 "$xt_root/tests/lib/macflood.py" vif0 20000 >/dev/null ||
	xt_fail "flood"
wait $ping_pid
grep -q ' 0% packet loss' "$XT_TMP/ping" || xt_fail "vm2 -> vm3 lost frames during the flood: $(grep loss "$XT_TMP/ping")"

learned=$(xbr_br -j fdb show "$BR" dev vnet1 | jq length)
limited=$(pstat vnet1 learn_limited)
xt_log "vnet1: $learned entries, $limited sources not learned"
[ "$learned" -le 1025 ] || xt_fail "vnet1 learned $learned entries, over its limit"
[ "$limited" -ge 18000 ] || xt_fail "learn_limited counted only $limited"
[ "$(fdb_field "${MAC[vm2]}" dev)" = vnet2 ] || xt_fail "vm2's entry was pushed out"
[ "$(fdb_field "${MAC[vm3]}" dev)" = vnet3 ] || xt_fail "vm3's entry was pushed out"

# The limit is the operator's to move: without it the flood is learned.
xbr_br port set "$BR" vnet1 learn-limit 0 || xt_fail "learn-limit 0"
nsx vm1 python3 "$xt_root/tests/lib/macflood.py" vif0 3000 >/dev/null
learned=$(xbr_br -j fdb show "$BR" dev vnet1 | jq length)
[ "$learned" -ge 3500 ] || xt_fail "with learn-limit 0 only $learned entries"
xt_log "ok: learn-limit kept the table, and lifting it lets the flood in ($learned)"
echo PASS
