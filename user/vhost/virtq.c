// SPDX-License-Identifier: GPL-2.0
/*
 * Virtqueue, device side: what split and packed rings share, and the split
 * ring (VIRTIO 1.2 section 2.7). The guest can rewrite any byte of the
 * rings at any time: each field is read once into a local before it is
 * checked, and the checked copy is what is used.
 */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "virtq.h"
#include "log.h"

#define READ_ONCE(x)	(*(const volatile typeof(x) *)&(x))
#define WRITE_ONCE(x, v) (*(volatile typeof(x) *)&(x) = (v))

void virtq_init(struct virtq *vq, unsigned int index)
{
	unsigned int gen = vq->kick_gen;

	memset(vq, 0, sizeof(*vq));
	vq->index = index;
	vq->kick_gen = gen + 1;
	vq->kick_fd = vq->call_fd = vq->err_fd = -1;
}

void virtq_reset(struct virtq *vq)
{
	struct vhost_log *log = vq->log;

	if (vq->kick_fd >= 0)
		close(vq->kick_fd);
	if (vq->call_fd >= 0)
		close(vq->call_fd);
	if (vq->err_fd >= 0)
		close(vq->err_fd);
	virtq_init(vq, vq->index);
	vq->log = log;
}

void virtq_break(struct virtq *vq, const char *fmt, ...)
{
	static const uint64_t one = 1;
	va_list ap;

	if (vq->broken)
		return;
	va_start(ap, fmt);
	vsnprintf(vq->broken_why, sizeof(vq->broken_why), fmt, ap);
	va_end(ap);
	vq->broken = vq->broken_why;
	log_err("vring %u broken by the guest: %s (the device stops until "
		"the guest resets it)", vq->index, vq->broken);
	/* vhost-user.rst, SET_VRING_ERR: "the back-end can use it to
	 * signal errors". QEMU then reports it; the guest sees a dead queue. */
	if (vq->err_fd >= 0 && write(vq->err_fd, &one, sizeof(one)) < 0)
		log_warn("vring %u: err fd: %m", vq->index);
}

/* ---- dirty log ----------------------------------------------------------- */

void virtq_log_ring(struct virtq *vq, uint64_t gpa, uint64_t len)
{
	/* vhost-user.rst "Migration": writes to the ring are logged only
	 * while the front-end asks for it with VHOST_VRING_F_LOG. */
	if (vq->log_used && vhost_log_on(vq->log))
		vhost_log_write(vq->log, gpa, len);
}

/* A split ring's used ring logs at log_guest_addr + the offset written. */
static void log_used(struct virtq *vq, const void *p, uint64_t len)
{
	if (vq->log_used && vhost_log_on(vq->log))
		vhost_log_write(vq->log, vq->log_gpa + ((const uint8_t *)p -
							 (const uint8_t *)vq->used), len);
}

void virtq_log_chain(struct virtq *vq, const struct virtq_chain *c, uint64_t len)
{
	if (!vhost_log_on(vq->log))
		return;
	for (unsigned int i = 0; i < c->nseg && len; i++) {
		uint64_t n = c->seg[i].len < len ? c->seg[i].len : len;

		vhost_log_write(vq->log, c->seg[i].gpa, n);
		len -= n;
	}
}

/* ---- shared by both layouts ---------------------------------------------- */

/* Append buffer [@gpa, +@len) of descriptor @i to @c. */
int virtq_add_buffer(struct virtq *vq, const struct vhost_mem *mem,
		     struct virtq_chain *c, uint64_t gpa, uint32_t len, unsigned int i)
{
	int pieces;

	if (!len)
		return 0;
	pieces = vhost_mem_gpa_iov(mem, gpa, len, &c->iov[c->niov], VIRTQ_MAX_IOV - c->niov);
	if (pieces < 0) {
		virtq_break(vq, "descriptor %u [0x%llx, +%u) is outside guest memory or the "
			    "chain has over %u pieces", i, (unsigned long long)gpa, len,
			    VIRTQ_MAX_IOV);
		return -1;
	}
	/* Each non-empty descriptor is at least one piece: never more
	 * segments than iovecs. */
	c->seg[c->nseg].gpa = gpa;
	c->seg[c->nseg].len = len;
	c->nseg++;
	c->niov += pieces;
	c->len += len;
	return 0;
}

static bool split_map(struct virtq *vq, const struct vhost_mem *mem)
{
	/* 2.7 "Split Virtqueues": sizes and alignments of the three parts;
	 * used_event / avail_event exist with EVENT_IDX only. */
	uint64_t n = vq->num, ev = vq->event_idx ? 2 : 0;

	if (vq->num & (vq->num - 1)) {
		virtq_break(vq, "split ring of size %u, not a power of 2", vq->num);
		return false;
	}
	vq->desc = vhost_mem_uva(mem, vq->desc_uva, 16 * n);
	vq->avail = vhost_mem_uva(mem, vq->avail_uva, 4 + 2 * n + ev);
	vq->used = vhost_mem_uva(mem, vq->used_uva, 4 + 8 * n + ev);
	if (!vq->desc || !vq->avail || !vq->used) {
		virtq_break(vq, "ring addresses outside guest memory "
			    "(desc 0x%llx avail 0x%llx used 0x%llx, size %u)",
			    (unsigned long long)vq->desc_uva,
			    (unsigned long long)vq->avail_uva,
			    (unsigned long long)vq->used_uva, vq->num);
		return false;
	}
	if ((uintptr_t)vq->desc % 16 || (uintptr_t)vq->avail % 2 ||
	    (uintptr_t)vq->used % 4) {
		virtq_break(vq, "misaligned ring addresses");
		return false;
	}
	return true;
}

bool virtq_map(struct virtq *vq, const struct vhost_mem *mem)
{
	vq->mapped = false;
	if (!vq->num || !vq->addr_set) {
		virtq_break(vq, "started before its size and addresses were set");
		return false;
	}
	vq->mapped = vq->packed ? vq_packed_map(vq, mem) : split_map(vq, mem);
	return vq->mapped;
}

void virtq_start(struct virtq *vq, uint32_t base)
{
	vq->signalled_used_valid = false;
	vq->kicks_off = false;
	vq->batch_open = false;
	if (vq->packed) {
		vq->last_avail = base & 0x7fff;
		vq->avail_wrap = base & VIRTQ_POS_WRAP;
		vq->used_idx = vq->last_avail;
		vq->used_wrap = vq->avail_wrap;
		if (vq->mapped && vq->last_avail >= vq->num)
			virtq_break(vq, "ring base %u beyond ring size %u", vq->last_avail,
				    vq->num);
		/* A used position behind the avail one would be chains in
		 * flight, which we never leave (0: a front-end that does
		 * not say, as DPDK's virtio_user). */
		else if (base >> 16 && base >> 16 != (base & 0xffff))
			log_warn("vring %u: used position 0x%x differs from avail 0x%x; "
				 "resuming at avail", vq->index, base >> 16, base & 0xffff);
		return;
	}
	vq->last_avail = base;
	vq->avail_wrap = false;
	if (base > 0xffff)
		virtq_break(vq, "split ring base %u beyond 65535", base);
	if (!vq->mapped)
		return;
	/* We complete every chain before returning to the event loop, so
	 * the guest's used index is where we resume, and it equals the base
	 * the front-end got from the ring's last GET_VRING_BASE (after a
	 * migration: from the source). If it does not, used entries the
	 * guest never saw were lost on the way: a migration whose source
	 * did not log its used ring writes. The guest keeps going with
	 * fewer buffers; say so. */
	vq->used_idx = __atomic_load_n(&vq->used->idx, __ATOMIC_ACQUIRE);
	if (vq->used_idx != vq->last_avail)
		log_warn("vring %u: the guest's used index is %u, the ring base %u: "
			 "%u completions never reached this guest memory", vq->index,
			 vq->used_idx, vq->last_avail, (uint16_t)(vq->last_avail - vq->used_idx));
}

/* ---- split ring ---------------------------------------------------------- */

/* New buffers the guest made available; -1 if the index is bogus (broken). */
static int split_avail(struct virtq *vq)
{
	uint16_t idx = __atomic_load_n(&vq->avail->idx, __ATOMIC_ACQUIRE);
	uint16_t n = idx - vq->last_avail;

	/* 2.7.13: the driver never has more than Queue Size entries out. */
	if (n > vq->num) {
		virtq_break(vq, "avail idx %u is %u ahead of %u, ring size %u",
			    idx, n, vq->last_avail, vq->num);
		return -1;
	}
	return n;
}

/*
 * 2.7.5.3 Indirect descriptors: @d points at a table of descriptors that
 * replaces the rest of the chain. Returns the table, or NULL (ring broken).
 */
static const struct vring_desc *indirect_table(struct virtq *vq,
					       const struct vhost_mem *mem,
					       const struct vring_desc *d,
					       uint16_t i, bool nested,
					       unsigned int *size)
{
	const struct vring_desc *table;

	if (!vq->indirect) {
		virtq_break(vq, "indirect descriptor %u, feature not "
			    "negotiated", i);
		return NULL;
	}
	/* 2.7.5.3.1: not within an indirect table, not with NEXT. */
	if (nested || d->flags & VRING_DESC_F_NEXT) {
		virtq_break(vq, "indirect descriptor %u %s", i,
			    nested ? "inside an indirect table" : "with NEXT");
		return NULL;
	}
	if (!d->len || d->len % sizeof(struct vring_desc)) {
		virtq_break(vq, "indirect table of %u bytes", d->len);
		return NULL;
	}
	/* The guest picks a table's length (up to 2^28 descriptors); the
	 * ring bounds it, as no chain may be longer than the ring. */
	if (d->len / sizeof(struct vring_desc) > vq->num) {
		virtq_break(vq, "indirect table of %u descriptors, ring size %u",
			    d->len / (unsigned int)sizeof(struct vring_desc), vq->num);
		return NULL;
	}
	table = vhost_mem_gpa(mem, d->addr, d->len);
	if (!table) {
		virtq_break(vq, "indirect table [0x%llx, +%u) is outside guest "
			    "memory", (unsigned long long)d->addr, d->len);
		return NULL;
	}
	*size = d->len / sizeof(struct vring_desc);
	return table;
}

static int split_pop(struct virtq *vq, const struct vhost_mem *mem,
		     struct virtq_chain *c, bool device_writes)
{
	const struct vring_desc *table = vq->desc;
	unsigned int size = vq->num, count = 0;
	bool in_table = false;
	int avail;
	uint16_t i;

	avail = split_avail(vq);
	if (avail <= 0)
		return avail;
	/* The acquire load of avail->idx orders this read after it. */
	i = READ_ONCE(vq->avail->ring[vq->last_avail & (vq->num - 1)]);
	c->head = i;
	c->ndesc = 1;
	for (;;) {
		struct vring_desc d;

		if (i >= size) {
			virtq_break(vq, "descriptor index %u >= %s size %u", i,
				    in_table ? "indirect table" : "ring", size);
			return -1;
		}
		/* 2.7.5.3.1, 2.7.13.3.1: no chain is longer than the ring,
		 * direct and indirect buffers together; a loop is. (The
		 * indirect descriptor itself is no buffer.) */
		if (++count > vq->num) {
			virtq_break(vq, "descriptor chain from %u loops or is "
				    "longer than the ring (%u)", c->head,
				    vq->num);
			return -1;
		}
		/* One read of the guest's descriptor; only the copy is
		 * checked and used (an indirect table need not be aligned). */
		if (in_table) {
			memcpy(&d, &table[i], sizeof(d));
		} else {
			d.addr = READ_ONCE(vq->desc[i].addr);
			d.len = READ_ONCE(vq->desc[i].len);
			d.flags = READ_ONCE(vq->desc[i].flags);
			d.next = READ_ONCE(vq->desc[i].next);
		}
		if (d.flags & VRING_DESC_F_INDIRECT) {
			table = indirect_table(vq, mem, &d, i, in_table, &size);
			if (!table)
				return -1;
			in_table = true;
			count--;
			i = 0;
			continue;
		}
		/* 2.7.4.2 for RX, 2.7.5 for TX: a net queue's chains are
		 * all device-writable or all device-readable. */
		if (!!(d.flags & VRING_DESC_F_WRITE) != device_writes) {
			virtq_break(vq, "device-%s descriptor %u in a %s queue",
				    device_writes ? "readable" : "writable", i,
				    device_writes ? "receive" : "transmit");
			return -1;
		}
		if (virtq_add_buffer(vq, mem, c, d.addr, d.len, i))
			return -1;
		if (!(d.flags & VRING_DESC_F_NEXT))
			break;
		i = d.next;
	}
	vq->last_avail++;
	return 1;
}

static void split_push(struct virtq *vq, uint16_t head, uint32_t len)
{
	struct vring_used_elem *e = &vq->used->ring[vq->used_idx & (vq->num - 1)];

	WRITE_ONCE(e->id, head);
	WRITE_ONCE(e->len, len);
	log_used(vq, e, sizeof(*e));
	vq->used_idx++;
}

static void split_publish(struct virtq *vq)
{
	/* 2.7.8.2: the used elements before the index that exposes them. */
	__atomic_store_n(&vq->used->idx, vq->used_idx, __ATOMIC_RELEASE);
	log_used(vq, &vq->used->idx, sizeof(vq->used->idx));
}

static bool split_want_interrupt(struct virtq *vq)
{
	uint16_t old, new, event;
	bool valid;

	if (!vq->event_idx)
		return !(READ_ONCE(vq->avail->flags) &
			 VRING_AVAIL_F_NO_INTERRUPT);
	old = vq->signalled_used;
	valid = vq->signalled_used_valid;
	new = vq->signalled_used = vq->used_idx;
	vq->signalled_used_valid = true;
	if (!valid)
		return true;
	/* used_event sits after the avail ring's entries. */
	event = READ_ONCE(vq->avail->ring[vq->num]);
	return vring_need_event(event, new, old);
}

static uint16_t *avail_event(struct virtq *vq)
{
	/* avail_event sits after the used ring's entries. */
	return (uint16_t *)&vq->used->ring[vq->num];
}

static void split_kicks_off(struct virtq *vq)
{
	/* With EVENT_IDX, leaving avail_event behind is enough: the guest
	 * kicks only when its index crosses it. */
	if (!vq->event_idx) {
		WRITE_ONCE(vq->used->flags,
			   READ_ONCE(vq->used->flags) | VRING_USED_F_NO_NOTIFY);
		log_used(vq, &vq->used->flags, sizeof(vq->used->flags));
	}
}

static void split_kicks_on_after(struct virtq *vq, uint16_t seen)
{
	/* 2.7.10: the driver kicks when its index moves past avail_event. */
	if (vq->event_idx) {
		WRITE_ONCE(*avail_event(vq), seen);
		log_used(vq, avail_event(vq), sizeof(uint16_t));
	} else {
		WRITE_ONCE(vq->used->flags,
			   READ_ONCE(vq->used->flags) & ~VRING_USED_F_NO_NOTIFY);
		log_used(vq, &vq->used->flags, sizeof(vq->used->flags));
	}
}

/* ---- the interface, for either layout ------------------------------------ */

bool virtq_has_avail(struct virtq *vq)
{
	if (vq->packed)
		return vq_packed_more_after(vq, virtq_pos(vq));
	return split_avail(vq) > 0;
}

int virtq_pop(struct virtq *vq, const struct vhost_mem *mem,
	      struct virtq_chain *c, bool device_writes)
{
	c->niov = 0;
	c->nseg = 0;
	c->len = 0;
	if (vq->packed)
		return vq_packed_pop(vq, mem, c, device_writes);
	return split_pop(vq, mem, c, device_writes);
}

bool virtq_more_after(struct virtq *vq, uint16_t pos)
{
	if (vq->packed)
		return vq_packed_more_after(vq, pos);
	return __atomic_load_n(&vq->avail->idx, __ATOMIC_ACQUIRE) != pos;
}

void virtq_push(struct virtq *vq, uint16_t head, uint16_t ndesc, uint32_t len)
{
	if (vq->packed)
		vq_packed_push(vq, head, ndesc, len);
	else
		split_push(vq, head, len);
}

void virtq_publish(struct virtq *vq)
{
	if (vq->packed)
		vq_packed_publish(vq);
	else
		split_publish(vq);
}

bool virtq_want_interrupt(struct virtq *vq)
{
	/* Our used writes must be visible before we read the guest's wish,
	 * or we race with its "enable interrupts, recheck" (2.7.10). */
	__atomic_thread_fence(__ATOMIC_SEQ_CST);
	if (vq->packed)
		return vq_packed_want_interrupt(vq);
	return split_want_interrupt(vq);
}

bool virtq_notify(struct virtq *vq)
{
	static const uint64_t one = 1;

	if (vq->call_fd < 0 || !virtq_want_interrupt(vq))
		return false;
	if (write(vq->call_fd, &one, sizeof(one)) < 0 && errno != EAGAIN)
		log_warn("vring %u: call fd: %m", vq->index);
	return true;
}

void virtq_kicks_off(struct virtq *vq)
{
	if (vq->kicks_off)
		return;
	vq->kicks_off = true;
	if (vq->packed)
		vq_packed_kicks_off(vq);
	else
		split_kicks_off(vq);
}

bool virtq_kicks_on_after(struct virtq *vq, uint16_t seen)
{
	vq->kicks_off = false;
	if (vq->packed)
		vq_packed_kicks_on_after(vq, seen);
	else
		split_kicks_on_after(vq, seen);
	/* The store above must be visible before we look again (2.7.10). */
	__atomic_thread_fence(__ATOMIC_SEQ_CST);
	return virtq_more_after(vq, seen);
}
