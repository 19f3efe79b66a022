// SPDX-License-Identifier: (GPL-2.0 OR BSD-2-Clause)
/*
 * The bare forwarders: the ceilings of xbr's two paths. A destination MAC
 * lookup in a hash keyed like xbr's FDB, then a redirect; no parsing beyond
 * Ethernet, no learning, no policy, no counters. Unknown destinations go to
 * the stack. Loaded by xbr-benchfwd. On a tap the XDP forwarder sees only
 * the frames its VM writes without GSO, and it finishes no checksum: a frame
 * the VM left NEEDS_CSUM leaves with its checksum unfinished, so this is
 * the ceiling of the redirect itself, not a correct forwarder.
 */
#include <linux/bpf.h>
#include <linux/if_ether.h>
#include <linux/pkt_cls.h>
#include <bpf/bpf_helpers.h>
#include <xbr/bridge.h>

struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, XBR_FDB_MAX);
	__type(key, struct xbr_fdb_key);
	__type(value, struct xbr_fdb_entry);
} fdb SEC(".maps");

/* Ports the XDP forwarder may redirect into, keyed by ifindex. */
struct {
	__uint(type, BPF_MAP_TYPE_DEVMAP_HASH);
	__uint(max_entries, 64);
	__type(key, __u32);
	__type(value, __u32);
} tx_ports SEC(".maps");

static __always_inline struct xbr_fdb_entry *lookup_dst(void *data,
							void *data_end)
{
	struct ethhdr *eth = data;
	struct xbr_fdb_key key = {};

	if ((void *)(eth + 1) > data_end)
		return NULL;
	__builtin_memcpy(key.mac, eth->h_dest, ETH_ALEN);
	return bpf_map_lookup_elem(&fdb, &key);
}

static __always_inline int fwd_xdp(struct xdp_md *ctx)
{
	struct xbr_fdb_entry *dst;

	dst = lookup_dst((void *)(long)ctx->data, (void *)(long)ctx->data_end);
	if (!dst)
		return XDP_PASS;
	return bpf_redirect_map(&tx_ports, dst->ifindex, XDP_PASS);
}

SEC("xdp")
int bench_fwd_xdp(struct xdp_md *ctx)
{
	return fwd_xdp(ctx);
}

/* The same for ports whose MTU does not fit a page (jumbo frames): a
 * multi-buffer frame, its headers in the first buffer, redirected whole. */
SEC("xdp.frags")
int bench_fwd_xdp_frags(struct xdp_md *ctx)
{
	return fwd_xdp(ctx);
}

SEC("tc")
int bench_fwd_tc(struct __sk_buff *skb)
{
	struct xbr_fdb_entry *dst;

	dst = lookup_dst((void *)(long)skb->data, (void *)(long)skb->data_end);
	if (!dst)
		return TC_ACT_OK;
	return bpf_redirect(dst->ifindex, 0);
}

char LICENSE[] SEC("license") = "Dual BSD/GPL";
