// SPDX-License-Identifier: GPL-2.0
/*
 * xsk_client: a stand-in for QEMU's `-netdev af-xdp` (net/af-xdp.c, QEMU
 * 10.1) and the guest behind it, for tests without a QEMU built with
 * AF_XDP. The socket side does what QEMU does, step by step:
 *   - per queue i: a 32 MiB UMEM of 4 KiB frames (fill and completion rings
 *     of 2048), created on the i-th sock-fds fd if given
 *     (xsk_umem__create_with_fd), else on a fresh socket;
 *   - xsk_socket__create on queue i + start-queue, rx/tx rings of 2048,
 *     XDP_USE_NEED_WAKEUP (+ XDP_COPY with force-copy), and
 *     XSK_LIBXDP_FLAGS__INHIBIT_PROG_LOAD since inhibit=on;
 *   - with map-path: bpf_obj_get(map-path), then bpf_map_update_elem at
 *     i + map-start-index once bound; on exit the entry is deleted again;
 *   - the same option string and the same checks as QEMU's net_init_af_xdp.
 * The "guest" answers ARP and ICMP echo for --ip, echoes UDP, can ping, and
 * checks every checksum it receives. At exit it prints its counters as one
 * line of key=value pairs.
 *
 *   xsk_client -netdev af-xdp,ifname=IF,queues=N,inhibit=on,
 *                  {sock-fds=FD:FD | map-path=PATH[,map-start-index=I]}
 *              --mac MAC --ip IP [--ping IP --count N] [--duration S]
 *              [--ready FILE]
 */
#define _GNU_SOURCE
#include <dlfcn.h>
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <stdarg.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <arpa/inet.h>
#include <net/if.h>
#include <sys/socket.h>
#include <linux/if_ether.h>
#include <linux/if_link.h>
#include <linux/if_xdp.h>
#include <linux/ip.h>
#include <linux/icmp.h>
#include <linux/udp.h>
#include <bpf/bpf.h>
#include <xdp/xsk.h>

#define MAX_QUEUES	16
#define BATCH		64
#define FRAME_SIZE	XSK_UMEM__DEFAULT_FRAME_SIZE
#define N_DESCS		((XSK_RING_PROD__DEFAULT_NUM_DESCS + XSK_RING_CONS__DEFAULT_NUM_DESCS) * 2)

struct queue {
	struct xsk_socket *xsk;
	struct xsk_umem *umem;
	struct xsk_ring_cons rx, cq;
	struct xsk_ring_prod tx, fq;
	char *buffer;
	uint64_t pool[N_DESCS];
	uint32_t n_pool;
	uint32_t outstanding_tx;
	int map_key;		/* -1: not in a map */
	unsigned long rx_frames, tx_frames;
};

static struct {
	char ifname[IF_NAMESIZE];
	long queues, start_queue, map_start_index;
	int inhibit, force_copy, has_map_start_index;
	char *sock_fds, *map_path;
} opt = { .queues = 1 };

static struct queue q[MAX_QUEUES];
static int map_fd = -1;
static uint8_t my_mac[6];
static struct in_addr my_ip, ping_ip;
static uint8_t ping_mac[6];
static int ping_mac_known;
static volatile sig_atomic_t stop;

static unsigned long arp_replies, echo_replies, udp_ok, udp_echoed, bad_csum, pings_sent,
	pongs, not_for_us, other;

static void die(const char *fmt, ...) __attribute__((format(printf, 1, 2), noreturn));

/* Error lines look like QEMU's: "-netdev af-xdp,...: message". */
static void die(const char *fmt, ...)
{
	va_list ap;

	fputs("xsk_client: -netdev af-xdp: ", stderr);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
	exit(1);
}

/* ---- xsk_umem__create_with_fd on libxdp < 1.4 ---------------------------- */
/*
 * libxdp 1.4 added xsk_umem__create_with_fd(), which QEMU uses for
 * sock-fds=. Debian 12 ships 1.3, whose xsk_umem__create() opens the socket
 * itself with socket(AF_XDP, ...): hand it the given fd from here instead.
 */
static int armed_fd = -1;

int socket(int domain, int type, int protocol)
{
	static int (*real_socket)(int, int, int);

	if (domain == AF_XDP && armed_fd >= 0) {
		int fd = armed_fd;

		armed_fd = -1;
		return fd;
	}
	if (!real_socket)
		real_socket = (int (*)(int, int, int))dlsym(RTLD_NEXT, "socket");
	return real_socket(domain, type, protocol);
}

typedef int (*create_with_fd_fn)(struct xsk_umem **, int, void *, __u64,
				 struct xsk_ring_prod *, struct xsk_ring_cons *,
				 const struct xsk_umem_config *);

static int umem_create_with_fd(struct xsk_umem **umem, int fd, void *area, __u64 size,
			       struct xsk_ring_prod *fill, struct xsk_ring_cons *comp,
			       const struct xsk_umem_config *cfg)
{
	create_with_fd_fn fn = (create_with_fd_fn)dlsym(RTLD_DEFAULT, "xsk_umem__create_with_fd");
	int ret;

	if (fn)
		return fn(umem, fd, area, size, fill, comp, cfg);
	armed_fd = fd;
	ret = xsk_umem__create(umem, area, size, fill, comp, cfg);
	if (armed_fd >= 0) {
		armed_fd = -1;
		return -ENOTSUP;	/* this libxdp did not call socket() */
	}
	return ret;
}

/* ---- QEMU's option string ------------------------------------------------ */

static int on_off(const char *key, const char *v)
{
	if (!strcmp(v, "on") || !strcmp(v, "true"))
		return 1;
	if (!strcmp(v, "off") || !strcmp(v, "false"))
		return 0;
	die("Parameter '%s' expects 'on' or 'off'", key);
}

static void parse_netdev(char *s)
{
	char *tok, *save;

	if (strncmp(s, "af-xdp", 6) || (s[6] && s[6] != ','))
		die("only af-xdp is supported by this client");
	for (tok = strtok_r(s + 6, ",", &save); tok; tok = strtok_r(NULL, ",", &save)) {
		char *v = strchr(tok, '=');

		if (!v)
			die("Parameter '%s' needs a value", tok);
		*v++ = 0;
		if (!strcmp(tok, "ifname"))
			snprintf(opt.ifname, sizeof(opt.ifname), "%s", v);
		else if (!strcmp(tok, "queues"))
			opt.queues = strtol(v, NULL, 0);
		else if (!strcmp(tok, "start-queue"))
			opt.start_queue = strtol(v, NULL, 0);
		else if (!strcmp(tok, "inhibit"))
			opt.inhibit = on_off(tok, v);
		else if (!strcmp(tok, "force-copy"))
			opt.force_copy = on_off(tok, v);
		else if (!strcmp(tok, "sock-fds"))
			opt.sock_fds = strdup(v);
		else if (!strcmp(tok, "map-path"))
			opt.map_path = strdup(v);
		else if (!strcmp(tok, "map-start-index"))
			opt.map_start_index = strtol(v, NULL, 0), opt.has_map_start_index = 1;
		else if (strcmp(tok, "id") && strcmp(tok, "mode"))
			die("Invalid parameter '%s'", tok);
	}
}

/* The checks of net_init_af_xdp(), in its order and words. */
static void check_netdev(int *fds)
{
	int n = 0;
	char *p, *save, *s;

	if (!if_nametoindex(opt.ifname))
		die("failed to get ifindex for '%s': %s", opt.ifname, strerror(errno));
	if (opt.queues < 1 || opt.queues > MAX_QUEUES)
		die("invalid number of queues (%ld) for '%s'", opt.queues, opt.ifname);
	if (opt.inhibit && !opt.sock_fds && !opt.map_path)
		die("'inhibit=on' requires 'sock-fds' or 'map-path'");
	if (!opt.inhibit && (opt.sock_fds || opt.map_path))
		die("'sock-fds' and 'map-path' require 'inhibit=on'");
	if (!opt.inhibit)
		die("this client never loads an XDP program: use inhibit=on");
	if (opt.sock_fds && opt.map_path)
		die("'sock-fds' and 'map-path' are mutually exclusive");
	if (!opt.map_path && opt.has_map_start_index)
		die("'map-start-index' requires 'map-path'");
	if (opt.map_start_index < 0)
		die("'map-start-index' cannot be negative (%ld)", opt.map_start_index);
	if (!opt.sock_fds)
		return;
	s = strdup(opt.sock_fds);
	for (p = strtok_r(s, ":", &save); p; p = strtok_r(NULL, ":", &save)) {
		char *end;
		long fd = strtol(p, &end, 10);

		if (*end || fd < 0 || fcntl(fd, F_GETFD) < 0)
			die("'%s' is not a valid file descriptor", p);
		if (n < MAX_QUEUES)
			fds[n] = fd;
		n++;
	}
	free(s);
	if (n != opt.queues)
		die("expected %ld socket fds, got %d", opt.queues, n);
}

/* ---- sockets, as af_xdp_umem_create / af_xdp_socket_create ---------------- */

static void fq_refill(struct queue *qu, uint32_t n)
{
	uint32_t i, idx = 0;

	/* Leave one frame for TX, as QEMU does. */
	if (qu->n_pool < n + 1)
		n = qu->n_pool;
	if (!n || !xsk_ring_prod__reserve(&qu->fq, n, &idx))
		return;
	for (i = 0; i < n; i++)
		*xsk_ring_prod__fill_addr(&qu->fq, idx++) = qu->pool[--qu->n_pool];
	xsk_ring_prod__submit(&qu->fq, n);
}

static void queue_open(int i, int sock_fd)
{
	const struct xsk_umem_config ucfg = {
		.fill_size = XSK_RING_PROD__DEFAULT_NUM_DESCS,
		.comp_size = XSK_RING_CONS__DEFAULT_NUM_DESCS,
		.frame_size = FRAME_SIZE,
		.frame_headroom = 0,
	};
	struct xsk_socket_config scfg = {
		.rx_size = XSK_RING_CONS__DEFAULT_NUM_DESCS,
		.tx_size = XSK_RING_PROD__DEFAULT_NUM_DESCS,
		.libxdp_flags = XSK_LIBXDP_FLAGS__INHIBIT_PROG_LOAD,
		.bind_flags = XDP_USE_NEED_WAKEUP | (opt.force_copy ? XDP_COPY : 0),
		.xdp_flags = XDP_FLAGS_UPDATE_IF_NOEXIST | XDP_FLAGS_DRV_MODE,
	};
	struct queue *qu = &q[i];
	uint64_t size = (uint64_t)N_DESCS * FRAME_SIZE;
	int queue_id = i + opt.start_queue, ret;
	long k;

	qu->map_key = -1;
	if (posix_memalign((void **)&qu->buffer, getpagesize(), size))
		die("out of memory");
	memset(qu->buffer, 0, size);
	if (sock_fd < 0)
		ret = xsk_umem__create(&qu->umem, qu->buffer, size, &qu->fq, &qu->cq, &ucfg);
	else
		ret = umem_create_with_fd(&qu->umem, sock_fd, qu->buffer, size, &qu->fq, &qu->cq,
					  &ucfg);
	if (ret)
		die("failed to create umem for %s queue_index: %d: %s", opt.ifname, i,
		    strerror(-ret));
	for (k = N_DESCS - 1; k >= 0; k--)
		qu->pool[k] = k * FRAME_SIZE;
	qu->n_pool = N_DESCS;
	fq_refill(qu, XSK_RING_PROD__DEFAULT_NUM_DESCS);

	/* No mode given: native first, then skb (QEMU's order). */
	ret = xsk_socket__create(&qu->xsk, opt.ifname, queue_id, qu->umem, &qu->rx, &qu->tx,
				 &scfg);
	if (ret) {
		scfg.xdp_flags = XDP_FLAGS_UPDATE_IF_NOEXIST | XDP_FLAGS_SKB_MODE;
		ret = xsk_socket__create(&qu->xsk, opt.ifname, queue_id, qu->umem, &qu->rx,
					 &qu->tx, &scfg);
	}
	if (ret)
		die("failed to create AF_XDP socket for %s queue_id: %d: %s", opt.ifname,
		    queue_id, strerror(-ret));

	if (opt.map_path) {
		int fd = xsk_socket__fd(qu->xsk), key = i + opt.map_start_index;

		if (map_fd < 0)
			map_fd = bpf_obj_get(opt.map_path);
		if (map_fd < 0 || bpf_map_update_elem(map_fd, &key, &fd, 0))
			die("failed to insert AF_XDP socket into map %s: %s", opt.map_path,
			    strerror(errno));
		qu->map_key = key;
	}
}

/* af_xdp_cleanup: sockets, UMEMs, then our map entries. */
static void queues_close(void)
{
	for (int i = 0; i < opt.queues; i++) {
		struct queue *qu = &q[i];

		if (qu->xsk)
			xsk_socket__delete(qu->xsk);
		if (qu->umem)
			xsk_umem__delete(qu->umem);
		qu->xsk = NULL;
		qu->umem = NULL;
		if (qu->map_key >= 0 && bpf_map_delete_elem(map_fd, &qu->map_key))
			fprintf(stderr, "af-xdp: unable to remove AF_XDP socket from map %s\n",
				opt.map_path);
		qu->map_key = -1;
	}
}

/* ---- the guest ----------------------------------------------------------- */

static uint16_t csum_fold(uint32_t sum)
{
	while (sum >> 16)
		sum = (sum & 0xffff) + (sum >> 16);
	return (uint16_t)~sum;
}

static uint32_t csum_add(uint32_t sum, const void *data, size_t len)
{
	const uint8_t *p = data;

	for (; len > 1; len -= 2, p += 2)
		sum += (p[0] << 8) | p[1];
	if (len)
		sum += p[0] << 8;
	return sum;
}

/* Internet checksum over @data (network order result). */
static uint16_t csum(const void *data, size_t len)
{
	return htons(csum_fold(csum_add(0, data, len)));
}

static uint16_t udp_csum(const struct iphdr *ip, const void *udp, size_t len)
{
	uint32_t sum = 0;

	sum = csum_add(sum, &ip->saddr, 4);
	sum = csum_add(sum, &ip->daddr, 4);
	sum += IPPROTO_UDP + len;
	sum = csum_add(sum, udp, len);
	return htons(csum_fold(sum));
}

static void complete_tx(struct queue *qu)
{
	uint32_t idx = 0, done, i;

	done = xsk_ring_cons__peek(&qu->cq, XSK_RING_CONS__DEFAULT_NUM_DESCS, &idx);
	for (i = 0; i < done; i++) {
		qu->pool[qu->n_pool++] = *xsk_ring_cons__comp_addr(&qu->cq, idx++);
		qu->outstanding_tx--;
	}
	if (done)
		xsk_ring_cons__release(&qu->cq, done);
}

/* af_xdp_receive: one frame from the guest to the socket's TX ring. */
static int send_frame(struct queue *qu, const void *frame, size_t len)
{
	struct xdp_desc *desc;
	uint32_t idx;

	complete_tx(qu);
	if (len > FRAME_SIZE || !qu->n_pool || !xsk_ring_prod__reserve(&qu->tx, 1, &idx))
		return -1;
	desc = xsk_ring_prod__tx_desc(&qu->tx, idx);
	desc->addr = qu->pool[--qu->n_pool];
	desc->len = len;
	memcpy(xsk_umem__get_data(qu->buffer, desc->addr), frame, len);
	xsk_ring_prod__submit(&qu->tx, 1);
	qu->outstanding_tx++;
	qu->tx_frames++;
	if (xsk_ring_prod__needs_wakeup(&qu->tx))
		sendto(xsk_socket__fd(qu->xsk), NULL, 0, MSG_DONTWAIT, NULL, 0);
	return 0;
}

struct arp_eth {
	uint16_t htype, ptype;
	uint8_t hlen, plen;
	uint16_t op;
	uint8_t sha[6];
	uint8_t spa[4];
	uint8_t tha[6];
	uint8_t tpa[4];
} __attribute__((packed));

static void send_arp(struct queue *qu, int op, const uint8_t *dst, const uint8_t *tha,
		     struct in_addr tpa)
{
	uint8_t f[60] = {};
	struct ethhdr *eth = (void *)f;
	struct arp_eth *a = (void *)(eth + 1);

	memcpy(eth->h_dest, dst, 6);
	memcpy(eth->h_source, my_mac, 6);
	eth->h_proto = htons(ETH_P_ARP);
	a->htype = htons(1);
	a->ptype = htons(ETH_P_IP);
	a->hlen = 6;
	a->plen = 4;
	a->op = htons(op);
	memcpy(a->sha, my_mac, 6);
	memcpy(a->spa, &my_ip, 4);
	memcpy(a->tha, tha, 6);
	memcpy(a->tpa, &tpa, 4);
	send_frame(qu, f, sizeof(f));
}

static void handle_arp(struct queue *qu, struct ethhdr *eth, size_t len)
{
	struct arp_eth *a = (void *)(eth + 1);
	struct in_addr spa;

	if (len < sizeof(*eth) + sizeof(*a) || a->ptype != htons(ETH_P_IP))
		return;
	memcpy(&spa, a->spa, 4);
	if (a->op == htons(1) && !memcmp(a->tpa, &my_ip, 4)) {
		send_arp(qu, 2, a->sha, a->sha, spa);
		arp_replies++;
	} else if (a->op == htons(2) && spa.s_addr == ping_ip.s_addr) {
		memcpy(ping_mac, a->sha, 6);
		ping_mac_known = 1;
	}
}

static void handle_ip(struct queue *qu, uint8_t *frame, size_t len)
{
	struct ethhdr *eth = (void *)frame;
	struct iphdr *ip = (void *)(eth + 1);
	size_t ihl, tot;
	uint8_t *l4;

	if (len < sizeof(*eth) + sizeof(*ip))
		return;
	ihl = ip->ihl * 4;
	tot = ntohs(ip->tot_len);
	if (ihl < sizeof(*ip) || tot < ihl || sizeof(*eth) + tot > len)
		return;
	if (csum(ip, ihl)) {
		bad_csum++;
		return;
	}
	if (ip->daddr != my_ip.s_addr) {
		other++;
		return;
	}
	l4 = (uint8_t *)ip + ihl;
	if (ip->protocol == IPPROTO_ICMP && tot - ihl >= sizeof(struct icmphdr)) {
		struct icmphdr *ic = (void *)l4;

		if (csum(ic, tot - ihl)) {
			bad_csum++;
			return;
		}
		if (ic->type == ICMP_ECHO) {
			/* The reply: swap addresses in place, recompute. */
			uint8_t tmp[6];

			memcpy(tmp, eth->h_source, 6);
			memcpy(eth->h_dest, tmp, 6);
			memcpy(eth->h_source, my_mac, 6);
			ip->daddr = ip->saddr;
			ip->saddr = my_ip.s_addr;
			ip->ttl = 64;
			ip->check = 0;
			ip->check = csum(ip, ihl);
			ic->type = ICMP_ECHOREPLY;
			ic->checksum = 0;
			ic->checksum = csum(ic, tot - ihl);
			if (!send_frame(qu, frame, sizeof(*eth) + tot))
				echo_replies++;
		} else if (ic->type == ICMP_ECHOREPLY && ip->saddr == ping_ip.s_addr) {
			pongs++;
		}
		return;
	}
	if (ip->protocol == IPPROTO_UDP && tot - ihl >= sizeof(struct udphdr)) {
		struct udphdr *u = (void *)l4;
		size_t ulen = ntohs(u->len);
		uint16_t port;
		uint8_t tmp[6];

		if (ulen < sizeof(*u) || ulen > tot - ihl)
			return;
		if (u->check && udp_csum(ip, u, ulen)) {
			bad_csum++;
			return;
		}
		udp_ok++;
		/* Echo it: the sender's kernel checks our checksum. */
		memcpy(tmp, eth->h_source, 6);
		memcpy(eth->h_dest, tmp, 6);
		memcpy(eth->h_source, my_mac, 6);
		ip->daddr = ip->saddr;
		ip->saddr = my_ip.s_addr;
		ip->check = 0;
		ip->check = csum(ip, ihl);
		port = u->source;
		u->source = u->dest;
		u->dest = port;
		u->check = 0;
		u->check = udp_csum(ip, u, ulen);
		if (!u->check)
			u->check = 0xffff;
		if (!send_frame(qu, frame, sizeof(*eth) + tot))
			udp_echoed++;
		return;
	}
	other++;
}

static void handle_frame(struct queue *qu, uint8_t *frame, size_t len)
{
	struct ethhdr *eth = (void *)frame;

	if (len < sizeof(*eth))
		return;
	if (!(eth->h_dest[0] & 1) && memcmp(eth->h_dest, my_mac, 6)) {
		not_for_us++;
		return;
	}
	if (eth->h_proto == htons(ETH_P_ARP))
		handle_arp(qu, eth, len);
	else if (eth->h_proto == htons(ETH_P_IP))
		handle_ip(qu, frame, len);
	else
		other++;
}

/* af_xdp_send: a batch from the RX ring to the guest, then refill. */
static void receive(struct queue *qu)
{
	uint32_t idx = 0, n, i;

	n = xsk_ring_cons__peek(&qu->rx, BATCH, &idx);
	for (i = 0; i < n; i++) {
		const struct xdp_desc *d = xsk_ring_cons__rx_desc(&qu->rx, idx++);
		uint8_t frame[FRAME_SIZE];

		/* A copy, as QEMU's copy into guest memory: the UMEM frame goes
		 * back to the pool before the reply takes one. */
		memcpy(frame, xsk_umem__get_data(qu->buffer, d->addr), d->len);
		qu->pool[qu->n_pool++] = d->addr;
		qu->rx_frames++;
		handle_frame(qu, frame, d->len);
	}
	if (n)
		xsk_ring_cons__release(&qu->rx, n);
	fq_refill(qu, BATCH);
}

static void send_ping(int seq)
{
	struct queue *qu = &q[seq % opt.queues];
	uint8_t f[98] = {};
	struct ethhdr *eth = (void *)f;
	struct iphdr *ip = (void *)(eth + 1);
	struct icmphdr *ic = (void *)(ip + 1);

	memcpy(eth->h_dest, ping_mac, 6);
	memcpy(eth->h_source, my_mac, 6);
	eth->h_proto = htons(ETH_P_IP);
	ip->version = 4;
	ip->ihl = 5;
	ip->tot_len = htons(sizeof(f) - sizeof(*eth));
	ip->id = htons(seq);
	ip->ttl = 64;
	ip->protocol = IPPROTO_ICMP;
	ip->saddr = my_ip.s_addr;
	ip->daddr = ping_ip.s_addr;
	ip->check = csum(ip, sizeof(*ip));
	ic->type = ICMP_ECHO;
	ic->un.echo.id = htons(0x7862);
	ic->un.echo.sequence = htons(seq);
	ic->checksum = csum(ic, sizeof(f) - sizeof(*eth) - sizeof(*ip));
	if (!send_frame(qu, f, sizeof(f)))
		pings_sent++;
}

static double now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
}

static void on_signal(int sig)
{
	(void)sig;
	stop = 1;
}

static void print_stats(void)
{
	for (int i = 0; i < opt.queues; i++)
		printf("rx_q%d=%lu tx_q%d=%lu ", i, q[i].rx_frames, i, q[i].tx_frames);
	printf("arp_replies=%lu echo_replies=%lu udp_ok=%lu udp_echoed=%lu bad_csum=%lu "
	       "pings_sent=%lu pongs=%lu not_for_us=%lu other=%lu\n", arp_replies, echo_replies,
	       udp_ok, udp_echoed, bad_csum, pings_sent, pongs, not_for_us, other);
	fflush(stdout);
}

/* Socket errors: a vport deleted under us unbinds the sockets (ENETDOWN). */
static int check_errors(void)
{
	for (int i = 0; i < opt.queues; i++) {
		int err = 0;
		socklen_t len = sizeof(err);

		if (!getsockopt(xsk_socket__fd(q[i].xsk), SOL_SOCKET, SO_ERROR, &err, &len) &&
		    err) {
			fprintf(stderr, "xsk_client: %s queue %d: socket error: %s\n", opt.ifname,
				i + (int)opt.start_queue, strerror(err));
			return -1;
		}
	}
	return 0;
}

int main(int argc, char **argv)
{
	const char *ready = NULL;
	int fds[MAX_QUEUES], count = 0, seq = 0, ret = 0, i;
	double duration = 0, interval = 0.1, start, next_ping = 0;
	struct sigaction sa = { .sa_handler = on_signal };
	struct pollfd pfd[MAX_QUEUES];
	char *netdev = NULL;

	for (i = 1; i < argc; i++) {
		const char *a = argv[i], *v = i + 1 < argc ? argv[i + 1] : NULL;

		if (!v)
			die("%s needs an argument", a);
		i++;
		if (!strcmp(a, "-netdev"))
			netdev = strdup(v);
		else if (!strcmp(a, "--mac"))
			sscanf(v, "%hhx:%hhx:%hhx:%hhx:%hhx:%hhx", &my_mac[0], &my_mac[1],
			       &my_mac[2], &my_mac[3], &my_mac[4], &my_mac[5]);
		else if (!strcmp(a, "--ip"))
			inet_pton(AF_INET, v, &my_ip);
		else if (!strcmp(a, "--ping"))
			inet_pton(AF_INET, v, &ping_ip);
		else if (!strcmp(a, "--count"))
			count = atoi(v);
		else if (!strcmp(a, "--interval"))
			interval = atof(v);
		else if (!strcmp(a, "--duration"))
			duration = atof(v);
		else if (!strcmp(a, "--ready"))
			ready = v;
		else
			die("unknown argument %s", a);
	}
	if (!netdev)
		die("usage: xsk_client -netdev af-xdp,... --mac MAC --ip IP [--ping IP "
		    "--count N] [--duration S] [--ready FILE]");
	parse_netdev(netdev);
	check_netdev(fds);
	for (i = 0; i < opt.queues; i++)
		queue_open(i, opt.sock_fds ? fds[i] : -1);

	sigaction(SIGTERM, &sa, NULL);
	sigaction(SIGINT, &sa, NULL);
	if (ready) {
		FILE *f = fopen(ready, "w");

		if (f)
			fclose(f);
	}
	for (i = 0; i < opt.queues; i++)
		pfd[i] = (struct pollfd){ .fd = xsk_socket__fd(q[i].xsk), .events = POLLIN };

	start = now();
	while (!stop) {
		double t = now();

		if (duration && t - start >= duration)
			break;
		if (count && seq < count && t >= next_ping) {
			if (!ping_mac_known) {
				static const uint8_t bcast[6] = { 0xff, 0xff, 0xff, 0xff, 0xff, 0xff };
				static const uint8_t zero[6];

				send_arp(&q[0], 1, bcast, zero, ping_ip);
				next_ping = t + 0.2;
			} else {
				send_ping(seq++);
				next_ping = t + interval;
			}
		}
		if (poll(pfd, opt.queues, 20) < 0 && errno != EINTR)
			break;
		for (i = 0; i < opt.queues; i++) {
			receive(&q[i]);
			complete_tx(&q[i]);
			/* Copy mode sends a bounded batch per wakeup: kick again. */
			if (q[i].outstanding_tx && xsk_ring_prod__needs_wakeup(&q[i].tx))
				sendto(pfd[i].fd, NULL, 0, MSG_DONTWAIT, NULL, 0);
		}
		if (check_errors()) {
			ret = 2;
			break;
		}
	}
	print_stats();
	queues_close();
	return ret;
}
