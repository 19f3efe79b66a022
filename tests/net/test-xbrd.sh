#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# xbrd, the event agent, in the bridge's namespace: it follows the host
# port's MAC, stops sending to a port whose link goes down (counted) and
# forgets its stations until it is up, rejoins a tap that is deleted and
# made again under its name with the settings it had, adds a netdev that a
# rule names, and exits cleanly on SIGTERM. Killed, it takes no forwarding
# with it. Each reaction is timed and logged (tens of ms on a quiet machine);
# the test allows 3 s, as other work on this 2-core machine can hold xbrd
# off the CPU for a while.
. "$(dirname "$0")/topo.sh"
XBRD=$xt_root/build/xbrd
[ -x "$XBRD" ] || xt_fail "xbrd not built"

topo_init xbrd vm1 vm2 ext
topo_bridge host-port
topo_ports tc
ping_all

xt_bg br "$XBRD" 2>"$XT_TMP/xbrd.log"
agent=$XT_LAST_PID
xt_wait 3 grep -q watching "$XT_TMP/xbrd.log" || xt_fail "xbrd did not start: $(cat "$XT_TMP/xbrd.log")"

# within SECS CMD...: CMD comes true within SECS (tenths allowed); logs how fast.
within()
{
	local what=$1 limit=$2 t0 t1
	shift 2
	t0=$(date +%s%N)
	while ! "$@" >/dev/null 2>&1; do
		[ $(( ($(date +%s%N) - t0) / 1000000 )) -le $((limit * 1000)) ] || return 1
		sleep 0.05
	done
	t1=$(date +%s%N)
	xt_log "$what: $(( (t1 - t0) / 1000000 )) ms"
}
state() { xbr_br -j port show "$BR" | jq -r --arg d "$1" '.[] | select(.dev == $d) | .state'; }
local_mac() { xbr_br -j fdb show "$BR" | jq -r '.[] | select(.state == "local") | .mac'; }
# Conditions for within, looked at anew each time.
is_state() { local s; s=$(state "$1"); shift; for w in "$@"; do [ "$s" = "$w" ] && return 0; done; return 1; }
local_is() { [ "$(local_mac)" = "$1" ]; }

# The host port's MAC.
nsx br ip link set "$BR" address 02:00:00:00:0a:bc
within "host MAC followed" 3 local_is 02:00:00:00:0a:bc ||
	xt_fail "the local entry did not follow the host port's MAC: $(local_mac)"

# A port down: nothing sent to it, counted; its stations forgotten; then up.
xbr_br fdb add "$BR" 02:00:00:00:0b:01 dev vnet2 static || xt_fail "fdb add static"
nsx vm2 ip link set vif0 down
within "vnet2 down" 3 is_state vnet2 down || xt_fail "vnet2 not down: $(state vnet2)"
[ -z "$(fdb_field "${MAC[vm2]}" dev)" ] || xt_fail "vm2's station was not forgotten"
d0=$(pstat vnet1 drops.port_down)
send_raw vm1 02:00:00:00:0b:01 --count 5
[ $(( $(pstat vnet1 drops.port_down) - d0 )) -eq 5 ] ||
	xt_fail "frames for a down port not counted: $(( $(pstat vnet1 drops.port_down) - d0 )) of 5"
nsx vm2 ip link set vif0 up
within "vnet2 up" 3 is_state vnet2 up || xt_fail "vnet2 not up again: $(state vnet2)"
ping_pair vm1 vm2 || xt_fail "vm1 -> vm2 after vnet2 came back up"
xt_log "ok: a port down gets nothing (counted) and forwards again once up"

# A tap deleted and made again under its name: it rejoins as it was.
nsx br ip tuntap add dev tapvm mode tap || xt_fail "tuntap add"
nsx br ip link set tapvm up
xbr_br port add "$BR" tapvm mode tc || xt_fail "port add tapvm"
xbr_br port set "$BR" tapvm locked on mac 02:00:00:00:0c:01 max-macs 1 learn-limit 33 ||
	xt_fail "port set tapvm"
xbr_br fdb add "$BR" 02:00:00:00:0c:02 dev tapvm static || xt_fail "fdb add tapvm"
before=$(xbr_br save | grep 'tapvm')
nsx br ip link del tapvm
within "tapvm gone" 3 is_state tapvm gone || xt_fail "tapvm not gone: $(state tapvm)"
nsx br ip tuntap add dev tapvm mode tap
nsx br ip link set tapvm up
within "tapvm rejoined" 3 is_state tapvm down up ||
	xt_fail "tapvm did not rejoin: $(state tapvm)"
after=$(xbr_br save | grep 'tapvm')
[ "$before" = "$after" ] || xt_fail "tapvm rejoined with other settings: $before // $after"
xt_log "ok: a re-created tap rejoins with its settings"

# A rule adds what it names.
xbr_br port auto "$BR" "vnx*" || xt_fail "port auto"
nsx br ip tuntap add dev vnx7 mode tap
within "vnx7 added by its rule" 3 is_state vnx7 up down || xt_fail "vnx7 was not added: $(cat "$XT_TMP/xbrd.log")"

# Killed, it takes no forwarding along; SIGTERM ends it cleanly.
kill -TERM $agent
wait $agent
rc=$?
[ $rc -eq 0 ] || xt_fail "xbrd exited $rc on SIGTERM"
grep -q exiting "$XT_TMP/xbrd.log" || xt_fail "xbrd said nothing on SIGTERM"
xt_bg br "$XBRD" 2>>"$XT_TMP/xbrd.log"
kill -KILL $XT_LAST_PID
wait $XT_LAST_PID 2>/dev/null
ping_all
xt_log "ok: SIGTERM ends xbrd cleanly; killed, forwarding goes on"
sed 's/^/  | /' "$XT_TMP/xbrd.log"
echo PASS
