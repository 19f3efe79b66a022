/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Where xbr-vhost left each packed ring, in a small file next to its socket
 * (SOCK.rings), so that a restarted xbr-vhost resumes a running guest's
 * packed rings. A split ring needs none: its used index is in guest memory.
 * A packed ring's position is only in the heads of the two sides, and QEMU
 * (7.2 at least) keeps none across a back-end restart: it sends the base it
 * had when the ring started, and the new back-end would wait at a slot the
 * guest left long ago. What is saved is only used if it is about the same
 * guest memory (the file's device and inode), ring and size, and if the
 * front-end has learnt nothing newer (it sends the very base the saved
 * state started from, and no GET_VRING_BASE answered since).
 */
#ifndef XBR_VHOST_RING_STATE_H
#define XBR_VHOST_RING_STATE_H

#include <stdint.h>

#include "vhost_mem.h"
#include "virtq.h"

struct ring_saved {
	uint64_t file_dev, file_ino;	/* the guest memory the ring is in */
	uint64_t desc_uva;
	uint32_t num;
	uint32_t base;		/* what the front-end's SET_VRING_BASE said */
	uint32_t pos;		/* used position (slot | wrap << 15) at the last publish */
	uint32_t valid;		/* pos is newer than anything the front-end knows */
};

/* Map @path (created if needed) holding @n rings; NULL if it cannot be. */
struct ring_saved *ring_state_open(const char *path, unsigned int n);
void ring_state_close(struct ring_saved *rs, unsigned int n);

/* A packed ring starts at front-end base @base: the base to really use. */
uint32_t ring_state_start(struct ring_saved *s, struct virtq *vq,
			  const struct vhost_mem *mem, uint32_t base);
/* GET_VRING_BASE answered: the front-end knows where the ring is. */
static inline void ring_state_stopped(struct ring_saved *s)
{
	s->valid = 0;
}

#endif
