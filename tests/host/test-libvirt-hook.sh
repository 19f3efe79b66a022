#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# The libvirt hook as installed (/etc/libvirt/hooks/qemu.d/xbr), run the way
# libvirtd runs it through a domain's life (DOMAIN OPERATION SUB-OPERATION
# EXTRA, the domain's XML on stdin) on real taps in a namespace: its
# ethernet interfaces become ports of the bridges its metadata names, with
# their settings, at start; they go at stop; a failure at start leaves no
# port and stops the start; domains without xbr metadata and interfaces
# of other types are left alone; nothing is ever printed on stdout.
. "$(dirname "$0")/../lib/net.sh"
. "$(dirname "$0")/lib.sh"
xt_init host-libvirt-hook
xt_need_xbr
xt_need jq python3
host_install
xt_ns br
x() { xbr_in br "$@"; }
x bridge add br0 || xt_fail "bridge add br0"
x bridge add br1 || xt_fail "bridge add br1"
# libvirt made these taps (type='ethernet') before "start begin".
for t in web1-0 web1-1 web1-2 db1-0; do
	ip -n "$(xt_nsname br)" tuntap add dev "$t" mode tap vnet_hdr || xt_fail "tap $t"
	ip -n "$(xt_nsname br)" link set "$t" up
done

port() { x -j port show "$1" | jq -c --arg d "$2" '.[] | select(.dev == $d)'; }
in_bridge() { [ -n "$(port "$1" "$2")" ]; }
field() { port "$1" "$2" | jq -r ".$3"; }
ports() { x -j port show "$1" | jq -r '[.[].dev] | sort | join(" ")'; }

# domain_xml NAME METADATA INTERFACES: a running domain's XML as libvirt
# formats it for the hook (live: taps named, aliases given).
domain_xml()
{
	cat <<EOF
<domain type='kvm' id='7'>
  <name>$1</name>
  <uuid>4dea22b3-1d52-d8f3-2516-782e98ab3fa0</uuid>
  <metadata>
$2
  </metadata>
  <memory unit='KiB'>1048576</memory>
  <vcpu placement='static'>1</vcpu>
  <os><type arch='x86_64' machine='pc-q35-7.2'>hvm</type><boot dev='hd'/></os>
  <devices>
    <emulator>/usr/bin/qemu-system-x86_64</emulator>
    <disk type='file' device='disk'>
      <driver name='qemu' type='qcow2'/>
      <source file='/var/lib/libvirt/images/$1.qcow2'/>
      <target dev='vda' bus='virtio'/>
      <alias name='virtio-disk0'/>
    </disk>
$3
    <interface type='network'>
      <mac address='52:54:00:aa:00:09'/>
      <source network='default'/>
      <target dev='vnet9'/>
      <model type='virtio'/>
      <alias name='net9'/>
    </interface>
  </devices>
</domain>
EOF
}

# ethernet TAP MAC: an <interface type='ethernet'> as libvirt shows it live.
ethernet()
{
	cat <<EOF
    <interface type='ethernet'>
      <mac address='$2'/>
      <target dev='$1'/>
      <model type='virtio'/>
      <alias name='net-$1'/>
      <address type='pci' domain='0x0000' bus='0x01' slot='0x00' function='0x0'/>
    </interface>
EOF
}

WEB_META="    <xbr:ports xmlns:xbr=\"urn:xbr:libvirt:1\">
      <xbr:port mac='52:54:00:AA:00:01' bridge='br0' port-set='locked on mac 52:54:00:aa:00:01'/>
      <xbr:port dev='web1-1' bridge='br1' port-add='mode tc'/>
      <xbr:port bridge='br0'/>
    </xbr:ports>"
WEB_IFACES="$(ethernet web1-0 52:54:00:aa:00:01)
$(ethernet web1-1 52:54:00:aa:00:02)
$(ethernet web1-2 52:54:00:aa:00:03)"
WEB=$(domain_xml web1 "$WEB_META" "$WEB_IFACES")

# hook XML DOMAIN OP SUBOP [EXTRA]: run it as libvirtd does; stdout must
# stay empty (libvirt would take it for a rewritten XML). Its stderr is in
# $HOOK_ERR; returns its exit code.
hook()
{
	local xml=$1 out rc
	shift
	out=$(printf '%s\n' "$xml" | nsx br env -i PATH=/usr/bin:/bin XBR_PIN_ROOT="$XBR_PIN_ROOT" \
		"$H_HOOK" "$@" 2>"$XT_TMP/hook.err")
	rc=$?
	HOOK_ERR=$(cat "$XT_TMP/hook.err")
	[ -z "$out" ] || xt_fail "hook $* printed on stdout: $out"
	return $rc
}
hook_ok() { hook "$@" || xt_fail "hook ${*:2} failed: $HOOK_ERR"; }

# -- a domain's life: prepare, start, started, stopped, release.
hook_ok "$WEB" web1 prepare begin -
[ -z "$(ports br0)$(ports br1)" ] || xt_fail "prepare added ports: $(ports br0) / $(ports br1)"
hook_ok "$WEB" web1 start begin -
[ "$(ports br0)" = "web1-0 web1-2" ] || xt_fail "start: br0 has '$(ports br0)'"
[ "$(ports br1)" = "web1-1" ] || xt_fail "start: br1 has '$(ports br1)'"
[ "$(field br0 web1-0 locked)" = true ] || xt_fail "port-set locked on not applied to web1-0"
field br0 web1-0 macs | grep -q 52:54:00:aa:00:01 || xt_fail "web1-0 not locked to its MAC"
[ "$(field br1 web1-1 mode)" = tc ] || xt_fail "port-add mode tc not applied to web1-1"
[ "$(field br0 web1-2 locked)" = false ] || xt_fail "web1-2 (default rule) got web1-0's settings"
in_bridge br0 vnet9 && xt_fail "the type='network' interface was added"
xt_log "ok: start begin: web1-0 (by mac) and web1-2 (default) in br0, web1-1 (by dev) in br1"
hook_ok "$WEB" web1 started begin -
[ "$(ports br0) / $(ports br1)" = "web1-0 web1-2 / web1-1" ] || xt_fail "started changed ports"

# libvirtd restarted: reconnect keeps what is there and adds what is not.
x port del br0 web1-2 || xt_fail "port del web1-2"
hook_ok "$WEB" web1 reconnect begin -
[ "$(ports br0)" = "web1-0 web1-2" ] || xt_fail "reconnect: br0 has '$(ports br0)'"
[ "$(field br0 web1-0 locked)" = true ] || xt_fail "reconnect lost web1-0's lock"
xt_log "ok: reconnect begin: missing port added back, present ones kept"

# Stop: QEMU exited, so its taps are gone (ports "gone") when libvirt calls.
ip -n "$(xt_nsname br)" link del web1-0
hook_ok "$WEB" web1 stopped end -
[ -z "$(ports br0)$(ports br1)" ] || xt_fail "stopped left ports: '$(ports br0)' / '$(ports br1)'"
hook_ok "$WEB" web1 release end shutdown
xt_log "ok: stopped end: every port removed (a vanished tap's too); release end: nothing left to do"

# release after a start that failed half-way (no "stopped"): ports whose tap
# vanished go; a live tap of that name may be another domain's by now: kept.
ip -n "$(xt_nsname br)" tuntap add dev web1-0 mode tap vnet_hdr || xt_fail "tap web1-0 again"
x port add br0 web1-0 && x port add br0 web1-2 || xt_fail "port add web1-0, web1-2"
ip -n "$(xt_nsname br)" link del web1-2
hook_ok "$WEB" web1 release end failed
[ "$(ports br0)" = web1-0 ] || xt_fail "release: br0 has '$(ports br0)', not the live web1-0 alone"
x port del br0 web1-0 || xt_fail "port del web1-0"
ip -n "$(xt_nsname br)" tuntap add dev web1-2 mode tap vnet_hdr || xt_fail "tap web1-2 again"
xt_log "ok: release end: the vanished tap's port removed, a live tap's kept"

# Incoming migration and restore pass the XML through: nothing printed.
hook_ok "$WEB" web1 migrate begin -
hook_ok "$WEB" web1 restore begin -
[ -z "$(ports br0)$(ports br1)" ] || xt_fail "migrate/restore added ports"
xt_log "ok: migrate begin, restore begin: no output, no change"

# -- no xbr metadata: left alone, whatever happens.
PLAIN=$(domain_xml db1 "    <app:x xmlns:app='urn:example:app'/>" "$(ethernet db1-0 52:54:00:bb:00:01)")
for op in "prepare begin" "start begin" "started begin" "stopped end" "release end"; do
	# shellcheck disable=SC2086
	hook_ok "$PLAIN" db1 $op -
	[ -z "$HOOK_ERR" ] || xt_fail "hook on a domain without xbr metadata said: $HOOK_ERR"
done
[ -z "$(ports br0)$(ports br1)" ] || xt_fail "a domain without xbr metadata got ports"
xt_log "ok: a domain without xbr metadata: nothing done, nothing said"

# -- failures at start: an error that names the problem, no port left, exit 1.
expect_fail()	# expect_fail DESC PATTERN XML OP SUBOP
{
	local d=$1 pat=$2 xml=$3
	shift 3
	hook "$xml" web1 "$@" - && xt_fail "$d: the hook succeeded"
	grep -Eq -- "$pat" <<<"$HOOK_ERR" || xt_fail "$d: error '$HOOK_ERR' does not match /$pat/"
	[ -z "$(ports br0)$(ports br1)" ] || xt_fail "$d: ports left: '$(ports br0)' / '$(ports br1)'"
	xt_log "ok: $d: $(tr '\n' ' ' <<<"$HOOK_ERR")"
}
# sub TEXT FROM TO: TEXT with FROM (a plain string) replaced by TO.
sub() { local f=$2 t=$3; printf '%s' "${1/"$f"/"$t"}"; }
BAD=$(domain_xml web1 "$(sub "$WEB_META" "bridge='br1'" "bridge='br9'")" "$WEB_IFACES")
expect_fail "prepare, bridge missing" "bridge br9 does not exist" "$BAD" prepare begin
# The third interface's tap is not there: the two before it are taken out again.
GONE=$(domain_xml web1 "$WEB_META" "$(sub "$WEB_IFACES" web1-2 web1-7)")
expect_fail "start, a tap missing" "no such device: web1-7" "$GONE" start begin
BADSET=$(domain_xml web1 "$(sub "$WEB_META" "mode tc" "mode fast")" "$WEB_IFACES")
expect_fail "start, port-add refused" "invalid mode \"fast\"" "$BADSET" start begin
TYPO=$(domain_xml web1 "$(sub "$WEB_META" 52:54:00:AA:00:01 52:54:00:AA:00:0f)" "$WEB_IFACES")
expect_fail "a rule for no interface" "names 52:54:00:aa:00:0f .* no <interface type='ethernet'>" \
	"$TYPO" start begin
ATTR=$(domain_xml web1 "$(sub "$WEB_META" port-add= portadd=)" "$WEB_IFACES")
expect_fail "unknown attribute" "attribute 'portadd' unknown" "$ATTR" prepare begin
NOBR=$(domain_xml web1 "$(sub "$WEB_META" "<xbr:port bridge='br0'/>" "<xbr:port/>")" "$WEB_IFACES")
expect_fail "a rule without bridge" "names no bridge" "$NOBR" prepare begin
expect_fail "XML that does not parse" "does not parse" "<domain><name>web1" start begin
exit 0
