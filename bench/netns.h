/* SPDX-License-Identifier: GPL-2.0 */
#ifndef XBR_BENCH_NETNS_H
#define XBR_BENCH_NETNS_H

/* A name from `ip netns` (looked up in /run/netns) or a path to an nsfs
 * file such as /proc/PID/ns/net. Returns an fd or -errno. */
int netns_open(const char *name);

/* Moves the calling thread into the namespace. Returns 0 or -errno. */
int netns_enter(int fd);

#endif
