/* SPDX-License-Identifier: GPL-2.0 */
#ifndef XBR_BENCH_CPUCLOCK_H
#define XBR_BENCH_CPUCLOCK_H

#include <sys/types.h>
#include <linux/types.h>

#define CPUCLOCK_MAX_CPUS 256

/*
 * CPU time spent on forwarding, in ns. This VM exposes no hardware PMU
 * (perf stat: cycles and instructions <not supported>), so the scheduler's
 * clocks are used: the calling thread's runtime plus every ksoftirqd's.
 * IRQ time accounting is off in this kernel, so softirqs that run at the
 * generator's local_bh_enable() (veth NAPI, the bridge, the sink) are
 * charged to the generator thread; softirqs deferred to ksoftirqd are
 * charged to it and counted here too: only the ksoftirqd of the CPU the
 * generator is pinned to, when it is, since the path runs there and other
 * CPUs' softirqs belong to someone else.
 */
struct cpuclock {
	pid_t ksoftirqd[CPUCLOCK_MAX_CPUS];
	int nr_ksoftirqd;
};

/* CPU: the generator's CPU, or -1 for all ksoftirqds. */
int cpuclock_init(struct cpuclock *c, int cpu);
__u64 cpuclock_now(const struct cpuclock *c);

#endif
