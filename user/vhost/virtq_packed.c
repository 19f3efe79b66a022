// SPDX-License-Identifier: GPL-2.0
/*
 * Packed virtqueue, device side (VIRTIO 1.2 section 2.8). One ring of
 * descriptors that the driver makes available and the device overwrites
 * with used ones, each side keeping a wrap counter; which side a
 * descriptor belongs to is told by its AVAIL and USED flag bits alone.
 * Everything here is guest-written: flags are read first (acquire), the
 * rest of a descriptor after, each field once.
 */
#include <string.h>

#include "virtq.h"
#include "log.h"

#define READ_ONCE(x)	(*(const volatile typeof(x) *)&(x))
#define WRITE_ONCE(x, v) (*(volatile typeof(x) *)&(x) = (v))

#define DESC_F_AVAIL	(1u << VRING_PACKED_DESC_F_AVAIL)
#define DESC_F_USED	(1u << VRING_PACKED_DESC_F_USED)

/* 2.8.1: available to the device: AVAIL matches the driver's wrap counter
 * at that slot and USED does not. */
static bool desc_avail(uint16_t flags, bool wrap)
{
	return !!(flags & DESC_F_AVAIL) == wrap && !!(flags & DESC_F_USED) != wrap;
}

static void next_slot(const struct virtq *vq, uint16_t *slot, bool *wrap)
{
	if (++*slot == vq->num) {
		*slot = 0;
		*wrap = !*wrap;
	}
}

bool vq_packed_map(struct virtq *vq, const struct vhost_mem *mem)
{
	/* 2.8.10.1: descriptor ring 16 * Queue Size bytes, aligned to 16;
	 * each event suppression structure 4 bytes, aligned to 4. Queue
	 * Size need not be a power of 2. */
	vq->pdesc = vhost_mem_uva(mem, vq->desc_uva, 16ull * vq->num);
	vq->driver_event = vhost_mem_uva(mem, vq->avail_uva, 4);
	vq->device_event = vhost_mem_uva(mem, vq->used_uva, 4);
	if (!vq->pdesc || !vq->driver_event || !vq->device_event) {
		virtq_break(vq, "packed ring addresses outside guest memory "
			    "(desc 0x%llx driver 0x%llx device 0x%llx, size %u)",
			    (unsigned long long)vq->desc_uva,
			    (unsigned long long)vq->avail_uva,
			    (unsigned long long)vq->used_uva, vq->num);
		return false;
	}
	if ((uintptr_t)vq->pdesc % 16 || (uintptr_t)vq->driver_event % 4 ||
	    (uintptr_t)vq->device_event % 4) {
		virtq_break(vq, "misaligned packed ring addresses");
		return false;
	}
	/* Where our writes to the ring land, for the dirty log. */
	vq->desc_gpa = vhost_mem_uva_to_gpa(mem, vq->desc_uva);
	vq->device_event_gpa = vhost_mem_uva_to_gpa(mem, vq->used_uva);
	return true;
}

/*
 * 2.8.7: an indirect descriptor's table of packed descriptors, all used in
 * order; only their WRITE flag means anything (the others, the buffer id
 * included, are reserved and ignored). At most ring size of them.
 */
static int indirect_table(struct virtq *vq, const struct vhost_mem *mem,
			  struct virtq_chain *c, uint64_t addr, uint32_t len,
			  uint16_t slot, bool device_writes)
{
	const struct vring_packed_desc *table;
	unsigned int n;

	if (!vq->indirect) {
		virtq_break(vq, "indirect descriptor in slot %u, feature not negotiated", slot);
		return -1;
	}
	if (!len || len % sizeof(*table)) {
		virtq_break(vq, "indirect table of %u bytes", len);
		return -1;
	}
	n = len / sizeof(*table);
	if (n > vq->num) {
		virtq_break(vq, "indirect table of %u descriptors, ring size %u", n, vq->num);
		return -1;
	}
	table = vhost_mem_gpa(mem, addr, len);
	if (!table) {
		virtq_break(vq, "indirect table [0x%llx, +%u) is outside guest memory",
			    (unsigned long long)addr, len);
		return -1;
	}
	for (unsigned int i = 0; i < n; i++) {
		struct vring_packed_desc d;

		memcpy(&d, &table[i], sizeof(d));	/* once; may be unaligned */
		if (!!(d.flags & VRING_DESC_F_WRITE) != device_writes) {
			virtq_break(vq, "device-%s descriptor %u of an indirect table in a "
				    "%s queue", device_writes ? "readable" : "writable", i,
				    device_writes ? "receive" : "transmit");
			return -1;
		}
		if (virtq_add_buffer(vq, mem, c, d.addr, d.len, i))
			return -1;
	}
	return 0;
}

int vq_packed_pop(struct virtq *vq, const struct vhost_mem *mem,
		  struct virtq_chain *c, bool device_writes)
{
	uint16_t slot = vq->last_avail, first = slot, flags, id;
	bool wrap = vq->avail_wrap;
	unsigned int n = 0;

	/* 2.8.6: the driver makes a list's first descriptor available last;
	 * once its flags say so (acquire), the whole list is there. */
	flags = __atomic_load_n(&vq->pdesc[slot].flags, __ATOMIC_ACQUIRE);
	if (!desc_avail(flags, wrap))
		return 0;
	for (;;) {
		struct vring_packed_desc d;

		/* 2.8.17: no list is longer than the ring. */
		if (++n > vq->num) {
			virtq_break(vq, "descriptor list from slot %u is longer than the ring (%u)",
				    first, vq->num);
			return -1;
		}
		if (n > 1) {
			flags = READ_ONCE(vq->pdesc[slot].flags);
			/* "all flags ... must be set correctly in all
			 * descriptors in the list": a list that runs into a
			 * slot the driver did not make available never ends. */
			if (!desc_avail(flags, wrap)) {
				virtq_break(vq, "descriptor list from slot %u runs into slot %u, "
					    "which is not available", first, slot);
				return -1;
			}
		}
		d.addr = READ_ONCE(vq->pdesc[slot].addr);
		d.len = READ_ONCE(vq->pdesc[slot].len);
		d.id = READ_ONCE(vq->pdesc[slot].id);
		if (flags & VRING_DESC_F_INDIRECT) {
			/* 2.8.7.1: an indirect descriptor is a list of its
			 * own, never part of one linked by NEXT. */
			if (n > 1 || flags & VRING_DESC_F_NEXT) {
				virtq_break(vq, "indirect descriptor in slot %u inside a list",
					    slot);
				return -1;
			}
			if (indirect_table(vq, mem, c, d.addr, d.len, slot, device_writes))
				return -1;
			id = d.id;
			next_slot(vq, &slot, &wrap);
			break;
		}
		if (!!(flags & VRING_DESC_F_WRITE) != device_writes) {
			virtq_break(vq, "device-%s descriptor in slot %u in a %s queue",
				    device_writes ? "readable" : "writable", slot,
				    device_writes ? "receive" : "transmit");
			return -1;
		}
		if (virtq_add_buffer(vq, mem, c, d.addr, d.len, slot))
			return -1;
		next_slot(vq, &slot, &wrap);
		/* 2.8.6: the buffer id is in the list's last descriptor. */
		if (!(flags & VRING_DESC_F_NEXT)) {
			id = d.id;
			break;
		}
	}
	/* Drivers number their buffers below ring size (each has per-buffer
	 * state); an id beyond it cannot be one the driver will recognise. */
	if (id >= vq->num) {
		virtq_break(vq, "buffer id %u in slot %u, ring size %u", id, first, vq->num);
		return -1;
	}
	c->head = id;
	c->ndesc = n;
	vq->last_avail = slot;
	vq->avail_wrap = wrap;
	return 1;
}

bool vq_packed_more_after(struct virtq *vq, uint16_t pos)
{
	uint16_t slot = pos & ~VIRTQ_POS_WRAP;

	if (slot >= vq->num)
		return false;
	return desc_avail(__atomic_load_n(&vq->pdesc[slot].flags, __ATOMIC_ACQUIRE),
			  pos & VIRTQ_POS_WRAP);
}

/*
 * 2.8.6, 2.8.9: one used descriptor per list, written over the list's
 * first slot in the order we complete, then we skip the list's other
 * slots. Its flags make it the driver's; those of a batch's first used
 * descriptor are written last (at publish), so the driver, which polls
 * that slot, never sees half a batch.
 */
void vq_packed_push(struct virtq *vq, uint16_t id, uint16_t ndesc, uint32_t len)
{
	struct vring_packed_desc *d = &vq->pdesc[vq->used_idx];
	uint16_t flags = vq->used_wrap ? DESC_F_AVAIL | DESC_F_USED : 0;

	/* 2.8.4: WRITE in a used descriptor says the device wrote data. */
	if (len)
		flags |= VRING_DESC_F_WRITE;
	WRITE_ONCE(d->id, id);
	WRITE_ONCE(d->len, len);
	if (!vq->batch_open) {
		vq->batch_open = true;
		vq->batch_head = vq->used_idx;
		vq->batch_flags = flags;
	} else {
		__atomic_store_n(&d->flags, flags, __ATOMIC_RELEASE);
	}
	virtq_log_ring(vq, vq->desc_gpa + 16ull * vq->used_idx, sizeof(*d));
	vq->used_idx += ndesc;
	if (vq->used_idx >= vq->num) {
		vq->used_idx -= vq->num;
		vq->used_wrap = !vq->used_wrap;
	}
}

void vq_packed_publish(struct virtq *vq)
{
	if (!vq->batch_open)
		return;
	__atomic_store_n(&vq->pdesc[vq->batch_head].flags, vq->batch_flags, __ATOMIC_RELEASE);
	virtq_log_ring(vq, vq->desc_gpa + 16ull * vq->batch_head, sizeof(*vq->pdesc));
	vq->batch_open = false;
	/* What the guest has seen completed: where a restart resumes. */
	if (vq->saved_pos)
		*vq->saved_pos = vq->used_idx | (vq->used_wrap ? VIRTQ_POS_WRAP : 0);
}

/* 2.8.10: the driver's event suppression structure says when it wants an
 * interrupt; with EVENT_IDX, when our used position passes its offset. */
bool vq_packed_want_interrupt(struct virtq *vq)
{
	uint16_t flags = READ_ONCE(vq->driver_event->flags);
	uint16_t old = vq->signalled_used, new = vq->used_idx, off_wrap, off;
	bool valid = vq->signalled_used_valid;

	vq->signalled_used = new;
	vq->signalled_used_valid = true;
	if (flags == VRING_PACKED_EVENT_FLAG_DISABLE)
		return false;
	if (flags != VRING_PACKED_EVENT_FLAG_DESC || !vq->event_idx || !valid)
		return true;
	off_wrap = READ_ONCE(vq->driver_event->off_wrap);
	off = off_wrap & ~VIRTQ_POS_WRAP;
	/* Positions are slots of one lap; count the previous lap's below 0
	 * so that vring_need_event's window arithmetic holds. */
	if (new <= old)
		old -= vq->num;
	if (!!(off_wrap & VIRTQ_POS_WRAP) != vq->used_wrap)
		off -= vq->num;
	return vring_need_event(off, new, old);
}

static void set_device_event(struct virtq *vq, uint16_t flags)
{
	WRITE_ONCE(vq->device_event->flags, flags);
	virtq_log_ring(vq, vq->device_event_gpa, sizeof(*vq->device_event));
}

void vq_packed_kicks_off(struct virtq *vq)
{
	set_device_event(vq, VRING_PACKED_EVENT_FLAG_DISABLE);
}

void vq_packed_kicks_on_after(struct virtq *vq, uint16_t seen)
{
	/* With EVENT_IDX: kick when the descriptor at @seen (slot and wrap
	 * counter, the structure's own format) is made available. */
	if (vq->event_idx) {
		WRITE_ONCE(vq->device_event->off_wrap, seen);
		set_device_event(vq, VRING_PACKED_EVENT_FLAG_DESC);
	} else {
		set_device_event(vq, VRING_PACKED_EVENT_FLAG_ENABLE);
	}
}
