/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The dirty log of a live migration (vhost-user.rst "Migration"): a bitmap
 * in memory the front-end shares (SET_LOG_BASE), one bit per 4 KiB page of
 * guest-physical memory. While the front-end has VHOST_F_LOG_ALL on, every
 * byte xbr-vhost writes into guest memory marks its page here, or QEMU
 * would send the destination a stale copy of it.
 */
#ifndef XBR_VHOST_DIRTY_LOG_H
#define XBR_VHOST_DIRTY_LOG_H

#include <stdbool.h>
#include <stdint.h>

/* "Dirty pages are of size VHOST_LOG_PAGE" */
#define VHOST_LOG_PAGE		0x1000u

struct vhost_log {
	uint8_t *bits;		/* NULL: no log shared (yet) */
	uint64_t size;		/* bytes of bitmap: pages up to 8 * size */
	void *mmap_base;	/* what to munmap (NULL: not ours) */
	uint64_t mmap_len;
	bool on;		/* VHOST_F_LOG_ALL negotiated */
	bool overflowed;	/* a write fell outside the bitmap (logged once) */
	uint64_t pages;		/* pages marked, all logs together */
};

/* Map @size bytes of bitmap at @offset of @fd (fstat-checked); replaces
 * the previous log. @fd < 0: forget the log. 0 or -errno. */
int vhost_log_set(struct vhost_log *l, int fd, uint64_t size, uint64_t offset);
/* A bitmap of ours (unit tests, fuzzers). */
void vhost_log_set_ptr(struct vhost_log *l, uint8_t *bits, uint64_t size);
/* Unmap the log; @on and the @pages count stay. */
void vhost_log_clear(struct vhost_log *l);

/* Mark the pages of guest-physical [@gpa, @gpa + @len). */
void vhost_log_write(struct vhost_log *l, uint64_t gpa, uint64_t len);

static inline bool vhost_log_on(const struct vhost_log *l)
{
	return l && l->on && l->bits;
}

#endif
