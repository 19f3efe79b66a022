/* SPDX-License-Identifier: (GPL-2.0 OR BSD-2-Clause) */
/*
 * Port security, what OpenStack calls it: a source MAC that belongs to one
 * port is refused on every other (no hijacking), a locked port sends only
 * from its own MACs (or the first max-macs it learns), an IP-locked port
 * only from its own addresses (ARP, IPv4, IPv6 and neighbour advertisements
 * included), and flood-limit caps the broadcast storms a port can start.
 */
#ifndef XBR_BPF_SECURITY_H
#define XBR_BPF_SECURITY_H

#include <linux/icmpv6.h>
#include "maps.h"
#include "parse.h"
#include "stats.h"

#define XBR_ETH_P_ARP	0x0806
#define XBR_AF_INET	2
#define XBR_AF_INET6	10
#define XBR_IPV6_EXT_MAX	4	/* extension headers looked past */

/* linux/if_arp.h drags in libc headers: the ARP header for IPv4 here. */
struct xbr_arp_ipv4 {
	__be16 ar_hrd;
	__be16 ar_pro;
	__u8 ar_hln;
	__u8 ar_pln;
	__be16 ar_op;
	__u8 sha[ETH_ALEN];
	__be32 spa;
	__u8 tha[ETH_ALEN];
	__be32 tpa;
} __attribute__((packed));

static __always_inline struct xbr_port_rt *xbr_port_rt_of(const struct xbr_port *port)
{
	__u32 id = port->id;

	return bpf_map_lookup_elem(&port_rt, &id);
}

/* A locked port may take a new MAC while it is under max-macs. */
static __always_inline int xbr_sec_learn_mac(const struct xbr_port *port, __u32 ifindex,
					     const __u8 *mac)
{
	struct xbr_sec_mac val = { .ifindex = ifindex, .flags = XBR_SEC_F_LEARNED };
	struct xbr_sec_mac_key key = {};
	struct xbr_port_rt *rt;

	if (!port->max_macs)
		return -1;
	rt = xbr_port_rt_of(port);
	if (!rt)
		return -1;
	if (__sync_fetch_and_add(&rt->nr_macs, 1) >= port->max_macs) {
		__sync_fetch_and_add(&rt->nr_macs, -1);
		return -1;
	}
	__builtin_memcpy(key.mac, mac, ETH_ALEN);
	if (bpf_map_update_elem(&sec_macs, &key, &val, BPF_NOEXIST)) {
		__sync_fetch_and_add(&rt->nr_macs, -1);
		return -1;
	}
	return 0;
}

static __always_inline int xbr_sec_ip_allowed(__u32 ifindex, __u32 family, const void *addr)
{
	struct xbr_sec_ip_key key = { .ifindex = ifindex, .family = family };

	if (family == XBR_AF_INET)
		__builtin_memcpy(key.addr, addr, 4);
	else
		__builtin_memcpy(key.addr, addr, 16);
	return bpf_map_lookup_elem(&sec_ips, &key) != NULL;
}

static __always_inline int xbr_ipv6_is_any(const struct in6_addr *a)
{
	return !(a->in6_u.u6_addr32[0] | a->in6_u.u6_addr32[1] | a->in6_u.u6_addr32[2] |
		 a->in6_u.u6_addr32[3]);
}

/* The sender addresses an IP-locked port's frame claims must be its own.
 * Unspecified senders pass: DHCP discovery, ARP probes, IPv6 DAD. */
static __always_inline int xbr_sec_ip_check(const struct xbr_frame *f, __u32 ifindex,
					    void *data_end)
{
	if (f->proto == XBR_ETH_P_ARP) {
		struct xbr_arp_ipv4 *arp = f->l3;

		if ((void *)(arp + 1) > data_end)
			return -1;
		if (arp->ar_pro != bpf_htons(ETH_P_IP) || arp->ar_hln != ETH_ALEN ||
		    arp->ar_pln != 4)
			return -1;
		/* The sender hardware address is the frame's own. */
		if (!xbr_mac_equal(arp->sha, f->eth->h_source))
			return -1;
		return !arp->spa || xbr_sec_ip_allowed(ifindex, XBR_AF_INET, &arp->spa) ? 0 : -1;
	}
	if (f->proto == ETH_P_IP) {
		struct iphdr *ip = f->l3;

		if ((void *)(ip + 1) > data_end)
			return -1;
		return !ip->saddr || xbr_sec_ip_allowed(ifindex, XBR_AF_INET, &ip->saddr) ? 0 : -1;
	}
	if (f->proto == ETH_P_IPV6) {
		struct ipv6hdr *ip6 = f->l3;
		struct icmp6hdr *icmp6;
		struct ipv6_opt_hdr *oh;
		void *next;
		__u8 nexthdr;
		int i;

		if ((void *)(ip6 + 1) > data_end)
			return -1;
		if (!xbr_ipv6_is_any(&ip6->saddr) &&
		    !xbr_sec_ip_allowed(ifindex, XBR_AF_INET6, &ip6->saddr))
			return -1;
		/* Receivers take neighbour discovery behind hop-by-hop,
		 * routing and destination options headers: look past them.
		 * (Fragmented ND is dropped by receivers, RFC 6980.) */
		nexthdr = ip6->nexthdr;
		next = ip6 + 1;
#pragma unroll
		for (i = 0; i < XBR_IPV6_EXT_MAX; i++) {
			if (nexthdr != IPPROTO_HOPOPTS && nexthdr != IPPROTO_ROUTING &&
			    nexthdr != IPPROTO_DSTOPTS)
				break;
			oh = next;
			if ((void *)(oh + 1) > data_end)
				return -1;
			nexthdr = oh->nexthdr;
			next += ((__u32)oh->hdrlen + 1) * 8;
		}
		if (nexthdr == IPPROTO_HOPOPTS || nexthdr == IPPROTO_ROUTING ||
		    nexthdr == IPPROTO_DSTOPTS)
			return -1;	/* more than we look past: refused */
		if (nexthdr != IPPROTO_ICMPV6)
			return 0;
		/* A neighbour advertisement claims its target address. */
		icmp6 = next;
		if ((void *)(icmp6 + 1) > data_end)
			return -1;
		if (icmp6->icmp6_type == 136) {
			struct in6_addr *target = (void *)(icmp6 + 1);

			if ((void *)(target + 1) > data_end)
				return -1;
			return xbr_sec_ip_allowed(ifindex, XBR_AF_INET6, target) ? 0 : -1;
		}
		return 0;
	}
	return -1;	/* an IP-locked port speaks IP and ARP only */
}

/* 0 if the frame may enter, else the drop reason. @known: this CPU let
 * the source in from this port within the last refresh period (the lcache,
 * fwd.h), so its MAC checks passed then; a lock set meanwhile holds within
 * that period. Addresses are checked on every frame. */
static __always_inline int xbr_sec_ingress(const struct xbr_port *port, __u32 ifindex,
					   const struct xbr_config *cfg,
					   const struct xbr_frame *f, void *data_end, int known)
{
	const __u8 *src = f->eth->h_source;
	struct xbr_sec_mac_key key = {};
	struct xbr_sec_mac *owner = NULL;

	if (known)
		goto ip;
	if ((cfg->flags & XBR_CFG_F_SEC_MACS) || (port->flags & XBR_PORT_F_LOCKED)) {
		__builtin_memcpy(key.mac, src, ETH_ALEN);
		owner = bpf_map_lookup_elem(&sec_macs, &key);
		if (owner && owner->ifindex != ifindex)
			return XBR_DROP_MAC_SPOOF;
	}
	if ((port->flags & XBR_PORT_F_LOCKED) && !owner &&
	    xbr_sec_learn_mac(port, ifindex, src))
		return XBR_DROP_LOCKED;
ip:
	if ((port->flags & XBR_PORT_F_IP_LOCKED) && xbr_sec_ip_check(f, ifindex, data_end))
		return XBR_DROP_IP_SPOOF;
	return 0;
}

/* flood-limit: at most @port->flood_limit floods per one-second window. */
static __always_inline int xbr_flood_allowed(const struct xbr_port *port)
{
	struct xbr_port_rt *rt;
	__u64 now;

	if (!port->flood_limit)
		return 1;
	rt = xbr_port_rt_of(port);
	if (!rt)
		return 1;
	now = bpf_ktime_get_coarse_ns();
	if (now - rt->flood_window_ns > 1000000000ULL || now < rt->flood_window_ns) {
		/* Racy across CPUs by a few frames at the window's edge: fine. */
		rt->flood_window_ns = now;
		rt->flood_count = 0;
	}
	return __sync_fetch_and_add(&rt->flood_count, 1) < port->flood_limit;
}

#endif /* XBR_BPF_SECURITY_H */
