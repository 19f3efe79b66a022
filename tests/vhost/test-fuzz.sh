#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# A short run of every xbr-vhost fuzzer (tests/vhost/fuzz.sh), VH_FUZZ_SECONDS
# each (default 15). The long runs are `make fuzz FUZZ_SECONDS=...`.
exec bash "$(dirname "$0")/fuzz.sh" "${VH_FUZZ_SECONDS:-15}"
