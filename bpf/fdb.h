/* SPDX-License-Identifier: (GPL-2.0 OR BSD-2-Clause) */
/*
 * Learning and lookup in the forwarding database. Aged entries are
 * reclaimed by whoever meets one first: a lookup, a learn, or the
 * reclaimer's walk (xbr_fdb.bpf.c).
 */
#ifndef XBR_BPF_FDB_H
#define XBR_BPF_FDB_H

#include <linux/errno.h>
#include "maps.h"
#include "parse.h"
#include "stats.h"
#include "trace.h"
#include "events.h"

/* A station seen again refreshes its entry at most this often: every frame
 * writing the same cache line from both CPUs would cost more than it tells. */
#define XBR_FDB_REFRESH_NS	(250ULL * 1000 * 1000)

static __always_inline void xbr_fdb_key_set(struct xbr_fdb_key *key, const __u8 *mac,
					    __u16 vlan)
{
	__builtin_memcpy(key->mac, mac, 6);
	key->vlan = vlan;
}

static __always_inline int xbr_fdb_pinned(const struct xbr_fdb_entry *e)
{
	return e->flags & (XBR_FDB_F_STATIC | XBR_FDB_F_LOCAL);
}

extern unsigned int CONFIG_HZ __kconfig __weak;

/*
 * Time for learning and ageing, in CLOCK_MONOTONIC_COARSE nanoseconds
 * (user space reads the same clock). Reading it costs 13 ns a frame in this
 * VM, jiffies (a load) nothing: each CPU reads the clock every 1/8 s and
 * advances it by jiffies in between, within a tick of the real thing.
 * Without a known HZ it reads the clock every time.
 */
static __always_inline __u64 xbr_now(void)
{
	__u64 hz = CONFIG_HZ, j;
	struct xbr_clock *c;
	__u32 zero = 0;

	if (!hz)
		return bpf_ktime_get_coarse_ns();
	c = bpf_map_lookup_elem(&clock, &zero);
	if (!c)
		return bpf_ktime_get_coarse_ns();
	j = bpf_jiffies64();
	if (!c->ns || j - c->jiffies >= hz / 8) {
		c->jiffies = j;
		c->ns = bpf_ktime_get_coarse_ns();
		return c->ns;
	}
	return c->ns + (j - c->jiffies) * (1000000000ULL / hz);
}

/* @now - @then, 0 if @then is later (user space may stamp an entry a
 * moment ahead of the coarse clock). */
static __always_inline __u64 xbr_elapsed(__u64 now, __u64 then)
{
	return now > then ? now - then : 0;
}

static __always_inline int xbr_fdb_expired(const struct xbr_fdb_entry *e,
					   const struct xbr_config *cfg, __u64 now)
{
	if (xbr_fdb_pinned(e))
		return 0;
	return xbr_elapsed(now, e->seen_ns) > cfg->ageing_ns;
}

/*
 * With VLAN filtering, a static or local entry in VLAN 0 stands for every
 * VLAN (the host's own address, an operator's entry without a VLAN): look
 * there when the VLAN's own entry is missing.
 */
static __always_inline struct xbr_fdb_entry *xbr_fdb_find(const __u8 *mac, __u16 vlan)
{
	struct xbr_fdb_entry *e;
	struct xbr_fdb_key key;

	xbr_fdb_key_set(&key, mac, vlan);
	e = bpf_map_lookup_elem(&fdb, &key);
	if (e || !vlan)
		return e;
	key.vlan = 0;
	e = bpf_map_lookup_elem(&fdb, &key);
	return e && xbr_fdb_pinned(e) ? e : NULL;
}

/*
 * Learned entries are counted per port (port_rt) and bridge-wide (fdb_gc),
 * in and out, by whoever adds or removes one: learning, a lookup or learn
 * that meets an aged entry, the reclaimer and the control plane's removals
 * (xbr_fdb.bpf.c). The counts are read as signed: a rare race between two
 * CPUs may leave one off by one for a while, never stuck at the cap, and
 * the reclaimer recounts every port that stayed quiet during its walk.
 */
static __always_inline void xbr_fdb_account(__u32 port_id, int delta)
{
	struct xbr_port_rt *rt = bpf_map_lookup_elem(&port_rt, &port_id);
	struct xbr_fdb_gc *gc;
	__u32 zero = 0;

	if (rt) {
		__sync_fetch_and_add(&rt->fdb_learned, delta);
		__sync_fetch_and_add(&rt->fdb_changes, 1);
	}
	gc = bpf_map_lookup_elem(&fdb_gc, &zero);
	if (gc) {
		__sync_fetch_and_add(&gc->learned, (__s64)delta);
		__sync_fetch_and_add(&gc->changes, 1);
	}
}

/* Remove the learned entry at @key, counted against @port_id. Fails if
 * another CPU removed it first: then that one counted it. */
static __always_inline int xbr_fdb_forget(const struct xbr_fdb_key *key, __u32 port_id)
{
	if (bpf_map_delete_elem(&fdb, key))
		return -1;
	xbr_fdb_account(port_id, -1);
	return 0;
}

/* learn-limit: the learned entries a port may hold at once. */
static __always_inline int xbr_learn_allowed(const struct xbr_port *port)
{
	struct xbr_port_rt *rt;
	__u32 id = port->id;

	if (!port->learn_limit)
		return 1;
	rt = bpf_map_lookup_elem(&port_rt, &id);
	return !rt || (__s32)rt->fdb_learned < (__s32)port->learn_limit;
}

/* The bridge-wide cap, below the table's size: static entries keep room. */
static __always_inline int xbr_fdb_room(const struct xbr_config *cfg)
{
	__u64 max = cfg->fdb_max_learned ? cfg->fdb_max_learned : XBR_FDB_LEARNED_MAX;
	struct xbr_fdb_gc *gc;
	__u32 zero = 0;

	gc = bpf_map_lookup_elem(&fdb_gc, &zero);
	return !gc || (__s64)gc->learned < (__s64)max;
}

static __always_inline struct xbr_lcache_entry *xbr_lcache_slot(const __u8 *mac, __u16 vlan)
{
	/* Multiplicative hash of the MAC's low bytes (the OUI varies least). */
	__u32 h = (mac[2] << 24 | mac[3] << 16 | mac[4] << 8 | mac[5]) ^ vlan;
	__u32 idx = (h * 2654435761u) >> 24;

	return bpf_map_lookup_elem(&lcache, &idx);
}

/* Did this CPU learn @mac behind @ifindex less than a refresh period ago,
 * with the ports as they are? Then the FDB entry is in place and fresh,
 * and the source passed the port's checks: nothing to do. */
static __always_inline int xbr_lcache_hit(const struct xbr_lcache_entry *c, const __u8 *mac,
					  __u16 vlan, __u32 ifindex,
					  const struct xbr_config *cfg, __u64 now)
{
	return c && c->ifindex == ifindex && c->vlan == vlan && xbr_mac_equal(c->mac, mac) &&
	       c->gen == cfg->ports_gen && xbr_elapsed(now, c->seen_ns) < XBR_FDB_REFRESH_NS;
}

static __always_inline void xbr_lcache_fill(struct xbr_lcache_entry *c, const __u8 *mac,
					    __u16 vlan, __u32 ifindex,
					    const struct xbr_config *cfg, __u64 now)
{
	if (!c)
		return;
	__builtin_memcpy(c->mac, mac, 6);
	c->vlan = vlan;
	c->ifindex = ifindex;
	c->seen_ns = now;
	c->gen = cfg->ports_gen;
}

/*
 * Record that @mac lives behind @ifindex. Static and local entries are
 * never overwritten, so a spoofed source cannot steal them; a station that
 * moved is forgotten on its old port and learned here, within this port's
 * learn-limit and the bridge's cap. A full table stops learning (the
 * station is flooded to): it never evicts. The caller skips this for a
 * source in @c, this CPU's lcache slot (fwd.h): the entry is refreshed at
 * that rate anyway; an operator's flush takes up to a refresh period to be
 * relearned.
 */
static __always_inline void xbr_fdb_learn(const __u8 *mac, __u16 vlan, __u32 ifindex,
					  const struct xbr_port *port,
					  const struct xbr_config *cfg,
					  struct xbr_port_stats *st, __u64 now,
					  struct xbr_lcache_entry *c, struct xbr_trace_record *tr)
{
	struct xbr_fdb_entry *e, new = { .ifindex = ifindex, .port_id = port->id };
	__u32 moved_from = 0;
	struct xbr_fdb_key key;
	int moved = 0;
	long ret;

	if (!tr)
		xbr_lcache_fill(c, mac, vlan, ifindex, cfg, now);
	xbr_fdb_key_set(&key, mac, vlan);
	e = xbr_fdb_find(mac, vlan);
	if (e) {
		if (xbr_fdb_pinned(e)) {
			xbr_trace_step(tr, XBR_TS_LEARN, XBR_TR_LEARN_PINNED, vlan, e->ifindex, 0);
			return;
		}
		if (e->ifindex == ifindex) {
			xbr_trace_step(tr, XBR_TS_LEARN, XBR_TR_LEARN_REFRESH, vlan, ifindex, 0);
			if (!tr && xbr_elapsed(now, e->seen_ns) > XBR_FDB_REFRESH_NS)
				e->seen_ns = now;
			return;
		}
		/* A station moved (or an aged entry of another port). */
		moved = !xbr_fdb_expired(e, cfg, now);
		moved_from = e->ifindex;
		if (!tr && xbr_fdb_forget(&key, e->port_id))
			return;		/* another CPU is at it */
	}
	if (!xbr_learn_allowed(port)) {
		xbr_trace_step(tr, XBR_TS_LEARN, XBR_TR_LEARN_LIMITED, vlan, moved_from, 0);
		if (st)
			st->learn_limited++;
		return;
	}
	if (!xbr_fdb_room(cfg)) {
		xbr_trace_step(tr, XBR_TS_LEARN, XBR_TR_LEARN_FULL, vlan, moved_from, 0);
		if (st)
			st->learn_full++;
		return;
	}
	if (tr) {
		xbr_trace_step(tr, XBR_TS_LEARN, moved ? XBR_TR_LEARN_MOVE : XBR_TR_LEARN_NEW,
			       vlan, moved_from, 0);
		return;
	}
	new.seen_ns = now;
	ret = bpf_map_update_elem(&fdb, &key, &new, BPF_NOEXIST);
	if (ret == 0) {
		xbr_fdb_account(port->id, 1);
		if (st && moved)
			st->moves++;
		else if (st)
			st->learned++;
		xbr_event_fdb(moved ? XBR_EV_FDB_MOVE : XBR_EV_FDB_LEARN, mac, vlan, ifindex,
			      moved ? moved_from : 0, 0);
	} else if (ret == -E2BIG && st) {
		st->learn_full++;
	}
}

/* Where @mac lives, or NULL if unknown or aged out. An aged entry met here
 * is reclaimed at once: a port at its learn-limit may learn again. */
static __always_inline struct xbr_fdb_entry *xbr_fdb_lookup(const __u8 *mac, __u16 vlan,
							    const struct xbr_config *cfg,
							    __u64 now, struct xbr_trace_record *tr)
{
	struct xbr_fdb_entry *e = xbr_fdb_find(mac, vlan);
	struct xbr_fdb_key key;

	if (!e) {
		xbr_trace_step(tr, XBR_TS_LOOKUP, XBR_TR_LOOKUP_MISS, vlan, 0, 0);
		return NULL;
	}
	if (xbr_fdb_expired(e, cfg, now)) {
		xbr_trace_step(tr, XBR_TS_LOOKUP, XBR_TR_LOOKUP_AGED, vlan, e->ifindex, 0);
		xbr_fdb_key_set(&key, mac, vlan);
		if (!tr && !xbr_fdb_forget(&key, e->port_id))
			xbr_event_fdb(XBR_EV_FDB_AGE, mac, vlan, e->ifindex, 0, 0);
		return NULL;
	}
	xbr_trace_step(tr, XBR_TS_LOOKUP, XBR_TR_LOOKUP_HIT, vlan, e->ifindex, e->flags);
	return e;
}

#endif /* XBR_BPF_FDB_H */
