/* SPDX-License-Identifier: (GPL-2.0 OR BSD-2-Clause) */
/*
 * What user space hands the FDB upkeep programs (bpf/xbr_fdb.bpf.c), run
 * with BPF_PROG_RUN. Removals of learned entries go through them, not
 * through map syscalls, so the learned counts stay true.
 */
#ifndef XBR_FDB_CTL_H
#define XBR_FDB_CTL_H

#include <linux/types.h>

/* Program pin names under <bridge dir>/progs/. */
#define XBR_PROG_FDB_FLUSH	"fdb_flush"
#define XBR_PROG_FDB_GC		"fdb_gc"

/* struct xbr_fdb_flush_req.match: which entries go. */
enum {
	XBR_FLUSH_LEARNED	= 1 << 0,
	XBR_FLUSH_STATIC	= 1 << 1,
	/* The host port's own address: only with its port or its bridge. */
	XBR_FLUSH_LOCAL		= 1 << 2,
	/* Only the entry {mac, vlan}, if it is of a kind above. */
	XBR_FLUSH_KEY		= 1 << 3,
};

struct xbr_fdb_flush_req {
	__u32 ifindex;		/* entries of this port only; 0: every port */
	__u32 match;		/* XBR_FLUSH_* */
	__u8 mac[6];		/* XBR_FLUSH_KEY */
	__u16 vlan;
	__u32 removed;		/* out: entries removed */
	__u32 cause;		/* XBR_EV_DEL_*: what the removal events say */
};

#endif /* XBR_FDB_CTL_H */
