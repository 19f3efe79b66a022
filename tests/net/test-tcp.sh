#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# TCP with the senders' default offloads (tx checksum offload and GSO on)
# through modes auto and tc: VM -> uplink, uplink -> VM, VM -> VM and host
# port <-> VM. Every transfer completes and the receivers count no TCP
# checksum errors (docs/FACTS.md: XDP redirects lose CHECKSUM_PARTIAL).
set -e
. "$(dirname "$0")/topo.sh"
topo_init tcp vm1 vm2 ext
xt_need iperf3

csum_errors() { nsx "$1" awk '/^Tcp:/ { if (!h) { for (i = 1; i <= NF; i++) if ($i == "InCsumErrors") c = i; h = 1 } else print $c }' /proc/net/snmp; }

if command -v ethtool >/dev/null; then
	for h in "${HOSTS[@]}"; do
		f=$(nsx "$h" ethtool -k vif0)
		grep -q '^tx-checksumming: on' <<<"$f" || xt_fail "$h: tx checksumming is off by default?"
		grep -q '^generic-segmentation-offload: on' <<<"$f" || xt_fail "$h: GSO is off by default?"
	done
	xt_log "ok: senders have tx checksum offload and GSO on"
else
	xt_log "ethtool not installed: offloads not checked (veth defaults: on)"
fi

port=5201
xfer()	# xfer MODE CLIENT SERVER
{
	local mode=$1 c=$2 s=$3 out e0 e1 bytes
	e0=$(csum_errors "$s")
	port=$((port + 1))
	xt_bg "$s" iperf3 -s -1 -B "${IP[$s]}" -p $port
	xt_wait 5 nsx "$s" sh -c "ss -ltn | grep -q ':$port '" || xt_fail "iperf3 server in $s"
	out=$(nsx "$c" timeout 30 iperf3 -c "${IP[$s]}" -p $port -t 2 -J) ||
		xt_fail "mode $mode: iperf3 $c -> $s failed: $(jq -r '.error // empty' <<<"$out" 2>/dev/null)"
	wait "$XT_LAST_PID" 2>/dev/null || true
	bytes=$(jq '.end.sum_received.bytes' <<<"$out")
	[ "$bytes" -gt 1000000 ] || xt_fail "mode $mode: $c -> $s moved only $bytes bytes"
	e1=$(csum_errors "$s")
	[ "$e1" = "$e0" ] || xt_fail "mode $mode: $s counted $((e1 - e0)) TCP checksum errors"
	xt_log "ok: mode $mode $c -> $s: $(jq '.end.sum_received.bits_per_second / 1e9 * 100 | floor / 100' <<<"$out") Gbit/s, no csum errors"
}

IP[br]=10.77.0.254	# the host port's address, in namespace br
for mode in auto tc; do
	topo_bridge host-port
	nsx br ip addr add "${IP[br]}/24" dev "$BR"
	nsx br ip link set "$BR" up
	topo_ports "$mode"
	ping_all
	xfer "$mode" vm1 ext
	xfer "$mode" ext vm1
	xfer "$mode" vm1 vm2
	xfer "$mode" br vm1
	xfer "$mode" vm1 br
	xbr_br bridge del "$BR" || xt_fail "bridge del"
done
