#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# test-testpmd.sh on packed rings (VIRTIO_F_RING_PACKED): virtio_user with
# packed_vq=1; the same counts must hold, and every ring must be packed.
VH_VDEV_ARGS=",packed_vq=1" exec bash "$(dirname "$0")/test-testpmd.sh"
