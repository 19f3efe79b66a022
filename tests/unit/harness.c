// SPDX-License-Identifier: GPL-2.0
/*
 * The unit tests' harness: the bridge under test (its ports, maps and
 * programs, found from the command line), named cases with expectations,
 * counter snapshots checked against a spec of expected deltas, test runs of
 * the XDP and tc programs on crafted frames, and real frames through the
 * real ports (the "live" helpers). See xbr-unit.c for the command line.
 */
#ifndef _GNU_SOURCE
#define _GNU_SOURCE	/* setns */
#endif
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <sched.h>
#include <stddef.h>
#include <inttypes.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <sys/socket.h>
#include <linux/bpf.h>
#include <linux/if_ether.h>
#include <linux/if_packet.h>
#include <linux/pkt_cls.h>
#include <bpf/bpf.h>
#include <bpf/libbpf.h>
#include "libxbr.h"
#include "frames.h"

#include "harness.h"

/* ---- the bridge under test ------------------------------------------- */

const char *const pkey[P_MAX] = { "x1", "x2", "tc", "tap", "host", "out", "gone" };
char pdev[P_MAX][IFNAMSIZ];
uint32_t pif[P_MAX];
struct xbr_port pinfo[P_MAX];
int pis_port[P_MAX];

int fd_xdp, fd_tc, fd_egress, fd_ports, fd_fdb, fd_stats, fd_config, fd_tx_ports,
	fd_flood_ports, fd_flood_list, fd_vlans, fd_port_rt, fd_fdb_gc, fd_lcache;
struct xbr_bridge br;
static int ncpus;

/* ---- cases ------------------------------------------------------------ */

static int n_pass, n_fail, n_skip;
static const char *case_name;
static char case_msg[1024];
static char case_note[256];
static int case_bad;

/* A remark printed after the case's result line. */
void __attribute__((format(printf, 1, 2))) note(const char *fmt, ...)
{
	size_t n = strlen(case_note);
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(case_note + n, sizeof(case_note) - n, fmt, ap);
	va_end(ap);
}

void case_begin(const char *name)
{
	case_name = name;
	case_bad = 0;
	case_msg[0] = 0;
	case_note[0] = 0;
}

void __attribute__((format(printf, 1, 2))) fail(const char *fmt, ...)
{
	size_t n = strlen(case_msg);
	va_list ap;

	case_bad = 1;
	if (n && n < sizeof(case_msg) - 3) {
		strcat(case_msg, "; ");
		n += 2;
	}
	va_start(ap, fmt);
	vsnprintf(case_msg + n, sizeof(case_msg) - n, fmt, ap);
	va_end(ap);
}

void case_end(void)
{
	if (case_bad) {
		n_fail++;
		printf("FAIL %s: %s\n", case_name, case_msg);
	} else {
		n_pass++;
		printf("ok   %s\n", case_name);
	}
	if (case_note[0])
		printf("     (%s)\n", case_note);
	fflush(stdout);
}

void case_skip(const char *name, const char *why)
{
	n_skip++;
	printf("skip %s: %s\n", name, why);
	fflush(stdout);
}

/* ---- MACs ------------------------------------------------------------- */

const uint8_t BCAST[6] = { 0xff, 0xff, 0xff, 0xff, 0xff, 0xff };

/* A fresh locally administered unicast MAC per call: cases never share. */
const uint8_t *station(void)
{
	static uint8_t macs[256][6];
	static unsigned int n;
	uint8_t *m = macs[n % 256];

	n++;
	m[0] = 0x02; m[1] = 0x55; m[2] = 0x00; m[3] = 0x00;
	m[4] = (uint8_t)(n >> 8);
	m[5] = (uint8_t)n;
	return m;
}

const char *mac_str(const uint8_t *m)
{
	static char buf[4][18];
	static int i;

	i = (i + 1) % 4;
	xbr_format_mac(m, buf[i]);
	return buf[i];
}

/* ---- maps ------------------------------------------------------------- */

int fdb_get(const uint8_t *mac, struct xbr_fdb_entry *e)
{
	struct xbr_fdb_key k = { .vlan = 0 };

	memcpy(k.mac, mac, 6);
	return bpf_map_lookup_elem(fd_fdb, &k, e) ? -errno : 0;
}

/* The xbr_port.id of the port on @ifindex (whose counters the datapath
 * uses for it), or XBR_MAX_PORTS, which is no port's, for a netdev that is
 * no port. */
static uint32_t port_id_of(uint32_t ifindex)
{
	int p;

	for (p = 0; p < P_MAX; p++)
		if (pis_port[p] && pif[p] == ifindex)
			return pinfo[p].id;
	return XBR_MAX_PORTS;
}

/* An entry as user space writes it: port_id names the port's counters
 * (XDP counts unicast tx through it). */
int fdb_put(const uint8_t *mac, uint32_t ifindex, uint32_t flags, uint64_t seen)
{
	struct xbr_fdb_key k = { .vlan = 0 };
	struct xbr_fdb_entry e = { .ifindex = ifindex, .flags = flags, .seen_ns = seen,
				   .port_id = port_id_of(ifindex) };

	memcpy(k.mac, mac, 6);
	return bpf_map_update_elem(fd_fdb, &k, &e, BPF_ANY) ? -errno : 0;
}

static uint64_t mono_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000000ULL + (uint64_t)ts.tv_nsec;
}

/* The datapath's clock for learning and ageing (bpf_ktime_get_coarse_ns()). */
uint64_t coarse_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC_COARSE, &ts);
	return (uint64_t)ts.tv_sec * 1000000000ULL + (uint64_t)ts.tv_nsec;
}

/* Its resolution: one tick (at least 1 ms, at most 10 ms assumed). */
uint64_t coarse_tick_ns(void)
{
	struct timespec ts;
	uint64_t ns = 4000000;

	if (!clock_getres(CLOCK_MONOTONIC_COARSE, &ts))
		ns = (uint64_t)ts.tv_sec * 1000000000ULL + (uint64_t)ts.tv_nsec;
	return ns < 1000000 ? 1000000 : ns > 10000000 ? 10000000 : ns;
}

int read_config(struct xbr_config *cfg)
{
	uint32_t zero = 0;

	return bpf_map_lookup_elem(fd_config, &zero, cfg) ? -errno : 0;
}

/* Put @port back into tx_ports as port_attach() writes it: no egress
 * program on the entry (XDP counts unicast tx at ingress). */
int tx_ports_restore(int port)
{
	struct bpf_devmap_val v = { .ifindex = pif[port], .bpf_prog.fd = -1 };

	return bpf_map_update_elem(fd_tx_ports, &pif[port], &v, BPF_ANY) ? -errno : 0;
}

/* The id of the program on @port's entry in the devmap @fd: 0 none, -1 no
 * entry. */
long devmap_prog(int fd, int port)
{
	struct bpf_devmap_val v = {};

	if (bpf_map_lookup_elem(fd, &pif[port], &v))
		return -1;
	return (long)v.bpf_prog.id;
}

static int port_stats(uint32_t id, struct xbr_port_stats *sum)
{
	struct xbr_port_stats per[ncpus];
	uint64_t *out = (uint64_t *)sum;
	size_t c, i;

	memset(sum, 0, sizeof(*sum));
	if (bpf_map_lookup_elem(fd_stats, &id, per))
		return -errno;
	for (c = 0; c < (size_t)ncpus; c++)
		for (i = 0; i < NSLOTS; i++)
			out[i] += ((const uint64_t *)&per[c])[i];
	return 0;
}

/* ---- counter snapshots and their expected deltas ------------------------- */

void snap(struct snap *s)
{
	int p;

	memset(s, 0, sizeof(*s));
	for (p = 0; p < P_MAX; p++)
		if (pis_port[p] && port_stats(pinfo[p].id, &s->st[p]))
			fail("cannot read counters of %s: %s", pdev[p], strerror(errno));
}

static const char *field_name(size_t i)
{
	static const struct { size_t slot; const char *name; } named[] = {
		{ SLOT(rx_packets), "rx_packets" }, { SLOT(rx_bytes), "rx_bytes" },
		{ SLOT(tx_packets), "tx_packets" }, { SLOT(tx_bytes), "tx_bytes" },
		{ SLOT(flooded), "flooded" }, { SLOT(learned), "learned" },
		{ SLOT(moves), "moves" }, { SLOT(learn_limited), "learn_limited" },
		{ SLOT(learn_full), "learn_full" }, { SLOT(handoffs), "handoffs" },
	};
	static char buf[4][24];
	static int k;
	size_t n;

	for (n = 0; n < sizeof(named) / sizeof(named[0]); n++)
		if (named[n].slot == i)
			return named[n].name;
	if (i >= SLOT(drops) && i < SLOT(drops) + XBR_DROP_MAX)
		return xbr_drop_name((enum xbr_drop_reason)(i - SLOT(drops)));
	k = (k + 1) % 4;
	snprintf(buf[k], sizeof(buf[k]), "u64@%zu", i * sizeof(__u64));
	return buf[k];
}

static uint64_t field(const struct xbr_port_stats *s, size_t i)
{
	return ((const uint64_t *)s)[i];
}

/*
 * Every counter of every port must have moved by what @spec says and all
 * others not at all. @spec: "PORT.FIELD=N ..." with PORT one of x1 x2 tc
 * tap host and FIELD a counter or a drop reason name. A byte counter left
 * out must have moved by its packet counter's delta times @len.
 */
void expect_deltas(const struct snap *a, const struct snap *b, size_t len,
			  const char *spec)
{
	int64_t want[P_MAX][NSLOTS];
	int given[P_MAX][NSLOTS];
	char buf[512], *tok, *save = NULL;
	size_t i;
	int p;

	memset(want, 0, sizeof(want));
	memset(given, 0, sizeof(given));
	snprintf(buf, sizeof(buf), "%s", spec);
	for (tok = strtok_r(buf, " ", &save); tok; tok = strtok_r(NULL, " ", &save)) {
		char *dot = strchr(tok, '.'), *eq = strchr(tok, '=');
		int pp = -1;
		size_t ff = NSLOTS;

		if (!dot || !eq || eq < dot) {
			fail("bad spec token '%s'", tok);
			continue;
		}
		*dot = *eq = 0;
		for (p = 0; p < P_MAX; p++)
			if (!strcmp(tok, pkey[p]))
				pp = p;
		for (i = 0; i < NSLOTS; i++)
			if (!strcmp(dot + 1, field_name(i)))
				ff = i;
		if (pp < 0 || ff == NSLOTS) {
			fail("bad spec token '%s.%s'", tok, dot + 1);
			continue;
		}
		want[pp][ff] = strtoll(eq + 1, NULL, 0);
		given[pp][ff] = 1;
	}
	for (p = 0; p < P_MAX; p++) {
		if (!pis_port[p])
			continue;
		/* Byte counters follow their packet counters unless given. */
		if (!given[p][SLOT(rx_bytes)])
			want[p][SLOT(rx_bytes)] = want[p][SLOT(rx_packets)] * (int64_t)len;
		if (!given[p][SLOT(tx_bytes)])
			want[p][SLOT(tx_bytes)] = want[p][SLOT(tx_packets)] * (int64_t)len;
		for (i = 0; i < NSLOTS; i++) {
			int64_t d = (int64_t)(field(&b->st[p], i) - field(&a->st[p], i));

			if (d != want[p][i])
				fail("%s.%s moved by %" PRId64 ", expected %" PRId64, pkey[p],
				     field_name(i), d, want[p][i]);
		}
	}
}

/* ---- test runs ---------------------------------------------------------- */

uint8_t out_buf[FRAME_MAX + 256];
uint32_t out_len;

const char *xdp_name(int r)
{
	static const char *const n[] = { "XDP_ABORTED", "XDP_DROP", "XDP_PASS", "XDP_TX",
					 "XDP_REDIRECT" };
	static char buf[32];

	if (r >= 0 && r <= 4)
		return n[r];
	snprintf(buf, sizeof(buf), r < 0 ? "error %d" : "action %d", r);
	return buf;
}

const char *tc_name(int r)
{
	static char buf[32];

	switch (r) {
	case TC_ACT_OK: return "TC_ACT_OK";
	case TC_ACT_SHOT: return "TC_ACT_SHOT";
	case TC_ACT_REDIRECT: return "TC_ACT_REDIRECT";
	}
	snprintf(buf, sizeof(buf), r < 0 ? "error %d" : "action %d", r);
	return buf;
}

/*
 * Run the XDP program on @len bytes at @data received on @ifindex. If @size
 * is larger than @len, the input has @size bytes and ctx.data_end = @len:
 * the kernel puts only @len bytes in the linear buffer the program sees
 * (how a frame shorter than the 14 bytes test_run insists on reaches it).
 * The frame as the program left it is in out_buf/out_len.
 */
struct xbr_handoff xdp_handoff;
bool xdp_handed_off;

int run_xdp_sized(uint32_t ifindex, const void *data, size_t len, size_t size)
{
	uint8_t in[FRAME_MAX] = {};
	struct xdp_md ctx = {
		.data = 0, .data_end = (uint32_t)len,
		.ingress_ifindex = ifindex, .rx_queue_index = 0,
	}, ctx_out = {};
	LIBBPF_OPTS(bpf_test_run_opts, o,
		.data_in = in, .data_size_in = (uint32_t)(size > len ? size : len),
		.data_out = out_buf, .data_size_out = sizeof(out_buf),
		.ctx_in = &ctx, .ctx_size_in = sizeof(ctx),
		.ctx_out = &ctx_out, .ctx_size_out = sizeof(ctx_out),
		.repeat = 1);
	struct trace_run t;
	uint32_t meta;

	memcpy(in, data, len);
	trace_before(&t, ifindex, data, len);
	if (bpf_prog_test_run_opts(fd_xdp, &o))
		return -errno;
	out_len = o.data_size_out;
	/* The output starts with the metadata, ctx_out.data bytes of it: the
	 * decision handed to tc, if any. */
	meta = ctx_out.data;
	xdp_handed_off = meta == sizeof(xdp_handoff) && meta <= out_len;
	memset(&xdp_handoff, 0, sizeof(xdp_handoff));
	if (xdp_handed_off)
		memcpy(&xdp_handoff, out_buf, sizeof(xdp_handoff));
	if (meta && meta <= out_len) {
		memmove(out_buf, out_buf + meta, out_len - meta);
		out_len -= meta;
	}
	trace_after_xdp(&t, (int)o.retval);
	return (int)o.retval;
}

int run_xdp(int port, const struct frame *f)
{
	return run_xdp_sized(pif[port], f->b, f->len, f->len);
}

/* Live frames: the verdict is carried out (redirects reach the devmap and
 * its egress program). No return code comes back. */
int run_xdp_live(int port, const struct frame *f)
{
	struct xdp_md ctx = {
		.data = 0, .data_end = (uint32_t)f->len,
		.ingress_ifindex = pif[port], .rx_queue_index = 0,
	};
	LIBBPF_OPTS(bpf_test_run_opts, o,
		.data_in = f->b, .data_size_in = (uint32_t)f->len,
		.ctx_in = &ctx, .ctx_size_in = sizeof(ctx),
		.flags = BPF_F_TEST_XDP_LIVE_FRAMES, .repeat = 1);

	return bpf_prog_test_run_opts(fd_xdp, &o) ? -errno : 0;
}

/* The skb's context as the program left it (vlan_* only if the kernel
 * copies them back). */
struct __sk_buff tc_ctx_out;

int run_tc(int port, const struct frame *f)
{
	struct __sk_buff ctx = { .ifindex = pif[port], .ingress_ifindex = pif[port] };
	LIBBPF_OPTS(bpf_test_run_opts, o,
		.data_in = f->b, .data_size_in = (uint32_t)f->len,
		.data_out = out_buf, .data_size_out = sizeof(out_buf),
		.ctx_in = &ctx, .ctx_size_in = sizeof(ctx),
		.ctx_out = &tc_ctx_out, .ctx_size_out = sizeof(tc_ctx_out),
		.repeat = 1);
	struct trace_run t;

	memset(&tc_ctx_out, 0, sizeof(tc_ctx_out));
	trace_before(&t, pif[port], f->b, f->len);
	if (bpf_prog_test_run_opts(fd_tc, &o))
		return -errno;
	out_len = o.data_size_out;
	trace_after_tc(&t, (int)o.retval);
	return (int)o.retval;
}

void expect_handoff(int in, int out)
{
	struct xbr_config cfg;

	if (!xdp_handed_off) {
		fail("XDP handed no decision to tc");
		return;
	}
	if (read_config(&cfg))
		fail("cannot read config");
	EXPECT(xdp_handoff.magic == XBR_HANDOFF_MAGIC, "handoff magic %#x", xdp_handoff.magic);
	EXPECT(xdp_handoff.in_ifindex == pif[in], "handoff from ifindex %u, expected %s",
	       xdp_handoff.in_ifindex, pdev[in]);
	EXPECT(xdp_handoff.ports_gen == cfg.ports_gen, "handoff of another ports generation");
	if (out < 0)
		EXPECT(xdp_handoff.flags & XBR_HANDOFF_F_FLOOD, "handoff is no flood");
	else
		EXPECT(!(xdp_handoff.flags & XBR_HANDOFF_F_FLOOD) &&
		       xdp_handoff.out_ifindex == pif[out],
		       "handoff: unicast to ifindex %u (flags %#x), expected %s",
		       xdp_handoff.out_ifindex, xdp_handoff.flags, pdev[out]);
}

void expect_unchanged(const struct frame *f)
{
	EXPECT(out_len == f->len && !memcmp(out_buf, f->b, f->len),
	       "the program changed the frame (len %u -> %u)", (unsigned int)f->len, out_len);
}

void expect_fdb(const uint8_t *mac, int port, uint32_t flags)
{
	struct xbr_fdb_entry e;

	if (fdb_get(mac, &e)) {
		fail("%s not in the FDB", mac_str(mac));
		return;
	}
	EXPECT(e.ifindex == pif[port], "%s on ifindex %u, expected %u (%s)", mac_str(mac),
	       e.ifindex, pif[port], pdev[port]);
	EXPECT(e.flags == flags, "%s has flags %#x, expected %#x", mac_str(mac), e.flags, flags);
	EXPECT(e.port_id == pinfo[port].id, "%s has port_id %u, expected %u (%s)", mac_str(mac),
	       e.port_id, pinfo[port].id, pdev[port]);
}

void expect_no_fdb(const uint8_t *mac)
{
	struct xbr_fdb_entry e;

	EXPECT(fdb_get(mac, &e) == -ENOENT, "%s is in the FDB (ifindex %u flags %#x)",
	       mac_str(mac), e.ifindex, e.flags);
}

/* Teach the bridge that @mac lives behind @port through the datapath. */
void learn(const uint8_t *mac, int port)
{
	struct frame f;
	int r;

	frame_raw(&f, BCAST, mac, 60);
	r = run_tc(port, &f);
	if (r != TC_ACT_REDIRECT)
		fail("learning %s on %s: %s", mac_str(mac), pdev[port], tc_name(r));
	expect_fdb(mac, port, 0);
}


/* ---- configuration through libxbr (what the CLI calls) ------------------- */

void port_set(int port, int learning, int flood)
{
	struct xbr_port_opts o = { .learning = learning, .flood = flood };

	if (xbr_port_set(&br, pdev[port], &o))
		fail("port set %s: %s", pdev[port], xbr_errmsg());
}

void set_ageing(unsigned int s)
{
	if (xbr_bridge_set_ageing(&br, s))
		fail("ageing %u: %s", s, xbr_errmsg());
}

/* The flood ports of the XDP path all take XDP redirects (or not). */
void xdp_flood(int on)
{
	port_set(P_TC, -1, !on);
	if (pis_port[P_HOST])
		port_set(P_HOST, -1, !on);
}


uint64_t kstat(int port)
{
	char path[128], buf[32];
	uint64_t v = 0;
	const char *const names[] = { "tx_packets", "tx_dropped" };
	FILE *fp;
	int i;

	for (i = 0; i < 2; i++) {
		snprintf(path, sizeof(path), "/sys/class/net/%s/statistics/%s", pdev[port],
			 names[i]);
		fp = fopen(path, "r");
		if (!fp)
			continue;
		if (fgets(buf, sizeof(buf), fp))
			v += strtoull(buf, NULL, 10);
		fclose(fp);
	}
	return v;
}

/*
 * Real frames through the real ports: sockets on the veth peers of x1, x2
 * and tc (in the namespace given as peers=). A frame sent on a peer enters
 * the bridge as on the wire (the kernel moves an 802.1Q tag into skb
 * metadata before tc sees it, which test_run never does); a frame the
 * bridge sends out of a port is caught on its peer with the tag the kernel
 * reports (PACKET_AUXDATA) or finds inline.
 */
static char peer_ns[PATH_MAX];
static int live_fd[P_MAX];
int live_ok;

void live_open(void)
{
	static const int peers[] = { P_X1, P_X2, P_TC };
	struct sockaddr_ll sll = { .sll_family = AF_PACKET, .sll_protocol = htons(ETH_P_ALL) };
	char name[IFNAMSIZ + 2];
	int self, peer, fd, one = 1;
	size_t i;

	for (i = 0; i < P_MAX; i++)
		live_fd[i] = -1;
	if (!peer_ns[0])
		return;
	self = open("/proc/self/ns/net", O_RDONLY | O_CLOEXEC);
	peer = open(peer_ns, O_RDONLY | O_CLOEXEC);
	if (self < 0 || peer < 0 || setns(peer, CLONE_NEWNET)) {
		fprintf(stderr, "xbr-unit: cannot enter %s: %s\n", peer_ns, strerror(errno));
		goto out;
	}
	for (i = 0; i < sizeof(peers) / sizeof(peers[0]); i++) {
		snprintf(name, sizeof(name), "%s-p", pdev[peers[i]]);
		sll.sll_ifindex = (int)if_nametoindex(name);
		fd = socket(AF_PACKET, SOCK_RAW | SOCK_NONBLOCK | SOCK_CLOEXEC, htons(ETH_P_ALL));
		if (fd < 0 || !sll.sll_ifindex || bind(fd, (struct sockaddr *)&sll, sizeof(sll)) ||
		    setsockopt(fd, SOL_PACKET, PACKET_AUXDATA, &one, sizeof(one))) {
			fprintf(stderr, "xbr-unit: packet socket on %s: %s\n", name, strerror(errno));
			if (fd >= 0)
				close(fd);
			continue;
		}
		live_fd[peers[i]] = fd;
	}
	if (setns(self, CLONE_NEWNET)) {
		fprintf(stderr, "xbr-unit: cannot return to my netns: %s\n", strerror(errno));
		exit(2);
	}
	live_ok = live_fd[P_X1] >= 0 && live_fd[P_X2] >= 0 && live_fd[P_TC] >= 0;
out:
	if (self >= 0)
		close(self);
	if (peer >= 0)
		close(peer);
}

void live_close(void)
{
	int p;

	for (p = 0; p < P_MAX; p++)
		if (live_fd[p] >= 0)
			close(live_fd[p]);
}

void live_drain(void)
{
	uint8_t buf[FRAME_MAX];
	int p;

	for (p = 0; p < P_MAX; p++)
		while (live_fd[p] >= 0 && recv(live_fd[p], buf, sizeof(buf), 0) > 0)
			;
}

/* Enter the bridge through @port as if from the wire. */
void live_send(int port, const struct frame *f)
{
	if (send(live_fd[port], f->b, f->len, 0) != (ssize_t)f->len)
		fail("send on %s-p: %s", pdev[port], strerror(errno));
}

/* Wait up to @ms for a frame from @src to leave the bridge through @port. */
int live_recv(int port, const uint8_t *src, int ms, struct live_rx *rx)
{
	uint8_t buf[FRAME_MAX], cbuf[CMSG_SPACE(sizeof(struct tpacket_auxdata))];
	uint64_t end = mono_ns() + (uint64_t)ms * 1000000ULL;
	struct pollfd pfd = { .fd = live_fd[port], .events = POLLIN };
	struct sockaddr_ll from;
	struct iovec iov = { .iov_base = buf, .iov_len = sizeof(buf) };
	struct msghdr mh = { .msg_name = &from, .msg_iov = &iov, .msg_iovlen = 1,
			     .msg_control = cbuf };
	struct cmsghdr *c;
	ssize_t n;
	uint64_t now;

	while ((now = mono_ns()) < end) {
		if (poll(&pfd, 1, (int)((end - now) / 1000000ULL) + 1) <= 0)
			continue;
		mh.msg_namelen = sizeof(from);
		mh.msg_controllen = sizeof(cbuf);
		n = recvmsg(live_fd[port], &mh, 0);
		if (n < 14 || from.sll_pkttype == PACKET_OUTGOING || memcmp(buf + 6, src, 6))
			continue;
		memset(rx, 0, sizeof(*rx));
		rx->len = (size_t)n;
		for (c = CMSG_FIRSTHDR(&mh); c; c = CMSG_NXTHDR(&mh, c)) {
			struct tpacket_auxdata *aux = (void *)CMSG_DATA(c);

			if (c->cmsg_level == SOL_PACKET && c->cmsg_type == PACKET_AUXDATA &&
			    (aux->tp_status & TP_STATUS_VLAN_VALID)) {
				rx->tagged = 1;
				rx->tci = aux->tp_vlan_tci;
				rx->tpid = (aux->tp_status & TP_STATUS_VLAN_TPID_VALID) ?
					   aux->tp_vlan_tpid : 0x8100;
			}
		}
		rx->inner_type = get16(buf + 12);
		if (!rx->tagged && n >= 18 && get16(buf + 12) == 0x8100) {
			rx->tagged = 2;
			rx->tpid = 0x8100;
			rx->tci = get16(buf + 14);
			rx->inner_type = get16(buf + 16);
		}
		return 1;
	}
	return 0;
}

/* A frame from @src must leave through @port tagged @vid (0: untagged), or
 * not at all (@vid < 0: waits 100 ms for nothing to come). */
void expect_live(int port, const uint8_t *src, int vid)
{
	struct live_rx rx;
	int got = live_recv(port, src, vid < 0 ? 100 : 1000, &rx);

	if (vid < 0) {
		EXPECT(!got, "a frame from %s left %s (%s %u)", mac_str(src), pdev[port],
		       rx.tagged ? "tagged" : "untagged", rx.tci & 0x0fff);
		return;
	}
	if (!got) {
		fail("no frame from %s left %s", mac_str(src), pdev[port]);
		return;
	}
	if (!vid)
		EXPECT(!rx.tagged, "frame left %s tagged (tci %#06x), expected untagged",
		       pdev[port], rx.tci);
	else
		EXPECT(rx.tagged && (rx.tci & 0x0fff) == vid,
		       "frame left %s %s (tci %#06x), expected tagged %d", pdev[port],
		       rx.tagged ? "tagged" : "untagged", rx.tci, vid);
}

int fdb_get_v(const uint8_t *mac, uint16_t vlan, struct xbr_fdb_entry *e)
{
	struct xbr_fdb_key k = { .vlan = vlan };

	memcpy(k.mac, mac, 6);
	return bpf_map_lookup_elem(fd_fdb, &k, e) ? -errno : 0;
}

void expect_fdb_v(const uint8_t *mac, uint16_t vlan, int port, uint32_t flags)
{
	struct xbr_fdb_entry e;

	if (fdb_get_v(mac, vlan, &e)) {
		fail("%s vlan %u not in the FDB", mac_str(mac), vlan);
		return;
	}
	EXPECT(e.ifindex == pif[port] && e.flags == flags && e.port_id == pinfo[port].id,
	       "%s vlan %u on ifindex %u flags %#x port_id %u, expected %u (%s) flags %#x "
	       "port_id %u", mac_str(mac), vlan, e.ifindex, e.flags, e.port_id, pif[port],
	       pdev[port], flags, pinfo[port].id);
}

void expect_no_fdb_v(const uint8_t *mac, uint16_t vlan)
{
	struct xbr_fdb_entry e;

	EXPECT(fdb_get_v(mac, vlan, &e) == -ENOENT, "%s vlan %u is in the FDB (ifindex %u)",
	       mac_str(mac), vlan, e.ifindex);
}

void port_refresh(int p)
{
	if (bpf_map_lookup_elem(fd_ports, &pif[p], &pinfo[p]))
		fail("cannot read port %s", pdev[p]);
}

void vlan_add(int p, uint16_t lo, uint16_t hi, bool pvid, bool untagged)
{
	if (xbr_vlan_add(&br, pdev[p], lo, hi, pvid, untagged))
		fail("vlan add %s %u-%u: %s", pdev[p], lo, hi, xbr_errmsg());
	port_refresh(p);
}

void vlan_del(int p, uint16_t lo, uint16_t hi)
{
	if (xbr_vlan_del(&br, pdev[p], lo, hi))
		fail("vlan del %s %u-%u: %s", pdev[p], lo, hi, xbr_errmsg());
	port_refresh(p);
}

/* -1: not a member, else its xbr_vlan.flags. */
int vlan_of(int p, uint16_t vid)
{
	struct xbr_vlan_key k = { .ifindex = pif[p], .vid = vid };
	struct xbr_vlan v;

	return bpf_map_lookup_elem(fd_vlans, &k, &v) ? -1 : (int)v.flags;
}

void set_sec(int p, const struct xbr_port_sec *sec)
{
	if (xbr_port_set_security(&br, pdev[p], sec))
		fail("port set %s (security): %s", pdev[p], xbr_errmsg());
	port_refresh(p);
}

uint32_t rt_nr_macs(int p)
{
	struct xbr_port_rt rt;
	uint32_t id = pinfo[p].id;

	return bpf_map_lookup_elem(fd_port_rt, &id, &rt) ? ~0u : rt.nr_macs;
}

/* The frame the program left must be @want (a tag pushed, popped or kept). */
void expect_out(const struct frame *want)
{
	char got[32], exp[32];

	if (out_len == want->len && !memcmp(out_buf, want->b, want->len))
		return;
	snprintf(got, sizeof(got), out_len >= 16 && get16(out_buf + 12) == 0x8100 ?
		 "tci %#06x" : "untagged", out_len >= 16 ? get16(out_buf + 14) : 0);
	snprintf(exp, sizeof(exp), get16(want->b + 12) == 0x8100 ? "tci %#06x" : "untagged",
		 get16(want->b + 14));
	fail("frame left the program %s, %u bytes; expected %s, %zu bytes", got, out_len, exp,
	     want->len);
}

/* One frame through the XDP program on @port: verdict, the frame it leaves
 * (if @out), and every counter (@spec, as expect_deltas). */
void xdp_step(int port, const struct frame *f, int want, const struct frame *out,
		     const char *spec)
{
	struct snap a, b;
	int r;

	snap(&a);
	r = run_xdp(port, f);
	snap(&b);
	EXPECT_XDP(r, want);
	if (out)
		expect_out(out);
	expect_deltas(&a, &b, f->len, spec);
}

void tc_step(int port, const struct frame *f, int want, const char *spec)
{
	struct snap a, b;
	int r;

	snap(&a);
	r = run_tc(port, f);
	snap(&b);
	EXPECT_TC(r, want);
	expect_deltas(&a, &b, f->len, spec);
}

/* @mac is learned in VLAN @vid behind @port from a broadcast tagged @tag
 * (0: untagged), through XDP on XDP ports, else tc. */
void learn_v(const uint8_t *mac, int port, uint16_t tag, uint16_t vid)
{
	struct frame f;
	int r;

	frame_raw(&f, BCAST, mac, 60);
	if (tag)
		frame_push_tag(&f, 0x8100, tag);
	if (pinfo[port].flags & XBR_PORT_F_XDP) {
		r = run_xdp(port, &f);
		if (r != XDP_PASS && r != XDP_REDIRECT)
			fail("learning %s on %s: %s", mac_str(mac), pdev[port], xdp_name(r));
	} else {
		r = run_tc(port, &f);
		if (r != TC_ACT_REDIRECT)
			fail("learning %s on %s: %s", mac_str(mac), pdev[port], tc_name(r));
	}
	expect_fdb_v(mac, vid, port, 0);
}

/*
 * VLAN layout (like `bridge vlan` with vlan_filtering=1):
 *   x1   access: 1 untagged, 10 untagged pvid
 *   x2   trunk:  10, 20 tagged; no pvid (VLAN 1 removed)
 *   tc   trunk:  10, 20 tagged; no pvid
 *   tap  trunk:  10, 20 tagged; native VLAN 1 untagged pvid (the default)
 *   host VLAN 1 untagged pvid (the default)
 */
static int pin_open(const char *dir, const char *name)
{
	char path[PATH_MAX];
	int fd;

	snprintf(path, sizeof(path), "%s/%s", dir, name);
	fd = bpf_obj_get(path);
	if (fd < 0) {
		fprintf(stderr, "xbr-unit: %s: %s\n", path, strerror(errno));
		exit(2);
	}
	return fd;
}

int harness_init(int argc, char **argv)
{
	char dir[PATH_MAX], root[PATH_MAX], progs[PATH_MAX + 8], *slash;
	const char *name;
	int i, p;

	if (argc < 2) {
		fprintf(stderr, "usage: xbr-unit PIN_DIR x1=DEV x2=DEV tc=DEV tap=DEV out=DEV "
			"host=DEV gone=DEV [peers=NETNS_PATH]\n");
		return 2;
	}
	snprintf(dir, sizeof(dir), "%s", argv[1]);
	/* PIN_DIR = <root>/xbr/<bridge> */
	slash = strrchr(dir, '/');
	if (!slash || slash == dir) {
		fprintf(stderr, "xbr-unit: PIN_DIR must be <pin-root>/xbr/<bridge>\n");
		return 2;
	}
	name = slash + 1;
	snprintf(root, sizeof(root), "%.*s", (int)(slash - dir), dir);
	slash = strrchr(root, '/');
	if (!slash || strcmp(slash, "/xbr")) {
		fprintf(stderr, "xbr-unit: PIN_DIR must be <pin-root>/xbr/<bridge>\n");
		return 2;
	}
	*slash = 0;

	for (i = 2; i < argc; i++) {
		char *eq = strchr(argv[i], '=');

		if (!strncmp(argv[i], "peers=", 6)) {
			snprintf(peer_ns, sizeof(peer_ns), "%s", argv[i] + 6);
			continue;
		}

		for (p = 0; eq && p < P_MAX; p++)
			if (!strncmp(argv[i], pkey[p], (size_t)(eq - argv[i])) &&
			    strlen(pkey[p]) == (size_t)(eq - argv[i]))
				break;
		if (!eq || p == P_MAX) {
			fprintf(stderr, "xbr-unit: bad argument '%s'\n", argv[i]);
			return 2;
		}
		snprintf(pdev[p], sizeof(pdev[p]), "%s", eq + 1);
	}
	for (p = 0; p < P_MAX; p++) {
		if (!pdev[p][0]) {
			fprintf(stderr, "xbr-unit: missing %s=DEV\n", pkey[p]);
			return 2;
		}
		if (p == P_GONE)
			continue;	/* found in the ports map below */
		pif[p] = if_nametoindex(pdev[p]);
		if (!pif[p]) {
			fprintf(stderr, "xbr-unit: no such device: %s\n", pdev[p]);
			return 2;
		}
	}

	ncpus = libbpf_num_possible_cpus();
	if (ncpus <= 0) {
		fprintf(stderr, "xbr-unit: cannot count CPUs\n");
		return 2;
	}
	snprintf(progs, sizeof(progs), "%s/progs", dir);
	fd_xdp = pin_open(progs, "xdp");
	fd_tc = pin_open(progs, "tc");
	fd_egress = pin_open(progs, "egress");
	fd_ports = pin_open(dir, XBR_MAP_PORTS);
	fd_fdb = pin_open(dir, XBR_MAP_FDB);
	fd_stats = pin_open(dir, XBR_MAP_STATS);
	fd_config = pin_open(dir, XBR_MAP_CONFIG);
	fd_tx_ports = pin_open(dir, XBR_MAP_TX_PORTS);
	fd_flood_ports = pin_open(dir, XBR_MAP_FLOOD_PORTS);
	fd_flood_list = pin_open(dir, XBR_MAP_FLOOD_LIST);
	fd_vlans = pin_open(dir, XBR_MAP_VLANS);
	fd_port_rt = pin_open(dir, XBR_MAP_PORT_RT);
	fd_fdb_gc = pin_open(dir, XBR_MAP_FDB_GC);
	fd_lcache = pin_open(dir, XBR_MAP_LCACHE);

	xbr_set_pin_root(root);
	if (xbr_bridge_open(name, &br)) {
		fprintf(stderr, "xbr-unit: %s\n", xbr_errmsg());
		return 2;
	}
	if (if_nametoindex(pdev[P_GONE]) || xbr_port_find(&br, pdev[P_GONE], &pif[P_GONE], NULL)) {
		fprintf(stderr, "xbr-unit: %s must be a port whose netdev is gone\n", pdev[P_GONE]);
		return 2;
	}
	for (p = 0; p < P_MAX; p++)
		pis_port[p] = pif[p] && !bpf_map_lookup_elem(fd_ports, &pif[p], &pinfo[p]);
	for (p = 0; p < P_MAX; p++)
		if (p != P_OUT && pdev[p][0] && !pis_port[p]) {
			fprintf(stderr, "xbr-unit: %s is not a port of %s\n", pdev[p], name);
			return 2;
		}
	return 0;
}

/* Close the bridge; print the summary; the exit code of the run. */
int harness_done(void)
{
	xbr_bridge_close(&br);
	if (n_skip)
		printf("%d skipped (reasons above)\n", n_skip);
	printf("%d passed, %d failed\n", n_pass, n_fail);
	return n_fail ? 1 : 0;
}
