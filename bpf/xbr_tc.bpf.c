// SPDX-License-Identifier: (GPL-2.0 OR BSD-2-Clause)
/*
 * xbr tc ingress: the same forwarding decision for skbs, so GSO
 * super-frames and CHECKSUM_PARTIAL survive to the egress device. It takes
 * every frame of a tc-mode port and whatever the XDP program passed up.
 * The 802.1Q tag lives in skb metadata here, pushed and popped per copy.
 */
#include <linux/pkt_cls.h>
#include "fwd.h"

char LICENSE[] SEC("license") = "Dual BSD/GPL";

/* 0 if the skb fits the egress MTU, else the drop reason. */
static __always_inline int xbr_tc_fits(struct __sk_buff *skb, __u32 ifindex)
{
	__u32 mtu_len = 0;
	long ret;

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
 * frame that finds one removes it and is flooded, so a VM that comes back
 * on a new tap of the same name is reached at once.
 */
static __always_inline int xbr_tc_stale(struct xbr_fwd *f)
{
	struct xbr_fdb_key key;

	xbr_fdb_key_set(&key, f->frame.eth->h_dest, f->vid);
	bpf_map_delete_elem(&fdb, &key);
	return XBR_TC_STALE;
}

static __always_inline int xbr_tc_unicast(struct __sk_buff *skb, struct xbr_fwd *f)
{
	struct xbr_port *out = bpf_map_lookup_elem(&ports, &f->out_ifindex);
	int reason;

	if (!out)
		return xbr_tc_stale(f);
	reason = xbr_tc_fits(skb, f->out_ifindex);
	if (reason == XBR_DROP_NO_PORT)
		return xbr_tc_stale(f);
	if (reason) {
		xbr_count_drop(f->in_stats, reason);
		return TC_ACT_SHOT;
	}
	if (f->vlan_filtering && xbr_skb_vlan_set(skb, f->vid, f->out_tagged)) {
		xbr_count_drop(f->in_stats, XBR_DROP_PARSE);
		return TC_ACT_SHOT;
	}
	xbr_count_tx(xbr_stats_of(out), skb->len);
	return bpf_redirect(f->out_ifindex, 0);
}

/* Clone to every flood port but the last, which takes the skb itself;
 * each copy gets its egress port's tagging just before it leaves. */
static __always_inline int xbr_tc_flood(struct __sk_buff *skb, struct xbr_fwd *f)
{
	__u32 last = 0, i, n = f->cfg->nr_flood;
	int tagged, last_tagged = 0, reason;
	__u32 *ifindex;

	if (!xbr_flood_allowed(f->in)) {
		xbr_count_drop(f->in_stats, XBR_DROP_FLOOD_LIMIT);
		return TC_ACT_SHOT;
	}
	if (f->in_stats)
		f->in_stats->flooded++;

	for (i = 0; i < XBR_MAX_FLOOD; i++) {
		if (i >= n)
			break;
		ifindex = bpf_map_lookup_elem(&flood_list, &i);
		if (!ifindex || !*ifindex || *ifindex == f->in_ifindex)
			continue;
		tagged = XBR_VLAN_UNTAGGED;
		if (f->vlan_filtering) {
			tagged = xbr_vlan_egress(*ifindex, f->vid);
			if (tagged == XBR_VLAN_NOT_MEMBER)
				continue;
		}
		reason = xbr_tc_fits(skb, *ifindex);
		if (reason) {
			xbr_count_drop(f->in_stats, reason);
			continue;
		}
		if (last) {
			if ((f->vlan_filtering && xbr_skb_vlan_set(skb, f->vid, last_tagged)) ||
			    bpf_clone_redirect(skb, last, 0))
				xbr_count_drop(f->in_stats, XBR_DROP_REDIRECT);
			else
				xbr_count_tx_ifindex(last, skb->len);
		}
		last = *ifindex;
		last_tagged = tagged;
	}
	if (!last)
		return TC_ACT_SHOT;
	if (f->vlan_filtering && xbr_skb_vlan_set(skb, f->vid, last_tagged)) {
		xbr_count_drop(f->in_stats, XBR_DROP_REDIRECT);
		return TC_ACT_SHOT;
	}
	xbr_count_tx_ifindex(last, skb->len);
	return bpf_redirect(last, 0);
}

SEC("tc")
int xbr_tc(struct __sk_buff *skb)
{
	struct xbr_meta_tag tag = {
		.present = skb->vlan_present,
		.vid = skb->vlan_tci & 0x0fff,
	};
	struct xbr_fwd f = {};
	void *data, *data_end;

	/* The headers we parse must sit in the linear part. */
	if (skb->data_end - skb->data < ETH_HLEN + sizeof(struct ipv6hdr) + 24)
		bpf_skb_pull_data(skb, ETH_HLEN + sizeof(struct ipv6hdr) + 24);
	data = (void *)(long)skb->data;
	data_end = (void *)(long)skb->data_end;

	switch (xbr_decide(&f, data, data_end, skb->ingress_ifindex, &tag)) {
	case XBR_NOT_OURS:
		return TC_ACT_OK;
	case XBR_DROP:
		xbr_count_rx(f.in_stats, skb->len);
		xbr_count_drop(f.in_stats, f.drop);
		return TC_ACT_SHOT;
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
