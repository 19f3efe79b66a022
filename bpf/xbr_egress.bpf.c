// SPDX-License-Identifier: (GPL-2.0 OR BSD-2-Clause)
/*
 * xbr devmap egress: runs once per frame an XDP redirect sends out of a
 * port, flooded copies included, so tx counters see every copy.
 */
#include "maps.h"
#include "stats.h"

char LICENSE[] SEC("license") = "Dual BSD/GPL";

SEC("xdp/devmap")
int xbr_egress(struct xdp_md *ctx)
{
	void *data = (void *)(long)ctx->data;
	void *data_end = (void *)(long)ctx->data_end;

	xbr_count_tx_ifindex(ctx->egress_ifindex, data_end - data);
	return XDP_PASS;
}
