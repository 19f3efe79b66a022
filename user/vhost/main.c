// SPDX-License-Identifier: GPL-2.0
/*
 * xbr-vhost: a vhost-user virtio-net back-end that moves a guest's frames
 * through AF_XDP sockets on its xbr vport, or through the queues of a tap
 * that is a bridge port. One thread, one epoll loop: the vhost-user
 * socket, the guest's kick eventfds and the port's sockets (or tap fds)
 * are its event sources; the frame pumps run after every wakeup.
 */
#include <errno.h>
#include <getopt.h>
#include <limits.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>
#include <linux/if_ether.h>
#include <linux/if_xdp.h>
#include <bpf/bpf.h>

#include "libxbr.h"

#include "datapath.h"
#include "log.h"
#include "takeover.h"
#include "tap_port.h"
#include "vhost_sock.h"
#include "vhost_user.h"

struct options {
	const char *bridge, *vport, *ifname, *xsk_map, *tap, *socket, *takeover;
	unsigned int queues;
	bool client, stats, json;
	unsigned int busy_poll_us;
};

enum src_type { SRC_LISTEN, SRC_CONN, SRC_KICK, SRC_PORT };

struct src {
	enum src_type type;
	unsigned int index;	/* vring or queue pair */
};

struct app {
	struct options o;
	char map_path[PATH_MAX], stats_path[PATH_MAX + 8], rings_path[PATH_MAX + 8];
	char ifname[IFNAMSIZ], peer[IFNAMSIZ];	/* the vport's VM and bridge sides */
	struct vhost_dev dev;
	struct vhost_qp qp[XBR_VHOST_MAX_QP];
	int epfd, lfd, cfd, map_fd;
	/* What epoll currently watches, to sync after each message. */
	unsigned int kick_gen[2 * XBR_VHOST_MAX_QP];
	int kick_fd[2 * XBR_VHOST_MAX_QP];
	uint32_t port_events[XBR_VHOST_MAX_QP];
	struct src listen_src, conn_src, kick_src[2 * XBR_VHOST_MAX_QP],
		port_src[XBR_VHOST_MAX_QP];
	uint64_t next_connect_ns, next_stats_ns;
	struct takeover takeover;
	unsigned int ring_starts;	/* dev.ring_starts we acted on */
};

static volatile sig_atomic_t quit, dump_stats;

static void on_signal(int sig)
{
	if (sig == SIGUSR1)
		dump_stats = 1;
	else
		quit = 1;
}

static uint64_t now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1000000000ull + ts.tv_nsec;
}

static void usage(FILE *f)
{
	fprintf(f,
"Usage: xbr-vhost --bridge BR --vport NAME [--socket PATH] [--queues N]\n"
"                 [--client] [--busy-poll USEC] [--takeover VPORT] [-v|-q]\n"
"       xbr-vhost --ifname DEV --xsk-map PIN --socket PATH [...]\n"
"       xbr-vhost [--bridge BR] --tap DEV [--socket PATH] [...]\n"
"       xbr-vhost --stats [-j] {--socket PATH | --bridge BR --vport NAME}\n"
"Serves the vhost-user protocol on PATH (or connects to it with --client)\n"
"and moves the guest's frames through AF_XDP sockets on the vport, one per\n"
"queue pair, inserted into the vport's XSKMAP\n"
"($XBR_PIN_ROOT/xbr/BR/vports/NAME/xsks, XBR_PIN_ROOT defaults to\n"
"/sys/fs/bpf). PATH defaults to $XBR_RUN_DIR/BR/NAME.sock (XBR_RUN_DIR\n"
"defaults to /run/xbr). Counters are kept in PATH.stats (JSON).\n"
"--tap DEV: the queue pairs are queues of the tap DEV, a port of a bridge\n"
"(guest frames written into it, one write each, meet the bridge's XDP\n"
"program inside the write); several queues need a multi_queue tap. With\n"
"--bridge BR, DEV must be a port of BR and PATH defaults to\n"
"$XBR_RUN_DIR/BR/DEV.sock.\n"
"--takeover VPORT: the guest may arrive by live migration from VPORT on the\n"
"same bridge; NAME stays locked with no MAC until it runs here, then VPORT's\n"
"MAC lock moves to NAME.\n");
}

/*
 * Without --socket, a vport's (or a bridge's tap's) socket is
 * $XBR_RUN_DIR/BR/NAME.sock (XBR_RUN_DIR defaults to /run/xbr), so that
 * `xbr vport show` can find NAME.sock.stats without being told.
 */
static bool default_socket(struct options *o)
{
	static char path[PATH_MAX];
	const char *run = getenv("XBR_RUN_DIR");
	const char *name = o->vport ? o->vport : o->tap;
	char dir[PATH_MAX];

	if (!o->bridge || !name)
		return false;
	if (!run)
		run = "/run/xbr";
	if ((size_t)snprintf(path, sizeof(path), "%s/%s/%s.sock", run,
			     o->bridge, name) >= sizeof(path))
		return false;
	snprintf(dir, sizeof(dir), "%s/%s", run, o->bridge);
	mkdir(run, 0755);
	mkdir(dir, 0755);
	o->socket = path;
	return true;
}

static int parse_args(struct options *o, int argc, char **argv)
{
	static const struct option opts[] = {
		{ "bridge", required_argument, NULL, 'b' },
		{ "vport", required_argument, NULL, 'p' },
		{ "ifname", required_argument, NULL, 'i' },
		{ "xsk-map", required_argument, NULL, 'm' },
		{ "tap", required_argument, NULL, 't' },
		{ "socket", required_argument, NULL, 's' },
		{ "queues", required_argument, NULL, 'n' },
		{ "client", no_argument, NULL, 'c' },
		{ "busy-poll", required_argument, NULL, 'B' },
		{ "takeover", required_argument, NULL, 'T' },
		{ "stats", no_argument, NULL, 'S' },
		{ "json", no_argument, NULL, 'j' },
		{ "verbose", no_argument, NULL, 'v' },
		{ "quiet", no_argument, NULL, 'q' },
		{ "help", no_argument, NULL, 'h' },
		{ 0 }
	};
	char *end;
	int c;

	o->queues = 1;
	while ((c = getopt_long(argc, argv, "jvqh", opts, NULL)) != -1) {
		switch (c) {
		case 'b': o->bridge = optarg; break;
		case 'p': o->vport = optarg; break;
		case 'i': o->ifname = optarg; break;
		case 'm': o->xsk_map = optarg; break;
		case 't': o->tap = optarg; break;
		case 's': o->socket = optarg; break;
		case 'c': o->client = true; break;
		case 'T': o->takeover = optarg; break;
		case 'S': o->stats = true; break;
		case 'j': o->json = true; break;
		case 'v': vhost_log_level++; break;
		case 'q': vhost_log_level = 0; break;
		case 'n':
			o->queues = strtoul(optarg, &end, 0);
			if (*end || !o->queues || o->queues > XBR_VHOST_MAX_QP) {
				fprintf(stderr, "xbr-vhost: --queues: 1 to %u\n",
					XBR_VHOST_MAX_QP);
				return -1;
			}
			break;
		case 'B':
			o->busy_poll_us = strtoul(optarg, &end, 0);
			if (*end) {
				fprintf(stderr, "xbr-vhost: --busy-poll USEC\n");
				return -1;
			}
			break;
		case 'h': usage(stdout); exit(0);
		default: usage(stderr); return -1;
		}
	}
	if (optind != argc) {
		usage(stderr);
		return -1;
	}
	if (!o->socket && !default_socket(o)) {
		fprintf(stderr, "xbr-vhost: need --socket PATH (or --bridge "
			"and --vport or --tap)\n");
		return -1;
	}
	if (o->stats)
		return 0;
	if (o->tap && (o->xsk_map || o->ifname || o->vport || o->takeover)) {
		fprintf(stderr, "xbr-vhost: --tap DEV serves a tap, not a vport: "
			"no --vport, --ifname, --xsk-map or --takeover with it\n");
		return -1;
	}
	if (!o->tap && (o->xsk_map ? !o->ifname : !(o->bridge && o->vport))) {
		fprintf(stderr, "xbr-vhost: need --bridge and --vport "
			"(or --ifname and --xsk-map, or --tap)\n");
		return -1;
	}
	if (o->tap)
		o->ifname = o->tap;
	if (o->takeover && (o->xsk_map || !strcmp(o->takeover, o->vport))) {
		fprintf(stderr, "xbr-vhost: --takeover VPORT needs --bridge and --vport, and "
			"another vport than NAME\n");
		return -1;
	}
	return 0;
}

/* --stats: print the counters a running xbr-vhost keeps for PATH. */
static int print_stats(const struct options *o)
{
	char path[PATH_MAX + 8], line[8192];
	FILE *f;

	snprintf(path, sizeof(path), "%s.stats", o->socket);
	f = fopen(path, "r");
	if (!f) {
		fprintf(stderr, "xbr-vhost: %s: %s (is xbr-vhost running "
			"on %s?)\n", path, strerror(errno), o->socket);
		return 1;
	}
	while (fgets(line, sizeof(line), f)) {
		char *p, *q;

		if (o->json || !strstr(line, "\"queue\"")) {
			if (o->json)
				fputs(line, stdout);
			continue;
		}
		/* One queue object per line: "name value", one a line. */
		for (p = line; (p = strchr(p, '"')); p = q + 1) {
			bool first = p == strchr(line, '"');

			q = strchr(p + 1, '"');
			if (!q)
				break;
			*q = 0;
			printf("%s%s ", first ? "" : "    ", p + 1);
			p = q + 2;
			q = p + strcspn(p, ",}");
			printf("%.*s\n", (int)(q - p), p);
		}
	}
	fclose(f);
	return 0;
}

static void refresh_kernel_stats(struct app *a)
{
	for (unsigned int i = 0; i < a->o.queues; i++) {
		struct xdp_statistics st;

		if (a->qp[i].tap_fd >= 0 || xsk_port_stats(&a->qp[i].xsk, &st))
			continue;
		a->qp[i].st.xsk_rx_dropped = st.rx_dropped;
		a->qp[i].st.xsk_rx_ring_full = st.rx_ring_full;
		a->qp[i].st.xsk_fill_empty = st.rx_fill_ring_empty_descs;
		a->qp[i].st.xsk_tx_invalid = st.tx_invalid_descs;
	}
}

static void write_stats(struct app *a, FILE *to)
{
	char tmp[PATH_MAX + 16];
	FILE *f = to;

	refresh_kernel_stats(a);
	if (!f) {
		snprintf(tmp, sizeof(tmp), "%s.tmp", a->stats_path);
		f = fopen(tmp, "w");
		if (!f)
			return;
	}
	fprintf(f, "{\"socket\":\"%s\",\"ifname\":\"%s\",\"connected\":%s,"
		"\"dirty_logging\":%s,\"dirty_pages\":%llu,\"queues\":[\n",
		a->o.socket, a->o.ifname, a->cfd >= 0 ? "true" : "false",
		vhost_log_on(&a->dev.log) ? "true" : "false",
		(unsigned long long)a->dev.log.pages);
	for (unsigned int i = 0; i < a->o.queues; i++) {
		vhost_qstats_json(f, i, &a->qp[i].st);
		fprintf(f, "%s\n", i + 1 < a->o.queues ? "," : "");
	}
	fprintf(f, "]}\n");
	if (!to) {
		fclose(f);
		rename(tmp, a->stats_path);
	}
}

/* What epoll watches for a queue pair's frames from the port. */
static int qp_fd(const struct vhost_qp *qp)
{
	return qp->tap_fd >= 0 ? qp->tap_fd : qp->xsk.fd;
}

static void ep_set(struct app *a, int fd, uint32_t events, struct src *s,
		   int op)
{
	struct epoll_event ev = { .events = events, .data.ptr = s };

	if (epoll_ctl(a->epfd, op, fd, &ev) && op != EPOLL_CTL_DEL)
		log_err("epoll_ctl(%d): %m", fd);
}

/* Bring epoll in line with the kick fds the front-end gave us and with
 * what each socket should wake us for. */
static void sync_epoll(struct app *a)
{
	for (unsigned int i = 0; i < 2 * a->o.queues; i++) {
		struct virtq *vq = &a->dev.vq[i];

		if (a->kick_gen[i] == vq->kick_gen)
			continue;
		/* A closed fd has left epoll by itself; a still-open
		 * replaced one has not. */
		if (a->kick_fd[i] >= 0)
			epoll_ctl(a->epfd, EPOLL_CTL_DEL, a->kick_fd[i], NULL);
		a->kick_fd[i] = vq->kick_fd;
		a->kick_gen[i] = vq->kick_gen;
		/* A ring (re)started or stopped: what we waited for on it
		 * belongs to its previous life. */
		if (i & 1)
			a->qp[i / 2].tx_starved = false;
		else
			a->qp[i / 2].rx_waiting = false;
		if (vq->kick_fd >= 0)
			ep_set(a, vq->kick_fd, EPOLLIN, &a->kick_src[i],
			       EPOLL_CTL_ADD);
	}
	for (unsigned int i = 0; i < a->o.queues; i++) {
		struct vhost_qp *qp = &a->qp[i];
		uint32_t ev = 0;

		if (vhost_dev_ring_ready(&a->dev, &a->dev.vq[2 * i]) && !qp->rx_waiting)
			ev |= EPOLLIN;
		/* A tap is always writable: its retries are timed. */
		if (qp->tx_starved && qp->tap_fd < 0)
			ev |= EPOLLOUT | EPOLLET;
		if (ev != a->port_events[i]) {
			ep_set(a, qp_fd(qp), ev, &a->port_src[i], EPOLL_CTL_MOD);
			a->port_events[i] = ev;
		}
	}
}

static void disconnect(struct app *a, const char *why)
{
	log_info("front-end disconnected: %s", why);
	epoll_ctl(a->epfd, EPOLL_CTL_DEL, a->cfd, NULL);
	close(a->cfd);
	a->cfd = -1;
	for (unsigned int i = 0; i < 2 * a->o.queues; i++)
		if (a->kick_fd[i] >= 0)
			epoll_ctl(a->epfd, EPOLL_CTL_DEL, a->kick_fd[i], NULL);
	vhost_dev_reset(&a->dev);
	sync_epoll(a);
	if (a->lfd >= 0)
		ep_set(a, a->lfd, EPOLLIN, &a->listen_src, EPOLL_CTL_ADD);
	else
		a->next_connect_ns = now_ns() + 1000000000ull;
}

static void connected(struct app *a, int fd)
{
	a->cfd = fd;
	ep_set(a, fd, EPOLLIN, &a->conn_src, EPOLL_CTL_ADD);
	/* One front-end at a time: the next waits in the backlog. */
	if (a->lfd >= 0)
		epoll_ctl(a->epfd, EPOLL_CTL_DEL, a->lfd, NULL);
	log_info("front-end connected on %s", a->o.socket);
}

static void try_connect(struct app *a)
{
	int fd = vhost_sock_connect(a->o.socket);

	if (fd >= 0)
		connected(a, fd);
	else
		a->next_connect_ns = now_ns() + 1000000000ull;
}

/*
 * A live migration's end, as xbr-vhost sees it: the front-end starts the
 * device (at the destination, only once the guest runs there), and QEMU
 * asks for an announce (SEND_RARP, once per announce round). The MAC lock
 * moves first, or the bridge would drop the announce from a port that
 * does not own the guest's MAC yet.
 */
static void migration_events(struct app *a)
{
	struct vhost_dev *d = &a->dev;

	if (d->ring_starts != a->ring_starts) {
		a->ring_starts = d->ring_starts;
		takeover_claim(&a->takeover, "the front-end started the device");
	}
	while (d->rarps) {
		if (a->takeover.active && memcmp(d->rarp_mac, a->takeover.mac, 6))
			log_warn("SEND_RARP for %02x:%02x:%02x:%02x:%02x:%02x, not the MAC "
				 "the vport's lock is about", d->rarp_mac[0], d->rarp_mac[1],
				 d->rarp_mac[2], d->rarp_mac[3], d->rarp_mac[4], d->rarp_mac[5]);
		else
			takeover_claim(&a->takeover, "SEND_RARP");
		if (!datapath_announce(&a->qp[0], d->rarp_mac))
			break;	/* TX ring full: again after the next round */
		d->rarps--;
	}
}

static void handle_message(struct app *a)
{
	static struct vhu_msg msg, reply;
	int fds[VHU_MAX_REGIONS];
	unsigned int nfds;
	int err, r;

	err = vhost_sock_recv(a->cfd, &msg, fds, &nfds);
	if (err) {
		disconnect(a, err == -ECONNRESET ? "closed" : strerror(-err));
		return;
	}
	r = vhost_user_dispatch(&a->dev, &msg, fds, nfds, &reply);
	if (r < 0) {
		disconnect(a, "protocol error");
		return;
	}
	if (r > 0 && vhost_sock_send(a->cfd, &reply)) {
		disconnect(a, "cannot reply");
		return;
	}
	migration_events(a);
	sync_epoll(a);
}

static void handle_kick(struct app *a, unsigned int vring)
{
	uint64_t n;

	if (read(a->kick_fd[vring], &n, sizeof(n)) != sizeof(n))
		return;
	if (vring & 1)
		a->qp[vring / 2].st.tx_kicks += n;
	else
		a->qp[vring / 2].st.rx_kicks += n;
}

/* Run every queue pair once; true if any frame moved. */
static bool pump(struct app *a)
{
	unsigned int moved = 0;

	for (unsigned int i = 0; i < a->o.queues; i++) {
		moved += datapath_tx(&a->dev, &a->qp[i]);
		moved += datapath_rx(&a->dev, &a->qp[i]);
	}
	return moved;
}

static bool may_sleep(struct app *a)
{
	bool ok = true;

	for (unsigned int i = 0; i < a->o.queues; i++)
		ok &= datapath_may_sleep(&a->dev, &a->qp[i]);
	return ok;
}

/* How long epoll may sleep, in ns. */
static int64_t sleep_ns(struct app *a)
{
	int64_t t = 1000000000;	/* stats file refresh, reconnects */

	for (unsigned int i = 0; i < a->o.queues; i++) {
		/* The kernel does not tell us when a stopped device queue
		 * restarts: poll the TX ring while it holds frames. */
		if (a->qp[i].tx_retry && !a->qp[i].tx_down)
			t = 20000;
		else if (a->qp[i].tx_retry && t > 100000000)
			t = 100000000;
		else if (a->qp[i].tx_starved && t > 1000000)
			t = 1000000;
	}
	for (unsigned int i = 0; i < 2 * a->o.queues; i++)
		/* A ring without kick fd ("invalid FD flag") is polled. */
		if (a->dev.vq[i].started && a->dev.vq[i].kick_fd < 0 &&
		    t > 1000000)
			t = 1000000;
	return t;
}

/*
 * The vport's MTU, the smaller of its two sides' (the receiving side's is
 * what veth checks): larger frames are dropped here and counted rather
 * than by the kernel unseen. Read again every second: an MTU may change
 * under a running guest.
 */
static void update_mtu(struct app *a)
{
	const char *devs[] = { a->o.ifname, a->peer };	/* both ends of the veth */
	unsigned int mtu = XSK_FRAME_SIZE;
	int fd = socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0);

	for (unsigned int i = 0; fd >= 0 && i < 2; i++) {
		struct ifreq ifr = { 0 };

		if (!devs[i][0])
			continue;
		snprintf(ifr.ifr_name, sizeof(ifr.ifr_name), "%s", devs[i]);
		if (!ioctl(fd, SIOCGIFMTU, &ifr) && (unsigned int)ifr.ifr_mtu < mtu)
			mtu = ifr.ifr_mtu;
	}
	if (fd >= 0)
		close(fd);
	if (mtu != a->qp[0].mtu)
		log_info("%s: MTU %u, frames up to %u bytes (%u tagged)", a->o.ifname, mtu,
			 mtu + ETH_HLEN < XSK_FRAME_SIZE ? mtu + ETH_HLEN : XSK_FRAME_SIZE,
			 mtu + ETH_HLEN + 4 < XSK_FRAME_SIZE ? mtu + ETH_HLEN + 4 : XSK_FRAME_SIZE);
	for (unsigned int i = 0; i < a->o.queues; i++)
		a->qp[i].mtu = mtu;
}

/*
 * When its device goes away (the vport was deleted) the kernel unbinds an
 * AF_XDP socket and sets its error (ENETDOWN, xsk_notifier), but an
 * unbound socket polls as nothing at all: look once a second (a deleted
 * tap detaches its queues alike). Nothing can be forwarded any more; exit
 * so that whoever runs us sees it.
 */
static bool vport_gone(struct app *a)
{
	for (unsigned int q = 0; q < a->o.queues; q++) {
		socklen_t len = sizeof(int);
		int err = 0;

		if (a->qp[q].tap_fd >= 0) {
			if (!a->qp[q].port_gone && tap_port_attached(a->qp[q].tap_fd))
				continue;
			log_err("%s queue %u: the tap is gone", a->o.ifname, q);
			return true;
		}
		getsockopt(a->qp[q].xsk.fd, SOL_SOCKET, SO_ERROR, &err, &len);
		if (err) {
			log_err("%s queue %u: %s (was the vport deleted?)",
				a->o.ifname, q, strerror(err));
			return true;
		}
	}
	return false;
}

static int run(struct app *a)
{
	struct epoll_event evs[32];
	uint64_t last_work = 0;
	bool worked = false;

	while (!quit) {
		struct timespec ts = { 0 };
		int64_t t = 0;
		bool idle = true;
		int n;

		/* Kicks stay off while frames flow (and for the busy-poll
		 * time after); only an idle round asks for them again. */
		if (!worked &&
		    now_ns() - last_work >= a->o.busy_poll_us * 1000ull &&
		    may_sleep(a)) {
			sync_epoll(a);
			t = sleep_ns(a);
		}
		ts.tv_sec = t / 1000000000;
		ts.tv_nsec = t % 1000000000;
		n = epoll_pwait2(a->epfd, evs, 32, &ts, NULL);
		if (n < 0 && errno != EINTR) {
			log_err("epoll: %m");
			return 1;
		}
		for (int i = 0; i < n; i++) {
			struct src *s = evs[i].data.ptr;

			switch (s->type) {
			case SRC_LISTEN: {
				int fd = vhost_sock_accept(a->lfd);

				if (fd >= 0 && a->cfd < 0)
					connected(a, fd);
				else if (fd >= 0)
					close(fd);
				break;
			}
			case SRC_CONN:
				if (a->cfd >= 0)
					handle_message(a);
				break;
			case SRC_KICK:
				handle_kick(a, s->index);
				break;
			case SRC_PORT:
				break;
			}
		}
		worked = pump(a);
		if (a->dev.rarps)
			migration_events(a);
		if (worked) {
			last_work = now_ns();
			idle = false;
		}
		if (idle && a->cfd < 0 && a->lfd < 0 &&
		    now_ns() >= a->next_connect_ns)
			try_connect(a);
		if (dump_stats) {
			dump_stats = 0;
			write_stats(a, stderr);
			a->next_stats_ns = 0;
		}
		if (now_ns() >= a->next_stats_ns) {
			if (vport_gone(a))
				return 1;
			update_mtu(a);
			write_stats(a, NULL);
			a->next_stats_ns = now_ns() + 1000000000ull;
		}
	}
	return 0;
}

/*
 * --bridge/--vport: the vport as libxbr knows it (`xbr vport add`): its
 * VM-side interface, its XSKMAP, and a check that it has the queues we are
 * asked to serve.
 */
static int open_vport(struct app *a)
{
	struct xbr_bridge br;
	struct xbr_vport_handle vp;
	int err;

	err = xbr_bridge_open(a->o.bridge, &br);
	if (err) {
		log_err("%s", xbr_errmsg());
		return -1;
	}
	err = xbr_vport_open(&br, a->o.vport, &vp);
	if (err) {
		log_err("%s", xbr_errmsg());
		goto out_bridge;
	}
	err = -1;
	if (!xbr_vport_present(&vp))
		log_err("vport %s: its interface %s is gone", a->o.vport,
			vp.info.name);
	else if (vp.info.queues < a->o.queues)
		log_err("vport %s has %u queue(s), cannot serve %u (xbr vport "
			"add %s %s queues %u)", a->o.vport, vp.info.queues,
			a->o.queues, a->o.bridge, a->o.vport, a->o.queues);
	else if ((a->map_fd = dup(vp.xsks_fd)) < 0)
		log_err("XSKMAP of vport %s: %m", a->o.vport);
	else
		err = 0;
	snprintf(a->ifname, sizeof(a->ifname), "%s", vp.info.name);
	snprintf(a->peer, sizeof(a->peer), "%s", vp.info.peer);
	a->o.ifname = a->ifname;
	xbr_vport_xsk_path(&br, a->o.vport, a->map_path);
	xbr_vport_close(&vp);
out_bridge:
	xbr_bridge_close(&br);
	return err;
}

/* --bridge BR --tap DEV: DEV must be a port of BR (its frames would
 * otherwise meet no bridge at all). */
static int check_tap_port(struct app *a)
{
	struct xbr_bridge br;
	struct xbr_port port;
	uint32_t ifindex;
	int err;

	if (xbr_bridge_open(a->o.bridge, &br)) {
		log_err("%s", xbr_errmsg());
		return -1;
	}
	err = xbr_port_find(&br, a->o.tap, &ifindex, &port);
	if (err)
		log_err("tap %s is not a port of bridge %s (xbr port add %s %s)",
			a->o.tap, a->o.bridge, a->o.bridge, a->o.tap);
	xbr_bridge_close(&br);
	return err ? -1 : 0;
}

static int open_tap_queue(struct app *a, struct vhost_qp *qp)
{
	char why[160];

	qp->rx_hold = malloc(DATAPATH_TAP_FRAME);
	if (!qp->rx_hold) {
		log_err("queue %u: no memory", qp->index);
		return -1;
	}
	qp->tap_fd = tap_port_open(a->o.tap, a->o.queues > 1, why, sizeof(why));
	if (qp->tap_fd < 0) {
		log_err("queue %u: %s", qp->index, why);
		free(qp->rx_hold);
		return -1;
	}
	return 0;
}

static void close_queue(struct vhost_qp *qp)
{
	if (qp->tap_fd >= 0) {
		close(qp->tap_fd);
		free(qp->rx_hold);
	} else {
		xsk_port_close(&qp->xsk);
	}
}

static int setup(struct app *a)
{
	snprintf(a->stats_path, sizeof(a->stats_path), "%s.stats", a->o.socket);
	if (a->o.tap) {
		snprintf(a->map_path, sizeof(a->map_path), "(none: a tap)");
		if (a->o.bridge && check_tap_port(a))
			return -1;
	} else if (a->o.xsk_map) {
		snprintf(a->map_path, sizeof(a->map_path), "%s", a->o.xsk_map);
		a->map_fd = bpf_obj_get(a->map_path);
		if (a->map_fd < 0) {
			log_err("XSKMAP %s: %s", a->map_path, strerror(errno));
			return -1;
		}
	} else if (open_vport(a)) {
		return -1;
	}
	if (a->o.takeover &&
	    takeover_init(&a->takeover, a->o.bridge, a->o.vport, a->o.takeover))
		return -1;
	snprintf(a->rings_path, sizeof(a->rings_path), "%s.rings", a->o.socket);
	a->dev.saved = ring_state_open(a->rings_path, 2 * XBR_VHOST_MAX_QP);
	a->epfd = epoll_create1(EPOLL_CLOEXEC);
	for (unsigned int i = 0; i < a->o.queues; i++) {
		struct vhost_qp *qp = &a->qp[i];

		qp->index = i;
		qp->tap_fd = -1;
		if (a->o.tap ? open_tap_queue(a, qp) :
		    xsk_port_open(&qp->xsk, a->o.ifname, i, a->map_fd)) {
			while (i--)
				close_queue(&a->qp[i]);
			return -1;
		}
		a->port_src[i] = (struct src){ SRC_PORT, i };
		ep_set(a, qp_fd(qp), 0, &a->port_src[i], EPOLL_CTL_ADD);
	}
	for (unsigned int i = 0; i < 2 * a->o.queues; i++) {
		a->kick_src[i] = (struct src){ SRC_KICK, i };
		a->kick_fd[i] = -1;
		a->kick_gen[i] = a->dev.vq[i].kick_gen;
	}
	update_mtu(a);
	a->listen_src.type = SRC_LISTEN;
	a->conn_src.type = SRC_CONN;
	a->cfd = -1;
	a->lfd = -1;
	if (a->o.client) {
		try_connect(a);
	} else {
		a->lfd = vhost_sock_listen(a->o.socket);
		if (a->lfd < 0) {
			log_err("%s: %s", a->o.socket, strerror(-a->lfd));
			return -1;
		}
		ep_set(a, a->lfd, EPOLLIN, &a->listen_src, EPOLL_CTL_ADD);
	}
	log_info("%s: %u queue pair(s) on %s%s, XSKMAP %s, %s %s", a->o.socket,
		 a->o.queues, a->o.tap ? "tap " : "", a->o.ifname, a->map_path,
		 a->o.client ? "connecting to" : "listening on", a->o.socket);
	return 0;
}

int main(int argc, char **argv)
{
	static struct app a;
	struct sigaction sa = { .sa_handler = on_signal };
	int rc;

	if (parse_args(&a.o, argc, argv))
		return 2;
	if (a.o.stats)
		return print_stats(&a.o);
	vhost_dev_init(&a.dev, a.o.queues);
	sigaction(SIGINT, &sa, NULL);
	sigaction(SIGTERM, &sa, NULL);
	sigaction(SIGUSR1, &sa, NULL);
	signal(SIGPIPE, SIG_IGN);
	if (setup(&a))
		return 1;
	rc = run(&a);
	write_stats(&a, NULL);
	if (vhost_log_level >= 2)
		write_stats(&a, stderr);
	if (a.cfd >= 0)
		close(a.cfd);
	vhost_dev_reset(&a.dev);
	/* Out of the XSKMAP first: the vport stops redirecting to us. */
	for (unsigned int i = 0; i < a.o.queues; i++)
		close_queue(&a.qp[i]);
	if (a.lfd >= 0) {
		close(a.lfd);
		unlink(a.o.socket);
	}
	return rc;
}
