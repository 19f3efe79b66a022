#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# xbr against the Linux bridge and the bare ceilings, on one topology per
# variant, all measured in one run by one interleaving generator.
#
#   bench/run.sh           the full benchmark (~8 min): bench/results.md, .png
#   bench/run.sh --quick   smoke run (~20 s): every variant must forward
#
# Per variant V, three namespaces built with tests/lib/net.sh:
#
#   V-w: wire0 (10.0.0.1) ==veth== up0  V-b: switch under test  vm0
#        ==veth== vmif0 (10.0.0.2) :V-v
#
# "direct" has no V-b: wire0 and vmif0 are peers (the machine's ceiling).
# Variant V-100k is V again, on its own namespaces, with 100 000 FDB
# entries: FDB size is compared within one run like everything else.
# The generator injects from wire0 (forward) or vmif0 (reverse); a sink on
# the far end counts. Every veth has GRO on, as a NIC has by default: it is
# also what lets an XDP redirect into a veth deliver to its peer when the
# peer has no XDP program (the Linux bridge's ports, tc-only variants).
#
# Environment: XBR (default build/xbr), BENCH_OUT (raw data, default
# build/bench/results), BENCH_ROUNDS (measured rounds per workload),
# BENCH_VARIANTS (space-separated subset).

set -u
export LC_ALL=C

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
root=$(cd "$here/.." && pwd)
# shellcheck source=tests/lib/net.sh
source "$root/tests/lib/net.sh"

QUICK=0
[ "${1:-}" = "--quick" ] && QUICK=1

BIN=$root/build/bench
OUT=${BENCH_OUT:-$root/build/bench/results}
ALL_VARIANTS="direct xdp-fwd tc-fwd lb-nfoff lb-nfon xbr-xdp xbr-tc xbr-auto"
VARIANTS=${BENCH_VARIANTS:-$ALL_VARIANTS}
PARTS=${BENCH_PARTS:-veth tap jumbo}
MD=${BENCH_MD:-$here/results.md}
PNG=${BENCH_PNG:-$here/results.png}
BASELINE=lb-nfoff
BIG=-100k			# suffix of the big-FDB twins
BIG_FDB=100000

WIRE_MAC=02:0a:00:00:00:00	# flow i: low 16 bits = i (xbr-trafficgen)
VM_MAC=02:0b:00:00:00:00
FILL_MAC=02:fe:00:00:00:00	# FDB padding: stations behind the uplink
WIRE_IP=10.0.0.1
VM_IP=10.0.0.2
MAX_FLOWS=1024

t0=$SECONDS
log() { printf '%s\n' "$*"; }
stage() { printf '\n== [%4ds] %s\n' $((SECONDS - t0)) "$*"; }
die() { printf 'bench: FAIL: %s\n' "$*" >&2; exit 1; }

for b in xbr-trafficgen xbr-benchfwd xbr-fdbfill xbr-tapecho; do
	[ -x "$BIN/$b" ] || { echo "SKIP: $BIN/$b missing (make)"; exit 77; }
done
[ "$(id -u)" -eq 0 ] || { echo "SKIP: needs root"; exit 77; }

xt_init bench
# A smoke run keeps its data private: it runs under make check, maybe next
# to a full run writing build/bench/results.
[ $QUICK -eq 1 ] && OUT=$XT_TMP/results
mkdir -p "$OUT"
rm -f "$OUT"/*.tsv "$OUT"/*.txt "$OUT"/plot*.dat

# shellcheck source=bench/vmports.sh
source "$here/vmports.sh"

# pick ARRAY KNOWN WANTED...: ARRAY gets the WANTED variants, each one of
# KNOWN; xbr variants only when the CLI exists (the others are measured
# regardless).
pick()
{
	local -n into=$1
	local known=$2 v
	shift 2
	into=()
	for v in "$@"; do
		case " $known " in
		*" $v "*) ;;
		*) die "unknown variant $v (known: $known)" ;;
		esac
		if [ "${v#xbr}" != "$v" ] && [ ! -x "$XBR" ]; then
			log "SKIP variant $v: $XBR not built"
			continue
		fi
		into+=("$v")
	done
}
active=() tap_active=() jumbo_active=()
for part in $PARTS; do
	case $part in
	veth) pick active "$ALL_VARIANTS" $VARIANTS ;;
	tap) pick tap_active "$TAP_ALL" ${BENCH_TAP_VARIANTS:-$TAP_ALL} ;;
	jumbo) pick jumbo_active "$JUMBO_ALL" ${BENCH_JUMBO_VARIANTS:-$JUMBO_ALL} ;;
	*) die "unknown part $part (known: veth tap jumbo)" ;;
	esac
done
[ ${#active[@]} -gt 0 ] || [ ${#tap_active[@]} -gt 0 ] || [ ${#jumbo_active[@]} -gt 0 ] ||
	die "no variant to measure"
# Each twin right after its variant: their per-round ratio then compares
# windows 0.25 s apart.
twins=() pairs=()
for v in "${active[@]}"; do
	pairs+=("$v")
	[ "$v" = direct ] && continue
	twins+=("$v$BIG")
	pairs+=("$v$BIG")
done

# --- topology -------------------------------------------------------------

w() { xt_nsname "$1-w"; }
v() { xt_nsname "$1-v"; }

# gro NS DEV: see the header.
gro() { nsx "$1" ethtool -K "$2" gro on >/dev/null || die "gro on $2 in $1"; }

endpoints()	# endpoints VARIANT: addresses and static neighbours, no ARP
{
	nsx "$1-w" ip link set wire0 address $WIRE_MAC
	nsx "$1-v" ip link set vmif0 address $VM_MAC
	xt_addr "$1-w" wire0 $WIRE_IP/24
	xt_addr "$1-v" vmif0 $VM_IP/24
	nsx "$1-w" ip neigh replace $VM_IP lladdr $VM_MAC dev wire0 nud permanent
	nsx "$1-v" ip neigh replace $WIRE_IP lladdr $WIRE_MAC dev vmif0 nud permanent
	gro "$1-w" wire0
	gro "$1-v" vmif0
}

linux_bridge()	# linux_bridge VARIANT 0|1 (bridge-nf-call-*) [PORT...]
{
	local ns=$1-b nf=$2 k p
	shift 2
	[ $# -gt 0 ] || set -- up0 vm0
	nsx "$ns" ip link add br0 type bridge || die "$ns: bridge"
	for p in "$@"; do
		nsx "$ns" ip link set "$p" master br0 || die "$ns: $p in br0"
	done
	nsx "$ns" ip link set br0 up
	for k in iptables ip6tables arptables; do
		nsx "$ns" sysctl -qw net.bridge.bridge-nf-call-$k="$nf" ||
			die "$ns: bridge-nf-call-$k"
	done
}

bare_forwarder() # bare_forwarder VARIANT xdp|tc [PORT...]
{
	local v=$1 how=$2
	shift 2
	[ $# -gt 0 ] || set -- up0 vm0
	nsx "$v-b" "$BIN/xbr-benchfwd" "$how" "$XBR_PIN_ROOT/fwd-$v" "$@" ||
		die "$v: xbr-benchfwd"
}

# xbr as an operator sets it up: a bridge, then ports with a mode. Each xbr
# variant gets its own pin root, so all of them can be called br0. What
# xbr says on stderr (a port falling back to tc) goes to $OUT/xbr-says.txt.
xbr_bridge()	# xbr_bridge VARIANT MODE [PORT[:MODE]...]
{
	local v=$1 mode=$2 pins=$XBR_PIN_ROOT/$1 p err
	shift 2
	[ $# -gt 0 ] || set -- up0 vm0
	mkdir -p "$pins"
	XBR_PIN_ROOT=$pins nsx "$v-b" "$XBR" bridge add br0 ||
		die "$v: xbr bridge add br0"
	for p in "$@"; do
		[ "${p#*:}" != "$p" ] || p=$p:$mode
		err=$(XBR_PIN_ROOT=$pins nsx "$v-b" "$XBR" port add br0 "${p%%:*}" \
			mode "${p#*:}" 2>&1) || die "$v: xbr port add br0 ${p%%:*} mode ${p#*:}: $err"
		[ -z "$err" ] || printf '%s\t%s\n' "$v" "$err" | tee -a "$OUT/xbr-says.txt"
	done
	[ -e "$pins/xbr/br0/fdb" ] || die "$v: no FDB pinned at $pins/xbr/br0/fdb"
}

base_of()	# base_of VARIANT: its kind, without family prefix or twin suffix
{
	local b=${1%"$BIG"}
	echo "${b#[tj]-}"
}

# complete_checksums VARIANT: the endpoints checksum in software. A native
# XDP redirect out of a veth loses CHECKSUM_PARTIAL (docs/FACTS.md), so without
# this no TCP segment of theirs arrives intact through an XDP-only switch;
# xbr's `mode xdp` is the operator's word that senders do this
# (user/lib/port.c). Generated frames and pings are complete anyway.
complete_checksums()
{
	# The jumbo family sends no TCP, and tx checksum offload off at its
	# endpoints cost ~450 ns more per 9018-byte frame (xbr in auto mode
	# with and without it, same run): it would blur the comparison.
	[ "${1#j-}" = "$1" ] || return 0
	nsx "$1-w" ethtool -K wire0 tx off >/dev/null || die "$1: tx off"
	nsx "$1-v" ethtool -K vmif0 tx off >/dev/null || die "$1: tx off"
}

setup_variant()
{
	local v=$1
	xt_ns "$v-w"
	xt_ns "$v-v"
	if [ "$(base_of "$v")" = direct ]; then
		xt_veth "$v-w" wire0 "$v-v" vmif0
	else
		xt_ns "$v-b"
		xt_veth "$v-w" wire0 "$v-b" up0
		xt_veth "$v-b" vm0 "$v-v" vmif0
		gro "$v-b" up0
		gro "$v-b" vm0
	fi
	# The jumbo family: every port at MTU 9000, set before any XDP program
	# is attached (a veth refuses one without fragment support above ~3500).
	if [ "${v#j-}" != "$v" ]; then
		jumbo_mtu "$v-w" wire0
		jumbo_mtu "$v-v" vmif0
		[ "$(base_of "$v")" = direct ] || { jumbo_mtu "$v-b" up0; jumbo_mtu "$v-b" vm0; }
	fi
	endpoints "$v"
	case $(base_of "$v") in
	direct) ;;
	xdp-fwd)
		bare_forwarder "$v" xdp
		complete_checksums "$v"
		;;
	tc-fwd) bare_forwarder "$v" tc ;;
	lb-nfoff) linux_bridge "$v" 0 ;;
	lb-nfon) linux_bridge "$v" 1 ;;
	xbr-xdp)
		xbr_bridge "$v" xdp
		complete_checksums "$v"
		;;
	xbr-tc) xbr_bridge "$v" tc ;;
	xbr-auto) xbr_bridge "$v" auto ;;
	esac
}

# --- FDB ------------------------------------------------------------------

fdb_map()	# fdb_map VARIANT: the pinned FDB of a BPF variant
{
	case $(base_of "$1") in
	xdp-fwd|tc-fwd) echo "$XBR_PIN_ROOT/fwd-$1" ;;
	xbr-*) echo "$XBR_PIN_ROOT/$1/xbr/br0/fdb" ;;
	esac
}

# fdb_add VARIANT BASE_MAC COUNT DEV [static]: COUNT consecutive MACs.
fdb_add()
{
	local v=$1 base=$2 n=$3 dev=$4 kind=${5:-}
	case $(base_of "$v") in
	direct) ;;
	lb-*)
		# Static entries never age, so a long run keeps its FDB size;
		# a lookup costs the same for either kind.
		awk -v base=$((16#${base//:/})) -v n="$n" -v dev="$dev" 'BEGIN {
			for (i = 0; i < n; i++) {
				m = base + i
				s = sprintf("%02x", int(m / 2^40) % 256)
				for (b = 4; b >= 0; b--)
					s = s sprintf(":%02x", int(m / 2^(8 * b)) % 256)
				print "fdb replace " s " dev " dev " master static"
			}
		}' >"$XT_TMP/fdb-$v"
		nsx "$v-b" bridge -batch "$XT_TMP/fdb-$v" ||
			die "$v: bridge fdb ($n entries)"
		;;
	*)
		nsx "$v-b" "$BIN/xbr-fdbfill" ${kind:+--static} "$(fdb_map "$v")" \
			"$base" "$n" "$dev" || die "$v: xbr-fdbfill ($n entries)"
		;;
	esac
}

fdb_count()	# fdb_count VARIANT: entries in its FDB now
{
	case $(base_of "$1") in
	direct) echo 0 ;;
	lb-*) nsx "$1-b" bridge fdb show br br0 | grep -vc permanent ;;
	*) "$BIN/xbr-fdbfill" --count "$(fdb_map "$1")" ;;
	esac
}

mac_plus()	# mac_plus MAC N
{
	local m=$(( 16#${1//:/} + $2 ))
	printf '%02x:%02x:%02x:%02x:%02x:%02x\n' $((m >> 40 & 255)) \
		$((m >> 32 & 255)) $((m >> 24 & 255)) $((m >> 16 & 255)) \
		$((m >> 8 & 255)) $((m & 255))
}

# Every flow's two stations are static entries on their own side, so all
# generated frames are known unicast on every switch; padding (stations
# behind the uplink that never send) brings the FDB to the size wanted.
declare -A fdb_flows fdb_pad
fdb_set()	# fdb_set FLOWS TOTAL VARIANT...
{
	local flows=$1 total=$2 v have pad
	shift 2
	for v in "$@"; do
		have=${fdb_flows[$v]:-0}
		if [ "$flows" -gt "$have" ]; then
			fdb_add "$v" "$(mac_plus $VM_MAC "$have")" \
				$((flows - have)) vm0 static
			fdb_add "$v" "$(mac_plus $WIRE_MAC "$have")" \
				$((flows - have)) up0 static
			fdb_flows[$v]=$flows
		fi
		pad=$((total - 2 * ${fdb_flows[$v]} - ${fdb_pad[$v]:-0}))
		if [ $pad -gt 0 ]; then
			fdb_add "$v" "$(mac_plus $FILL_MAC "${fdb_pad[$v]:-0}")" \
				$pad up0
			fdb_pad[$v]=$((${fdb_pad[$v]:-0} + pad))
		fi
		printf '%s\t%s\t%s\n' "$v" "$total" "$(fdb_count "$v")" \
			>>"$OUT/fdb-size.tsv"
	done
}

# --- workloads ------------------------------------------------------------

ROUNDS=${BENCH_ROUNDS:-20}
TAP_ROUNDS=${BENCH_TAP_ROUNDS:-12}
WINDOW=0.25
[ $QUICK -eq 1 ] && { ROUNDS=${BENCH_ROUNDS:-2}; TAP_ROUNDS=2; WINDOW=0.1; }
CPU=$(( $(nproc) - 1 ))

# rate NAME fwd|rev SIZE FLOWS [TRAFFICGEN ARGS] [-- VARIANT...]: one
# interleaved measurement; raw windows in $OUT/NAME.tsv.
rate()
{
	local name=$1 dir=$2 size=$3 flows=$4 args=() specs=() vs=() v
	shift 4
	while [ $# -gt 0 ] && [ "$1" != -- ]; do args+=("$1"); shift; done
	[ $# -gt 0 ] && { shift; vs=("$@"); }
	[ ${#vs[@]} -gt 0 ] || vs=("${active[@]}")
	for v in "${vs[@]}"; do
		if [ "$dir" = fwd ]; then
			specs+=("$v=$(w "$v"),wire0,$(v "$v"),vmif0")
		else
			specs+=("$v=$(v "$v"),vmif0,$(w "$v"),wire0")
		fi
	done
	local macs=(--src-mac "$WIRE_MAC" --dst-mac "$VM_MAC" --src-ip "$WIRE_IP" --dst-ip "$VM_IP")
	[ "$dir" = rev ] &&
		macs=(--src-mac "$VM_MAC" --dst-mac "$WIRE_MAC" --src-ip "$VM_IP" --dst-ip "$WIRE_IP")
	stage "$name: $dir, $size B, $flows flow(s) ${args[*]}"
	printf '%s\t%s\t%s\t%s\t%s\n' "$name" "$dir" "$size" "$flows" "${args[*]}" \
		>>"$OUT/workloads.txt"
	"$BIN/xbr-trafficgen" -s "$size" -f "$flows" -w $WINDOW -n "$ROUNDS" \
		-c $CPU -B $BASELINE "${macs[@]}" -R "$OUT/$name.tsv" "${args[@]}" \
		"${specs[@]}" || die "$name: xbr-trafficgen failed"
}

# prog_ids VARIANT: "WHERE ID" of the BPF programs a frame wire -> VM can
# run on its switch: those on up0 (its ingress) and, for xbr, the devmap
# egress programs (struct bpf_devmap_val: ifindex, then the program id).
prog_ids()
{
	nsx "$1-b" bpftool net show -j | jq -r '.[0] |
		(.xdp[]? | select(.devname == "up0") | "up0/xdp \(.id)"),
		(.tc[]? | select(.devname == "up0") | "up0/tc \(.id)")'
	case $1 in xbr-*) ;; *) return ;; esac
	bpftool map dump pinned "$XBR_PIN_ROOT/$1/xbr/br0/tx_ports" -j 2>/dev/null |
		jq -r '.[] | .value | if type == "array" then .[4:8] | join(" ")
			else .bpf_prog.id // 0 end' | sort -u |
		while read -r b0 b1 b2 b3; do
			echo "devmap-egress $(( b0 + (${b1:-0} << 8) + (${b2:-0} << 16) + (${b3:-0} << 24) ))"
		done | grep -v ' 0$' || true
}

# prog_stats TAG: run time and count of each of those programs, from the
# kernel's BPF stats (on while xbr-trafficgen -S runs).
prog_stats()
{
	local v where id
	for v in "${active[@]}"; do
		case $v in direct|lb-*) continue ;; esac
		prog_ids "$v" | while read -r where id; do
			printf '%s\t%s\t%s\t%s\n' "$1" "$v" "$where" "$(bpftool prog show id "$id" -j |
				jq -r '[.name, .type, (.run_time_ns // 0), (.run_cnt // 0)] | @tsv')" \
				>>"$OUT/prog-stats.tsv"
		done
	done
}

# iperf3_client VARIANT SECS: one TCP stream wire -> vm with the sender's
# default offloads (TSO/GSO, checksum offload); JSON on stdout.
iperf3_client()
{
	nsx "$1-w" timeout $(($2 + 15)) iperf3 -c $VM_IP -t "$2" \
		--connect-timeout 3000 -J 2>&1
}

csum_errors() { nsx "$1-v" nstat -az TcpInCsumErrors | awk '/TcpInCsumErrors/ { print $2 }'; }

tcp()	# tcp ROUNDS SECS
{
	local r v j bps
	stage "tcp: iperf3, $1 round(s) of ${2}s per variant"
	for v in "${active[@]}"; do
		xt_bg "$v-v" iperf3 -s -B $VM_IP >/dev/null 2>&1
	done
	sleep 0.5
	for ((r = 0; r < $1; r++)); do
		for v in "${active[@]}"; do
			j=$(iperf3_client "$v" "$2")
			bps=$(jq -e .end.sum_received.bits_per_second <<<"$j" 2>/dev/null) ||
				bps=
			printf '%s\t%s\t%s\t%s\n' "$r" "$v" "$bps" \
				"$(jq .end.sum_sent.retransmits <<<"$j" 2>/dev/null)" \
				>>"$OUT/tcp.tsv"
			[ -n "$bps" ] || log "  $v: iperf3 failed: $(jq -r .error <<<"$j" 2>/dev/null | head -1)"
		done
	done
	for v in "${active[@]}"; do
		printf '%s\t%s\n' "$v" "$(csum_errors "$v")" >>"$OUT/tcp-csum.tsv"
	done
}

# Latency: ICMP echo wire -> vm at 500/s (low load), per-packet RTTs.
latency()	# latency ROUNDS COUNT
{
	local r v out
	stage "latency: ping, $1 round(s) of $2 per variant"
	for ((r = 0; r < $1; r++)); do
		for v in "${active[@]}"; do
			out=$(nsx "$v-w" ping -n -c "$2" -i 0.002 -W 1 $VM_IP) ||
				die "$v: ping $VM_IP failed: $(tail -2 <<<"$out")"
			sed -n "s/.*time=\([0-9.]*\) ms/$r\t$v\t\1/p" <<<"$out" \
				>>"$OUT/latency.tsv"
		done
	done
}

# --- run ------------------------------------------------------------------

quick_veth()
{
	local v
	for v in "${active[@]}"; do
		setup_variant "$v"
	done
	fdb_set 4 10 "${active[@]}"
	# Far below any variant's capacity: this checks delivery, not speed.
	rate quick-fwd fwd 64 1 -r 20000 -W 1 -m 0.9
	rate quick-rev rev 64 1 -r 20000 -W 1 -m 0.9
	rate quick-1518 fwd 1518 4 -r 20000 -W 1 -m 0.9
	latency 1 5
	stage "tcp: 2 MB per variant"
	for v in "${active[@]}"; do
		xt_bg "$v-v" iperf3 -s -1 -B $VM_IP >/dev/null 2>&1
	done
	sleep 0.3
	for v in "${active[@]}"; do
		nsx "$v-w" timeout 20 iperf3 -c $VM_IP -n 2M --connect-timeout 3000 \
			>/dev/null 2>&1 ||
			die "$v: TCP (iperf3 -n 2M) does not get through" \
				"(TcpInCsumErrors at the receiver: $(csum_errors "$v"))"
	done
}

full_veth()
{
	local v
	stage "setup: ${#active[@]} variants, ${#twins[@]} big-FDB twins"
	for v in "${active[@]}" "${twins[@]}"; do
		setup_variant "$v"
	done
	fdb_set 1 10 "${active[@]}"
	fdb_set $MAX_FLOWS $BIG_FDB "${twins[@]}"

	rate fwd-64-1f fwd 64 1
	rate rev-64-1f rev 64 1
	rate fwd-1518-1f fwd 1518 1
	prog_stats before
	rate cpu-64-1f-200k fwd 64 1 -r 200000 -S
	prog_stats after
	latency 10 300
	tcp 8 2
	rate fdb-64-1f fwd 64 1 -- "${pairs[@]}"
	fdb_set $MAX_FLOWS 10 "${active[@]}"
	rate fdb-64-1024f fwd 64 $MAX_FLOWS -- "${pairs[@]}"
}

setup_tap()
{
	local v
	stage "setup: taps, ${#tap_active[@]} variants"
	for v in "${tap_active[@]}"; do
		setup_tap_variant "$v"
	done
}

# Every VM workload both ways of checksumming: complete (a guest without
# checksum offload) and NEEDS_CSUM (a guest's default with offload).
quick_tap()
{
	setup_tap
	tap_rate quick-tap-up-c tap-up 64 --csum complete -r 20000 -W 1 -m 0.9
	tap_rate quick-tap-up-p tap-up 1518 --csum partial -r 20000 -W 1 -m 0.9
	tap_rate quick-up-tap up-tap 64 -r 20000 -W 1 -m 0.9
	tap_rate quick-tap-tap-p tap-tap 64 --csum partial -r 20000 -W 1 -m 0.9
	tap_latency 1 5
}

full_tap()
{
	local size cs
	setup_tap
	for size in 64 1518; do
		for cs in complete partial; do
			tap_rate "tap-up-$size-${cs:0:1}" tap-up $size --csum $cs
		done
	done
	for size in 64 1518; do
		for cs in complete partial; do
			tap_rate "tap-tap-$size-${cs:0:1}" tap-tap $size --csum $cs
		done
	done
	tap_rate up-tap-64 up-tap 64
	tap_rate up-tap-1518 up-tap 1518
	# Saturated, a VM reading its tap is the bottleneck; capped, every
	# frame is read and the CPU per frame compares the paths.
	tap_rate up-tap-64-100k up-tap 64 -r 100000
	tap_latency 10 300
}

setup_jumbo()
{
	local v
	stage "setup: jumbo frames (MTU 9000), ${#jumbo_active[@]} variants"
	for v in "${jumbo_active[@]}"; do
		setup_variant "j-$v"
	done
	fdb_set 1 10 "${jumbo_active[@]/#/j-}"
	jumbo_paths
}

quick_jumbo()
{
	setup_jumbo
	jumbo_rate quick-jumbo 9018 -r 20000 -W 1 -m 0.9
}

full_jumbo()
{
	setup_jumbo
	jumbo_rate jumbo-9018 9018
}

log "bench: ${PARTS// /, }: variants ${active[*]}; taps ${tap_active[*]}; jumbo ${jumbo_active[*]}"
printf 'veth\t%s\ntap\t%s\njumbo\t%s\n' "${active[*]}" "${tap_active[*]}" \
	"${jumbo_active[*]}" >"$OUT/families.tsv"
for part in $PARTS; do
	if [ $QUICK -eq 1 ]; then
		quick_$part
	else
		full_$part
	fi
done
if [ $QUICK -eq 1 ]; then
	log ""
	log "bench-quick: every variant forwards ($PARTS)"
	exit 0
fi
stage "done"

python3 "$here/report.py" "$OUT" "$MD" "make bench" || die "report"
gnuplot -e "data='$OUT/plot.dat'; taps='$OUT/plot-tap.dat'; out='$PNG'" "$here/plot.gp" ||
	die "gnuplot"
log "bench: wrote $MD and $PNG"
