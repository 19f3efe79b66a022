// SPDX-License-Identifier: GPL-2.0
/*
 * A far end that counts and can be made slow: counts every frame it
 * receives (count[0] frames, count[1] bytes), spends config[0] bpf_loop
 * iterations on each, then drops it. Being an XDP program it also puts
 * its veth in NAPI mode, where a full ring stops the peer's queue instead
 * of dropping (veth backpressure), which is what xbr-vhost must propagate.
 */
#include <linux/bpf.h>
#include <bpf/bpf_helpers.h>

struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(max_entries, 2);
	__type(key, __u32);
	__type(value, __u64);
} count SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(max_entries, 1);
	__type(key, __u32);
	__type(value, __u64);
} config SEC(".maps");

static long spin(__u32 i, void *ctx)
{
	(void)i;
	(void)ctx;
	return 0;
}

SEC("xdp")
int sink(struct xdp_md *ctx)
{
	__u32 k0 = 0, k1 = 1;
	__u64 *frames = bpf_map_lookup_elem(&count, &k0);
	__u64 *bytes = bpf_map_lookup_elem(&count, &k1);
	__u64 *spins = bpf_map_lookup_elem(&config, &k0);

	if (frames)
		__sync_fetch_and_add(frames, 1);
	if (bytes)
		__sync_fetch_and_add(bytes, ctx->data_end - ctx->data);
	if (spins && *spins)
		bpf_loop(*spins, spin, NULL, 0);
	return XDP_DROP;
}

char LICENSE[] SEC("license") = "GPL";
