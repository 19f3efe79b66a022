#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# What VLANs and port security cost, measured like bench/run.sh: one
# interleaving generator (xbr-trafficgen), one topology per variant, the
# same frames, in one run. Frames go VM -> wire (vm0 is the VM's port, the
# one that is locked or an access port; up0 the uplink or trunk):
#
#   V-v: vmif0 ==veth== vm0  V-b: switch  up0 ==veth== wire0 :V-w (sink)
#
#   lb-nfoff     Linux bridge, bridge-nf-call-* 0
#   lb-nft       the same with the anti-spoofing operators put on a VM port
#                today: nftables bridge family, source MAC and IPv4/ARP
#                sender checked on vm0 (built in here; no br_netfilter)
#   xbr-xdp      xbr, mode xdp, no VLAN, no lock
#   xbr-locked   vm0 locked to its MAC and IPv4 address
#   xbr-vlan     vm0 access port of VLAN 10, up0 a trunk: XDP pushes the tag
#   xbr-tc / xbr-tc-locked / xbr-tc-vlan   the same in mode tc
#
#   bench/security.sh [--quick]   writes bench/results-security.md
# Environment: XBR, BENCH_OUT (raw data), BENCH_ROUNDS.
set -u
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/.." && pwd)
# shellcheck source=../tests/lib/net.sh
. "$root/tests/lib/net.sh"
BIN=$root/build/bench
QUICK=0
[ "${1:-}" = "--quick" ] && QUICK=1
OUT=${BENCH_OUT:-$root/build/bench/security}
VARIANTS="lb-nfoff lb-nft xbr-xdp xbr-locked xbr-vlan xbr-tc xbr-tc-locked xbr-tc-vlan"
WIRE_MAC=02:0a:00:00:00:00 VM_MAC=02:0b:00:00:00:00
WIRE_IP=10.0.0.1 VM_IP=10.0.0.2

log() { printf '%s\n' "$*" >&2; }
die() { log "bench-security: FAIL: $*"; exit 1; }

[ "$(id -u)" -eq 0 ] || xt_skip "needs root"
[ -x "$XBR" ] || xt_skip "$XBR not built"
[ -x "$BIN/xbr-trafficgen" ] || xt_skip "$BIN/xbr-trafficgen not built"
command -v nft >/dev/null || xt_skip "nft not installed (scripts/deps.sh)"
xt_init bench-security
[ $QUICK -eq 1 ] && OUT=$XT_TMP/results
mkdir -p "$OUT"

xbr_v() { XBR_PIN_ROOT=$XBR_PIN_ROOT/$1 nsx "$1-b" "$XBR" "${@:2}" || die "$1: xbr ${*:2}"; }

setup()
{
	local v=$1 mode=xdp ns
	for ns in w b v; do xt_ns "$v-$ns"; done
	xt_veth "$v-v" vmif0 "$v-b" vm0
	xt_veth "$v-b" up0 "$v-w" wire0
	nsx "$v-v" ip link set vmif0 address $VM_MAC
	nsx "$v-w" ip link set wire0 address $WIRE_MAC
	# GRO gives each veth NAPI, so XDP may redirect into its peer.
	for d in "$v-v vmif0" "$v-b vm0" "$v-b up0" "$v-w wire0"; do
		nsx ${d% *} ethtool -K ${d#* } gro on >/dev/null || die "$v: gro"
	done
	case $v in
	lb-*)
		nsx "$v-b" ip link add br0 type bridge
		nsx "$v-b" ip link set up0 master br0
		nsx "$v-b" ip link set vm0 master br0
		nsx "$v-b" ip link set br0 up
		for k in iptables ip6tables arptables; do
			nsx "$v-b" sysctl -qw net.bridge.bridge-nf-call-$k=0
		done
		nsx "$v-b" bridge fdb add $WIRE_MAC dev up0 master static
		[ "$v" = lb-nft ] && nsx "$v-b" nft -f - <<-EOT
		table bridge portsec {
			chain forward {
				type filter hook forward priority 0; policy accept;
				iifname "vm0" ether saddr != $VM_MAC drop
				iifname "vm0" ether type ip ip saddr != $VM_IP drop
				iifname "vm0" ether type arp arp saddr ip != $VM_IP drop
			}
		}
		EOT
		;;
	xbr-*)
		case $v in xbr-tc*) mode=tc ;; esac
		mkdir -p "$XBR_PIN_ROOT/$v"
		xbr_v "$v" bridge add br0
		xbr_v "$v" port add br0 up0 mode $mode
		xbr_v "$v" port add br0 vm0 mode $mode
		case $v in
		*-locked) xbr_v "$v" port set br0 vm0 locked on mac $VM_MAC ip $VM_IP ;;
		*-vlan)
			xbr_v "$v" vlan add br0 dev vm0 vid 10 pvid untagged
			xbr_v "$v" vlan add br0 dev up0 vid 10
			;;
		esac
		case $v in
		*-vlan) xbr_v "$v" fdb add br0 $WIRE_MAC dev up0 vlan 10 static ;;
		*) xbr_v "$v" fdb add br0 $WIRE_MAC dev up0 static ;;
		esac
		;;
	esac
}

for v in $VARIANTS; do setup "$v"; done

specs=()
for v in $VARIANTS; do
	specs+=("$v=$(xt_nsname "$v-v"),vmif0,$(xt_nsname "$v-w"),wire0")
done
rounds=${BENCH_ROUNDS:-10}
window=0.25
[ $QUICK -eq 1 ] && { rounds=${BENCH_ROUNDS:-2}; window=0.1; }

# run NAME SIZE: one interleaved measurement of every variant.
run()
{
	log "== $1: VM -> wire, $2 B, 1 flow, $rounds rounds of ${window}s per variant"
	"$BIN/xbr-trafficgen" -s "$2" -f 1 -w $window -n "$rounds" -c $(($(nproc) - 1)) \
		-B lb-nfoff -m 0.9 --src-mac $VM_MAC --dst-mac $WIRE_MAC \
		--src-ip $VM_IP --dst-ip $WIRE_IP -R "$OUT/$1.tsv" -t "${specs[@]}" \
		>"$OUT/$1.summary" || die "$1: xbr-trafficgen failed (a variant did not forward?)"
	cat "$OUT/$1.summary" >&2
}

run sec-64 64
run sec-1518 1518

# Each lock really holds: frames from another source MAC (the generator
# varies only the low 16 bits with flows, so change a high byte) die.
for v in lb-nft xbr-locked xbr-tc-locked; do
	"$BIN/xbr-trafficgen" -s 64 -f 1 -w 0.1 -n 1 -W 0 -r 20000 \
		--src-mac 02:0c:00:00:00:00 --dst-mac $WIRE_MAC --src-ip $VM_IP --dst-ip $WIRE_IP \
		-t "$v=$(xt_nsname "$v-v"),vmif0,$(xt_nsname "$v-w"),wire0" >"$OUT/spoof-$v" 2>&1
	got=$(awk -F'\t' -v v="$v" '$1 == v { print $3 + 0 }' "$OUT/spoof-$v" | head -1)
	log "  $v: spoofed source delivered at ${got:-?} Mpps"
	[ "${got:-1}" = 0 ] || die "$v let a spoofed source through"
done

[ $QUICK -eq 1 ] && { log "bench-security: every variant forwards and every lock holds"; exit 0; }

python3 "$here/report_security.py" "$OUT" "$here/results-security.md" ||
	die "report failed"
log "bench-security: wrote bench/results-security.md"
