// SPDX-License-Identifier: GPL-2.0
/*
 * Dirty page log. QEMU reads and clears the bitmap while we write it (it
 * exchanges 64-bit words with zero, then copies the pages they mark), so
 * a page is marked after the write that dirtied it, with an atomic OR of
 * release order: a mark QEMU sees covers the data. Marking before the
 * write could let QEMU clear the mark and copy the page in between. Its
 * last sync comes after the rings are stopped (GET_VRING_BASE).
 */
#include <errno.h>
#include <string.h>
#include <sys/mman.h>

#include "vhost_log.h"
#include "vhost_mem.h"
#include "log.h"

void vhost_log_clear(struct vhost_log *l)
{
	uint64_t pages = l->pages;
	bool on = l->on;

	if (l->mmap_base)
		munmap(l->mmap_base, l->mmap_len);
	memset(l, 0, sizeof(*l));
	l->on = on;
	l->pages = pages;
}

void vhost_log_set_ptr(struct vhost_log *l, uint8_t *bits, uint64_t size)
{
	vhost_log_clear(l);
	l->bits = bits;
	l->size = size;
}

int vhost_log_set(struct vhost_log *l, int fd, uint64_t size, uint64_t offset)
{
	uint64_t len = offset + size;
	void *p;
	int err;

	if (fd < 0) {
		vhost_log_clear(l);
		return 0;
	}
	if (!size || len < size || len > SIZE_MAX)
		return -EINVAL;
	err = vhost_mem_fd_check(fd, offset, size, NULL);
	if (err) {
		log_warn("dirty log of %llu bytes at %llu: %s", (unsigned long long)size,
			 (unsigned long long)offset, vhost_mem_fd_why(err));
		return err;
	}
	p = mmap(NULL, len, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
	if (p == MAP_FAILED) {
		err = -errno;
		log_warn("dirty log: mmap %llu bytes: %m", (unsigned long long)len);
		return err;
	}
	vhost_log_clear(l);
	l->mmap_base = p;
	l->mmap_len = len;
	l->bits = (uint8_t *)p + offset;
	l->size = size;
	log_info("dirty log: %llu bytes, pages up to %llu MiB", (unsigned long long)size,
		 (unsigned long long)(size * 8 * VHOST_LOG_PAGE >> 20));
	return 0;
}

void vhost_log_write(struct vhost_log *l, uint64_t gpa, uint64_t len)
{
	uint64_t first, last;

	if (!vhost_log_on(l) || !len)
		return;
	first = gpa / VHOST_LOG_PAGE;
	last = (gpa + len - 1) / VHOST_LOG_PAGE;
	/* The front-end sizes the log to cover all guest memory and the used
	 * rings; a page beyond it is a front-end bug we can only report. */
	if (gpa + len - 1 < gpa || last / 8 >= l->size) {
		if (!l->overflowed)
			log_err("dirty log of %llu bytes cannot mark [0x%llx, +%llu): "
				"migration may copy stale guest memory",
				(unsigned long long)l->size, (unsigned long long)gpa,
				(unsigned long long)len);
		l->overflowed = true;
		if (gpa + len - 1 < gpa || first / 8 >= l->size)
			return;
		last = l->size * 8 - 1;
	}
	for (uint64_t page = first; page <= last; page++)
		__atomic_fetch_or(&l->bits[page / 8], (uint8_t)(1u << (page % 8)),
				  __ATOMIC_RELEASE);
	l->pages += last - first + 1;
}
