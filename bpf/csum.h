/* SPDX-License-Identifier: (GPL-2.0 OR BSD-2-Clause) */
/*
 * L4 checksums for the XDP path. XDP cannot see an skb's CHECKSUM_PARTIAL:
 * a guest with checksum offload hands its tap frames whose TCP/UDP checksum
 * field holds only the pseudo-header sum, and a redirect would deliver them
 * corrupt. So XDP checks the sum of segments in one buffer of up to
 * XBR_CSUM_MAX_L4 bytes (csum_partial() over 1500 bytes costs far less than
 * the skb a detour through tc builds) and forwards those that are complete.
 * Those left for offload it finishes, the way the NIC would have, only up
 * to XBR_CSUM_FINISH_MAX bytes: a GSO frame runs tun's XDP program in
 * generic mode, on an skb that stays CHECKSUM_PARTIAL, and the program
 * cannot tell; finishing its field would make the next device that offloads
 * the sum write a wrong one. No GSO frame is that short (two segments of
 * the smallest MSS the kernel accepts on a path). Anything else goes to tc,
 * which keeps the skb's state.
 */
#ifndef XBR_BPF_CSUM_H
#define XBR_BPF_CSUM_H

#include <linux/tcp.h>
#include <linux/udp.h>
#include "parse.h"

/* Longest L4 segment summed in XDP (a page's worth); longer ones go to tc. */
#define XBR_CSUM_MAX_L4		4096
/* Longest L4 segment whose pseudo-header sum XDP finishes. */
#define XBR_CSUM_FINISH_MAX	512
/* bpf_csum_diff() sums at most this many bytes a call. */
#define XBR_CSUM_CHUNK		512

enum xbr_csum_state {
	XBR_CSUM_OK,		/* complete and correct, or none to check */
	XBR_CSUM_FIXED,		/* was the pseudo-header sum, now complete */
	XBR_CSUM_UNSURE,	/* too long, odd, or wrong: let tc decide */
};

static __always_inline __u32 xbr_csum_fold(__u64 sum)
{
	sum = (sum & 0xffffffff) + (sum >> 32);
	sum = (sum & 0xffff) + (sum >> 16);
	sum = (sum & 0xffff) + (sum >> 16);
	return (sum & 0xffff) + (sum >> 16);
}

/* Adds the sum of @size bytes at *@p (a multiple of 4, at most 512) and
 * steps past them. */
static __always_inline int xbr_csum_chunk(void **p, __u32 size, void *data_end, __u64 *sum)
{
	void *q = *p;
	__s64 part;

	asm volatile("" : "+r"(q));
	if (q + size > data_end)
		return -1;
	part = bpf_csum_diff(NULL, 0, q, size, 0);
	if (part < 0)
		return -1;
	*sum += (__u32)part;
	*p = q + size;
	return 0;
}

/* Ones' complement sum of @len bytes at @p, in memory byte order (the sum
 * is byte-order independent as long as every term is in the same order):
 * whole 512-byte chunks by the kernel's csum_partial() (a helper call costs
 * what some 40 words do), the rest in 32-bit words, then at most one 16-bit
 * word and one odd byte. Chunks and words are even, so halves stay in step. */
static __always_inline int xbr_csum_bytes(void *p, __u32 len, void *data_end, __u64 *sum)
{
	__u32 *w;
	__u32 i;

	for (i = 0; i < XBR_CSUM_MAX_L4 / XBR_CSUM_CHUNK; i++) {
		if (len < XBR_CSUM_CHUNK)
			break;
		if (xbr_csum_chunk(&p, XBR_CSUM_CHUNK, data_end, sum))
			return -1;
		len -= XBR_CSUM_CHUNK;
	}
	w = p;
	for (i = 0; i < XBR_CSUM_CHUNK / 4; i++) {
		if (i >= len / 4)
			break;
		/* Keep clang from folding the bound into pkt_end arithmetic,
		 * which the verifier rejects. */
		asm volatile("" : "+r"(w));
		if ((void *)(w + 1) > data_end)
			return -1;
		*sum += *w++;
	}
	p = w;
	if (len & 2) {
		__u16 *h = p;

		asm volatile("" : "+r"(h));
		if ((void *)(h + 1) > data_end)
			return -1;
		*sum += *h;
		p = h + 1;
	}
	if (len & 1) {
		__u8 *b = p;

		asm volatile("" : "+r"(b));
		if ((void *)(b + 1) > data_end)
			return -1;
		/* The odd byte is the high half of a zero-padded word. */
		*sum += bpf_ntohs((__u16)*b << 8);
	}
	return 0;
}

/* @l4sum covers the segment, checksum field included; @pseudo the
 * pseudo-header. */
static __always_inline enum xbr_csum_state xbr_csum_finish(__u16 *field, __u64 l4sum,
							    __u64 pseudo, __u32 l4len,
							    __u8 l4proto)
{
	__u16 final;

	if (xbr_csum_fold(l4sum + pseudo) == 0xffff)
		return XBR_CSUM_OK;
	if (l4len > XBR_CSUM_FINISH_MAX)
		return XBR_CSUM_UNSURE;
	/* Left for offload: the field holds the folded pseudo-header sum, so
	 * the complement of the segment's sum is the checksum, exactly what a
	 * NIC computes from csum_start. */
	if (*field != xbr_csum_fold(pseudo))
		return XBR_CSUM_UNSURE;
	final = ~xbr_csum_fold(l4sum);
	if (l4proto == IPPROTO_UDP && final == 0)
		final = 0xffff;
	*field = final;
	return XBR_CSUM_FIXED;
}

static __always_inline enum xbr_csum_state xbr_csum_check(const struct xbr_frame *f,
							   void *data_end)
{
	__u64 sum = 0, pseudo = 0;
	__u32 l4len, off;
	__u16 *field;
	void *l4;

	if (f->l4proto == IPPROTO_TCP)
		off = offsetof(struct tcphdr, check);
	else if (f->l4proto == IPPROTO_UDP)
		off = offsetof(struct udphdr, check);
	else
		return XBR_CSUM_OK;

	if (f->proto == ETH_P_IP) {
		struct iphdr *ip = f->l3;

		if ((void *)(ip + 1) > data_end || ip->ihl < 5)
			return XBR_CSUM_UNSURE;
		/* A fragment's checksum covers the whole datagram, which no
		 * one frame holds: tot_len is not the pseudo-header's length. */
		if (ip->frag_off & bpf_htons(XBR_IP_MF | XBR_IP_OFFSET))
			return XBR_CSUM_UNSURE;
		l4 = (void *)ip + ip->ihl * 4;
		l4len = bpf_ntohs(ip->tot_len);
		if (l4len < ip->ihl * 4)
			return XBR_CSUM_UNSURE;
		l4len -= ip->ihl * 4;
		pseudo = (__u64)ip->saddr + ip->daddr;
	} else {
		struct ipv6hdr *ip6 = f->l3;

		if ((void *)(ip6 + 1) > data_end)
			return XBR_CSUM_UNSURE;
		l4 = ip6 + 1;
		l4len = bpf_ntohs(ip6->payload_len);
		if (xbr_csum_bytes(&ip6->saddr, 32, data_end, &pseudo))
			return XBR_CSUM_UNSURE;
	}
	if (l4len > XBR_CSUM_MAX_L4 || l4len < off + 2)
		return XBR_CSUM_UNSURE;
	field = l4 + off;
	if ((void *)(field + 1) > data_end)
		return XBR_CSUM_UNSURE;
	/* IPv4 UDP may go without a checksum. */
	if (f->l4proto == IPPROTO_UDP && f->proto == ETH_P_IP && *field == 0)
		return XBR_CSUM_OK;

	pseudo += bpf_htons(f->l4proto) + bpf_htons(l4len);
	/* Left for offload and too long to finish: no need to sum it. */
	if (l4len > XBR_CSUM_FINISH_MAX && *field == xbr_csum_fold(pseudo))
		return XBR_CSUM_UNSURE;
	if (xbr_csum_bytes(l4, l4len, data_end, &sum))
		return XBR_CSUM_UNSURE;
	return xbr_csum_finish(field, sum, pseudo, l4len, f->l4proto);
}

#endif /* XBR_BPF_CSUM_H */
