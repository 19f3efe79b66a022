// SPDX-License-Identifier: GPL-2.0
/*
 * The guest's side of a frame, the same for every kind of port: copying
 * between guest buffers and a frame, the length a port forwards, writing a
 * received frame into guest buffers (merged), ending a batch, and the RARP
 * that announces a migrated guest.
 */
#include <string.h>
#include <linux/if_ether.h>
#include <linux/virtio_net.h>

#include "guest_io.h"

/*
 * Copy @len bytes between @buf and the iovecs, starting @off bytes into
 * them: into the iovecs if @into_iov, else out of them.
 */
static void iov_copy(const struct iovec *iov, unsigned int niov, uint64_t off,
		     uint8_t *buf, uint64_t len, bool into_iov)
{
	for (unsigned int i = 0; i < niov && len; i++) {
		uint8_t *base = iov[i].iov_base;
		uint64_t n;

		if (off >= iov[i].iov_len) {
			off -= iov[i].iov_len;
			continue;
		}
		n = iov[i].iov_len - off;
		if (n > len)
			n = len;
		if (into_iov)
			memcpy(base + off, buf, n);
		else
			memcpy(buf, base + off, n);
		buf += n;
		len -= n;
		off = 0;
	}
}

static void iov_from_buf(const struct iovec *iov, unsigned int niov,
			 uint64_t off, const void *buf, uint64_t len)
{
	/* Only read from when into_iov. */
	iov_copy(iov, niov, off, (uint8_t *)buf, len, true);
}

void iov_to_buf(const struct iovec *iov, unsigned int niov, uint64_t off,
		void *buf, uint64_t len)
{
	iov_copy(iov, niov, off, buf, len, false);
}

/*
 * The longest frame the vport forwards (the kernel's is_skb_forwardable,
 * the bridge's MTU check): its MTU plus the frame's Ethernet header, 14
 * bytes or 18 with an 802.1Q or 802.1ad tag.
 */
unsigned int frame_limit(const struct vhost_qp *qp, const uint8_t *frame)
{
	uint16_t proto = frame[12] << 8 | frame[13];

	if (proto == ETH_P_8021Q || proto == ETH_P_8021AD)
		return qp->mtu + ETH_HLEN + 4;
	return qp->mtu + ETH_HLEN;
}

void complete_batch(struct virtq *vq, uint16_t used_before,
			   uint64_t *interrupts)
{
	if (vq->used_idx == used_before)
		return;
	virtq_publish(vq);
	if (virtq_notify(vq))
		(*interrupts)++;
}

/*
 * vhost-user.rst "Ring states": a started but disabled net ring must
 * "process and discard any TX packets". Leaving them would stop the
 * guest's queue until its TX watchdog resets the device (a disabled ring
 * is QEMU's link down, or a queue pair the guest no longer uses).
 */
unsigned int tx_discard(struct vhost_dev *d, struct vhost_qp *qp)
{
	struct virtq *vq = txq(d, qp);
	uint16_t used_before = vq->used_idx;
	unsigned int n = 0;

	while (n < 8 * DATAPATH_BATCH &&
	       virtq_pop(vq, &d->mem, &qp->chain, false) > 0) {
		virtq_push(vq, qp->chain.head, qp->chain.ndesc, 0);
		n++;
	}
	qp->st.tx_discarded += n;
	complete_batch(vq, used_before, &qp->st.tx_interrupts);
	return n;
}

/*
 * Write one frame into guest receive buffers: the virtio-net header then
 * the frame, merged over several buffers with MRG_RXBUF (VIRTIO 1.2
 * 5.1.6.4). Chains are only pushed to the used ring once the whole frame
 * has a place; otherwise the ring is rewound to where it was (bytes may
 * have been written into the buffers given back: they are the guest's to
 * overwrite, and logged as dirty, which costs a migration nothing).
 */
enum deliver_result deliver(struct vhost_dev *d, struct vhost_qp *qp,
				   const uint8_t *frame, uint32_t len)
{
	struct virtq *vq = rxq(d, qp);
	bool mrg = vhost_dev_has(d, VIRTIO_NET_F_MRG_RXBUF);
	unsigned int hdr_len = vhost_dev_net_hdr_len(d);
	struct virtio_net_hdr_mrg_rxbuf hdr = {
		.hdr.gso_type = VIRTIO_NET_HDR_GSO_NONE,
	};
	struct { uint16_t head, ndesc; uint32_t len; } used[DATAPATH_MAX_MERGE];
	uint16_t start_pos = virtq_pos(vq);
	unsigned int nbufs = 0;
	uint32_t off = 0;

	do {
		struct virtq_chain *c = nbufs ? &qp->chain : &qp->rx_first;
		uint64_t start = nbufs ? 0 : hdr_len, room;
		int r = virtq_pop(vq, &d->mem, c, true);

		if (r < 0)
			return BROKEN;
		if (r == 0) {
			/* Where the guest's buffers ended: RX waits for
			 * buffers beyond it. */
			qp->rx_wait_pos = virtq_pos(vq);
			virtq_rewind(vq, start_pos);
			/* A full ring that cannot hold the frame never will. */
			if (nbufs && nbufs >= vq->num)
				goto drop;
			return NO_BUFFERS;
		}
		/* 5.1.6.3.1: "each buffer MUST be at least the size of the
		 * struct virtio_net_hdr" (the first one at least, here). */
		if (c->len < start) {
			virtq_break(vq, "receive buffer of %llu bytes cannot "
				    "hold the %u byte header",
				    (unsigned long long)c->len, hdr_len);
			return BROKEN;
		}
		room = c->len - start;
		if (room > len - off)
			room = len - off;
		if (!mrg && room < len) {
			/* 5.1.6.3.1: without MRG_RXBUF one buffer must hold
			 * a whole frame; this guest's do not. */
			virtq_rewind(vq, start_pos);
			goto drop;
		}
		iov_from_buf(c->iov, c->niov, start, frame + off, room);
		virtq_log_chain(vq, c, start + room);
		qp->st.copies++;
		off += room;
		used[nbufs].head = c->head;
		used[nbufs].ndesc = c->ndesc;
		used[nbufs].len = start + room;
		nbufs++;
		if (off < len && nbufs == DATAPATH_MAX_MERGE) {
			virtq_rewind(vq, start_pos);
			goto drop;
		}
	} while (off < len);

	/* 5.1.6.4: num_buffers is 1 without MRG_RXBUF (VERSION_1). */
	hdr.num_buffers = nbufs;
	iov_from_buf(qp->rx_first.iov, qp->rx_first.niov, 0, &hdr, hdr_len);
	virtq_log_chain(vq, &qp->rx_first, hdr_len);
	for (unsigned int i = 0; i < nbufs; i++)
		virtq_push(vq, used[i].head, used[i].ndesc, used[i].len);
	qp->st.rx_frames++;
	qp->st.rx_bytes += len;
	qp->st.rx_buffers += nbufs;
	return DELIVERED;
drop:
	qp->st.rx_too_big++;
	return DROPPED;
}

bool rx_may_run(struct vhost_dev *d, struct vhost_qp *qp)
{
	struct virtq *vq = rxq(d, qp);

	if (!vhost_dev_ring_ready(d, vq))
		return false;
	if (qp->rx_waiting) {
		if (!virtq_more_after(vq, qp->rx_wait_pos))
			return false;
		qp->rx_waiting = false;
	}
	return true;
}

bool rx_batch_done(struct virtq *vq, struct vhost_qp *qp, uint16_t used_before,
		   unsigned int delivered, enum deliver_result last)
{
	if (delivered)
		qp->st.rx_batches++;
	complete_batch(vq, used_before, &qp->st.rx_interrupts);
	if (last == NO_BUFFERS) {
		qp->rx_waiting = true;
		qp->st.rx_no_buffers++;
		return false;
	}
	return last != BROKEN;
}

/*
 * A RARP (RFC 903 request, "reverse request" 3, as QEMU's own announce
 * makes) from the guest's MAC to everyone: the bridges on the way learn
 * where the guest is now.
 */
unsigned int rarp_frame(uint8_t *f, const uint8_t mac[6])
{
	static const uint8_t head[] = {
		0x00, 0x01,	/* hardware: Ethernet */
		0x08, 0x00,	/* protocol: IPv4 */
		6, 4,		/* address lengths */
		0x00, 0x03,	/* reverse request */
	};

	memset(f, 0, ETH_ZLEN);
	memset(f, 0xff, ETH_ALEN);
	memcpy(f + ETH_ALEN, mac, ETH_ALEN);
	f[12] = ETH_P_RARP >> 8;
	f[13] = ETH_P_RARP & 0xff;
	memcpy(f + ETH_HLEN, head, sizeof(head));
	memcpy(f + ETH_HLEN + 8, mac, ETH_ALEN);	/* sender: the guest */
	memcpy(f + ETH_HLEN + 18, mac, ETH_ALEN);	/* target: the guest */
	return ETH_ZLEN;
}
