// SPDX-License-Identifier: (GPL-2.0 OR BSD-2-Clause)
/*
 * The control plane's events for xbr monitor (xbr/events.h): the CLI and
 * xbrd say what they changed (a port added, removed, down, up, gone, back;
 * a static entry added) by running this program on the event with
 * BPF_PROG_RUN. A program, because only BPF writes into a BPF ring buffer.
 * Not rate-limited: these follow an operator's or a link's changes.
 */
#include "maps.h"

char LICENSE[] SEC("license") = "Dual BSD/GPL";

SEC("syscall")
int xbr_event(struct xbr_event *ctx)
{
	struct xbr_event e = *ctx;

	if (e.type < XBR_EV_FDB_ADD || e.type >= XBR_EV_TYPE_MAX || e.type == XBR_EV_DROP)
		return -1;	/* the datapath's own kinds come from the datapath */
	e.ns = bpf_ktime_get_ns();
	e.suppressed = 0;
	return bpf_ringbuf_output(&events, &e, sizeof(e), 0) ? -1 : 0;
}
