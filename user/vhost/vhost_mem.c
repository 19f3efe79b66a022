// SPDX-License-Identifier: GPL-2.0
/*
 * Guest memory table. Regions come from an untrusted front-end (and sizes
 * from a guest behind it): every sum is checked for overflow before it is
 * compared, and a range is only translated if it lies wholly inside a
 * region we mapped.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include "vhost_mem.h"
#include "log.h"

void vhost_mem_clear(struct vhost_mem *m)
{
	for (unsigned int i = 0; i < m->nregions; i++)
		if (m->r[i].mmap_base)
			munmap(m->r[i].mmap_base, m->r[i].mmap_len);
	memset(m, 0, sizeof(*m));
}

static bool range_ok(uint64_t start, uint64_t len)
{
	return len && start + len - 1 >= start;	/* non-empty, no wrap */
}

/* Regions must not overlap in guest-physical or front-end virtual space,
 * or one address would have two meanings. */
static bool overlaps(const struct vhost_mem *m, uint64_t gpa, uint64_t uva,
		     uint64_t size)
{
	for (unsigned int i = 0; i < m->nregions; i++) {
		const struct vhost_mem_region *r = &m->r[i];

		if (gpa <= r->gpa + r->size - 1 && r->gpa <= gpa + size - 1)
			return true;
		if (uva <= r->uva + r->size - 1 && r->uva <= uva + size - 1)
			return true;
	}
	return false;
}

int vhost_mem_add_ptr(struct vhost_mem *m, uint64_t gpa, uint64_t uva,
		      void *host, uint64_t size)
{
	struct vhost_mem_region *r;

	if (m->nregions >= VHU_MAX_REGIONS || !range_ok(gpa, size) ||
	    !range_ok(uva, size) || overlaps(m, gpa, uva, size))
		return -EINVAL;
	r = &m->r[m->nregions++];
	*r = (struct vhost_mem_region){ .gpa = gpa, .uva = uva, .size = size,
					.host = host };
	return 0;
}

/*
 * Whether [@off, @off + @len) of the file behind @fd exists: a mapping past
 * the end of a file maps fine and raises SIGBUS on first touch, which would
 * kill the daemon for one front-end's message. A memfd that allows sealing
 * is also sealed against shrinking, so that this stays true (QEMU seals its
 * memfds itself; a hugetlbfs file cannot be sealed).
 */
int vhost_mem_fd_check(int fd, uint64_t off, uint64_t len, struct stat *out)
{
	struct stat st;
	int seals;

	if (fstat(fd, &st))
		return -errno;
	if (out)
		*out = st;
	if (!S_ISREG(st.st_mode))
		return -ENODEV;
	if (off + len < off || off + len > (uint64_t)st.st_size)
		return -EFBIG;
	seals = fcntl(fd, F_GET_SEALS);
	if (seals >= 0 && !(seals & F_SEAL_SHRINK) && !(seals & F_SEAL_SEAL))
		fcntl(fd, F_ADD_SEALS, F_SEAL_SHRINK);
	return 0;
}

const char *vhost_mem_fd_why(int err)
{
	switch (err) {
	case -ENODEV:
		return "its fd is not a file";
	case -EFBIG:
		return "it ends past the end of its file";
	default:
		return strerror(-err);
	}
}

int vhost_mem_set(struct vhost_mem *m, const struct vhu_mem_table *tbl,
		  const int *fds, unsigned int nfds)
{
	struct vhost_mem new = { 0 };
	struct stat st;
	int err = 0;

	if (tbl->nregions == 0 || tbl->nregions > VHU_MAX_REGIONS ||
	    nfds != tbl->nregions) {
		log_warn("mem table: %u regions with %u fds", tbl->nregions,
			 nfds);
		return -EINVAL;
	}
	for (unsigned int i = 0; i < tbl->nregions; i++) {
		const struct vhu_region *d = &tbl->regions[i];
		uint64_t len = d->memory_size + d->mmap_offset;
		void *p;

		if (!range_ok(d->guest_phys_addr, d->memory_size) ||
		    !range_ok(d->userspace_addr, d->memory_size) ||
		    len < d->memory_size || len > SIZE_MAX) {
			log_warn("mem table: region %u out of range", i);
			err = -EINVAL;
			break;
		}
		err = vhost_mem_fd_check(fds[i], d->mmap_offset, d->memory_size, &st);
		if (err) {
			log_warn("mem table: region %u: %s", i, vhost_mem_fd_why(err));
			break;
		}
		p = mmap(NULL, len, PROT_READ | PROT_WRITE, MAP_SHARED,
			 fds[i], 0);
		if (p == MAP_FAILED) {
			err = -errno;
			log_warn("mem table: mmap region %u (%llu bytes): %s",
				 i, (unsigned long long)len, strerror(errno));
			break;
		}
		if (vhost_mem_add_ptr(&new, d->guest_phys_addr,
				      d->userspace_addr,
				      (uint8_t *)p + d->mmap_offset,
				      d->memory_size)) {
			munmap(p, len);
			log_warn("mem table: region %u overlaps another", i);
			err = -EINVAL;
			break;
		}
		new.r[new.nregions - 1].mmap_base = p;
		new.r[new.nregions - 1].mmap_len = len;
		new.r[new.nregions - 1].file_dev = st.st_dev;
		new.r[new.nregions - 1].file_ino = st.st_ino;
	}
	if (err) {
		vhost_mem_clear(&new);
		return err;
	}
	vhost_mem_clear(m);
	*m = new;
	return 0;
}

void *vhost_mem_uva(const struct vhost_mem *m, uint64_t uva, uint64_t len)
{
	if (!range_ok(uva, len))
		return NULL;
	for (unsigned int i = 0; i < m->nregions; i++) {
		const struct vhost_mem_region *r = &m->r[i];

		if (uva >= r->uva && uva - r->uva < r->size &&
		    len <= r->size - (uva - r->uva))
			return r->host + (uva - r->uva);
	}
	return NULL;
}

const struct vhost_mem_region *vhost_mem_uva_region(const struct vhost_mem *m, uint64_t uva)
{
	for (unsigned int i = 0; i < m->nregions; i++) {
		const struct vhost_mem_region *r = &m->r[i];

		if (uva >= r->uva && uva - r->uva < r->size)
			return r;
	}
	return NULL;
}

uint64_t vhost_mem_uva_to_gpa(const struct vhost_mem *m, uint64_t uva)
{
	const struct vhost_mem_region *r = vhost_mem_uva_region(m, uva);

	return r ? r->gpa + (uva - r->uva) : 0;
}

void *vhost_mem_gpa(const struct vhost_mem *m, uint64_t gpa, uint64_t len)
{
	if (!range_ok(gpa, len))
		return NULL;
	for (unsigned int i = 0; i < m->nregions; i++) {
		const struct vhost_mem_region *r = &m->r[i];

		if (gpa >= r->gpa && gpa - r->gpa < r->size &&
		    len <= r->size - (gpa - r->gpa))
			return r->host + (gpa - r->gpa);
	}
	return NULL;
}

int vhost_mem_gpa_iov(const struct vhost_mem *m, uint64_t gpa, uint64_t len,
		      struct iovec *iov, unsigned int max)
{
	unsigned int n = 0;

	if (len && !range_ok(gpa, len))
		return -1;
	while (len) {
		const struct vhost_mem_region *r = NULL;
		uint64_t off, chunk;

		for (unsigned int i = 0; i < m->nregions; i++)
			if (gpa >= m->r[i].gpa &&
			    gpa - m->r[i].gpa < m->r[i].size) {
				r = &m->r[i];
				break;
			}
		if (!r || n == max)
			return -1;
		off = gpa - r->gpa;
		chunk = r->size - off < len ? r->size - off : len;
		iov[n].iov_base = r->host + off;
		iov[n].iov_len = chunk;
		n++;
		gpa += chunk;
		len -= chunk;
	}
	return n;
}
