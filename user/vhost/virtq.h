/* SPDX-License-Identifier: GPL-2.0 */
/*
 * One split virtqueue (VIRTIO 1.2 section 2.7) as seen by a device that
 * lives in another process than the driver: every index, descriptor and
 * address in it is written by the guest, and is validated here before use.
 */
#ifndef XBR_VIRTQ_H
#define XBR_VIRTQ_H

#include <stdbool.h>
#include <stdint.h>
#include <sys/uio.h>
#include <linux/virtio_ring.h>

#include "vhost_mem.h"

/* 2.7 "Split Virtqueues": Queue Size is a power of 2, at most 32768. */
#define VIRTQ_MAX_SIZE		32768u
/*
 * Pieces one chain may translate into. A Linux guest uses at most
 * MAX_SKB_FRAGS + 2 descriptors per frame; more is a guest we do not serve.
 */
#define VIRTQ_MAX_IOV		64u

struct virtq_chain {
	uint16_t head;		/* the id that goes back in the used ring */
	unsigned int niov;
	uint64_t len;		/* sum of the descriptor lengths */
	struct iovec iov[VIRTQ_MAX_IOV];
};

struct virtq {
	unsigned int index;	/* vhost-user vring index */
	unsigned int num;	/* 0 until SET_VRING_NUM */
	uint64_t desc_uva, avail_uva, used_uva;
	bool addr_set;

	/* Host pointers, valid while mapped. */
	struct vring_desc *desc;
	struct vring_avail *avail;
	struct vring_used *used;
	bool mapped;

	uint16_t last_avail;	/* next avail entry to take */
	uint16_t used_idx;	/* our copy of used->idx, published per batch */
	uint16_t signalled_used;	/* used_idx at the last interrupt */
	bool signalled_used_valid;
	bool event_idx;		/* VIRTIO_RING_F_EVENT_IDX negotiated */
	bool indirect;		/* VIRTIO_RING_F_INDIRECT_DESC negotiated */

	int kick_fd, call_fd, err_fd;	/* -1: none */
	unsigned int kick_gen;	/* bumped whenever kick_fd changes */
	bool started;		/* has a kick fd, and no GET_VRING_BASE since */
	bool enabled;		/* SET_VRING_ENABLE (or started, pre-protocol) */
	bool kicks_off;		/* we told the guest not to kick */
	const char *broken;	/* why the guest lost this device, or NULL */
	char broken_why[160];
};

void virtq_init(struct virtq *vq, unsigned int index);
/* Forget everything about the ring; closes its fds. */
void virtq_reset(struct virtq *vq);
/* Translate the ring addresses through @mem; false (ring broken) if not. */
bool virtq_map(struct virtq *vq, const struct vhost_mem *mem);

static inline bool virtq_ready(const struct virtq *vq)
{
	return vq->started && vq->enabled && vq->mapped && !vq->broken;
}

/* Mark the ring unusable, log @fmt once, and tell the front-end (err fd). */
void virtq_break(struct virtq *vq, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

/* New buffers the guest made available; -1 if the index is bogus (broken). */
int virtq_avail(struct virtq *vq);

/*
 * Take the next available chain into @c, translated to host iovecs.
 * @device_writes: the chain must be all device-writable (RX) or all
 * device-readable (TX). Returns 1, 0 if the ring is empty, -1 if the guest
 * broke the ring (reason logged, ring stops).
 */
int virtq_pop(struct virtq *vq, const struct vhost_mem *mem,
	      struct virtq_chain *c, bool device_writes);
/* Give back the last @n popped chains (nothing about them was published). */
void virtq_unpop(struct virtq *vq, unsigned int n);
/* Record a used element; seen by the guest at the next virtq_publish(). */
void virtq_push(struct virtq *vq, uint16_t head, uint32_t len);
void virtq_publish(struct virtq *vq);
/* 2.7.7 / 2.7.10: whether the guest wants an interrupt for what we
 * published since the last one. */
bool virtq_want_interrupt(struct virtq *vq);
/* Interrupt the guest if it wants one; true if we did. */
bool virtq_notify(struct virtq *vq);

/* 2.7.7 / 2.7.10: ask the guest not to kick while we are polling. */
void virtq_kicks_off(struct virtq *vq);
/*
 * Ask for kicks again, then look once more: a buffer made available
 * between our last look and the guest reading our request would otherwise
 * wait for a kick that never comes. True if there is work after all.
 */
bool virtq_kicks_on(struct virtq *vq);
/* The same, but for buffers beyond avail index @seen rather than beyond
 * what we took: used while the guest's buffers were too few to use. */
bool virtq_kicks_on_after(struct virtq *vq, uint16_t seen);

#endif
