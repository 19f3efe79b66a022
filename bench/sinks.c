// SPDX-License-Identifier: GPL-2.0
/*
 * Sink instances: one BPF object per device, so counters need no key and
 * reading one sink never sums another's frames.
 */
#include <errno.h>
#include <net/if.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <bpf/bpf.h>
#include <bpf/libbpf.h>
#include "netns.h"
#include "sinks.h"
#include "sink.skel.h"

/* The largest MTU a veth takes an XDP program without fragment support
 * for (its peer's MTU, in fact; our pairs have one MTU): one page, less
 * headroom and skb_shared_info. */
#define XDP_PAGE_MTU	3506

static int dev_mtu(const char *dev)
{
	struct ifreq ifr = {};
	int fd, mtu = 0;

	snprintf(ifr.ifr_name, sizeof(ifr.ifr_name), "%s", dev);
	fd = socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0);
	if (fd >= 0 && !ioctl(fd, SIOCGIFMTU, &ifr))
		mtu = ifr.ifr_mtu;
	if (fd >= 0)
		close(fd);
	return mtu;
}

int sink_attach(struct sink *s, int netns_fd, const char *dev)
{
	int ifindex, err;

	memset(s, 0, sizeof(*s));
	snprintf(s->dev, sizeof(s->dev), "%s", dev);
	if (netns_fd >= 0) {
		err = netns_enter(netns_fd);
		if (err)
			return err;
	}
	ifindex = if_nametoindex(dev);
	if (!ifindex)
		return -errno;
	s->skel = bench_sink__open_and_load();
	if (!s->skel)
		return -errno;
	s->link = bpf_program__attach_xdp(dev_mtu(dev) > XDP_PAGE_MTU ?
					  s->skel->progs.bench_sink_frags :
					  s->skel->progs.bench_sink, ifindex);
	if (!s->link) {
		err = -errno;
		bench_sink__destroy(s->skel);
		s->skel = NULL;
		return err;
	}
	return 0;
}

int sink_read(const struct sink *s, struct bench_count *total)
{
	int nr_cpus = libbpf_num_possible_cpus();
	struct bench_count *per_cpu;
	__u32 key = 0;
	int i, err;

	if (nr_cpus < 0)
		return nr_cpus;
	per_cpu = calloc(nr_cpus, sizeof(*per_cpu));
	if (!per_cpu)
		return -ENOMEM;
	err = bpf_map_lookup_elem(bpf_map__fd(s->skel->maps.counts), &key,
				  per_cpu);
	if (err) {
		err = -errno;
		goto out;
	}
	memset(total, 0, sizeof(*total));
	for (i = 0; i < nr_cpus; i++) {
		total->frames += per_cpu[i].frames;
		total->bytes += per_cpu[i].bytes;
	}
out:
	free(per_cpu);
	return err;
}

void sink_detach(struct sink *s)
{
	bpf_link__destroy(s->link);
	s->link = NULL;
	bench_sink__destroy(s->skel);
	s->skel = NULL;
}
