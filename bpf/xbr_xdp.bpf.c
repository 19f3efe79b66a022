// SPDX-License-Identifier: (GPL-2.0 OR BSD-2-Clause)
/*
 * xbr XDP ingress: forwards per packet what XDP may forward safely and
 * hands everything else to the tc program with XDP_PASS, untouched:
 *  - frames that may carry a partial checksum (XDP cannot see the skb's
 *    CHECKSUM_PARTIAL state; its redirect would deliver them corrupt),
 *  - destinations that cannot take an XDP redirect,
 *  - floods while some flood port cannot take one,
 *  - frames over the egress MTU (tc drops and counts them).
 * Those it decided go up with the decision in their metadata (handoff.h).
 */
#include <xbr/handoff.h>
#include "fwd.h"
#include "csum.h"

char LICENSE[] SEC("license") = "Dual BSD/GPL";

/* No sane port MTU is below IPv6's minimum: smaller frames skip the check. */
#define XBR_XDP_MTU_CHECK_MIN	(1280 + ETH_HLEN)
#define XBR_VLAN_HLEN		4

/*
 * The frame's length, all its buffers. Only a frame whose first buffer is
 * large can have more (multi-buffer XDP): smaller ones need not ask.
 */
static __always_inline __u32 xbr_xdp_len(struct xdp_md *ctx)
{
	__u32 len = ctx->data_end - ctx->data;

	return len > XBR_XDP_MTU_CHECK_MIN ? bpf_xdp_get_buff_len(ctx) : len;
}

/*
 * Checksum work as a global function: the verifier checks its bounded loop
 * once, not once per path that reaches it (which blew its budget).
 */
__attribute__((noinline)) int xbr_xdp_csum(struct xdp_md *ctx, __u32 l3_off, __u32 proto,
					   __u32 l4proto)
{
	void *data = (void *)(long)ctx->data;
	void *data_end = (void *)(long)ctx->data_end;
	struct xbr_frame f = { .proto = proto, .l4proto = l4proto };

	if (l3_off > ETH_HLEN + XBR_VLAN_HLEN)
		return XBR_CSUM_UNSURE;
	f.l3 = data + l3_off;
	return xbr_csum_check(&f, data_end);
}

/*
 * May this frame leave through an XDP redirect? Frames from ports whose
 * checksums are complete (a NIC, or a port the operator put in xdp mode)
 * always; from other ports (a tap in auto mode) once csum.h has checked or
 * finished their L4 checksum. Called last, right before the redirect: a
 * finished checksum must not reach tc, whose skb may still say PARTIAL.
 * Returns the action if the redirect fails, or -1 to hand the frame to tc.
 */
static __always_inline int xbr_xdp_csum_fallback(struct xdp_md *ctx, const struct xbr_fwd *f)
{
	void *data = (void *)(long)ctx->data;

	if (f->in->flags & XBR_PORT_F_CSUM_TRUSTED)
		return XDP_PASS;
	/* The checksum covers buffers csum.h does not see. */
	if (xbr_xdp_len(ctx) != (__u32)(ctx->data_end - ctx->data))
		return -1;
	/* A tag carried as payload (a second 802.1Q, an 802.1ad S-tag) or
	 * IPv6 extension headers hide the L4 header. */
	if (xbr_proto_is_tag(f->frame.proto) ||
	    (f->frame.proto == ETH_P_IPV6 && f->frame.l4proto != IPPROTO_TCP &&
	     f->frame.l4proto != IPPROTO_UDP && f->frame.l4proto != IPPROTO_ICMPV6))
		return -1;
	if (f->frame.l4proto != IPPROTO_TCP && f->frame.l4proto != IPPROTO_UDP)
		return XDP_PASS;
	switch (xbr_xdp_csum(ctx, f->frame.l3 - data, f->frame.proto, f->frame.l4proto)) {
	case XBR_CSUM_OK:
		return XDP_PASS;
	case XBR_CSUM_FIXED:
		return XDP_DROP;
	case XBR_CSUM_UNSURE:
		break;
	}
	return -1;
}

/* Port security and first-hop guards (fwd.h), verified once. */
__attribute__((noinline)) int xbr_xdp_check_ingress(struct xdp_md *ctx, __u32 in_ifindex,
						    __u32 vid, __u32 known)
{
	void *data = (void *)(long)ctx->data;
	void *data_end = (void *)(long)ctx->data_end;

	return xbr_check_ingress(data, data_end, in_ifindex, vid, known, NULL, NULL);
}

static int xbr_prog_check_ingress(const struct xbr_fwd *f, int known)
{
	return xbr_xdp_check_ingress(f->ctx, f->in_ifindex, f->vid, known);
}

/* A sample of dropped frames for xbr monitor: a global function, verified
 * once and off the forwarding path. */
__attribute__((noinline)) int xbr_xdp_drop_sample(struct xdp_md *ctx, __u32 ifindex,
						  __u32 reason)
{
	struct xbr_event *e;
	__u32 n;

	e = xbr_event_drop(ifindex, reason, bpf_xdp_get_buff_len(ctx), &n);
	if (!e)
		return 0;
	if (n > 0 && n <= XBR_EV_HDR_MAX && bpf_xdp_load_bytes(ctx, 0, e->hdr, n))
		e->hdr_len = 0;
	bpf_ringbuf_submit(e, 0);
	return 0;
}

/*
 * Pass a decided frame up to tc, the decision in front of it in XDP
 * metadata (xbr/handoff.h). Without room for metadata tc decides again.
 */
static __always_inline int xbr_xdp_handoff(struct xdp_md *ctx, const struct xbr_fwd *f,
					   int flood)
{
	struct xbr_handoff *h;
	void *data;

	if (bpf_xdp_adjust_meta(ctx, -(int)sizeof(*h)))
		return XDP_PASS;
	h = (void *)(long)ctx->data_meta;
	data = (void *)(long)ctx->data;
	if ((void *)(h + 1) > data)
		return XDP_PASS;
	h->magic = XBR_HANDOFF_MAGIC;
	h->in_ifindex = f->in_ifindex;
	h->ports_gen = f->cfg->ports_gen;
	h->out_ifindex = flood ? 0 : f->out_ifindex;
	h->out_port_id = flood ? 0 : f->out_port_id;
	h->vid = f->vid;
	if (flood)
		h->flags = XBR_HANDOFF_F_FLOOD;
	else
		h->flags = (f->out_tagged ? XBR_HANDOFF_F_TAGGED : 0) |
			   (f->out_fdb_flags & (XBR_FDB_F_STATIC | XBR_FDB_F_LOCAL) ?
			    XBR_HANDOFF_F_PINNED : 0);
	h->pad = 0;
	return XDP_PASS;
}

static __always_inline int xbr_xdp_fits(struct xdp_md *ctx, __u32 ifindex, __u32 len,
					__s32 grow)
{
	/* The frame's L3 length as input: XDP's check would measure the
	 * first buffer only. */
	__u32 mtu_len = len - ETH_HLEN;

	if (len + grow <= XBR_XDP_MTU_CHECK_MIN)
		return 1;
	return bpf_check_mtu(ctx, ifindex, &mtu_len, grow, 0) == BPF_MTU_CHK_RET_SUCCESS;
}

/*
 * Known unicast: the devmap entry of the egress port is what says it takes
 * XDP redirects, and tx is counted here (the FDB entry names the port's
 * counters): no egress program and no port lookup on this path.
 */
static __always_inline int xbr_xdp_unicast(struct xdp_md *ctx, struct xbr_fwd *f, __u32 len)
{
	int ret, fallback, change_tag;
	__u32 tx_len = len;

	/* An 802.1Q tag is no payload: MTU + 18 bytes on the wire (veth
	 * takes MTU + 14 + 4 from XDP), pushed, popped or kept. */
	if (!xbr_xdp_fits(ctx, f->out_ifindex, len, f->frame.tagged ? -XBR_VLAN_HLEN : 0))
		return xbr_xdp_handoff(ctx, f, 0);
	change_tag = f->vlan_filtering && f->frame.tagged != f->out_tagged;
	/* No devmap entry (a tc port, or its netdev went away): tc takes the
	 * frame, and must get it as it came, before a tag or a checksum
	 * changes it. Frames that stay as they are need not ask: the
	 * redirect's XDP_PASS fallback hands them to tc. */
	if (((f->vlan_filtering && (f->frame.tagged || f->out_tagged)) ||
	     !(f->in->flags & XBR_PORT_F_CSUM_TRUSTED)) &&
	    !bpf_map_lookup_elem(&tx_ports, &f->out_ifindex))
		return xbr_xdp_handoff(ctx, f, 0);
	fallback = xbr_xdp_csum_fallback(ctx, f);
	if (fallback < 0)
		return xbr_xdp_handoff(ctx, f, 0);
	if (f->vlan_filtering && (f->frame.tagged || f->out_tagged)) {
		if (xbr_xdp_vlan_set(ctx, f->frame.tagged, f->vid, f->out_tagged))
			return fallback;
		/* Changed: tc would classify it anew (a popped tag puts it
		 * into the ingress port's native VLAN): never pass it on. */
		fallback = XDP_DROP;
		if (change_tag)
			tx_len = f->out_tagged ? len + XBR_VLAN_HLEN : len - XBR_VLAN_HLEN;
	}
	ret = bpf_redirect_map(&tx_ports, f->out_ifindex, fallback);
	if (ret == XDP_REDIRECT) {
		xbr_count_rx(f->in_stats, len);
		xbr_count_tx(xbr_stats_by_id(f->out_port_id), tx_len);
	} else if (ret == XDP_PASS) {
		/* No devmap entry, the frame as it came: tc carries it out. */
		return xbr_xdp_handoff(ctx, f, 0);
	}
	return ret;
}

static __always_inline int xbr_xdp_flood(struct xbr_fwd *f, struct xdp_md *ctx, __u32 len,
					 void *data_end)
{
	int ret;

	if (!(f->cfg->flags & XBR_CFG_F_XDP_FLOOD))
		return xbr_xdp_handoff(ctx, f, 1);
	/* Egress MTUs differ per port; the tc loop checks each copy. */
	if (len > XBR_XDP_MTU_CHECK_MIN)
		return xbr_xdp_handoff(ctx, f, 1);
	if (xbr_xdp_csum_fallback(ctx, f) < 0)
		return xbr_xdp_handoff(ctx, f, 1);
	xbr_count_rx(f->in_stats, len);
	if (!xbr_flood_allowed(f->in->id, f->in->flood_limit)) {
		xbr_count_drop(f->in_stats, XBR_DROP_FLOOD_LIMIT);
		xbr_xdp_drop_sample(ctx, f->in_ifindex, XBR_DROP_FLOOD_LIMIT);
		return XDP_DROP;
	}
	/* Flood tagged: each port's egress program untags or drops its copy. */
	if (f->vlan_filtering && xbr_xdp_vlan_set(ctx, f->frame.tagged, f->vid, 1)) {
		xbr_count_drop(f->in_stats, XBR_DROP_PARSE);
		return XDP_DROP;
	}
	ret = bpf_redirect_map(&flood_ports, 0, BPF_F_BROADCAST | BPF_F_EXCLUDE_INGRESS);
	if (ret == XDP_REDIRECT && f->in_stats)
		f->in_stats->flooded++;
	return ret;
}

/*
 * Multi-buffer XDP: a port whose MTU is larger than a page (jumbo frames)
 * runs it too where its driver can (veth), and the frame's first buffer
 * holds its headers. @len is the whole frame.
 */
SEC("xdp.frags")
int xbr_xdp(struct xdp_md *ctx)
{
	void *data = (void *)(long)ctx->data;
	void *data_end = (void *)(long)ctx->data_end;
	__u32 len = xbr_xdp_len(ctx);
	struct xbr_fwd f = { .ctx = ctx };

	switch (xbr_decide(&f, data, data_end, ctx->ingress_ifindex, NULL, NULL)) {
	case XBR_NOT_OURS:
		return XDP_PASS;
	case XBR_DROP:
		xbr_count_rx(f.in_stats, len);
		xbr_count_drop(f.in_stats, f.drop);
		xbr_xdp_drop_sample(ctx, f.in_ifindex, f.drop);
		return XDP_DROP;
	case XBR_UNICAST:
		return xbr_xdp_unicast(ctx, &f, len);
	case XBR_FLOOD:
		return xbr_xdp_flood(&f, ctx, len, data_end);
	}
	return XDP_PASS;
}
