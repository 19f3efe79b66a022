// SPDX-License-Identifier: GPL-2.0
/*
 * Stand-in for the vport's XDP program, for the benchmark only (its DPDK
 * peer runs on a bare veth, so xbr-vhost does too): every frame received
 * on the VM side of the veth goes to the AF_XDP socket of its receive
 * queue; with no socket there, it is dropped, as a NIC with no queue
 * behind it would.
 */
#include <linux/bpf.h>
#include <bpf/bpf_helpers.h>

struct {
	__uint(type, BPF_MAP_TYPE_XSKMAP);
	__uint(max_entries, 8);
	__type(key, __u32);
	__type(value, __u32);
} xsks SEC(".maps");

SEC("xdp")
int xsk_redirect(struct xdp_md *ctx)
{
	return bpf_redirect_map(&xsks, ctx->rx_queue_index, XDP_DROP);
}

char LICENSE[] SEC("license") = "GPL";
