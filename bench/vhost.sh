#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# make bench's vhost part: tests/vhost/bench-vhost.sh (xbr-vhost against
# DPDK's vhost-user back-end on DPDK's AF_XDP PMD, the same virtio_user
# front-end, interleaved windows; guest TX and RX, losses at overload, the
# back-ends' CPU and system calls, a TX profile, a Linux guest's
# interrupts, round trips), written up as bench/results-vhost.md and
# plotted in bench/results-vhost.png.
#
#   bench/vhost.sh [SECONDS [ROUNDS]]   (default 3 s, 4 rounds)
#   bench/vhost.sh --quick              every path delivers both ways
set -u
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/.." && pwd)
if [ "${1:-}" = --quick ]; then
	exec bash "$root/tests/vhost/bench-vhost.sh" --quick
fi
secs=${1:-3} rounds=${2:-4}
out=${BENCH_VHOST_OUT:-$root/build/bench/vhost}
md=${BENCH_VHOST_MD:-$here/results-vhost.md}
mkdir -p "$out"
VH_BENCH_OUT=$out bash "$root/tests/vhost/bench-vhost.sh" "$secs" "$rounds" | tee "$out/log.txt"
rc=${PIPESTATUS[0]}
[ "$rc" -eq 0 ] || { echo "bench-vhost: skipped or failed (exit $rc)" >&2; exit "$rc"; }
python3 "$here/report_vhost.py" "$out" "$md" "make bench" "$secs" "$rounds" ||
	{ echo "bench-vhost: report failed" >&2; exit 1; }
png=${md%.md}.png
gnuplot -e "data='$out/plot-vhost.dat'; out='$png'" "$here/plot_vhost.gp" ||
	{ echo "bench-vhost: gnuplot failed" >&2; exit 1; }
echo "bench-vhost: wrote $md and $png" >&2
