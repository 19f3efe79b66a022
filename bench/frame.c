// SPDX-License-Identifier: GPL-2.0
/*
 * The template frame of the generator: Ethernet, IPv4 without options,
 * UDP with no checksum, the bench signature, zero padding. The generator's
 * BPF program only rewrites MACs and ports, so the IP checksum computed here
 * stays valid (br_netfilter checks it).
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <arpa/inet.h>
#include <linux/if_ether.h>
#include <linux/ip.h>
#include <linux/udp.h>
#include "bench.h"
#include "frame.h"

#define FCS_LEN 4

static __sum16 ip_checksum(const void *hdr, size_t len)
{
	const __u16 *p = hdr;
	__u32 sum = 0;

	for (; len > 1; len -= 2)
		sum += *p++;
	while (sum >> 16)
		sum = (sum & 0xffff) + (sum >> 16);
	return (__sum16)~sum;
}

int frame_build(const struct frame_spec *spec, void *buf, size_t buflen)
{
	size_t len = spec->size - FCS_LEN;
	struct ethhdr *eth = buf;
	struct iphdr *ip = (void *)(eth + 1);
	struct udphdr *udp = (void *)(ip + 1);
	__be32 magic = htonl(BENCH_MAGIC);

	if (spec->size < 64 || spec->size > 1518 ||
	    len < BENCH_MIN_FRAME || len > buflen)
		return -EINVAL;

	memset(buf, 0, len);
	memcpy(eth->h_dest, spec->dst_mac, ETH_ALEN);
	memcpy(eth->h_source, spec->src_mac, ETH_ALEN);
	eth->h_proto = htons(ETH_P_IP);

	ip->version = 4;
	ip->ihl = 5;
	ip->tot_len = htons(len - sizeof(*eth));
	ip->ttl = 64;
	ip->protocol = IPPROTO_UDP;
	ip->saddr = spec->src_ip;
	ip->daddr = spec->dst_ip;
	ip->check = ip_checksum(ip, sizeof(*ip));

	udp->source = htons(spec->src_port);
	udp->dest = htons(spec->dst_port);
	udp->len = htons(len - sizeof(*eth) - sizeof(*ip));
	memcpy(udp + 1, &magic, sizeof(magic));
	return len;
}
