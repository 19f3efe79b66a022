#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# Unit tests of the ring walker, memory table and message handler against
# hostile input (tests/vhost/test_virtq.c). No root or network needed.
root=$(cd "$(dirname "$0")/../.." && pwd)
bin=$root/build/vhost/test_virtq
[ -x "$bin" ] || { echo "SKIP: $bin not built (make vhost-tests)"; exit 77; }
"$bin"
