#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# Commands that succeed print nothing on stderr (warnings from xbr itself,
# "xbr: warning: ...", excepted): no libbpf chatter, also when a device
# still has a clsact qdisc from an earlier bridge.
set -e
. "$(dirname "$0")/cli.sh"
cli_init cli-quiet

q()	# q ARGS...: xbr ARGS must succeed with a clean stderr
{
	local err
	err=$(x "$@" 2>&1 >/dev/null) || xt_fail "xbr $* failed: $err"
	err=$(grep -v '^xbr: warning:' <<<"$err" || true)
	[ -z "$err" ] || xt_fail "xbr $* printed on stderr: $err"
}

for round in 1 2; do
	q bridge add br0
	q port add br0 vnet0
	q port add br0 vnet1 mode tc
	q port add br0 vnet2 mode xdp
	q port set br0 vnet0 flood off
	q fdb add br0 02:00:00:00:00:aa dev vnet0 static
	q bridge reload br0
	q -j stats br0
	q fdb flush br0
	q port del br0 vnet1
	q bridge del br0
	xt_log "ok: round $round quiet"
done
