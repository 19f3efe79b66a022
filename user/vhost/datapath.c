// SPDX-License-Identifier: GPL-2.0
/*
 * Frame pumps between virtqueues and AF_XDP rings, and the entry points
 * that run them or a tap port's (datapath_tap.c). Copies per frame: one memcpy in user space each way (guest buffer <-> UMEM
 * frame) plus the kernel's own copy in AF_XDP copy mode. The UMEM is only
 * touched through xsk_port_frame(), so registering guest memory as the
 * UMEM later (unaligned chunks) replaces these memcpys by address passing.
 */
#include <string.h>
#include <linux/if_ether.h>
#include <linux/virtio_net.h>

#include "datapath.h"
#include "datapath_tap.h"
#include "guest_io.h"
#include "log.h"

static void kick_kernel(struct vhost_qp *qp)
{
	int k = xsk_port_kick(&qp->xsk);

	if (k > 0)
		qp->st.tx_wakeups++;
	else if (k < 0)
		qp->st.tx_retries++;
	qp->tx_retry = k < 0;
	qp->tx_down = k < -1;
}

static unsigned int tx_pump(struct vhost_dev *d, struct vhost_qp *qp)
{
	struct virtq *vq = txq(d, qp);
	struct xsk_port *x = &qp->xsk;
	unsigned int hdr = vhost_dev_net_hdr_len(d);
	struct virtq_chain *c = &qp->chain;
	struct xdp_desc out[DATAPATH_BATCH];
	unsigned int total = 0;
	int r = 1;

	xsk_port_reclaim(x);
	if (qp->tx_retry)
		kick_kernel(qp);
	if (vq->started && !vq->enabled && vq->mapped && !vhost_dev_broken(d))
		return tx_discard(d, qp);
	if (!vhost_dev_ring_ready(d, vq))
		return 0;

	while (r > 0 && total < 8 * DATAPATH_BATCH) {
		unsigned int room = xsk_prod_nb_free(&x->tx, DATAPATH_BATCH);
		uint16_t used_before = vq->used_idx;
		unsigned int n = 0;
		uint32_t idx;

		if (room > x->tx_nfree)
			room = x->tx_nfree;
		if (room > DATAPATH_BATCH)
			room = DATAPATH_BATCH;
		if (!room) {
			/* Backpressure: the chains stay in the avail ring. */
			bool waiting = virtq_has_avail(vq);

			if (!qp->tx_starved && waiting)
				qp->st.tx_stalls++;
			qp->tx_starved = waiting;
			break;
		}
		qp->tx_starved = false;
		while (n < room) {
			uint64_t len;

			r = virtq_pop(vq, &d->mem, c, false);
			if (r <= 0)
				break;
			if (n == 0 && total == 0)
				virtq_kicks_off(vq);
			len = c->len - hdr;
			if (c->len < hdr + ETH_HLEN || len > XSK_FRAME_SIZE) {
				/* Not a frame the vport could carry: dropped
				 * whole, never cut, and the guest gets its
				 * buffer back. */
				if (c->len < hdr + ETH_HLEN)
					qp->st.tx_invalid++;
				else
					qp->st.tx_too_big++;
				virtq_push(vq, c->head, c->ndesc, 0);
				continue;
			}
			out[n].addr = x->tx_free[x->tx_nfree - 1];
			out[n].len = len;
			out[n].options = 0;
			iov_to_buf(c->iov, c->niov, hdr,
				   xsk_port_frame(x, out[n].addr), len);
			qp->st.copies++;
			if (len > frame_limit(qp, xsk_port_frame(x, out[n].addr))) {
				qp->st.tx_too_big++;
				virtq_push(vq, c->head, c->ndesc, 0);
				continue;
			}
			x->tx_nfree--;
			qp->st.tx_bytes += len;
			n++;
			/* Copied out: the guest may reuse the buffer now. */
			virtq_push(vq, c->head, c->ndesc, 0);
		}
		if (n) {
			if (xsk_ring_prod__reserve(&x->tx, n, &idx) != n) {
				/* Cannot happen: room was checked above. */
				log_err("queue %u: TX ring reserve failed",
					qp->index);
				x->tx_nfree += n;
				break;
			}
			for (unsigned int i = 0; i < n; i++)
				*xsk_ring_prod__tx_desc(&x->tx, idx + i) = out[i];
			xsk_ring_prod__submit(&x->tx, n);
			qp->st.tx_frames += n;
			qp->st.tx_batches++;
			total += n;
		}
		complete_batch(vq, used_before, &qp->st.tx_interrupts);
		if (n)
			kick_kernel(qp);
		xsk_port_reclaim(x);
	}
	return total;
}

static unsigned int rx_pump(struct vhost_dev *d, struct vhost_qp *qp)
{
	struct virtq *vq = rxq(d, qp);
	struct xsk_port *x = &qp->xsk;
	uint64_t done[DATAPATH_BATCH];
	unsigned int total = 0;

	if (!rx_may_run(d, qp))
		return 0;
	while (total < 8 * DATAPATH_BATCH) {
		uint16_t used_before = vq->used_idx;
		unsigned int n, k, delivered = 0;
		enum deliver_result res = DELIVERED;
		uint32_t idx;

		n = xsk_ring_cons__peek(&x->rx, DATAPATH_BATCH, &idx);
		if (!n)
			break;
		for (k = 0; k < n; k++) {
			const struct xdp_desc *desc =
				xsk_ring_cons__rx_desc(&x->rx, idx + k);

			res = deliver(d, qp, xsk_port_frame(x, desc->addr),
				      desc->len);
			if (res == NO_BUFFERS || res == BROKEN)
				break;
			delivered += res == DELIVERED;
			done[k] = desc->addr;
		}
		/* Frames without a guest buffer stay in the RX ring. */
		xsk_ring_cons__cancel(&x->rx, n - k);
		xsk_ring_cons__release(&x->rx, k);
		xsk_port_refill(x, done, k);
		total += delivered;
		if (!rx_batch_done(vq, qp, used_before, delivered, res) || k < n)
			break;
	}
	return total;
}

bool datapath_announce(struct vhost_qp *qp, const uint8_t mac[6])
{
	struct xsk_port *x = &qp->xsk;
	struct xdp_desc *desc;
	uint32_t idx;

	if (qp->tap_fd >= 0)
		return tap_announce(qp, mac);
	xsk_port_reclaim(x);
	if (!x->tx_nfree || xsk_ring_prod__reserve(&x->tx, 1, &idx) != 1)
		return false;	/* TX full: the caller tries again later */
	desc = xsk_ring_prod__tx_desc(&x->tx, idx);
	desc->addr = x->tx_free[--x->tx_nfree];
	desc->len = rarp_frame(xsk_port_frame(x, desc->addr), mac);
	desc->options = 0;
	xsk_ring_prod__submit(&x->tx, 1);
	qp->st.announces++;
	kick_kernel(qp);
	return true;
}

/*
 * The chain that broke a ring is dropped (never used) and counted here,
 * once per ring: the ring stops with it, and the device with the ring.
 */
unsigned int datapath_tx(struct vhost_dev *d, struct vhost_qp *qp)
{
	bool was_broken = txq(d, qp)->broken;
	unsigned int n = qp->tap_fd >= 0 ? tap_tx_pump(d, qp) : tx_pump(d, qp);

	if (!was_broken && txq(d, qp)->broken)
		qp->st.tx_ring_errors++;
	return n;
}

unsigned int datapath_rx(struct vhost_dev *d, struct vhost_qp *qp)
{
	bool was_broken = rxq(d, qp)->broken;
	unsigned int n = qp->tap_fd >= 0 ? tap_rx_pump(d, qp) : rx_pump(d, qp);

	if (!was_broken && rxq(d, qp)->broken)
		qp->st.rx_ring_errors++;
	return n;
}

bool datapath_may_sleep(struct vhost_dev *d, struct vhost_qp *qp)
{
	struct virtq *t = txq(d, qp), *r = rxq(d, qp);
	bool work = false;

	/* TX: while starved we are woken by completions, not kicks. A
	 * disabled ring is still processed (discarded), so it kicks too. */
	if (t->started && t->mapped && !vhost_dev_broken(d) && !qp->tx_starved &&
	    virtq_kicks_on(t))
		work = true;
	/* RX: frames wake us through the socket; kicks only matter when the
	 * guest ran out of buffers. */
	if (vhost_dev_ring_ready(d, r)) {
		if (qp->rx_waiting) {
			if (virtq_kicks_on_after(r, qp->rx_wait_pos))
				work = true;
		} else {
			virtq_kicks_off(r);
		}
	}
	return !work;
}
