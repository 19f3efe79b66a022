#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# QEMU 8.2-10.0: `xbr vport run br0 vm1 -- CLIENT -netdev ...sock-fds={sock-fds}`
# makes the 2 sockets, the client builds its UMEMs on them and binds them,
# xbr inserts each once bound. Traffic both ways, over the tc path (h1) and
# the native XDP path (h2's port in mode xdp redirects into vm1-br); then
# the client's own exit and a killed client: xbr passes the exit status on
# and the map is empty afterwards.
set -e
. "$(dirname "$0")/lib.sh"
vp_init vport-run
xt_need ethtool
vp_bridge
# h2 through native XDP: complete checksums from its sender (mode xdp is
# that promise), NAPI for the redirects back into its veth (GRO).
nsx h2 ethtool -K vif0 tx off gro on >/dev/null
xbr_br port del "$BR" vnet2 && xbr_br port add "$BR" vnet2 mode xdp || xt_fail "vnet2 mode xdp"
vp_vport queues 2

NETDEV=$(xbr_br vport qemu "$BR" "$VM" sock-fds)
run_start "$XT_TMP/r.out" -netdev "$NETDEV"
wait_sockets 2 || xt_fail "vport run: $(sockets) of 2 sockets in the map"
xt_log "ok: vport run inserted both sockets once the client bound them"
[ "$(xbr_br -j vport show "$BR" "$VM" | jq '[.[0].queue[].bound_queue] | join(",")' -r)" = 0,1 ] ||
	xt_fail "sockets not bound to their queues"

ping_vm h1 5 || xt_fail "h1 cannot ping the VM"
ping_vm h2 5 || xt_fail "h2 cannot ping the VM"
n=$(udp_vm h1 32)
[ "$n" = 32 ] || xt_fail "UDP from h1 (tc path): $n of 32 echoed"
xdp_xmit() { nsx br ethtool -S vm1-br | awk '/tx_queue_[0-9]+_xdp_xmit:/ { n += $2 } END { print n + 0 }'; }
before=$(xdp_xmit)
n=$(udp_vm h2 32)
[ "$n" = 32 ] || xt_fail "UDP from h2 (XDP path): $n of 32 echoed"
[ $(( $(xdp_xmit) - before )) -ge 32 ] ||
	xt_fail "h2's frames did not reach vm1-br by native XDP redirect ($before -> $(xdp_xmit))"
xt_log "ok: ping and UDP from h1 (tc) and h2 (XDP) answered by the VM"
hosts_ok || xt_fail "h1 <-> h2"

# The client's own exit (SIGTERM, status 0): vport run exits 0, map clean.
pid=$(client_pid)
[ -n "$pid" ] || xt_fail "no client process"
kill "$pid"
wait "$RUN_PID" || xt_fail "vport run exited with $? after the client's clean exit"
out=$XT_TMP/r.out
cat "$out"
[ "$(cstat "$out" echo_replies)" = 10 ] || xt_fail "echo replies: $(cstat "$out" echo_replies)"
[ "$(cstat "$out" udp_ok)" = 64 ] || xt_fail "UDP received: $(cstat "$out" udp_ok)"
[ "$(cstat "$out" bad_csum)" = 0 ] || xt_fail "bad checksums: $(cstat "$out" bad_csum)"
for q in 0 1; do
	[ "$(cstat "$out" rx_q$q)" -gt 0 ] || xt_fail "queue $q received nothing"
	[ "$(qstat $q xsk_packets)" = "$(cstat "$out" rx_q$q)" ] ||
		xt_fail "queue $q: xbr counted $(qstat $q xsk_packets), client $(cstat "$out" rx_q$q)"
done
[ "$(sockets)" = 0 ] || xt_fail "sockets left in the map after vport run"
xt_log "ok: counts agree, 0 bad checksums, vport run exited 0, map empty"

# A killed client: vport run reports it, exits 128+9, map clean.
run_start "$XT_TMP/k.out" -netdev "$NETDEV"
wait_sockets 2 || xt_fail "second run: sockets"
ping_vm h1 2 || xt_fail "second run: no ping"
kill -9 "$(client_pid)"
rc=0
wait "$RUN_PID" || rc=$?
[ $rc = 137 ] || xt_fail "vport run exited $rc after SIGKILL of its command, expected 137"
grep -q "killed by signal 9" "$XT_TMP/k.out.err" || xt_fail "no message about the kill"
[ "$(sockets)" = 0 ] || xt_fail "killed client left sockets in the map"
ping_vm h1 1 && xt_fail "the VM still answers after its client was killed"
hosts_ok || xt_fail "h1 <-> h2 after the kill"
xt_log "ok: killed client: vport run exits 137 and says so, no stale map entry"

# SIGTERM to vport run reaches the command (QEMU shuts down cleanly).
run_start "$XT_TMP/t.out" -netdev "$NETDEV"
wait_sockets 2 || xt_fail "third run: sockets"
kill -TERM "$RUN_PID"
rc=0
wait "$RUN_PID" || rc=$?
[ $rc = 0 ] || xt_fail "vport run exited $rc after SIGTERM, expected the command's 0"
grep -q "echo_replies=" "$XT_TMP/t.out" || xt_fail "the command did not exit through its handler"
[ "$(sockets)" = 0 ] || xt_fail "sockets left after SIGTERM"
[ -z "$(client_pid)" ] || xt_fail "the command outlived vport run"
xt_log "ok: SIGTERM to vport run is forwarded, the command exits cleanly, map empty"

# The command's own failure is passed on: exit status and messages.
rc=0
nsx br "$XBR" vport run "$BR" "$VM" -- "$CLIENT" -netdev "$NETDEV" --bogus 1 \
	>/dev/null 2>"$XT_TMP/f.err" || rc=$?
[ $rc = 1 ] || xt_fail "vport run exited $rc for a client that exited 1"
grep -q "never had a bound socket" "$XT_TMP/f.err" || xt_fail "no word about unbound sockets"
[ "$(sockets)" = 0 ] || xt_fail "sockets left after a failed command"
xt_log "ok: a failing command: its exit status, queues reported unbound, map empty"
