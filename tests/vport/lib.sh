# SPDX-License-Identifier: GPL-2.0
# The vport suite's topology, on top of tests/lib/net.sh. Source it, then
# vp_init NAME; vp_bridge; vp_vport [ARGS].
#
#   namespace br:  bridge br0; ports vnet1 vnet2 (hosts), vport vm1 whose
#                  VM side vm1 carries the AF_XDP sockets of xsk_client, the
#                  stand-in for QEMU's -netdev af-xdp and its guest
#   namespace h1:  vif0 02:00:00:00:00:01 10.77.0.1/24 <-> vnet1
#   namespace h2:  vif0 02:00:00:00:00:03 10.77.0.3/24 <-> vnet2
#   the "VM":      52:54:00:00:00:02 10.77.0.2, answered by xsk_client
#
# h1 and h2 keep checksum offload on: UDP from them reaches the bridge
# CHECKSUM_PARTIAL, which the vport must finish before the VM sees it.

# shellcheck source=../lib/net.sh
. "$(dirname "${BASH_SOURCE[0]}")/../lib/net.sh"

BR=br0
VM=vm1
VM_MAC=52:54:00:00:00:02
VM_IP=10.77.0.2
declare -A IP=([h1]=10.77.0.1 [h2]=10.77.0.3)
declare -A MAC=([h1]=02:00:00:00:00:01 [h2]=02:00:00:00:00:03)
declare -A PORT=([h1]=vnet1 [h2]=vnet2)
CLIENT=$xt_root/build/vport/xsk_client
UDP_PROBE=$xt_root/tests/vport/udp_probe.py

vp_init()
{
	local h
	xt_init "$1"
	xt_need jq python3
	xt_need_xbr
	[ -x "$CLIENT" ] || xt_fail "test client not built: $CLIENT (make vport-tests)"
	xt_ns br
	for h in h1 h2; do
		xt_ns "$h"
		xt_veth br "${PORT[$h]}" "$h" vif0 "${MAC[$h]}"
		xt_addr "$h" vif0 "${IP[$h]}/24"
	done
}

xbr_br() { xbr_in br "$@"; }

vp_bridge()
{
	xbr_br bridge add "$BR" || xt_fail "bridge add $BR"
	xbr_br port add "$BR" vnet1 || xt_fail "port add vnet1"
	xbr_br port add "$BR" vnet2 || xt_fail "port add vnet2"
}

# vp_vport [ARGS]: xbr vport add br0 vm1 mac VM_MAC ARGS.
vp_vport() { xbr_br vport add "$BR" "$VM" mac "$VM_MAC" "$@" || xt_fail "vport add $*"; }

# client_start OUT -netdev ARG [ARGS]: xsk_client in the bridge namespace
# as the VM (with MAC $CLIENT_MAC if set, else the vport's); waits until its
# sockets exist. Pid in $CLIENT_PID.
client_start()
{
	local out=$1
	shift
	rm -f "$XT_TMP/ready"
	xt_bg br "$CLIENT" "$@" --mac "${CLIENT_MAC:-$VM_MAC}" --ip "$VM_IP" \
		--ready "$XT_TMP/ready" >"$out" 2>"$out.err"
	CLIENT_PID=$XT_LAST_PID
	xt_wait 10 test -e "$XT_TMP/ready" ||
		xt_fail "client did not start: $(cat "$out.err")"
}

# run_start OUT -- CMD...: `xbr vport run br0 vm1 -- CMD` in the background;
# waits until the command is up. Pid of xbr in $RUN_PID.
run_start()
{
	local out=$1
	shift
	rm -f "$XT_TMP/ready"
	xt_bg br "$XBR" vport run "$BR" "$VM" -- "$CLIENT" "$@" --mac "$VM_MAC" \
		--ip "$VM_IP" --ready "$XT_TMP/ready" >"$out" 2>"$out.err"
	RUN_PID=$XT_LAST_PID
	xt_wait 10 test -e "$XT_TMP/ready" ||
		xt_fail "vport run did not start the client: $(cat "$out.err")"
}

# client_pid: the xsk_client started by vport run.
client_pid() { pgrep -f "^$CLIENT -netdev" | head -1; }

# stop_wait PID: SIGTERM, then the exit code of PID.
stop_wait()
{
	kill "$1" 2>/dev/null
	wait "$1"
}

# cstat OUT KEY: a counter the client printed at exit.
cstat() { grep -o "\b$2=[0-9]*" "$1" | head -1 | cut -d= -f2; }

# sockets: how many queues of vm1 hold a socket (vport show -j).
sockets() { xbr_br -j vport show "$BR" "$VM" | jq '.[0].sockets'; }
# stray_sockets: sockets at XSKMAP keys outside the vport's queues.
stray_sockets() { xbr_br -j vport show "$BR" "$VM" | jq '[.[0].queue[] | select(.outside_queues and .socket)] | length'; }
# qstat Q FIELD: vport show -j counter of queue Q.
qstat() { xbr_br -j vport show "$BR" "$VM" | jq ".[0].queue[$1].$2"; }

# wait_sockets N: until N queues hold a socket.
wait_sockets() { xt_wait_eq 10 "$1" sockets; }

# ping_vm HOST [COUNT]: HOST pings the VM (the client answers ARP and ICMP).
ping_vm() { nsx "$1" ip neigh flush dev vif0; xt_ping "$1" "$VM_IP" "${2:-3}"; }

# udp_vm HOST N: N UDP flows from HOST to the VM, each echoed by the client;
# prints the number of echoes HOST's kernel accepted.
udp_vm() { nsx "$1" python3 "$UDP_PROBE" "$VM_IP" 7 "$2" | sed 's/.*received=//'; }

# hosts_ok: the rest of the bridge still forwards: h1 <-> h2.
hosts_ok() { xt_ping h1 "${IP[h2]}" 2 && xt_ping h2 "${IP[h1]}" 2; }

xt_on_fail()
{
	echo "---- xbr state ----"
	xbr_br vport show 2>&1
	xbr_br port show "$BR" 2>&1
	xbr_br stats "$BR" 2>&1
	for f in "$XT_TMP"/*.out "$XT_TMP"/*.out.err; do
		[ -f "$f" ] && { echo "-- $f"; cat "$f"; }
	done
}
