#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# xbr vport add/show/qemu/del: the veth pair, its queues, programs and pins,
# what show and qemu print, argument errors, and a del that leaves nothing.
set -e
. "$(dirname "$0")/lib.sh"
vp_init vport-cli
xt_need ethtool bpftool
vp_bridge
DIR=$XBR_PIN_ROOT/xbr/$BR/vports/$VM

# IPv6 on in the namespace, as on a host: the vport turns it off on its ends.
nsx br sysctl -qw net.ipv6.conf.all.disable_ipv6=0 net.ipv6.conf.default.disable_ipv6=0
vp_vport queues 2
for dev in vm1 vm1-br; do
	[ "$(nsx br cat /proc/sys/net/ipv6/conf/$dev/disable_ipv6)" = 1 ] ||
		xt_fail "IPv6 still on on $dev"
done
# The pair: both ends with 2 rx and 2 tx queues, the VM side runs xbr_vport,
# the bridge side is a port in mode xdp with tx checksum offload off.
for dev in vm1 vm1-br; do
	j=$(ip -n "$(xt_nsname br)" -d -j link show dev "$dev")
	[ "$(jq '.[0].num_tx_queues' <<<"$j")" = 2 ] || xt_fail "$dev: numtxqueues not 2"
	[ "$(jq '.[0].num_rx_queues' <<<"$j")" = 2 ] || xt_fail "$dev: numrxqueues not 2"
	[ "$(jq -r '.[0].operstate' <<<"$j")" = UP ] || xt_fail "$dev not up"
done
[ "$(ip -n "$(xt_nsname br)" -j link show dev vm1 | jq -r '.[0].xdp.prog.name')" = xbr_vport ] ||
	xt_fail "vm1 does not run xbr_vport"
xt_log "ok: veth pair with 2 queues each, xbr_vport on vm1"
port=$(xbr_br -j port show "$BR" | jq -c '.[] | select(.dev == "vm1-br")')
[ "$(jq -r .mode <<<"$port")" = xdp ] && [ "$(jq -r .xdp_target <<<"$port")" = true ] ||
	xt_fail "vm1-br is not an xdp port: $port"
nsx br ethtool -k vm1-br | grep -q '^tx-checksumming: off' ||
	xt_fail "vm1-br keeps tx checksum offload"
[ "$(jq -r .locked <<<"$port")" = true ] && [ "$(jq -r '.macs | join(",")' <<<"$port")" = "$VM_MAC" ] &&
	[ "$(jq -r .max_macs <<<"$port")" = 0 ] || xt_fail "vm1-br not locked to $VM_MAC: $port"
xt_log "ok: vm1-br is a port in mode xdp, tx checksumming off, locked to $VM_MAC"
for pin in xsks qstats info socks prog probe link; do
	[ -e "$DIR/$pin" ] || xt_fail "no pin $DIR/$pin"
done
nsx br bpftool map dump pinned "$DIR/info" | grep -q '"name": "vm1"' ||
	xt_fail "bpftool does not show the vport record by field names"
xt_log "ok: pins under vports/vm1, info readable with bpftool"

# show: text and JSON
out=$(xbr_br vport show)
grep -q "^br0 vm1: port vm1-br queues 2 sockets 0 mac $VM_MAC" <<<"$out" ||
	xt_fail "vport show: $out"
j=$(xbr_br -j vport show "$BR")
[ "$(jq -r '.[0].mac' <<<"$j")" = "$VM_MAC" ] || xt_fail "show -j mac: $j"
[ "$(jq '.[0].queues' <<<"$j")" = 2 ] || xt_fail "show -j queues: $j"
[ "$(jq '.[0].queue | length' <<<"$j")" = 2 ] || xt_fail "show -j queue list: $j"
[ "$(jq -r '.[0].xsk_map' <<<"$j")" = "$DIR/xsks" ] || xt_fail "show -j xsk_map: $j"
[ "$(jq '.[0].sockets' <<<"$j")" = 0 ] || xt_fail "show -j sockets: $j"
xt_log "ok: vport show, text and -j"

# qemu: both command lines, and each argument alone
out=$(xbr_br vport qemu "$BR" "$VM")
grep -qxF -- "-netdev af-xdp,id=vm1,ifname=vm1,queues=2,inhibit=on,map-path=$DIR/xsks,map-start-index=0" <<<"$out" ||
	xt_fail "vport qemu: no map-path line: $out"
grep -qF -- "vport run br0 vm1 -- qemu-system-x86_64 ... -netdev af-xdp,id=vm1,ifname=vm1,queues=2,inhibit=on,sock-fds={sock-fds}" <<<"$out" ||
	xt_fail "vport qemu: no sock-fds line: $out"
grep -qF -- "-device virtio-net-pci,netdev=vm1,mac=$VM_MAC,mq=on,vectors=6" <<<"$out" ||
	xt_fail "vport qemu: no -device line: $out"
[ "$(xbr_br vport qemu "$BR" "$VM" sock-fds)" = \
	"af-xdp,id=vm1,ifname=vm1,queues=2,inhibit=on,sock-fds={sock-fds}" ] ||
	xt_fail "vport qemu sock-fds"
xt_log "ok: vport qemu prints the map-path and sock-fds arguments"

# Errors name the object and the reason, and leave nothing behind.
xt_expect_err "duplicate vport" "vport vm1 exists" xbr_br vport add "$BR" "$VM"
xt_expect_err "name too long" "invalid vport name.*1-12" xbr_br vport add "$BR" vm1234567890123
xt_expect_err "queues 0" "invalid queues \"0\".*1-16" xbr_br vport add "$BR" vm2 queues 0
xt_expect_err "queues 17" "invalid queues \"17\".*1-16" xbr_br vport add "$BR" vm2 queues 17
xt_expect_err "bad mac" "invalid mac" xbr_br vport add "$BR" vm2 mac 01:00:5e:00:00:01
xt_expect_err "no bridge" "no such bridge: nobr" xbr_br vport add nobr vm2
xt_expect_err "netdev exists" "a netdev named vnet1 exists" xbr_br vport add "$BR" vnet1
xt_expect_err "mac of another vport" "cannot lock vm3-br to $VM_MAC: .*belongs to port vm1-br" \
	xbr_br vport add "$BR" vm3 mac "$VM_MAC"
! ip -n "$(xt_nsname br)" link show vm3 >/dev/null 2>&1 || xt_fail "failed add left vm3"
[ -z "$(xbr_br -j port show "$BR" | jq -r '.[] | select(.dev == "vm3-br") | .dev')" ] ||
	xt_fail "failed add left port vm3-br"
xt_expect_err "del unknown" "no vport vm2 in bridge br0" xbr_br vport del "$BR" vm2
xt_expect_err "qemu unknown" "no vport vm2" xbr_br vport qemu "$BR" vm2
! ip -n "$(xt_nsname br)" link show vm2 >/dev/null 2>&1 || xt_fail "failed add left vm2"
[ ! -e "$XBR_PIN_ROOT/xbr/$BR/vports/vm2" ] || xt_fail "failed add left pins"

# A second vport with one queue, no mac.
xbr_br vport add "$BR" vm2 || xt_fail "vport add vm2"
[ "$(xbr_br -j vport show "$BR" | jq -r '[.[].name] | join(",")')" = vm1,vm2 ] ||
	xt_fail "vport show lists vm1,vm2"
[ "$(xbr_br -j vport show "$BR" vm2 | jq -r '.[0].mac')" = null ] || xt_fail "vm2 has a mac"
[ "$(xbr_br -j port show "$BR" | jq -r '.[] | select(.dev == "vm2-br") | .locked')" = false ] ||
	xt_fail "vm2-br locked without a mac"
[ "$(xbr_br vport qemu "$BR" vm2 map-path)" = \
	"af-xdp,id=vm2,ifname=vm2,queues=1,inhibit=on,map-path=$XBR_PIN_ROOT/xbr/$BR/vports/vm2/xsks,map-start-index=0" ] ||
	xt_fail "vport qemu map-path for vm2"

# del: netdevs, port, programs and pins gone; the rest of the bridge works.
xbr_br vport del "$BR" "$VM" || xt_fail "vport del"
! ip -n "$(xt_nsname br)" link show vm1 >/dev/null 2>&1 || xt_fail "vm1 left behind"
! ip -n "$(xt_nsname br)" link show vm1-br >/dev/null 2>&1 || xt_fail "vm1-br left behind"
[ ! -e "$DIR" ] || xt_fail "vport del left $DIR"
[ -z "$(xbr_br -j port show "$BR" | jq -r '.[] | select(.dev == "vm1-br") | .dev')" ] ||
	xt_fail "vm1-br still a port"
[ ! -e "$XBR_PIN_ROOT/xbr/$BR/links/xdp_$(jq -r .ifindex <<<"$port")" ] || xt_fail "link pin of vm1-br left"
hosts_ok || xt_fail "h1 <-> h2 broken after vport del"
xbr_br vport del "$BR" vm2 || xt_fail "vport del vm2"
[ "$(xbr_br -j vport show | jq length)" = 0 ] || xt_fail "vports left"
xt_log "ok: vport del removes netdevs, port, pins; h1 <-> h2 still forward"
