// SPDX-License-Identifier: GPL-2.0
/*
 * xbr trace's run: the bridge's trace program (progs/trace) on one frame
 * through BPF_PROG_RUN, the ingress port in the skb context. The record is
 * per CPU: the thread is held on one CPU for the run and reads that CPU's
 * slot. A random mark tells our record from that of a trace another
 * process ran on the same CPU meanwhile: then it runs again.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <sched.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/random.h>
#include <bpf/bpf.h>
#include <bpf/libbpf.h>
#include "internal.h"

#define TRACE_TRIES	8

/* The trace program and its map, opened from their pins: a bridge made
 * by an xbr without them gets them from a reload. */
static int trace_open(struct xbr_bridge *br, int *prog, int *map)
{
	*prog = pin_get(br->dir, XBR_PROGS_DIR "/" XBR_PROG_TRACE);
	*map = pin_get(br->dir, XBR_MAP_TRACE);
	if (*prog >= 0 && *map >= 0)
		return 0;
	if (*prog >= 0)
		close(*prog);
	if (*map >= 0)
		close(*map);
	return xbr_err(-ENOENT, "bridge %s has no trace program (made by an older xbr): "
		       "`xbr bridge reload %s` adds it", br->name, br->name);
}

/* This CPU's slot of the per-CPU record. */
static int trace_read(int map, int cpu, struct xbr_trace_record *tr)
{
	size_t stride = (sizeof(*tr) + 7) & ~(size_t)7;
	int ncpus = libbpf_num_possible_cpus(), err = 0;
	__u32 zero = 0;
	char *per;

	if (ncpus < 0)
		return ncpus;
	if (cpu < 0 || cpu >= ncpus)
		return -ERANGE;
	per = calloc(ncpus, stride);
	if (!per)
		return -ENOMEM;
	if (bpf_map_lookup_elem(map, &zero, per))
		err = -errno;
	else
		memcpy(tr, per + (size_t)cpu * stride, sizeof(*tr));
	free(per);
	return err;
}

/* One run on one CPU; the CPU it ran on. */
static int trace_run_once(int prog, const void *frame, size_t len, uint32_t ifindex,
			  uint32_t mark)
{
	struct __sk_buff ctx = { .ingress_ifindex = ifindex, .mark = mark };
	LIBBPF_OPTS(bpf_test_run_opts, opts, .data_in = frame, .data_size_in = len,
		    .ctx_in = &ctx, .ctx_size_in = sizeof(ctx));
	cpu_set_t old, one;
	int cpu, err;

	if (sched_getaffinity(0, sizeof(old), &old))
		return -errno;
	cpu = sched_getcpu();
	if (cpu < 0)
		return -errno;
	CPU_ZERO(&one);
	CPU_SET(cpu, &one);
	if (sched_setaffinity(0, sizeof(one), &one))
		return -errno;
	err = bpf_prog_test_run_opts(prog, &opts);
	if (err)
		err = -errno;
	sched_setaffinity(0, sizeof(old), &old);
	return err ? err : cpu;
}

int xbr_trace_frame(struct xbr_bridge *br, const char *dev, const void *frame, size_t len,
		    struct xbr_trace_record *tr)
{
	struct xbr_port port;
	uint32_t ifindex, mark;
	int prog, map, err, cpu, i;

	err = xbr_port_find(br, dev, &ifindex, &port);
	if (err)
		return xbr_err(err, "bridge %s has no port %s", br->name, dev);
	if (!xbr_port_present(ifindex, &port))
		return xbr_err(-ENODEV, "port %s of bridge %s is gone: no frame enters by it",
			       dev, br->name);
	err = trace_open(br, &prog, &map);
	if (err)
		return err;
	for (i = 0; i < TRACE_TRIES; i++) {
		if (getrandom(&mark, sizeof(mark), 0) != sizeof(mark))
			mark = (uint32_t)getpid() ^ (uint32_t)i;
		cpu = trace_run_once(prog, frame, len, ifindex, mark);
		if (cpu < 0) {
			err = xbr_err(cpu, "bridge %s: the trace program did not run: %s",
				      br->name, strerror(-cpu));
			break;
		}
		err = trace_read(map, cpu, tr);
		if (err) {
			err = xbr_err(err, "bridge %s: cannot read the trace: %s", br->name,
				      strerror(-err));
			break;
		}
		if (tr->cookie == mark)
			break;
		err = xbr_err(-EAGAIN, "bridge %s: other traces kept overwriting this one",
			      br->name);
	}
	if (!err && tr->nr > XBR_TRACE_STEPS_MAX)
		tr->nr = XBR_TRACE_STEPS_MAX;
	close(prog);
	close(map);
	return err;
}
