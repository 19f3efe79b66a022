/* SPDX-License-Identifier: (GPL-2.0 OR BSD-2-Clause) */
/* Learning and lookup in the forwarding database; ageing is lazy. */
#ifndef XBR_BPF_FDB_H
#define XBR_BPF_FDB_H

#include "maps.h"
#include "stats.h"

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
 * learn-limit: a port may add this many new stations per ageing time.
 * Entries older than that are expired and the LRU's first victims, so the
 * live table stays within the sum of the ports' limits.
 */
static __always_inline int xbr_learn_allowed(const struct xbr_port *port,
					     const struct xbr_config *cfg, __u64 now)
{
	struct xbr_port_rt *rt;
	__u32 id = port->id;

	if (!port->learn_limit)
		return 1;
	rt = bpf_map_lookup_elem(&port_rt, &id);
	if (!rt)
		return 1;
	if (xbr_elapsed(now, rt->learn_window_ns) > cfg->ageing_ns) {
		rt->learn_window_ns = now;
		rt->learn_count = 0;
	}
	return __sync_fetch_and_add(&rt->learn_count, 1) < port->learn_limit;
}

static __always_inline struct xbr_lcache_entry *xbr_lcache_slot(const __u8 *mac, __u16 vlan)
{
	/* Multiplicative hash of the MAC's low bytes (the OUI varies least). */
	__u32 h = (mac[2] << 24 | mac[3] << 16 | mac[4] << 8 | mac[5]) ^ vlan;
	__u32 idx = (h * 2654435761u) >> 24;

	return bpf_map_lookup_elem(&lcache, &idx);
}

/* Did this CPU learn @mac behind @ifindex less than a refresh period ago?
 * Then the FDB entry is in place and fresh: nothing to do. */
static __always_inline int xbr_lcache_hit(const struct xbr_lcache_entry *c, const __u8 *mac,
					  __u16 vlan, __u32 ifindex, __u64 now)
{
	return c && c->ifindex == ifindex && c->vlan == vlan && xbr_mac_equal(c->mac, mac) &&
	       xbr_elapsed(now, c->seen_ns) < XBR_FDB_REFRESH_NS;
}

static __always_inline void xbr_lcache_fill(struct xbr_lcache_entry *c, const __u8 *mac,
					    __u16 vlan, __u32 ifindex, __u64 now)
{
	if (!c)
		return;
	__builtin_memcpy(c->mac, mac, 6);
	c->vlan = vlan;
	c->ifindex = ifindex;
	c->seen_ns = now;
}

/* Record that @mac lives behind @ifindex. Static and local entries are
 * never overwritten, so a spoofed source cannot steal them. The caller
 * skips this for a source in @c, this CPU's lcache slot (fwd.h): the entry
 * is refreshed at that rate anyway; an operator's flush takes up to a
 * refresh period to be relearned. */
static __always_inline void xbr_fdb_learn(const __u8 *mac, __u16 vlan, __u32 ifindex,
					  const struct xbr_port *port,
					  const struct xbr_config *cfg,
					  struct xbr_port_stats *st, __u64 now,
					  struct xbr_lcache_entry *c)
{
	struct xbr_fdb_entry *e, new = { .ifindex = ifindex, .port_id = port->id };
	struct xbr_fdb_key key;

	xbr_lcache_fill(c, mac, vlan, ifindex, now);
	xbr_fdb_key_set(&key, mac, vlan);
	e = xbr_fdb_find(mac, vlan);
	if (e) {
		if (xbr_fdb_pinned(e))
			return;
		if (e->ifindex == ifindex) {
			if (xbr_elapsed(now, e->seen_ns) > XBR_FDB_REFRESH_NS)
				e->seen_ns = now;
			return;
		}
		/* A station moved (or an aged entry is reused elsewhere). */
		e->ifindex = ifindex;
		e->port_id = port->id;
		e->seen_ns = now;
		if (st)
			st->moves++;
		return;
	}
	if (!xbr_learn_allowed(port, cfg, now)) {
		if (st)
			st->learn_limited++;
		return;
	}
	new.seen_ns = now;
	if (bpf_map_update_elem(&fdb, &key, &new, BPF_NOEXIST) == 0 && st)
		st->learned++;
}

/* Where @mac lives, or NULL if unknown or aged out. */
static __always_inline struct xbr_fdb_entry *xbr_fdb_lookup(const __u8 *mac, __u16 vlan,
							    const struct xbr_config *cfg,
							    __u64 now)
{
	struct xbr_fdb_entry *e = xbr_fdb_find(mac, vlan);

	if (!e || xbr_fdb_expired(e, cfg, now))
		return NULL;
	return e;
}

#endif /* XBR_BPF_FDB_H */
