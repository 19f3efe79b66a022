#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# `make bench-quick`'s veth part as a test: every benchmark variant (the
# Linux bridge with and without br_netfilter, the bare XDP and tc
# forwarders, xbr in each mode, the generator straight into the sink) must
# forward generated UDP both ways, 1518 B frames, ping and TCP. Speed is
# not checked here. xbr variants are skipped, with the reason printed,
# while build/xbr is missing; everything else still has to pass.
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
BENCH_PARTS=veth exec bash "$root/bench/run.sh" --quick
