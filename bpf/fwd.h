/* SPDX-License-Identifier: (GPL-2.0 OR BSD-2-Clause) */
/*
 * The forwarding decision, shared by the XDP and tc programs, read top to
 * bottom: parse -> ingress checks -> VLAN -> port security -> first-hop
 * guards -> learn -> lookup -> egress VLAN. Each program then carries the decision out its own
 * way (devmap redirect, or skb redirect and clone).
 */
#ifndef XBR_BPF_FWD_H
#define XBR_BPF_FWD_H

#include "maps.h"
#include "stats.h"
#include "parse.h"
#include "fdb.h"
#include "vlan.h"
#include "security.h"
#include "guard.h"
#include "trace.h"

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
	struct xbr_config *cfg;
	void *ctx;		/* the program's context: xdp_md or __sk_buff */
	__u64 now;		/* one clock read per frame, for learning and ageing */
	__u32 in_ifindex;
	__u32 out_ifindex;	/* XBR_UNICAST only */
	__u32 out_port_id;	/* its xbr_port.id, from the FDB */
	__u32 out_fdb_flags;	/* the FDB entry's XBR_FDB_F_* */
	__u16 vid;		/* the frame's VLAN; 0 without VLAN filtering */
	__u8 out_tagged;	/* XBR_UNICAST with filtering: leaves tagged */
	__u8 vlan_filtering;
	enum xbr_drop_reason drop;	/* XBR_DROP only */
};

static __always_inline enum xbr_verdict xbr_drop(struct xbr_fwd *f,
						 enum xbr_drop_reason reason)
{
	f->drop = reason;
	return XBR_DROP;
}

/* Classify into a VLAN; VLAN 0 for everything while filtering is off. */
static __always_inline int xbr_classify(struct xbr_fwd *f, struct xbr_trace_record *tr)
{
	int vid;

	f->vlan_filtering = !!(f->cfg->flags & XBR_CFG_F_VLAN_FILTERING);
	if (!f->vlan_filtering) {
		f->vid = 0;
		xbr_trace_step(tr, XBR_TS_VLAN, XBR_TR_SKIPPED, 0, 0, 0);
		return 0;
	}
	vid = xbr_vlan_ingress(f->in, f->in_ifindex, &f->frame);
	if (vid < 0) {
		xbr_trace_step(tr, XBR_TS_VLAN, XBR_TR_DROP, f->frame.vid, 0, XBR_DROP_VLAN);
		return -1;
	}
	f->vid = vid;
	xbr_trace_step(tr, XBR_TS_VLAN, XBR_TR_OK, vid, 0, f->frame.tagged);
	return 0;
}

static __always_inline enum xbr_verdict xbr_lookup(struct xbr_fwd *f, struct xbr_trace_record *tr)
{
	enum xbr_vlan_egress egress;
	struct xbr_fdb_entry *e;

	if (xbr_mac_is_multicast(f->frame.eth->h_dest)) {
		xbr_trace_step(tr, XBR_TS_LOOKUP, XBR_TR_LOOKUP_GROUP, f->vid, 0, 0);
		return XBR_FLOOD;
	}
	e = xbr_fdb_lookup(f->frame.eth->h_dest, f->vid, f->cfg, f->now, tr);
	if (!e)
		return XBR_FLOOD;
	f->out_ifindex = e->ifindex;
	f->out_port_id = e->port_id;
	f->out_fdb_flags = e->flags;
	if (f->out_ifindex == f->in_ifindex)
		return xbr_drop(f, XBR_DROP_HAIRPIN);
	if (f->vlan_filtering) {
		egress = xbr_vlan_egress(f->out_ifindex, f->vid);
		if (egress == XBR_VLAN_NOT_MEMBER)
			return xbr_drop(f, XBR_DROP_VLAN);
		f->out_tagged = egress == XBR_VLAN_TAGGED;
	}
	return XBR_UNICAST;
}

/* A tag the kernel already moved into skb metadata (tc): the outermost,
 * 802.1Q or 802.1ad. */
struct xbr_meta_tag {
	__u8 present;
	__u8 s_tag;		/* 802.1ad: payload to the bridge (parse.h) */
	__u16 vid;
};

/*
 * The ingress port: from this CPU's cache if its copy is of the current
 * generation, else from the ports map (and cached). The copy is read-only
 * here like the map's value; what the datapath writes lives in port_rt.
 */
static __always_inline struct xbr_port *xbr_port_get(__u32 ifindex,
						     const struct xbr_config *cfg)
{
	__u32 slot = ifindex & (XBR_PCACHE_SIZE - 1);
	struct xbr_pcache_entry *c = bpf_map_lookup_elem(&pcache, &slot);
	struct xbr_port *port;

	if (c && c->ifindex == ifindex && c->gen == cfg->ports_gen)
		return &c->port;
	port = bpf_map_lookup_elem(&ports, &ifindex);
	if (!port || !c)
		return port;
	c->port = *port;
	c->ifindex = ifindex;
	c->gen = cfg->ports_gen;
	return &c->port;
}

static __always_inline int xbr_checks_needed(const struct xbr_fwd *f)
{
	return (f->cfg->flags & XBR_CFG_F_SEC_MACS) ||
	       (f->in->flags & (XBR_PORT_F_LOCKED | XBR_PORT_F_IP_LOCKED));
}

/* Parse the Ethernet header at @data, with a tag in skb metadata (@meta,
 * tc) or none (NULL, XDP). */
static __always_inline int xbr_parse_frame(struct xbr_frame *frame, void *data, void *data_end,
					   const struct xbr_meta_tag *meta)
{
	if (xbr_parse_eth(frame, data, data_end, !meta || !meta->present))
		return -1;
	if (meta && meta->present && meta->s_tag) {
		/* What follows an S-tag is its payload, not the frame's L3. */
		frame->proto = ETH_P_8021AD;
		frame->l4proto = 0;
		frame->frag_off = 0;
	} else if (meta && meta->present) {
		frame->tagged = 1;
		frame->vid = meta->vid;
	}
	return 0;
}

/*
 * Port security and first-hop guards on the frame at @data: 0 if it may
 * enter, else the drop reason (none of which is XBR_DROP_PARSE). Each
 * program runs this from a global function of its own (its
 * xbr_prog_check_ingress()), which the verifier checks once: inlined, the
 * paths through these checks multiplied every path of the decision after
 * them, past the verifier's limit.
 */
static __always_inline int xbr_check_ingress(void *data, void *data_end, __u32 in_ifindex,
					     __u16 vid, int known,
					     const struct xbr_meta_tag *meta,
					     struct xbr_trace_record *tr)
{
	struct xbr_config *cfg;
	struct xbr_frame frame;
	struct xbr_port *in;
	struct xbr_l4 l4;
	__u32 zero = 0;
	int reason;

	cfg = bpf_map_lookup_elem(&config, &zero);
	if (!cfg)
		return 0;
	in = xbr_port_get(in_ifindex, cfg);
	if (!in)
		return 0;
	/* xbr_decide() parsed these bytes already; what cannot be checked is
	 * refused all the same (0 is "passes", so never XBR_DROP_PARSE). */
	if (xbr_parse_frame(&frame, data, data_end, meta))
		return XBR_DROP_L4_HIDDEN;
	xbr_l4_find(&l4, &frame, data_end);
	reason = xbr_sec_ingress(in, in_ifindex, cfg, &frame, &l4, vid, data_end, known,
				 xbr_now(), tr);
	if (!reason)
		reason = xbr_guard_ingress(in, &frame, &l4, data_end, tr);
	return reason;
}

/* Each program's entry to xbr_check_ingress(), with its own context. */
static int xbr_prog_check_ingress(const struct xbr_fwd *f, int known);

/*
 * @meta: NULL where the tag, if any, sits in the frame (XDP). @tr: NULL in
 * the datapath; xbr trace's record, which makes the decision change
 * nothing: no learning, no counters, no reclaiming, every check in full.
 */
static __always_inline enum xbr_verdict xbr_decide(struct xbr_fwd *f, void *data,
						   void *data_end, __u32 in_ifindex,
						   const struct xbr_meta_tag *meta,
						   struct xbr_trace_record *tr)
{
	struct xbr_lcache_entry *lc;
	__u32 zero = 0;
	__u8 *src, *dst;
	int reason, known;

	f->in_ifindex = in_ifindex;
	f->cfg = bpf_map_lookup_elem(&config, &zero);
	if (!f->cfg)
		return XBR_NOT_OURS;
	f->in = xbr_port_get(in_ifindex, f->cfg);
	if (!f->in)
		return XBR_NOT_OURS;
	xbr_trace_step(tr, XBR_TS_INGRESS, XBR_TR_OK, 0, in_ifindex, f->in->flags);
	f->in_stats = tr ? NULL : xbr_stats_of(f->in);

	if (xbr_parse_frame(&f->frame, data, data_end, meta))
		return xbr_drop(f, XBR_DROP_PARSE);
	src = f->frame.eth->h_source;
	dst = f->frame.eth->h_dest;
	if (xbr_mac_is_multicast(src) || xbr_mac_is_zero(src))
		return xbr_drop(f, XBR_DROP_BAD_SRC);
	if (xbr_mac_is_link_local(dst))
		return xbr_drop(f, XBR_DROP_LINK_LOCAL);

	if (xbr_classify(f, tr))
		return xbr_drop(f, XBR_DROP_VLAN);

	/* A source this CPU let in and learned from this port lately needs
	 * neither the MAC checks nor learning again. */
	f->now = xbr_now();
	lc = xbr_lcache_slot(src, f->vid);
	known = !tr && xbr_lcache_hit(lc, src, f->vid, in_ifindex, f->cfg, f->now);
	if (xbr_checks_needed(f)) {
		reason = xbr_prog_check_ingress(f, known);
		if (reason)
			return xbr_drop(f, reason);
	} else {
		xbr_trace_step(tr, XBR_TS_SRC, XBR_TR_SRC_OPEN, f->vid, 0, 0);
	}
	if (!known && (f->in->flags & XBR_PORT_F_LEARNING))
		xbr_fdb_learn(src, f->vid, in_ifindex, f->in, f->cfg, f->in_stats, f->now, lc, tr);
	else	/* a trace knows no source: learning is off */
		xbr_trace_step(tr, XBR_TS_LEARN, XBR_TR_LEARN_OFF, f->vid, 0, 0);
	return xbr_lookup(f, tr);
}

#endif /* XBR_BPF_FWD_H */
