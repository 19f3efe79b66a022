/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Per queue pair counters. They are written by the datapath only and
 * exported as a JSON file (see README.md "Statistics") that `xbr-vhost
 * --stats` and `xbr vport show` read.
 */
#ifndef XBR_VHOST_STATS_H
#define XBR_VHOST_STATS_H

#include <stdint.h>
#include <stdio.h>

/* X(name, what it counts) */
#define VHOST_QSTATS(X)							\
	X(tx_frames,	"guest frames handed to the kernel")		\
	X(tx_bytes,	"bytes of those frames, without virtio header")	\
	X(tx_batches,	"TX pump rounds that moved frames")		\
	X(tx_kicks,	"guest kicks (notifications) on the TX queue")	\
	X(tx_wakeups,	"sendto calls made because need_wakeup asked")	\
	X(tx_stalls,	"times TX stopped: no UMEM frame, TX slot or tap")	\
	X(tx_retries,	"sendto calls the kernel could not finish")	\
	X(tx_interrupts, "interrupts sent for the TX queue")		\
	X(tx_invalid,	"guest frames refused: shorter than Ethernet")	\
	X(tx_too_big,	"guest frames over the vport's MTU: dropped")	\
	X(tx_discarded,	"guest frames discarded: ring disabled (spec)")	\
	X(tx_ring_errors, "chains that broke the ring: dropped, stopped") \
	X(rx_frames,	"frames written into guest buffers")		\
	X(rx_bytes,	"bytes of those frames, without virtio header")	\
	X(rx_batches,	"RX pump rounds that moved frames")		\
	X(rx_kicks,	"guest kicks on the RX queue (new buffers)")	\
	X(rx_interrupts, "interrupts sent for the RX queue")		\
	X(rx_buffers,	"guest buffers used (>1 per frame: merged)")	\
	X(rx_no_buffers, "times RX stopped: the guest had no buffers")	\
	X(rx_too_big,	"frames larger than all guest buffers: dropped")\
	X(rx_ring_errors, "chains that broke the ring: dropped, stopped") \
	X(copies,	"memcpy calls between guest and UMEM")		\
	X(announces,	"RARPs sent for the guest after a migration")

struct vhost_qstats {
#define X(name, doc) uint64_t name;
	VHOST_QSTATS(X)
#undef X
	/* From the kernel (XDP_STATISTICS): frames it could not give us. */
	uint64_t xsk_rx_dropped;
	uint64_t xsk_rx_ring_full;
	uint64_t xsk_fill_empty;
	uint64_t xsk_tx_invalid;
};

/* Frames xbr-vhost itself dropped: the number the backpressure test
 * requires to be zero. */
static inline uint64_t vhost_qstats_drops(const struct vhost_qstats *s)
{
	return s->tx_invalid + s->tx_too_big + s->rx_too_big;
}

void vhost_qstats_json(FILE *f, unsigned int queue, const struct vhost_qstats *s);

#endif
