// SPDX-License-Identifier: GPL-2.0
/*
 * A virtqueue as the data path uses it, whatever its layout: map, start,
 * pop, push, publish, notify, kick suppression; each call goes to the
 * split ring (virtq_split.c) or the packed one (virtq_packed.c).
 */
#include <errno.h>
#include <unistd.h>

#include "virtq.h"
#include "log.h"

bool virtq_map(struct virtq *vq, const struct vhost_mem *mem)
{
	vq->mapped = false;
	if (!vq->num || !vq->addr_set) {
		virtq_break(vq, "started before its size and addresses were set");
		return false;
	}
	vq->mapped = vq->packed ? vq_packed_map(vq, mem) : vq_split_map(vq, mem);
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

/* ---- the interface, for either layout ------------------------------------ */

bool virtq_has_avail(struct virtq *vq)
{
	if (vq->packed)
		return vq_packed_more_after(vq, virtq_pos(vq));
	return vq_split_avail(vq) > 0;
}

int virtq_pop(struct virtq *vq, const struct vhost_mem *mem,
	      struct virtq_chain *c, bool device_writes)
{
	c->niov = 0;
	c->nseg = 0;
	c->len = 0;
	if (vq->packed)
		return vq_packed_pop(vq, mem, c, device_writes);
	return vq_split_pop(vq, mem, c, device_writes);
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
		vq_split_push(vq, head, len);
}

void virtq_publish(struct virtq *vq)
{
	if (vq->packed)
		vq_packed_publish(vq);
	else
		vq_split_publish(vq);
}

bool virtq_want_interrupt(struct virtq *vq)
{
	/* Our used writes must be visible before we read the guest's wish,
	 * or we race with its "enable interrupts, recheck" (2.7.10). */
	__atomic_thread_fence(__ATOMIC_SEQ_CST);
	if (vq->packed)
		return vq_packed_want_interrupt(vq);
	return vq_split_want_interrupt(vq);
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
		vq_split_kicks_off(vq);
}

bool virtq_kicks_on_after(struct virtq *vq, uint16_t seen)
{
	vq->kicks_off = false;
	if (vq->packed)
		vq_packed_kicks_on_after(vq, seen);
	else
		vq_split_kicks_on_after(vq, seen);
	/* The store above must be visible before we look again (2.7.10). */
	__atomic_thread_fence(__ATOMIC_SEQ_CST);
	return virtq_more_after(vq, seen);
}
