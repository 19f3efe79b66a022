// SPDX-License-Identifier: GPL-2.0
/* xdpgen's program: each live frame BPF_PROG_TEST_RUN injects goes out of
 * the device it "arrived" on; and xdp_pass, for a veth that must take
 * XDP frames (NAPI) but hand them to its stack. */
#include <linux/bpf.h>
#include <bpf/bpf_helpers.h>

SEC("xdp")
int xdp_tx(struct xdp_md *ctx)
{
	(void)ctx;
	return XDP_TX;
}

SEC("xdp")
int xdp_pass(struct xdp_md *ctx)
{
	(void)ctx;
	return XDP_PASS;
}

char LICENSE[] SEC("license") = "GPL";
