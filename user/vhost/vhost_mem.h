/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The guest's memory as the front-end shared it (SET_MEM_TABLE): regions
 * mapped into this process, and the translations every guest-supplied
 * address goes through. Nothing else in xbr-vhost dereferences guest memory
 * without a pointer that came from here.
 */
#ifndef XBR_VHOST_MEM_H
#define XBR_VHOST_MEM_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/uio.h>

#include "vhost_user_proto.h"

struct vhost_mem_region {
	uint64_t gpa;		/* guest physical address of the first byte */
	uint64_t uva;		/* front-end virtual address of the first byte */
	uint64_t size;
	uint8_t *host;		/* our pointer to the first byte */
	void *mmap_base;	/* what to munmap (NULL: not ours to unmap) */
	size_t mmap_len;
	uint64_t file_dev, file_ino;	/* the file it maps: which guest this is */
};

struct vhost_mem {
	unsigned int nregions;
	struct vhost_mem_region r[VHU_MAX_REGIONS];
};

/* Map the regions of @tbl from @fds (one per region; the caller keeps and
 * closes them: the mappings hold the memory). */
int vhost_mem_set(struct vhost_mem *m, const struct vhu_mem_table *tbl,
		  const int *fds, unsigned int nfds);
/* 0 if bytes [@off, @off + @len) of @fd's file exist (see vhost_mem.c),
 * else -errno; vhost_mem_fd_why() says it in words. @st (may be NULL)
 * gets the file's fstat. */
struct stat;
int vhost_mem_fd_check(int fd, uint64_t off, uint64_t len, struct stat *st);
const char *vhost_mem_fd_why(int err);
/* Add a region we already have in memory (unit tests, fuzzers). */
int vhost_mem_add_ptr(struct vhost_mem *m, uint64_t gpa, uint64_t uva,
		      void *host, uint64_t size);
void vhost_mem_clear(struct vhost_mem *m);

/*
 * Host pointer for [@uva, @uva + @len) in the front-end's address space, or
 * NULL unless the whole range lies inside one region (rings: virtio
 * requires each ring part to be contiguous).
 */
void *vhost_mem_uva(const struct vhost_mem *m, uint64_t uva, uint64_t len);

/* The guest-physical address of front-end address @uva (in a region). */
uint64_t vhost_mem_uva_to_gpa(const struct vhost_mem *m, uint64_t uva);
/* The region holding front-end address @uva, or NULL. */
const struct vhost_mem_region *vhost_mem_uva_region(const struct vhost_mem *m, uint64_t uva);

/* Host pointer for [@gpa, @gpa + @len) in one region, or NULL. */
void *vhost_mem_gpa(const struct vhost_mem *m, uint64_t gpa, uint64_t len);

/*
 * Translate the guest buffer [@gpa, @gpa + @len) into at most @max iovecs
 * appended at @iov (a buffer may straddle adjacent regions). Returns the
 * number of iovecs used, or -1 if any byte is outside guest memory or more
 * than @max pieces would be needed.
 */
int vhost_mem_gpa_iov(const struct vhost_mem *m, uint64_t gpa, uint64_t len,
		      struct iovec *iov, unsigned int max);

#endif
