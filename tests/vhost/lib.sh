# SPDX-License-Identifier: GPL-2.0
# Shared by tests/vhost/test-*.sh: the topology every vhost test uses, a
# real xbr bridge and vport, as a user makes them,
#
#   [frontend] --vhost-user SOCK-- xbr-vhost ==AF_XDP== vm0 (vport) -- vm0-br
#       bridge br0 (ns vm): vm0-br, vnet0 ==veth== far0 (ns far)
#
# and QEMU guests (vh_guest_*). Source after net.sh.

VH_BUILD=$xt_root/build
VH_BIN=$VH_BUILD/xbr-vhost
VH_TOOLS=$VH_BUILD/vhost

vh_need_build()
{
	[ -x "$VH_BIN" ] || xt_skip "build/xbr-vhost not built (make)"
	[ -x "$XBR" ] || xt_skip "build/xbr not built (make)"
	for f in "$@"; do
		[ -e "$VH_TOOLS/$f" ] || xt_skip "build/vhost/$f not built (make vhost-tests)"
	done
}

# vh_load OBJ DIR: load OBJ's XDP program as DIR/prog and pin each of its
# maps as DIR/<map name>. (Not "pinmaps": libbpf turns the dots of the
# harness's mktemp directory into underscores in the paths it makes.)
vh_load()
{
	local id name
	bpftool prog load "$1" "$2/prog" type xdp || xt_fail "load $1"
	for id in $(bpftool -j prog show pinned "$2/prog" |
		    grep -o '"map_ids":\[[0-9,]*' | grep -o '[0-9]*'); do
		name=$(bpftool -j map show id "$id" |
		       sed -n 's/.*"name":"\([^"]*\)".*/\1/p')
		bpftool map pin id "$id" "$2/$name" || xt_fail "pin map $name"
	done
}

# vh_far_end QUEUES [nosink]: ns far with far0 (02:00:00:00:00:01, QUEUES
# queues) on a veth whose other end, vnet0, is in ns vm; far0 runs the
# counting sink (maps under $VH_SINK) unless "nosink": then its stack
# answers (ARP, ping). A sink makes far0's veth run NAPI.
vh_far_end()
{
	local q=$1 sink=${2:-sink}

	ip link add vnet0 netns "$(xt_nsname vm)" numtxqueues "$q" numrxqueues "$q" \
		type veth peer name far0 netns "$(xt_nsname far)" \
		numtxqueues "$q" numrxqueues "$q" || xt_fail "veth"
	ip -n "$(xt_nsname far)" link set far0 address 02:00:00:00:00:01
	if [ "$sink" = sink ]; then
		mkdir -p "$XBR_PIN_ROOT/far"
		vh_load "$VH_TOOLS/sink.bpf.o" "$XBR_PIN_ROOT/far"
		ip -n "$(xt_nsname far)" link set far0 xdp pinned "$XBR_PIN_ROOT/far/prog" ||
			xt_fail "attach sink program"
		VH_SINK=$XBR_PIN_ROOT/far
	fi
	ip -n "$(xt_nsname vm)" link set vnet0 up
	ip -n "$(xt_nsname far)" link set far0 up
}

# vh_topology [QUEUES [nosink]]: namespaces vm and far; in vm the bridge
# br0 with the vport vm0 (QUEUES queues: `xbr vport add br0 vm0 queues
# QUEUES`) and the port vnet0 towards far0 (see vh_far_end). xbr-vhost
# serves $VH_SOCK for vport vm0 (vh_start).
vh_topology()
{
	local q=${1:-1} sink=${2:-sink}

	command -v bpftool >/dev/null || xt_skip "bpftool missing"
	xt_ns vm
	xt_ns far
	# The vport's receive queue is the queue the bridge side transmits
	# on, which for a veth-to-veth skb is picked from the queue it came
	# in on (recorded as queue + 1: queue 0 reads as "not recorded" and
	# hashes like the sender did). With as many far queues as vport
	# queues every flow would land on vport queue 0; with 4 they spread.
	[ "$q" -gt 1 ] && vh_far_end 4 "$sink" || vh_far_end "$q" "$sink"
	xbr_in vm bridge add br0 || xt_fail "bridge add br0"
	xbr_in vm vport add br0 vm0 queues "$q" || xt_fail "vport add vm0"
	xbr_in vm port add br0 vnet0 || xt_fail "port add vnet0"
	VH_SOCK=$XT_TMP/vhost.sock
	VH_VPORT_ARGS="--bridge br0 --vport vm0"
}

# vh_standin_topology: the same without a bridge, for the benchmark's
# fair comparison with DPDK's back-end on a bare veth: vm0 ==veth== far0,
# vm0 carrying a stand-in for the vport's program (xsk_redirect.bpf.c)
# and its XSKMAP, with a qdisc as `xbr vport add` gives it.
vh_standin_topology()
{
	command -v bpftool >/dev/null || xt_skip "bpftool missing"
	xt_ns vm
	xt_ns far
	ip link add vm0 netns "$(xt_nsname vm)" type veth peer name far0 \
		netns "$(xt_nsname far)" || xt_fail "veth"
	ip -n "$(xt_nsname far)" link set far0 address 02:00:00:00:00:01
	mkdir -p "$XBR_PIN_ROOT/vm" "$XBR_PIN_ROOT/far"
	vh_load "$VH_TOOLS/xsk_redirect.bpf.o" "$XBR_PIN_ROOT/vm"
	vh_load "$VH_TOOLS/sink.bpf.o" "$XBR_PIN_ROOT/far"
	ip -n "$(xt_nsname vm)" link set vm0 xdp pinned "$XBR_PIN_ROOT/vm/prog" ||
		xt_fail "attach redirect program"
	ip -n "$(xt_nsname far)" link set far0 xdp pinned "$XBR_PIN_ROOT/far/prog" ||
		xt_fail "attach sink program"
	# A veth in NAPI mode (its peer has XDP) stops its queue when the
	# peer's ring is full instead of dropping -- but only if it has a
	# qdisc (Linux 6.16+); AF_XDP then gets EAGAIN and keeps the frame.
	ip netns exec "$(xt_nsname vm)" tc qdisc replace dev vm0 root pfifo_fast ||
		xt_fail "qdisc on vm0"
	ip -n "$(xt_nsname vm)" link set vm0 up
	ip -n "$(xt_nsname far)" link set far0 up
	VH_SINK=$XBR_PIN_ROOT/far
	VH_SOCK=$XT_TMP/vhost.sock
	VH_VPORT_ARGS="--ifname vm0 --xsk-map $XBR_PIN_ROOT/vm/xsks"
}

# vh_sink_frames: frames the far end has counted.
vh_sink_frames()
{
	bpftool -j map lookup pinned "$VH_SINK/count" key 0 0 0 0 |
		sed -n 's/.*"value":\([0-9]*\).*/\1/p'
}

# vh_sink_spin N: make the far end spend N loop iterations per frame.
vh_sink_spin()
{
	local n=$1 b=() i
	for i in 0 1 2 3 4 5 6 7; do
		b+=("$(printf '0x%02x' $(((n >> (8 * i)) & 255)))")
	done
	bpftool map update pinned "$VH_SINK/config" key 0 0 0 0 value "${b[@]}"
}

# vh_start [ARGS...]: xbr-vhost in ns vm on vport vm0, serving $VH_SOCK
# ($VH_ARGS adds options to every start, e.g. VH_ARGS="--busy-poll 50").
vh_start()
{
	xt_bg vm "$VH_BIN" $VH_VPORT_ARGS --socket "$VH_SOCK" \
		${VH_ARGS:-} "$@" 2>>"$XT_TMP/xbr-vhost.log"
	VH_PID=$XT_LAST_PID
	for _ in $(seq 50); do
		[ -S "$VH_SOCK" ] && return 0
		kill -0 "$VH_PID" 2>/dev/null || break
		sleep 0.1
	done
	cat "$XT_TMP/xbr-vhost.log" >&2
	xt_fail "xbr-vhost did not start"
}

# vh_stat NAME [QUEUE]: one counter from xbr-vhost's stats file.
vh_stat()
{
	local q=${2:-0}
	grep "\"queue\":$q," "$VH_SOCK.stats" |
		sed -n "s/.*\"$1\":\([0-9]*\).*/\1/p"
}

# vh_stat_sum NAME: one counter summed over all queues.
vh_stat_sum()
{
	grep '"queue":' "$VH_SOCK.stats" | sed -n "s/.*\"$1\":\([0-9]*\).*/\1/p" |
		awk '{ s += $1 } END { print s + 0 }'
}

# vh_ring_layout: "packed" if $VH_VDEV_ARGS (or VH_PACKED=1) asks the
# front-end for packed rings, else "split"; vh_check_layout [LOG] fails
# unless every ring xbr-vhost started (its LOG) had that layout.
vh_ring_layout()
{
	case "${VH_VDEV_ARGS:-}${VH_PACKED:-}" in
	*packed_vq=1*|1) echo packed ;;
	*) echo split ;;
	esac
}

vh_check_layout()
{
	local log=${1:-$XT_TMP/xbr-vhost.log} want other n
	want=$(vh_ring_layout)
	[ "$want" = packed ] && other=split || other=packed
	n=$(grep -c "started: $want" "$log")
	[ "$n" -gt 0 ] || xt_fail "no $want ring started ($log)"
	grep -q "started: $other" "$log" && xt_fail "a $other ring started, want $want"
	xt_log "ok: $n $want rings started"
}

# vh_bridge_h1 H1_MAC: namespace br with bridge br0 and its port
# vnet1, a veth to namespace h1 (vif0, H1_MAC) whose counting sink is
# $VH_SINK: where the guest's frames are to arrive.
vh_bridge_h1()
{
	[ -x "$XBR" ] || xt_skip "build/xbr not built"
	xt_ns br
	xt_ns h1
	xt_veth br vnet1 h1 vif0 "$1"
	mkdir -p "$XBR_PIN_ROOT/h1"
	vh_load "$VH_TOOLS/sink.bpf.o" "$XBR_PIN_ROOT/h1"
	ip -n "$(xt_nsname h1)" link set vif0 xdp pinned "$XBR_PIN_ROOT/h1/prog" ||
		xt_fail "attach sink program"
	VH_SINK=$XBR_PIN_ROOT/h1
	xbr_in br bridge add br0 || xt_fail "bridge add"
	xbr_in br port add br0 vnet1 || xt_fail "port add vnet1"
}

# vh_start_bg NS ARGS...: start xbr-vhost in NS with ARGS and wait for its
# socket $VH_SOCK; the pid is left in $VH_PID.
vh_start_bg()
{
	local ns=$1
	shift
	xt_bg "$ns" "$VH_BIN" "$@" 2>>"$XT_TMP/xbr-vhost.log"
	VH_PID=$XT_LAST_PID
	for _ in $(seq 50); do [ -S "$VH_SOCK" ] && return 0; sleep 0.1; done
	cat "$XT_TMP/xbr-vhost.log"
	xt_fail "xbr-vhost did not start"
}

# vh_tx_then_rx NS DEV PEER_MAC GUEST_MAC: the guest (testpmd on $VH_SOCK,
# GUEST_MAC) sends 64 B frames to PEER_MAC for 2 s, then counts what
# pktsend in NS sends it out of DEV (20000 frames). Sets VH_TX (what the
# guest sent), VH_RX (what it received) and VH_SENT (what pktsend sent).
vh_tx_then_rx()
{
	VH_PMD_ARGS="--eth-peer=0,$3" vh_testpmd "set fwd txonly
set txpkts 64
start
sleep 2
stop
sleep 1
set fwd rxonly
start
!nsx $1 $VH_TOOLS/pktsend $2 20000 64 $4 >$XT_TMP/pktsend.out
sleep 1
stop
show port stats 0" ",queues=1,mac=$4" || {
		tail -20 "$XT_TMP/testpmd.out"; xt_fail "testpmd failed"; }
	sleep 1.2
	VH_TX=$(grep -A3 'Forward statistics for port 0' "$XT_TMP/testpmd.out" | head -4 |
		grep -o 'TX-packets: *[0-9]*' | grep -o '[0-9]*$')
	VH_RX=$(vh_pmd_stat RX-packets)
	VH_SENT=$(cat "$XT_TMP/pktsend.out")
}

# vh_expect_gone WHAT PATTERN: xbr-vhost ($VH_PID) exits 1 within 3 s of
# losing WHAT, having logged PATTERN.
vh_expect_gone()
{
	local rc
	for _ in $(seq 30); do kill -0 "$VH_PID" 2>/dev/null || break; sleep 0.1; done
	kill -0 "$VH_PID" 2>/dev/null && xt_fail "xbr-vhost still running without its $1"
	wait "$VH_PID"
	rc=$?
	[ "$rc" = 1 ] || xt_fail "xbr-vhost exited with $rc after its $1 went away"
	grep -q "$2" "$XT_TMP/xbr-vhost.log" || xt_fail "no error message for its $1 gone"
	xt_log "ok: $1 deleted: xbr-vhost says so and exits 1"
}

# vh_stop: stop xbr-vhost (SIGTERM), which writes its final counters.
vh_stop()
{
	kill "$VH_PID" 2>/dev/null
	wait "$VH_PID" 2>/dev/null
}

# vh_hugepages MB: reserve MB of 2 MiB hugepages and mount a private
# hugetlbfs at $VH_HUGE; both undone at exit.
vh_hugepages()
{
	local want=$(($1 / 2)) have free
	command -v dpdk-testpmd >/dev/null || xt_skip "dpdk-testpmd missing (apt-get install dpdk-dev)"
	[ -w /proc/sys/vm/nr_hugepages ] || xt_skip "cannot reserve hugepages"
	have=$(cat /proc/sys/vm/nr_hugepages)
	free=$(awk '/HugePages_Free/ {print $2}' /proc/meminfo)
	if [ "$free" -lt "$want" ]; then
		local set=$((have + want - free))
		echo "$set" > /proc/sys/vm/nr_hugepages
		# Give back what we added, unless someone changed it since.
		xt_at_exit "[ \$(cat /proc/sys/vm/nr_hugepages) -eq $set ] && echo $have > /proc/sys/vm/nr_hugepages"
		free=$(awk '/HugePages_Free/ {print $2}' /proc/meminfo)
		[ "$free" -ge "$want" ] || xt_skip "only $free free hugepages"
	fi
	# DPDK's runtime directories of this test's testpmd runs.
	xt_at_exit "rm -rf /var/run/dpdk/xbrvh$$ /var/run/dpdk/xbrvhc$$ /var/run/dpdk/xbrvhd$$"
	VH_HUGE=$XT_TMP/huge
	mkdir -p "$VH_HUGE"
	mount -t hugetlbfs -o pagesize=2M nodev "$VH_HUGE" || xt_skip "cannot mount hugetlbfs"
	xt_at_exit "umount $VH_HUGE"
}

# vh_testpmd SCRIPT [,VDEV-ARGS]: run dpdk-testpmd interactively with
# virtio_user on $VH_SOCK, its forwarding on lcore 1 (lcore 0 is main),
# feeding it the commands in SCRIPT (one per line; "sleep N" pauses,
# "!CMD" runs a shell command meanwhile).
# VDEV-ARGS default to ",queues=1"; $VH_VDEV_ARGS adds to them (e.g.
# ",packed_vq=1"), $VH_PMD_ARGS adds testpmd options.
# Output in $XT_TMP/testpmd.out.
vh_testpmd()
{
	local script=$1 extra=${2:-,queues=1}
	{
		sleep 2
		while IFS= read -r line; do
			case $line in
			sleep*) $line ;;
			!*) eval "${line#!}" ;;
			*) echo "$line"; sleep 0.3 ;;
			esac
		done <<<"$script"
		echo quit
		sleep 1
	} | timeout 120 dpdk-testpmd -l 0,1 --main-lcore 0 --no-pci \
		--huge-dir "$VH_HUGE" -m 256 --file-prefix "xbrvh$$" \
		--single-file-segments \
		--vdev "net_virtio_user0,path=$VH_SOCK$extra${VH_VDEV_ARGS:-}" \
		-- -i --nb-cores=1 --txd=1024 --rxd=1024 ${VH_PMD_ARGS:-} \
		>"$XT_TMP/testpmd.out" 2>&1
}

# vh_pmd_stat FIELD: last value of "FIELD: N" in testpmd's output
# (e.g. TX-packets, RX-packets from "show port stats 0").
vh_pmd_stat()
{
	grep -o "$1: *[0-9]*" "$XT_TMP/testpmd.out" | tail -1 | grep -o '[0-9]*$'
}

# ---- QEMU guests ------------------------------------------------------------

# vh_guest_need: skip unless QEMU, cpio, a static busybox and the Debian
# cloud kernel with its virtio modules are here; sets QEMU, KERNEL, KVER.
VH_GUEST_MODS="virtio_ring virtio virtio_pci_legacy_dev virtio_pci_modern_dev virtio_pci"
VH_GUEST_MODS+=" failover net_failover virtio_net"
vh_guest_need()
{
	QEMU=$(command -v qemu-system-x86_64) || xt_skip "qemu-system-x86_64 missing"
	command -v cpio >/dev/null || xt_skip "cpio missing"
	VH_BUSYBOX=$(command -v busybox) || xt_skip "busybox-static missing"
	file -L "$VH_BUSYBOX" 2>/dev/null | grep -q dynamic && xt_skip "busybox is not static"
	KERNEL=$(ls /boot/vmlinuz-*cloud-amd64 2>/dev/null | sort -V | tail -1)
	[ -n "$KERNEL" ] || xt_skip "no Debian cloud kernel (linux-image-cloud-amd64)"
	KVER=${KERNEL#/boot/vmlinuz-}
}

# vh_guest_initrd BODY: $XT_TMP/initrd.gz with busybox, the virtio modules
# (insmod'ed in load order) and an /init that brings eth0 up at
# $VH_GUEST_IP/24, then runs BODY (shell, for busybox sh).
vh_guest_initrd()
{
	local rd=$XT_TMP/initrd m f
	mkdir -p "$rd/bin" "$rd/lib" "$rd/proc" "$rd/sys" "$rd/dev" "$rd/tmp"
	cp "$VH_BUSYBOX" "$rd/bin/busybox"
	for m in $VH_GUEST_MODS; do
		f=$(find "/lib/modules/$KVER" -name "$m.ko*" | head -1)
		[ -n "$f" ] || xt_skip "module $m missing for $KVER"
		case $f in
		*.xz) xz -dc "$f" >"$rd/lib/$m.ko" ;;
		*.zst) zstd -dcq "$f" >"$rd/lib/$m.ko" ;;
		*) cp "$f" "$rd/lib/$m.ko" ;;
		esac
	done
	cat >"$rd/init" <<INIT
#!/bin/busybox sh
/bin/busybox --install -s /bin
export PATH=/bin
mount -t proc proc /proc
mount -t sysfs sys /sys
mount -t devtmpfs dev /dev
for m in $VH_GUEST_MODS; do insmod /lib/\$m.ko || echo "GUEST insmod \$m failed"; done
ip link set eth0 up
ip addr add ${VH_GUEST_IP:-10.199.0.2}/24 dev eth0
$1
INIT
	chmod +x "$rd/init"
	(cd "$rd" && find . | cpio -o -H newc 2>/dev/null | gzip -1) >"$XT_TMP/initrd.gz"
}

# vh_qemu NAME SOCK QUEUES [QEMU-ARGS...]: the guest under TCG, its NIC
# (MAC $VH_GUEST_MAC) on vhost-user at SOCK, console in
# $XT_TMP/NAME.console, QMP at $XT_TMP/NAME.qmp; pid in VH_QEMU_PID.
# Packed rings with VH_PACKED=1 (or packed_vq=1 in VH_VDEV_ARGS).
vh_qemu()
{
	local name=$1 sock=$2 q=$3 dev=
	shift 3
	[ "$q" -gt 1 ] && dev=",mq=on"
	[ "$(vh_ring_layout)" = packed ] && dev="$dev,packed=on"
	# vectors=0: QEMU 7.2 under TCG crashes in msix_set_vector_notifiers
	# with vhost-user otherwise.
	timeout 300 "$QEMU" -accel tcg -m 256 -smp "$q" -nographic -no-reboot \
		-kernel "$KERNEL" -initrd "$XT_TMP/initrd.gz" \
		-append "console=ttyS0 panic=-1 quiet" \
		-object memory-backend-memfd,id=mem,size=256M,share=on \
		-numa node,memdev=mem \
		-chardev "socket,id=c0,path=$sock,reconnect=1" \
		-netdev "vhost-user,id=n0,chardev=c0,queues=$q" \
		-device "virtio-net-pci,netdev=n0,mac=$VH_GUEST_MAC,vectors=0$dev" \
		-qmp "unix:$XT_TMP/$name.qmp,server=on,wait=off" \
		"$@" </dev/null >"$XT_TMP/$name.console" 2>&1 &
	VH_QEMU_PID=$!
	XT_PIDS+=("$VH_QEMU_PID")
}

# vh_console_wait NAME PATTERN [SECONDS]: wait for PATTERN on NAME's
# console while its QEMU runs.
vh_console_wait()
{
	local i
	for ((i = 0; i < ${3:-150} * 5; i++)); do
		grep -q "$2" "$XT_TMP/$1.console" 2>/dev/null && return 0
		sleep 0.2
	done
	return 1
}
