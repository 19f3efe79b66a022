/* SPDX-License-Identifier: GPL-2.0 */
/*
 * --takeover VPORT: the guest served here may arrive by live migration
 * from VPORT on the same bridge, whose bridge side is locked to the
 * guest's MAC (`xbr vport add ... mac`). A MAC belongs to one port only,
 * so until the guest runs here this vport is locked with no MAC at all
 * (pending: it forwards nothing the VM side sends); when it runs here (the
 * front-end starts the device, or sends SEND_RARP), the MAC moves: VPORT
 * stays locked without it, this vport owns it. See README.md "Live
 * migration".
 */
#ifndef XBR_VHOST_TAKEOVER_H
#define XBR_VHOST_TAKEOVER_H

#include <stdbool.h>
#include <stdint.h>

struct takeover {
	const char *bridge, *vport, *from;
	char port[16], from_port[16];	/* their bridge sides: the locked ports */
	uint8_t mac[6];
	bool active;		/* a lock to take over */
	bool done;		/* this vport owns the MAC */
};

/* Look both vports up and make this one pending. 0 or -1 (logged). */
int takeover_init(struct takeover *t, const char *bridge, const char *vport,
		  const char *from);
/* The guest runs here (@why): move the lock if not done yet. 0 or -1. */
int takeover_claim(struct takeover *t, const char *why);

#endif
