// SPDX-License-Identifier: GPL-2.0
/*
 * libFuzzer target: vhost-user message handling. The input is a stream of
 * messages (12-byte header, then up to hdr.size payload bytes) fed to one
 * device whose guest memory is a buffer of ours; any ring the messages
 * manage to start is then walked. Nothing may crash, leak or run away.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "vhost_user.h"
#include "log.h"

#define REG_SZ	0x10000ull

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static uint8_t *guest;
	static struct ring_saved saved[2 * XBR_VHOST_MAX_QP];
	static struct vhost_dev d;
	static struct vhu_msg msg, reply;
	static struct virtq_chain c;

	if (!guest) {
		vhost_log_level = -1;
		guest = aligned_alloc(4096, REG_SZ);
	}
	memset(guest, 0, REG_SZ);
	vhost_dev_init(&d, 2);
	d.saved = saved;
	/* As if SET_MEM_TABLE had mapped one region: gpa 0, uva 0x10000. */
	vhost_mem_add_ptr(&d.mem, 0, 0x10000, guest, REG_SZ);
	while (size >= sizeof(msg.hdr)) {
		size_t n;

		memcpy(&msg.hdr, data, sizeof(msg.hdr));
		data += sizeof(msg.hdr);
		size -= sizeof(msg.hdr);
		n = msg.hdr.size < size ? msg.hdr.size : size;
		if (n > sizeof(msg.payload))
			n = sizeof(msg.payload);
		memset(&msg.payload, 0, sizeof(msg.payload));
		memcpy(&msg.payload, data, n);
		data += n;
		size -= n;
		if (vhost_user_dispatch(&d, &msg, NULL, 0, &reply) < 0)
			break;
		for (unsigned int i = 0; i < 2 * d.max_qp; i++) {
			struct virtq *vq = &d.vq[i];

			for (unsigned int k = 0; vhost_dev_ring_ready(&d, vq) && k < 4; k++)
				if (virtq_pop(vq, &d.mem, &c, i % 2 == 0) > 0) {
					virtq_push(vq, c.head, c.ndesc, 0);
					virtq_publish(vq);
				}
		}
	}
	vhost_dev_reset(&d);
	return 0;
}
