#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# test-migrate.sh on packed rings (QEMU's packed=on): the rings' state
# (slots and wrap counters) goes over with the guest.
VH_PACKED=1 exec bash "$(dirname "$0")/test-migrate.sh"
