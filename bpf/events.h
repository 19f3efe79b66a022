/* SPDX-License-Identifier: (GPL-2.0 OR BSD-2-Clause) */
/*
 * Events for xbr monitor (xbr/events.h) from the datapath, the reclaimer
 * and the flush program: FDB changes and dropped frames, at most so many a
 * second per class. Only rare paths make them (a new station, a move, a
 * drop): forwarding a frame of a known station makes none.
 */
#ifndef XBR_BPF_EVENTS_H
#define XBR_BPF_EVENTS_H

#include <linux/if_ether.h>
#include "maps.h"

/* A slot in the ring for one event of @class, or NULL: over the class's
 * rate (or the ring is full, nobody reading), counted as suppressed. */
static __always_inline struct xbr_event *xbr_event_reserve(__u32 class, __u32 type)
{
	__u32 limit = class == XBR_EVC_DROP ? XBR_EVC_DROP_PER_S : XBR_EVC_FDB_PER_S;
	struct xbr_ev_rate *r = bpf_map_lookup_elem(&ev_rate, &class);
	struct xbr_event *e;
	__u64 now;

	if (!r)
		return NULL;
	/* Not the coarse clock: syscall programs (flush) may not read it. */
	now = bpf_ktime_get_ns();
	if (now - r->window_ns > 1000000000ULL || now < r->window_ns) {
		/* Racy across CPUs by a few events at the window's edge. */
		r->window_ns = now;
		r->count = 0;
	}
	if (__sync_fetch_and_add(&r->count, 1) >= limit) {
		__sync_fetch_and_add(&r->suppressed, 1);
		return NULL;
	}
	e = bpf_ringbuf_reserve(&events, sizeof(*e), 0);
	if (!e) {
		__sync_fetch_and_add(&r->suppressed, 1);
		return NULL;
	}
	__builtin_memset(e, 0, sizeof(*e));
	e->ns = now;
	e->type = type;
	e->suppressed = __sync_fetch_and_and(&r->suppressed, 0);
	return e;
}

static __always_inline void xbr_event_fdb(__u32 type, const __u8 *mac, __u16 vid,
					  __u32 ifindex, __u32 old_ifindex, __u32 arg)
{
	struct xbr_event *e = xbr_event_reserve(XBR_EVC_FDB, type);

	if (!e)
		return;
	__builtin_memcpy(e->mac, mac, ETH_ALEN);
	e->vid = vid;
	e->ifindex = ifindex;
	e->old_ifindex = old_ifindex;
	e->arg = arg;
	bpf_ringbuf_submit(e, 0);
}

/* A dropped frame's event; *@copy: how many of its first bytes the caller
 * copies into hdr (1..XBR_EV_HDR_MAX, or 0: none). */
static __always_inline struct xbr_event *xbr_event_drop(__u32 ifindex, __u32 reason, __u32 len,
							__u32 *copy)
{
	struct xbr_event *e = xbr_event_reserve(XBR_EVC_DROP, XBR_EV_DROP);
	__u32 n = len;

	if (!e)
		return NULL;
	if (n > XBR_EV_HDR_MAX)
		n = XBR_EV_HDR_MAX;
	/* Keep the two bounds two tests: the verifier follows those. */
	barrier_var(n);
	*copy = n;
	e->ifindex = ifindex;
	e->arg = reason;
	e->len = len;
	e->hdr_len = n;
	return e;
}

#endif /* XBR_BPF_EVENTS_H */
