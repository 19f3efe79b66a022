/* SPDX-License-Identifier: (GPL-2.0 OR BSD-2-Clause) */
/* Header parsing over direct packet pointers; XDP and tc both use it. */
#ifndef XBR_BPF_PARSE_H
#define XBR_BPF_PARSE_H

#include <linux/if_ether.h>
#include <linux/ip.h>
#include <linux/ipv6.h>
#include <linux/in.h>
#include <bpf/bpf_endian.h>

#define XBR_IP_MF		0x2000
#define XBR_IP_OFFSET		0x1fff
#define XBR_IPV6_EXT_MAX	4	/* extension headers looked past */

struct xbr_vlan_hdr {
	__be16 tci;
	__be16 proto;
};

/* linux/ipv6.h has no fragment header; the layout is RFC 8200's. */
struct xbr_ipv6_frag_hdr {
	__u8 nexthdr;
	__u8 reserved;
	__be16 frag_off;	/* offset << 3 | M */
	__be32 identification;
};

struct xbr_frame {
	struct ethhdr *eth;
	void *l3;		/* header after the Ethernet header and any tag */
	__u16 proto;		/* host order, after any 802.1Q tag */
	__u8 l4proto;		/* IPPROTO_* for IPv4/IPv6, else 0 */
	__u8 tagged;		/* an 802.1Q tag: inline (XDP) or in skb metadata (tc) */
	__u16 vid;		/* the tag's VID; 0 for a priority tag */
	__u16 frag_off;		/* IPv4: host order flags and offset, else 0 */
};

/* Any tag that hides what follows it: 802.1Q, or an 802.1ad S-tag (which
 * the bridge carries as payload, see xbr_parse_eth()). */
static __always_inline int xbr_proto_is_tag(__u16 proto)
{
	return proto == ETH_P_8021Q || proto == ETH_P_8021AD;
}

/*
 * @inline_tag: whether a tag may sit in the frame (XDP, or tc when the
 * kernel has not moved one into metadata already). Only 802.1Q (0x8100)
 * classifies a frame into a VLAN: an 802.1ad S-tag (0x88a8) is payload, as
 * in a Linux bridge with vlan_protocol 802.1Q, so a frame an access port
 * sends S-tagged is an untagged frame of that port's VLAN and leaves a
 * trunk inside an 802.1Q tag, never as the tag a switch upstream reads.
 */
static __always_inline int xbr_parse_eth(struct xbr_frame *f, void *data, void *data_end,
					 int inline_tag)
{
	struct ethhdr *eth = data;
	void *l3;

	if ((void *)(eth + 1) > data_end)
		return -1;
	f->eth = eth;
	f->proto = bpf_ntohs(eth->h_proto);
	f->l4proto = 0;
	f->tagged = 0;
	f->vid = 0;
	l3 = eth + 1;
	f->frag_off = 0;
	/* A truncated S-tag is no frame either: the stack drops it on
	 * receive (skb_vlan_untag) before tc sees it; so does XDP. */
	if (inline_tag && f->proto == ETH_P_8021AD &&
	    (void *)l3 + sizeof(struct xbr_vlan_hdr) > data_end)
		return -1;
	if (inline_tag && f->proto == ETH_P_8021Q) {
		struct xbr_vlan_hdr *vh = l3;

		if ((void *)(vh + 1) > data_end)
			return -1;
		f->tagged = 1;
		f->vid = bpf_ntohs(vh->tci) & 0x0fff;
		f->proto = bpf_ntohs(vh->proto);
		l3 = vh + 1;
	}
	f->l3 = l3;

	if (f->proto == ETH_P_IP) {
		struct iphdr *ip = l3;

		if ((void *)(ip + 1) > data_end)
			return 0;
		f->frag_off = bpf_ntohs(ip->frag_off);
		/* Non-first fragments carry no L4 header to worry about. */
		if (f->frag_off & XBR_IP_OFFSET)
			return 0;
		f->l4proto = ip->protocol;
	} else if (f->proto == ETH_P_IPV6) {
		struct ipv6hdr *ip6 = l3;

		if ((void *)(ip6 + 1) > data_end)
			return 0;
		f->l4proto = ip6->nexthdr;
	}
	return 0;
}

/*
 * The L4 header of an IPv4 or IPv6 frame and its protocol, or NULL where
 * there is none: not IP, or not the first fragment. *@incomplete is set,
 * and NULL returned, where the header chain cannot be read to its end: a
 * header past @data_end, or more IPv6 extension headers than
 * XBR_IPV6_EXT_MAX. Receivers take ICMPv6 and UDP behind hop-by-hop,
 * routing and destination options headers and a first fragment's header:
 * so does this.
 */
static __always_inline void *xbr_l4_header(const struct xbr_frame *f, void *data_end,
					   __u8 *proto, __u8 *incomplete)
{
	struct xbr_ipv6_frag_hdr *fh;
	struct ipv6_opt_hdr *oh;
	struct ipv6hdr *ip6;
	struct iphdr *ip;
	__u8 nexthdr;
	void *next;
	int i;

	*incomplete = 1;
	if (f->proto == ETH_P_IP) {
		ip = f->l3;
		if ((void *)(ip + 1) > data_end || ip->ihl < 5)
			return NULL;
		*incomplete = 0;
		if (f->frag_off & XBR_IP_OFFSET)
			return NULL;
		*proto = ip->protocol;
		return (void *)ip + ip->ihl * 4;
	}
	if (f->proto != ETH_P_IPV6) {
		*incomplete = 0;
		return NULL;
	}
	ip6 = f->l3;
	if ((void *)(ip6 + 1) > data_end)
		return NULL;
	nexthdr = ip6->nexthdr;
	next = ip6 + 1;
#pragma unroll
	for (i = 0; i < XBR_IPV6_EXT_MAX; i++) {
		if (nexthdr == IPPROTO_FRAGMENT) {
			fh = next;
			if ((void *)(fh + 1) > data_end)
				return NULL;
			if (fh->frag_off & bpf_htons(0xfff8)) {
				*incomplete = 0;
				return NULL;	/* not the first fragment */
			}
			nexthdr = fh->nexthdr;
			next = fh + 1;
			continue;
		}
		if (nexthdr != IPPROTO_HOPOPTS && nexthdr != IPPROTO_ROUTING &&
		    nexthdr != IPPROTO_DSTOPTS)
			break;
		oh = next;
		if ((void *)(oh + 1) > data_end)
			return NULL;
		nexthdr = oh->nexthdr;
		next += ((__u32)oh->hdrlen + 1) * 8;
	}
	if (nexthdr == IPPROTO_HOPOPTS || nexthdr == IPPROTO_ROUTING ||
	    nexthdr == IPPROTO_DSTOPTS || nexthdr == IPPROTO_FRAGMENT)
		return NULL;	/* more than we look past */
	*incomplete = 0;
	*proto = nexthdr;
	return next;
}

/* The L4 header of a frame, found once for every check that reads it. */
struct xbr_l4 {
	void *hdr;		/* NULL: none (see xbr_l4_header()) */
	__u8 proto;
	__u8 incomplete;
};

static __always_inline void xbr_l4_find(struct xbr_l4 *l4, const struct xbr_frame *f,
					void *data_end)
{
	l4->proto = 0;
	l4->hdr = xbr_l4_header(f, data_end, &l4->proto, &l4->incomplete);
}

static __always_inline int xbr_mac_is_multicast(const __u8 *mac)
{
	return mac[0] & 1;
}

static __always_inline int xbr_mac_equal(const __u8 *a, const __u8 *b)
{
	/* No memcmp in BPF: clang leaves it as a call. */
	return a[0] == b[0] && a[1] == b[1] && a[2] == b[2] && a[3] == b[3] &&
	       a[4] == b[4] && a[5] == b[5];
}

static __always_inline int xbr_mac_is_zero(const __u8 *mac)
{
	return !(mac[0] | mac[1] | mac[2] | mac[3] | mac[4] | mac[5]);
}

/* IEEE 802.1D reserved group addresses 01:80:c2:00:00:00-0f: never bridged. */
static __always_inline int xbr_mac_is_link_local(const __u8 *mac)
{
	return mac[0] == 0x01 && mac[1] == 0x80 && mac[2] == 0xc2 &&
	       mac[3] == 0 && mac[4] == 0 && (mac[5] & 0xf0) == 0;
}

#endif /* XBR_BPF_PARSE_H */
