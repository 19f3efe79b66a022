#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# Debian's QEMU (TCG) boots a Linux guest on -netdev tap with xbr's tap
# scripts as installed: QEMU makes tap vm0 and runs qemu-ifup, which puts it
# in bridge br0 (qemu.conf) locked to the guest's MAC (XBR_PORT_SET in
# QEMU's environment); the guest pings a namespace host across the bridge
# and is pinged back; when the guest powers off, QEMU runs qemu-ifdown and
# the port is gone.
#
#   guest eth0 52:54:00:12:34:56 10.198.0.2 = tap vm0 (ns br) -- br0 --
#       farp (ns br) <-veth-> far0 10.198.0.1 (ns far)
. "$(dirname "$0")/../lib/net.sh"
. "$(dirname "$0")/../lib/guest.sh"
. "$(dirname "$0")/lib.sh"
xt_init host-qemu-tap
xt_need_xbr
xt_need jq
xt_guest_need
[ -c /dev/net/tun ] || xt_skip "no /dev/net/tun"
host_install
MAC=52:54:00:12:34:56

xt_guest_initrd "$XT_TMP/initrd.gz" '
ip link set eth0 up
ip addr add 10.198.0.2/24 dev eth0
if ping -c 5 -i 0.5 -W 3 10.198.0.1 >/tmp/ping; then
	echo "GUEST PING OK $(grep -o "[0-9]* packets received" /tmp/ping)"
else
	echo "GUEST PING FAILED"; cat /tmp/ping
fi
echo "GUEST WAITING"
timeout 90 nc -l -p 7777 >/dev/null
echo "GUEST BYE"'

xt_ns br
xt_ns far
xt_veth br farp far far0 02:00:00:00:19:01
xt_addr far far0 10.198.0.1/24
xbr_in br bridge add br0 || xt_fail "bridge add br0"
xbr_in br port add br0 farp || xt_fail "port add farp"
grep -q '^bridge br0$' "$H_ETC/qemu.conf" || xt_fail "the installed qemu.conf does not name br0"

console=$XT_TMP/console.log
xt_bg br env XBR_PORT_SET="locked on mac $MAC" timeout 180 "$XT_QEMU" \
	-accel tcg -m 256 -nographic -no-reboot \
	-kernel "$XT_KERNEL" -initrd "$XT_TMP/initrd.gz" -append "console=ttyS0 panic=-1 quiet" \
	-netdev "tap,id=n0,ifname=vm0,script=$H_IFUP,downscript=$H_IFDOWN" \
	-device "virtio-net-pci,netdev=n0,mac=$MAC" </dev/null >"$console" 2>&1
qpid=$XT_LAST_PID

port() { xbr_in br -j port show br0 | jq -c '.[] | select(.dev == "vm0")'; }
xt_guest_wait "$console" "$qpid" "GUEST WAITING" ||
	{ tail -30 "$console"; xt_fail "the guest did not get through its ping"; }
grep -q "GUEST PING OK" "$console" || { tail -30 "$console"; xt_fail "the guest could not ping 10.198.0.1"; }
xt_log "$(grep -o 'GUEST PING OK.*' "$console")"
p=$(port)
[ -n "$p" ] || xt_fail "vm0 is not a port of br0 while the guest runs"
[ "$(jq -r .kind <<<"$p")" = tap ] || xt_fail "vm0 is a $(jq -r .kind <<<"$p") port, not a tap"
[ "$(jq -r .locked <<<"$p")" = true ] || xt_fail "XBR_PORT_SET from QEMU's environment not applied"
xt_log "ok: qemu-ifup made QEMU's tap vm0 a port of br0, locked to $MAC: $p"
xt_ping far 10.198.0.2 3 || xt_fail "the far host cannot ping the guest"
xt_log "ok: far0 pings the guest back"
rx=$(xbr_in br -j stats br0 dev vm0 | jq '.[0].rx_packets')
[ "$rx" -gt 0 ] || xt_fail "xbr counted $rx frames from vm0"

# Tell the guest to power off; QEMU then runs qemu-ifdown.
nsx far bash -c 'echo bye >/dev/tcp/10.198.0.2/7777' || xt_fail "cannot reach the guest's port 7777"
for _ in $(seq 60); do kill -0 "$qpid" 2>/dev/null || break; sleep 1; done
kill -0 "$qpid" 2>/dev/null && xt_fail "QEMU still runs after the guest powered off"
wait "$qpid"
rc=$?
[ $rc = 0 ] || { tail -20 "$console"; xt_fail "QEMU exited $rc"; }
[ -z "$(port)" ] || xt_fail "vm0 still in br0 after QEMU exited: $(port)"
grep -q "GUEST BYE" "$console" || xt_fail "the guest did not get the host's word"
xt_log "ok: guest powered off, QEMU ran qemu-ifdown: vm0 left br0"
exit 0
