#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# The vhost benchmark as a smoke test: the same virtio_user front-end must
# get frames through every back-end both ways (xbr-vhost on split and
# packed rings, DPDK's vhost back-end on its AF_XDP PMD and on af_packet),
# and xbr-vhost must lose none of the guest's frames while the guest floods
# it. Skipped, with the reason, without dpdk-testpmd or hugepages.
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
exec bash "$root/bench/vhost.sh" --quick
