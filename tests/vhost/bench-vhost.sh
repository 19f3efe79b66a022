#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# bench-vhost.sh [SECONDS] [ROUNDS]: guest TX and RX through xbr-vhost next
# to DPDK's own vhost-user back-end, with the same front-end (dpdk-testpmd
# virtio_user, 64 B) in interleaved windows (rates here drift within
# minutes, so only same-round ratios mean much), and through xbr-vhost on
# packed rings (virtio_user packed_vq=1) beside split ones. TX: the guest
# sends as fast as it can (txonly) into the same counting sink. RX: a
# live-frames generator (xdpgen) floods the far end of the veth as fast as
# the kernel goes, the guest counts (rxonly). Both are overloads.
# VH_BENCH_PATHS picks the paths (default "xbr xbr-packed dpdk").
#
#   xbr:        virtio_user -> xbr-vhost -> AF_XDP -> vm0 ==veth== far0 (sink)
#   xbr-packed: the same, packed rings
#   dpdk:       virtio_user -> testpmd net_vhost0 -io fwd-> net_af_packet0 on
#               vd0 ==veth== fard0 (sink)
#
# Per window: frames/s delivered (to the sink, or to the guest), frames
# offered (handed over by the guest, or generated), and frames lost on the
# way (offered - delivered, after draining).
# Not a test (not named test-*): run by hand or from `make bench`.
. "$(dirname "$0")/../lib/net.sh"
. "$(dirname "$0")/lib.sh"
SECS=${1:-3}
ROUNDS=${2:-3}
xt_init vhost-bench
vh_need_build xsk_redirect.bpf.o sink.bpf.o xdp_tx.bpf.o xdpgen
vh_hugepages 1024
vh_standin_topology
# The DPDK path's own veth and sink, in the same namespaces.
ip link add vd0 netns "$(xt_nsname vm)" type veth peer name fard0 \
	netns "$(xt_nsname far)" || xt_fail "veth vd0"
mkdir -p "$XBR_PIN_ROOT/fard"
vh_load "$VH_TOOLS/sink.bpf.o" "$XBR_PIN_ROOT/fard"
ip -n "$(xt_nsname far)" link set fard0 xdp pinned "$XBR_PIN_ROOT/fard/prog"
nsx vm tc qdisc replace dev vd0 root pfifo_fast
# vd0 takes XDP frames from the generator only in NAPI mode: an XDP_PASS
# program gives it that and hands frames to its stack (af_packet).
mkdir -p "$XBR_PIN_ROOT/gen"
bpftool prog loadall "$VH_TOOLS/xdp_tx.bpf.o" "$XBR_PIN_ROOT/gen" type xdp ||
	xt_fail "load xdp_tx.bpf.o"
ip -n "$(xt_nsname vm)" link set vd0 xdp pinned "$XBR_PIN_ROOT/gen/xdp_pass" ||
	xt_fail "xdp_pass on vd0"
ip -n "$(xt_nsname vm)" link set vd0 up
ip -n "$(xt_nsname far)" link set fard0 up

# xbr-vhost and DPDK's forwarding core both on CPU 0; the front-end's
# forwarding lcore is 1: two testpmds spinning on one core collapse both.
xt_bg vm taskset -c 0 "$VH_BIN" $VH_VPORT_ARGS \
	--socket "$VH_SOCK" -q 2>>"$XT_TMP/xbr-vhost.log"
VH_PID=$XT_LAST_PID
DSOCK=$XT_TMP/dpdk-vhost.sock
mkfifo "$XT_TMP/dpdk.in"
exec 7<>"$XT_TMP/dpdk.in"
nsx vm dpdk-testpmd -l 0,1 --main-lcore 1 --no-pci --huge-dir "$VH_HUGE" \
	-m 256 --file-prefix "xbrvhd$$" --single-file-segments \
	--vdev "net_vhost0,iface=$DSOCK,queues=1" \
	--vdev "net_af_packet0,iface=vd0,qpairs=1" \
	-- -i --forward-mode=io --nb-cores=1 <&7 >"$XT_TMP/dpdk-backend.out" 2>&1 &
XT_PIDS+=($!)
# Its forwarding lcore spins only between "start" and "stop": it runs
# only during its own windows.
for _ in $(seq 100); do [ -S "$VH_SOCK" ] && [ -S "$DSOCK" ] && break; sleep 0.1; done
[ -S "$DSOCK" ] || { cat "$XT_TMP/dpdk-backend.out"; xt_fail "DPDK vhost back-end did not start"; }

count() { bpftool -j map lookup pinned "$1/count" key 0 0 0 0 | sed -n 's/.*"value":\([0-9]*\).*/\1/p'; }

# tx_window SINKDIR BASE: one txonly window on $VH_SOCK; "rate offered lost".
tx_window()
{
	local c1 c2 c3 tx
	vh_testpmd "set fwd txonly
set txpkts 64
start
sleep 1
!count $1 >$XT_TMP/c1
sleep $SECS
!count $1 >$XT_TMP/c2
stop
sleep 1" ",queues=1$VDEV" || { tail "$XT_TMP/testpmd.out" >&2; return 1; }
	sleep 0.5
	c1=$(cat "$XT_TMP/c1"); c2=$(cat "$XT_TMP/c2"); c3=$(count "$1")
	tx=$(grep -A3 'Forward statistics for port 0' "$XT_TMP/testpmd.out" |
		head -4 | grep -o 'TX-packets: *[0-9]*' | grep -o '[0-9]*$')
	echo "$(( (c2 - c1) / SECS )) $tx $((tx - (c3 - $2)))"
}

# rx_window FARDEV: one rxonly window on $VH_SOCK; "rate offered lost".
rx_window()
{
	local rx sent
	vh_testpmd "set fwd rxonly
start
sleep 1
!nsx far $VH_TOOLS/xdpgen $VH_TOOLS/xdp_tx.bpf.o $1 52:54:00:00:00:02 $SECS >$XT_TMP/gen.out
sleep 1
stop
show port stats 0" ",queues=1,mac=52:54:00:00:00:02$VDEV" || { tail "$XT_TMP/testpmd.out" >&2; return 1; }
	rx=$(vh_pmd_stat RX-packets)
	sent=$(cat "$XT_TMP/gen.out")
	echo "$((rx / SECS)) $sent $((sent - rx))"
}

printf '%-6s %-3s %-10s %12s %12s %10s\n' round dir path "delivered/s" offered lost
for r in $(seq "$ROUNDS"); do
	for dir in tx rx; do
		for path in ${VH_BENCH_PATHS:-xbr xbr-packed dpdk}; do
			VDEV=
			if [ $path = dpdk ]; then
				sock=$DSOCK sink=$XBR_PIN_ROOT/fard dev=fard0
				echo start >&7
			else
				sock=$VH_SOCK sink=$VH_SINK dev=far0
				[ $path = xbr-packed ] && VDEV=",packed_vq=1"
			fi
			base=$(count "$sink")
			save=$VH_SOCK
			VH_SOCK=$sock
			if [ $dir = tx ]; then
				read -r rate offered lost < <(tx_window "$sink" "$base")
			else
				read -r rate offered lost < <(rx_window "$dev")
			fi
			VH_SOCK=$save
			[ $path = dpdk ] && echo stop >&7 && sleep 0.5
			printf '%-6s %-3s %-10s %12s %12s %10s\n' "$r" $dir $path \
				"$rate" "$offered" "$lost"
		done
	done
done
echo quit >&7
exit 0
