/* SPDX-License-Identifier: (GPL-2.0 OR BSD-2-Clause) */
/*
 * First-hop guards of locked ports: a guest may not act as the network's
 * DHCP server (DHCPv4 UDP 67 -> 68, DHCPv6 UDP 547 -> 546) or router (IPv6
 * Router Advertisements, RFC 6105) unless its port is trusted for it
 * (dhcp-server, ra: the uplinks and the host port are by default). As RA
 * guard implementations do (RFC 7113), a frame whose L4 header cannot be
 * read (an IPv6 header chain longer than we look past, a header beyond what
 * the program sees) is refused: it could hide either.
 */
#ifndef XBR_BPF_GUARD_H
#define XBR_BPF_GUARD_H

#include <linux/icmpv6.h>
#include <linux/udp.h>
#include "parse.h"
#include "trace.h"

#define XBR_ICMPV6_RA	134

/* 0 if the frame may enter, else the drop reason. */
static __always_inline int xbr_guard_check(const struct xbr_port *port,
					   const struct xbr_frame *f, const struct xbr_l4 *l4,
					   void *data_end)
{
	__u32 trusted = port->flags & (XBR_PORT_F_DHCP_SERVER | XBR_PORT_F_RA);
	struct icmp6hdr *icmp6;
	struct udphdr *udp;

	if (!(port->flags & (XBR_PORT_F_LOCKED | XBR_PORT_F_IP_LOCKED)) ||
	    trusted == (XBR_PORT_F_DHCP_SERVER | XBR_PORT_F_RA))
		return 0;
	if (l4->incomplete)
		return XBR_DROP_L4_HIDDEN;
	if (!l4->hdr)
		return 0;
	if (l4->proto == IPPROTO_UDP && !(trusted & XBR_PORT_F_DHCP_SERVER)) {
		udp = l4->hdr;
		if ((void *)(udp + 1) > data_end)
			return XBR_DROP_L4_HIDDEN;
		if (f->proto == ETH_P_IP && udp->source == bpf_htons(67) &&
		    udp->dest == bpf_htons(68))
			return XBR_DROP_DHCP_SERVER;
		if (f->proto == ETH_P_IPV6 && udp->source == bpf_htons(547) &&
		    udp->dest == bpf_htons(546))
			return XBR_DROP_DHCP_SERVER;
		return 0;
	}
	if (l4->proto == IPPROTO_ICMPV6 && !(trusted & XBR_PORT_F_RA)) {
		icmp6 = l4->hdr;
		if ((void *)(icmp6 + 1) > data_end)
			return XBR_DROP_L4_HIDDEN;
		if (icmp6->icmp6_type == XBR_ICMPV6_RA)
			return XBR_DROP_RA;
	}
	return 0;
}

/* xbr_guard_check(), with its step recorded for xbr trace. */
static __always_inline int xbr_guard_ingress(const struct xbr_port *port,
					     const struct xbr_frame *f, const struct xbr_l4 *l4,
					     void *data_end, struct xbr_trace_record *tr)
{
	int reason = xbr_guard_check(port, f, l4, data_end);

	if (!(port->flags & (XBR_PORT_F_LOCKED | XBR_PORT_F_IP_LOCKED)))
		xbr_trace_step(tr, XBR_TS_GUARD, XBR_TR_SKIPPED, 0, 0, 0);
	else
		xbr_trace_step(tr, XBR_TS_GUARD, reason ? XBR_TR_DROP : XBR_TR_OK, 0, 0, reason);
	return reason;
}

#endif /* XBR_BPF_GUARD_H */
