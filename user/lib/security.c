// SPDX-License-Identifier: GPL-2.0
/*
 * Port security: the MACs and addresses a port may send from, its learned
 * MAC budget, its first-hop trust and its flood cap. Validated whole before anything is written,
 * so a refused command changes nothing. Its lists live in sec_macs and
 * sec_ips; the port's flags and limits go through the commit.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <arpa/inet.h>
#include <bpf/bpf.h>
#include <xbr/fdb_ctl.h>
#include "internal.h"

void xbr_port_sec_init(struct xbr_port_sec *sec)
{
	memset(sec, 0, sizeof(*sec));
	sec->locked = -1;
	sec->nr_macs = -1;
	sec->nr_ips = -1;
	sec->max_macs = -1;
	sec->flood_limit = -1;
	sec->learn_limit = -1;
	sec->dhcp_server = -1;
	sec->ra = -1;
}

/* Snapshot a hash map's keys; @fn may delete the key it is given. */
static int keys_foreach(int map_fd, size_t key_size,
			int (*fn)(const void *key, void *arg), void *arg)
{
	char *keys, *prev = NULL, *grown;
	size_t n = 0, cap = 64, i;
	int ret = 0;

	keys = malloc(cap * key_size);
	if (!keys)
		return -ENOMEM;
	while (!bpf_map_get_next_key(map_fd, prev, keys + n * key_size)) {
		prev = keys + n * key_size;
		if (++n == cap) {
			grown = realloc(keys, 2 * cap * key_size);
			if (!grown) {
				free(keys);
				return -ENOMEM;
			}
			keys = grown;
			cap *= 2;
			prev = keys + (n - 1) * key_size;
		}
	}
	for (i = 0; i < n && !ret; i++)
		ret = fn(keys + i * key_size, arg);
	free(keys);
	return ret;
}

struct mac_walk {
	struct xbr_bridge *br;
	uint32_t ifindex;
	uint32_t delete_flags;	/* delete entries with any of these; 0: call fn */
	int (*fn)(const uint8_t mac[6], uint32_t flags, void *arg);
	void *arg;
};

static int mac_walk_cb(const void *k, void *arg)
{
	const struct xbr_sec_mac_key *key = k;
	struct mac_walk *w = arg;
	struct xbr_sec_mac val;

	if (bpf_map_lookup_elem(w->br->sec_macs_fd, key, &val) || val.ifindex != w->ifindex)
		return 0;
	if (w->delete_flags) {
		if (val.flags & w->delete_flags)
			bpf_map_delete_elem(w->br->sec_macs_fd, key);
		return 0;
	}
	return w->fn(key->mac, val.flags, w->arg);
}

int xbr_sec_mac_foreach(struct xbr_bridge *br, uint32_t ifindex,
			int (*fn)(const uint8_t mac[6], uint32_t flags, void *arg), void *arg)
{
	struct mac_walk w = { .br = br, .ifindex = ifindex, .fn = fn, .arg = arg };

	return keys_foreach(br->sec_macs_fd, sizeof(struct xbr_sec_mac_key), mac_walk_cb, &w);
}

static void sec_macs_delete(struct xbr_bridge *br, uint32_t ifindex, uint32_t flags)
{
	struct mac_walk w = { .br = br, .ifindex = ifindex, .delete_flags = flags };

	keys_foreach(br->sec_macs_fd, sizeof(struct xbr_sec_mac_key), mac_walk_cb, &w);
}

struct ip_walk {
	struct xbr_bridge *br;
	uint32_t ifindex;
	bool delete;
	int (*fn)(const struct xbr_sec_addr *a, void *arg);
	void *arg;
};

static int ip_walk_cb(const void *k, void *arg)
{
	const struct xbr_sec_ip_key *key = k;
	struct ip_walk *w = arg;
	struct xbr_sec_addr a;

	if (key->ifindex != w->ifindex)
		return 0;
	if (w->delete) {
		bpf_map_delete_elem(w->br->sec_ips_fd, key);
		return 0;
	}
	a.family = key->family;
	memcpy(a.addr, key->addr, sizeof(a.addr));
	return w->fn(&a, w->arg);
}

int xbr_sec_ip_foreach(struct xbr_bridge *br, uint32_t ifindex,
		       int (*fn)(const struct xbr_sec_addr *a, void *arg), void *arg)
{
	struct ip_walk w = { .br = br, .ifindex = ifindex, .fn = fn, .arg = arg };

	return keys_foreach(br->sec_ips_fd, sizeof(struct xbr_sec_ip_key), ip_walk_cb, &w);
}

static void sec_ips_delete(struct xbr_bridge *br, uint32_t ifindex)
{
	struct ip_walk w = { .br = br, .ifindex = ifindex, .delete = true };

	keys_foreach(br->sec_ips_fd, sizeof(struct xbr_sec_ip_key), ip_walk_cb, &w);
}

/* A port's lock goes: its MAC budget and flood window start over; its FDB
 * counts stay with its entries. */
static int rt_reset_security(struct xbr_bridge *br, const struct xbr_port *port)
{
	struct xbr_port_rt rt = { 0 }, old;
	uint32_t id = port->id;

	if (!bpf_map_lookup_elem(br->port_rt_fd, &id, &old)) {
		rt.fdb_learned = old.fdb_learned;
		rt.fdb_changes = old.fdb_changes + 1;
	}
	return bpf_map_update_elem(br->port_rt_fd, &id, &rt, BPF_ANY) ? -errno : 0;
}

/* A port left the bridge (its slot and counters are the commit's). */
void sec_port_forget(struct xbr_bridge *br, uint32_t ifindex)
{
	sec_macs_delete(br, ifindex, XBR_SEC_F_CONFIGURED | XBR_SEC_F_LEARNED);
	sec_ips_delete(br, ifindex);
}

struct pinned_walk {
	const struct xbr_port_sec *sec;
	uint32_t ifindex;
	int found;		/* index into sec->macs + 1 */
	uint32_t owner;
};

static int pinned_cb(const struct xbr_fdb_key *key, const struct xbr_fdb_entry *e, void *arg)
{
	struct pinned_walk *w = arg;
	int i;

	(void)key;
	if (!(e->flags & (XBR_FDB_F_STATIC | XBR_FDB_F_LOCAL)) || e->ifindex == w->ifindex)
		return 0;
	for (i = 0; i < w->sec->nr_macs; i++) {
		if (!memcmp(key->mac, w->sec->macs[i], 6)) {
			w->found = i + 1;
			w->owner = e->ifindex;
			return 1;
		}
	}
	return 0;
}

/* Refuse MACs that cannot be a station's, that belong to another port, or
 * that an operator's (or the host's own) FDB entry puts behind another. */
static int sec_macs_check(struct xbr_bridge *br, uint32_t ifindex, const char *dev,
			  const struct xbr_port_sec *sec)
{
	struct pinned_walk pw = { .sec = sec, .ifindex = ifindex };
	struct xbr_sec_mac_key key = { 0 };
	struct xbr_sec_mac owner;
	struct xbr_port other;
	char buf[18];
	int i;

	for (i = 0; i < sec->nr_macs; i++) {
		xbr_format_mac(sec->macs[i], buf);
		if ((sec->macs[i][0] & 1) || !memcmp(sec->macs[i], "\0\0\0\0\0\0", 6))
			return xbr_err(-EINVAL, "port %s: mac %s is not a unicast address", dev,
				       buf);
		memcpy(key.mac, sec->macs[i], 6);
		if (!bpf_map_lookup_elem(br->sec_macs_fd, &key, &owner) &&
		    owner.ifindex != ifindex) {
			if (bpf_map_lookup_elem(br->ports_fd, &owner.ifindex, &other))
				snprintf(other.name, sizeof(other.name), "if%u", owner.ifindex);
			return xbr_err(-EBUSY, "port %s: mac %s belongs to port %s", dev, buf,
				       other.name);
		}
	}
	if (sec->nr_macs > 0 && xbr_fdb_foreach(br, pinned_cb, &pw) > 0) {
		xbr_format_mac(sec->macs[pw.found - 1], buf);
		if (bpf_map_lookup_elem(br->ports_fd, &pw.owner, &other))
			snprintf(other.name, sizeof(other.name), "if%u", pw.owner);
		return xbr_err(-EBUSY, "port %s: mac %s has a static or local fdb entry on port %s",
			       dev, buf, other.name);
	}
	return 0;
}

static int sec_macs_write(struct xbr_bridge *br, uint32_t ifindex, const char *dev,
			  const struct xbr_port_sec *sec)
{
	struct xbr_sec_mac val = { .ifindex = ifindex, .flags = XBR_SEC_F_CONFIGURED };
	struct xbr_sec_mac_key key = { 0 };
	int i;

	sec_macs_delete(br, ifindex, XBR_SEC_F_CONFIGURED);
	for (i = 0; i < sec->nr_macs; i++) {
		memcpy(key.mac, sec->macs[i], 6);
		if (bpf_map_update_elem(br->sec_macs_fd, &key, &val, BPF_ANY))
			return xbr_err(-errno, "port %s: cannot record its MACs: %s", dev,
				       strerror(errno));
	}
	return 0;
}

static int sec_ips_write(struct xbr_bridge *br, uint32_t ifindex, const char *dev,
			 const struct xbr_port_sec *sec)
{
	struct xbr_sec_ip_key key = { .ifindex = ifindex };
	struct xbr_sec_ip val = { 0 };
	int i;

	sec_ips_delete(br, ifindex);
	for (i = 0; i < sec->nr_ips; i++) {
		key.family = sec->ips[i].family;
		memset(key.addr, 0, sizeof(key.addr));
		memcpy(key.addr, sec->ips[i].addr, key.family == AF_INET ? 4 : 16);
		if (bpf_map_update_elem(br->sec_ips_fd, &key, &val, BPF_ANY))
			return xbr_err(-errno, "port %s: cannot record its addresses: %s", dev,
				       strerror(errno));
	}
	return 0;
}

/* A learned FDB entry of the port being locked, or one of its own learned
 * MACs: a candidate for the MACs it keeps. */
struct own_entry {
	uint8_t mac[6];
	uint16_t vlan;
	uint64_t seen_ns;	/* 0: aged */
};

struct own_list {
	struct own_entry *ents;
	size_t n, cap;
};

static int own_list_add(struct own_list *l, const uint8_t mac[6], uint16_t vlan, uint64_t seen)
{
	struct own_entry *grown;

	if (l->n == l->cap) {
		l->cap = l->cap ? 2 * l->cap : 64;
		grown = realloc(l->ents, l->cap * sizeof(*grown));
		if (!grown)
			return -ENOMEM;
		l->ents = grown;
	}
	memcpy(l->ents[l->n].mac, mac, 6);
	l->ents[l->n].vlan = vlan;
	l->ents[l->n].seen_ns = seen;
	l->n++;
	return 0;
}

static int own_newest_first(const void *a, const void *b)
{
	const struct own_entry *ea = a, *eb = b;

	return ea->seen_ns < eb->seen_ns ? 1 : ea->seen_ns > eb->seen_ns ? -1 : 0;
}

struct adopt_walk {
	const struct xbr_config *cfg;
	struct xbr_bridge *br;
	uint32_t ifindex;
	struct own_list list;
};

static int adopt_fdb_cb(const struct xbr_fdb_key *key, const struct xbr_fdb_entry *e, void *arg)
{
	struct adopt_walk *w = arg;

	if (e->ifindex != w->ifindex || (e->flags & (XBR_FDB_F_STATIC | XBR_FDB_F_LOCAL)))
		return 0;
	return own_list_add(&w->list, key->mac, key->vlan,
			    xbr_fdb_expired(w->cfg, e) ? 0 : e->seen_ns);
}

static int adopt_own_cb(const void *k, void *arg)
{
	const struct xbr_sec_mac_key *key = k;
	struct adopt_walk *w = arg;
	struct xbr_sec_mac val;

	if (bpf_map_lookup_elem(w->br->sec_macs_fd, key, &val) || val.ifindex != w->ifindex ||
	    !(val.flags & XBR_SEC_F_LEARNED))
		return 0;
	return own_list_add(&w->list, key->mac, val.vid, val.seen_ns);
}

static bool mac_is_own(struct xbr_bridge *br, uint32_t ifindex, const uint8_t mac[6])
{
	struct xbr_sec_mac_key key = { 0 };
	struct xbr_sec_mac val;

	memcpy(key.mac, mac, 6);
	return !bpf_map_lookup_elem(br->sec_macs_fd, &key, &val) && val.ifindex == ifindex;
}

static int nr_macs_set(struct xbr_bridge *br, const struct xbr_port *port, uint32_t nr)
{
	struct xbr_port_rt rt;
	uint32_t id = port->id;

	if (bpf_map_lookup_elem(br->port_rt_fd, &id, &rt))
		return -errno;
	rt.nr_macs = nr;
	return bpf_map_update_elem(br->port_rt_fd, &id, &rt, BPF_ANY) ? -errno : 0;
}

/*
 * A port turning locked (or changing max-macs) keeps at most max-macs of
 * the stations it had: its newest live learned MACs become its own, up to
 * that many (none another port owns); every other learned entry of the
 * port goes, so its frames are refused from now on, as a locked port's
 * are. Its learned MACs beyond a lowered max-macs go too, oldest first.
 */
static int sec_macs_adopt(struct xbr_state *st, uint32_t ifindex, const struct xbr_port *port)
{
	struct xbr_bridge *br = state_bridge(st);
	struct adopt_walk own = { .br = br, .ifindex = ifindex };
	struct adopt_walk fdb = { .cfg = state_config(st), .br = br, .ifindex = ifindex };
	struct xbr_sec_mac val = { .ifindex = ifindex, .flags = XBR_SEC_F_LEARNED };
	struct xbr_sec_mac_key key = { 0 };
	size_t nr_own, i;
	int err;

	err = keys_foreach(br->sec_macs_fd, sizeof(key), adopt_own_cb, &own);
	if (!err)
		err = xbr_fdb_foreach(br, adopt_fdb_cb, &fdb);
	if (err)
		goto out;
	qsort(own.list.ents, own.list.n, sizeof(own.list.ents[0]), own_newest_first);
	for (nr_own = own.list.n; nr_own > port->max_macs; nr_own--) {
		memcpy(key.mac, own.list.ents[nr_own - 1].mac, 6);
		bpf_map_delete_elem(br->sec_macs_fd, &key);
	}
	qsort(fdb.list.ents, fdb.list.n, sizeof(fdb.list.ents[0]), own_newest_first);
	for (i = 0; i < fdb.list.n && nr_own < port->max_macs; i++) {
		if (!fdb.list.ents[i].seen_ns)
			break;		/* aged: the rest are older */
		memcpy(key.mac, fdb.list.ents[i].mac, 6);
		val.vid = fdb.list.ents[i].vlan;
		val.seen_ns = fdb.list.ents[i].seen_ns;
		if (!bpf_map_update_elem(br->sec_macs_fd, &key, &val, BPF_NOEXIST))
			nr_own++;
	}
	for (i = 0; i < fdb.list.n; i++) {
		if (mac_is_own(br, ifindex, fdb.list.ents[i].mac))
			continue;
		if (fdb_remove(br, ifindex, XBR_FLUSH_KEY | XBR_FLUSH_LEARNED,
			       fdb.list.ents[i].mac, fdb.list.ents[i].vlan, XBR_EV_DEL_LOCK) < 0) {
			err = -EIO;
			goto out;
		}
	}
	err = nr_macs_set(br, port, nr_own);
out:
	free(own.list.ents);
	free(fdb.list.ents);
	if (err)
		return xbr_err(err, "port %s: cannot take over its stations' MACs: %s",
			       port->name, strerror(-err));
	return 0;
}

/* The XBR_CFG_F_SEC_MACS flag follows from the ports and their lists at
 * commit. */
static int port_set_security(struct xbr_state *st, const char *dev,
			     const struct xbr_port_sec *sec)
{
	struct xbr_bridge *br = state_bridge(st);
	struct port_slot *slot;
	struct xbr_port *port;
	bool was_locked;
	uint32_t ifindex;
	int err;

	slot = state_port(st, dev);
	if (!slot)
		return xbr_err(-ENOENT, "port %s is not in bridge %s", dev, br->name);
	ifindex = slot->ifindex;
	port = &slot->port;
	was_locked = port->flags & XBR_PORT_F_LOCKED;
	if (sec->nr_macs > 0 && sec->locked == 0)
		return xbr_err(-EINVAL, "port %s: MACs given while turning the lock off", dev);
	err = sec_macs_check(br, ifindex, dev, sec);
	if (err)
		return err;

	if (sec->locked == 0) {
		port->flags &= ~(XBR_PORT_F_LOCKED | XBR_PORT_F_IP_LOCKED);
		sec_macs_delete(br, ifindex, XBR_SEC_F_CONFIGURED | XBR_SEC_F_LEARNED);
		sec_ips_delete(br, ifindex);
		rt_reset_security(br, port);
	} else if (sec->locked == 1) {
		port->flags |= XBR_PORT_F_LOCKED;
	}
	if (sec->max_macs >= 0)
		port->max_macs = sec->max_macs;
	if (sec->flood_limit >= 0)
		port->flood_limit = sec->flood_limit;
	if (sec->learn_limit >= 0)
		port->learn_limit = sec->learn_limit;
	if (sec->dhcp_server >= 0)
		port->flags = sec->dhcp_server ? port->flags | XBR_PORT_F_DHCP_SERVER
					       : port->flags & ~XBR_PORT_F_DHCP_SERVER;
	if (sec->ra >= 0)
		port->flags = sec->ra ? port->flags | XBR_PORT_F_RA : port->flags & ~XBR_PORT_F_RA;
	if (sec->nr_macs >= 0) {
		err = sec_macs_write(br, ifindex, dev, sec);
		if (err)
			return err;
	}
	if (sec->nr_ips >= 0) {
		err = sec_ips_write(br, ifindex, dev, sec);
		if (err)
			return err;
		if (sec->nr_ips)
			port->flags |= XBR_PORT_F_IP_LOCKED;
		else
			port->flags &= ~XBR_PORT_F_IP_LOCKED;
	}
	if ((port->flags & XBR_PORT_F_LOCKED) &&
	    (!was_locked || sec->max_macs >= 0 || sec->nr_macs >= 0)) {
		err = sec_macs_adopt(st, ifindex, port);
		if (err)
			return err;
	}
	/* Lists first, then the port: a port turning locked finds its MACs in
	 * place (the datapath looks them up for a locked port whatever the
	 * bridge-wide flag says). */
	return state_commit(st);
}

int xbr_port_set_security(struct xbr_bridge *br, const char *dev, const struct xbr_port_sec *sec)
{
	struct xbr_state *st;
	int err;

	err = state_begin(br, false, &st);
	if (err)
		return err;
	err = port_set_security(st, dev, sec);
	state_end(st);
	return err;
}

/*
 * A guest moved (live migration, same host): its MAC goes from @from to
 * @to in one map update, so there is no moment when it has no owner or two.
 * @from must own it as a configured MAC; both stay as they are otherwise
 * (the source keeps its lock, now without the MAC).
 */
int xbr_port_move_mac(struct xbr_bridge *br, const uint8_t mac[6], const char *from,
		      const char *to)
{
	struct xbr_sec_mac_key key = { 0 };
	struct port_slot *src, *dst;
	struct xbr_sec_mac owner;
	struct xbr_state *st;
	char buf[18];
	int err;

	xbr_format_mac(mac, buf);
	err = state_begin(br, false, &st);
	if (err)
		return err;
	src = state_port(st, from);
	dst = state_port(st, to);
	memcpy(key.mac, mac, 6);
	if (!src || !dst) {
		err = xbr_err(-ENOENT, "port %s is not in bridge %s", src ? to : from, br->name);
	} else if (bpf_map_lookup_elem(br->sec_macs_fd, &key, &owner) ||
		   owner.ifindex != src->ifindex || !(owner.flags & XBR_SEC_F_CONFIGURED)) {
		err = xbr_err(-ENOENT, "port %s: mac %s is not its own", from, buf);
	} else {
		owner.ifindex = dst->ifindex;
		if (bpf_map_update_elem(br->sec_macs_fd, &key, &owner, BPF_EXIST))
			err = xbr_err(-errno, "port %s: cannot take mac %s: %s", to, buf,
				      strerror(errno));
		else
			/* The datapath's caches let a source in for a while:
			 * a new generation makes them look again. */
			err = state_touch(st);
	}
	state_end(st);
	return err;
}
