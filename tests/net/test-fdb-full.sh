#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# A LAN with more stations than the FDB holds: 140 000 distinct sources
# arrive on an uplink without a learn cap (what a NIC has, learn-limit 0)
# while vm1 and vm2 keep talking. Learning stops at the bridge's cap
# (fdb_max_learned, below the table's size), the rest is counted
# (learn_full) and flooded to; nothing is evicted: the static entry, the
# host's local entry and the VMs' learned entries stay; a spoofed source
# cannot take the static entry over; unicast between VMs is not flooded to
# a third (the bridge does not turn into a hub). A flush gives the room back.
. "$(dirname "$0")/topo.sh"

FLOOD=140000
topo_init fdb-full
topo_bridge host-port
topo_ports tc
xbr_br port set "$BR" uplink learn-limit 0 || xt_fail "learn-limit 0 on the uplink"
xbr_br fdb add "$BR" "${MAC[vm3]}" dev vnet3 static || xt_fail "fdb add static"
HOST_MAC=$(nsx br cat /sys/class/net/$BR/address)
ping_all
max=$(xbr_br -j bridge show "$BR" | jq '.[0].fdb_max_learned')
[ "$max" -lt $FLOOD ] || xt_fail "fdb_max_learned $max: the flood would not fill it"

nsx vm1 ping -q -i 0.1 -c 100 "${IP[vm2]}" >"$XT_TMP/ping" 2>&1 &
ping_pid=$!
t0=$(date +%s.%N)
nsx ext python3 "$xt_root/tests/lib/macflood.py" vif0 $FLOOD --seq 42 >/dev/null ||
	xt_fail "flood"
t1=$(date +%s.%N)
wait $ping_pid
xt_log "flood of $FLOOD sources took $(echo "$t1 - $t0" | bc 2>/dev/null || echo '?') s"
grep -q ' 0% packet loss' "$XT_TMP/ping" ||
	xt_fail "vm1 -> vm2 lost frames during the flood: $(grep loss "$XT_TMP/ping")"

learned=$(xbr_br -j bridge show "$BR" | jq '.[0].fdb_learned')
full=$(pstat uplink learn_full)
xt_log "after the flood: $learned learned of $max, learn_full $full on the uplink"
[ "$learned" -le "$max" ] && [ "$learned" -ge $((max - 16)) ] ||
	xt_fail "$learned learned entries, expected the cap $max"
[ "$full" -ge $((FLOOD - max)) ] || xt_fail "learn_full $full, expected >= $((FLOOD - max))"
[ "$(fdb_field "${MAC[vm3]}" dev)" = vnet3 ] &&
	[ "$(fdb_field "${MAC[vm3]}" state)" = static ] || xt_fail "the static entry went"
[ "$(fdb_field "$HOST_MAC" state)" = local ] || xt_fail "the host's local entry went"
for h in vm1 vm2; do
	[ "$(fdb_field "${MAC[$h]}" dev)" = "${PORT[$h]}" ] || xt_fail "$h's entry was pushed out"
done
xt_log "ok: static, local and the VMs' entries survived a full table"

# A spoof of the static station from the LAN moves nothing.
nsx ext python3 "$PKT" send vif0 --src "${MAC[vm3]}" --dst ff:ff:ff:ff:ff:ff --count 3
[ "$(fdb_field "${MAC[vm3]}" dev)" = vnet3 ] || xt_fail "a spoofed source took the static entry"
ping_pair vm1 vm3 || xt_fail "vm1 -> vm3 after the spoof"

# Known unicast is not flooded: vm3 sees none of vm1's frames for vm2.
nsx vm1 ip neigh replace "${IP[vm2]}" lladdr "${MAC[vm2]}" nud permanent dev vif0
count_start vm2 1.5 --src "${MAC[vm1]}"
count_start vm3 1.5 --src "${MAC[vm1]}"
send_raw vm1 "${MAC[vm2]}" --count 20 --gap 0.01
count_wait
[ "$(count_of vm2)" -eq 20 ] && [ "$(count_of vm3)" -eq 0 ] ||
	xt_fail "vm1 -> vm2: vm2 got $(count_of vm2) of 20, vm3 got $(count_of vm3) (a hub)"
xt_log "ok: a spoof cannot move the static entry; unicast is not flooded"

# Walks under churn: while the table is full, new floods learn and
# flushes remove; fdb show reads bucket by bucket, so it neither starts over
# nor repeats itself (get_next_key starts over when its key has gone).
(
	for i in 1 2 3 4; do
		nsx ext python3 "$xt_root/tests/lib/macflood.py" vif0 30000 >/dev/null
		xbr_br fdb flush "$BR" dev uplink dynamic
	done
) &
churn_pid=$!
for i in 1 2 3; do
	s0=$(date +%s)
	xbr_br -j fdb show "$BR" >"$XT_TMP/walk" || xt_fail "fdb show under churn"
	s1=$(date +%s)
	n=$(jq length "$XT_TMP/walk")
	u=$(jq '[.[] | "\(.mac) \(.vlan)"] | unique | length' "$XT_TMP/walk")
	[ "$n" -eq "$u" ] || xt_fail "fdb show under churn listed $((n - u)) entries twice"
	[ $((s1 - s0)) -le 20 ] || xt_fail "fdb show under churn took $((s1 - s0)) s"
	xt_log "walk $i under churn: $n entries in $((s1 - s0)) s, none twice"
done
wait $churn_pid

xbr_br fdb flush "$BR" dev uplink dynamic || xt_fail "fdb flush uplink dynamic"
learned=$(xbr_br -j bridge show "$BR" | jq '.[0].fdb_learned')
[ "$learned" -lt 100 ] || xt_fail "after the flush $learned learned entries remain counted"
nsx ext python3 "$xt_root/tests/lib/macflood.py" vif0 100 --seq 43 >/dev/null
[ "$(xbr_br -j fdb show "$BR" dev uplink | jq length)" -ge 100 ] ||
	xt_fail "the uplink did not learn again after the flush"
xt_log "ok: a flush gives the room back ($learned learned after it)"
echo PASS
