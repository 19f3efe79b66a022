// SPDX-License-Identifier: (GPL-2.0 OR BSD-2-Clause)
/*
 * xbr vport: the XDP program on the VM side of a vport. Every frame the
 * bridge sends to the VM arrives here on some rx queue of the veth (the
 * bridge side's tx queue for skbs, the sending CPU for XDP redirects) and
 * goes to the AF_XDP socket of that queue, as a multi-queue NIC hands each
 * queue's frames to the guest queue behind it.
 *
 * No socket at the queue: the frame is dropped and counted (no_socket).
 * XDP_PASS would hand VM traffic to the host's stack on an interface that
 * is not the VM: the host would answer ARP for its own addresses there
 * (arp_ignore 0) and a VM that is not running would look reachable. A NIC
 * whose queue has no consumer drops too.
 *
 * Since an XDP program runs here, the bridge side's veth xmit has NAPI on
 * this end, so the bridge side can take native XDP redirects (mode xdp).
 *
 * The probe program is never attached: `xbr vport show` test-runs it to
 * learn which XSKMAP keys hold a socket and the queue each is bound to,
 * since XSKMAP lookups from the bpf syscall are not supported.
 */
#include <linux/bpf.h>
#include <bpf/bpf_helpers.h>
#include <xbr/vport.h>

char LICENSE[] SEC("license") = "Dual BSD/GPL";

struct {
	__uint(type, BPF_MAP_TYPE_XSKMAP);
	__uint(max_entries, XBR_VPORT_MAX_QUEUES);
	__type(key, __u32);
	__type(value, __u32);
} xsks SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_PERCPU_ARRAY);
	__uint(max_entries, XBR_VPORT_MAX_QUEUES);
	__type(key, __u32);
	__type(value, struct xbr_vport_qstats);
} qstats SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(max_entries, 1);
	__type(key, __u32);
	__type(value, struct xbr_vport_info);
} info SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(max_entries, XBR_VPORT_MAX_QUEUES);
	__type(key, __u32);
	__type(value, struct xbr_vport_sock);
} socks SEC(".maps");

SEC("xdp")
int xbr_vport(struct xdp_md *ctx)
{
	__u32 len = ctx->data_end - ctx->data;
	__u32 queue = ctx->rx_queue_index;
	struct xbr_vport_qstats *st;
	long ret;

	/* A socket bound to another queue or device makes the redirect fail
	 * later, in xdp_do_redirect: the kernel drops it (xdp:xdp_redirect_err)
	 * and the probe shows the misbinding. */
	ret = bpf_redirect_map(&xsks, queue, XDP_DROP);
	st = bpf_map_lookup_elem(&qstats, &queue);
	if (st) {
		if (ret == XDP_REDIRECT) {
			st->xsk_packets++;
			st->xsk_bytes += len;
		} else {
			st->no_socket_packets++;
			st->no_socket_bytes += len;
		}
	}
	return ret;
}

SEC("xdp")
int xbr_vport_probe(struct xdp_md *ctx)
{
	(void)ctx;
	/* Unrolled: a key passed by pointer to a helper loses its bounds. */
#pragma unroll
	for (__u32 i = 0; i < XBR_VPORT_MAX_QUEUES; i++) {
		struct xbr_vport_sock s = {};
		struct bpf_xdp_sock *xs;
		__u32 key = i;

		xs = bpf_map_lookup_elem(&xsks, &key);
		if (xs) {
			s.present = 1;
			s.queue_id = xs->queue_id;
		}
		bpf_map_update_elem(&socks, &key, &s, BPF_ANY);
	}
	return XDP_PASS;
}
