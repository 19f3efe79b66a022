/* SPDX-License-Identifier: (GPL-2.0 OR BSD-2-Clause) */
/*
 * 802.1Q, as the Linux bridge does it with vlan_filtering=1: ingress
 * classifies a frame into a VLAN (its tag, or the port's pvid), membership
 * is checked on both sides, and the egress port's VLAN entry says whether
 * the frame leaves tagged. With filtering off, tags pass untouched and
 * everything is VLAN 0.
 */
#ifndef XBR_BPF_VLAN_H
#define XBR_BPF_VLAN_H

#include "maps.h"
#include "parse.h"

enum xbr_vlan_egress {
	XBR_VLAN_NOT_MEMBER = -1,
	XBR_VLAN_UNTAGGED = 0,
	XBR_VLAN_TAGGED = 1,
};

static __always_inline struct xbr_vlan *xbr_vlan_lookup(__u32 ifindex, __u16 vid)
{
	struct xbr_vlan_key key = { .ifindex = ifindex, .vid = vid };

	return bpf_map_lookup_elem(&vlans, &key);
}

/* The VLAN a frame from @port belongs to, or -1 if the port may not send
 * it. A priority tag (VID 0) counts as untagged. */
static __always_inline int xbr_vlan_ingress(const struct xbr_port *port, __u32 ifindex,
					    const struct xbr_frame *f)
{
	if (!f->tagged || !f->vid)
		return port->pvid ? port->pvid : -1;
	return xbr_vlan_lookup(ifindex, f->vid) ? f->vid : -1;
}

static __always_inline enum xbr_vlan_egress xbr_vlan_egress(__u32 ifindex, __u16 vid)
{
	struct xbr_vlan *v = xbr_vlan_lookup(ifindex, vid);

	if (!v)
		return XBR_VLAN_NOT_MEMBER;
	return v->flags & XBR_VLAN_F_UNTAGGED ? XBR_VLAN_UNTAGGED : XBR_VLAN_TAGGED;
}

/* XDP: make the frame at @ctx carry (or not) a tag for @vid. The frame is
 * parsed again by whoever reads it next: every pointer is stale after this. */
static __always_inline int xbr_xdp_vlan_set(struct xdp_md *ctx, int tagged_now, __u16 vid,
					    int want_tag)
{
	void *data, *data_end;
	struct ethhdr *eth;
	struct xbr_vlan_hdr *vh;
	__u8 macs[ETH_ALEN * 2];

	if (tagged_now && !want_tag) {
		data = (void *)(long)ctx->data;
		data_end = (void *)(long)ctx->data_end;
		if (data + ETH_HLEN + sizeof(*vh) > data_end)
			return -1;
		__builtin_memcpy(macs, data, sizeof(macs));
		if (bpf_xdp_adjust_head(ctx, sizeof(*vh)))
			return -1;
		data = (void *)(long)ctx->data;
		data_end = (void *)(long)ctx->data_end;
		if (data + sizeof(macs) > data_end)
			return -1;
		__builtin_memcpy(data, macs, sizeof(macs));
		return 0;
	}
	if (!tagged_now && want_tag) {
		if (bpf_xdp_adjust_head(ctx, -(int)sizeof(*vh)))
			return -1;
		data = (void *)(long)ctx->data;
		data_end = (void *)(long)ctx->data_end;
		eth = data;
		if (data + ETH_HLEN + sizeof(*vh) > data_end)
			return -1;
		/* Move the MACs to the new front; the old type field stays as
		 * the tag's encapsulated protocol. */
		__builtin_memcpy(macs, data + sizeof(*vh), sizeof(macs));
		__builtin_memcpy(data, macs, sizeof(macs));
		eth->h_proto = bpf_htons(ETH_P_8021Q);
		vh = (void *)(eth + 1);
		vh->tci = bpf_htons(vid);
		return 0;
	}
	if (tagged_now && want_tag) {
		/* Same tag position; a priority tag gets its VLAN. */
		data = (void *)(long)ctx->data;
		data_end = (void *)(long)ctx->data_end;
		vh = data + ETH_HLEN;
		if ((void *)(vh + 1) > data_end)
			return -1;
		vh->tci = bpf_htons((bpf_ntohs(vh->tci) & 0xf000) | vid);
	}
	return 0;
}

/* tc: the tag lives in skb metadata; push and pop keep the payload. An
 * 802.1ad tag there is payload: a push moves it into the frame, behind the
 * new 802.1Q tag, and it is never popped. */
static __always_inline int xbr_skb_vlan_set(struct __sk_buff *skb, __u16 vid, int want_tag)
{
	int c_tag = skb->vlan_present && skb->vlan_proto == bpf_htons(ETH_P_8021Q);

	if (!want_tag)
		return c_tag ? bpf_skb_vlan_pop(skb) : 0;
	if (c_tag && (skb->vlan_tci & 0x0fff) == vid)
		return 0;
	if (c_tag && bpf_skb_vlan_pop(skb))
		return -1;
	return bpf_skb_vlan_push(skb, bpf_htons(ETH_P_8021Q), vid);
}

#endif /* XBR_BPF_VLAN_H */
