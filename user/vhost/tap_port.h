/* SPDX-License-Identifier: GPL-2.0 */
/*
 * One queue of a tap that is a port of the bridge, as QEMU's own tap
 * back-end holds it: frames written to it enter the bridge's XDP program
 * on the tap inside the write (no queue on the way, so none to overflow),
 * and what the bridge sends to the tap is read from it.
 */
#ifndef XBR_TAP_PORT_H
#define XBR_TAP_PORT_H

#include <stdbool.h>
#include <stddef.h>

/*
 * Attach to queue @queue of tap @dev (non-blocking, no packet info, no
 * virtio-net header: frames go in and come out whole, checksums complete).
 * @multi_queue: attach as one of several queues (the tap must have been
 * made multi_queue; with one queue either kind of tap will do). Returns
 * the fd, or -errno and why in @why.
 */
int tap_port_open(const char *dev, bool multi_queue, char *why, size_t why_len);
/* False once the tap is gone (deleted under us). */
bool tap_port_attached(int fd);

#endif
