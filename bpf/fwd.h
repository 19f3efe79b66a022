/* SPDX-License-Identifier: (GPL-2.0 OR BSD-2-Clause) */
/*
 * The forwarding decision, shared by the XDP and tc programs: parse ->
 * ingress checks -> learn -> lookup. Each program then carries the decision
 * out its own way (devmap redirect or skb redirect/clone).
 */
#ifndef XBR_BPF_FWD_H
#define XBR_BPF_FWD_H

#include "maps.h"
#include "stats.h"
#include "parse.h"
#include "fdb.h"

enum xbr_verdict {
	XBR_NOT_OURS,		/* ingress is not a bridge port: leave it alone */
	XBR_DROP,
	XBR_UNICAST,
	XBR_FLOOD,
};

struct xbr_fwd {
	struct xbr_frame frame;
	struct xbr_port *in;
	struct xbr_port_stats *in_stats;
	__u32 in_ifindex;
	__u32 out_ifindex;	/* XBR_UNICAST only */
	enum xbr_drop_reason drop;	/* XBR_DROP only */
};

static __always_inline enum xbr_verdict xbr_drop(struct xbr_fwd *f,
						 enum xbr_drop_reason reason)
{
	f->drop = reason;
	return XBR_DROP;
}

static __always_inline enum xbr_verdict xbr_decide(struct xbr_fwd *f, void *data,
						   void *data_end, __u32 in_ifindex)
{
	__u8 *src, *dst;
	__u16 vlan = 0;

	f->in_ifindex = in_ifindex;
	f->in = bpf_map_lookup_elem(&ports, &in_ifindex);
	if (!f->in)
		return XBR_NOT_OURS;
	f->in_stats = xbr_stats_of(f->in);

	if (xbr_parse_eth(&f->frame, data, data_end))
		return xbr_drop(f, XBR_DROP_PARSE);
	src = f->frame.eth->h_source;
	dst = f->frame.eth->h_dest;

	if (xbr_mac_is_multicast(src) || xbr_mac_is_zero(src))
		return xbr_drop(f, XBR_DROP_BAD_SRC);
	if (xbr_mac_is_link_local(dst))
		return xbr_drop(f, XBR_DROP_LINK_LOCAL);

	if (f->in->flags & XBR_PORT_F_LEARNING)
		xbr_fdb_learn(src, vlan, in_ifindex, f->in_stats);

	if (xbr_mac_is_multicast(dst))
		return XBR_FLOOD;
	f->out_ifindex = xbr_fdb_lookup(dst, vlan);
	if (!f->out_ifindex)
		return XBR_FLOOD;
	if (f->out_ifindex == in_ifindex)
		return xbr_drop(f, XBR_DROP_HAIRPIN);
	return XBR_UNICAST;
}

#endif /* XBR_BPF_FWD_H */
