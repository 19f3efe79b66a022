// SPDX-License-Identifier: GPL-2.0
/*
 * libFuzzer target: the ring walker, split and packed, over guest memory
 * the fuzzer writes. Input: 2 bytes of configuration, then the guest's
 * memory: region A (gpa 0, 0x8000 bytes: avail ring or driver event area
 * at 0, used ring or device event area at 0x100, descriptors at 0x400),
 * then region B right after it (gpa 0x8000, another 0x8000 bytes), so
 * inputs of up to 0x10002 bytes (-max_len=65538) reach indirect tables and
 * buffers in both regions and across their boundary.
 *   byte 0: bits 0-2 ring size (split 1..64, packed 1..64 of any size),
 *           3 packed, 4 EVENT_IDX, 5 receive (device-writable) queue,
 *           6 INDIRECT_DESC, 7 dirty logging on
 *   byte 1: where the ring starts (slot modulo size; bit 7 packed wrap)
 * The walker must never touch memory outside the two regions (ASan), must
 * stop, and with logging on must have marked every page it wrote.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "virtq.h"
#include "log.h"

#define REG_SZ	0x8000ull
#define A_UVA	0x100000ull

static const unsigned int packed_sizes[8] = { 1, 2, 3, 5, 8, 17, 33, 64 };

static bool logged(const uint8_t *bits, uint64_t gpa, uint64_t len)
{
	for (uint64_t p = gpa / VHOST_LOG_PAGE; p <= (gpa + len - 1) / VHOST_LOG_PAGE; p++)
		if (!(bits[p / 8] & (1u << (p % 8))))
			return false;
	return true;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static uint8_t *ga, *gb, bits[2];	/* 16 pages: both regions */
	static struct vhost_mem mem;
	static struct vhost_log log;
	static struct virtq vq;
	static struct virtq_chain c;
	unsigned int pushed = 0;
	uint8_t cfg, start;
	bool writes;

	if (!ga) {
		vhost_log_level = -1;
		ga = aligned_alloc(4096, REG_SZ);
		gb = aligned_alloc(4096, REG_SZ);
		vhost_mem_add_ptr(&mem, 0, A_UVA, ga, REG_SZ);
		vhost_mem_add_ptr(&mem, REG_SZ, 0x900000, gb, REG_SZ);
	}
	if (size < 2)
		return 0;
	cfg = data[0];
	start = data[1];
	data += 2;
	size -= 2;
	memset(ga, 0, REG_SZ);
	memset(gb, 0, REG_SZ);
	memcpy(ga, data, size < REG_SZ ? size : REG_SZ);
	if (size > REG_SZ)
		memcpy(gb, data + REG_SZ, size - REG_SZ < REG_SZ ? size - REG_SZ : REG_SZ);

	memset(bits, 0, sizeof(bits));
	vhost_log_set_ptr(&log, bits, sizeof(bits));
	log.on = cfg & 0x80;
	virtq_init(&vq, 0);
	vq.packed = cfg & 0x08;
	vq.num = vq.packed ? packed_sizes[cfg & 7] : 1u << (cfg & 7) % 7;
	vq.event_idx = cfg & 0x10;
	vq.indirect = cfg & 0x40;
	vq.log = &log;
	vq.log_used = true;
	vq.log_gpa = 0x100;		/* the used ring's guest address */
	writes = cfg & 0x20;
	/* Rings first, so that short inputs reach them. */
	vq.avail_uva = A_UVA;			/* 4 + 2 * 64 + 2 */
	vq.used_uva = A_UVA + 0x100;		/* 4 + 8 * 64 + 2 */
	vq.desc_uva = A_UVA + 0x400;		/* 16 * 64 */
	vq.addr_set = vq.started = vq.enabled = true;
	if (!virtq_map(&vq, &mem))
		abort();
	virtq_start(&vq, (start & 0x7f) % vq.num | (start & 0x80 ? VIRTQ_POS_WRAP : 0));

	/* Walk at most twice round the ring, as the datapath would. */
	for (unsigned int i = 0; i < 2 * vq.num && virtq_ready(&vq); i++) {
		uint16_t pos = virtq_pos(&vq);
		int r;

		virtq_has_avail(&vq);
		r = virtq_pop(&vq, &mem, &c, writes);
		if (r <= 0)
			break;
		if (i & 1) {
			virtq_rewind(&vq, pos);
			if (virtq_pop(&vq, &mem, &c, writes) != 1)
				abort();	/* the same chain again */
		}
		if (writes) {
			for (unsigned int k = 0; k < c.niov; k++)
				memset(c.iov[k].iov_base, 0xa5, c.iov[k].iov_len);
			virtq_log_chain(&vq, &c, c.len);
			for (unsigned int k = 0; log.on && k < c.nseg; k++)
				if (!logged(bits, c.seg[k].gpa, c.seg[k].len))
					abort();	/* a write migration would miss */
		}
		virtq_push(&vq, c.head, c.ndesc, writes ? c.len : 0);
		pushed++;
		if (i % 3 == 2)
			virtq_publish(&vq);
		virtq_want_interrupt(&vq);
	}
	virtq_publish(&vq);
	if (log.on && pushed && !logged(bits, 0, 1))
		abort();	/* the page of the used ring (or packed descriptors) */
	virtq_kicks_off(&vq);
	virtq_kicks_on(&vq);
	virtq_more_after(&vq, virtq_pos(&vq));
	return 0;
}
