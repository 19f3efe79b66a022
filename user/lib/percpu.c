// SPDX-License-Identifier: GPL-2.0
/* Per-CPU counters: every counter struct is a run of __u64s. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <bpf/bpf.h>
#include <bpf/libbpf.h>
#include "internal.h"

int percpu_sum(int map_fd, const void *key, void *sum, size_t size)
{
	int ncpus = libbpf_num_possible_cpus(), cpu;
	size_t words = size / sizeof(uint64_t), i;
	uint64_t *per, *out = sum;

	memset(sum, 0, size);
	if (ncpus < 0)
		return ncpus;
	/* The kernel copies each CPU's value 8-byte aligned. */
	per = calloc(ncpus, size);
	if (!per)
		return -ENOMEM;
	if (bpf_map_lookup_elem(map_fd, key, per)) {
		int err = -errno;

		free(per);
		return err;
	}
	for (cpu = 0; cpu < ncpus; cpu++)
		for (i = 0; i < words; i++)
			out[i] += per[(size_t)cpu * words + i];
	free(per);
	return 0;
}

int percpu_clear(int map_fd, const void *key, size_t size)
{
	int ncpus = libbpf_num_possible_cpus(), err = 0;
	void *zero;

	if (ncpus < 0)
		return ncpus;
	zero = calloc(ncpus, size);
	if (!zero)
		return -ENOMEM;
	if (bpf_map_update_elem(map_fd, key, zero, BPF_ANY))
		err = -errno;
	free(zero);
	return err;
}
