/* SPDX-License-Identifier: (GPL-2.0 OR BSD-2-Clause) */
/*
 * vports: a VM's AF_XDP port. A veth pair: the VM side NAME carries the
 * VM's AF_XDP sockets (QEMU's -netdev af-xdp or xbr-vhost bind there), the
 * bridge side NAME-br is an ordinary port of the bridge. Each vport's maps
 * and programs are pinned under <pin-root>/xbr/<bridge>/vports/<NAME>/.
 */
#ifndef XBR_VPORT_H
#define XBR_VPORT_H

#include <linux/types.h>
#include <xbr/bridge.h>

/* Queues of one vport: the veth's rx/tx queues and the XSKMAP size. */
#define XBR_VPORT_MAX_QUEUES	16
/* The bridge side is NAME + this suffix, so NAME has at most 12 chars. */
#define XBR_VPORT_PEER_SUFFIX	"-br"
#define XBR_VPORT_NAME_MAX	(XBR_IFNAMSIZ - 1 - (int)(sizeof(XBR_VPORT_PEER_SUFFIX) - 1))

/* Pin names under <pin-root>/xbr/<bridge>/vports/<NAME>/. */
#define XBR_VPORT_DIR		"vports"
#define XBR_VPORT_MAP_XSKS	"xsks"		/* XSKMAP: rx queue -> AF_XDP socket */
#define XBR_VPORT_MAP_QSTATS	"qstats"	/* per-CPU counters per queue */
#define XBR_VPORT_MAP_INFO	"info"		/* the vport's record */
#define XBR_VPORT_MAP_SOCKS	"socks"		/* written by the probe program */
#define XBR_VPORT_PROG		"prog"		/* XDP program on NAME */
#define XBR_VPORT_PROG_PROBE	"probe"		/* reports which keys hold a socket */
#define XBR_VPORT_LINK		"link"		/* its XDP link on NAME */

/* struct xbr_vport_info.flags */
enum {
	XBR_VPORT_F_MAC = 1 << 0,	/* mac holds the VM's address */
};

/* info: array of one. */
struct xbr_vport_info {
	char name[XBR_IFNAMSIZ];	/* VM side: QEMU's ifname= */
	char peer[XBR_IFNAMSIZ];	/* bridge side: the bridge port */
	__u32 ifindex;
	__u32 peer_ifindex;
	__u32 queues;
	__u32 flags;			/* XBR_VPORT_F_* */
	__u8 mac[6];			/* the VM's MAC: the bridge side is locked to it */
	__u8 pad[2];
};

/* qstats: per-CPU array indexed by rx queue. Frames towards the VM. */
struct xbr_vport_qstats {
	__u64 xsk_packets;	/* handed to the queue's socket */
	__u64 xsk_bytes;
	__u64 no_socket_packets; /* dropped: no socket at this queue */
	__u64 no_socket_bytes;
};

/* socks: array indexed by XSKMAP key, refreshed by each probe run. */
struct xbr_vport_sock {
	__u32 present;		/* a socket sits at this key */
	__u32 queue_id;		/* the queue that socket is bound to */
};

#endif /* XBR_VPORT_H */
