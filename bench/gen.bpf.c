// SPDX-License-Identifier: (GPL-2.0 OR BSD-2-Clause)
/*
 * The traffic generator's XDP program. It is never attached: xbr-trafficgen
 * runs it with BPF_PROG_TEST_RUN and BPF_F_TEST_XDP_LIVE_FRAMES, so the
 * kernel hands it one page-pool frame (a copy of the template frame) per
 * repetition and sends whatever it redirects out of a real device, in
 * batches, with the rest of the path (veth NAPI, the bridge under test, the
 * sink) running to completion on this CPU after every batch.
 *
 * Pages are recycled without being copied again, so every frame is
 * rewritten in full: that is also what spreads frames over flows.
 */
#include <linux/bpf.h>
#include <linux/if_ether.h>
#include <linux/ip.h>
#include <linux/udp.h>
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_endian.h>
#include "bench.h"

/* Set before load. */
const volatile __u32 nr_flows = 1;
const volatile __u16 src_port = 10000;
const volatile __u16 dst_port = 20000;
const volatile __u8 src_mac[ETH_ALEN];
const volatile __u8 dst_mac[ETH_ALEN];

/* Set by user space between windows: the device frames leave through, in
 * the network namespace the test run is started from. */
__u32 tx_ifindex;

/* Frames handed out so far; also the flow counter. One CPU runs us. */
__u64 generated;

static __always_inline void set_mac(unsigned char *mac,
				    const volatile __u8 *base, __u32 flow)
{
	mac[0] = base[0];
	mac[1] = base[1];
	mac[2] = base[2];
	mac[3] = base[3];
	mac[4] = flow >> 8;
	mac[5] = flow;
}

SEC("xdp")
int bench_gen(struct xdp_md *ctx)
{
	void *data = (void *)(long)ctx->data;
	void *data_end = (void *)(long)ctx->data_end;
	struct ethhdr *eth = data;
	struct udphdr *udp = data + sizeof(*eth) + sizeof(struct iphdr);
	__u32 flow;

	if ((void *)(udp + 1) > data_end)
		return XDP_ABORTED;

	flow = nr_flows > 1 ? (__u32)generated % nr_flows : 0;
	generated++;

	set_mac(eth->h_dest, dst_mac, flow);
	set_mac(eth->h_source, src_mac, flow);
	/* UDP checksum stays 0 (none, RFC 768), so ports change for free;
	 * the IP header never changes and keeps the checksum user space
	 * computed, which br_netfilter verifies. */
	udp->source = bpf_htons((__u16)(src_port + flow));
	udp->dest = bpf_htons((__u16)(dst_port + flow));

	return bpf_redirect(tx_ifindex, 0);
}

char LICENSE[] SEC("license") = "Dual BSD/GPL";
