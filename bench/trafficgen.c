// SPDX-License-Identifier: GPL-2.0
/*
 * xbr-trafficgen: compare forwarding paths with one generator process.
 *
 * Each VARIANT names a sending device in one network namespace and a
 * receiving device in another: whatever sits between them (a Linux bridge,
 * xbr, a bare redirect, nothing) is what gets measured. The generator
 * injects frames with BPF_PROG_TEST_RUN + BPF_F_TEST_XDP_LIVE_FRAMES (the
 * technique of xdp-tools' xdp-trafficgen) and the sink counts them in XDP.
 * Two other kinds of sender exist for paths live frames cannot take: a VM
 * writing into its tap as QEMU does (tapvm.c), and an AF_PACKET socket for
 * frames larger than a page (live frames have no fragments); and a VM
 * reading its tap is the other kind of sink.
 *
 * Rates on this kind of machine drift by 2-3x within minutes, so variants
 * are interleaved: every round gives each variant one short window, in
 * turn, from the same thread, and results are reported as medians over
 * rounds plus per-round ratios against a baseline variant measured
 * seconds apart from it.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <math.h>
#include <net/if.h>
#include <sched.h>
#include <signal.h>
#include <stdbool.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <arpa/inet.h>
#include <sys/socket.h>
#include <linux/if_ether.h>
#include <linux/if_packet.h>
#include <bpf/bpf.h>
#include <bpf/libbpf.h>
#include <linux/if_link.h>
#include "bench.h"
#include "cpuclock.h"
#include "frame.h"
#include "libxbr.h"
#include "netns.h"
#include "sinks.h"
#include "tapvm.h"
#include "gen.skel.h"

#define MAX_VARIANTS	32
#define MAX_ROUNDS	1000
#define MAX_BATCH	256	/* TEST_XDP_MAX_BATCH in net/bpf/test_run.c */
#define CALL_NS		2000000	/* aim for test runs of ~2 ms each */
#define LIVE_MAX_SIZE	1518	/* a live frame is one page, no fragments */
#define MAX_FLOWS_BUILT	1024	/* frames written from user space, per flow */
#define WRITE_BURST	32	/* frames between clock reads */

struct window {
	double secs;
	__u64 sent;
	__u64 received;
	__u64 bytes;
	__u64 cpu_ns;
	__u64 vm_cpu_ns;	/* the tap reader's, when the sink is a VM */
};

enum source_kind {
	SOURCE_LIVE,		/* live frames redirected out of a device */
	SOURCE_TAP,		/* a VM writing into its tap */
	SOURCE_PACKET,		/* an AF_PACKET socket on a device */
};

struct variant {
	const char *name;
	enum source_kind source;
	int gen_ns;		/* where frames are injected (live) */
	int tx_ifindex;		/* resolved in gen_ns */
	int tx_fd;		/* the tap or packet socket */
	int tap_sink;		/* index in the reader, or -1: XDP sink */
	bool no_sink;		/* counted elsewhere: received stays 0 */
	struct sink sink;
	struct window win[MAX_ROUNDS];
};

/* Frames user space sends itself: one per flow, as gen.bpf.c makes them. */
struct frame_set {
	__u8 *buf;
	size_t len;
	unsigned int n;
	__u8 vnet_hdr[TAPVM_HDR_LEN];
};

struct options {
	struct frame_spec frame;
	unsigned int flows;
	double rate;		/* frames/s per variant, 0: unlimited */
	double window;		/* seconds */
	unsigned int rounds;
	unsigned int warmup;
	double duration;	/* seconds in total; overrides rounds */
	unsigned int batch;
	int cpu;
	const char *baseline;
	double min_delivery;	/* fail if a variant delivers less */
	const char *raw;	/* every window, tab-separated */
	bool bpf_stats;		/* kernel BPF run-time stats while we run */
	enum tapvm_csum csum;	/* of the frames a VM writes */
	int vm_cpu;		/* where the tap reader runs */
	bool tsv;
	bool verbose;
};

static volatile sig_atomic_t stopping;

static void on_signal(int sig)
{
	(void)sig;
	stopping = 1;
}

static double now_s(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
}

static void sleep_until(double t)
{
	struct timespec ts = {
		.tv_sec = (time_t)t,
		.tv_nsec = (long)((t - (time_t)t) * 1e9),
	};

	while (clock_nanosleep(CLOCK_MONOTONIC, TIMER_ABSTIME, &ts, NULL) ==
	       EINTR && !stopping)
		;
}

/*
 * One window of one variant: test runs of `chunk` frames until the window
 * is over. Unlimited, the chunk adapts so a run takes ~2 ms (the window
 * overshoots by that much at most and the elapsed time is what counts);
 * capped, runs are paced to the rate, one millisecond's worth at a time.
 */
static int send_live_window(struct bench_gen *gen, const void *frame, int frame_len,
			    const struct options *o, struct window *w)
{
	LIBBPF_OPTS(bpf_test_run_opts, run,
		.data_in = frame,
		.data_size_in = frame_len,
		.flags = BPF_F_TEST_XDP_LIVE_FRAMES,
		.batch_size = o->batch,
	);
	int prog = bpf_program__fd(gen->progs.bench_gen);
	double start = now_s(), end = start + o->window, t = start, t0;
	__u64 chunk = o->batch * 16;

	if (o->rate > 0)
		chunk = o->rate / 1000 > 1 ? o->rate / 1000 : 1;
	w->sent = 0;
	while (t < end && !stopping) {
		if (o->rate > 0) {
			double due = start + w->sent / o->rate;

			if (due >= end)
				break;
			if (due > t)
				sleep_until(due);
		}
		run.repeat = chunk;
		t0 = now_s();
		if (bpf_prog_test_run_opts(prog, &run))
			return stopping ? -EINTR : -errno;
		w->sent += chunk;
		t = now_s();
		if (o->rate == 0) {
			double ns = (t - t0) * 1e9;

			chunk = ns > 0 ? chunk * CALL_NS / ns : chunk * 2;
			if (chunk < o->batch)
				chunk = o->batch;
			if (chunk > 1 << 22)
				chunk = 1 << 22;
		}
	}
	/* Paced, the window is the window: the last run ended a pacing step
	 * before it closes. */
	w->secs = (o->rate > 0 && !stopping && t < end ? end : t) - start;
	return 0;
}

/* AF_PACKET: one sendmmsg() per burst, the flows in turn. */
static int send_packets(int fd, const struct frame_set *fs, unsigned int *flow,
			unsigned int n)
{
	struct mmsghdr msg[WRITE_BURST];
	struct iovec iov[WRITE_BURST];
	unsigned int i;
	int sent;

	memset(msg, 0, sizeof(msg));
	for (i = 0; i < n; i++) {
		iov[i].iov_base = fs->buf + (size_t)*flow * fs->len;
		iov[i].iov_len = fs->len;
		msg[i].msg_hdr.msg_iov = &iov[i];
		msg[i].msg_hdr.msg_iovlen = 1;
		*flow = *flow + 1 == fs->n ? 0 : *flow + 1;
	}
	sent = sendmmsg(fd, msg, n, 0);
	/* A full device queue drops; what it took counts as sent. */
	if (sent < 0)
		return errno == ENOBUFS || errno == EAGAIN ? 0 : -errno;
	return sent;
}

/* A VM writing into its tap: a writev() per frame, as QEMU does. */
static int send_taps(int fd, const struct frame_set *fs, unsigned int *flow,
		     unsigned int n)
{
	unsigned int i;
	int err, sent = 0;

	for (i = 0; i < n; i++) {
		err = tapvm_write(fd, fs->vnet_hdr, fs->buf + (size_t)*flow * fs->len,
				  fs->len);
		if (err && err != -EAGAIN && err != -ENOBUFS)
			return sent ? sent : err;
		sent += !err;
		*flow = *flow + 1 == fs->n ? 0 : *flow + 1;
	}
	return sent;
}

/* A window of frames sent by user space, in bursts, paced like live ones. */
static int send_user_window(const struct variant *v, const struct frame_set *fs,
			    const struct options *o, struct window *w)
{
	double start = now_s(), end = start + o->window, t = start;
	unsigned int burst = WRITE_BURST, flow = 0;
	__u64 tried = 0;
	int n;

	if (o->rate > 0 && o->rate / 1000 < burst)
		burst = o->rate / 1000 > 1 ? o->rate / 1000 : 1;
	w->sent = 0;
	while (t < end && !stopping) {
		if (o->rate > 0) {
			double due = start + tried / o->rate;

			if (due >= end)
				break;
			if (due > t)
				sleep_until(due);
		}
		n = v->source == SOURCE_TAP ? send_taps(v->tx_fd, fs, &flow, burst) :
					      send_packets(v->tx_fd, fs, &flow, burst);
		if (n < 0)
			return stopping ? -EINTR : n;
		w->sent += n;
		tried += burst;
		t = now_s();
	}
	w->secs = (o->rate > 0 && !stopping && t < end ? end : t) - start;
	return 0;
}

/*
 * A test run with repeat > 1 puts the program into the XDP dispatcher and
 * takes it out again (bpf_prog_change_xdp() in bpf_prog_test_run_xdp()):
 * each is a text patch and an RCU grace period, ~25 ms per call here, which
 * would leave 0.25 s windows nearly empty. A program that is attached
 * somewhere stays in the dispatcher and the per-call swap is only a
 * refcount. So attach it, in generic mode, to the loopback of a namespace
 * of our own that carries no traffic (lo stays down); the namespace, and
 * with it the attachment, lives as long as we hold ANCHOR.
 */
static int anchor_in_dispatcher(int prog_fd, int *anchor)
{
	int home, err = 0;

	home = open("/proc/self/ns/net", O_RDONLY | O_CLOEXEC);
	if (home < 0)
		return -errno;
	if (unshare(CLONE_NEWNET)) {
		err = -errno;
		goto out;
	}
	*anchor = open("/proc/self/ns/net", O_RDONLY | O_CLOEXEC);
	if (*anchor < 0)
		err = -errno;
	else
		err = bpf_xdp_attach(if_nametoindex("lo"), prog_fd,
				     XDP_FLAGS_SKB_MODE, NULL);
	if (netns_enter(home) && !err)
		err = -errno;
out:
	close(home);
	return err;
}

static struct tapvm_reader reader;

static int read_sink(const struct variant *v, struct bench_count *c)
{
	if (v->no_sink) {
		c->frames = c->bytes = 0;
		return 0;
	}
	if (v->tap_sink < 0)
		return sink_read(&v->sink, c);
	c->frames = atomic_load(&reader.count[v->tap_sink].frames);
	c->bytes = atomic_load(&reader.count[v->tap_sink].bytes);
	return 0;
}

static int measure(struct variant *v, struct bench_gen *gen, const void *frame,
		   int frame_len, const struct frame_set *fs,
		   const struct options *o, const struct cpuclock *clk,
		   struct window *w)
{
	struct bench_count c0, c1;
	__u64 cpu0, vm0;
	int err;

	if (v->source == SOURCE_LIVE) {
		err = netns_enter(v->gen_ns);
		if (err)
			return err;
		gen->bss->tx_ifindex = v->tx_ifindex;
	}
	err = read_sink(v, &c0);
	if (err)
		return err;
	vm0 = tapvm_reader_cpu_ns(&reader);
	cpu0 = cpuclock_now(clk);
	if (v->source == SOURCE_LIVE)
		err = send_live_window(gen, frame, frame_len, o, w);
	else
		err = send_user_window(v, fs, o, w);
	if (err)
		return err;
	/* Frames a softirq deferred to ksoftirqd land a little later, and a
	 * VM reads what its tap still holds. */
	usleep(2000);
	w->cpu_ns = cpuclock_now(clk) - cpu0;
	w->vm_cpu_ns = v->tap_sink < 0 ? 0 : tapvm_reader_cpu_ns(&reader) - vm0;
	err = read_sink(v, &c1);
	if (err)
		return err;
	w->received = c1.frames - c0.frames;
	w->bytes = c1.bytes - c0.bytes;
	return 0;
}

static double rx_pps(const struct window *w)
{
	return w->secs > 0 ? w->received / w->secs : 0;
}

static int cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return (x > y) - (x < y);
}

/* Median, min and max of n values (n >= 1); sorts them. */
static void spread(double *x, unsigned int n, double *med, double *min,
		   double *max)
{
	qsort(x, n, sizeof(*x), cmp_double);
	*min = x[0];
	*max = x[n - 1];
	*med = n % 2 ? x[n / 2] : (x[n / 2 - 1] + x[n / 2]) / 2;
}

static void report(struct variant *vs, int nv, const struct options *o,
		   unsigned int first, unsigned int rounds)
{
	struct variant *base = NULL;
	double x[MAX_ROUNDS], min, max;
	unsigned int r, n;
	int i;

	for (i = 0; i < nv && o->baseline; i++)
		if (!strcmp(vs[i].name, o->baseline))
			base = &vs[i];

	if (o->tsv)
		printf("variant\trounds\tmpps\tmpps_min\tmpps_max\tgbps\t"
		       "sent_mpps\tloss_pct\tratio\tratio_min\tratio_max\t"
		       "cpu_ns_pkt\n");
	else
		printf("%-12s %6s %8s %17s %7s %7s %22s %9s\n", "variant",
		       "rounds", "Mpps", "(min-max)", "Gbps", "loss%",
		       "ratio vs baseline", "CPU ns/p");

	for (i = 0; i < nv; i++) {
		struct variant *v = &vs[i];
		double mpps, mmin, mmax, gbps, sent_mpps, cpu, loss;
		double lost = 0, sent = 0;
		double rmed = NAN, rmin = NAN, rmax = NAN;

		for (n = 0, r = first; r < first + rounds; r++, n++) {
			x[n] = rx_pps(&v->win[r]) / 1e6;
			sent += v->win[r].sent;
			lost += (double)v->win[r].sent - v->win[r].received;
		}
		spread(x, n, &mpps, &mmin, &mmax);
		/* On the wire: every frame carries its FCS. */
		gbps = mpps * 1e6 * o->frame.size * 8 / 1e9;

		for (n = 0, r = first; r < first + rounds; r++, n++)
			x[n] = v->win[r].sent / v->win[r].secs / 1e6;
		spread(x, n, &sent_mpps, &min, &max);

		for (n = 0, r = first; r < first + rounds; r++, n++)
			x[n] = v->win[r].received ?
			       (double)v->win[r].cpu_ns / v->win[r].received :
			       NAN;
		spread(x, n, &cpu, &min, &max);

		if (base) {
			for (n = 0, r = first; r < first + rounds; r++, n++) {
				double b = rx_pps(&base->win[r]);

				x[n] = b > 0 ? rx_pps(&v->win[r]) / b : NAN;
			}
			spread(x, n, &rmed, &rmin, &rmax);
		}
		loss = sent > 0 ? 100.0 * lost / sent : 0;
		if (o->tsv)
			printf("%s\t%u\t%.4f\t%.4f\t%.4f\t%.4f\t%.4f\t%.2f\t"
			       "%.3f\t%.3f\t%.3f\t%.1f\n", v->name, rounds, mpps,
			       mmin, mmax, gbps, sent_mpps, loss, rmed, rmin,
			       rmax, cpu);
		else if (base)
			printf("%-12s %6u %8.3f (%6.3f-%7.3f) %7.3f %7.2f "
			       "%6.2fx (%5.2f-%5.2f) %9.1f\n", v->name, rounds,
			       mpps, mmin, mmax, gbps, loss, rmed, rmin, rmax,
			       cpu);
		else
			printf("%-12s %6u %8.3f (%6.3f-%7.3f) %7.3f %7.2f "
			       "%22s %9.1f\n", v->name, rounds, mpps, mmin, mmax,
			       gbps, loss, "-", cpu);
	}
}

/* Rounds below min_delivery of what was sent fail the run: a variant that
 * does not forward must not hide behind a median. */
static int check_delivery(struct variant *vs, int nv, const struct options *o,
			  unsigned int first, unsigned int rounds)
{
	int i, bad = 0;

	for (i = 0; i < nv; i++) {
		__u64 sent = 0, rcvd = 0;
		unsigned int r;

		for (r = first; r < first + rounds; r++) {
			sent += vs[i].win[r].sent;
			rcvd += vs[i].win[r].received;
		}
		if (!sent || rcvd < o->min_delivery * sent) {
			fprintf(stderr, "xbr-trafficgen: %s delivered %llu of "
				"%llu frames\n", vs[i].name,
				(unsigned long long)rcvd,
				(unsigned long long)sent);
			bad = 1;
		}
	}
	return bad;
}

static int write_raw(const char *path, const struct variant *vs, int nv,
		     unsigned int first, unsigned int rounds)
{
	FILE *f = fopen(path, "w");
	unsigned int r;
	int i;

	if (!f)
		return -1;
	fprintf(f, "round\tvariant\tsecs\tsent\treceived\tbytes\tcpu_ns\t"
		"vm_cpu_ns\n");
	for (r = first; r < first + rounds; r++)
		for (i = 0; i < nv; i++) {
			const struct window *w = &vs[i].win[r];

			fprintf(f, "%u\t%s\t%.6f\t%llu\t%llu\t%llu\t%llu\t%llu\n",
				r - first, vs[i].name, w->secs,
				(unsigned long long)w->sent,
				(unsigned long long)w->received,
				(unsigned long long)w->bytes,
				(unsigned long long)w->cpu_ns,
				(unsigned long long)w->vm_cpu_ns);
		}
	return fclose(f);
}

static void usage(FILE *f)
{
	fprintf(f,
"Usage: xbr-trafficgen [OPTIONS] NAME=GEN_NS,TX_DEV,SINK_NS,SINK_DEV ...\n"
"\n"
"Injects UDP frames from TX_DEV in netns GEN_NS and counts them with an XDP\n"
"sink attached to SINK_DEV in SINK_NS, one window per variant per round.\n"
"A namespace is a name from `ip netns` or a path to an nsfs file.\n"
"TX_DEV sends live frames (BPF_F_TEST_XDP_LIVE_FRAMES) out of the device;\n"
"tap:DEV is a VM writing into the tap DEV as QEMU does (O_NONBLOCK, a\n"
"virtio-net header, one writev() per frame); packet:DEV an AF_PACKET\n"
"socket on DEV (frames over 1518 bytes). SINK_DEV counts in XDP; tap:DEV\n"
"is a VM reading the tap DEV (read() until EAGAIN, then epoll); SINK_NS,SINK_DEV\n"
"-,- sends without counting (the receiver counts itself).\n"
"\n"
"  -s, --size BYTES       frame size on the wire, FCS included (64..1518 for\n"
"                         live frames, up to 9018 otherwise; 64)\n"
"  -f, --flows N          flows: MAC low 16 bits and UDP ports vary (1)\n"
"  -r, --rate PPS         rate cap per variant, 0 = unlimited (0)\n"
"  -w, --window SECS      window per variant per round (0.25)\n"
"  -n, --rounds N         measured rounds (5)\n"
"  -W, --warmup N         unreported rounds first (1)\n"
"  -d, --duration SECS    measure for about SECS in total (sets --rounds)\n"
"  -b, --batch N          frames per kernel batch, 1..256 (64)\n"
"  -c, --cpu N            pin the generator to CPU N\n"
"  -B, --baseline NAME    report per-round ratios against variant NAME\n"
"  -m, --min-delivery F   fail unless each variant delivers F of sent (0)\n"
"      --src-mac MAC      base source MAC (02:0a:00:00:00:00)\n"
"      --dst-mac MAC      base destination MAC (02:0b:00:00:00:00)\n"
"      --src-ip IP, --dst-ip IP   (10.0.0.1, 10.0.0.2)\n"
"  -R, --raw FILE         write every measured window to FILE (TSV)\n"
"  -S, --bpf-stats        enable BPF run-time stats (run_time_ns, run_cnt of\n"
"                         every program, see bpftool prog) while running\n"
"      --csum complete|partial  UDP checksum of the frames a VM writes: done,\n"
"                         or left to offload (VIRTIO_NET_HDR_F_NEEDS_CSUM)\n"
"      --vm-cpu N         pin the thread reading taps to CPU N\n"
"  -t, --tsv              summary as tab-separated values\n"
"  -v, --verbose          print every window on stderr\n");
}

/* An AF_PACKET socket sending out of DEV, past its qdisc (a veth has
 * none anyway): the sender for frames live frames cannot carry. */
static int packet_open(const char *dev)
{
	struct sockaddr_ll sll = { .sll_family = AF_PACKET };
	int fd, one = 1, err;

	sll.sll_ifindex = if_nametoindex(dev);
	if (!sll.sll_ifindex)
		return -errno;
	fd = socket(AF_PACKET, SOCK_RAW | SOCK_CLOEXEC, 0);
	if (fd < 0)
		return -errno;
	if (setsockopt(fd, SOL_PACKET, PACKET_QDISC_BYPASS, &one, sizeof(one)) ||
	    bind(fd, (struct sockaddr *)&sll, sizeof(sll))) {
		err = -errno;
		close(fd);
		return err;
	}
	return fd;
}

static int parse_variant(char *arg, struct variant *v)
{
	char *name = arg, *eq = strchr(arg, '='), *f[4], *save = NULL;
	int i, ns;

	if (!eq)
		return -EINVAL;
	*eq = '\0';
	f[0] = strtok_r(eq + 1, ",", &save);
	for (i = 1; i < 4; i++)
		f[i] = strtok_r(NULL, ",", &save);
	if (!f[3] || strtok_r(NULL, ",", &save))
		return -EINVAL;
	v->name = name;

	if (!strcmp(f[3], "-")) {
		/* Someone else counts: a guest behind a back-end, say. */
		v->no_sink = true;
		goto source;
	}
	ns = netns_open(f[2]);
	if (ns < 0) {
		fprintf(stderr, "%s: netns %s: %s\n", name, f[2], strerror(-ns));
		return ns;
	}
	if (!strncmp(f[3], "tap:", 4)) {
		i = netns_enter(ns);
		if (!i)
			i = tapvm_open(f[3] + 4);
		if (i >= 0) {
			v->tap_sink = tapvm_reader_add(&reader, i);
			if (v->tap_sink < 0)
				close(i);
			i = v->tap_sink < 0 ? v->tap_sink : 0;
		}
	} else {
		i = sink_attach(&v->sink, ns, f[3]);
	}
	close(ns);
	if (i) {
		fprintf(stderr, "%s: sink on %s in %s: %s\n", name, f[3], f[2],
			strerror(-i));
		return i;
	}

source:
	v->gen_ns = netns_open(f[0]);
	if (v->gen_ns < 0 || netns_enter(v->gen_ns)) {
		fprintf(stderr, "%s: netns %s: %s\n", name, f[0],
			strerror(errno));
		return -ENOENT;
	}
	if (!strncmp(f[1], "tap:", 4)) {
		v->source = SOURCE_TAP;
		v->tx_fd = tapvm_open(f[1] + 4);
	} else if (!strncmp(f[1], "packet:", 7)) {
		v->source = SOURCE_PACKET;
		v->tx_fd = packet_open(f[1] + 7);
	} else {
		v->tx_ifindex = if_nametoindex(f[1]);
		if (!v->tx_ifindex)
			v->tx_fd = -errno;
	}
	if (v->tx_fd < -1) {
		fprintf(stderr, "%s: %s in %s: %s\n", name, f[1], f[0],
			strerror(-v->tx_fd));
		return v->tx_fd;
	}
	return 0;
}

/* Frames of every flow, as the generator's program would make them. */
static int frame_set_build(struct frame_set *fs, const void *frame, size_t len,
			   const struct options *o)
{
	unsigned int i;

	fs->n = o->flows;
	fs->len = len;
	fs->buf = malloc((size_t)fs->n * len);
	if (!fs->buf)
		return -ENOMEM;
	for (i = 0; i < fs->n; i++) {
		__u8 *f = fs->buf + (size_t)i * len;
		__be16 *ports = (void *)(f + BENCH_HDR_LEN - 8);

		memcpy(f, frame, len);
		f[4] = f[ETH_ALEN + 4] = i >> 8;
		f[5] = f[ETH_ALEN + 5] = i;
		ports[0] = htons(o->frame.src_port + i);
		ports[1] = htons(o->frame.dst_port + i);
		tapvm_hdr(fs->vnet_hdr, f, len, o->csum);
	}
	return 0;
}

static struct variant variants[MAX_VARIANTS];

int main(int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "size", required_argument, NULL, 's' },
		{ "flows", required_argument, NULL, 'f' },
		{ "rate", required_argument, NULL, 'r' },
		{ "window", required_argument, NULL, 'w' },
		{ "rounds", required_argument, NULL, 'n' },
		{ "warmup", required_argument, NULL, 'W' },
		{ "duration", required_argument, NULL, 'd' },
		{ "batch", required_argument, NULL, 'b' },
		{ "cpu", required_argument, NULL, 'c' },
		{ "baseline", required_argument, NULL, 'B' },
		{ "min-delivery", required_argument, NULL, 'm' },
		{ "src-mac", required_argument, NULL, 1 },
		{ "dst-mac", required_argument, NULL, 2 },
		{ "src-ip", required_argument, NULL, 3 },
		{ "dst-ip", required_argument, NULL, 4 },
		{ "raw", required_argument, NULL, 'R' },
		{ "bpf-stats", no_argument, NULL, 'S' },
		{ "csum", required_argument, NULL, 5 },
		{ "vm-cpu", required_argument, NULL, 6 },
		{ "tsv", no_argument, NULL, 't' },
		{ "verbose", no_argument, NULL, 'v' },
		{ "help", no_argument, NULL, 'h' },
		{}
	};
	struct options o = {
		.frame = {
			.size = 64,
			.src_mac = { 0x02, 0x0a },
			.dst_mac = { 0x02, 0x0b },
			.src_port = 10000,
			.dst_port = 20000,
		},
		.flows = 1,
		.window = 0.25,
		.rounds = 5,
		.warmup = 1,
		.batch = 64,
		.cpu = -1,
		.vm_cpu = -1,
	};
	static unsigned char frame[FRAME_MAX_SIZE];
	struct frame_set fs = {};
	bool user_sources = false;
	struct bench_gen *gen = NULL;
	struct cpuclock clk;
	unsigned int r, total;
	int opt, nv = 0, i, len, anchor = -1, stats = -1, err = 1;

	o.frame.src_ip = inet_addr("10.0.0.1");
	o.frame.dst_ip = inet_addr("10.0.0.2");
	while ((opt = getopt_long(argc, argv, "s:f:r:w:n:W:d:b:c:B:m:R:Stvh",
				  longopts, NULL)) != -1) {
		switch (opt) {
		case 's': o.frame.size = atoi(optarg); break;
		case 'f': o.flows = atoi(optarg); break;
		case 'r': o.rate = atof(optarg); break;
		case 'w': o.window = atof(optarg); break;
		case 'n': o.rounds = atoi(optarg); break;
		case 'W': o.warmup = atoi(optarg); break;
		case 'd': o.duration = atof(optarg); break;
		case 'b': o.batch = atoi(optarg); break;
		case 'c': o.cpu = atoi(optarg); break;
		case 'B': o.baseline = optarg; break;
		case 'm': o.min_delivery = atof(optarg); break;
		case 'R': o.raw = optarg; break;
		case 'S': o.bpf_stats = true; break;
		case 't': o.tsv = true; break;
		case 'v': o.verbose = true; break;
		case 1:
		case 2:
			if (xbr_parse_mac(optarg, opt == 1 ? o.frame.src_mac :
						       o.frame.dst_mac)) {
				fprintf(stderr, "bad MAC: %s\n", optarg);
				return 2;
			}
			break;
		case 3:
		case 4:
			if (inet_pton(AF_INET, optarg, opt == 3 ?
				      &o.frame.src_ip : &o.frame.dst_ip) != 1) {
				fprintf(stderr, "bad IPv4 address: %s\n", optarg);
				return 2;
			}
			break;
		case 5:
			if (!strcmp(optarg, "partial")) {
				o.csum = TAPVM_CSUM_PARTIAL;
			} else if (strcmp(optarg, "complete")) {
				fprintf(stderr, "--csum: complete or partial, not %s\n",
					optarg);
				return 2;
			}
			break;
		case 6: o.vm_cpu = atoi(optarg); break;
		case 'h': usage(stdout); return 0;
		default: usage(stderr); return 2;
		}
	}
	if (optind >= argc || argc - optind > MAX_VARIANTS || !o.flows ||
	    o.flows > BENCH_MAX_FLOWS || !o.batch || o.batch > MAX_BATCH ||
	    o.window <= 0 || o.rate < 0) {
		usage(stderr);
		return 2;
	}
	len = frame_build(&o.frame, frame, sizeof(frame));
	if (len < 0) {
		fprintf(stderr, "frame size must be 64..%d\n", FRAME_MAX_SIZE);
		return 2;
	}
	if (o.duration > 0) {
		o.rounds = o.duration / (o.window * (argc - optind));
		if (o.rounds < 1)
			o.rounds = 1;
	}
	if (!o.rounds || o.rounds + o.warmup > MAX_ROUNDS) {
		fprintf(stderr, "rounds must be 1..%d\n", MAX_ROUNDS - o.warmup);
		return 2;
	}
	if (o.cpu >= 0) {
		cpu_set_t set;

		CPU_ZERO(&set);
		CPU_SET(o.cpu, &set);
		if (sched_setaffinity(0, sizeof(set), &set)) {
			perror("sched_setaffinity");
			return 1;
		}
	}
	/* Stats stay on only as long as this fd is open: a crash cannot leave
	 * every BPF program on the machine paying for them. */
	if (o.bpf_stats) {
		stats = bpf_enable_stats(BPF_STATS_RUN_TIME);
		if (stats < 0) {
			perror("bpf_enable_stats");
			return 1;
		}
	}
	cpuclock_init(&clk, o.cpu);
	signal(SIGINT, on_signal);
	signal(SIGTERM, on_signal);

	gen = bench_gen__open();
	if (!gen) {
		perror("bench_gen__open");
		return 1;
	}
	gen->rodata->nr_flows = o.flows;
	gen->rodata->src_port = o.frame.src_port;
	gen->rodata->dst_port = o.frame.dst_port;
	memcpy((void *)gen->rodata->src_mac, o.frame.src_mac, 6);
	memcpy((void *)gen->rodata->dst_mac, o.frame.dst_mac, 6);
	if (bench_gen__load(gen)) {
		perror("bench_gen__load");
		goto out;
	}
	err = anchor_in_dispatcher(bpf_program__fd(gen->progs.bench_gen),
				   &anchor);
	if (err) {
		fprintf(stderr, "xbr-trafficgen: anchor in XDP dispatcher: %s\n",
			strerror(-err));
		err = 1;
		goto out;
	}
	err = 1;

	if (tapvm_reader_init(&reader, o.vm_cpu, 0)) {
		perror("xbr-trafficgen: epoll");
		goto out;
	}
	for (i = optind; i < argc; i++, nv++) {
		struct variant *v = &variants[nv];

		v->gen_ns = v->tx_fd = v->tap_sink = -1;
		if (parse_variant(argv[i], v)) {
			nv++;
			goto out;
		}
		if (v->source != SOURCE_LIVE) {
			user_sources = true;
		} else if (o.frame.size > LIVE_MAX_SIZE) {
			fprintf(stderr, "%s: live frames are at most %d bytes: send "
				"larger ones from packet:DEV\n", v->name,
				LIVE_MAX_SIZE);
			nv++;
			goto out;
		}
	}
	if (user_sources && o.flows > MAX_FLOWS_BUILT) {
		fprintf(stderr, "xbr-trafficgen: at most %d flows from tap: and "
			"packet: senders\n", MAX_FLOWS_BUILT);
		goto out;
	}
	if (user_sources && frame_set_build(&fs, frame, len, &o)) {
		perror("xbr-trafficgen: frames");
		goto out;
	}
	if (reader.nr && tapvm_reader_start(&reader)) {
		perror("xbr-trafficgen: tap reader");
		goto out;
	}

	total = o.warmup + o.rounds;
	for (r = 0; r < total && !stopping; r++) {
		for (i = 0; i < nv && !stopping; i++) {
			struct window *w = &variants[i].win[r];

			err = measure(&variants[i], gen, frame, len, &fs, &o, &clk, w);
			if (err) {
				fprintf(stderr, "%s: round %u: %s\n",
					variants[i].name, r, strerror(-err));
				err = 1;
				goto out;
			}
			if (o.verbose)
				fprintf(stderr, "%s round %u%s: %.3f s sent "
					"%llu received %llu (%.3f Mpps)\n",
					variants[i].name, r,
					r < o.warmup ? " (warm-up)" : "",
					w->secs, (unsigned long long)w->sent,
					(unsigned long long)w->received,
					rx_pps(w) / 1e6);
		}
	}
	if (stopping) {
		fprintf(stderr, "xbr-trafficgen: interrupted\n");
		err = 1;
		goto out;
	}
	report(variants, nv, &o, o.warmup, o.rounds);
	if (o.raw && write_raw(o.raw, variants, nv, o.warmup, o.rounds)) {
		fprintf(stderr, "xbr-trafficgen: %s: %s\n", o.raw,
			strerror(errno));
		goto out;
	}
	err = o.min_delivery > 0 ?
	      check_delivery(variants, nv, &o, o.warmup, o.rounds) : 0;
out:
	tapvm_reader_stop(&reader);
	for (i = 0; i < nv; i++) {
		sink_detach(&variants[i].sink);
		if (variants[i].gen_ns >= 0)
			close(variants[i].gen_ns);
		if (variants[i].tx_fd >= 0)
			close(variants[i].tx_fd);
	}
	free(fs.buf);
	bench_gen__destroy(gen);
	if (anchor >= 0)
		close(anchor);
	if (stats >= 0)
		close(stats);
	return err;
}
