#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# fuzz.sh [SECONDS] [TARGET...]: run the libFuzzer targets of xbr-vhost,
# each for SECONDS (default 60), one after the other, at nice 10, from
# seed corpora made here plus what earlier runs found (build/vhost/
# fuzz-corpus/TARGET). Targets: fuzz_msg (messages), fuzz_fds (messages
# with real memfds and eventfds), fuzz_ring (the ring walker over two
# regions of guest memory). An input that crashes, leaks, trips a
# sanitizer or runs over 5 s fails the run and is kept in
# build/vhost/fuzz-artifacts/. Prints one line per target:
#   fuzz_ring: 1234567 execs in 60 s, 0 crashes, max_len 65538[, fds ...]
# `make fuzz` runs this with FUZZ_SECONDS; `make check` (test-fuzz.sh) a
# short run.
root=$(cd "$(dirname "$0")/../.." && pwd)
secs=${1:-60}
shift
targets=("$@")
[ ${#targets[@]} -gt 0 ] || targets=(fuzz_msg fuzz_fds fuzz_ring)
for t in "${targets[@]}"; do
	[ -x "$root/build/vhost/$t" ] ||
		{ echo "SKIP: build/vhost/$t not built (make vhost-tests needs clang and libFuzzer)"
		  exit 77; }
done
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
art=$root/build/vhost/fuzz-artifacts
corpus=$root/build/vhost/fuzz-corpus
mkdir -p "$art"
python3 "$root/tests/vhost/gen_fuzz_seeds.py" "$tmp/fuzz_msg" "$tmp/fuzz_ring" "$tmp/fuzz_fds" ||
	exit 1

max_len()
{
	case $1 in
	fuzz_ring) echo 65538 ;;	# 2 + region A + region B: both reachable
	fuzz_fds) echo 65536 ;;
	*) echo 16384 ;;
	esac
}

rc=0
total=0
for t in "${targets[@]}"; do
	mkdir -p "$corpus/$t"
	log=$tmp/$t.log
	# One worker: the machine's cores are shared. New inputs go to the
	# persistent corpus (first directory), seeds are read from the second.
	if nice -n 10 "$root/build/vhost/$t" -max_total_time="$secs" -timeout=5 \
		-rss_limit_mb=2048 -max_len="$(max_len "$t")" -print_final_stats=1 \
		-artifact_prefix="$art/$t-" "$corpus/$t" "$tmp/$t" >"$log" 2>&1; then
		crashes=0
	else
		crashes=1
		rc=1
	fi
	execs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$log" | tail -1)
	[ -n "$execs" ] || execs=$(grep -o 'Done [0-9]* runs' "$log" | grep -o '[0-9]*' | tail -1)
	execs=${execs:-0}
	total=$((total + execs))
	fds=$(grep -o 'open fds at start [0-9]*, at exit [0-9]*' "$log" | tail -1)
	echo "$t: $execs execs in $secs s, $crashes crashes, max_len $(max_len "$t")${fds:+, $fds}"
	if [ $crashes -ne 0 ]; then
		grep -B2 -A30 -m1 -E 'ERROR|deadly signal|timeout|leak|still open' "$log" | head -60
		echo "FAIL: $t (reproducer in $art)"
	fi
done
echo "total: $total execs"
exit $rc
