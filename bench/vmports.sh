# SPDX-License-Identifier: GPL-2.0
# Sourced by bench/run.sh: the port types VMs sit on, measured like the
# veth workloads (one interleaving xbr-trafficgen per workload, ratios of
# windows a fraction of a second apart).
#
# Taps (family t-): per variant V
#
#   t-V-w: wire0 (10.0.0.1) ==veth== up0  t-V-b: switch  vnet0 (tap) = VM1
#                                                        vnet1 (tap) = VM2
#
# VM1 (02:0c:00:00:00:00, 10.0.0.3) and VM2 (02:0d:..., 10.0.0.4) are
# xbr-trafficgen's tap senders and readers and xbr-tapecho (bench/tapvm.c):
# /dev/net/tun opened as QEMU opens it, O_NONBLOCK, a virtio-net header
# per frame. up0 stands in for a NIC: in xbr-nic it is a port in `mode
# xdp`, which takes XDP redirects (GRO on its peer gives that veth NAPI);
# in xbr-auto it is a veth in `auto`, a tc port. t-direct has no switch:
# its VM1 writes into a tap carrying the sink itself (what a VM can write
# at all) and the generator redirects straight into its tap (what a VM
# can read at all).
#
# Jumbo frames (family j-): the veth topology of run.sh with MTU 9000 on
# every port, 9018-byte frames from an AF_PACKET socket on wire0 (live
# frames are one page at most).

TAP_ALL="direct lb-nfoff lb-nfon xdp-fwd tc-fwd xbr-nic xbr-auto xbr-tc"
JUMBO_ALL="direct xdp-fwd tc-fwd lb-nfoff lb-nfon xbr-xdp xbr-auto"
TAP1_MAC=02:0c:00:00:00:00
TAP2_MAC=02:0d:00:00:00:00
TAP1_IP=10.0.0.3
TAP2_IP=10.0.0.4
TAP_CPU=0			# the VMs' CPU: the one the generator leaves

jumbo_mtu() { nsx "$1" ip link set "$2" mtu 9000 || die "$1: mtu 9000 on $2"; }

tap_add()	# tap_add NS DEV: a persistent tap, as libvirt makes one for QEMU
{
	nsx "$1" ip tuntap add dev "$2" mode tap vnet_hdr || die "$1: tap $2"
	nsx "$1" ip link set "$2" up
}

# tap_fdb VARIANT: the stations, static: WIRE on up0, VM1 on vnet0, VM2 on
# vnet1, so every frame is known unicast.
tap_fdb()
{
	fdb_add "$1" $WIRE_MAC 1 up0 static
	fdb_add "$1" $TAP1_MAC 1 vnet0 static
	fdb_add "$1" $TAP2_MAC 1 vnet1 static
}

setup_tap_variant()	# setup_tap_variant V (without the t- prefix)
{
	local v=t-$1
	xt_ns "$v-b"
	tap_add "$v-b" vnet0
	tap_add "$v-b" vnet1
	[ "$1" = direct ] && return
	xt_ns "$v-w"
	xt_veth "$v-w" wire0 "$v-b" up0
	nsx "$v-w" ip link set wire0 address $WIRE_MAC
	xt_addr "$v-w" wire0 $WIRE_IP/24
	nsx "$v-w" ip neigh replace $TAP1_IP lladdr $TAP1_MAC dev wire0 nud permanent
	nsx "$v-w" ip neigh replace $TAP2_IP lladdr $TAP2_MAC dev wire0 nud permanent
	gro "$v-w" wire0
	gro "$v-b" up0
	case $1 in
	lb-nfoff) linux_bridge "$v" 0 up0 vnet0 vnet1 ;;
	lb-nfon) linux_bridge "$v" 1 up0 vnet0 vnet1 ;;
	xdp-fwd) bare_forwarder "$v" xdp up0 vnet0 vnet1 ;;
	tc-fwd) bare_forwarder "$v" tc up0 vnet0 vnet1 ;;
	xbr-nic) xbr_bridge "$v" auto up0:xdp vnet0 vnet1 ;;
	xbr-auto) xbr_bridge "$v" auto up0 vnet0 vnet1 ;;
	xbr-tc) xbr_bridge "$v" tc up0 vnet0 vnet1 ;;
	*) die "unknown tap variant $1 (known: $TAP_ALL)" ;;
	esac
	tap_fdb "$v"
}

# tap_rate NAME DIR SIZE [TRAFFICGEN ARGS] [-- VARIANT...]: one interleaved
# measurement over the tap family; DIR is tap-up (VM1 -> wire), up-tap
# (wire -> VM1) or tap-tap (VM1 -> VM2). Raw windows in $OUT/NAME.tsv.
tap_rate()
{
	local name=$1 dir=$2 size=$3 args=() specs=() vs=() v b src dst sink
	shift 3
	while [ $# -gt 0 ] && [ "$1" != -- ]; do args+=("$1"); shift; done
	[ $# -gt 0 ] && { shift; vs=("$@"); }
	[ ${#vs[@]} -gt 0 ] || vs=("${tap_active[@]}")
	for v in "${vs[@]}"; do
		b=$(xt_nsname "t-$v-b")
		case $dir in
		tap-up)
			src="$b,tap:vnet0" sink="$(xt_nsname "t-$v-w"),wire0"
			[ "$v" = direct ] && sink="$b,vnet0"
			;;
		up-tap)
			src="$(xt_nsname "t-$v-w"),wire0" sink="$b,tap:vnet0"
			[ "$v" = direct ] && src="$b,vnet0"
			;;
		tap-tap)
			src="$b,tap:vnet0" sink="$b,tap:vnet1"
			[ "$v" = direct ] && sink="$b,vnet0"
			;;
		esac
		specs+=("t-$v=$src,$sink")
	done
	case $dir in
	tap-up) src="$TAP1_MAC $TAP1_IP" dst="$WIRE_MAC $WIRE_IP" ;;
	up-tap) src="$WIRE_MAC $WIRE_IP" dst="$TAP1_MAC $TAP1_IP" ;;
	tap-tap) src="$TAP1_MAC $TAP1_IP" dst="$TAP2_MAC $TAP2_IP" ;;
	esac
	stage "$name: $dir, $size B ${args[*]}"
	printf '%s\t%s\t%s\t%s\t%s\n' "$name" "$dir" "$size" 1 "${args[*]}" \
		>>"$OUT/workloads.txt"
	"$BIN/xbr-trafficgen" -s "$size" -w $WINDOW -n "$TAP_ROUNDS" -c $CPU \
		--vm-cpu $TAP_CPU -B t-$BASELINE --src-mac "${src% *}" --src-ip "${src#* }" \
		--dst-mac "${dst% *}" --dst-ip "${dst#* }" -R "$OUT/$name.tsv" \
		"${args[@]}" "${specs[@]}" || die "$name: xbr-trafficgen failed"
}

# ping_rounds TSV ROUNDS COUNT DST NS_PREFIX VARIANT...: ICMP echo from
# NS_PREFIX-VARIANT-w to DST at 500/s, variants in turn, round after round;
# per-packet round trips as "round variant ms" lines in TSV.
ping_rounds()
{
	local tsv=$1 rounds=$2 count=$3 dst=$4 pfx=$5 r v out
	shift 5
	for ((r = 0; r < rounds; r++)); do
		for v in "$@"; do
			out=$(nsx "$pfx$v-w" ping -n -c "$count" -i 0.002 -W 1 "$dst") ||
				die "$pfx$v: ping $dst failed: $(tail -2 <<<"$out")"
			sed -n "s/.*time=\([0-9.]*\) ms/$r\t$v\t\1/p" <<<"$out" >>"$tsv"
		done
	done
}

# tap_latency ROUNDS COUNT: wire -> VM1 and back, VM1 answering from its tap
# (xbr-tapecho on the VMs' CPU), every tap variant but direct.
tap_latency()
{
	local vs=() v echo_args=()
	for v in "${tap_active[@]}"; do
		[ "$v" = direct ] && continue
		vs+=("$v")
		echo_args+=("$(xt_nsname "t-$v-b"),vnet0")
	done
	[ ${#vs[@]} -gt 0 ] || return 0
	stage "tap latency: ping wire -> VM on a tap, $1 round(s) of $2 per variant"
	"$BIN/xbr-tapecho" -c $TAP_CPU "${echo_args[@]}" >"$XT_TMP/tapecho.out" &
	local pid=$!
	XT_PIDS+=("$pid")
	sleep 0.3
	ping_rounds "$OUT/latency-tap.tsv" "$1" "$2" $TAP1_IP t- "${vs[@]}"
	kill "$pid"
	wait "$pid"
}

# --- jumbo frames -----------------------------------------------------------

# jumbo_rate NAME SIZE [TRAFFICGEN ARGS]: wire -> VM from AF_PACKET.
jumbo_rate()
{
	local name=$1 size=$2 specs=() v
	shift 2
	for v in "${jumbo_active[@]}"; do
		specs+=("j-$v=$(xt_nsname "j-$v-w"),packet:wire0,$(xt_nsname "j-$v-v"),vmif0")
	done
	stage "$name: jumbo, wire -> VM, $size B, AF_PACKET $*"
	printf '%s\t%s\t%s\t%s\t%s\n' "$name" jumbo "$size" 1 "$*" >>"$OUT/workloads.txt"
	"$BIN/xbr-trafficgen" -s "$size" -w $WINDOW -n "$TAP_ROUNDS" -c $CPU \
		-B j-$BASELINE --src-mac $WIRE_MAC --dst-mac $VM_MAC --src-ip $WIRE_IP \
		--dst-ip $VM_IP -R "$OUT/$name.tsv" "$@" "${specs[@]}" ||
		die "$name: xbr-trafficgen failed"
}

# jumbo_paths: which path each xbr port of the jumbo family takes today
# (xbr port show), for the report to label.
jumbo_paths()
{
	local v
	for v in "${jumbo_active[@]}"; do
		case $v in xbr-*) ;; *) continue ;; esac
		XBR_PIN_ROOT=$XBR_PIN_ROOT/j-$v nsx "j-$v-b" "$XBR" -j port show br0 |
			jq -r --arg v "$v" '.[] | [$v, .dev, .mode, (.xdp | tostring),
				(.tc | tostring)] | @tsv' >>"$OUT/jumbo-ports.tsv" ||
			die "j-$v: xbr port show"
	done
}
