#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# xbrd.service as installed: systemd-analyze verify is silent about it; its
# commands, run as systemd would in a namespace of ours, start an agent that
# serves the bridge (a tap matching `xbr port auto` becomes a port), leaves
# on SIGTERM (systemctl stop) with status 0, and when killed outright
# (SIGKILL, a crash before Restart=on-failure) takes only event handling
# with it: the bridge forwards on.
#
#   ns br: br0 with port eth1 <-veth-> lan0 10.196.0.2 (ns lan),
#          port h1 <-veth-> h0 10.196.0.1 (ns h)
. "$(dirname "$0")/../lib/net.sh"
. "$(dirname "$0")/lib.sh"
xt_init host-agent
xt_need_xbr
xt_need systemd-analyze jq python3
host_install
host_need_cmd xbrd "$H_SBIN/xbrd"

vdir=$XT_TMP/verify
mkdir -p "$vdir"
cp "$H_UNITS/xbrd.service" "$vdir/"
out=$(cd "$vdir" && systemd-analyze verify --man=no ./xbrd.service 2>&1) ||
	xt_fail "systemd-analyze verify xbrd.service: $out"
[ -z "$out" ] || xt_fail "systemd-analyze verify xbrd.service says: $out"
xt_log "ok: systemd-analyze verify xbrd.service: clean"

xt_ns br
xt_ns lan
xt_ns h
xt_veth br eth1 lan lan0 02:00:00:00:19:62
xt_veth br h1 h h0 02:00:00:00:19:61
xt_addr lan lan0 10.196.0.2/24
xt_addr h h0 10.196.0.1/24
xbr_in br bridge add br0 || xt_fail "bridge add br0"
xbr_in br port add br0 eth1 || xt_fail "port add eth1"
xbr_in br port add br0 h1 || xt_fail "port add h1"
xbr_in br port auto br0 'vnet*' 2>"$XT_TMP/auto.err" ||
	xt_skip "needs xbr port auto: $(cat "$XT_TMP/auto.err")"
xt_ping lan 10.196.0.1 2 || xt_fail "no forwarding before the agent runs"

# start: the unit's commands; the agent in the background, as systemd keeps it.
start_agent()
{
	host_run_unit br xbrd.service ExecStartPre -e XBR_PIN_ROOT="$XBR_PIN_ROOT"
	host_unit_cmds xbrd.service ExecStart -e XBR_PIN_ROOT="$XBR_PIN_ROOT"
	[ ${#HOST_CMDS[@]} = 1 ] || xt_fail "xbrd.service has ${#HOST_CMDS[@]} ExecStart lines"
	eval "cmd=(${HOST_CMDS[0]#*$'\t'})"
	xt_log "xbrd.service ExecStart: $(host_cmd_words "${cmd[@]}")"
	xt_bg br "${cmd[@]}" 2>>"$XT_TMP/xbrd.log"
	AGENT=$XT_LAST_PID
	sleep 0.5
	kill -0 "$AGENT" 2>/dev/null || xt_fail "xbrd exited at once: $(cat "$XT_TMP/xbrd.log")"
}
is_port() { xbr_in br -j port show br0 | jq -e --arg d "$1" 'any(.[]; .dev == $d)' >/dev/null; }

start_agent
ip -n "$(xt_nsname br)" tuntap add dev vnet3 mode tap vnet_hdr || xt_fail "tap vnet3"
ip -n "$(xt_nsname br)" link set vnet3 up
xt_wait 3 is_port vnet3 || xt_fail "the agent did not add tap vnet3 (port auto vnet*): $(cat "$XT_TMP/xbrd.log")"
xt_log "ok: the agent serves br0: tap vnet3 became a port"

kill -TERM "$AGENT"
for _ in $(seq 30); do kill -0 "$AGENT" 2>/dev/null || break; sleep 0.1; done
kill -0 "$AGENT" 2>/dev/null && xt_fail "xbrd still runs 3 s after SIGTERM"
wait "$AGENT"
rc=$?
[ $rc = 0 ] || xt_fail "xbrd exited $rc on SIGTERM: $(tail -5 "$XT_TMP/xbrd.log")"
xt_ping lan 10.196.0.1 2 || xt_fail "no forwarding after systemctl stop xbrd"
xt_log "ok: SIGTERM: xbrd exits 0, br0 forwards"

start_agent
nsx lan ping -q -i 0.05 -c 60 -W 1 10.196.0.1 >"$XT_TMP/ping.out" &
pinger=$!
sleep 1
kill -KILL "$AGENT"
wait "$pinger"
loss=$(grep -o '[0-9.]*% packet loss' "$XT_TMP/ping.out")
[ "$loss" = "0% packet loss" ] || xt_fail "killing xbrd cost frames: $(cat "$XT_TMP/ping.out")"
xt_ping lan 10.196.0.1 2 || xt_fail "no forwarding after xbrd was killed"
xt_log "ok: SIGKILL during a ping (60 at 50 ms): $loss, br0 forwards on"
exit 0
