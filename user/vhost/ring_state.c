// SPDX-License-Identifier: GPL-2.0
/* Saved packed ring positions (ring_state.h). */
#include <fcntl.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include "ring_state.h"
#include "log.h"

struct ring_saved *ring_state_open(const char *path, unsigned int n)
{
	size_t len = n * sizeof(struct ring_saved);
	struct ring_saved *rs;
	int fd;

	fd = open(path, O_RDWR | O_CREAT | O_CLOEXEC, 0600);
	if (fd < 0 || ftruncate(fd, len)) {
		log_warn("%s: %m (packed rings cannot resume after a restart)", path);
		if (fd >= 0)
			close(fd);
		return NULL;
	}
	rs = mmap(NULL, len, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
	close(fd);
	return rs == MAP_FAILED ? NULL : rs;
}

void ring_state_close(struct ring_saved *rs, unsigned int n)
{
	if (rs)
		munmap(rs, n * sizeof(*rs));
}

uint32_t ring_state_start(struct ring_saved *s, struct virtq *vq,
			  const struct vhost_mem *mem, uint32_t base)
{
	const struct vhost_mem_region *r = vhost_mem_uva_region(mem, vq->desc_uva);
	uint32_t use = base;

	if (!r)
		return base;
	if (s->valid && s->file_dev == r->file_dev && s->file_ino == r->file_ino &&
	    s->desc_uva == vq->desc_uva && s->num == vq->num && s->base == base &&
	    (s->pos & 0x7fff) < vq->num && s->pos != (base & 0xffff)) {
		use = s->pos | s->pos << 16;
		log_info("vring %u resumes at slot %u wrap %u, where it was left (the "
			 "front-end's base 0x%x is older)", vq->index, s->pos & 0x7fff,
			 !!(s->pos & VIRTQ_POS_WRAP), base);
	}
	/* From now on this ring's life is what is saved. */
	*s = (struct ring_saved){ .file_dev = r->file_dev, .file_ino = r->file_ino,
				  .desc_uva = vq->desc_uva, .num = vq->num, .base = base,
				  .pos = use & 0xffff, .valid = 1 };
	vq->saved_pos = &s->pos;
	return use;
}
