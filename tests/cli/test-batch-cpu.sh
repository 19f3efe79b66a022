#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# 200 port adds from one batch file cost well under a second of CPU beyond
# the kernel's attach work: xbr's own (user) CPU stays under 0.25 s, and
# 200 port sets (no attach at all) under 0.25 s of user and system time
# together. The same 200 adds as 200 processes, for comparison, are
# logged. The figures go into the log; README "Batch mode" quotes them.
set -e
. "$(dirname "$0")/cli.sh"
xt_init cli-batch-cpu
xt_need_xbr
xt_need jq
xt_ns br
N=200

# 200 veth pairs, both ends in the bridge's namespace.
for i in $(seq 1 $N); do
	echo "link add vb$i type veth peer name vp$i"
	echo "link set vb$i up"
	echo "link set vp$i up"
done | ip -n "$(xt_nsname br)" -batch - || xt_fail "cannot make $N veth pairs"

for i in $(seq 1 $N); do echo "port add br0 vb$i"; done >"$XT_TMP/add"
for i in $(seq 1 $N); do echo "port set br0 vb$i learning off flood off"; done >"$XT_TMP/set"

# cpu FILE: "real user sys" of xbr -batch FILE, in seconds.
cpu()
{
	local TIMEFORMAT='%R %U %S'
	{ time x -batch "$1" >/dev/null 2>"$XT_TMP/err"; } 2>"$XT_TMP/time" ||
		xt_fail "xbr -batch $1: $(cat "$XT_TMP/err")"
	cat "$XT_TMP/time"
}
lt() { awk -v a="$1" -v b="$2" 'BEGIN { exit !(a < b) }'; }

x bridge add br0
read -r real user sys < <(cpu "$XT_TMP/add")
xt_log "batch of $N port adds: ${real}s wall, ${user}s user, ${sys}s system"
[ "$(x -j port show br0 | jq length)" = $N ] || xt_fail "the batch added $(x -j port show br0 | jq length) of $N ports"
[ "$(x -j port show br0 | jq '[.[].id] | unique | length')" = $N ] || xt_fail "port ids not distinct"
lt "$user" 0.25 || xt_fail "$N port adds took ${user}s of xbr's own CPU (limit 0.25 s)"

read -r real2 user2 sys2 < <(cpu "$XT_TMP/set")
xt_log "batch of $N port sets: ${real2}s wall, ${user2}s user, ${sys2}s system"
lt "$(awk -v a="$user2" -v b="$sys2" 'BEGIN { print a + b }')" 0.25 ||
	xt_fail "$N port sets took ${user2}s + ${sys2}s of CPU (limit 0.25 s)"
[ "$(x -j bridge show br0 | jq '.[0].xdp_flood')" = false ] || xt_fail "bridge show after the sets"
[ "$(x -j port show br0 | jq '[.[] | select(.flood or .learning)] | length')" = 0 ] ||
	xt_fail "a port kept flood or learning on"
[ "$(bpftool -j map dump pinned "$XBR_PIN_ROOT/xbr/br0/config" | jq '.[0].formatted.value.nr_flood')" = 0 ] ||
	xt_fail "nr_flood is not 0 with every port's flood off"
x bridge del br0

# The same adds, one process each.
x bridge add br0
TIMEFORMAT='%R %U %S'
{ time (while read -r line; do x $line || exit 1; done <"$XT_TMP/add"); } 2>"$XT_TMP/time" ||
	xt_fail "one-by-one port adds failed"
read -r real3 user3 sys3 <"$XT_TMP/time"
xt_log "$N port adds, one xbr process each: ${real3}s wall, ${user3}s user, ${sys3}s system"
x bridge del br0
