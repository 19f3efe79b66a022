// SPDX-License-Identifier: (GPL-2.0 OR BSD-2-Clause)
/*
 * The sink: counts and drops generated frames in native XDP, lets anything
 * else (ARP, ping, TCP) through to the stack. One instance per device, so
 * each has its own counters. Being an XDP program on a veth it is also what
 * lets a native XDP redirect into the peer of that veth succeed.
 */
#include <linux/bpf.h>
#include <linux/if_ether.h>
#include <linux/ip.h>
#include <linux/in.h>
#include <linux/udp.h>
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_endian.h>
#include "bench.h"

struct {
	__uint(type, BPF_MAP_TYPE_PERCPU_ARRAY);
	__uint(max_entries, 1);
	__type(key, __u32);
	__type(value, struct bench_count);
} counts SEC(".maps");

static __always_inline int is_generated(void *data, void *data_end)
{
	struct ethhdr *eth = data;
	struct iphdr *ip = (void *)(eth + 1);
	__be16 proto;

	if ((void *)(eth + 1) > data_end)
		return 0;
	proto = eth->h_proto;
	/* An 802.1Q tag (a switch pushed it on a trunk): look behind it. */
	if (proto == bpf_htons(ETH_P_8021Q)) {
		__be16 *inner = (void *)(eth + 1) + 2;

		if ((void *)(inner + 1) > data_end)
			return 0;
		proto = *inner;
		ip = (void *)(eth + 1) + 4;
	}
	struct udphdr *udp = (void *)(ip + 1);
	__be32 *magic = (void *)(udp + 1);

	if ((void *)(magic + 1) > data_end)
		return 0;
	if (proto != bpf_htons(ETH_P_IP) || ip->ihl != 5 || ip->protocol != IPPROTO_UDP)
		return 0;
	return *magic == bpf_htonl(BENCH_MAGIC);
}

static __always_inline int count(struct xdp_md *ctx, __u64 len)
{
	void *data = (void *)(long)ctx->data;
	void *data_end = (void *)(long)ctx->data_end;
	struct bench_count *c;
	__u32 key = 0;

	if (!is_generated(data, data_end))
		return XDP_PASS;

	c = bpf_map_lookup_elem(&counts, &key);
	if (c) {
		c->frames++;
		c->bytes += len;
	}
	return XDP_DROP;
}

SEC("xdp")
int bench_sink(struct xdp_md *ctx)
{
	return count(ctx, ctx->data_end - ctx->data);
}

/* For devices whose MTU does not fit a page: a veth refuses an XDP program
 * without fragment support once its peer's MTU is over ~3500 bytes. The
 * headers are in the first fragment. */
SEC("xdp.frags")
int bench_sink_frags(struct xdp_md *ctx)
{
	return count(ctx, bpf_xdp_get_buff_len(ctx));
}

char LICENSE[] SEC("license") = "Dual BSD/GPL";
