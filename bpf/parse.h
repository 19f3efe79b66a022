/* SPDX-License-Identifier: (GPL-2.0 OR BSD-2-Clause) */
/* Header parsing over direct packet pointers; XDP and tc both use it. */
#ifndef XBR_BPF_PARSE_H
#define XBR_BPF_PARSE_H

#include <linux/if_ether.h>
#include <linux/ip.h>
#include <linux/ipv6.h>
#include <linux/in.h>
#include <bpf/bpf_endian.h>

struct xbr_vlan_hdr {
	__be16 tci;
	__be16 proto;
};

struct xbr_frame {
	struct ethhdr *eth;
	void *l3;		/* header after the Ethernet header and any tag */
	__u16 proto;		/* host order, after any 802.1Q tag */
	__u8 l4proto;		/* IPPROTO_* for IPv4/IPv6, else 0 */
	__u8 tagged;		/* an 802.1Q tag: inline (XDP) or in skb metadata (tc) */
	__u16 vid;		/* the tag's VID; 0 for a priority tag */
};

static __always_inline int xbr_proto_is_vlan(__u16 proto)
{
	return proto == ETH_P_8021Q || proto == ETH_P_8021AD;
}

/* @inline_tag: whether a tag may sit in the frame (XDP, or tc when the
 * kernel has not moved it into metadata already). */
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
	if (inline_tag && xbr_proto_is_vlan(f->proto)) {
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
		/* Non-first fragments carry no L4 header to worry about. */
		if (ip->frag_off & bpf_htons(0x1fff))
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
