// SPDX-License-Identifier: GPL-2.0
/*
 * Split virtqueue, device side (VIRTIO 1.2 section 2.7): descriptor table,
 * available ring and used ring. Everything here is guest-written: each
 * field is read once into a local before it is checked, and the checked
 * copy is what is used.
 */
#include <errno.h>
#include <string.h>

#include "virtq.h"
#include "log.h"

#define READ_ONCE(x)	(*(const volatile typeof(x) *)&(x))
#define WRITE_ONCE(x, v) (*(volatile typeof(x) *)&(x) = (v))

/* A split ring's used ring logs at log_guest_addr + the offset written. */
static void log_used(struct virtq *vq, const void *p, uint64_t len)
{
	if (vq->log_used && vhost_log_on(vq->log))
		vhost_log_write(vq->log, vq->log_gpa + ((const uint8_t *)p -
							 (const uint8_t *)vq->used), len);
}

bool vq_split_map(struct virtq *vq, const struct vhost_mem *mem)
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

/* ---- split ring ---------------------------------------------------------- */

/* New buffers the guest made available; -1 if the index is bogus (broken). */
int vq_split_avail(struct virtq *vq)
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

int vq_split_pop(struct virtq *vq, const struct vhost_mem *mem,
		     struct virtq_chain *c, bool device_writes)
{
	const struct vring_desc *table = vq->desc;
	unsigned int size = vq->num, count = 0;
	bool in_table = false;
	int avail;
	uint16_t i;

	avail = vq_split_avail(vq);
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

void vq_split_push(struct virtq *vq, uint16_t head, uint32_t len)
{
	struct vring_used_elem *e = &vq->used->ring[vq->used_idx & (vq->num - 1)];

	WRITE_ONCE(e->id, head);
	WRITE_ONCE(e->len, len);
	log_used(vq, e, sizeof(*e));
	vq->used_idx++;
}

void vq_split_publish(struct virtq *vq)
{
	/* 2.7.8.2: the used elements before the index that exposes them. */
	__atomic_store_n(&vq->used->idx, vq->used_idx, __ATOMIC_RELEASE);
	log_used(vq, &vq->used->idx, sizeof(vq->used->idx));
}

bool vq_split_want_interrupt(struct virtq *vq)
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

void vq_split_kicks_off(struct virtq *vq)
{
	/* With EVENT_IDX, leaving avail_event behind is enough: the guest
	 * kicks only when its index crosses it. */
	if (!vq->event_idx) {
		WRITE_ONCE(vq->used->flags,
			   READ_ONCE(vq->used->flags) | VRING_USED_F_NO_NOTIFY);
		log_used(vq, &vq->used->flags, sizeof(vq->used->flags));
	}
}

void vq_split_kicks_on_after(struct virtq *vq, uint16_t seen)
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
