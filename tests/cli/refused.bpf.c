// SPDX-License-Identifier: (GPL-2.0 OR BSD-2-Clause)
/*
 * Programs the verifier must refuse, named like the bridge's and declaring
 * its maps, so that `bridge reload NAME objects DIR` gets past opening and
 * map reuse and fails where a buggy build would: in the kernel's verifier.
 * Each reads a byte of the frame without checking the frame is that long.
 * tests/cli/test-reload-refused.sh copies this object in as xbr_tc.bpf.o or
 * xbr_egress.bpf.o beside this build's other objects.
 */
#include <linux/bpf.h>
#include <linux/pkt_cls.h>
#include <bpf/bpf_helpers.h>
#include "maps.h"

char LICENSE[] SEC("license") = "Dual BSD/GPL";

SEC("tc")
int xbr_tc(struct __sk_buff *skb)
{
	__u8 *data = (void *)(long)skb->data;

	return data[12] == 0x81 ? TC_ACT_SHOT : TC_ACT_OK;
}

SEC("xdp/devmap")
int xbr_egress(struct xdp_md *ctx)
{
	__u8 *data = (void *)(long)ctx->data;

	return data[12] == 0x81 ? XDP_DROP : XDP_PASS;
}
