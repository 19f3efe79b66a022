// SPDX-License-Identifier: (GPL-2.0 OR BSD-2-Clause)
/*
 * xbr devmap egress: runs once per copy of an XDP flood (the flood devmap's
 * entries carry it; unicast needs none, see xbr_xdp.bpf.c). It applies the
 * port's egress VLAN policy (floods leave the ingress tagged) and counts
 * what leaves.
 */
#include "maps.h"
#include "stats.h"
#include "parse.h"
#include "vlan.h"

char LICENSE[] SEC("license") = "Dual BSD/GPL";

static __always_inline int xbr_egress_vlan(struct xdp_md *ctx, __u32 ifindex)
{
	void *data = (void *)(long)ctx->data;
	void *data_end = (void *)(long)ctx->data_end;
	struct xbr_frame f;

	if (xbr_parse_eth(&f, data, data_end, 1) || !f.tagged)
		return 0;
	switch (xbr_vlan_egress(ifindex, f.vid)) {
	case XBR_VLAN_NOT_MEMBER:
		return -1;
	case XBR_VLAN_UNTAGGED:
		return xbr_xdp_vlan_set(ctx, 1, f.vid, 0);
	case XBR_VLAN_TAGGED:
		break;
	}
	return 0;
}

/* Multi-buffer like the XDP program that redirects to it: a devmap takes
 * programs of one kind. */
SEC("xdp.frags/devmap")
int xbr_egress(struct xdp_md *ctx)
{
	__u32 zero = 0, ifindex = ctx->egress_ifindex;
	struct xbr_config *cfg = bpf_map_lookup_elem(&config, &zero);

	if (cfg && (cfg->flags & XBR_CFG_F_VLAN_FILTERING) && xbr_egress_vlan(ctx, ifindex))
		return XDP_DROP;
	xbr_count_tx_ifindex(ifindex, bpf_xdp_get_buff_len(ctx));
	return XDP_PASS;
}
