#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# Broadcast reaches every other port and not the sender's; an ARP request
# gets its answer; the flood is counted.
set -e
. "$(dirname "$0")/topo.sh"
topo_init arp-flood
topo_bridge
topo_ports auto

N=10
declare -A before
for h in "${HOSTS[@]}"; do before[$h]=$(rx "$h"); done
fl0=$(pstat vnet1 flooded)
# Who-has an address nobody owns: only the flood, no answer.
nsx vm1 python3 "$PKT" arp vif0 --src "${MAC[vm1]}" --sip "${IP[vm1]}" \
	--tip 10.77.0.99 --count $N
sleep 0.5
for h in vm2 vm3 ext; do
	got=$(( $(rx "$h") - before[$h] ))
	[ "$got" -ge $N ] || xt_fail "$h received $got of $N broadcast ARPs"
done
got=$(( $(rx vm1) - before[vm1] ))
[ "$got" -eq 0 ] || xt_fail "sender vm1 got $got copies of its own broadcast"
xt_log "ok: $N broadcasts reached vm2 vm3 ext, none came back to vm1"

fl=$(pstat vnet1 flooded)
[ $((fl - fl0)) -ge $N ] || xt_fail "vnet1 flooded counter $fl0 -> $fl, sent $N"
xt_log "ok: flooded counted on the ingress port ($fl0 -> $fl)"

# A real ARP exchange: vm2 resolves ext, both learn each other.
nsx vm2 ip neigh flush dev vif0
ping_pair vm2 ext 1 || xt_fail "vm2 cannot reach ext"
nsx vm2 ip neigh show dev vif0 | grep -qi "${MAC[ext]}" ||
	xt_fail "vm2 did not resolve ext's MAC"
xt_log "ok: ARP request answered, vm2 resolved ext"
topo_quiet

# Multicast (01:00:5e:...) floods like broadcast.
for h in "${HOSTS[@]}"; do before[$h]=$(rx "$h"); done
send_raw vm3 01:00:5e:00:00:fb --count $N
sleep 0.5
for h in vm1 vm2 ext; do
	got=$(( $(rx "$h") - before[$h] ))
	[ "$got" -ge $N ] || xt_fail "$h received $got of $N multicast frames"
done
xt_log "ok: multicast flooded to every other port"

# IEEE link-local 01:80:c2:00:00:0X is never forwarded.
for h in "${HOSTS[@]}"; do before[$h]=$(rx "$h"); done
ll() { xbr_br -j stats "$BR" dev vnet3 | jq '[.[0].drops | to_entries[] | select(.key | test("link"; "i")) | .value] | add // 0'; }
l0=$(ll)
send_raw vm3 01:80:c2:00:00:0e --count $N
sleep 0.5
for h in vm1 vm2 ext; do
	got=$(( $(rx "$h") - before[$h] ))
	[ "$got" -eq 0 ] || xt_fail "$h received $got link-local frames"
done
l1=$(ll)
[ $((l1 - l0)) -ge $N ] || xt_fail "link-local drops on vnet3 $l0 -> $l1, sent $N: $(xbr_br -j stats "$BR" dev vnet3 | jq -c '.[0].drops')"
xt_log "ok: link-local frames not forwarded, counted as drops ($l0 -> $l1)"
