/* SPDX-License-Identifier: (GPL-2.0 OR BSD-2-Clause) */
/*
 * xbr trace: the steps of one frame's forwarding decision, as the trace
 * program (bpf/xbr_trace.bpf.c) records them. It runs the datapath's own
 * decision code (bpf/fwd.h) in a mode that changes nothing: no learning,
 * no counters, no reclaiming, no redirect; it evaluates each egress port's
 * policy itself. User space runs it with BPF_PROG_RUN on a crafted frame
 * and reads the record from the per-CPU map "trace" of the CPU it ran on.
 */
#ifndef XBR_TRACE_H
#define XBR_TRACE_H

#include <linux/types.h>
#include <xbr/bridge.h>

#define XBR_MAP_TRACE		"trace"
#define XBR_PROG_TRACE		"trace"
/* A flood records a step per port: room for all and the rest. */
#define XBR_TRACE_STEPS_MAX	(XBR_MAX_PORTS + 64)

enum xbr_trace_step_kind {
	XBR_TS_INGRESS,		/* ifindex: the port, arg: its flags */
	XBR_TS_VLAN,		/* vid: the frame's VLAN; result: XBR_TR_* */
	XBR_TS_SRC,		/* source MAC checks: XBR_TR_SRC_* */
	XBR_TS_IP,		/* IP lock: XBR_TR_* (arg: the drop reason) */
	XBR_TS_GUARD,		/* first-hop guards: XBR_TR_* (arg: the drop reason) */
	XBR_TS_LEARN,		/* XBR_TR_LEARN_*; ifindex: the old port of a move */
	XBR_TS_LOOKUP,		/* XBR_TR_LOOKUP_*; ifindex: the port; arg: its FDB flags */
	XBR_TS_EGRESS,		/* one port the frame would leave by: XBR_TR_OUT_* */
	XBR_TS_PATH,		/* which program carries it out: XBR_TR_PATH_* */
	XBR_TS_VERDICT,		/* XBR_TR_V_*; arg: the drop reason */
};

enum {
	XBR_TR_OK,
	XBR_TR_DROP,		/* arg: enum xbr_drop_reason */
	XBR_TR_SKIPPED,		/* not asked for on this port */
};

/* XBR_TS_SRC */
enum {
	XBR_TR_SRC_OPEN = 3,	/* no MAC checks on this port and bridge */
	XBR_TR_SRC_FREE,	/* owned by no port: may be sent from here */
	XBR_TR_SRC_OWN,		/* the port's own (configured or learned) */
	XBR_TR_SRC_WOULD_OWN,	/* a locked port would make it its own (max-macs) */
	XBR_TR_SRC_SPOOF,	/* another port's: dropped (mac_spoof) */
	XBR_TR_SRC_LOCKED,	/* a locked port may not send from it: dropped */
};

/* XBR_TS_LEARN */
enum {
	XBR_TR_LEARN_OFF = 3,	/* learning off on the port */
	XBR_TR_LEARN_NEW,	/* would be learned */
	XBR_TR_LEARN_REFRESH,	/* known behind this port: refreshed */
	XBR_TR_LEARN_MOVE,	/* known behind another (ifindex): would move */
	XBR_TR_LEARN_PINNED,	/* a static or local entry: never learned over */
	XBR_TR_LEARN_LIMITED,	/* the port is at its learn-limit */
	XBR_TR_LEARN_FULL,	/* the bridge is at fdb-max-learned */
};

/* XBR_TS_LOOKUP */
enum {
	XBR_TR_LOOKUP_HIT = 3,	/* known: ifindex, arg = XBR_FDB_F_* */
	XBR_TR_LOOKUP_MISS,	/* unknown: flooded */
	XBR_TR_LOOKUP_AGED,	/* known once, aged out: flooded */
	XBR_TR_LOOKUP_GROUP,	/* broadcast or multicast: flooded */
	XBR_TR_LOOKUP_STALE,	/* its port left or its netdev is gone: flooded */
};

/* XBR_TS_EGRESS */
enum {
	XBR_TR_OUT_UNTAGGED = 3,
	XBR_TR_OUT_TAGGED,	/* vid: the tag */
	XBR_TR_OUT_NOT_MEMBER,	/* not in the frame's VLAN: no copy */
	XBR_TR_OUT_DOWN,	/* its link is down: no copy (port_down) */
	XBR_TR_OUT_GONE,	/* its netdev is gone: no copy */
	XBR_TR_OUT_MTU,		/* larger than its MTU: no copy (mtu) */
	XBR_TR_OUT_INGRESS,	/* the port it came in by: no copy */
};

/* XBR_TS_PATH */
enum {
	XBR_TR_PATH_XDP = 3,	/* an XDP redirect */
	XBR_TR_PATH_TC,		/* tc (the port runs no XDP, or XDP passes it: arg) */
};

/* XBR_TS_PATH, XBR_TR_PATH_TC: why XDP hands the frame to tc */
enum {
	XBR_TR_TC_NO_XDP = 1,	/* the ingress port runs tc only */
	XBR_TR_TC_TARGET,	/* an egress port takes no XDP redirect */
	XBR_TR_TC_CSUM,		/* its checksum may be partial (untrusted port) */
	XBR_TR_TC_SIZE,		/* larger than XDP checks MTUs for */
};

/* XBR_TS_VERDICT */
enum {
	XBR_TR_V_NOT_OURS = 3,	/* not a port of the bridge: left to the stack */
	XBR_TR_V_DROP,		/* arg: the reason */
	XBR_TR_V_UNICAST,	/* to the one XBR_TS_EGRESS port */
	XBR_TR_V_FLOOD,		/* to the XBR_TS_EGRESS ports with a copy */
};

struct xbr_trace_step {
	__u8 kind;		/* enum xbr_trace_step_kind */
	__u8 result;
	__u16 vid;
	__u32 ifindex;
	__u32 arg;
};

/* trace: per-CPU array of one. */
struct xbr_trace_record {
	__u32 nr;
	__u32 cookie;		/* the run's skb mark: which run wrote the record */
	struct xbr_trace_step steps[XBR_TRACE_STEPS_MAX];
};

#endif /* XBR_TRACE_H */
