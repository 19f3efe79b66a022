// SPDX-License-Identifier: GPL-2.0
/*
 * The bridge's state as one change sees it, and the one place that writes
 * it back. Modules stage a change on the ports (port_slot.port), on the
 * config's own fields (ageing, VLAN filtering, host port), or on their own
 * maps, then call state_commit(), which recomputes everything derived from
 * the ports:
 *
 *   port ids       a free index into stats/port_rt for each new port
 *   flood_list     the tc flood set: flooding ports whose netdev is there
 *                  and whose link is up
 *   flood_ports    the XDP flood set: those of them that take XDP redirects,
 *                  each with the egress program
 *   config         nr_flood, XBR_CFG_F_XDP_FLOOD, XBR_CFG_F_SEC_MACS, and
 *                  ports_gen, stamped when the ports map changed
 *
 * Like the bridge recomputing its bridge-wide values from its port list
 * under RTNL, this runs under the bridge's lock, and writes each map in one
 * pass, only the entries that differ from what the map holds. The state is
 * read from the maps once per lock: a batch of 200 commands reads it once.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <bpf/bpf.h>
#include "internal.h"

/* A port leaving and one joining can share a change: room for both. */
#define MAX_SLOTS	(2 * XBR_MAX_PORTS)

struct flood_entry {
	uint32_t ifindex;
	uint32_t prog_id;	/* of the egress program on its devmap entry */
};

struct xbr_state {
	struct xbr_bridge *br;		/* of the current change */
	unsigned int depth;		/* state_begin() calls not yet ended */
	struct port_slot slots[MAX_SLOTS];
	unsigned int nr_slots;
	struct xbr_config cfg;		/* as it is to be */
	struct xbr_config cfg_stored;
	/* The flood sets as the maps hold them. */
	uint32_t flood_list[XBR_MAX_FLOOD];
	struct flood_entry flood_ports[XBR_MAX_PORTS];
	unsigned int nr_flood_ports;
	int egress_fd;			/* -1: the bridge's pinned one */
	uint32_t egress_id;
	bool touched;			/* a new ports generation at commit */
};

/* ---- reading the maps ------------------------------------------------------ */

static int load_ports(struct xbr_state *st)
{
	struct port_entry *ents = calloc(XBR_MAX_PORTS, sizeof(*ents));
	int i, n;

	if (!ents)
		return -ENOMEM;
	n = store_ports(st->br, ents);
	st->nr_slots = 0;
	for (i = 0; i < n; i++) {
		struct port_slot *s = &st->slots[st->nr_slots++];

		s->ifindex = ents[i].ifindex;
		s->port = s->stored = ents[i].port;
		s->flags = SLOT_STORED | SLOT_LIVE;
		if (xbr_port_present(s->ifindex, &s->port))
			s->flags |= SLOT_PRESENT;
	}
	free(ents);
	return 0;
}

static int load_flood(struct xbr_state *st)
{
	struct xbr_bridge *br = st->br;
	struct bpf_devmap_val val;
	uint32_t key, next, *prev = NULL, i;

	for (i = 0; i < XBR_MAX_FLOOD; i++)
		if (bpf_map_lookup_elem(br->flood_list_fd, &i, &st->flood_list[i]))
			return -errno;
	st->nr_flood_ports = 0;
	while (st->nr_flood_ports < XBR_MAX_PORTS &&
	       !bpf_map_get_next_key(br->flood_ports_fd, prev, &next)) {
		key = next;
		prev = &key;
		if (bpf_map_lookup_elem(br->flood_ports_fd, &key, &val))
			continue;
		/* The kernel answers with the program's id in place of the fd. */
		st->flood_ports[st->nr_flood_ports++] = (struct flood_entry){
			.ifindex = key, .prog_id = val.bpf_prog.id,
		};
	}
	return 0;
}

static int state_load(struct xbr_state *st)
{
	int err;

	err = xbr_bridge_config(st->br, &st->cfg_stored);
	if (err)
		return err;
	st->cfg = st->cfg_stored;
	err = load_ports(st);
	if (!err)
		err = load_flood(st);
	if (err)
		return xbr_err(err, "bridge %s: cannot read its state: %s", st->br->name,
			       strerror(-err));
	return 0;
}

/* ---- begin, end, and what a change may look at ----------------------------- */

int state_begin(struct xbr_bridge *br, bool claim, struct xbr_state **stp)
{
	struct xbr_state **cache, *st;
	int err;

	err = lock_bridge(br, claim);
	if (err)
		return err;
	cache = (struct xbr_state **)lock_cache(br);
	st = *cache;
	if (!st) {
		st = calloc(1, sizeof(*st));
		if (!st) {
			err = xbr_err(-ENOMEM, "bridge %s: out of memory", br->name);
			goto fail;
		}
		st->br = br;
		err = state_load(st);
		if (err) {
			free(st);
			goto fail;
		}
		*cache = st;
	}
	/* Nested changes work on the outermost one's handle. */
	if (!st->depth) {
		st->br = br;
		err = state_set_egress(st, -1);
		if (err)
			goto fail;
	}
	st->depth++;
	*stp = st;
	return 0;
fail:
	unlock_bridge(br);
	return err;
}

/* Whether anything is staged that no commit wrote. */
static bool state_dirty(const struct xbr_state *st)
{
	unsigned int i;

	if (memcmp(&st->cfg, &st->cfg_stored, sizeof(st->cfg)))
		return true;
	for (i = 0; i < st->nr_slots; i++) {
		const struct port_slot *s = &st->slots[i];

		if (!(s->flags & SLOT_STORED) != !(s->flags & SLOT_LIVE))
			return true;
		if ((s->flags & SLOT_LIVE) && memcmp(&s->port, &s->stored, sizeof(s->port)))
			return true;
	}
	return false;
}

void state_end(struct xbr_state *st)
{
	struct xbr_bridge *br = st->br;
	void **cache;

	/* A change given up halfway: read the maps again next time. */
	if (!--st->depth && state_dirty(st)) {
		cache = lock_cache(br);
		if (cache && *cache == st)
			*cache = NULL;
		free(st);
	}
	/* May free the state: it is kept only while the lock is. */
	unlock_bridge(br);
}

struct xbr_bridge *state_bridge(struct xbr_state *st)
{
	return st->br;
}

struct xbr_config *state_config(struct xbr_state *st)
{
	return &st->cfg;
}

struct port_slot *state_port(struct xbr_state *st, const char *dev)
{
	struct port_slot *found = NULL;
	unsigned int i;

	for (i = 0; i < st->nr_slots; i++) {
		struct port_slot *s = &st->slots[i];

		if (!(s->flags & SLOT_LIVE) || strcmp(s->port.name, dev))
			continue;
		/* A present netdev of that name wins over a gone port of the
		 * same name; ask the kernel, a batch may have run long. */
		if (!found || xbr_port_present(s->ifindex, &s->port))
			found = s;
	}
	return found;
}

struct port_slot *state_port_at(struct xbr_state *st, uint32_t ifindex)
{
	unsigned int i;

	for (i = 0; i < st->nr_slots; i++)
		if ((st->slots[i].flags & SLOT_LIVE) && st->slots[i].ifindex == ifindex)
			return &st->slots[i];
	return NULL;
}

unsigned int state_nr_ports(struct xbr_state *st)
{
	unsigned int i, n = 0;

	for (i = 0; i < st->nr_slots; i++)
		n += !!(st->slots[i].flags & SLOT_LIVE);
	return n;
}

/* Live slots in port id order (new ones, still without an id, last). */
static unsigned int slots_by_id(struct xbr_state *st, struct port_slot **out)
{
	unsigned int i, j, n = 0;

	for (i = 0; i < st->nr_slots; i++) {
		struct port_slot *s = &st->slots[i];

		if (!(s->flags & SLOT_LIVE))
			continue;
		for (j = n; j > 0 && out[j - 1]->port.id > s->port.id; j--)
			out[j] = out[j - 1];
		out[j] = s;
		n++;
	}
	return n;
}

int state_foreach_port(struct xbr_state *st,
		       int (*fn)(struct xbr_state *st, struct port_slot *slot, void *arg), void *arg)
{
	struct port_slot *order[MAX_SLOTS];
	unsigned int i, n = slots_by_id(st, order);
	int ret = 0;

	for (i = 0; i < n && !ret; i++)
		ret = fn(st, order[i], arg);
	return ret;
}

struct port_slot *state_port_join(struct xbr_state *st, uint32_t ifindex,
				  const struct xbr_port *port)
{
	struct port_slot *s;

	if (state_port_at(st, ifindex)) {
		xbr_err(-EEXIST, "port %s is already in bridge %s", port->name, st->br->name);
		return NULL;
	}
	if (st->nr_slots == MAX_SLOTS) {
		xbr_err(-ENOSPC, "bridge %s: no room to stage port %s", st->br->name, port->name);
		return NULL;
	}
	s = &st->slots[st->nr_slots++];
	memset(s, 0, sizeof(*s));
	s->ifindex = ifindex;
	s->port = *port;
	s->port.id = UINT32_MAX;	/* the commit picks it */
	s->flags = SLOT_LIVE | SLOT_PRESENT;
	return s;
}

void state_port_leave(struct xbr_state *st, struct port_slot *slot)
{
	(void)st;
	slot->flags &= ~SLOT_LIVE;
}

int state_set_egress(struct xbr_state *st, int prog_fd)
{
	int err;

	st->egress_fd = prog_fd;
	err = store_prog_id(prog_fd >= 0 ? prog_fd : st->br->egress_fd, &st->egress_id);
	if (err)
		return xbr_err(err, "bridge %s: cannot identify its egress program: %s",
			       st->br->name, strerror(-err));
	return 0;
}

/* ---- the commit ------------------------------------------------------------ */

static int ids_assign(struct xbr_state *st)
{
	bool used[XBR_MAX_PORTS] = {};
	unsigned int i, id = 0;

	/* A leaving port's id stays taken until this commit is through: its
	 * FDB entries still count into it. */
	for (i = 0; i < st->nr_slots; i++)
		if (st->slots[i].port.id < XBR_MAX_PORTS)
			used[st->slots[i].port.id] = true;
	for (i = 0; i < st->nr_slots; i++) {
		struct port_slot *s = &st->slots[i];

		if (!(s->flags & SLOT_LIVE) || s->port.id < XBR_MAX_PORTS)
			continue;
		while (id < XBR_MAX_PORTS && used[id])
			id++;
		if (id == XBR_MAX_PORTS)
			return xbr_err(-ENOSPC, "bridge %s has %d ports already", st->br->name,
				       XBR_MAX_PORTS);
		s->port.id = id;
		used[id] = true;
	}
	return 0;
}

/* A new port starts with clean counters and limits. */
static int port_counters_reset(struct xbr_bridge *br, uint32_t id)
{
	struct xbr_port_rt rt = {};
	int err;

	err = percpu_clear(br->stats_fd, &id, sizeof(struct xbr_port_stats));
	if (!err && bpf_map_update_elem(br->port_rt_fd, &id, &rt, BPF_ANY))
		err = -errno;
	return err;
}

static int ports_write(struct xbr_state *st, bool *changed)
{
	struct xbr_bridge *br = st->br;
	unsigned int i;
	int err;

	/* Leaving ports first: the map has room for exactly XBR_MAX_PORTS. */
	for (i = 0; i < st->nr_slots; i++) {
		struct port_slot *s = &st->slots[i];

		if ((s->flags & SLOT_STORED) && !(s->flags & SLOT_LIVE)) {
			if (bpf_map_delete_elem(br->ports_fd, &s->ifindex) && errno != ENOENT)
				return xbr_err(-errno, "port %s: cannot remove: %s", s->port.name,
					       strerror(errno));
			*changed = true;
		}
	}
	for (i = 0; i < st->nr_slots; i++) {
		struct port_slot *s = &st->slots[i];
		bool stored = s->flags & SLOT_STORED;

		if (!(s->flags & SLOT_LIVE) ||
		    (stored && !memcmp(&s->port, &s->stored, sizeof(s->port))))
			continue;
		if (!stored) {
			err = port_counters_reset(br, s->port.id);
			if (err)
				return xbr_err(err, "port %s: cannot reset its counters: %s",
					       s->port.name, strerror(-err));
		}
		if (bpf_map_update_elem(br->ports_fd, &s->ifindex, &s->port,
					stored ? BPF_EXIST : BPF_NOEXIST))
			return xbr_err(-errno, "port %s: cannot write it to bridge %s: %s",
				       s->port.name, br->name, strerror(errno));
		s->stored = s->port;
		s->flags |= SLOT_STORED;
		*changed = true;
	}
	return 0;
}

/* A port whose link is down gets no flood either. */
static bool floods(const struct port_slot *s)
{
	return (s->flags & SLOT_LIVE) && (s->flags & SLOT_PRESENT) &&
	       (s->port.flags & XBR_PORT_F_FLOOD) && !(s->port.flags & XBR_PORT_F_DOWN);
}

static struct flood_entry *flood_port_find(struct xbr_state *st, uint32_t ifindex)
{
	unsigned int i;

	for (i = 0; i < st->nr_flood_ports; i++)
		if (st->flood_ports[i].ifindex == ifindex)
			return &st->flood_ports[i];
	return NULL;
}

static int flood_list_write(struct xbr_state *st, struct port_slot **order, unsigned int n,
			    uint32_t *nr)
{
	uint32_t want[XBR_MAX_FLOOD] = {}, i;
	unsigned int k;

	*nr = 0;
	for (k = 0; k < n && *nr < XBR_MAX_FLOOD; k++)
		if (floods(order[k]))
			want[(*nr)++] = order[k]->ifindex;
	for (i = 0; i < XBR_MAX_FLOOD; i++) {
		if (want[i] == st->flood_list[i])
			continue;
		if (bpf_map_update_elem(st->br->flood_list_fd, &i, &want[i], BPF_ANY))
			return xbr_err(-errno, "bridge %s: cannot write the flood list: %s",
				       st->br->name, strerror(errno));
		st->flood_list[i] = want[i];
	}
	return 0;
}

/* The XDP flood set; @xdp_flood: every flooding port can take XDP. */
static int flood_ports_write(struct xbr_state *st, struct port_slot **order, unsigned int n,
			     bool *xdp_flood)
{
	struct xbr_bridge *br = st->br;
	int egress = st->egress_fd >= 0 ? st->egress_fd : br->egress_fd;
	unsigned int i, k;
	int err;

	*xdp_flood = true;
	for (i = 0; i < st->nr_flood_ports;) {
		struct port_slot *s = state_port_at(st, st->flood_ports[i].ifindex);

		if (s && floods(s) && (s->port.flags & XBR_PORT_F_XDP_TARGET)) {
			i++;
			continue;
		}
		bpf_map_delete_elem(br->flood_ports_fd, &st->flood_ports[i].ifindex);
		st->flood_ports[i] = st->flood_ports[--st->nr_flood_ports];
	}
	for (k = 0; k < n; k++) {
		struct port_slot *s = order[k];
		struct flood_entry *e;

		if (!floods(s))
			continue;
		if (!(s->port.flags & XBR_PORT_F_XDP_TARGET)) {
			*xdp_flood = false;
			continue;
		}
		e = flood_port_find(st, s->ifindex);
		if (e && e->prog_id == st->egress_id)
			continue;
		err = devmap_set(br->flood_ports_fd, s->ifindex, egress);
		if (err == -ENODEV || err == -EINVAL) {
			/* Its netdev went away since the state was read. */
			s->flags &= ~SLOT_PRESENT;
			if (e)
				*e = st->flood_ports[--st->nr_flood_ports];
			continue;
		}
		if (err)
			return xbr_err(err, "port %s: cannot join the XDP flood set: %s",
				       s->port.name, strerror(-err));
		if (!e)
			e = &st->flood_ports[st->nr_flood_ports++];
		*e = (struct flood_entry){ .ifindex = s->ifindex, .prog_id = st->egress_id };
	}
	return 0;
}

/* The datapath checks every source MAC against sec_macs only while that can
 * matter: a port is locked, or some port has MACs of its own. */
static bool sec_macs_needed(struct xbr_state *st)
{
	struct xbr_sec_mac_key key, next, *prev = NULL;
	struct xbr_sec_mac val;
	unsigned int i;

	for (i = 0; i < st->nr_slots; i++)
		if ((st->slots[i].flags & SLOT_LIVE) &&
		    (st->slots[i].port.flags & XBR_PORT_F_LOCKED))
			return true;
	/* Entries of a port that just left go right after this commit. */
	while (!bpf_map_get_next_key(st->br->sec_macs_fd, prev, &next)) {
		key = next;
		prev = &key;
		if (!bpf_map_lookup_elem(st->br->sec_macs_fd, &key, &val) &&
		    state_port_at(st, val.ifindex))
			return true;
	}
	return false;
}

static uint64_t now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000000ULL + ts.tv_nsec;
}

static int config_write(struct xbr_state *st, uint32_t nr_flood, bool xdp_flood,
			bool ports_changed)
{
	struct xbr_config *cfg = &st->cfg;
	__u32 zero = 0;

	cfg->nr_flood = nr_flood;
	cfg->flags &= ~(XBR_CFG_F_XDP_FLOOD | XBR_CFG_F_SEC_MACS);
	if (xdp_flood && nr_flood)
		cfg->flags |= XBR_CFG_F_XDP_FLOOD;
	if (sec_macs_needed(st))
		cfg->flags |= XBR_CFG_F_SEC_MACS;
	/* The datapath's per-CPU port copies hold one generation: a new one
	 * after every change of the ports map, never the same twice. */
	if (ports_changed) {
		uint64_t now = now_ns();

		cfg->ports_gen = now > st->cfg_stored.ports_gen ? now : st->cfg_stored.ports_gen + 1;
	}
	if (!memcmp(cfg, &st->cfg_stored, sizeof(*cfg)))
		return 0;
	if (bpf_map_update_elem(st->br->config_fd, &zero, cfg, BPF_ANY))
		return xbr_err(-errno, "bridge %s: cannot write config: %s", st->br->name,
			       strerror(errno));
	st->cfg_stored = *cfg;
	return 0;
}

/* Forget the slots of ports that left. */
static void slots_settle(struct xbr_state *st)
{
	unsigned int i, n = 0;

	for (i = 0; i < st->nr_slots; i++)
		if (st->slots[i].flags & SLOT_LIVE)
			st->slots[n++] = st->slots[i];
	st->nr_slots = n;
}

int state_touch(struct xbr_state *st)
{
	st->touched = true;
	return state_commit(st);
}

int state_commit(struct xbr_state *st)
{
	struct port_slot *order[MAX_SLOTS];
	bool ports_changed = st->touched, xdp_flood;
	uint32_t nr_flood;
	unsigned int n;
	int err;

	st->touched = false;
	err = ids_assign(st);
	if (!err)
		err = ports_write(st, &ports_changed);
	if (!err) {
		/* The ports map first, then the sets: a port leaves the bridge
		 * before it leaves the floods, joins it before it is flooded to. */
		n = slots_by_id(st, order);
		err = flood_list_write(st, order, n, &nr_flood);
	}
	if (!err)
		err = flood_ports_write(st, order, n, &xdp_flood);
	if (!err)
		err = config_write(st, nr_flood, xdp_flood, ports_changed);
	if (err) {
		/* Whatever was written stays written: read it back, so the
		 * next commit starts from what the maps hold. */
		char why[512];

		snprintf(why, sizeof(why), "%s", xbr_errmsg());
		state_load(st);
		return xbr_err(err, "%s", why);
	}
	slots_settle(st);
	return 0;
}
