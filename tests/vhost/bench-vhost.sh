#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# bench-vhost.sh [--quick] [SECONDS [ROUNDS]]: xbr-vhost against its fair
# peer, DPDK's own vhost-user back-end forwarding to DPDK's AF_XDP PMD, on
# the same kind of port (a veth whose XDP program redirects into one
# AF_XDP socket, with the qdisc `xbr vport add` gives it) and with the same
# front-end (dpdk-testpmd's virtio_user, 64 B), in interleaved windows
# (rates here drift within minutes: only same-round ratios mean much).
#
#   xbr:           virtio_user -> xbr-vhost -> AF_XDP on vm0 ==veth== far0 (sink)
#   xbr-packed:    the same on packed rings (virtio_user packed_vq=1)
#   xbr-tap:       virtio_user -> xbr-vhost --tap -> tap vt0 (sink on the
#                  tap: where a bridge's XDP program would decide)
#   dpdk:          virtio_user -> testpmd net_vhost0 -io fwd-> net_af_xdp0 on
#                  vd0 ==veth== fard0 (sink)
#   dpdk-afpacket: the same through net_af_packet0 on vp0 ==veth== farp0
#                  (the older comparison, kept as a footnote)
#
# TX: the guest sends flat out (txonly); RX: a live-frames generator floods
# the far end of each path's veth, the guest counts (rxonly). Both are
# overloads, and every frame is counted: offered, delivered, lost, and who
# dropped it. Each back-end has CPU 0 to itself; the front-end's forwarding
# core and the RX generator share CPU 1 (the same for every path). Per
# window also the back-end's CPU time (user and system, /proc/PID/stat:
# this VM has no PMU) and its system calls (perf's syscall tracepoints).
# Then, once per path: a kernel profile of guest TX (perf record -e
# cpu-clock), a Linux guest under QEMU (TCG) receiving a stream (guest
# interrupts per 1000 frames), and ICMP round trips to testpmd's icmpecho.
#
# Raw data goes to $VH_BENCH_OUT (default $XT_TMP): vhost.tsv (one line
# per window), profile-PATH.txt, irq.tsv, latency.tsv. --quick: 1 round
# of 1 s per path and direction, every path must deliver; no profile,
# guest or latency stage. VH_BENCH_PATHS picks paths; VH_BENCH_STAGES
# (default "rate profile guest latency") picks stages.
# Not a test (not named test-*): run by bench/vhost.sh (make bench) and
# tests/bench/test-vhost-quick.sh.
. "$(dirname "$0")/../lib/net.sh"
. "$(dirname "$0")/lib.sh"
QUICK=0
[ "${1:-}" = --quick ] && { QUICK=1; shift; }
SECS=${1:-3}
ROUNDS=${2:-5}
STAGES=${VH_BENCH_STAGES:-rate profile guest latency}
PATHS=${VH_BENCH_PATHS:-xbr xbr-packed xbr-tap dpdk dpdk-afpacket}
WARM=1				# seconds a window runs before it is measured
[ $QUICK -eq 1 ] && { SECS=1; ROUNDS=1; STAGES=rate; WARM=0.3; }
xt_init vhost-bench
OUT=${VH_BENCH_OUT:-$XT_TMP/out}
mkdir -p "$OUT"
rm -f "$OUT"/vhost.tsv "$OUT"/irq.tsv "$OUT"/latency.tsv "$OUT"/profile-*.txt
vh_need_build xsk_redirect.bpf.o sink.bpf.o xdp_tx.bpf.o pktsend
TRAFFICGEN=$xt_root/build/bench/xbr-trafficgen
[ -x "$TRAFFICGEN" ] || xt_skip "$TRAFFICGEN not built (make)"
# The generator writes the flow number into the low 16 bits of the MACs.
GUEST_MAC=52:54:00:12:00:00
vh_hugepages 1024
vh_standin_topology
HZ=$(getconf CLK_TCK)
# testpmd sizes its mbuf pool for the largest rings (~340 MB); three of them
# at once need less: 32768 mbufs each, front-end included.
MBUFS=32768
export VH_PMD_ARGS="--total-num-mbufs=$MBUFS"
PERF=$(command -v perf) || PERF=

# far_pair DEV FAR: another veth from ns vm to ns far with a counting sink
# on FAR (maps under $XBR_PIN_ROOT/FAR) and the qdisc a vport has on DEV.
far_pair()
{
	ip link add "$1" netns "$(xt_nsname vm)" type veth peer name "$2" \
		netns "$(xt_nsname far)" || xt_fail "veth $1"
	mkdir -p "$XBR_PIN_ROOT/$2"
	vh_load "$VH_TOOLS/sink.bpf.o" "$XBR_PIN_ROOT/$2"
	ip -n "$(xt_nsname far)" link set "$2" xdp pinned "$XBR_PIN_ROOT/$2/prog" ||
		xt_fail "sink on $2"
	nsx vm tc qdisc replace dev "$1" root pfifo_fast
	ip -n "$(xt_nsname vm)" link set "$1" up
	ip -n "$(xt_nsname far)" link set "$2" up
}
far_pair vd0 fard0
far_pair vp0 farp0
# af_packet takes frames from the stack, but a veth takes the generator's
# XDP frames only in NAPI mode: an XDP_PASS program gives vp0 that.
mkdir -p "$XBR_PIN_ROOT/gen"
bpftool prog loadall "$VH_TOOLS/xdp_tx.bpf.o" "$XBR_PIN_ROOT/gen" type xdp ||
	xt_fail "load xdp_tx.bpf.o"
ip -n "$(xt_nsname vm)" link set vp0 xdp pinned "$XBR_PIN_ROOT/gen/xdp_pass" ||
	xt_fail "xdp_pass on vp0"

# A tap as xbr-vhost --tap serves it: a port whose XDP program (here the
# sink) meets each frame written into it; the generator redirects into it
# as a bridge would.
ip -n "$(xt_nsname vm)" tuntap add dev vt0 mode tap || xt_fail "tap vt0"
mkdir -p "$XBR_PIN_ROOT/vt0"
vh_load "$VH_TOOLS/sink.bpf.o" "$XBR_PIN_ROOT/vt0"
ip -n "$(xt_nsname vm)" link set vt0 xdp pinned "$XBR_PIN_ROOT/vt0/prog" ||
	xt_fail "sink on vt0"
ip -n "$(xt_nsname vm)" link set vt0 up

# The back-ends, each on CPU 0. xbr-vhost sleeps when idle; a DPDK
# back-end's forwarding lcore spins, so it runs only between "start" and
# "stop" (written to its fifo) around its own windows.
xt_bg vm taskset -c 0 "$VH_BIN" $VH_VPORT_ARGS \
	--socket "$VH_SOCK" -q 2>>"$XT_TMP/xbr-vhost.log"
VH_PID=$XT_LAST_PID
declare -A BE_FD BE_PID BE_SOCK BE_OUT
dpdk_backend()	# dpdk_backend PATH VDEV
{
	local fd sock=$XT_TMP/$1.sock
	mkfifo "$XT_TMP/$1.in"
	exec {fd}<>"$XT_TMP/$1.in"
	xt_at_exit "rm -rf /var/run/dpdk/xbrvb$$-$1"
	# AF_XDP through libxdp wants a bpffs at /sys/fs/bpf: ip netns exec
	# gives the command its own mount namespace, so mount one there.
	ip netns exec "$(xt_nsname vm)" sh -c 'mount -t bpf bpf /sys/fs/bpf; ulimit -l unlimited; exec "$@"' sh \
		stdbuf -oL dpdk-testpmd -l 0,1 --main-lcore 1 --no-pci --huge-dir "$VH_HUGE" \
		-m 256 --file-prefix "xbrvb$$-$1" --single-file-segments \
		--vdev "net_vhost0,iface=$sock,queues=1" --vdev "$2" \
		-- -i --forward-mode=io --nb-cores=1 --total-num-mbufs=$MBUFS \
		<&$fd >"$XT_TMP/$1.out" 2>&1 &
	XT_PIDS+=($!)
	BE_FD[$1]=$fd BE_PID[$1]=$! BE_SOCK[$1]=$sock BE_OUT[$1]=$XT_TMP/$1.out
}
for path in $PATHS; do
	case $path in
	xbr|xbr-packed) BE_PID[$path]=$VH_PID BE_SOCK[$path]=$VH_SOCK ;;
	xbr-tap)
		xt_bg vm taskset -c 0 "$VH_BIN" --tap vt0 --socket "$XT_TMP/tap.sock" \
			-q 2>>"$XT_TMP/xbr-vhost-tap.log"
		BE_PID[$path]=$XT_LAST_PID BE_SOCK[$path]=$XT_TMP/tap.sock ;;
	dpdk) dpdk_backend dpdk "net_af_xdp0,iface=vd0,start_queue=0,queue_count=1${VH_DPDK_XDP_ARGS:-}" ;;
	dpdk-afpacket) dpdk_backend dpdk-afpacket "net_af_packet0,iface=vp0,qpairs=1" ;;
	*) xt_fail "unknown path $path" ;;
	esac
done
for path in $PATHS; do
	for _ in $(seq 100); do [ -S "${BE_SOCK[$path]}" ] && break; sleep 0.1; done
	[ -S "${BE_SOCK[$path]}" ] || {
		cat "${BE_OUT[$path]:-$XT_TMP/xbr-vhost.log}" >&2
		xt_fail "$path: back-end did not start"
	}
done

far_of() { case $1 in dpdk) echo fard0 ;; dpdk-afpacket) echo farp0 ;; xbr-tap) echo vt0 ;; *) echo far0 ;; esac; }
# The namespace of the device frames for the guest are sent into.
far_ns() { if [ "$1" = xbr-tap ]; then xt_nsname vm; else xt_nsname far; fi; }
# count PATH: frames the sink at the far end of PATH counted.
count()
{
	local dir=$XBR_PIN_ROOT/$(far_of "$1")
	[ "$1" = xbr ] || [ "$1" = xbr-packed ] && dir=$VH_SINK
	bpftool -j map lookup pinned "$dir/count" key 0 0 0 0 |
		sed -n 's/.*"value":\([0-9]*\).*/\1/p'
}
# ticks PID: its user and system time so far, and that of ksoftirqd/0 (the
# back-ends' CPU): softirq work deferred there is the path's too.
KSOFTIRQD0=$(pgrep -x ksoftirqd/0 | head -1)
ticks()
{
	awk '{ printf "%d %d ", $14, $15 }' "/proc/$1/stat"
	awk '{ print $14 + $15 }' "/proc/${KSOFTIRQD0:-self}/stat"
}
backend() { [ "${BE_FD[$1]:-}" ] && echo "$2" >&"${BE_FD[$1]}"; }

# backend_stop PATH: stop a DPDK back-end's forwarding and wait until it
# has printed the window's forward statistics (one block per port).
backend_stop()
{
	local out=${BE_OUT[$1]:-} n
	[ -n "$out" ] || return 0
	n=$(grep -c "Forward statistics for port" "$out")
	backend "$1" stop
	for _ in $(seq 50); do
		[ "$(grep -c "Forward statistics for port" "$out")" -ge $((n + 2)) ] && break
		sleep 0.1
	done
	sleep 0.2
}

# vstats PATH: the counters of PATH's xbr-vhost now (its stats file,
# rewritten on SIGUSR1), or of the AF_XDP one for another path.
VSTATS="tx_frames tx_batches tx_wakeups tx_kicks tx_stalls tx_retries tx_interrupts
	rx_frames rx_batches rx_kicks rx_interrupts rx_no_buffers drops xsk_rx_ring_full
	xsk_rx_dropped"
XBR_SOCK=$VH_SOCK	# VH_SOCK is the front-end's while testpmd runs
vstats()
{
	local n pid=$VH_PID sock=$XBR_SOCK
	[ "$1" = xbr-tap ] && pid=${BE_PID[$1]} sock=${BE_SOCK[$1]}
	kill -USR1 "$pid" 2>/dev/null
	sleep 0.2
	for n in $VSTATS; do printf '%s ' "$(VH_SOCK=$sock vh_stat_sum "$n")"; done
	echo
}

# snap PATH WHEN: what a window is measured against, in $XT_TMP/WHEN.*
snap()
{
	date +%s%N >"$XT_TMP/$2.time"
	count "$1" >"$XT_TMP/$2.sink"
	ticks "${BE_PID[$1]}" >"$XT_TMP/$2.ticks"
	vstats "$1" >"$XT_TMP/$2.vstats"
}

# syscalls PATH SECS: count the back-end's system calls meanwhile.
SYSCALLS="sendto recvfrom poll ppoll epoll_wait epoll_pwait epoll_pwait2 read write writev ioctl"
syscalls()
{
	local ev=raw_syscalls:sys_enter s
	for s in $SYSCALLS; do ev+=",syscalls:sys_enter_$s"; done
	if [ -n "$PERF" ]; then
		"$PERF" stat -x, -e "$ev" -p "${BE_PID[$1]}" -o "$XT_TMP/perf.csv" -- \
			sleep "$2" 2>/dev/null || sleep "$2"
	else
		: >"$XT_TMP/perf.csv"
		sleep "$2"
	fi
}

# fwd_stat FILE PORT FIELD: FIELD of PORT's last forward statistics in FILE.
fwd_stat()
{
	awk -v p="for port $2" -v f="$3:" '
		index($0, "Forward statistics") { on = index($0, p) > 0 }
		on { for (i = 1; i < NF; i++) if ($i == f) v = $(i + 1) }
		END { print v + 0 }' "$1"
}

# record DIR PATH ROUND OFFERED DELIVERED SECS_DELIVERED LOST BE_DROPS
# KERNEL_DROPS ATTEMPTED: one line of vhost.tsv, with the CPU, system
# calls and xbr-vhost counters of the window.
record()
{
	local d=$1 p=$2 r=$3 off=$4 dlv=$5 rate=$6 lost=$7 bed=$8 kd=$9 att=${10}
	local u0 s0 k0 u1 s1 k1 n calls=() v0 v1 ns
	read -r u0 s0 k0 <"$XT_TMP/before.ticks"
	read -r u1 s1 k1 <"$XT_TMP/after.ticks"
	ns=$(( $(cat "$XT_TMP/after.time") - $(cat "$XT_TMP/before.time") ))
	for n in raw_syscalls:sys_enter $SYSCALLS; do
		[ "${n#raw}" = "$n" ] && n=syscalls:sys_enter_$n
		calls+=("$(awk -F, -v e="$n" '$3 == e { print $1 + 0 }' "$XT_TMP/perf.csv")")
	done
	read -r -a v0 <"$XT_TMP/before.vstats"
	read -r -a v1 <"$XT_TMP/after.vstats"
	n=()
	# xbr-vhost's counters belong to xbr-vhost's windows only.
	for i in "${!v1[@]}"; do
		if [ "${p#xbr}" != "$p" ]; then
			n+=($(( ${v1[$i]:-0} - ${v0[$i]:-0} )))
		else
			n+=(-)
		fi
	done
	[ -s "$OUT/vhost.tsv" ] || printf '%s\n' "round dir path offered delivered rate lost
		backend_drops kernel_drops attempted window_ns user_ns sys_ns ksoftirqd_ns sys_total $SYSCALLS
		$VSTATS" | tr -s ' \t\n' '\t' | sed 's/\t$/\n/' >"$OUT/vhost.tsv"
	printf '%s\t' "$r" "$d" "$p" "$off" "$dlv" "$rate" "$lost" "$bed" "$kd" "$att" "$ns" \
		$(( (u1 - u0) * 1000000000 / HZ )) $(( (s1 - s0) * 1000000000 / HZ )) \
		$(( (k1 - k0) * 1000000000 / HZ )) \
		"${calls[@]:-}" "${n[@]}" | sed 's/\t$/\n/' >>"$OUT/vhost.tsv"
	printf '%-5s %-3s %-14s %12s/s delivered, %10s lost\n' "$r" "$d" "$p" "$rate" "$lost"
}

window_ns() { echo $(( $(cat "$XT_TMP/after.time") - $(cat "$XT_TMP/before.time") )); }
vdev_of() { [ "$1" = xbr-packed ] && echo ",packed_vq=1"; }

# tx_window PATH ROUND: the guest sends flat out for SECS.
tx_window()
{
	local p=$1 base c1 c2 c3 tx refused bed=0
	backend "$p" start
	base=$(count "$p")
	VH_SOCK=${BE_SOCK[$p]} vh_testpmd "set fwd txonly
set txpkts 64
start
sleep $WARM
!snap $p before
!syscalls $p $SECS
!snap $p after
stop
sleep $WARM" ",queues=1$(vdev_of "$p")" || { tail "$XT_TMP/testpmd.out" >&2; return 1; }
	sleep 0.5
	backend_stop "$p"
	c1=$(cat "$XT_TMP/before.sink") c2=$(cat "$XT_TMP/after.sink") c3=$(count "$p")
	tx=$(fwd_stat "$XT_TMP/testpmd.out" 0 TX-packets)
	refused=$(fwd_stat "$XT_TMP/testpmd.out" 0 TX-dropped)
	# A DPDK back-end that takes a frame from the guest and cannot send
	# it frees it: its forward statistics count that as TX-dropped.
	[ -n "${BE_OUT[$p]:-}" ] && bed=$(fwd_stat "${BE_OUT[$p]}" 1 TX-dropped)
	record tx "$p" "$2" "$tx" "$((c2 - c1))" "$(( (c2 - c1) * 1000000000 / $(window_ns) ))" \
		"$((tx - (c3 - base)))" "$bed" 0 "$((tx + refused))"
}

# rx_window PATH ROUND [RATE]: live frames at the far end for SECS, flat
# out or at RATE frames/s, from CPU 0: the wire's softirq work shares the
# back-end's CPU, the guest keeps its own.
rx_window()
{
	local p=$1 rx sent bed=0 kd=0 v0 v1 rate=${3:-0} dir=rx
	[ "$rate" -gt 0 ] && dir=rx2x
	backend "$p" start
	VH_SOCK=${BE_SOCK[$p]} vh_testpmd "set fwd rxonly
start
sleep $WARM
!snap $p before
!syscalls $p $SECS &
!gen $p $rate
!wait
!snap $p after
sleep $WARM
stop
show port stats 0" ",queues=1,mac=$GUEST_MAC$(vdev_of "$p")" ||
		{ tail "$XT_TMP/testpmd.out" >&2; return 1; }
	backend_stop "$p"
	rx=$(vh_pmd_stat RX-packets)
	sent=$(awk -F'\t' 'NR > 1 { s += $4 } END { print s + 0 }' "$XT_TMP/gen.tsv")
	if [ -n "${BE_OUT[$p]:-}" ]; then
		# io fwd: port 1's frames go to port 0, the guest; those the
		# guest had no buffers for are freed (TX-dropped).
		bed=$(fwd_stat "${BE_OUT[$p]}" 0 TX-dropped)
		kd=$((sent - rx - bed))
	elif [ "$p" = xbr-tap ]; then
		# The tap drops at its queue what xbr-vhost did not read.
		read -r -a v0 <"$XT_TMP/before.vstats"
		read -r -a v1 <"$XT_TMP/after.vstats"
		bed=$(( v1[12] - v0[12] ))
		kd=$((sent - rx - bed))
	else
		read -r -a v0 <"$XT_TMP/before.vstats"
		read -r -a v1 <"$XT_TMP/after.vstats"
		bed=$(( v1[12] - v0[12] ))
		kd=$(( v1[13] + v1[14] - v0[13] - v0[14] ))
	fi
	LAST_RX=$(awk -F'\t' -v n="$rx" 'NR > 1 && $3 > 0 { printf "%d", n / $3 }' "$XT_TMP/gen.tsv")
	record $dir "$p" "$2" "$sent" "$rx" "${LAST_RX:-0}" "$((sent - rx))" "$bed" "$kd" "$sent"
}

# gen PATH RATE: live frames into PATH's far end (xbr-trafficgen, which
# keeps its program in the dispatcher and paces; the guest counts).
gen()
{
	local r=()
	[ "$2" -gt 0 ] && r=(-r "$2")
	[ -n "${VH_BENCH_TRACE:-}" ] && [ -n "$PERF" ] &&
		"$PERF" stat --per-thread -a -e raw_syscalls:sys_enter,syscalls:sys_enter_write,syscalls:sys_enter_ioctl \
			-o "$OUT/trace-rx-$1-$2.txt" -- sleep "$SECS" &
	"$TRAFFICGEN" -s 64 -w "$SECS" -n 1 -W 0 -c "${VH_GEN_CPU:-0}" "${r[@]}" --src-mac 02:00:00:00:00:09 \
		--dst-mac $GUEST_MAC -R "$XT_TMP/gen.tsv" \
		"rx=$(far_ns "$1"),$(far_of "$1"),-,-" >/dev/null
}

# --- guest TX and RX, interleaved -------------------------------------------
if [[ " $STAGES " = *" rate "* ]]; then
	echo "== rates: $ROUNDS round(s) of ${SECS}s per path and direction"
	for r in $(seq "$ROUNDS"); do
		for p in $PATHS; do
			tx_window "$p" "$r" || xt_fail "$p: tx window failed"
		done
		for p in $PATHS; do
			rx_window "$p" "$r" || xt_fail "$p: rx window failed"
			# Then twice what it took, to count who loses what.
			[ $QUICK -eq 1 ] || [ "$p" = dpdk-afpacket ] ||
				rx_window "$p" "$r" $((2 * LAST_RX)) || xt_fail "$p: rx 2x window failed"
		done
	done
	if [ $QUICK -eq 1 ]; then
		awk -F'\t' 'NR > 1 && $5 <= 0 { print "FAIL: " $3 " " $2 " delivered nothing"; bad = 1 }
			END { exit bad }' "$OUT/vhost.tsv" || exit 1
		awk -F'\t' 'NR > 1 && $3 ~ /^xbr/ && $2 == "tx" && $7 != 0 {
			print "FAIL: " $3 " lost " $7 " guest frames"; bad = 1 } END { exit bad }' \
			"$OUT/vhost.tsv" || exit 1
		echo "bench-vhost: every path delivers both ways; xbr-vhost lost no guest frame"
		exit 0
	fi
fi

# --- where guest TX time goes in the kernel ---------------------------------
if [[ " $STAGES " = *" profile "* ]] && [ -n "$PERF" ]; then
	for p in $PATHS; do
		[ "$p" = xbr-packed ] && continue
		echo "== profile: guest TX through $p"
		backend "$p" start
		VH_SOCK=${BE_SOCK[$p]} vh_testpmd "set fwd txonly
set txpkts 64
start
sleep 1
!$PERF record -q -e cpu-clock -F 2000 -p ${BE_PID[$p]} -o $XT_TMP/perf.data -- sleep 2 2>/dev/null
stop" ",queues=1" || xt_fail "$p: profile window"
		backend "$p" stop
		{
			echo "# by object"
			"$PERF" report -q -i "$XT_TMP/perf.data" --stdio --sort dso 2>/dev/null |
				grep -v '^$' | head -6
			echo "# by symbol"
			"$PERF" report -q -i "$XT_TMP/perf.data" --stdio --sort dso,sym 2>/dev/null |
				grep -v '^$' | head -20
		} >"$OUT/profile-$p.txt"
		sleep 0.5
	done
fi

# --- a Linux guest receiving a stream: interrupts per 1000 frames ------------
if [[ " $STAGES " = *" guest "* ]] && (vh_guest_need) >/dev/null 2>&1; then
	vh_guest_need
	STREAM=${VH_STREAM:-20000}
	VH_GUEST_MAC=52:54:00:12:34:56
	vh_guest_initrd "$(cat <<'INIT'
irqs() { awk '/virtio/ { for (i = 2; i <= NF; i++) if ($i ~ /^[0-9]+$/) s += $i } END { print s + 0 }' /proc/interrupts; }
rx() { cat /sys/class/net/eth0/statistics/rx_packets; }
i0=$(irqs); r0=$(rx)
echo "GUEST READY"
last=$r0; idle=0
while [ $idle -lt 6 ]; do
	sleep 0.5
	n=$(rx)
	if [ "$n" = "$last" ] && [ "$n" != "$r0" ]; then idle=$((idle + 1)); else idle=0; fi
	last=$n
done
echo "GUEST IRQS $(( $(irqs) - i0 )) RX $(( $(rx) - r0 ))"
poweroff -f
INIT
)"
	for p in $PATHS; do
		case $p in xbr-packed|dpdk-afpacket) continue ;; esac
		echo "== guest: a Linux guest (QEMU TCG) on $p receives $STREAM frames"
		backend "$p" start
		vh_qemu "guest-$p" "${BE_SOCK[$p]}" 1
		vh_console_wait "guest-$p" "GUEST READY" 150 || {
			tail -20 "$XT_TMP/guest-$p.console" >&2
			xt_fail "$p: guest did not boot"
		}
		sleep 1
		v0=$(vstats "$p")
		ip netns exec "$(far_ns "$p")" "$VH_TOOLS/pktsend" "$(far_of "$p")" "$STREAM" 64 \
			"$VH_GUEST_MAC" >/dev/null
		vh_console_wait "guest-$p" "GUEST IRQS" 60 || xt_fail "$p: guest did not report"
		wait "$VH_QEMU_PID" 2>/dev/null
		v1=$(vstats "$p")
		backend "$p" stop
		read -r girq grx <<<"$(sed -n 's/.*GUEST IRQS \([0-9]*\) RX \([0-9]*\).*/\1 \2/p' \
			"$XT_TMP/guest-$p.console")"
		read -r -a a <<<"$v0"
		read -r -a b <<<"$v1"
		birq=
		[ "${p#xbr}" != "$p" ] && birq=$(( b[10] - a[10] ))
		[ -s "$OUT/irq.tsv" ] || printf 'path\tstream\tguest_rx\tguest_irqs\tbackend_rx_interrupts\n' >"$OUT/irq.tsv"
		printf '%s\t%s\t%s\t%s\t%s\n' "$p" "$STREAM" "$grx" "$girq" "$birq" >>"$OUT/irq.tsv"
		echo "  guest received $grx, took $girq interrupts"
		sleep 0.5
	done
fi

# --- round trips: ping testpmd's icmpecho through each path ------------------
if [[ " $STAGES " = *" latency "* ]]; then
	# No sinks now: the far ends' stacks send and take the pings.
	net=200
	declare -A FAR_IP GUEST_IP FAR_NS
	for p in $PATHS; do
		[ "$p" = xbr-packed ] && continue
		f=$(far_of "$p") FAR_NS[$p]=far
		[ "$p" = xbr-tap ] && FAR_NS[$p]=vm
		ip -n "$(xt_nsname "${FAR_NS[$p]}")" link set "$f" xdp off
		net=$((net - 1))
		FAR_IP[$p]=10.$net.0.1 GUEST_IP[$p]=10.$net.0.2
		xt_addr "${FAR_NS[$p]}" "$f" "${FAR_IP[$p]}/24"
		nsx "${FAR_NS[$p]}" ip neigh replace "${GUEST_IP[$p]}" lladdr $GUEST_MAC dev "$f" nud permanent
	done
	echo "== latency: ping -i 0.002 to testpmd icmpecho, $ROUNDS round(s) of 200 per path"
	for r in $(seq "$ROUNDS"); do
		for p in $PATHS; do
			[ "$p" = xbr-packed ] && continue
			backend "$p" start
			VH_SOCK=${BE_SOCK[$p]} vh_testpmd "set fwd icmpecho
start
sleep 1
!nsx ${FAR_NS[$p]} ping -n -c 200 -i 0.002 -W 1 ${GUEST_IP[$p]} >$XT_TMP/ping.out
stop" ",queues=1,mac=$GUEST_MAC" || xt_fail "$p: icmpecho"
			backend "$p" stop
			sed -n "s/.*time=\([0-9.]*\) ms/$r\t$p\t\1/p" "$XT_TMP/ping.out" >>"$OUT/latency.tsv"
			grep -q time= "$XT_TMP/ping.out" || xt_fail "$p: no ping came back"
			sleep 0.3
		done
	done
fi
for p in $PATHS; do backend "$p" quit; done
sleep 0.5
for p in $PATHS; do [ -n "${BE_OUT[$p]:-}" ] && cp "${BE_OUT[$p]}" "$OUT/backend-$p.log"; done
cp "$XT_TMP/xbr-vhost.log" "$OUT/xbr-vhost.log"
exit 0
