#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# qemu-ifup and qemu-ifdown as installed, called as QEMU calls them (the tap
# as $1, QEMU's environment), on real taps in a namespace: the bridge from
# qemu.conf or $XBR_BRIDGE, port settings from qemu.conf or the
# environment, and every way to get it wrong ending in a clear error, a
# non-zero exit and no port left behind. test-qemu-tap.sh runs them under
# QEMU itself.
. "$(dirname "$0")/../lib/net.sh"
. "$(dirname "$0")/lib.sh"
xt_init host-qemu-ifup
xt_need_xbr
xt_need jq python3
host_install
xt_ns br
x() { xbr_in br "$@"; }
x bridge add br0 || xt_fail "bridge add br0"
x bridge add br1 || xt_fail "bridge add br1"
for t in vm0 vm1 vm2 vm3; do
	ip -n "$(xt_nsname br)" tuntap add dev "$t" mode tap vnet_hdr || xt_fail "tap $t"
done

# As QEMU runs them: only what QEMU's environment holds (ours: the pin root).
ifup() { nsx br env -i PATH=/usr/bin:/bin XBR_PIN_ROOT="$XBR_PIN_ROOT" "$@" "$H_IFUP" "${ARGS[@]}"; }
ifdown() { nsx br env -i PATH=/usr/bin:/bin XBR_PIN_ROOT="$XBR_PIN_ROOT" "$@" "$H_IFDOWN" "${ARGS[@]}"; }
port() { x -j port show "$1" | jq -c --arg d "$2" '.[] | select(.dev == $d)'; }
in_bridge() { [ -n "$(port "$1" "$2")" ]; }
field() { port "$1" "$2" | jq -r ".$3"; }
nowhere() { ! in_bridge br0 "$1" && ! in_bridge br1 "$1"; }

# The installed qemu.conf names br0.
ARGS=(vm0)
out=$(ifup 2>&1) || xt_fail "qemu-ifup vm0: $out"
in_bridge br0 vm0 || xt_fail "qemu-ifup vm0 did not add it to br0 (qemu.conf)"
ip -n "$(xt_nsname br)" link show vm0 | grep -q '[<,]UP[,>]' || xt_fail "qemu-ifup left vm0 down"
xt_log "ok: qemu-ifup vm0: up, port of br0 (qemu.conf's bridge)"
out=$(ifdown 2>&1) || xt_fail "qemu-ifdown vm0: $out"
in_bridge br0 vm0 && xt_fail "qemu-ifdown vm0 left it in br0"
xt_log "ok: qemu-ifdown vm0: port gone"

# $XBR_BRIDGE wins; $XBR_PORT_ADD / $XBR_PORT_SET are applied.
ARGS=(vm1)
out=$(ifup XBR_BRIDGE=br1 XBR_PORT_ADD="mode tc learning off" \
	XBR_PORT_SET="locked on mac 52:54:00:00:00:11" 2>&1) || xt_fail "qemu-ifup vm1: $out"
in_bridge br1 vm1 || xt_fail "XBR_BRIDGE=br1: vm1 not in br1"
in_bridge br0 vm1 && xt_fail "XBR_BRIDGE=br1: vm1 in br0 too"
[ "$(field br1 vm1 mode)" = tc ] || xt_fail "XBR_PORT_ADD mode tc: mode $(field br1 vm1 mode)"
[ "$(field br1 vm1 learning)" = false ] || xt_fail "XBR_PORT_ADD learning off not applied"
[ "$(field br1 vm1 locked)" = true ] || xt_fail "XBR_PORT_SET locked on not applied"
field br1 vm1 macs | grep -q 52:54:00:00:00:11 || xt_fail "XBR_PORT_SET mac not applied"
out=$(ifdown XBR_BRIDGE=br1 2>&1) || xt_fail "qemu-ifdown vm1: $out"
nowhere vm1 || xt_fail "qemu-ifdown with XBR_BRIDGE=br1 left vm1 in a bridge"
xt_log "ok: XBR_BRIDGE, XBR_PORT_ADD, XBR_PORT_SET"

# Settings from the file, comments and blanks skipped.
conf=$XT_TMP/qemu.conf
cat >"$conf" <<'EOF'
# test configuration
bridge br1   # the second bridge

port-add mode tc
port-set flood-limit 500 learn-limit 7
EOF
ARGS=(vm2)
out=$(ifup XBR_QEMU_CONF="$conf" 2>&1) || xt_fail "qemu-ifup vm2 with $conf: $out"
in_bridge br1 vm2 || xt_fail "bridge br1 from the file: vm2 not in br1"
[ "$(field br1 vm2 mode)" = tc ] || xt_fail "port-add mode tc not applied"
[ "$(field br1 vm2 flood_limit)" = 500 ] || xt_fail "port-set flood-limit 500 not applied"
[ "$(field br1 vm2 learn_limit)" = 7 ] || xt_fail "port-set learn-limit 7 not applied"
out=$(ifdown XBR_QEMU_CONF="$conf" 2>&1) || xt_fail "qemu-ifdown vm2: $out"
nowhere vm2 || xt_fail "qemu-ifdown vm2 left it in br1"
xt_log "ok: bridge, port-add, port-set from the configuration file"

# expect_err DESC PATTERN ENV...: qemu-ifup of $ARGS fails, says PATTERN,
# and the tap is in no bridge.
expect_err()
{
	local d=$1 pat=$2 err
	shift 2
	err=$(ifup "$@" 2>&1) && xt_fail "$d: qemu-ifup succeeded"
	grep -Eq -- "$pat" <<<"$err" || xt_fail "$d: error '$err' does not match /$pat/"
	[ -z "${ARGS[0]:-}" ] || nowhere "${ARGS[0]}" || xt_fail "$d: ${ARGS[0]} left in a bridge"
	xt_log "ok: $d: $(tr '\n' ' ' <<<"$err")"
}
ARGS=(vm3)
expect_err "no such bridge" "no such bridge: br9" XBR_BRIDGE=br9
expect_err "no bridge configured" "vm3: no bridge: set XBR_BRIDGE" XBR_QEMU_CONF=$XT_TMP/none
printf 'bridge br0\nbirdge br1\n' >"$XT_TMP/typo.conf"
expect_err "unknown setting" "typo.conf line 2: unknown setting \"birdge\"" \
	XBR_QEMU_CONF="$XT_TMP/typo.conf"
printf 'bridge br0 br1\n' >"$XT_TMP/two.conf"
expect_err "two bridges" "two.conf line 1: bridge takes one name" XBR_QEMU_CONF="$XT_TMP/two.conf"
expect_err "bad port-add" "mode" XBR_PORT_ADD="mode fast"
expect_err "port set refused: port taken out again" \
	"vm3: port set learn-limit lots failed: taken out of bridge br0 again" \
	XBR_PORT_SET="learn-limit lots"
expect_err "no xbr" "xbr not found at /nonexistent/xbr" XBR=/nonexistent/xbr
ARGS=(novm)
expect_err "no such tap" "novm"
ARGS=()
expect_err "no argument" "usage: qemu-ifup TAP"
ARGS=(vm3)
err=$(ifdown 2>&1) && xt_fail "qemu-ifdown of a tap in no bridge succeeded"
grep -q "port vm3 is not in bridge br0" <<<"$err" || xt_fail "qemu-ifdown's error: $err"
xt_log "ok: qemu-ifdown of a tap in no bridge: $(tr '\n' ' ' <<<"$err")"
exit 0
