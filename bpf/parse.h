/* SPDX-License-Identifier: (GPL-2.0 OR BSD-2-Clause) */
/* Header parsing over direct packet pointers; XDP and tc both use it. */
#ifndef XBR_BPF_PARSE_H
#define XBR_BPF_PARSE_H

#include <linux/if_ether.h>
#include <linux/ip.h>
#include <linux/ipv6.h>
#include <linux/in.h>
#include <bpf/bpf_endian.h>

struct xbr_frame {
	struct ethhdr *eth;
	void *l3;		/* header after the Ethernet header */
	__u16 proto;		/* host order, after any 802.1Q tag */
	__u8 l4proto;		/* IPPROTO_* for IPv4/IPv6, else 0 */
};

static __always_inline int xbr_parse_eth(struct xbr_frame *f, void *data, void *data_end)
{
	struct ethhdr *eth = data;
	void *l3;

	if ((void *)(eth + 1) > data_end)
		return -1;
	f->eth = eth;
	f->proto = bpf_ntohs(eth->h_proto);
	f->l4proto = 0;
	l3 = eth + 1;
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
