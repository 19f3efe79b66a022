#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# xbr demo: a host with three VMs and an uplink, all inside network
# namespaces, bridged by xbr instead of a Linux bridge.
#
#   scripts/demo.sh          build the topology, show traffic, leave it up
#   scripts/demo.sh clean    remove everything the demo made
#
#   xbr-demo-ext  (external host, 10.77.0.100) --- uplink -.
#   xbr-demo-vm1  (10.77.0.1) ------------------- vnet1 ---+ bridge br0
#   xbr-demo-vm2  (10.77.0.2) ------------------- vnet2 ---+ in xbr-demo-br
#   xbr-demo-vm3  (10.77.0.3) ------------------- vnet3 ---+ (host port br0:
#                                                            10.77.0.254)
# Nothing outside these namespaces is touched; maps are pinned on a bpffs
# of the demo's own at /run/xbr-demo/bpf.
set -eEu

ROOT=$(cd "$(dirname "$0")/.." && pwd)
XBR=${XBR:-$ROOT/build/xbr}
P=xbr-demo
BRNS=$P-br
HOSTS=(vm1 vm2 vm3 ext)
declare -A PORT=([vm1]=vnet1 [vm2]=vnet2 [vm3]=vnet3 [ext]=uplink)
declare -A IP=([vm1]=10.77.0.1 [vm2]=10.77.0.2 [vm3]=10.77.0.3 [ext]=10.77.0.100 [host]=10.77.0.254)
declare -A MAC=([vm1]=52:54:00:00:00:01 [vm2]=52:54:00:00:00:02 [vm3]=52:54:00:00:00:03 [ext]=52:54:00:00:00:64)
STATE=/run/xbr-demo
PIN=$STATE/bpf

if [ -t 1 ]; then B=$'\033[1m' N=$'\033[0m'; else B= N=; fi
say() { printf '\n%s== %s%s\n' "$B" "$*" "$N"; }
in_br() { ip netns exec "$BRNS" "$@"; }
xbr() { in_br "$XBR" --pin-root "$PIN" "$@"; }

clean()
{
	local ns
	if ip netns list | grep -qw "$BRNS" && [ -x "$XBR" ] && mountpoint -q "$PIN"; then
		xbr bridge del br0 2>/dev/null || true
	fi
	for ns in $(ip netns list | awk '{print $1}' | grep "^$P-" || true); do
		ip netns del "$ns"
	done
	if mountpoint -q "$PIN" 2>/dev/null; then
		umount "$PIN"
	fi
	rm -rf "$STATE"
}

if [ "$(id -u)" -ne 0 ]; then
	echo "demo: run as root (it creates network namespaces and loads BPF programs)" >&2
	exit 1
fi

if [ "${1:-}" = clean ]; then
	clean
	echo "demo: removed (namespaces $P-*, $PIN)"
	exit 0
fi

[ -x "$XBR" ] || { echo "demo: $XBR not built: run make (or make demo)" >&2; exit 1; }

clean	# a previous run's leftovers
trap 'echo "demo: failed, cleaning up" >&2; clean' ERR

say "Topology: namespaces $BRNS (bridge), $P-vm1..3 (VMs), $P-ext (external host)"
mkdir -p "$PIN"
mount -t bpf bpf "$PIN"
ip netns add "$BRNS"
ip -n "$BRNS" link set lo up
for h in "${HOSTS[@]}"; do
	ns=$P-$h
	ip netns add "$ns"
	ip -n "$ns" link set lo up
	ip netns exec "$ns" sysctl -qw net.ipv6.conf.all.disable_ipv6=1
	ip link add "${PORT[$h]}" netns "$BRNS" type veth peer name vif0 netns "$ns"
	ip -n "$ns" link set vif0 address "${MAC[$h]}"
	ip -n "$ns" addr add "${IP[$h]}/24" dev vif0
	ip -n "$ns" link set vif0 up
	ip -n "$BRNS" link set "${PORT[$h]}" up
	echo "  $ns: vif0 ${MAC[$h]} ${IP[$h]}/24  <->  ${PORT[$h]} in $BRNS"
done

say "Starting xbr (maps pinned under $PIN/xbr/br0)"
run() { echo "  # xbr $*"; xbr "$@"; }
run bridge add br0 host-port
for h in "${HOSTS[@]}"; do
	run port add br0 "${PORT[$h]}"
done
in_br ip addr add "${IP[host]}/24" dev br0
in_br ip link set br0 up
echo "  host port br0 in $BRNS: ${IP[host]}/24"
xbr port show br0

say "Ping between every pair (host port included)"
ALL=("${HOSTS[@]}" host)
nsof() { [ "$1" = host ] && echo "$BRNS" || echo "$P-$1"; }
printf '  %-8s' from\\to
for b in "${ALL[@]}"; do printf '%-6s' "$b"; done
echo
bad=0
for a in "${ALL[@]}"; do
	printf '  %-8s' "$a"
	for b in "${ALL[@]}"; do
		if [ "$a" = "$b" ]; then
			printf '%-6s' -
		elif ip netns exec "$(nsof "$a")" ping -q -c 2 -i 0.2 -W 1 "${IP[$b]}" >/dev/null 2>&1; then
			printf '%-6s' ok
		else
			printf '%-6s' FAIL
			bad=$((bad + 1))
		fi
	done
	echo
done

say "Learned FDB (xbr fdb show br0)"
xbr fdb show br0
say "Counters (xbr stats br0)"
xbr stats br0

say "Look around"
cat <<EOT
  The demo is still running. Everything lives in namespaces $P-*:
    ip netns exec $BRNS $XBR --pin-root $PIN bridge show
    ip netns exec $BRNS $XBR --pin-root $PIN port show br0
    ip netns exec $BRNS $XBR --pin-root $PIN fdb show br0
    ip netns exec $BRNS $XBR --pin-root $PIN -j stats br0
    ip netns exec $P-vm1 ping ${IP[ext]}
    ip netns exec $P-ext ping ${IP[host]}
    ip netns exec $BRNS bpftool net show
  The maps (bpftool prints named fields):
    ls $PIN/xbr/br0
    bpftool map dump pinned $PIN/xbr/br0/fdb
    bpftool map dump pinned $PIN/xbr/br0/stats
  Remove everything:
    make demo-clean        (or: bash scripts/demo.sh clean)
EOT
trap - ERR
if [ $bad -ne 0 ]; then
	echo "demo: $bad pings failed" >&2
	exit 1
fi
