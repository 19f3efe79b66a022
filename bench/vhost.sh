#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# make bench's vhost part: tests/vhost/bench-vhost.sh (guest TX and RX at
# 64 B through xbr-vhost next to DPDK's own vhost-user back-end, the same
# virtio_user frontend, interleaved windows, both paths overloaded), written
# up as bench/results-vhost.md with per-path medians and same-round ratios.
set -u
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/.." && pwd)
secs=${1:-3} rounds=${2:-5}
out=$root/build/bench/vhost.txt
mkdir -p "$(dirname "$out")"
bash "$root/tests/vhost/bench-vhost.sh" "$secs" "$rounds" | tee "$out"
rc=${PIPESTATUS[0]}
[ "$rc" -eq 0 ] || { echo "bench-vhost: skipped or failed (exit $rc)" >&2; exit "$rc"; }

median() { sort -n | awk '{ a[NR] = $1 } END { print NR ? a[int((NR + 1) / 2)] : 0 }'; }
{
	echo "# xbr-vhost against DPDK's vhost-user back-end"
	echo
	echo "- date: $(date -u '+%Y-%m-%d %H:%M') UTC; kernel $(uname -r); $(nproc) cores"
	echo "- command: \`make bench\` (bench/vhost.sh -> tests/vhost/bench-vhost.sh $secs $rounds)"
	echo "- frontend: dpdk-testpmd with virtio_user, 64 B frames, $rounds interleaved rounds of ${secs} s"
	echo "- xbr: virtio_user -> xbr-vhost -> AF_XDP -> vport VM side ==veth== sink"
	echo "- xbr-packed: the same on packed rings (virtio_user packed_vq=1)"
	echo "- dpdk: virtio_user -> testpmd net_vhost0 -> net_af_packet -> veth == sink"
	echo "- TX: the guest sends flat out; RX: a live-frames generator floods the far end"
	echo
	echo "| direction | path | delivered/s (median) | lost, summed over rounds |"
	echo "|---|---|---|---|"
	# ratio DIR A B: median over rounds of A's rate / B's, same round.
	ratio() {
		awk -v d=$1 -v a=$2 -v b=$3 '$2 == d && $3 == a { x[$1] = $4 } $2 == d && $3 == b { y[$1] = $4 }
			END { for (r in x) if (y[r] > 0) print x[r] / y[r] }' "$out" | median
	}
	for dir in tx rx; do
		for path in xbr xbr-packed dpdk; do
			grep -q " $path " "$out" || continue
			med=$(awk -v d=$dir -v p=$path '$2 == d && $3 == p { print $4 }' "$out" | median)
			lost=$(awk -v d=$dir -v p=$path '$2 == d && $3 == p { s += $6 } END { print s + 0 }' "$out")
			echo "| $dir | $path | $med | $lost |"
		done
		echo "| $dir | xbr / dpdk, same round (median) | $(ratio $dir xbr dpdk)x | |"
		grep -q " xbr-packed " "$out" &&
			echo "| $dir | xbr packed / split, same round (median) | $(ratio $dir xbr-packed xbr)x | |"
	done
	echo
	echo "Lost frames on the RX side are the kernel's (the guest had no buffers left for the"
	echo "generator's overload), counted by XDP_STATISTICS; xbr-vhost itself drops none."
	echo
	echo '```'
	cat "$out"
	echo '```'
} >"$here/results-vhost.md"
echo "bench-vhost: wrote bench/results-vhost.md" >&2
