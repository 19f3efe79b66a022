/* SPDX-License-Identifier: (GPL-2.0 OR BSD-2-Clause) */
/*
 * XDP's decision, handed to tc in XDP metadata. A frame the XDP program
 * decided but cannot carry out (its egress port takes no XDP redirect, its
 * checksum may be partial, it is too large to check in XDP, a flood port
 * runs tc only) is passed up with this in front of it; the tc program
 * carries the decision out instead of parsing, checking, learning and
 * looking up again. tun (a VM's tap) and veth keep the metadata of an
 * XDP_PASS for tc (docs/FACTS.md); where it is missing, tc decides itself.
 */
#ifndef XBR_HANDOFF_H
#define XBR_HANDOFF_H

#include <linux/types.h>

#define XBR_HANDOFF_MAGIC	0x78627231	/* "xbr1" */

/* struct xbr_handoff.flags */
enum {
	XBR_HANDOFF_F_FLOOD	= 1 << 0,	/* else unicast to out_ifindex */
	XBR_HANDOFF_F_TAGGED	= 1 << 1,	/* unicast: leaves tagged vid */
	XBR_HANDOFF_F_PINNED	= 1 << 2,	/* unicast: a static or local FDB entry */
};

struct xbr_handoff {
	__u32 magic;
	__u32 in_ifindex;	/* the port XDP saw it on: tc checks it is the same */
	__u64 ports_gen;	/* the bridge's xbr_config.ports_gen then */
	__u32 out_ifindex;
	__u32 out_port_id;
	__u16 vid;
	__u8 flags;		/* XBR_HANDOFF_F_* */
	__u8 pad;
};

#endif /* XBR_HANDOFF_H */
