#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# test-qemu.sh with two queue pairs (MQ negotiated by the guest's driver,
# QEMU enabling the second pair with SET_VRING_ENABLE) and two vCPUs.
VH_QUEUES=2 exec bash "$(dirname "$0")/test-qemu.sh"
