// SPDX-License-Identifier: GPL-2.0
/*
 * The template frame of the generator: Ethernet, IPv4 without options,
 * UDP with no checksum, the bench signature, zero padding. The generator's
 * BPF program only rewrites MACs and ports, so the IP checksum computed here
 * stays valid (br_netfilter checks it). A "VM" writing into a tap gives the
 * frame a UDP checksum, complete or left for offload, as a guest does.
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

/* One's complement sum of LEN bytes (network order words), unfolded. */
static __u32 csum_add(__u32 sum, const void *data, size_t len)
{
	const __u8 *p = data;

	for (; len > 1; len -= 2, p += 2)
		sum += (__u32)p[0] << 8 | p[1];
	if (len)
		sum += (__u32)p[0] << 8;
	return sum;
}

static __u16 csum_fold(__u32 sum)
{
	while (sum >> 16)
		sum = (sum & 0xffff) + (sum >> 16);
	return sum;
}

static __sum16 ip_checksum(const void *hdr, size_t len)
{
	return htons((__u16)~csum_fold(csum_add(0, hdr, len)));
}

void frame_udp_csum(void *frame, size_t len, int partial)
{
	struct iphdr *ip = (void *)((struct ethhdr *)frame + 1);
	struct udphdr *udp = (void *)(ip + 1);
	size_t udp_len = len - sizeof(struct ethhdr) - sizeof(*ip);
	__u32 pseudo;
	__u16 sum;

	pseudo = csum_add(0, &ip->saddr, 8) + IPPROTO_UDP + udp_len;
	udp->check = 0;
	if (partial) {
		udp->check = htons(csum_fold(pseudo));
		return;
	}
	sum = ~csum_fold(csum_add(pseudo, udp, udp_len));
	/* 0 means "no checksum" in UDP over IPv4 (RFC 768). */
	udp->check = htons(sum ? sum : 0xffff);
}

int frame_build(const struct frame_spec *spec, void *buf, size_t buflen)
{
	size_t len = spec->size - FCS_LEN;
	struct ethhdr *eth = buf;
	struct iphdr *ip = (void *)(eth + 1);
	struct udphdr *udp = (void *)(ip + 1);
	__be32 magic = htonl(BENCH_MAGIC);

	if (spec->size < 64 || spec->size > FRAME_MAX_SIZE ||
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
