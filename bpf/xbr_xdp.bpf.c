// SPDX-License-Identifier: (GPL-2.0 OR BSD-2-Clause)
/*
 * xbr XDP ingress: forwards per packet what XDP may forward safely and
 * hands everything else to the tc program with XDP_PASS, untouched:
 *  - frames that may carry a partial checksum (XDP cannot see the skb's
 *    CHECKSUM_PARTIAL state; its redirect would deliver them corrupt),
 *  - destinations that cannot take an XDP redirect,
 *  - floods while some flood port cannot take one,
 *  - frames over the egress MTU (tc drops and counts them).
 */
#include "fwd.h"
#include "csum.h"

char LICENSE[] SEC("license") = "Dual BSD/GPL";

/* No sane port MTU is below IPv6's minimum: smaller frames skip the check. */
#define XBR_XDP_MTU_CHECK_MIN	(1280 + ETH_HLEN)

/*
 * May this frame leave through an XDP redirect? Frames from ports whose
 * checksums are complete (a NIC, or a port the operator put in xdp mode)
 * always; from other ports (a tap in auto mode) once csum.h has checked or
 * finished their L4 checksum. Called last, right before the redirect: a
 * finished checksum must not reach tc, whose skb may still say PARTIAL.
 * Returns the action if the redirect fails, or -1 to hand the frame to tc.
 */
static __always_inline int xbr_xdp_csum_fallback(const struct xbr_fwd *f, void *data_end)
{
	if (f->in->flags & XBR_PORT_F_CSUM_TRUSTED)
		return XDP_PASS;
	switch (xbr_csum_check(&f->frame, data_end)) {
	case XBR_CSUM_OK:
		return XDP_PASS;
	case XBR_CSUM_FIXED:
		return XDP_DROP;
	case XBR_CSUM_UNSURE:
		break;
	}
	return -1;
}

static __always_inline int xbr_xdp_fits(struct xdp_md *ctx, __u32 ifindex, __u32 len)
{
	__u32 mtu_len = 0;

	if (len <= XBR_XDP_MTU_CHECK_MIN)
		return 1;
	return bpf_check_mtu(ctx, ifindex, &mtu_len, 0, 0) == BPF_MTU_CHK_RET_SUCCESS;
}

static __always_inline int xbr_xdp_unicast(struct xdp_md *ctx, struct xbr_fwd *f, __u32 len,
					   void *data_end)
{
	struct xbr_port *out = bpf_map_lookup_elem(&ports, &f->out_ifindex);
	int ret, fallback;

	if (!out || !(out->flags & XBR_PORT_F_XDP_TARGET))
		return XDP_PASS;
	if (!xbr_xdp_fits(ctx, f->out_ifindex, len))
		return XDP_PASS;
	fallback = xbr_xdp_csum_fallback(f, data_end);
	if (fallback < 0)
		return XDP_PASS;
	/* The egress program counts tx; a missing devmap entry falls to tc. */
	ret = bpf_redirect_map(&tx_ports, f->out_ifindex, fallback);
	if (ret == XDP_REDIRECT)
		xbr_count_rx(f->in_stats, len);
	return ret;
}

static __always_inline int xbr_xdp_flood(struct xbr_fwd *f, __u32 len, void *data_end)
{
	struct xbr_config *cfg;
	__u32 zero = 0;
	int ret;

	cfg = bpf_map_lookup_elem(&config, &zero);
	if (!cfg || !(cfg->flags & XBR_CFG_F_XDP_FLOOD))
		return XDP_PASS;
	/* Egress MTUs differ per port; the tc loop checks each copy. */
	if (len > XBR_XDP_MTU_CHECK_MIN)
		return XDP_PASS;
	if (xbr_xdp_csum_fallback(f, data_end) < 0)
		return XDP_PASS;
	ret = bpf_redirect_map(&flood_ports, 0, BPF_F_BROADCAST | BPF_F_EXCLUDE_INGRESS);
	if (ret == XDP_REDIRECT) {
		xbr_count_rx(f->in_stats, len);
		if (f->in_stats)
			f->in_stats->flooded++;
	}
	return ret;
}

SEC("xdp")
int xbr_xdp(struct xdp_md *ctx)
{
	void *data = (void *)(long)ctx->data;
	void *data_end = (void *)(long)ctx->data_end;
	__u32 len = data_end - data;
	struct xbr_fwd f = {};

	switch (xbr_decide(&f, data, data_end, ctx->ingress_ifindex)) {
	case XBR_NOT_OURS:
		return XDP_PASS;
	case XBR_DROP:
		xbr_count_rx(f.in_stats, len);
		xbr_count_drop(f.in_stats, f.drop);
		return XDP_DROP;
	case XBR_UNICAST:
		return xbr_xdp_unicast(ctx, &f, len, data_end);
	case XBR_FLOOD:
		return xbr_xdp_flood(&f, len, data_end);
	}
	return XDP_PASS;
}
