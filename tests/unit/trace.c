// SPDX-License-Identifier: GPL-2.0
/*
 * xbr trace against the datapath. Every frame a case runs through the XDP
 * or tc program is traced first (harness.c's run_xdp_sized() and run_tc()
 * call trace_before() and trace_after_*()), so each case of the suite is
 * also a case of the trace:
 *  - the trace changes nothing: counters, FDB, port security state, the
 *    learning cache, the reclaimer's count are as they were;
 *  - its verdict is what the program then does: tc drops for the same
 *    reason, or sends to exactly the ports the trace named (counted tx);
 *    XDP redirects where the trace says XDP, passes to tc where it says tc,
 *    drops where it says dropped, with the same reason counted.
 * t_trace_cover() then checks that the suite made the trace agree on every
 * verdict and every drop reason a frame can get.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <net/if.h>
#include <linux/pkt_cls.h>
#include <bpf/bpf.h>
#include <bpf/libbpf.h>
#include "harness.h"
#include "cases.h"

#define TRACE_TRIES	5
/* A reclaimer walk of a full FDB takes well under this. */
#define GC_WALK_NS	(30 * 1000000ULL)

/* What the suite made the trace agree on, for t_trace_cover(). */
static unsigned int agreed_verdict[8], agreed_drop[XBR_DROP_MAX], agreed_path[8];
static unsigned int agreed_tags[2];	/* VLAN pop (untagged), push (tagged) */
static unsigned int n_traced, n_gc_retries, n_untraceable;

static uint64_t mono_now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000000ULL + (uint64_t)ts.tv_nsec;
}

static uint64_t fnv(uint64_t h, const void *p, size_t len)
{
	const uint8_t *b = p;
	size_t i;

	for (i = 0; i < len; i++)
		h = (h ^ b[i]) * 0x100000001b3ULL;
	return h;
}

/* Every key and value of a map, hashed in its iteration order (which a map
 * that did not change keeps). */
static uint64_t map_digest(int fd, uint64_t h)
{
	static uint8_t keys[4096 * 64], vals[4096 * 4096];
	struct bpf_map_info info = {};
	uint32_t len = sizeof(info), n, vsize, batch = 0;
	LIBBPF_OPTS(bpf_map_batch_opts, opts);
	bool first = true;
	int err;

	if (bpf_obj_get_info_by_fd(fd, &info, &len))
		return h ^ 1;
	vsize = info.value_size;
	if (info.type == BPF_MAP_TYPE_PERCPU_ARRAY || info.type == BPF_MAP_TYPE_PERCPU_HASH)
		vsize = ((vsize + 7) & ~7u) * libbpf_num_possible_cpus();
	for (;;) {
		n = sizeof(vals) / vsize;
		if (n > sizeof(keys) / info.key_size)
			n = sizeof(keys) / info.key_size;
		err = bpf_map_lookup_batch(fd, first ? NULL : &batch, &batch, keys, vals, &n,
					   &opts);
		first = false;
		if (err && errno != ENOENT)
			return h ^ 2;
		h = fnv(h, keys, (size_t)n * info.key_size);
		h = fnv(h, vals, (size_t)n * vsize);
		if (err)
			return h;
	}
}

/* port_rt without the reclaimer's scratch (gc_changes, gc_seen). */
static uint64_t port_rt_digest(uint64_t h)
{
	struct xbr_port_rt rt;
	uint32_t id;

	for (id = 0; id < XBR_MAX_PORTS; id++) {
		if (bpf_map_lookup_elem(fd_port_rt, &id, &rt))
			continue;
		rt.gc_changes = 0;
		rt.gc_seen = 0;
		h = fnv(h, &rt, sizeof(rt));
	}
	return h;
}

/* Whatever a decision could write: counters, FDB, the learned count, port
 * security's learned MACs, the per-port budgets, the learning cache. */
static uint64_t state_digest(void)
{
	struct xbr_fdb_gc gc;
	struct snap s;
	uint32_t zero = 0;
	uint64_t h = 0xcbf29ce484222325ULL;

	snap(&s);
	h = fnv(h, &s, sizeof(s));
	h = map_digest(fd_fdb, h);
	h = map_digest(br.sec_macs_fd, h);
	h = map_digest(fd_lcache, h);
	h = port_rt_digest(h);
	if (!bpf_map_lookup_elem(fd_fdb_gc, &zero, &gc)) {
		h = fnv(h, &gc.learned, sizeof(gc.learned));
		h = fnv(h, &gc.changes, sizeof(gc.changes));
	}
	return h;
}

static int gc_state(struct xbr_fdb_gc *gc)
{
	uint32_t zero = 0;

	return bpf_map_lookup_elem(fd_fdb_gc, &zero, gc);
}

/* No reclaimer walk overlapped [@from, now]: the last one ended before and
 * the next, a period after its start, cannot have begun. Without an ageing
 * time its walks do nothing. */
static bool gc_quiet_since(uint64_t from, uint64_t sweeps)
{
	struct xbr_config cfg;
	struct xbr_fdb_gc gc;

	if (!read_config(&cfg) && !cfg.ageing_ns)
		return true;
	if (gc_state(&gc))
		return false;
	return gc.sweeps == sweeps && from > gc.last_sweep_ns + GC_WALK_NS &&
	       mono_now() < gc.last_sweep_ns + gc.period_ns;
}

static bool ip_complete(const uint8_t *f, size_t len)
{
	uint16_t proto = get16(f + 12);
	size_t l3 = 14;

	if (proto == 0x8100 || proto == 0x88a8)
		return true;	/* a tag: the kernel does not look behind it */
	if (proto == 0x0800)
		return len >= l3 + 20;
	if (proto == 0x86dd)
		return len >= l3 + 40;
	return true;
}

void trace_before(struct trace_run *t, uint32_t ifindex, const void *data, size_t len)
{
	char dev[IF_NAMESIZE];
	struct xbr_port port;
	struct xbr_fdb_gc gc;
	uint64_t before, from;
	int i, err;

	memset(t, 0, sizeof(*t));
	if (!if_indextoname(ifindex, dev) || bpf_map_lookup_elem(fd_ports, &ifindex, &port))
		return;		/* no port: nothing to trace */
	/* BPF_PROG_RUN makes no skb of less than an Ethernet header, nor of an
	 * IPv4 or IPv6 frame without a full IP header. */
	if (len < 14 || !ip_complete(data, len)) {
		n_untraceable++;
		return;
	}
	for (i = 0; i < TRACE_TRIES; i++) {
		if (gc_state(&gc)) {
			fail("trace: cannot read the reclaimer's state");
			return;
		}
		from = mono_now();
		before = state_digest();
		err = xbr_trace_frame(&br, dev, data, len, &t->tr);
		if (err) {
			fail("trace: %s", xbr_errmsg());
			return;
		}
		if (state_digest() == before) {
			if (gc_quiet_since(from, gc.sweeps))
				break;
			n_gc_retries++;		/* equal, but it might have been luck */
		} else if (gc_quiet_since(from, gc.sweeps)) {
			fail("trace on %s changed the bridge's state (counters, FDB, port "
			     "security or the learning cache)", dev);
			return;
		} else {
			n_gc_retries++;
		}
		/* The reclaimer ran meanwhile: again once its walk is over. */
		usleep(GC_WALK_NS / 1000);
	}
	if (i == TRACE_TRIES) {
		fail("trace: the reclaimer kept running during the trace");
		return;
	}
	t->on = 1;
	t->in = ifindex;
	snap(&t->snap);
	n_traced++;
}

static const struct xbr_trace_step *trace_verdict(const struct trace_run *t)
{
	const struct xbr_trace_step *s = t->tr.nr ? &t->tr.steps[t->tr.nr - 1] : NULL;

	return s && s->kind == XBR_TS_VERDICT ? s : NULL;
}

static const struct xbr_trace_step *trace_path(const struct trace_run *t)
{
	unsigned int i;

	for (i = 0; i < t->tr.nr; i++)
		if (t->tr.steps[i].kind == XBR_TS_PATH)
			return &t->tr.steps[i];
	return NULL;
}

static bool trace_vlan_filtering(const struct trace_run *t)
{
	unsigned int i;

	for (i = 0; i < t->tr.nr; i++)
		if (t->tr.steps[i].kind == XBR_TS_VLAN)
			return t->tr.steps[i].result != XBR_TR_SKIPPED;
	return false;
}

static int port_of(uint32_t ifindex)
{
	int p;

	for (p = 0; p < P_MAX; p++)
		if (pis_port[p] && pif[p] == ifindex)
			return p;
	return -1;
}

/* What the datapath's counters say it did: the ports it counted tx on (a
 * bit per P_*) and the drops counted on the ingress port, by reason. */
struct outcome {
	unsigned int tx;
	uint64_t drops[XBR_DROP_MAX];
	int other_drops;	/* drops counted on another port than the ingress */
};

static void outcome_of(const struct trace_run *t, struct outcome *o)
{
	struct snap now;
	int p, in = port_of(t->in), r;

	memset(o, 0, sizeof(*o));
	snap(&now);
	for (p = 0; p < P_MAX; p++) {
		if (now.st[p].tx_packets != t->snap.st[p].tx_packets)
			o->tx |= 1u << p;
		for (r = 0; r < XBR_DROP_MAX; r++) {
			uint64_t d = now.st[p].drops[r] - t->snap.st[p].drops[r];

			if (p == in)
				o->drops[r] = d;
			else if (d)
				o->other_drops = 1;
		}
	}
}

/* What the trace says tc does, in the same terms. */
static void expected_tc(const struct trace_run *t, struct outcome *o)
{
	const struct xbr_trace_step *v = trace_verdict(t), *s;
	unsigned int i;
	int p;

	memset(o, 0, sizeof(*o));
	if (!v || v->result == XBR_TR_V_NOT_OURS)
		return;
	if (v->result == XBR_TR_V_DROP) {
		if (v->arg < XBR_DROP_MAX)
			o->drops[v->arg] = 1;
		return;
	}
	for (i = 0; i < t->tr.nr; i++) {
		s = &t->tr.steps[i];
		if (s->kind != XBR_TS_EGRESS)
			continue;
		p = port_of(s->ifindex);
		if (s->result == XBR_TR_OUT_UNTAGGED || s->result == XBR_TR_OUT_TAGGED) {
			if (p >= 0)
				o->tx |= 1u << p;
		} else if (s->result == XBR_TR_OUT_MTU) {
			o->drops[XBR_DROP_MTU]++;
		} else if (s->result == XBR_TR_OUT_GONE && v->result == XBR_TR_V_FLOOD) {
			o->drops[XBR_DROP_NO_PORT]++;
		}
	}
}

static void outcome_str(const struct outcome *o, char *buf, size_t len)
{
	size_t n = 0;
	int p, r;

	n += snprintf(buf + n, len - n, "tx {");
	for (p = 0; p < P_MAX && n < len; p++)
		if (o->tx & (1u << p))
			n += snprintf(buf + n, len - n, " %s", pkey[p]);
	n += snprintf(buf + n, len - n, " } drops {");
	for (r = 0; r < XBR_DROP_MAX && n < len; r++)
		if (o->drops[r])
			n += snprintf(buf + n, len - n, " %s=%llu", xbr_drop_name(r),
				      (unsigned long long)o->drops[r]);
	if (n < len)
		snprintf(buf + n, len - n, " }%s", o->other_drops ? " and drops on other ports" :
			 "");
}

static void record_str(const struct trace_run *t, char *buf, size_t len)
{
	const struct xbr_trace_step *s;
	size_t n = 0;
	unsigned int i;

	buf[0] = '\0';
	for (i = 0; i < t->tr.nr && n < len; i++) {
		s = &t->tr.steps[i];
		n += snprintf(buf + n, len - n, "%s%u/%u(%u,%u)", i ? " " : "", s->kind,
			      s->result, s->ifindex, s->arg);
	}
}

/* @o: the drops both counted, NULL for the verdict's reason only. */
static void agreed(const struct xbr_trace_step *v, const struct outcome *o)
{
	int r;

	if (v->result < 8)
		agreed_verdict[v->result]++;
	if (v->result == XBR_TR_V_DROP && v->arg < XBR_DROP_MAX)
		agreed_drop[v->arg]++;
	for (r = 0; o && r < XBR_DROP_MAX; r++)
		if (o->drops[r])
			agreed_drop[r]++;
}

void trace_after_tc(struct trace_run *t, int verdict)
{
	const struct xbr_trace_step *v = trace_verdict(t);
	struct outcome got, want;
	char g[256], w[256], rec[1024];

	if (!t->on)
		return;
	outcome_of(t, &got);
	expected_tc(t, &want);
	record_str(t, rec, sizeof(rec));
	if (!v) {
		fail("trace: no verdict in the record [%s]", rec);
		return;
	}
	if (memcmp(&got, &want, sizeof(got))) {
		outcome_str(&got, g, sizeof(g));
		outcome_str(&want, w, sizeof(w));
		fail("trace and tc disagree: tc %s (%s), the trace said %s [%s]", tc_name(verdict),
		     g, w, rec);
		return;
	}
	agreed(v, &got);
}

/* The frame XDP redirected (out_buf) carries the tag the trace's egress
 * step named, or none where it said untagged: VLAN push and pop agree. */
static bool xdp_tag_agrees(const struct trace_run *t)
{
	const struct xbr_trace_step *s = NULL;
	unsigned int i;
	bool tagged;

	for (i = 0; i < t->tr.nr; i++)
		if (t->tr.steps[i].kind == XBR_TS_EGRESS)
			s = &t->tr.steps[i];
	if (!s || out_len < 18)
		return false;
	tagged = get16(out_buf + 12) == 0x8100;
	if (s->result == XBR_TR_OUT_TAGGED) {
		if (!tagged || (get16(out_buf + 14) & 0x0fff) != s->vid) {
			fail("trace: leaves tagged %u, XDP sent %s %u", s->vid,
			     tagged ? "tagged" : "untagged", get16(out_buf + 14) & 0x0fff);
			return false;
		}
		agreed_tags[1]++;
	} else if (s->result == XBR_TR_OUT_UNTAGGED) {
		/* Without VLAN filtering a frame leaves as it came. */
		if (tagged && trace_vlan_filtering(t)) {
			fail("trace: leaves untagged, XDP sent it tagged %u",
			     get16(out_buf + 14) & 0x0fff);
			return false;
		}
		if (trace_vlan_filtering(t))
			agreed_tags[0]++;
	}
	return true;
}

/* Drops decided at the egress port, by tc where XDP hands the frame on. */
static bool egress_drop(uint32_t reason)
{
	return reason == XBR_DROP_MTU || reason == XBR_DROP_PORT_DOWN ||
	       reason == XBR_DROP_NO_PORT || reason == XBR_DROP_FLOOD_LIMIT;
}

void trace_after_xdp(struct trace_run *t, int verdict)
{
	const struct xbr_trace_step *v = trace_verdict(t), *path = trace_path(t);
	struct outcome got;
	char rec[1024];
	bool ok;
	int in = port_of(t->in);

	if (!t->on)
		return;
	record_str(t, rec, sizeof(rec));
	if (!v || in < 0) {
		fail("trace: no verdict in the record [%s]", rec);
		return;
	}
	/* The XDP program on a port that runs none is no datapath. */
	if (!(pinfo[in].flags & XBR_PORT_F_XDP))
		return;
	outcome_of(t, &got);
	switch (v->result) {
	case XBR_TR_V_NOT_OURS:
		ok = verdict == XDP_PASS;
		break;
	case XBR_TR_V_DROP:
		if (egress_drop(v->arg))
			ok = verdict == XDP_PASS ||
			     (verdict == XDP_DROP && got.drops[v->arg] == 1);
		else
			ok = verdict == XDP_DROP && v->arg < XBR_DROP_MAX &&
			     got.drops[v->arg] == 1;
		break;
	default:
		if (!path)
			ok = false;
		else if (path->result == XBR_TR_PATH_TC)
			ok = verdict == XDP_PASS;
		else if (path->arg)	/* a checksum XDP checks first */
			ok = verdict == XDP_REDIRECT || verdict == XDP_PASS;
		else
			ok = verdict == XDP_REDIRECT;
		if (ok && path && path->result == XBR_TR_PATH_XDP && verdict == XDP_REDIRECT)
			agreed_path[XBR_TR_PATH_XDP]++;
		if (ok && path && path->result == XBR_TR_PATH_TC)
			agreed_path[XBR_TR_PATH_TC]++;
	}
	if (ok && verdict == XDP_REDIRECT && v->result == XBR_TR_V_UNICAST)
		ok = xdp_tag_agrees(t);
	if (!ok) {
		fail("trace and XDP disagree: XDP %s, the trace [%s]", xdp_name(verdict), rec);
		return;
	}
	agreed(v, NULL);
}

/* A port whose link went down: its learned stations are forgotten, frames
 * for a static entry behind it are dropped (port_down). */
void t_trace_link_down(void)
{
	const uint8_t *a2 = station(), *src = station();
	struct frame f;
	int r;

	learn(src, P_X1);
	case_begin("trace+tc: unicast to a static entry on a port whose link is down: "
		   "dropped, port_down");
	if (xbr_fdb_add(&br, a2, 0, pdev[P_X2], true))
		fail("fdb add %s: %s", mac_str(a2), xbr_errmsg());
	if (xbr_port_set_link(&br, pdev[P_X2], true))
		fail("link down %s: %s", pdev[P_X2], xbr_errmsg());
	frame_ip4(&f, a2, src, 0, 17, 32, CS_GOOD);
	r = run_tc(P_X1, &f);
	EXPECT_TC(r, TC_ACT_SHOT);
	r = run_xdp(P_X1, &f);
	EXPECT_XDP(r, XDP_PASS);
	if (xbr_port_set_link(&br, pdev[P_X2], false))
		fail("link up %s: %s", pdev[P_X2], xbr_errmsg());
	r = run_tc(P_X1, &f);
	EXPECT_TC(r, TC_ACT_REDIRECT);
	if (xbr_fdb_del(&br, a2, 0))
		fail("fdb del %s: %s", mac_str(a2), xbr_errmsg());
	case_end();
}

void t_trace_cover(void)
{
	static const unsigned int untraceable[] = {
		/* A clone or a tag push failing at send time: nothing the
		 * decision knows beforehand. */
		XBR_DROP_REDIRECT,
	};
	char missing[512] = "";
	unsigned int r, i;
	bool skip;

	case_begin("trace: every verdict, drop reason and path of the suite agreed with the "
		   "datapath");
	/* Not ours: a trace refuses a netdev that is no port. */
	for (r = XBR_TR_V_DROP; r <= XBR_TR_V_FLOOD; r++)
		if (!agreed_verdict[r])
			snprintf(missing + strlen(missing), sizeof(missing) - strlen(missing),
				 " verdict-%u", r);
	for (r = 0; r < XBR_DROP_MAX; r++) {
		skip = false;
		for (i = 0; i < sizeof(untraceable) / sizeof(untraceable[0]); i++)
			skip |= untraceable[i] == r;
		if (!skip && !agreed_drop[r])
			snprintf(missing + strlen(missing), sizeof(missing) - strlen(missing),
				 " %s", xbr_drop_name(r));
	}
	if (!agreed_path[XBR_TR_PATH_XDP] || !agreed_path[XBR_TR_PATH_TC])
		snprintf(missing + strlen(missing), sizeof(missing) - strlen(missing),
			 " a path (xdp %u, tc %u)", agreed_path[XBR_TR_PATH_XDP],
			 agreed_path[XBR_TR_PATH_TC]);
	if (!agreed_tags[0] || !agreed_tags[1])
		snprintf(missing + strlen(missing), sizeof(missing) - strlen(missing),
			 " a VLAN pop (%u) and push (%u)", agreed_tags[0], agreed_tags[1]);
	EXPECT(!missing[0], "never agreed on:%s", missing);
	note("%u frames traced; %u traces run again after a reclaimer walk; %u frames no "
	     "skb can carry, not traced", n_traced, n_gc_retries, n_untraceable);
	case_end();
}
