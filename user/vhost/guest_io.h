/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The guest's side of a frame (guest_io.c): what the AF_XDP pumps
 * (datapath.c) and the tap pumps (datapath_tap.c) share.
 */
#ifndef XBR_VHOST_GUEST_IO_H
#define XBR_VHOST_GUEST_IO_H

#include "datapath.h"

static inline struct virtq *txq(struct vhost_dev *d, struct vhost_qp *qp)
{
	return &d->vq[2 * qp->index + 1];
}

static inline struct virtq *rxq(struct vhost_dev *d, struct vhost_qp *qp)
{
	return &d->vq[2 * qp->index];
}

/* Copy @len bytes out of the iovecs, starting @off bytes in. */
void iov_to_buf(const struct iovec *iov, unsigned int niov, uint64_t off,
		void *buf, uint64_t len);
/* The longest frame the port forwards, by the frame's Ethernet header. */
unsigned int frame_limit(const struct vhost_qp *qp, const uint8_t *frame);
/* Publish the chains used since @used_before and notify the guest. */
void complete_batch(struct virtq *vq, uint16_t used_before,
		    uint64_t *interrupts);
/* A started but disabled TX ring: take and discard its frames. */
unsigned int tx_discard(struct vhost_dev *d, struct vhost_qp *qp);

enum deliver_result { DELIVERED, NO_BUFFERS, DROPPED, BROKEN };
/* Write one frame into the guest's receive buffers. */
enum deliver_result deliver(struct vhost_dev *d, struct vhost_qp *qp,
			    const uint8_t *frame, uint32_t len);
/* Whether RX may run: the ring is ready and, if the guest had no buffers,
 * it has given new ones since. */
bool rx_may_run(struct vhost_dev *d, struct vhost_qp *qp);
/* The end of one RX batch, @last the result of its last frame: publish
 * it; false if the pump must stop (no buffers: wait for them; broken). */
bool rx_batch_done(struct virtq *vq, struct vhost_qp *qp, uint16_t used_before,
		   unsigned int delivered, enum deliver_result last);
/* Build the RARP that announces @mac into @f; returns its length. */
unsigned int rarp_frame(uint8_t *f, const uint8_t mac[6]);

#endif
