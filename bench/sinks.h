/* SPDX-License-Identifier: GPL-2.0 */
#ifndef XBR_BENCH_SINKS_H
#define XBR_BENCH_SINKS_H

#include "bench.h"

struct bench_sink;
struct bpf_link;

/* One sink program attached to one device. */
struct sink {
	struct bench_sink *skel;
	struct bpf_link *link;
	char dev[16];
};

/*
 * Loads a sink and attaches it to DEV in the namespace NETNS_FD (-1: the
 * current one), which the caller is left in. The attachment is a BPF link
 * (native mode on a veth): it goes away with the process however that
 * ends, so no sink outlives a run. Fails if an XDP program is already
 * there. Returns 0 or -errno.
 */
int sink_attach(struct sink *s, int netns_fd, const char *dev);

/* Totals over all CPUs. */
int sink_read(const struct sink *s, struct bench_count *total);

void sink_detach(struct sink *s);

#endif
