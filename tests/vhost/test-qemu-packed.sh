#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# test-qemu.sh on packed rings (QEMU's packed=on): ping, xbr-vhost
# restarted under the running guest (it resumes the packed rings where it
# left them: QEMU 7.2 keeps no packed ring position across a back-end
# restart), the stream with its counts.
VH_PACKED=1 exec bash "$(dirname "$0")/test-qemu.sh"
