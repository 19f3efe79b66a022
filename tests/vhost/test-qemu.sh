#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# A real guest: QEMU (TCG) boots the Debian cloud kernel with a busybox
# initramfs made here, its virtio-net device on -netdev vhost-user served
# by xbr-vhost. The guest pings the far namespace through the vport and
# back; then the far end streams frames at the guest, and we report the
# guest interrupts and kicks per 1000 frames (EVENT_IDX at work).
# VH_QUEUES=2 (test-qemu-mq.sh): two queue pairs and two vCPUs, the stream
# spread over 64 flows, and both receive queues must carry frames.
. "$(dirname "$0")/../lib/net.sh"
. "$(dirname "$0")/lib.sh"
xt_init vhost-qemu
vh_need_build pktsend
vh_guest_need
STREAM=${VH_STREAM:-20000}
Q=${VH_QUEUES:-1}
VH_GUEST_MAC=52:54:00:12:34:56
GUEST_MAC=$VH_GUEST_MAC

vh_guest_initrd "$(cat <<INIT
if ping -c 5 -i 0.5 -W 3 10.199.0.1 >/tmp/ping; then
	echo "GUEST PING OK \$(grep -o '[0-9]* packets received' /tmp/ping)"
else
	echo "GUEST PING FAILED"; cat /tmp/ping
fi
# The host restarts xbr-vhost now; QEMU reconnects (reconnect=1) and the
# same guest, never reset, must get its network back.
echo "GUEST RESTART-BACKEND"
i=0
until ping -c 1 -W 1 10.199.0.1 >/dev/null; do
	i=\$((i + 1))
	[ \$i -ge 60 ] && break
done
ping -c 3 -i 0.5 -W 3 10.199.0.1 >/tmp/ping && echo "GUEST PING AGAIN OK"
before=\$(cat /sys/class/net/eth0/statistics/rx_packets)
echo "GUEST READY"
i=0
while [ \$i -lt 40 ]; do
	sleep 0.5
	n=\$(cat /sys/class/net/eth0/statistics/rx_packets)
	[ \$((n - before)) -ge $STREAM ] && break
	i=\$((i + 1))
done
echo "GUEST RX \$((n - before))"
poweroff -f
INIT
)"

vh_topology "$Q" nosink
xt_addr far far0 10.199.0.1/24
vh_start --queues "$Q"

vh_qemu guest "$VH_SOCK" "$Q"
qpid=$VH_QEMU_PID
console=$XT_TMP/guest.console

fail()
{
	tail -30 "$console"
	cat "$XT_TMP/xbr-vhost.log"
	xt_fail "$*"
}

wait_console()
{
	for _ in $(seq 150); do
		grep -q "$1" "$console" && return 0
		kill -0 "$qpid" 2>/dev/null || return 1
		sleep 1
	done
	return 1
}

wait_console "GUEST RESTART-BACKEND"
grep -q "GUEST PING OK" "$console" || fail "guest could not ping the far namespace"
xt_log "$(grep -o 'GUEST PING OK.*' "$console")"
vh_stop
vh_start --queues "$Q"
wait_console "GUEST READY"
grep -q "GUEST PING AGAIN OK" "$console" || fail "no ping after xbr-vhost restarted"
xt_log "xbr-vhost restarted, QEMU reconnected, the guest pings again"

# Stream at the guest; pktsend retries rather than drops at its end.
sleep 1
kill -USR1 "$VH_PID"
sleep 0.2
before_rx=$(vh_stat_sum rx_frames)
before_irq=$(vh_stat_sum rx_interrupts)
before_kick=$(vh_stat_sum rx_kicks)
nsx far "$VH_TOOLS/pktsend" far0 "$STREAM" 64 "$GUEST_MAC" 64 >/dev/null
wait "$qpid"
sleep 1.2	# the stats file is rewritten every second
rx=$(( $(vh_stat_sum rx_frames) - before_rx ))
irq=$(( $(vh_stat_sum rx_interrupts) - before_irq ))
kicks=$(( $(vh_stat_sum rx_kicks) - before_kick ))
grx=$(grep -o 'GUEST RX [0-9]*' "$console" | grep -o '[0-9]*$')
kdrop=$(( $(vh_stat_sum xsk_rx_ring_full) + $(vh_stat_sum xsk_rx_dropped) ))
xt_log "stream: far sent $STREAM, xbr-vhost delivered $rx, guest counted $grx, kernel dropped $kdrop (guest too slow)"
# Every streamed frame is delivered or counted by the kernel (the guest's
# own ARP and ping traffic may add a few).
[ $((rx + kdrop)) -ge "$STREAM" ] && [ $((rx + kdrop)) -le $((STREAM + 10)) ] ||
	fail "far end sent $STREAM: delivered $rx + dropped by the kernel $kdrop"
[ "$rx" -gt 0 ] && xt_log "per 1000 frames: $(awk "BEGIN {printf \"%.1f guest interrupts, %.1f RX kicks\", $irq * 1000 / $rx, $kicks * 1000 / $rx}")"
[ "$(vh_stat_sum drops)" = 0 ] || fail "xbr-vhost dropped $(vh_stat_sum drops)"
[ -n "$grx" ] && [ "$grx" -ge "$rx" ] || fail "guest counted $grx of $rx delivered"
if [ "$Q" -gt 1 ]; then
	for q in $(seq 0 $((Q - 1))); do
		n=$(vh_stat rx_frames "$q")
		xt_log "queue $q: $n frames to the guest, $(vh_stat tx_frames "$q") from it"
		[ "$n" -gt 0 ] || fail "receive queue $q carried nothing"
	done
fi
[ -n "${VH_DEBUG:-}" ] && { cat "$XT_TMP/xbr-vhost.log"; echo "before rx $before_rx irq $before_irq"; cat "$VH_SOCK.stats"; }
vh_check_layout
exit 0
