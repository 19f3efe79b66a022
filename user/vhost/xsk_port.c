// SPDX-License-Identifier: GPL-2.0
/* AF_XDP socket setup with libxdp's xsk API (Documentation/networking/
 * af_xdp.rst). The XDP program that redirects into our XSKMAP belongs to
 * the vport, so libxdp must not load its own (INHIBIT_PROG_LOAD). */
#include <errno.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/socket.h>
#include <unistd.h>
#include <linux/if_xdp.h>
#include <bpf/bpf.h>

#include "xsk_port.h"
#include "log.h"

int xsk_port_open(struct xsk_port *p, const char *ifname, unsigned int queue,
		  int map_fd)
{
	const struct xsk_umem_config ucfg = {
		.fill_size = XSK_RX_FRAMES,
		.comp_size = XSK_TX_FRAMES,
		.frame_size = XSK_FRAME_SIZE,
		.frame_headroom = 0,
	};
	const struct xsk_socket_config scfg = {
		.rx_size = XSK_RX_FRAMES,
		.tx_size = XSK_TX_FRAMES,
		.libxdp_flags = XSK_LIBXDP_FLAGS__INHIBIT_PROG_LOAD,
		/* Sleep instead of having the kernel poll our rings. */
		.bind_flags = XDP_USE_NEED_WAKEUP,
	};
	size_t size = (size_t)XSK_NUM_FRAMES * XSK_FRAME_SIZE;
	uint32_t idx;
	int err;

	memset(p, 0, sizeof(*p));
	p->queue = queue;
	p->map_fd = -1;
	p->fd = -1;
	p->umem_area = mmap(NULL, size, PROT_READ | PROT_WRITE,
			    MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (p->umem_area == MAP_FAILED) {
		p->umem_area = NULL;
		return -errno;
	}
	err = xsk_umem__create(&p->umem, p->umem_area, size, &p->fill,
			       &p->comp, &ucfg);
	if (err) {
		log_err("%s queue %u: UMEM: %s", ifname, queue, strerror(-err));
		goto fail;
	}
	/* A socket just closed on this queue (a restarted xbr-vhost) holds
	 * it until the kernel's deferred release runs: EBUSY for a while. */
	for (int tries = 0; tries < 30; tries++) {
		err = xsk_socket__create(&p->xsk, ifname, queue, p->umem,
					 &p->rx, &p->tx, &scfg);
		if (err != -EBUSY)
			break;
		usleep(100000);
	}
	if (err) {
		log_err("%s queue %u: AF_XDP socket: %s%s", ifname, queue,
			strerror(-err), err == -EINVAL ?
			" (does it have that many queues?)" : "");
		goto fail;
	}
	p->fd = xsk_socket__fd(p->xsk);

	/* Give the kernel every RX frame; TX frames wait in our stack. */
	if (xsk_ring_prod__reserve(&p->fill, XSK_RX_FRAMES, &idx) !=
	    XSK_RX_FRAMES) {
		err = -ENOSPC;
		goto fail;
	}
	for (unsigned int i = 0; i < XSK_RX_FRAMES; i++)
		*xsk_ring_prod__fill_addr(&p->fill, idx + i) =
			(uint64_t)i * XSK_FRAME_SIZE;
	xsk_ring_prod__submit(&p->fill, XSK_RX_FRAMES);
	for (unsigned int i = 0; i < XSK_TX_FRAMES; i++)
		p->tx_free[i] = (uint64_t)(XSK_RX_FRAMES + i) * XSK_FRAME_SIZE;
	p->tx_nfree = XSK_TX_FRAMES;

	if (map_fd >= 0) {
		/* Last, so the datapath only redirects to a ready socket. */
		err = xsk_socket__update_xskmap(p->xsk, map_fd);
		if (err) {
			log_err("%s queue %u: XSKMAP insert: %s", ifname,
				queue, strerror(-err));
			goto fail;
		}
		p->map_fd = map_fd;
	}
	return 0;
fail:
	xsk_port_close(p);
	return err;
}

void xsk_port_close(struct xsk_port *p)
{
	if (p->map_fd >= 0)
		bpf_map_delete_elem(p->map_fd, &p->queue);
	p->map_fd = -1;
	if (p->xsk)
		xsk_socket__delete(p->xsk);
	p->xsk = NULL;
	if (p->umem)
		xsk_umem__delete(p->umem);
	p->umem = NULL;
	if (p->umem_area)
		munmap(p->umem_area, (size_t)XSK_NUM_FRAMES * XSK_FRAME_SIZE);
	p->umem_area = NULL;
	p->fd = -1;
}

unsigned int xsk_port_reclaim(struct xsk_port *p)
{
	uint32_t idx;
	unsigned int n = xsk_ring_cons__peek(&p->comp, XSK_TX_FRAMES, &idx);

	for (unsigned int i = 0; i < n; i++)
		p->tx_free[p->tx_nfree++] =
			*xsk_ring_cons__comp_addr(&p->comp, idx + i);
	if (n)
		xsk_ring_cons__release(&p->comp, n);
	return n;
}

void xsk_port_refill(struct xsk_port *p, const uint64_t *addrs, unsigned int n)
{
	uint32_t idx;

	if (!n)
		return;
	/* Only XSK_RX_FRAMES frames exist for a ring of that size. */
	if (xsk_ring_prod__reserve(&p->fill, n, &idx) != n) {
		log_err("queue %u: fill ring full, losing %u frames", p->queue, n);
		return;
	}
	for (unsigned int i = 0; i < n; i++)
		*xsk_ring_prod__fill_addr(&p->fill, idx + i) = addrs[i];
	xsk_ring_prod__submit(&p->fill, n);
}

int xsk_port_kick(struct xsk_port *p)
{
	/* How far the kernel got: TX slots it consumed are free again. */
	p->tx_unsent = XSK_TX_FRAMES - xsk_prod_nb_free(&p->tx, XSK_TX_FRAMES);
	if (!p->tx_unsent || !xsk_ring_prod__needs_wakeup(&p->tx))
		return 0;
	if (sendto(p->fd, NULL, 0, MSG_DONTWAIT, NULL, 0) >= 0)
		return 1;
	switch (errno) {
	case EAGAIN:	/* copy mode sends a bounded batch per call */
	case EBUSY:	/* the device queue is stopped (backpressure) */
	case ENOBUFS:	/* no skb memory: also transient */
	case EINTR:
		return -1;
	default:
		/* ENETDOWN, ENXIO: the vport is gone or down; frames wait
		 * in the ring, and the guest's queue fills and stops. */
		log_dbg("queue %u: sendto: %m", p->queue);
		return -2;
	}
}

int xsk_port_stats(const struct xsk_port *p, struct xdp_statistics *st)
{
	socklen_t len = sizeof(*st);

	memset(st, 0, sizeof(*st));
	if (getsockopt(p->fd, SOL_XDP, XDP_STATISTICS, st, &len))
		return -errno;
	return 0;
}
