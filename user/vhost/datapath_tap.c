// SPDX-License-Identifier: GPL-2.0
/*
 * Frame pumps between virtqueues and a tap port's queue.
 *
 * TX (guest -> tap): one writev() per frame, straight from the guest's
 * buffers (no copy in user space). tun runs the tap's XDP program, the
 * bridge's, inside the write: the frame has met the bridge's decision when
 * the call returns, with no queue in between that could overflow. Frames
 * go in as complete Ethernet frames (the tap has no virtio-net header:
 * this device offers no offloads, as on the AF_XDP path). If the tap cannot
 * take a frame now, its chain goes back to the avail ring and waits there.
 *
 * RX (tap -> guest): one read() per frame into a holding buffer, then into
 * the guest's buffers as on the AF_XDP path. A frame read while the guest
 * has no buffers stays held until it has: reading it was the only way to
 * look, and it is not lost for that.
 */
#include <errno.h>
#include <string.h>
#include <unistd.h>
#include <sys/uio.h>
#include <linux/if_ether.h>

#include "datapath_tap.h"
#include "guest_io.h"
#include "log.h"

enum tap_write_result { WRITTEN, REFUSED, AGAIN };

/* The iovecs of a chain, @off bytes in (past the guest's header). */
static unsigned int iov_skip(const struct iovec *iov, unsigned int niov,
			     uint64_t off, struct iovec *out)
{
	unsigned int n = 0;

	for (unsigned int i = 0; i < niov; i++) {
		if (off >= iov[i].iov_len) {
			off -= iov[i].iov_len;
			continue;
		}
		out[n].iov_base = (uint8_t *)iov[i].iov_base + off;
		out[n].iov_len = iov[i].iov_len - off;
		off = 0;
		n++;
	}
	return n;
}

static void tap_error(struct vhost_qp *qp, int err, const char *what)
{
	if (err == EBADFD) {
		/* The tap is gone: its queues are detached from us. */
		if (!qp->port_gone)
			log_err("queue %u: %s: the tap was deleted", qp->index, what);
		qp->port_gone = true;
	}
}

static enum tap_write_result tap_write(struct vhost_qp *qp,
				       const struct virtq_chain *c,
				       unsigned int hdr)
{
	struct iovec iov[VIRTQ_MAX_IOV];
	uint8_t eth[ETH_HLEN];
	uint64_t len;
	ssize_t w;
	int err;

	if (c->len < hdr + ETH_HLEN) {
		qp->st.tx_invalid++;
		return REFUSED;
	}
	len = c->len - hdr;
	iov_to_buf(c->iov, c->niov, hdr, eth, ETH_HLEN);
	if (len > XSK_FRAME_SIZE || len > frame_limit(qp, eth)) {
		/* Dropped whole, never cut, as on the AF_XDP path. */
		qp->st.tx_too_big++;
		return REFUSED;
	}
	w = writev(qp->tap_fd, iov, iov_skip(c->iov, c->niov, hdr, iov));
	if (w == (ssize_t)len) {
		qp->st.tx_frames++;
		qp->st.tx_bytes += len;
		qp->tx_retry = false;
		qp->tx_starved = false;
		return WRITTEN;
	}
	err = w < 0 ? errno : 0;
	if (w >= 0 || err == EINVAL || err == EFAULT) {
		/* tun refused this frame itself: it never will take it. */
		qp->st.tx_invalid++;
		return REFUSED;
	}
	/* Nothing taken: out of memory for an skb, the tap down (EIO) or
	 * gone. The chain waits in the guest's ring, and we wait for a
	 * timer, not for kicks (starved): the guest has nothing to add. */
	tap_error(qp, err, "write");
	qp->st.tx_retries++;
	if (!qp->tx_starved)
		qp->st.tx_stalls++;
	qp->tx_starved = true;
	qp->tx_retry = true;
	qp->tx_down = err != EAGAIN && err != ENOBUFS && err != ENOMEM;
	return AGAIN;
}

unsigned int tap_tx_pump(struct vhost_dev *d, struct vhost_qp *qp)
{
	struct virtq *vq = txq(d, qp);
	unsigned int hdr = vhost_dev_net_hdr_len(d);
	struct virtq_chain *c = &qp->chain;
	unsigned int total = 0;
	bool more = true;

	if (vq->started && !vq->enabled && vq->mapped && !vhost_dev_broken(d))
		return tx_discard(d, qp);
	if (!vhost_dev_ring_ready(d, vq) || qp->port_gone)
		return 0;

	while (more && total < 8 * DATAPATH_BATCH) {
		uint16_t used_before = vq->used_idx;
		unsigned int n = 0;

		while (n < DATAPATH_BATCH) {
			uint16_t pos = virtq_pos(vq);
			enum tap_write_result res;

			if (virtq_pop(vq, &d->mem, c, false) <= 0) {
				more = false;
				break;
			}
			if (n == 0 && total == 0)
				virtq_kicks_off(vq);
			res = tap_write(qp, c, hdr);
			if (res == AGAIN) {
				virtq_rewind(vq, pos);
				more = false;
				break;
			}
			/* Written or refused: the buffer is the guest's again. */
			virtq_push(vq, c->head, c->ndesc, 0);
			n++;
		}
		if (n) {
			qp->st.tx_batches++;
			total += n;
		}
		complete_batch(vq, used_before, &qp->st.tx_interrupts);
	}
	return total;
}

/* Read the tap's next frame into the holding buffer; false if none. */
static bool tap_read(struct vhost_qp *qp)
{
	ssize_t n = read(qp->tap_fd, qp->rx_hold, DATAPATH_TAP_FRAME);

	if (n < 0 && errno != EAGAIN && errno != EINTR)
		tap_error(qp, errno, "read");
	if (n <= 0)
		return false;
	qp->rx_hold_len = n;
	return true;
}

unsigned int tap_rx_pump(struct vhost_dev *d, struct vhost_qp *qp)
{
	struct virtq *vq = rxq(d, qp);
	unsigned int total = 0;

	if (qp->port_gone || !rx_may_run(d, qp))
		return 0;
	while (total < 8 * DATAPATH_BATCH) {
		uint16_t used_before = vq->used_idx;
		enum deliver_result res = DELIVERED;
		unsigned int k, delivered = 0;

		for (k = 0; k < DATAPATH_BATCH; k++) {
			if (!qp->rx_hold_len && !tap_read(qp))
				break;
			res = deliver(d, qp, qp->rx_hold, qp->rx_hold_len);
			if (res == NO_BUFFERS || res == BROKEN)
				break;
			qp->rx_hold_len = 0;
			delivered += res == DELIVERED;
		}
		total += delivered;
		if (!rx_batch_done(vq, qp, used_before, delivered, res) ||
		    k < DATAPATH_BATCH)
			break;
	}
	return total;
}

bool tap_announce(struct vhost_qp *qp, const uint8_t mac[6])
{
	uint8_t f[ETH_ZLEN];
	unsigned int len = rarp_frame(f, mac);

	if (write(qp->tap_fd, f, len) != (ssize_t)len)
		return false;	/* the caller tries again later */
	qp->st.announces++;
	return true;
}
