#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# A guest with checksum offload writes UDP frames to its tap marked
# NEEDS_CSUM, the checksum field holding only the pseudo-header sum. xbr in
# auto mode must deliver every one with a correct checksum: small ones
# finished by XDP, large ones through tc, which keeps CHECKSUM_PARTIAL.
# mode xdp trusts the guest's checksums, so there the same frames arrive
# corrupt: that run proves the receiver's counter can see the damage.
source "$(dirname "$0")/../lib/net.sh"
xt_init tap-checksum

VM_MAC=02:00:00:00:00:01
PEER_MAC=02:00:00:00:00:0b
SEND="--src-mac $VM_MAC --dst-mac $PEER_MAC --src-ip 10.77.0.10 --dst-ip 10.77.0.2"

# run_case TAP_MODE: send 3 batches of 20 (small partial, large partial,
# complete) through bridge b-TAP_MODE; sets RX and ERRS.
run_case()
{
	local mode=$1 br=b-$1

	xt_ns "br-$mode"
	xt_ns "vm-$mode"
	xt_veth "br-$mode" pb "vm-$mode" eth0 $PEER_MAC
	xt_addr "vm-$mode" eth0 10.77.0.2/24
	# The peer runs NAPI (GRO) so that XDP may redirect into it.
	nsx "vm-$mode" ethtool -K eth0 gro on >/dev/null
	nsx "vm-$mode" ip neigh add 10.77.0.10 lladdr $VM_MAC dev eth0
	nsx "br-$mode" ip tuntap add dev tap0 mode tap vnet_hdr
	nsx "br-$mode" ip link set tap0 up
	xbr_in "br-$mode" bridge add $br || xt_fail "bridge add"
	xbr_in "br-$mode" port add $br tap0 mode "$mode" || xt_fail "port add tap0"
	xbr_in "br-$mode" port add $br pb mode xdp || xt_fail "port add pb"

	nsx "vm-$mode" python3 -c '
import socket
s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
s.bind(("0.0.0.0", 9000)); s.settimeout(2)
n = 0
try:
    while True:
        s.recv(4096); n += 1
except socket.timeout:
    pass
print(n)' >"$XT_TMP/rx-$mode" &
	local rx_pid=$!
	sleep 0.3
	nsx "vm-$mode" nstat -n
	nsx "br-$mode" python3 "$xt_root/tests/lib/tapvm.py" tap0 udp $SEND --count 20 --partial >/dev/null
	nsx "br-$mode" python3 "$xt_root/tests/lib/tapvm.py" tap0 udp $SEND --count 20 --partial --size 1200 >/dev/null
	nsx "br-$mode" python3 "$xt_root/tests/lib/tapvm.py" tap0 udp $SEND --count 20 >/dev/null
	wait $RX_pid
	RX=$(cat "$XT_TMP/rx-$mode")
	ERRS=$(nsx "vm-$mode" nstat -a | awk '/UdpInCsumErrors/ {print $2}')
	ERRS=${ERRS:-0}
}

run_case auto
xt_log "auto: received $RX of 60, $ERRS checksum errors"
[ "$RX" = 60 ] && [ "$ERRS" = 0 ] || xt_fail "auto mode corrupted or lost frames"

run_case tc
xt_log "tc: received $RX of 60, $ERRS checksum errors"
[ "$RX" = 60 ] && [ "$ERRS" = 0 ] || xt_fail "tc mode corrupted or lost frames"

run_case xdp
xt_log "xdp (trusts the guest): received $RX of 60, $ERRS checksum errors"
[ "$ERRS" -gt 0 ] || xt_fail "mode xdp should have shown the hazard auto avoids"
echo "PASS"
