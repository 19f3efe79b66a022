#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# What goes wrong around a vport, and what the user sees: a queue without
# a socket, a wrong queue count (map-path and sock-fds), vport run without
# {sock-fds}, a second user of a busy vport, the vport deleted under a
# running client, a killed client. Each time: a clear error, no stale map
# entry, and h1 <-> h2 on the same bridge undisturbed.
set -e
. "$(dirname "$0")/lib.sh"
vp_init vport-errors
vp_bridge
vp_vport queues 2
MAP=$(xbr_br vport qemu "$BR" "$VM" map-path)
FDS=$(xbr_br vport qemu "$BR" "$VM" sock-fds)

# -- socket missing: a client on queue 0 only (QEMU accepts queues=1 here).
client_start "$XT_TMP/q1.out" -netdev "${MAP/queues=2/queues=1}"
[ "$(sockets)" = 1 ] || xt_fail "expected 1 socket, vport show says $(sockets)"
n=$(udp_vm h1 32)
show=$(xbr_br vport show "$BR" "$VM")
grep -q "queue 1: no socket" <<<"$show" || xt_fail "show does not flag queue 1: $show"
[ "$(qstat 1 no_socket_packets)" -gt 0 ] || xt_fail "no_socket not counted on queue 1"
[ "$n" -lt 32 ] || xt_fail "all 32 flows answered with queue 1 missing?"
xt_log "ok: queue without a socket: show says so, $(qstat 1 no_socket_packets) frames counted as no_socket, $n of 32 flows answered"
stop_wait "$CLIENT_PID" || xt_fail "client exit $?"
[ "$(sockets)" = 0 ] || xt_fail "stale entry after the 1-queue client"
hosts_ok || xt_fail "h1 <-> h2"

# -- wrong queue count, map-path: QEMU binds queue 2 of a 2-queue device
# and fails; its cleanup takes queues 0 and 1 back out of the map.
rc=0
nsx br "$CLIENT" -netdev "${MAP/queues=2/queues=3}" --mac "$VM_MAC" --ip "$VM_IP" \
	>/dev/null 2>"$XT_TMP/q3.err" || rc=$?
[ $rc != 0 ] || xt_fail "client with queues=3 succeeded"
grep -q "failed to create AF_XDP socket for vm1 queue_id: 2" "$XT_TMP/q3.err" ||
	xt_fail "unexpected error: $(cat "$XT_TMP/q3.err")"
[ "$(sockets)" = 0 ] && [ "$(stray_sockets)" = 0 ] || xt_fail "stale entries after queues=3"
xt_log "ok: queues=3 on a 2-queue vport: QEMU's error ($(head -1 "$XT_TMP/q3.err")), map empty"

# -- wrong queue count, sock-fds: xbr refuses before starting anything.
xt_expect_err "vport run with queues=3" "has 2 queues but the -netdev argument says queues=3" \
	nsx br "$XBR" vport run "$BR" "$VM" -- "$CLIENT" -netdev "${FDS/queues=2/queues=3}"
xt_expect_err "vport run with another ifname" "ifname=vm9, not the vport's vm1" \
	nsx br "$XBR" vport run "$BR" "$VM" -- "$CLIENT" -netdev "${FDS/ifname=vm1/ifname=vm9}"
xt_expect_err "vport run without {sock-fds}" "no \{sock-fds\} in the command" \
	nsx br "$XBR" vport run "$BR" "$VM" -- "$CLIENT" -netdev "$MAP"
xt_expect_err "vport run of a missing command" "cannot run /nonexistent" \
	nsx br "$XBR" vport run "$BR" "$VM" -- /nonexistent "$FDS"
[ "$(sockets)" = 0 ] || xt_fail "stale entries after refused runs"

# -- a busy vport: a second user is refused, the first keeps working.
client_start "$XT_TMP/busy.out" -netdev "$MAP"
xt_expect_err "vport run on a busy vport" "queue 0 has a socket already" \
	nsx br "$XBR" vport run "$BR" "$VM" -- "$CLIENT" -netdev "$FDS"
ping_vm h1 2 || xt_fail "first client disturbed by the refused run"

# -- killed client (map-path): the kernel takes its sockets out of the map.
kill -9 "$CLIENT_PID"
wait "$CLIENT_PID" 2>/dev/null || true
[ "$(sockets)" = 0 ] || xt_fail "killed client left $(sockets) sockets in the map"
ping_vm h1 1 && xt_fail "VM answers after its client was killed"
hosts_ok || xt_fail "h1 <-> h2 after the kill"
xt_log "ok: killed map-path client: no stale map entry"

# -- vport deleted while a client is attached: del warns, the client sees
# its sockets fail (ENETDOWN) and exits with an error; nothing stays behind.
client_start "$XT_TMP/del.out" -netdev "$MAP"
ping_vm h1 2 || xt_fail "no ping before del"
xt_expect_ok "vport del with a client attached" xbr_br vport del "$BR" "$VM"
rc=0
for _ in $(seq 50); do
	kill -0 "$CLIENT_PID" 2>/dev/null || break
	sleep 0.1
done
wait "$CLIENT_PID" || rc=$?
[ $rc = 2 ] || xt_fail "client exit $rc after vport del, expected 2 (socket error)"
grep -q "socket error: Network is down" "$XT_TMP/del.out.err" ||
	xt_fail "client error: $(cat "$XT_TMP/del.out.err")"
[ ! -e "$XBR_PIN_ROOT/xbr/$BR/vports/$VM" ] || xt_fail "pins left"
! ip -n "$(xt_nsname br)" link show vm1 >/dev/null 2>&1 || xt_fail "vm1 left"
hosts_ok || xt_fail "h1 <-> h2 after vport del"
xt_log "ok: vport del under a client: client fails with ENETDOWN, nothing left, hosts fine"

# The warning of del itself.
vp_vport queues 2
client_start "$XT_TMP/del2.out" -netdev "$MAP"
err=$(xbr_br vport del "$BR" "$VM" 2>&1) || xt_fail "vport del failed: $err"
grep -q "queues 0,1 had a socket" <<<"$err" || xt_fail "vport del did not warn: $err"
wait "$CLIENT_PID" || true
xt_log "ok: vport del warns: $err"

# -- a VM sending from another MAC than its vport's: the lock drops it.
vp_vport queues 2
CLIENT_MAC=52:54:00:00:00:99 client_start "$XT_TMP/spoof.out" -netdev "$MAP"
ping_vm h1 1 && xt_fail "a VM with a foreign MAC is reachable"
locked=$(xbr_br -j stats "$BR" dev vm1-br | jq '.[0].drops.locked')
[ "$locked" -gt 0 ] || xt_fail "no locked drops on vm1-br"
stop_wait "$CLIENT_PID" || true
xbr_br vport del "$BR" "$VM" || xt_fail "vport del"
xt_log "ok: frames from a MAC other than the vport's are dropped ($locked counted as locked)"

# -- the VM side deleted behind xbr's back: show says gone, del cleans up.
vp_vport queues 2
ip -n "$(xt_nsname br)" link del vm1
[ "$(xbr_br -j vport show "$BR" "$VM" | jq -r '.[0].state')" = gone ] ||
	xt_fail "vport show does not say gone"
xt_expect_ok "vport del of a gone vport" xbr_br vport del "$BR" "$VM"
[ ! -e "$XBR_PIN_ROOT/xbr/$BR/vports/$VM" ] || xt_fail "pins left"
[ -z "$(xbr_br -j port show "$BR" | jq -r '.[] | select(.dev == "vm1-br") | .dev')" ] ||
	xt_fail "vm1-br still a port"
hosts_ok || xt_fail "h1 <-> h2 at the end"
xt_log "ok: a vport whose netdev vanished shows as gone and deletes cleanly"
