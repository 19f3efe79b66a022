/* SPDX-License-Identifier: GPL-2.0 */
/*
 * One virtqueue as seen by a device that lives in another process than the
 * driver: split (VIRTIO 1.2 section 2.7) or packed (2.8, VIRTIO_F_RING_PACKED).
 * Every index, descriptor and address in it is written by the guest, and is
 * validated here before use. The datapath sees one interface for both
 * layouts; virtq.c holds the common part and the split ring, virtq_packed.c
 * the packed ring.
 */
#ifndef XBR_VIRTQ_H
#define XBR_VIRTQ_H

#include <stdbool.h>
#include <stdint.h>
#include <sys/uio.h>
#include <linux/virtio_ring.h>

#include "vhost_log.h"
#include "vhost_mem.h"

/* 2.7 / 2.8: Queue Size is at most 32768 (a power of 2 for split rings). */
#define VIRTQ_MAX_SIZE		32768u
/*
 * Pieces one chain may translate into. A Linux guest uses at most
 * MAX_SKB_FRAGS + 2 descriptors per frame; more is a guest we do not serve.
 */
#define VIRTQ_MAX_IOV		64u

/* A ring position: the index, and for packed rings the wrap counter in
 * bit 15, as VHOST_USER_GET/SET_VRING_BASE carry it. */
#define VIRTQ_POS_WRAP		(1u << 15)

struct virtq_chain {
	uint16_t head;		/* split: head index; packed: buffer id */
	uint16_t ndesc;		/* ring slots it took (packed: used_idx skips them) */
	unsigned int niov;
	uint64_t len;		/* sum of the descriptor lengths */
	struct iovec iov[VIRTQ_MAX_IOV];
	/* The same bytes as guest-physical ranges, one per descriptor: what
	 * the dirty log marks when the device writes the buffer. */
	unsigned int nseg;
	struct virtq_seg {
		uint64_t gpa;
		uint32_t len;
	} seg[VIRTQ_MAX_IOV];
};

struct virtq {
	unsigned int index;	/* vhost-user vring index */
	unsigned int num;	/* 0 until SET_VRING_NUM */
	/* split: descriptor table, avail ring, used ring; packed: descriptor
	 * ring, driver event suppression, device event suppression */
	uint64_t desc_uva, avail_uva, used_uva;
	uint64_t log_gpa;	/* SET_VRING_ADDR log_guest_addr: where used writes log */
	bool addr_set;
	bool log_used;		/* VHOST_VRING_F_LOG: log writes to the ring itself */
	bool packed;		/* VIRTIO_F_RING_PACKED negotiated */

	/* Host pointers, valid while mapped. */
	struct vring_desc *desc;
	struct vring_avail *avail;
	struct vring_used *used;
	struct vring_packed_desc *pdesc;
	struct vring_packed_desc_event *driver_event, *device_event;
	uint64_t desc_gpa, device_event_gpa;	/* packed: for the dirty log */
	bool mapped;

	uint32_t base;		/* SET_VRING_BASE: where the ring (re)starts */
	uint16_t last_avail;	/* next avail entry (packed: slot) to take */
	bool avail_wrap;	/* packed: the driver's wrap counter at last_avail */
	uint16_t used_idx;	/* split: our copy of used->idx, published per batch;
				 * packed: next slot to write a used descriptor to */
	bool used_wrap;		/* packed: the device's wrap counter at used_idx */
	uint16_t batch_head;	/* packed: slot whose flags publish the batch */
	uint16_t batch_flags;
	bool batch_open;
	uint16_t signalled_used;	/* used_idx at the last interrupt */
	bool signalled_used_valid;
	bool event_idx;		/* VIRTIO_RING_F_EVENT_IDX negotiated */
	bool indirect;		/* VIRTIO_RING_F_INDIRECT_DESC negotiated */
	struct vhost_log *log;	/* the device's dirty log, or NULL */
	uint32_t *saved_pos;	/* packed: where to save the used position (ring_state.h) */

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
/*
 * A ring starts (SET_VRING_KICK) at @base (SET_VRING_BASE: a split ring's
 * avail index; for a packed ring, as QEMU and Linux's vhost encode it, the
 * avail position in bits 0-15 and the used one in bits 16-31). Nothing is
 * in flight when a ring stops, so a split ring resumes at the guest's used
 * index and a packed ring's used position is its avail position.
 */
void virtq_start(struct virtq *vq, uint32_t base);

static inline bool virtq_ready(const struct virtq *vq)
{
	return vq->started && vq->enabled && vq->mapped && !vq->broken;
}

/* Mark the ring unusable, log @fmt once, and tell the front-end (err fd). */
void virtq_break(struct virtq *vq, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

/* Whether the guest has made a chain available that we have not taken. */
bool virtq_has_avail(struct virtq *vq);

/*
 * Take the next available chain into @c, translated to host iovecs.
 * @device_writes: the chain must be all device-writable (RX) or all
 * device-readable (TX). Returns 1, 0 if the ring is empty, -1 if the guest
 * broke the ring (reason logged, ring stops).
 */
int virtq_pop(struct virtq *vq, const struct vhost_mem *mem,
	      struct virtq_chain *c, bool device_writes);
/* The position of the next pop, and going back to one: the chains popped
 * since are given back (nothing about them may have been pushed). */
static inline uint16_t virtq_pos(const struct virtq *vq)
{
	if (!vq->packed)
		return vq->last_avail;
	return vq->last_avail | (vq->avail_wrap ? VIRTQ_POS_WRAP : 0);
}

static inline void virtq_rewind(struct virtq *vq, uint16_t pos)
{
	if (!vq->packed) {
		vq->last_avail = pos;
		return;
	}
	vq->last_avail = pos & ~VIRTQ_POS_WRAP;
	vq->avail_wrap = pos & VIRTQ_POS_WRAP;
}

/* Where the ring stands, for GET_VRING_BASE (encoded as @base above). */
static inline uint32_t virtq_base(const struct virtq *vq)
{
	if (!vq->packed)
		return vq->last_avail;
	return virtq_pos(vq) | (uint32_t)(vq->used_idx |
					  (vq->used_wrap ? VIRTQ_POS_WRAP : 0)) << 16;
}

/* Whether a chain is available at position @pos (beyond what we saw). */
bool virtq_more_after(struct virtq *vq, uint16_t pos);

/* Record a used chain (@head, @ndesc as popped; @len bytes written); the
 * guest sees it at the next virtq_publish(). */
void virtq_push(struct virtq *vq, uint16_t head, uint16_t ndesc, uint32_t len);
void virtq_publish(struct virtq *vq);
/* 2.7.7 / 2.7.10 / 2.8.10: whether the guest wants an interrupt for what we
 * published since the last one. */
bool virtq_want_interrupt(struct virtq *vq);
/* Interrupt the guest if it wants one; true if we did. */
bool virtq_notify(struct virtq *vq);

/* Mark the device's writes to [@gpa, +@len) of guest buffers dirty. */
void virtq_log_chain(struct virtq *vq, const struct virtq_chain *c, uint64_t len);

/* 2.7.10 / 2.8.10: ask the guest not to kick while we are polling. */
void virtq_kicks_off(struct virtq *vq);
/*
 * Ask for kicks again, then look once more: a buffer made available
 * between our last look and the guest reading our request would otherwise
 * wait for a kick that never comes. True if there is work after all.
 */
static inline bool virtq_kicks_on(struct virtq *vq);
/* The same, but for buffers beyond position @seen rather than beyond
 * what we took: used while the guest's buffers were too few to use. */
bool virtq_kicks_on_after(struct virtq *vq, uint16_t seen);

static inline bool virtq_kicks_on(struct virtq *vq)
{
	return virtq_kicks_on_after(vq, virtq_pos(vq));
}

/* virtq_split.c: the operations on a split ring. */
bool vq_split_map(struct virtq *vq, const struct vhost_mem *mem);
int vq_split_avail(struct virtq *vq);
int vq_split_pop(struct virtq *vq, const struct vhost_mem *mem,
		 struct virtq_chain *c, bool device_writes);
void vq_split_push(struct virtq *vq, uint16_t head, uint32_t len);
void vq_split_publish(struct virtq *vq);
bool vq_split_want_interrupt(struct virtq *vq);
void vq_split_kicks_off(struct virtq *vq);
void vq_split_kicks_on_after(struct virtq *vq, uint16_t seen);

/* virtq_packed.c: the same operations on a packed ring. */
bool vq_packed_map(struct virtq *vq, const struct vhost_mem *mem);
int vq_packed_pop(struct virtq *vq, const struct vhost_mem *mem,
		  struct virtq_chain *c, bool device_writes);
bool vq_packed_more_after(struct virtq *vq, uint16_t pos);
void vq_packed_push(struct virtq *vq, uint16_t id, uint16_t ndesc, uint32_t len);
void vq_packed_publish(struct virtq *vq);
bool vq_packed_want_interrupt(struct virtq *vq);
void vq_packed_kicks_off(struct virtq *vq);
void vq_packed_kicks_on_after(struct virtq *vq, uint16_t seen);

/* Shared by both layouts (virtq.c). */
int virtq_add_buffer(struct virtq *vq, const struct vhost_mem *mem,
		     struct virtq_chain *c, uint64_t gpa, uint32_t len, unsigned int i);
void virtq_log_ring(struct virtq *vq, uint64_t gpa, uint64_t len);

#endif
