/* SPDX-License-Identifier: (GPL-2.0 OR BSD-2-Clause) */
/*
 * Port security, what OpenStack calls it: a source MAC that belongs to one
 * port is refused on every other (no hijacking), a locked port sends only
 * from its own MACs (or the first max-macs it learns, never one that is
 * static, local, another port's or live behind another port), an IP-locked
 * port only from its own addresses (ARP, IPv4, IPv6 and neighbour
 * advertisements included), and flood-limit caps the broadcast storms a
 * port can start. First-hop guards (DHCP, RA) live in guard.h.
 */
#ifndef XBR_BPF_SECURITY_H
#define XBR_BPF_SECURITY_H

#include <linux/icmpv6.h>
#include <linux/udp.h>
#include "maps.h"
#include "parse.h"
#include "stats.h"
#include "fdb.h"
#include "trace.h"

#define XBR_ETH_P_ARP	0x0806
#define XBR_AF_INET	2
#define XBR_AF_INET6	10

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

/* Does @owner, a port's entry in sec_macs, claim its MAC in VLAN @vid? A
 * configured MAC is the port's in every VLAN; a learned one in the VLAN it
 * was learned in, until it ages. */
static __always_inline int xbr_sec_claims(const struct xbr_sec_mac *owner, __u16 vid,
					  const struct xbr_config *cfg, __u64 now)
{
	if (owner->flags & XBR_SEC_F_CONFIGURED)
		return 1;
	return owner->vid == vid && xbr_elapsed(now, owner->seen_ns) <= cfg->ageing_ns;
}

/* Drop a learned sec_macs entry and give its port the MAC budget back. */
static __always_inline int xbr_sec_forget_mac(const struct xbr_sec_mac_key *key, __u32 ifindex)
{
	struct xbr_port *port;
	struct xbr_port_rt *rt;

	if (bpf_map_delete_elem(&sec_macs, key))
		return -1;
	port = bpf_map_lookup_elem(&ports, &ifindex);
	rt = port ? xbr_port_rt_of(port) : NULL;
	if (rt)
		__sync_fetch_and_add(&rt->nr_macs, -1);
	return 0;
}

/* Whether a locked port may make @mac its own: not while the MAC is static
 * or local, nor while a station of that MAC is live behind another port. */
static __always_inline int xbr_sec_mac_free(const __u8 *mac, __u16 vid, __u32 ifindex,
					    const struct xbr_config *cfg, __u64 now)
{
	struct xbr_fdb_entry *e = xbr_fdb_find(mac, vid);

	if (!e || e->ifindex == ifindex)
		return 1;
	return !xbr_fdb_pinned(e) && xbr_fdb_expired(e, cfg, now);
}

/* A locked port may take a new MAC while it is under max-macs. @owner: the
 * MAC's sec_macs entry, if any (another port's, aged: it may be taken).
 * @tr: only say whether it would (xbr trace). */
static __always_inline int xbr_sec_learn_mac(const struct xbr_port *port, __u32 ifindex,
					     const __u8 *mac, __u16 vid,
					     const struct xbr_sec_mac *owner,
					     const struct xbr_config *cfg, __u64 now,
					     const struct xbr_trace_record *tr)
{
	struct xbr_sec_mac val = {
		.ifindex = ifindex, .flags = XBR_SEC_F_LEARNED, .seen_ns = now, .vid = vid,
	};
	struct xbr_sec_mac_key key = {};
	struct xbr_port_rt *rt;

	if (!port->max_macs)
		return -1;
	if (!xbr_sec_mac_free(mac, vid, ifindex, cfg, now))
		return -1;
	__builtin_memcpy(key.mac, mac, ETH_ALEN);
	if (owner) {
		/* Another port's learned MAC that aged and was not yet swept. */
		if ((owner->flags & XBR_SEC_F_CONFIGURED) ||
		    xbr_elapsed(now, owner->seen_ns) <= cfg->ageing_ns ||
		    (!tr && xbr_sec_forget_mac(&key, owner->ifindex)))
			return -1;
	}
	rt = xbr_port_rt_of(port);
	if (!rt)
		return -1;
	if (tr)
		return rt->nr_macs < port->max_macs ? 0 : -1;
	if (__sync_fetch_and_add(&rt->nr_macs, 1) >= port->max_macs) {
		__sync_fetch_and_add(&rt->nr_macs, -1);
		return -1;
	}
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

/* A DHCPv4 client before it has an address: UDP 68 -> 67. */
static __always_inline int xbr_is_dhcp_client(const struct xbr_l4 *l4, void *data_end)
{
	struct udphdr *udp = l4->hdr;

	if (!udp || l4->proto != IPPROTO_UDP || (void *)(udp + 1) > data_end)
		return 0;
	return udp->source == bpf_htons(68) && udp->dest == bpf_htons(67);
}

static __always_inline int xbr_sec_arp_check(const struct xbr_frame *f, __u32 ifindex,
					     void *data_end)
{
	struct xbr_arp_ipv4 *arp = f->l3;

	if ((void *)(arp + 1) > data_end)
		return -1;
	if (arp->ar_pro != bpf_htons(ETH_P_IP) || arp->ar_hln != ETH_ALEN || arp->ar_pln != 4)
		return -1;
	/* The sender hardware address is the frame's own. */
	if (!xbr_mac_equal(arp->sha, f->eth->h_source))
		return -1;
	/* No sender address: an ARP probe (RFC 5227), a request. */
	if (!arp->spa)
		return arp->ar_op == bpf_htons(1) ? 0 : -1;
	return xbr_sec_ip_allowed(ifindex, XBR_AF_INET, &arp->spa) ? 0 : -1;
}

static __always_inline int xbr_sec_ipv6_check(const struct xbr_frame *f,
					      const struct xbr_l4 *l4, __u32 ifindex,
					      void *data_end)
{
	struct icmp6hdr *icmp6 = l4->hdr;
	struct ipv6hdr *ip6 = f->l3;
	int is_icmp6;

	if ((void *)(ip6 + 1) > data_end || l4->incomplete)
		return -1;	/* more than we look past: refused */
	is_icmp6 = icmp6 && l4->proto == IPPROTO_ICMPV6;
	/* No source address: duplicate address detection and MLD only. */
	if (xbr_ipv6_is_any(&ip6->saddr)) {
		if (!is_icmp6)
			return -1;
	} else if (!xbr_sec_ip_allowed(ifindex, XBR_AF_INET6, &ip6->saddr)) {
		return -1;
	}
	if (!is_icmp6)
		return 0;
	/* A neighbour advertisement claims its target address. (Fragmented
	 * ND is dropped by receivers, RFC 6980.) */
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

/* The sender addresses an IP-locked port's frame claims must be its own.
 * Unspecified senders pass only where a host has no address yet: a DHCP
 * client, an ARP probe, IPv6 duplicate address detection. */
static __always_inline int xbr_sec_ip_check(const struct xbr_frame *f,
					    const struct xbr_l4 *l4, __u32 ifindex,
					    void *data_end)
{
	if (f->proto == XBR_ETH_P_ARP)
		return xbr_sec_arp_check(f, ifindex, data_end);
	if (f->proto == ETH_P_IP) {
		struct iphdr *ip = f->l3;

		if ((void *)(ip + 1) > data_end)
			return -1;
		if (!ip->saddr)
			return xbr_is_dhcp_client(l4, data_end) ? 0 : -1;
		return xbr_sec_ip_allowed(ifindex, XBR_AF_INET, &ip->saddr) ? 0 : -1;
	}
	if (f->proto == ETH_P_IPV6)
		return xbr_sec_ipv6_check(f, l4, ifindex, data_end);
	return -1;	/* an IP-locked port speaks IP and ARP only */
}

/* 0 if the frame may enter, else the drop reason. @known: this CPU let
 * the source in from this port within the last refresh period (the lcache,
 * fwd.h), so its MAC checks passed then; a lock set meanwhile holds within
 * that period. Addresses are checked on every frame. */
static __always_inline int xbr_sec_ingress(const struct xbr_port *port, __u32 ifindex,
					   const struct xbr_config *cfg,
					   const struct xbr_frame *f, const struct xbr_l4 *l4,
					   __u16 vid, void *data_end, int known, __u64 now,
					   struct xbr_trace_record *tr)
{
	const __u8 *src = f->eth->h_source;
	struct xbr_sec_mac_key key = {};
	struct xbr_sec_mac *owner = NULL;

	if (known)
		goto ip;
	if ((cfg->flags & XBR_CFG_F_SEC_MACS) || (port->flags & XBR_PORT_F_LOCKED)) {
		__builtin_memcpy(key.mac, src, ETH_ALEN);
		owner = bpf_map_lookup_elem(&sec_macs, &key);
		if (owner && owner->ifindex != ifindex && xbr_sec_claims(owner, vid, cfg, now)) {
			xbr_trace_step(tr, XBR_TS_SRC, XBR_TR_SRC_SPOOF, vid, owner->ifindex,
				       XBR_DROP_MAC_SPOOF);
			return XBR_DROP_MAC_SPOOF;
		}
	}
	if (port->flags & XBR_PORT_F_LOCKED) {
		if (owner && owner->ifindex == ifindex) {
			xbr_trace_step(tr, XBR_TS_SRC, XBR_TR_SRC_OWN, vid, ifindex, owner->flags);
			/* Its own learned MAC stays its own while in use. */
			if (!tr && (owner->flags & XBR_SEC_F_LEARNED) &&
			    xbr_elapsed(now, owner->seen_ns) > XBR_FDB_REFRESH_NS)
				owner->seen_ns = now;
		} else if (xbr_sec_learn_mac(port, ifindex, src, vid, owner, cfg, now, tr)) {
			xbr_trace_step(tr, XBR_TS_SRC, XBR_TR_SRC_LOCKED, vid,
				       owner ? owner->ifindex : 0, XBR_DROP_LOCKED);
			return XBR_DROP_LOCKED;
		} else {
			xbr_trace_step(tr, XBR_TS_SRC, XBR_TR_SRC_WOULD_OWN, vid, ifindex, 0);
		}
	} else {
		xbr_trace_step(tr, XBR_TS_SRC, owner ? XBR_TR_SRC_OWN : XBR_TR_SRC_FREE, vid,
			       owner ? owner->ifindex : 0, owner ? owner->flags : 0);
	}
ip:
	if (!(port->flags & XBR_PORT_F_IP_LOCKED))
		return 0;
	if (xbr_sec_ip_check(f, l4, ifindex, data_end)) {
		xbr_trace_step(tr, XBR_TS_IP, XBR_TR_DROP, vid, ifindex, XBR_DROP_IP_SPOOF);
		return XBR_DROP_IP_SPOOF;
	}
	xbr_trace_step(tr, XBR_TS_IP, XBR_TR_OK, vid, ifindex, 0);
	return 0;
}

/* flood-limit: at most @limit floods per one-second window from the port
 * with id @port_id. */
static __always_inline int xbr_flood_allowed(__u32 port_id, __u32 limit)
{
	struct xbr_port_rt *rt;
	__u64 now;

	if (!limit)
		return 1;
	rt = bpf_map_lookup_elem(&port_rt, &port_id);
	if (!rt)
		return 1;
	now = bpf_ktime_get_coarse_ns();
	if (now - rt->flood_window_ns > 1000000000ULL || now < rt->flood_window_ns) {
		/* Racy across CPUs by a few frames at the window's edge: fine. */
		rt->flood_window_ns = now;
		rt->flood_count = 0;
	}
	return __sync_fetch_and_add(&rt->flood_count, 1) < limit;
}

#endif /* XBR_BPF_SECURITY_H */
