// SPDX-License-Identifier: (GPL-2.0 OR BSD-2-Clause)
/*
 * xbr trace: the datapath's forwarding decision (fwd.h) for one frame
 * user space made up, recorded step by step and carried out nowhere: no
 * learning, no counter, no reclaim, no redirect. Where the XDP and tc
 * programs act on their decision, this one evaluates, port by port, what
 * they would do: VLAN membership, link state, MTU, flood-limit, and which
 * of the two would carry the frame.
 *
 * A tc program, so that BPF_PROG_RUN takes the ingress port from the
 * context (__sk_buff.ingress_ifindex) and needs no attached device. User
 * space reads the record from the slot of the CPU it ran on; the run's
 * mark, copied into it, tells a record of its own from another's.
 */
#include <linux/pkt_cls.h>
#include "fwd.h"

char LICENSE[] SEC("license") = "Dual BSD/GPL";

/* As in the XDP program: below this XDP checks no MTU, above it tc does. */
#define XBR_XDP_MTU_CHECK_MIN	(1280 + ETH_HLEN)

struct {
	__uint(type, BPF_MAP_TYPE_PERCPU_ARRAY);
	__uint(max_entries, 1);
	__type(key, __u32);
	__type(value, struct xbr_trace_record);
} trace SEC(".maps");

static __always_inline struct xbr_trace_record *xbr_trace_get(void)
{
	__u32 zero = 0;

	return bpf_map_lookup_elem(&trace, &zero);
}

/* Port security and first-hop guards (fwd.h), verified once. */
__attribute__((noinline)) int xbr_trace_check_ingress(struct __sk_buff *skb, __u32 in_ifindex,
						      __u32 vid)
{
	void *data = (void *)(long)skb->data;
	void *data_end = (void *)(long)skb->data_end;
	struct xbr_trace_record *tr = xbr_trace_get();

	if (!tr)
		return XBR_DROP_PARSE;
	return xbr_check_ingress(data, data_end, in_ifindex, vid, 0, NULL, tr);
}

static int xbr_prog_check_ingress(const struct xbr_fwd *f, int known)
{
	return xbr_trace_check_ingress(f->ctx, f->in_ifindex, f->vid);
}

/*
 * 0 if the frame fits @ifindex's MTU as tc checks it, else why not. tc
 * finds the outer tag in skb metadata, outside skb->len; the trace's frame
 * carries it inline (@tag_len).
 */
static __always_inline int xbr_trace_fits(struct __sk_buff *skb, __u32 ifindex, __s32 tag_len)
{
	__u32 mtu_len = 0;
	long ret;

	ret = bpf_check_mtu(skb, ifindex, &mtu_len, -tag_len, 0);
	if (ret == BPF_MTU_CHK_RET_SUCCESS)
		return 0;
	return ret < 0 ? XBR_TR_OUT_GONE : XBR_TR_OUT_MTU;
}

/* The outer tag, 802.1Q or 802.1ad, that the kernel moves into skb
 * metadata before tc. */
static __always_inline __s32 xbr_trace_tag_len(const struct xbr_fwd *f)
{
	return f->frame.tagged || f->frame.proto == ETH_P_8021AD ? 4 : 0;
}

/* The flood-limit's verdict, read only: would one more flood pass? */
static __always_inline int xbr_trace_flood_allowed(const struct xbr_port *in)
{
	struct xbr_port_rt *rt;
	__u32 id = in->id;
	__u64 now;

	if (!in->flood_limit)
		return 1;
	rt = bpf_map_lookup_elem(&port_rt, &id);
	if (!rt)
		return 1;
	now = bpf_ktime_get_coarse_ns();
	if (now - rt->flood_window_ns > 1000000000ULL || now < rt->flood_window_ns)
		return 1;	/* a new window starts */
	return rt->flood_count < in->flood_limit;
}

/*
 * Which program would carry the frame out (XBR_TR_PATH_*), and why tc
 * (XBR_TR_TC_*): the XDP program's own tests, in its order. @out: the one
 * egress port of a unicast, 0 for a flood.
 */
static __always_inline void xbr_trace_path(struct xbr_trace_record *tr, struct __sk_buff *skb,
					   const struct xbr_fwd *f, __u32 out)
{
	const struct xbr_frame *fr = &f->frame;
	/* XDP counts an 802.1Q tag out of the MTU, an S-tag not. */
	__s32 grow = fr->tagged ? -4 : 0;
	__u32 why = 0, mtu_len = 0;

	if (!(f->in->flags & XBR_PORT_F_XDP))
		why = XBR_TR_TC_NO_XDP;
	else if (out ? !bpf_map_lookup_elem(&tx_ports, &out) :
		       !(f->cfg->flags & XBR_CFG_F_XDP_FLOOD))
		why = XBR_TR_TC_TARGET;
	else if (!out && skb->len > XBR_XDP_MTU_CHECK_MIN)
		why = XBR_TR_TC_SIZE;	/* egress MTUs differ: tc checks each copy */
	else if (out && skb->len + grow > XBR_XDP_MTU_CHECK_MIN &&
		 bpf_check_mtu(skb, out, &mtu_len, grow, 0) != BPF_MTU_CHK_RET_SUCCESS)
		why = XBR_TR_TC_SIZE;
	else if (!(f->in->flags & XBR_PORT_F_CSUM_TRUSTED) &&
		 (xbr_proto_is_tag(fr->proto) ||
		  (fr->proto == ETH_P_IPV6 && fr->l4proto != IPPROTO_TCP &&
		   fr->l4proto != IPPROTO_UDP && fr->l4proto != IPPROTO_ICMPV6)))
		why = XBR_TR_TC_CSUM;
	if (why) {
		xbr_trace_step(tr, XBR_TS_PATH, XBR_TR_PATH_TC, f->vid, 0, why);
		return;
	}
	/* An untrusted port's TCP or UDP: XDP checks its checksum first, and
	 * one that may be partial (a guest's offload) goes by tc. */
	xbr_trace_step(tr, XBR_TS_PATH, XBR_TR_PATH_XDP, f->vid, 0,
		       !(f->in->flags & XBR_PORT_F_CSUM_TRUSTED) &&
		       (fr->l4proto == IPPROTO_TCP || fr->l4proto == IPPROTO_UDP));
}

/* The way out of one port: the step's result, XBR_TR_OUT_*. */
static __always_inline __u8 xbr_trace_out(struct __sk_buff *skb, const struct xbr_fwd *f,
					  __u32 ifindex, __u32 *vid)
{
	enum xbr_vlan_egress egress = XBR_VLAN_UNTAGGED;
	struct xbr_port *port;
	int fits;

	*vid = f->vid;
	if (ifindex == f->in_ifindex)
		return XBR_TR_OUT_INGRESS;
	port = bpf_map_lookup_elem(&ports, &ifindex);
	if (!port)
		return XBR_TR_OUT_GONE;
	if (f->vlan_filtering) {
		egress = xbr_vlan_egress(ifindex, f->vid);
		if (egress == XBR_VLAN_NOT_MEMBER)
			return XBR_TR_OUT_NOT_MEMBER;
	}
	if (port->flags & XBR_PORT_F_DOWN)
		return XBR_TR_OUT_DOWN;
	fits = xbr_trace_fits(skb, ifindex, xbr_trace_tag_len(f));
	if (fits)
		return fits;
	return egress == XBR_VLAN_TAGGED ? XBR_TR_OUT_TAGGED : XBR_TR_OUT_UNTAGGED;
}

struct xbr_trace_flood {
	struct __sk_buff *skb;
	const struct xbr_fwd *f;
	struct xbr_trace_record *tr;
	__u32 nr;
	__u32 copies;
};

/* One flood port (a bpf_loop callback, as in the tc program). */
static long xbr_trace_flood_step(__u32 i, struct xbr_trace_flood *fl)
{
	__u32 *ifindex, vid;
	__u8 out;

	if (i >= fl->nr)
		return 1;
	ifindex = bpf_map_lookup_elem(&flood_list, &i);
	if (!ifindex || !*ifindex)
		return 0;
	out = xbr_trace_out(fl->skb, fl->f, *ifindex, &vid);
	if (out == XBR_TR_OUT_INGRESS)
		return 0;
	xbr_trace_step(fl->tr, XBR_TS_EGRESS, out, vid, *ifindex, 0);
	if (out == XBR_TR_OUT_TAGGED || out == XBR_TR_OUT_UNTAGGED)
		fl->copies++;
	return 0;
}

static __always_inline void xbr_trace_flood(struct __sk_buff *skb, struct xbr_fwd *f,
					    struct xbr_trace_record *tr)
{
	struct xbr_trace_flood fl = {
		.skb = skb, .f = f, .tr = tr, .nr = f->cfg->nr_flood,
	};

	if (!xbr_trace_flood_allowed(f->in)) {
		xbr_trace_step(tr, XBR_TS_VERDICT, XBR_TR_V_DROP, f->vid, 0,
			       XBR_DROP_FLOOD_LIMIT);
		return;
	}
	bpf_loop(XBR_MAX_FLOOD, xbr_trace_flood_step, &fl, 0);
	xbr_trace_path(tr, skb, f, 0);
	xbr_trace_step(tr, XBR_TS_VERDICT, XBR_TR_V_FLOOD, f->vid, 0, fl.copies);
}

static __always_inline void xbr_trace_unicast(struct __sk_buff *skb, struct xbr_fwd *f,
					      struct xbr_trace_record *tr)
{
	__u32 vid;
	__u8 out = xbr_trace_out(skb, f, f->out_ifindex, &vid);

	if (out == XBR_TR_OUT_GONE) {
		/* tc forgets a learned entry of a gone port and floods. */
		xbr_trace_step(tr, XBR_TS_LOOKUP, XBR_TR_LOOKUP_STALE, f->vid, f->out_ifindex,
			       f->out_fdb_flags);
		xbr_trace_flood(skb, f, tr);
		return;
	}
	xbr_trace_step(tr, XBR_TS_EGRESS, out, vid, f->out_ifindex, 0);
	switch (out) {
	case XBR_TR_OUT_DOWN:
		xbr_trace_step(tr, XBR_TS_VERDICT, XBR_TR_V_DROP, f->vid, 0, XBR_DROP_PORT_DOWN);
		return;
	case XBR_TR_OUT_MTU:
		xbr_trace_step(tr, XBR_TS_VERDICT, XBR_TR_V_DROP, f->vid, 0, XBR_DROP_MTU);
		return;
	}
	xbr_trace_path(tr, skb, f, f->out_ifindex);
	xbr_trace_step(tr, XBR_TS_VERDICT, XBR_TR_V_UNICAST, vid, f->out_ifindex, 0);
}

SEC("tc")
int xbr_trace(struct __sk_buff *skb)
{
	void *data = (void *)(long)skb->data;
	void *data_end = (void *)(long)skb->data_end;
	struct xbr_fwd f = { .ctx = skb };
	struct xbr_trace_record *tr = xbr_trace_get();

	if (!tr)
		return TC_ACT_SHOT;
	tr->nr = 0;
	tr->cookie = skb->mark;
	switch (xbr_decide(&f, data, data_end, skb->ingress_ifindex, NULL, tr)) {
	case XBR_NOT_OURS:
		xbr_trace_step(tr, XBR_TS_VERDICT, XBR_TR_V_NOT_OURS, 0, skb->ingress_ifindex, 0);
		break;
	case XBR_DROP:
		xbr_trace_step(tr, XBR_TS_VERDICT, XBR_TR_V_DROP, f.vid, 0, f.drop);
		break;
	case XBR_UNICAST:
		xbr_trace_unicast(skb, &f, tr);
		break;
	case XBR_FLOOD:
		xbr_trace_flood(skb, &f, tr);
		break;
	}
	return TC_ACT_SHOT;
}
