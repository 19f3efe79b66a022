/* SPDX-License-Identifier: GPL-2.0 */
/*
 * One AF_XDP socket with its own UMEM, bound to one queue of the VM's
 * vport, and registered in the vport's XSKMAP. The UMEM is split once:
 * the first half of the frames belongs to the fill/RX side, the second
 * half to TX, and each half only ever cycles through its own rings.
 */
#ifndef XBR_XSK_PORT_H
#define XBR_XSK_PORT_H

#include <stdbool.h>
#include <stdint.h>
#include <xdp/xsk.h>

#define XSK_FRAME_SIZE		4096u	/* the largest frame we carry */
#define XSK_RX_FRAMES		2048u	/* = fill and RX ring size */
#define XSK_TX_FRAMES		2048u	/* = TX and completion ring size */
#define XSK_NUM_FRAMES		(XSK_RX_FRAMES + XSK_TX_FRAMES)

struct xsk_port {
	unsigned int queue;
	uint8_t *umem_area;
	struct xsk_umem *umem;
	struct xsk_socket *xsk;
	struct xsk_ring_prod fill, tx;
	struct xsk_ring_cons comp, rx;
	int fd;
	int map_fd;		/* XSKMAP we sit in at key @queue, or -1 */

	uint64_t tx_free[XSK_TX_FRAMES];	/* TX frames we may fill */
	unsigned int tx_nfree;
	unsigned int tx_unsent;	/* in the TX ring, not yet taken by the kernel */
};

int xsk_port_open(struct xsk_port *p, const char *ifname, unsigned int queue,
		  int map_fd);
void xsk_port_close(struct xsk_port *p);

static inline uint8_t *xsk_port_frame(const struct xsk_port *p, uint64_t addr)
{
	return p->umem_area + addr;
}

/* Take back TX frames the kernel completed; returns how many. */
unsigned int xsk_port_reclaim(struct xsk_port *p);
/* Return RX frames to the fill ring (it always has room: see above). */
void xsk_port_refill(struct xsk_port *p, const uint64_t *addrs, unsigned int n);
/*
 * Have the kernel send what is in the TX ring, if it asked to be woken
 * (need_wakeup). Returns 1 if a sendto was made, 0 if not needed, -1 if
 * the kernel could not take everything now (device queue full: retry soon),
 * -2 if the device cannot send at all (down or gone: retry later).
 */
int xsk_port_kick(struct xsk_port *p);

struct xdp_statistics;
int xsk_port_stats(const struct xsk_port *p, struct xdp_statistics *st);

#endif
