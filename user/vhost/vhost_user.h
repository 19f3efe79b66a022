/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The vhost-user back-end side of one virtio-net device: the state the
 * front-end (QEMU, DPDK's virtio_user) configures with messages, and the
 * message handler. The socket plumbing is in vhost_sock.c; the handler
 * only sees complete messages, which is also what the fuzzer feeds it.
 */
#ifndef XBR_VHOST_USER_H
#define XBR_VHOST_USER_H

#include <stdbool.h>
#include <stdint.h>

#include "vhost_user_proto.h"
#include "ring_state.h"
#include "vhost_mem.h"
#include "virtq.h"

#define XBR_VHOST_MAX_QP	8

struct vhost_dev {
	unsigned int max_qp;		/* queue pairs we offer (GET_QUEUE_NUM) */
	uint64_t features;		/* acked with SET_FEATURES */
	uint64_t protocol_features;	/* acked with SET_PROTOCOL_FEATURES */
	struct vhost_mem mem;
	struct vhost_log log;		/* SET_LOG_BASE; on with VHOST_F_LOG_ALL */
	int log_fd;			/* SET_LOG_FD, kept (QEMU does not send it) */
	unsigned int ring_starts;	/* rings started so far (SET_VRING_KICK) */
	/* SEND_RARP: announce the guest at @rarp_mac, @rarps times (its
	 * migration ended here, QEMU's announce rounds ask again). */
	unsigned int rarps;
	uint8_t rarp_mac[6];
	struct ring_saved *saved;	/* a slot per ring, or NULL (ring_state.h) */
	/* vhost-user ring 2n is receiveq n, 2n + 1 is transmitq n
	 * (VIRTIO 1.2 5.1.2); the control queue stays in the front-end. */
	struct virtq vq[2 * XBR_VHOST_MAX_QP];
};

/* Features offered: no offloads, so guests always send complete frames
 * with valid checksums: an XDP datapath cannot see or finish a partial
 * checksum (docs/FACTS.md, "XDP, tc and checksums"). */
uint64_t vhost_dev_offered_features(void);
uint64_t vhost_dev_offered_protocol_features(void);

void vhost_dev_init(struct vhost_dev *d, unsigned int max_qp);
/* Front-end gone: stop every ring, unmap memory, forget negotiation. */
void vhost_dev_reset(struct vhost_dev *d);

static inline bool vhost_dev_has(const struct vhost_dev *d, unsigned int bit)
{
	return d->features & (1ull << bit);
}

/*
 * VIRTIO_CONFIG_S_NEEDS_RESET as a vhost-user back-end can have it: once
 * the guest broke one ring (virtq_break), no ring of the device moves
 * until the front-end restarts the broken ones, which is what a guest's
 * device reset does. Why, or NULL while the device is fine.
 */
const char *vhost_dev_broken(const struct vhost_dev *d);

/* @vq may move frames: started, enabled, mapped, and the device sound. */
static inline bool vhost_dev_ring_ready(const struct vhost_dev *d, const struct virtq *vq)
{
	return virtq_ready(vq) && !vhost_dev_broken(d);
}

/* Bytes of struct virtio_net_hdr(_mrg_rxbuf) in front of every frame. */
unsigned int vhost_dev_net_hdr_len(const struct vhost_dev *d);

/*
 * Handle one complete message. @fds (@nfds of them) arrived with it and
 * are always consumed (kept or closed). Returns 1 with @reply filled in
 * when a reply must be sent, 0 when not, or -1 on a protocol violation
 * after which the connection must be closed.
 */
int vhost_user_dispatch(struct vhost_dev *d, const struct vhu_msg *msg,
			int *fds, unsigned int nfds, struct vhu_msg *reply);

const char *vhost_user_request_name(uint32_t request);

#endif
