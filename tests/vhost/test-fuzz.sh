#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# libFuzzer over the vhost-user message handler and the ring walker, each
# for a bounded time (VH_FUZZ_SECONDS, default 20), from seed corpora made
# here. A crash, leak or sanitizer report fails the test and leaves the
# reproducer in build/vhost/fuzz-artifacts/.
root=$(cd "$(dirname "$0")/../.." && pwd)
secs=${VH_FUZZ_SECONDS:-20}
for t in fuzz_msg fuzz_ring; do
	[ -x "$root/build/vhost/$t" ] ||
		{ echo "SKIP: build/vhost/$t not built (make vhost-tests needs clang)"; exit 77; }
done
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
art=$root/build/vhost/fuzz-artifacts
mkdir -p "$art"
python3 "$root/tests/vhost/gen_fuzz_seeds.py" "$tmp/msg" "$tmp/ring" || exit 1
rc=0
for t in msg ring; do
	# One worker: the machine's two cores are shared.
	if "$root/build/vhost/fuzz_$t" -max_total_time="$secs" -rss_limit_mb=2048 \
		-artifact_prefix="$art/$t-" "$tmp/$t" >"$tmp/$t.log" 2>&1; then
		echo "  ok: fuzz_$t $(grep -o 'Done [0-9]* runs' "$tmp/$t.log")"
	else
		tail -40 "$tmp/$t.log"
		echo "FAIL: fuzz_$t (reproducer in $art)"
		rc=1
	fi
done
exit $rc
