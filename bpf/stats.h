/* SPDX-License-Identifier: (GPL-2.0 OR BSD-2-Clause) */
/* Per-port per-CPU counters: no atomics needed, user space sums the CPUs. */
#ifndef XBR_BPF_STATS_H
#define XBR_BPF_STATS_H

#include "maps.h"

static __always_inline struct xbr_port_stats *xbr_stats_by_id(__u32 id)
{
	return bpf_map_lookup_elem(&stats, &id);
}

static __always_inline struct xbr_port_stats *xbr_stats_of(const struct xbr_port *port)
{
	return xbr_stats_by_id(port->id);
}

static __always_inline void xbr_count_rx(struct xbr_port_stats *st, __u32 len)
{
	if (!st)
		return;
	st->rx_packets++;
	st->rx_bytes += len;
}

static __always_inline void xbr_count_tx(struct xbr_port_stats *st, __u32 len)
{
	if (!st)
		return;
	st->tx_packets++;
	st->tx_bytes += len;
}

static __always_inline void xbr_count_drop(struct xbr_port_stats *st,
					   enum xbr_drop_reason reason)
{
	if (!st || reason >= XBR_DROP_MAX)
		return;
	st->drops[reason]++;
}

/* tx counter of the port behind @ifindex, for the paths that know only that. */
static __always_inline void xbr_count_tx_ifindex(__u32 ifindex, __u32 len)
{
	struct xbr_port *port = bpf_map_lookup_elem(&ports, &ifindex);

	if (port)
		xbr_count_tx(xbr_stats_of(port), len);
}

#endif /* XBR_BPF_STATS_H */
