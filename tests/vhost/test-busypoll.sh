#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# test-testpmd.sh with xbr-vhost busy-polling its rings for 50 us after
# the last frame (kicks stay off meanwhile): same counts must hold.
VH_ARGS="--busy-poll 50" exec bash "$(dirname "$0")/test-testpmd.sh"
