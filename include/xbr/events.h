/* SPDX-License-Identifier: (GPL-2.0 OR BSD-2-Clause) */
/*
 * A bridge's events, what `xbr monitor` prints: FDB learns, moves, ageing
 * and removals, dropped frames (a sample of their headers) and port
 * changes. The datapath, the reclaimer and the flush program write them
 * into the ring buffer "events"; the control plane (CLI, xbrd) through
 * the syscall program "event" (bpf/xbr_event.bpf.c). Events the datapath
 * makes are rate-limited per class (ev_rate): a MAC flood cannot swamp the
 * ring, and the next event that gets through says how many were left out.
 */
#ifndef XBR_EVENTS_H
#define XBR_EVENTS_H

#include <linux/types.h>
#include <xbr/bridge.h>

#define XBR_MAP_EVENTS		"events"
#define XBR_MAP_EV_RATE		"ev_rate"
#define XBR_PROG_EVENT		"event"
/* Where xbr monitor holds its flock: one reader of a bridge's ring. */
#define XBR_MONITOR_DIR		"monitor"

#define XBR_EVENTS_RING_SIZE	(256 * 1024)
#define XBR_EV_HDR_MAX		64

enum xbr_event_type {
	XBR_EV_FDB_LEARN = 1,	/* mac/vid now behind ifindex */
	XBR_EV_FDB_MOVE,	/* ... was behind old_ifindex */
	XBR_EV_FDB_AGE,		/* aged out (the reclaimer, or a lookup that found it old) */
	XBR_EV_FDB_DEL,		/* removed; arg: XBR_EV_DEL_* */
	XBR_EV_FDB_ADD,		/* a static or local entry; arg: XBR_FDB_F_* */
	XBR_EV_DROP,		/* a dropped frame; arg: its drop reason */
	XBR_EV_PORT_ADD,	/* name, ifindex */
	XBR_EV_PORT_DEL,
	XBR_EV_PORT_DOWN,	/* its link went down */
	XBR_EV_PORT_UP,
	XBR_EV_PORT_GONE,	/* its netdev went away; the port stays */
	XBR_EV_PORT_BACK,	/* a new netdev of its name took it over */
	XBR_EV_TYPE_MAX,
};

/* XBR_EV_FDB_DEL: why. */
enum {
	XBR_EV_DEL_CLI,		/* fdb del */
	XBR_EV_DEL_FLUSH,	/* fdb flush */
	XBR_EV_DEL_PORT,	/* its port was deleted */
	XBR_EV_DEL_LINK,	/* its port's link went down */
	XBR_EV_DEL_LOCK,	/* its port was locked and kept its newest MACs */
	XBR_EV_DEL_GONE,	/* its port's netdev is gone (a frame found it) */
	XBR_EV_DEL_ORPHAN,	/* learned while its port was leaving (the reclaimer) */
	XBR_EV_DEL_HOST_MAC,	/* the host port's old address: its MAC changed */
	XBR_EV_DEL_MAX,
};

/* Rate-limit classes (ev_rate's keys): what the datapath makes. */
enum {
	XBR_EVC_FDB,
	XBR_EVC_DROP,
	XBR_EVC_MAX,
};

#define XBR_EVC_FDB_PER_S	1000
#define XBR_EVC_DROP_PER_S	100

struct xbr_event {
	__u64 ns;		/* CLOCK_MONOTONIC */
	__u32 type;		/* XBR_EV_* */
	__u32 ifindex;
	__u32 old_ifindex;	/* XBR_EV_FDB_MOVE */
	__u32 arg;
	__u32 suppressed;	/* of its class, left out since the last one sent */
	__u16 vid;
	__u8 mac[6];
	__u16 len;		/* XBR_EV_DROP: the frame's length */
	__u16 hdr_len;		/* ... and how much of it is in hdr */
	__u8 hdr[XBR_EV_HDR_MAX];
	char name[XBR_IFNAMSIZ];	/* port events: the netdev's name */
};

/* ev_rate: array of XBR_EVC_MAX, one-second windows. */
struct xbr_ev_rate {
	__u64 window_ns;
	__u64 count;		/* events sent in the window */
	__u64 suppressed;	/* left out since the last one sent */
};

#endif /* XBR_EVENTS_H */
