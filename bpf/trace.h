/* SPDX-License-Identifier: (GPL-2.0 OR BSD-2-Clause) */
/*
 * Recording the steps of a decision for xbr trace (include/xbr/trace.h).
 * The datapath's programs pass no record: @tr is NULL there, known so at
 * compile time, and every call compiles away with the branches that only
 * a trace takes (which change nothing where the datapath acts).
 */
#ifndef XBR_BPF_TRACE_H
#define XBR_BPF_TRACE_H

#include <xbr/trace.h>

static __always_inline void xbr_trace_step(struct xbr_trace_record *tr, __u8 kind, __u8 result,
					   __u16 vid, __u32 ifindex, __u32 arg)
{
	__u32 i;

	if (!tr)
		return;
	i = tr->nr;
	if (i >= XBR_TRACE_STEPS_MAX)
		return;
	tr->steps[i].kind = kind;
	tr->steps[i].result = result;
	tr->steps[i].vid = vid;
	tr->steps[i].ifindex = ifindex;
	tr->steps[i].arg = arg;
	tr->nr = i + 1;
}

#endif /* XBR_BPF_TRACE_H */
