#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# The VM port benchmarks as a smoke test: a VM writing into its tap as QEMU
# does (complete and NEEDS_CSUM checksums) must reach the uplink and
# another VM's tap, frames from the uplink must reach a VM reading its
# tap, a VM on a tap must answer pings, through every variant (the Linux
# bridge nf off and on, the bare XDP and tc forwarders, xbr with a NIC-like
# uplink, all auto, all tc); and 9018-byte frames must cross every variant
# of the MTU 9000 topology. Speed is not checked here.
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
BENCH_PARTS="tap jumbo" exec bash "$root/bench/run.sh" --quick
