#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# The VLAN and port-security benchmark as a smoke test: every variant (the
# Linux bridge with nftables anti-spoofing, xbr locked and with a VLAN, in
# xdp and tc mode) forwards, and every lock drops a spoofed source.
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
exec bash "$root/bench/security.sh" --quick
