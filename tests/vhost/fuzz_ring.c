// SPDX-License-Identifier: GPL-2.0
/*
 * libFuzzer target: the ring walker over guest memory the fuzzer writes.
 * Input: byte 0 picks the ring size and features, the rest is the guest's
 * memory: region A (gpa 0, 0x8000 bytes: avail ring at 0, used at 0x100,
 * descriptors at 0x400), then region B right after it (gpa 0x8000, another
 * 0x8000 bytes), so inputs of up to 0x10001 bytes (-max_len=65537) reach
 * indirect tables and buffers in both, and buffers across the boundary.
 * The walker must never touch memory outside the two regions (ASan) and
 * must stop.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "virtq.h"
#include "log.h"

#define REG_SZ	0x8000ull

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static uint8_t *ga, *gb;
	static struct vhost_mem mem;
	static struct virtq vq;
	static struct virtq_chain c;
	bool writes;

	if (!ga) {
		vhost_log_level = -1;
		ga = aligned_alloc(4096, REG_SZ);
		gb = aligned_alloc(4096, REG_SZ);
		vhost_mem_add_ptr(&mem, 0, 0x100000, ga, REG_SZ);
		vhost_mem_add_ptr(&mem, REG_SZ, 0x900000, gb, REG_SZ);
	}
	if (size < 1)
		return 0;
	memset(ga, 0, REG_SZ);
	memset(gb, 0, REG_SZ);
	size--;
	memcpy(ga, data + 1, size < REG_SZ ? size : REG_SZ);
	if (size > REG_SZ)
		memcpy(gb, data + 1 + REG_SZ, size - REG_SZ < REG_SZ ? size - REG_SZ : REG_SZ);
	memset(&vq, 0, sizeof(vq));
	virtq_init(&vq, 0);
	vq.num = 1u << (data[0] % 7);		/* 1 .. 64 */
	vq.event_idx = data[0] & 0x10;
	vq.indirect = data[0] & 0x40;
	writes = data[0] & 0x20;
	/* Rings first, so that short inputs reach them. */
	vq.avail_uva = 0x100000;		/* 4 + 2 * 64 + 2 */
	vq.used_uva = 0x100000 + 0x100;		/* 4 + 8 * 64 + 2 */
	vq.desc_uva = 0x100000 + 0x400;		/* 16 * 64 */
	vq.addr_set = vq.started = vq.enabled = true;
	if (!virtq_map(&vq, &mem))
		abort();
	/* Walk at most twice round the ring, as the datapath would. */
	for (unsigned int i = 0; i < 2 * vq.num; i++) {
		int r = virtq_pop(&vq, &mem, &c, writes);

		if (r <= 0)
			break;
		for (unsigned int k = 0; k < c.niov; k++)
			memset(c.iov[k].iov_base, 0xa5, c.iov[k].iov_len);
		if (i & 1) {
			virtq_unpop(&vq, 1);
			virtq_pop(&vq, &mem, &c, writes);
		}
		virtq_push(&vq, c.head, c.len);
		virtq_publish(&vq);
		virtq_want_interrupt(&vq);
	}
	virtq_kicks_off(&vq);
	virtq_kicks_on(&vq);
	return 0;
}
