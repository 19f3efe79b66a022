// SPDX-License-Identifier: GPL-2.0
/*
 * Virtqueue, device side: what split and packed rings share: a queue's
 * life (init, reset, broken by its guest), its dirty log, the buffers of a
 * descriptor chain. The layouts are virtq_split.c and virtq_packed.c;
 * virtq_layout.c picks one per queue. The guest can rewrite any byte of
 * the rings at any time: each field is read once into a local before it is
 * checked, and the checked copy is what is used.
 */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "virtq.h"
#include "log.h"

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
