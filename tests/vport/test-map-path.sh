#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# QEMU >= 10.1: the client binds 2 queues and inserts its sockets into the
# pinned XSKMAP itself (map-path=, from `xbr vport qemu`). Counted both ways:
# ARP and ping from the hosts answered by the client, the client's own
# pings answered by a host, UDP flows spread over both queues with every
# checksum complete, and xbr's counters agreeing with the client's.
set -e
. "$(dirname "$0")/lib.sh"
vp_init vport-map-path
vp_bridge
# IPv6 on in the bridge namespace, as on a host: none of the host's own
# IPv6 chatter may reach the VM (the client counts it as "other").
nsx br sysctl -qw net.ipv6.conf.all.disable_ipv6=0 net.ipv6.conf.default.disable_ipv6=0
vp_vport queues 2

NETDEV=$(xbr_br vport qemu "$BR" "$VM" map-path)
client_start "$XT_TMP/c.out" -netdev "$NETDEV" --ping "${IP[h1]}" --count 10 --interval 0.05
[ "$(sockets)" = 2 ] || xt_fail "vport show: $(sockets) sockets, expected 2"
for q in 0 1; do
	[ "$(xbr_br -j vport show "$BR" "$VM" | jq ".[0].queue[$q].bound_queue")" = $q ] ||
		xt_fail "queue $q: socket bound elsewhere"
done
xt_log "ok: the client's 2 sockets are in the map, each bound to its queue"

ping_vm h1 5 || xt_fail "h1 cannot ping the VM"
ping_vm h2 5 || xt_fail "h2 cannot ping the VM"
xt_log "ok: h1 and h2 ping the VM (ARP and echo answered by the client)"
n=$(udp_vm h1 64)
[ "$n" = 64 ] || xt_fail "UDP: $n of 64 echoes came back to h1"
xt_log "ok: 64 UDP flows from h1 echoed by the VM, accepted by h1's kernel"
sleep 1	# the client's own 10 pings to h1, 50 ms apart, are done by now

stop_wait "$CLIENT_PID" || xt_fail "client exited with $?"
out=$XT_TMP/c.out
cat "$out"
[ "$(cstat "$out" arp_replies)" -ge 2 ] || xt_fail "client answered < 2 ARP requests"
[ "$(cstat "$out" echo_replies)" = 10 ] || xt_fail "client answered $(cstat "$out" echo_replies) of 10 pings"
[ "$(cstat "$out" udp_ok)" = 64 ] || xt_fail "client got $(cstat "$out" udp_ok) of 64 UDP"
[ "$(cstat "$out" bad_csum)" = 0 ] || xt_fail "$(cstat "$out" bad_csum) frames with bad checksums reached the VM"
[ "$(cstat "$out" pings_sent)" = 10 ] && [ "$(cstat "$out" pongs)" = 10 ] ||
	xt_fail "client pings to h1: $(cstat "$out" pongs) of $(cstat "$out" pings_sent) answered"
[ "$(cstat "$out" other)" = 0 ] || xt_fail "the VM received $(cstat "$out" other) frames that were not for it"
xt_log "ok: client counts: ARP, 10 echo replies, 64 UDP, 10/10 own pings, 0 bad checksums, no stray frames"
for q in 0 1; do
	[ "$(cstat "$out" rx_q$q)" -gt 0 ] || xt_fail "queue $q received nothing"
	[ "$(qstat $q xsk_packets)" = "$(cstat "$out" rx_q$q)" ] ||
		xt_fail "queue $q: xbr counted $(qstat $q xsk_packets), client received $(cstat "$out" rx_q$q)"
	[ "$(qstat $q no_socket_packets)" = 0 ] || xt_fail "queue $q: frames without socket"
done
xt_log "ok: both queues carried frames; xbr's per-queue counts equal the client's"
tx=$(( $(cstat "$out" tx_q0) + $(cstat "$out" tx_q1) ))
from_vm=$(xbr_br -j vport show "$BR" "$VM" | jq .[0].port_stats.from_vm_packets)
[ "$from_vm" = "$tx" ] || xt_fail "client sent $tx frames, the bridge port counted $from_vm"
xt_log "ok: the bridge port counted every frame the client sent ($tx)"

# QEMU's cleanup deleted its map entries.
[ "$(sockets)" = 0 ] || xt_fail "sockets left in the map after the client exited"
xt_log "ok: no socket left in the map"
