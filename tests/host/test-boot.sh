#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# A boot with xbr.service, its commands run as systemd would, in namespaces
# of ours: /etc/xbr/xbr.conf names bridge br0 with a host port and uplink
# eth1; after ExecStartPre and ExecStart (xbr apply) the host's address on
# br0 (what ifupdown or networkd then add) answers the LAN. Then what a
# reboot does (bpffs emptied, interfaces made anew) and the unit again: the
# same bridge, the LAN reaches the host again.
#
#   ns host: br0 (host side of the host port) 10.197.0.1, eth1 -- br0
#       <-veth-> lan0 10.197.0.2 (ns lan)
. "$(dirname "$0")/../lib/net.sh"
. "$(dirname "$0")/lib.sh"
xt_init host-boot
xt_need_xbr
xt_need jq python3
host_install
host_need_cmd "xbr apply" "$H_SBIN/xbr" apply

cat >"$H_ETC/xbr.conf" <<'EOF'
# the host's bridge
bridge add br0 host-port
port add br0 eth1
EOF
xt_ns host
xt_ns lan

# boot: the interfaces the host has before xbr.service, then the unit.
boot()
{
	ip -n "$(xt_nsname host)" link del eth1 2>/dev/null
	xt_veth host eth1 lan lan0 02:00:00:00:19:72
	ip -n "$(xt_nsname lan)" addr flush dev lan0
	xt_addr lan lan0 10.197.0.2/24
	host_run_unit host xbr.service ExecStartPre -e XBR_PIN_ROOT="$XBR_PIN_ROOT"
	host_run_unit host xbr.service ExecStart -e XBR_PIN_ROOT="$XBR_PIN_ROOT"
	# network-pre.target is reached: ifupdown configures br0.
	xt_addr host br0 10.197.0.1/24 || xt_fail "no br0 to put the host's address on"
	ip -n "$(xt_nsname host)" link set br0 up
}

check()
{
	local ports
	ports=$(xbr_in host -j port show br0 | jq -r '[.[].dev] | sort | join(" ")')
	[ "$ports" = "br0-hp eth1" ] || xt_fail "$1: br0's ports are '$ports'"
	xt_ping lan 10.197.0.1 3 || xt_fail "$1: the LAN cannot reach the host on br0"
	xt_log "ok: $1: br0 with br0-hp and eth1, the LAN pings the host"
}

boot
check "first boot"

# A reboot: bpffs starts empty, the NIC is a new netdev, nothing of br0 left.
umount "$XBR_PIN_ROOT" && mount -t bpf bpf "$XBR_PIN_ROOT" || xt_fail "cannot renew bpffs"
ip -n "$(xt_nsname host)" link del br0 2>/dev/null
boot
check "after a reboot"
exit 0
