// SPDX-License-Identifier: (GPL-2.0 OR BSD-2-Clause)
/*
 * xbr tc ingress: the same forwarding decision for skbs, so GSO
 * super-frames and CHECKSUM_PARTIAL survive to the egress device. It takes
 * every frame of a tc-mode port and whatever the XDP program passed up.
 * The 802.1Q tag lives in skb metadata here, pushed and popped per copy.
 * A frame the XDP program decided carries the decision (handoff.h): tc
 * carries it out without deciding again.
 */
#include <linux/pkt_cls.h>
#include <xbr/handoff.h>
#include "fwd.h"

char LICENSE[] SEC("license") = "Dual BSD/GPL";

#define XBR_TC_PULL_LEN		128
#define XBR_TC_MTU_CHECK_MIN	(1280 + ETH_HLEN)

/* A sample of dropped frames for xbr monitor: a global function, verified
 * once and off the forwarding path. */
__attribute__((noinline)) int xbr_tc_drop_sample(struct __sk_buff *skb, __u32 ifindex,
						 __u32 reason)
{
	struct xbr_event *e;
	__u32 n;

	e = xbr_event_drop(ifindex, reason, skb->len, &n);
	if (!e)
		return 0;
	if (n > 0 && n <= XBR_EV_HDR_MAX && bpf_skb_load_bytes(skb, 0, e->hdr, n))
		e->hdr_len = 0;
	/* The tag the kernel took into metadata, back where it was. */
	e->vid = skb->vlan_present ? (skb->vlan_tci & 0x0fff) : 0;
	bpf_ringbuf_submit(e, 0);
	return 0;
}

/* xbr_count_drop() of a frame the program drops whole, and its sample. */
static __always_inline int xbr_tc_drop(struct __sk_buff *skb, const struct xbr_fwd *f,
				       __u32 reason)
{
	xbr_count_drop(f->in_stats, reason);
	xbr_tc_drop_sample(skb, f->in_ifindex, reason);
	return TC_ACT_SHOT;
}

/* 0 if the skb fits the egress MTU, else the drop reason. */
static __always_inline int xbr_tc_fits(struct __sk_buff *skb, __u32 ifindex)
{
	__u32 mtu_len = 0;
	long ret;

	/* No sane port MTU is below IPv6's minimum: a smaller frame fits, and
	 * port_devs says whether the netdev is still there. */
	if (skb->len <= XBR_TC_MTU_CHECK_MIN && !skb->gso_size)
		return bpf_map_lookup_elem(&port_devs, &ifindex) ? 0 : XBR_DROP_NO_PORT;

	/* GSO-aware: checks the segments' size, not the super-frame's. */
	ret = bpf_check_mtu(skb, ifindex, &mtu_len, 0, 0);
	if (ret == BPF_MTU_CHK_RET_SUCCESS)
		return 0;
	/* -ENODEV: the port's netdev is gone. */
	return ret < 0 ? XBR_DROP_NO_PORT : XBR_DROP_MTU;
}

/* xbr_tc_unicast(): the station's port is gone, flood instead. */
#define XBR_TC_STALE	(-1)

/*
 * An FDB entry whose port left the bridge, or whose netdev vanished (a
 * stopped VM's tap), would black-hole its station until it aged out: the
 * Linux bridge flushes such entries when the port goes. Here the first
 * frame that finds a learned one removes it and is flooded, so a VM that
 * comes back on a new tap of the same name is reached at once.
 */
static __always_inline int xbr_tc_stale(struct xbr_fwd *f)
{
	struct xbr_fdb_key key;

	/* An operator's entry stays: it is flooded past until the port is
	 * back or the operator changes it, and no other port can learn it. */
	if (!(f->out_fdb_flags & (XBR_FDB_F_STATIC | XBR_FDB_F_LOCAL))) {
		xbr_fdb_key_set(&key, f->frame.eth->h_dest, f->vid);
		if (!xbr_fdb_forget(&key, f->out_port_id))
			xbr_event_fdb(XBR_EV_FDB_DEL, f->frame.eth->h_dest, f->vid,
				      f->out_ifindex, 0, XBR_EV_DEL_GONE);
	}
	return XBR_TC_STALE;
}

static __always_inline int xbr_tc_unicast(struct __sk_buff *skb, struct xbr_fwd *f)
{
	struct xbr_port *out = xbr_port_get(f->out_ifindex, f->cfg);
	int reason;

	if (!out)
		return xbr_tc_stale(f);
	if (out->flags & XBR_PORT_F_DOWN)
		return xbr_tc_drop(skb, f, XBR_DROP_PORT_DOWN);
	reason = xbr_tc_fits(skb, f->out_ifindex);
	if (reason == XBR_DROP_NO_PORT)
		return xbr_tc_stale(f);
	if (reason)
		return xbr_tc_drop(skb, f, reason);
	if (f->vlan_filtering && xbr_skb_vlan_set(skb, f->vid, f->out_tagged)) {
		xbr_count_drop(f->in_stats, XBR_DROP_PARSE);
		return TC_ACT_SHOT;
	}
	xbr_count_tx(xbr_stats_of(out), skb->len);
	return bpf_redirect(f->out_ifindex, 0);
}

/* The state of a tc flood, carried from one flood port to the next. */
struct xbr_tc_flood {
	struct __sk_buff *skb;
	struct xbr_port_stats *in_stats;
	__u32 in_ifindex;
	__u32 nr;		/* entries of flood_list in use */
	__u32 last;		/* the port of the copy not sent yet, 0: none */
	int last_tagged;
	__u16 vid;
	__u8 filtering;
};

/* One flood port: send the previous port its copy, keep this one's for
 * the next step (the last port takes the skb itself). A bpf_loop callback:
 * the verifier checks it once, not once per flood port and path. */
static long xbr_tc_flood_step(__u32 i, struct xbr_tc_flood *fl)
{
	struct __sk_buff *skb = fl->skb;
	int tagged = XBR_VLAN_UNTAGGED, reason;
	__u32 *ifindex;

	if (i >= fl->nr)
		return 1;
	ifindex = bpf_map_lookup_elem(&flood_list, &i);
	if (!ifindex || !*ifindex || *ifindex == fl->in_ifindex)
		return 0;
	if (fl->filtering) {
		tagged = xbr_vlan_egress(*ifindex, fl->vid);
		if (tagged == XBR_VLAN_NOT_MEMBER)
			return 0;
	}
	reason = xbr_tc_fits(skb, *ifindex);
	if (reason) {
		xbr_count_drop(fl->in_stats, reason);
		return 0;
	}
	if (fl->last) {
		if ((fl->filtering && xbr_skb_vlan_set(skb, fl->vid, fl->last_tagged)) ||
		    bpf_clone_redirect(skb, fl->last, 0))
			xbr_count_drop(fl->in_stats, XBR_DROP_REDIRECT);
		else
			xbr_count_tx_ifindex(fl->last, skb->len);
	}
	fl->last = *ifindex;
	fl->last_tagged = tagged;
	return 0;
}

/* Clone to every flood port but the last, which takes the skb itself;
 * each copy gets its egress port's tagging just before it leaves. */
static __always_inline int xbr_tc_flood(struct __sk_buff *skb, const struct xbr_fwd *f)
{
	struct xbr_tc_flood fl = {
		.skb = skb,
		.in_stats = f->in_stats,
		.in_ifindex = f->in_ifindex,
		.nr = f->cfg->nr_flood,
		.vid = f->vid,
		.filtering = f->vlan_filtering,
	};

	if (!xbr_flood_allowed(f->in->id, f->in->flood_limit))
		return xbr_tc_drop(skb, f, XBR_DROP_FLOOD_LIMIT);
	if (f->in_stats)
		f->in_stats->flooded++;
	bpf_loop(XBR_MAX_FLOOD, xbr_tc_flood_step, &fl, 0);
	if (!fl.last)
		return TC_ACT_SHOT;
	if (fl.filtering && xbr_skb_vlan_set(skb, fl.vid, fl.last_tagged)) {
		xbr_count_drop(f->in_stats, XBR_DROP_REDIRECT);
		return TC_ACT_SHOT;
	}
	xbr_count_tx_ifindex(fl.last, skb->len);
	return bpf_redirect(fl.last, 0);
}

static __always_inline void xbr_tc_meta_tag(struct __sk_buff *skb, struct xbr_meta_tag *tag)
{
	tag->present = skb->vlan_present;
	tag->s_tag = skb->vlan_present && skb->vlan_proto == bpf_htons(ETH_P_8021AD);
	tag->vid = skb->vlan_tci & 0x0fff;
}

/* Port security and first-hop guards (fwd.h), verified once. */
__attribute__((noinline)) int xbr_tc_check_ingress(struct __sk_buff *skb, __u32 in_ifindex,
						   __u32 vid, __u32 known)
{
	void *data = (void *)(long)skb->data;
	void *data_end = (void *)(long)skb->data_end;
	struct xbr_meta_tag tag;

	xbr_tc_meta_tag(skb, &tag);
	return xbr_check_ingress(data, data_end, in_ifindex, vid, known, &tag, NULL);
}

static int xbr_prog_check_ingress(const struct xbr_fwd *f, int known)
{
	return xbr_tc_check_ingress(f->ctx, f->in_ifindex, f->vid, known);
}

/*
 * The decision the XDP program handed over with the frame, if it was made
 * on this port of this bridge as the ports are now: @f set as xbr_decide()
 * sets it and XBR_UNICAST or XBR_FLOOD, else XBR_NOT_OURS (decide here).
 */
static __always_inline enum xbr_verdict xbr_tc_handoff(struct __sk_buff *skb, struct xbr_fwd *f,
						       const struct xbr_meta_tag *tag)
{
	struct xbr_handoff *h = (void *)(long)skb->data_meta;
	void *data = (void *)(long)skb->data;
	void *data_end = (void *)(long)skb->data_end;
	__u32 zero = 0;

	if ((void *)(h + 1) > data || h->magic != XBR_HANDOFF_MAGIC ||
	    h->in_ifindex != skb->ingress_ifindex)
		return XBR_NOT_OURS;
	f->cfg = bpf_map_lookup_elem(&config, &zero);
	if (!f->cfg || f->cfg->ports_gen != h->ports_gen)
		return XBR_NOT_OURS;
	f->in_ifindex = h->in_ifindex;
	f->in = xbr_port_get(f->in_ifindex, f->cfg);
	if (!f->in || xbr_parse_frame(&f->frame, data, data_end, tag))
		return XBR_NOT_OURS;
	f->in_stats = xbr_stats_of(f->in);
	if (f->in_stats)
		f->in_stats->handoffs++;
	f->vlan_filtering = !!(f->cfg->flags & XBR_CFG_F_VLAN_FILTERING);
	f->vid = h->vid;
	if (h->flags & XBR_HANDOFF_F_FLOOD)
		return XBR_FLOOD;
	f->out_ifindex = h->out_ifindex;
	f->out_port_id = h->out_port_id;
	f->out_tagged = !!(h->flags & XBR_HANDOFF_F_TAGGED);
	f->out_fdb_flags = h->flags & XBR_HANDOFF_F_PINNED ? XBR_FDB_F_STATIC : 0;
	return XBR_UNICAST;
}

SEC("tc")
int xbr_tc(struct __sk_buff *skb)
{
	__u32 pull = skb->len < XBR_TC_PULL_LEN ? skb->len : XBR_TC_PULL_LEN;
	struct xbr_fwd f = { .ctx = skb };
	enum xbr_verdict verdict;
	struct xbr_meta_tag tag;
	void *data, *data_end;

	/* The headers we parse must sit in the linear part: the first-hop
	 * guards look as far as an IPv6 UDP header behind a few extension
	 * headers, and refuse what they cannot see. */
	if (skb->data_end - skb->data < pull)
		bpf_skb_pull_data(skb, pull);
	data = (void *)(long)skb->data;
	data_end = (void *)(long)skb->data_end;
	xbr_tc_meta_tag(skb, &tag);

	verdict = xbr_tc_handoff(skb, &f, &tag);
	if (verdict == XBR_NOT_OURS)
		verdict = xbr_decide(&f, data, data_end, skb->ingress_ifindex, &tag, NULL);
	switch (verdict) {
	case XBR_NOT_OURS:
		return TC_ACT_OK;
	case XBR_DROP:
		xbr_count_rx(f.in_stats, skb->len);
		return xbr_tc_drop(skb, &f, f.drop);
	case XBR_UNICAST: {
		int ret;

		xbr_count_rx(f.in_stats, skb->len);
		ret = xbr_tc_unicast(skb, &f);
		if (ret != XBR_TC_STALE)
			return ret;
		return xbr_tc_flood(skb, &f);
	}
	case XBR_FLOOD:
		xbr_count_rx(f.in_stats, skb->len);
		return xbr_tc_flood(skb, &f);
	}
	return TC_ACT_OK;
}
