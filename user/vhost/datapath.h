/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Moving frames between one virtio-net queue pair and its AF_XDP socket
 * (or its queue of a tap port: see datapath_tap.c).
 *
 * TX (guest -> vport): a descriptor chain is taken from the guest only
 * when a UMEM frame and a TX ring slot are free for it; otherwise it stays
 * in the guest's avail ring, the guest's queue fills and it stops sending.
 * Completions (and a retry timer when the device queue is stopped) resume.
 *
 * RX (vport -> guest): frames are taken from the XSK RX ring only when the
 * guest has buffers for them; otherwise they stay there and the kernel
 * counts what it then drops (XDP_STATISTICS).
 *
 * Every chain taken is completed (used) in the same call, so at any return
 * to the event loop the guest's used index equals our last_avail: there is
 * nothing in flight to lose when the front-end goes away.
 */
#ifndef XBR_VHOST_DATAPATH_H
#define XBR_VHOST_DATAPATH_H

#include <stdbool.h>

#include "stats.h"
#include "vhost_user.h"
#include "xsk_port.h"

/* 32 = what the kernel's copy-mode AF_XDP transmits per sendto. */
#define DATAPATH_BATCH		32u
/* Guest buffers one received frame may be merged over. */
#define DATAPATH_MAX_MERGE	64u

/* The largest frame a tap hands us (64 KiB: tun's own limit). */
#define DATAPATH_TAP_FRAME	65536u

struct vhost_qp {
	unsigned int index;
	struct xsk_port xsk;
	int tap_fd;		/* the queue of a tap port, or -1: AF_XDP */
	bool port_gone;		/* the tap was deleted under us */
	/* A frame read from the tap that waits for guest buffers. */
	uint8_t *rx_hold;
	uint32_t rx_hold_len;
	struct vhost_qstats st;
	/* The vport's MTU: frames longer than it and their Ethernet header
	 * are dropped and counted (tx_too_big), as are frames over a UMEM
	 * frame (XSK_FRAME_SIZE). */
	unsigned int mtu;

	bool tx_starved;	/* no UMEM frame or TX slot: want completions */
	bool tx_retry;		/* kernel left frames in the TX ring: kick soon */
	bool tx_down;		/* ... because the vport is down: not so soon */
	bool rx_waiting;	/* guest had no buffers at the position below */
	uint16_t rx_wait_pos;

	/* Scratch for the chains of one frame, kept off the stack. */
	struct virtq_chain chain, rx_first;
};

/* One round in each direction; each returns the frames moved. */
unsigned int datapath_tx(struct vhost_dev *d, struct vhost_qp *qp);
unsigned int datapath_rx(struct vhost_dev *d, struct vhost_qp *qp);

/* Send one RARP from @mac (SEND_RARP: the guest arrived here by live
 * migration); false if the TX ring has no room now. */
bool datapath_announce(struct vhost_qp *qp, const uint8_t mac[6]);

/*
 * About to sleep: ask the guest for the kicks we need (TX always unless
 * starved, RX only while waiting for buffers) and look once more. False if
 * work arrived meanwhile and the caller must not sleep.
 */
bool datapath_may_sleep(struct vhost_dev *d, struct vhost_qp *qp);

#endif
