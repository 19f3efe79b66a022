// SPDX-License-Identifier: (GPL-2.0 OR BSD-2-Clause)
/*
 * FDB upkeep that needs no process running:
 *  - the reclaimer: a bpf_timer in fdb_gc, armed when the bridge is made,
 *    that walks the FDB every period removing aged learned entries and
 *    entries of ports that left, recounts the learned entries of every
 *    port that stayed quiet meanwhile, and ages the MACs locked ports
 *    learned. The timer holds this program; both live as long as the pins.
 *  - removals the control plane asks for (fdb del, flush, port del): here,
 *    so each removed learned entry is counted out of its port.
 * Both are BPF_PROG_TYPE_SYSCALL programs run with BPF_PROG_RUN.
 */
#include "maps.h"
#include "fdb.h"
#include <xbr/fdb_ctl.h>

char LICENSE[] SEC("license") = "Dual BSD/GPL";

struct bpf_map;

#define XBR_CLOCK_MONOTONIC	1
#define XBR_NS			1000000000ULL
/* A tenth of the ageing time, within these: aged entries go at most that
 * late, and a walk of the whole table (2 ms empty, 7 ms full, measured on
 * the 2-core test VM) runs at most once a second. */
#define XBR_GC_PERIOD_MIN_NS	(1 * XBR_NS)
#define XBR_GC_PERIOD_MAX_NS	(30 * XBR_NS)
#define XBR_GC_FIRST_NS		(100ULL * 1000 * 1000)

struct xbr_gc_walk {
	__u64 now;
	__u64 ageing_ns;
	__u64 seen;
	__u64 aged;
	__u64 orphans;
};

static long xbr_gc_fdb_entry(struct bpf_map *map, struct xbr_fdb_key *key,
			     struct xbr_fdb_entry *e, struct xbr_gc_walk *w)
{
	struct xbr_port *port = bpf_map_lookup_elem(&ports, &e->ifindex);
	__u32 id = e->port_id;
	struct xbr_port_rt *rt;

	/* Its port left: its entries went (and were counted out) with it;
	 * this one was learned while it was leaving. */
	if (!port || port->id != id) {
		if (!bpf_map_delete_elem(map, key)) {
			w->orphans++;
			xbr_event_fdb(XBR_EV_FDB_DEL, key->mac, key->vlan, e->ifindex, 0,
				      XBR_EV_DEL_ORPHAN);
		}
		return 0;
	}
	if (xbr_fdb_pinned(e))
		return 0;
	rt = bpf_map_lookup_elem(&port_rt, &id);
	if (xbr_elapsed(w->now, e->seen_ns) > w->ageing_ns) {
		/* Counted out without a change mark: the recount below does
		 * not count it either. */
		if (!bpf_map_delete_elem(map, key)) {
			if (rt)
				__sync_fetch_and_add(&rt->fdb_learned, -1);
			w->aged++;
			xbr_event_fdb(XBR_EV_FDB_AGE, key->mac, key->vlan, e->ifindex, 0, 0);
		}
		return 0;
	}
	if (rt)
		rt->gc_seen++;
	w->seen++;
	return 0;
}

static long xbr_gc_sec_mac(struct bpf_map *map, struct xbr_sec_mac_key *key,
			   struct xbr_sec_mac *m, struct xbr_gc_walk *w)
{
	struct xbr_port *port;
	struct xbr_port_rt *rt;
	__u32 id;

	if (!(m->flags & XBR_SEC_F_LEARNED) || (m->flags & XBR_SEC_F_CONFIGURED))
		return 0;
	if (xbr_elapsed(w->now, m->seen_ns) <= w->ageing_ns)
		return 0;
	port = bpf_map_lookup_elem(&ports, &m->ifindex);
	if (bpf_map_delete_elem(map, key) || !port)
		return 0;
	id = port->id;
	rt = bpf_map_lookup_elem(&port_rt, &id);
	if (rt)
		__sync_fetch_and_add(&rt->nr_macs, -1);
	return 0;
}

static long xbr_gc_port_begin(__u32 id, void *ctx)
{
	struct xbr_port_rt *rt = bpf_map_lookup_elem(&port_rt, &id);

	if (rt) {
		rt->gc_changes = rt->fdb_changes;
		rt->gc_seen = 0;
	}
	return 0;
}

/* A port whose count nobody changed during the walk has exactly the live
 * entries the walk met (and the walk's own removals, counted out). */
static long xbr_gc_port_end(__u32 id, void *ctx)
{
	struct xbr_port_rt *rt = bpf_map_lookup_elem(&port_rt, &id);

	if (rt && rt->fdb_changes == rt->gc_changes)
		rt->fdb_learned = rt->gc_seen;
	return 0;
}

static __u64 xbr_gc_period(const struct xbr_config *cfg)
{
	__u64 period = cfg ? cfg->ageing_ns / 10 : XBR_GC_PERIOD_MAX_NS;

	if (period < XBR_GC_PERIOD_MIN_NS)
		return XBR_GC_PERIOD_MIN_NS;
	if (period > XBR_GC_PERIOD_MAX_NS)
		return XBR_GC_PERIOD_MAX_NS;
	return period;
}

static int xbr_gc_run(void *map, __u32 *key, struct xbr_fdb_gc *gc)
{
	/* The datapath stamps with the coarse clock, within a tick of this one. */
	struct xbr_gc_walk w = { .now = bpf_ktime_get_ns() };
	struct xbr_config *cfg;
	__u32 zero = 0;

	cfg = bpf_map_lookup_elem(&config, &zero);
	if (cfg && cfg->ageing_ns) {
		w.ageing_ns = cfg->ageing_ns;
		bpf_loop(XBR_MAX_PORTS, xbr_gc_port_begin, NULL, 0);
		gc->gc_changes = gc->changes;
		bpf_for_each_map_elem(&fdb, xbr_gc_fdb_entry, &w, 0);
		bpf_loop(XBR_MAX_PORTS, xbr_gc_port_end, NULL, 0);
		if (gc->changes == gc->gc_changes)
			gc->learned = w.seen;
		else
			__sync_fetch_and_add(&gc->learned, -(__s64)w.aged);
		bpf_for_each_map_elem(&sec_macs, xbr_gc_sec_mac, &w, 0);
		gc->aged += w.aged;
		gc->orphans += w.orphans;
		gc->sweeps++;
		gc->last_sweep_ns = w.now;
	}
	gc->period_ns = xbr_gc_period(cfg);
	bpf_timer_start(&gc->timer, gc->period_ns, 0);
	return 0;
}

/* Arm the reclaimer, or hand it to this program after a reload; run again
 * when the ageing time changes, so the new period applies at once. */
SEC("syscall")
int xbr_fdb_gc(void *ctx)
{
	struct xbr_fdb_gc *gc;
	__u32 zero = 0;
	long err;

	gc = bpf_map_lookup_elem(&fdb_gc, &zero);
	if (!gc)
		return -1;
	err = bpf_timer_init(&gc->timer, &fdb_gc, XBR_CLOCK_MONOTONIC);
	if (err && err != -EBUSY)
		return err;
	err = bpf_timer_set_callback(&gc->timer, xbr_gc_run);
	if (err)
		return err;
	return bpf_timer_start(&gc->timer, XBR_GC_FIRST_NS, 0);
}

static int xbr_flush_matches(const struct xbr_fdb_flush_req *req, const struct xbr_fdb_entry *e)
{
	__u32 kind = XBR_FLUSH_LEARNED;

	if (e->flags & XBR_FDB_F_LOCAL)
		kind = XBR_FLUSH_LOCAL;
	else if (e->flags & XBR_FDB_F_STATIC)
		kind = XBR_FLUSH_STATIC;
	return (req->match & kind) && (!req->ifindex || e->ifindex == req->ifindex);
}

/* 1 if removed (and said so to xbr monitor), else 0. */
static int xbr_flush_one(struct xbr_fdb_key *key, struct xbr_fdb_entry *e, __u32 cause)
{
	__u32 id = e->port_id, ifindex = e->ifindex;
	int err;

	if (xbr_fdb_pinned(e))
		err = bpf_map_delete_elem(&fdb, key);
	else
		err = xbr_fdb_forget(key, id);
	if (err)
		return 0;
	xbr_event_fdb(XBR_EV_FDB_DEL, key->mac, key->vlan, ifindex, 0, cause);
	return 1;
}

static long xbr_flush_entry(struct bpf_map *map, struct xbr_fdb_key *key,
			    struct xbr_fdb_entry *e, struct xbr_fdb_flush_req *req)
{
	if (xbr_flush_matches(req, e))
		req->removed += xbr_flush_one(key, e, req->cause);
	return 0;
}

SEC("syscall")
int xbr_fdb_flush(struct xbr_fdb_flush_req *ctx)
{
	struct xbr_fdb_flush_req req = *ctx;
	struct xbr_fdb_entry *e;
	struct xbr_fdb_key key;

	req.removed = 0;
	if (req.match & XBR_FLUSH_KEY) {
		xbr_fdb_key_set(&key, req.mac, req.vlan);
		e = bpf_map_lookup_elem(&fdb, &key);
		if (e && xbr_flush_matches(&req, e))
			req.removed = xbr_flush_one(&key, e, req.cause);
	} else {
		bpf_for_each_map_elem(&fdb, xbr_flush_entry, &req, 0);
	}
	ctx->removed = req.removed;
	return 0;
}
