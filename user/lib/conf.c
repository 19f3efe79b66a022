// SPDX-License-Identifier: GPL-2.0
/*
 * A whole configuration as data (struct xbr_conf, libxbr.h): read from the
 * running bridges, built by commands the way they would change a bridge,
 * and applied by difference. `xbr save` prints what xbr_conf_read() gives;
 * `xbr apply FILE` builds one from FILE and hands it to xbr_conf_apply(),
 * which removes what FILE does not name, makes what is missing and changes
 * only what differs, through the same calls the CLI makes, under the lock
 * above bridges. A port whose settings are the same is never touched.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <arpa/inet.h>
#include "internal.h"

/* ---- lists ------------------------------------------------------------- */

static void *grow(void *arr, unsigned int n, size_t size)
{
	void *bigger;

	/* Room for one more, doubling at powers of two. */
	if (n && (n & (n - 1)))
		return arr;
	bigger = realloc(arr, (n ? 2 * n : 4) * size);
	if (!bigger)
		xbr_err(-ENOMEM, "out of memory");
	return bigger;
}

void xbr_conf_free(struct xbr_conf *c)
{
	unsigned int i;

	for (i = 0; i < c->nr_bridges; i++) {
		free(c->bridges[i].ports);
		free(c->bridges[i].fdb);
		free(c->bridges[i].vports);
	}
	free(c->bridges);
	memset(c, 0, sizeof(*c));
}

struct xbr_conf_bridge *xbr_conf_bridge(const struct xbr_conf *c, const char *name)
{
	unsigned int i;

	for (i = 0; i < c->nr_bridges; i++)
		if (!strcmp(c->bridges[i].name, name))
			return &c->bridges[i];
	return NULL;
}

struct xbr_conf_port *xbr_conf_port(const struct xbr_conf_bridge *b, const char *name)
{
	unsigned int i;

	for (i = 0; i < b->nr_ports; i++)
		if (!strcmp(b->ports[i].name, name))
			return &b->ports[i];
	return NULL;
}

static struct xbr_conf_vport *conf_vport(const struct xbr_conf_bridge *b, const char *name)
{
	unsigned int i;

	for (i = 0; i < b->nr_vports; i++)
		if (!strcmp(b->vports[i].name, name))
			return &b->vports[i];
	return NULL;
}

/* The bridge of @c that has @dev as a port, if any. */
static struct xbr_conf_bridge *conf_port_owner(const struct xbr_conf *c, const char *dev)
{
	unsigned int i;

	for (i = 0; i < c->nr_bridges; i++)
		if (xbr_conf_port(&c->bridges[i], dev))
			return &c->bridges[i];
	return NULL;
}

/* ---- VLAN bitmaps ----------------------------------------------------------- */

static bool bit(const uint8_t *map, uint16_t vid)
{
	return map[vid / 8] & (1 << (vid % 8));
}

static void bit_set(uint8_t *map, uint16_t vid, bool on)
{
	if (on)
		map[vid / 8] |= 1 << (vid % 8);
	else
		map[vid / 8] &= ~(1 << (vid % 8));
}

bool xbr_conf_vlan_member(const struct xbr_conf_vlans *v, uint16_t vid)
{
	return vid && vid <= XBR_VID_MAX && bit(v->member, vid);
}

bool xbr_conf_vlan_untagged(const struct xbr_conf_vlans *v, uint16_t vid)
{
	return xbr_conf_vlan_member(v, vid) && bit(v->untagged, vid);
}

/* What a port joins with: VLAN 1, untagged, its pvid (vlan.c). */
static void vlans_default(struct xbr_conf_vlans *v)
{
	memset(v, 0, sizeof(*v));
	bit_set(v->member, XBR_VID_DEFAULT, true);
	bit_set(v->untagged, XBR_VID_DEFAULT, true);
	v->pvid = XBR_VID_DEFAULT;
}

/* ---- builders ------------------------------------------------------------------ */

static struct xbr_conf_bridge *conf_need_bridge(const struct xbr_conf *c, const char *name)
{
	struct xbr_conf_bridge *b = xbr_conf_bridge(c, name);

	if (!b)
		xbr_err(-ENOENT, "no such bridge: %s (no bridge add %s before)", name, name);
	return b;
}

static struct xbr_conf_port *conf_need_port(const struct xbr_conf *c, const char *bridge,
					    const char *dev)
{
	struct xbr_conf_bridge *b = conf_need_bridge(c, bridge);
	struct xbr_conf_port *p;

	if (!b)
		return NULL;
	p = xbr_conf_port(b, dev);
	if (!p)
		xbr_err(-ENOENT, "port %s is not in bridge %s", dev, bridge);
	return p;
}

/*
 * A port as the library makes it (port_join(), vport_lock(), the host
 * port): the switches on, its kind's learn-limit and trust, no lock.
 */
static struct xbr_conf_port *conf_port_new(struct xbr_conf_bridge *b, const char *dev,
					   enum xbr_conf_origin origin,
					   enum xbr_port_kind kind, enum xbr_port_mode mode)
{
	struct xbr_conf_port *p;
	uint32_t trust = xbr_kind_trust(kind);

	p = grow(b->ports, b->nr_ports, sizeof(*b->ports));
	if (!p)
		return NULL;
	b->ports = p;
	p = &b->ports[b->nr_ports++];
	memset(p, 0, sizeof(*p));
	snprintf(p->name, sizeof(p->name), "%s", dev);
	p->origin = origin;
	xbr_port_opts_init(&p->opts);
	p->opts.mode = mode;
	p->opts.learning = 1;
	p->opts.flood = 1;
	p->opts.transient = 0;
	xbr_port_sec_init(&p->sec);
	p->sec.locked = 0;
	p->sec.nr_macs = 0;
	p->sec.nr_ips = 0;
	p->sec.max_macs = 0;
	p->sec.flood_limit = 0;
	p->sec.learn_limit = xbr_kind_learn_limit(kind);
	if (origin == XBR_CONF_PORT_HOST)
		trust = XBR_PORT_F_DHCP_SERVER | XBR_PORT_F_RA;
	p->sec.dhcp_server = !!(trust & XBR_PORT_F_DHCP_SERVER);
	p->sec.ra = !!(trust & XBR_PORT_F_RA);
	vlans_default(&p->vlans);
	return p;
}

static int ageing_valid(unsigned int s)
{
	return s >= 1 && s <= 1000000;
}

int xbr_conf_bridge_add(struct xbr_conf *c, const char *name, unsigned int ageing_s,
			bool host_port)
{
	struct xbr_conf_bridge *b;
	char peer[IFNAMSIZ];
	int err;

	if (!pins_name_valid(name))
		return xbr_err(-EINVAL, "invalid bridge name \"%s\" (1-%d characters, no '/')",
			       name, XBR_NAME_MAX);
	if (xbr_conf_bridge(c, name))
		return xbr_err(-EEXIST, "bridge %s exists", name);
	if (!ageing_valid(ageing_s))
		return xbr_err(-EINVAL, "bridge %s: ageing %u out of range 1-1000000 s", name,
			       ageing_s);
	if (host_port) {
		err = host_port_peer_name(name, peer, sizeof(peer));
		if (err)
			return err;
	}
	b = grow(c->bridges, c->nr_bridges, sizeof(*c->bridges));
	if (!b)
		return -ENOMEM;
	c->bridges = b;
	b = &c->bridges[c->nr_bridges++];
	memset(b, 0, sizeof(*b));
	snprintf(b->name, sizeof(b->name), "%s", name);
	b->ageing_s = ageing_s;
	b->fdb_max_learned = XBR_FDB_LEARNED_MAX;
	b->host_port = host_port;
	if (host_port && !conf_port_new(b, peer, XBR_CONF_PORT_HOST, XBR_KIND_VETH,
					XBR_MODE_TC))
		return -ENOMEM;
	return 0;
}

int xbr_conf_bridge_set(struct xbr_conf *c, const char *name, unsigned int ageing_s,
			int vlan_filtering, unsigned int fdb_max_learned)
{
	struct xbr_conf_bridge *b = conf_need_bridge(c, name);

	if (!b)
		return -ENOENT;
	if (ageing_s && !ageing_valid(ageing_s))
		return xbr_err(-EINVAL, "bridge %s: ageing %u out of range 1-1000000 s", name,
			       ageing_s);
	if (fdb_max_learned > XBR_FDB_LEARNED_MAX)
		return xbr_err(-EINVAL, "bridge %s: fdb-max-learned %u out of range 1-%u", name,
			       fdb_max_learned, XBR_FDB_LEARNED_MAX);
	if (ageing_s)
		b->ageing_s = ageing_s;
	if (fdb_max_learned)
		b->fdb_max_learned = fdb_max_learned;
	if (vlan_filtering >= 0)
		b->vlan_filtering = vlan_filtering;
	return 0;
}

int xbr_conf_port_add(struct xbr_conf *c, const char *bridge, const char *dev,
		      const struct xbr_port_opts *opts)
{
	struct xbr_conf_bridge *b = conf_need_bridge(c, bridge), *owner;
	struct xbr_conf_port *p;
	enum xbr_port_kind kind;
	int err;

	if (!b)
		return -ENOENT;
	if (opts->transient > 0)
		return xbr_err(-EINVAL, "port %s: a transient port is no configuration", dev);
	owner = conf_port_owner(c, dev);
	if (owner)
		return xbr_err(-EEXIST, "port %s is already in bridge %s", dev, owner->name);
	if (b->host_port && !strcmp(dev, b->name))
		return xbr_err(-EINVAL, "port %s is the host side of bridge %s's host port",
			       dev, b->name);
	if (!if_nametoindex(dev))
		return xbr_err(-ENODEV, "no such device: %s", dev);
	if (b->nr_ports >= XBR_MAX_PORTS)
		return xbr_err(-ENOSPC, "bridge %s has %d ports already", b->name, XBR_MAX_PORTS);
	err = xbr_netdev_kind(dev, &kind);
	if (err)
		return xbr_err(err, "port %s: cannot query its driver: %s", dev, strerror(-err));
	p = conf_port_new(b, dev, XBR_CONF_PORT_ADDED, kind, opts->mode);
	if (!p)
		return -ENOMEM;
	if (opts->learning >= 0)
		p->opts.learning = opts->learning;
	if (opts->flood >= 0)
		p->opts.flood = opts->flood;
	/* What a file adds is configuration. */
	return 0;
}

/* A MAC configured on another port of any bridge of @c: refused, as the
 * library refuses it (security.c). */
static const char *conf_mac_owner(const struct xbr_conf *c, const struct xbr_conf_port *self,
				  const uint8_t mac[6])
{
	const struct xbr_conf_port *p;
	unsigned int i, j;
	int k;

	for (i = 0; i < c->nr_bridges; i++) {
		for (j = 0; j < c->bridges[i].nr_ports; j++) {
			p = &c->bridges[i].ports[j];
			if (p == self)
				continue;
			for (k = 0; k < p->sec.nr_macs; k++)
				if (!memcmp(p->sec.macs[k], mac, 6))
					return p->name;
		}
	}
	return NULL;
}

int xbr_conf_port_set(struct xbr_conf *c, const char *bridge, const char *dev,
		      const struct xbr_port_opts *opts, const struct xbr_port_sec *sec)
{
	struct xbr_conf_port *p = conf_need_port(c, bridge, dev);
	const char *owner;
	char buf[18];
	int i;

	if (!p)
		return -ENOENT;
	if (opts->transient > 0)
		return xbr_err(-EINVAL, "port %s: a transient port is no configuration", dev);
	if (sec->nr_macs > 0 && sec->locked == 0)
		return xbr_err(-EINVAL, "port %s: MACs given while turning the lock off", dev);
	for (i = 0; i < sec->nr_macs; i++) {
		xbr_format_mac(sec->macs[i], buf);
		if ((sec->macs[i][0] & 1) || !memcmp(sec->macs[i], "\0\0\0\0\0\0", 6))
			return xbr_err(-EINVAL, "port %s: mac %s is not a unicast address", dev,
				       buf);
		owner = conf_mac_owner(c, p, sec->macs[i]);
		if (owner)
			return xbr_err(-EBUSY, "port %s: mac %s belongs to port %s", dev, buf,
				       owner);
	}
	if (opts->learning >= 0)
		p->opts.learning = opts->learning;
	if (opts->flood >= 0)
		p->opts.flood = opts->flood;
	if (sec->locked == 0) {
		p->sec.locked = 0;
		p->sec.nr_macs = 0;
		p->sec.nr_ips = 0;
	} else if (sec->locked == 1) {
		p->sec.locked = 1;
	}
	if (sec->max_macs >= 0)
		p->sec.max_macs = sec->max_macs;
	if (sec->flood_limit >= 0)
		p->sec.flood_limit = sec->flood_limit;
	if (sec->learn_limit >= 0)
		p->sec.learn_limit = sec->learn_limit;
	if (sec->dhcp_server >= 0)
		p->sec.dhcp_server = sec->dhcp_server;
	if (sec->ra >= 0)
		p->sec.ra = sec->ra;
	if (sec->nr_macs >= 0) {
		p->sec.nr_macs = sec->nr_macs;
		memcpy(p->sec.macs, sec->macs, sizeof(p->sec.macs));
	}
	if (sec->nr_ips >= 0) {
		p->sec.nr_ips = sec->nr_ips;
		memcpy(p->sec.ips, sec->ips, sizeof(p->sec.ips));
	}
	return 0;
}

int xbr_conf_vlan(struct xbr_conf *c, const char *bridge, const char *dev, uint16_t lo,
		  uint16_t hi, bool add, bool pvid, bool untagged)
{
	struct xbr_conf_bridge *b = conf_need_bridge(c, bridge);
	struct xbr_conf_port *p;
	unsigned int vid, had = 0;

	if (!b)
		return -ENOENT;
	p = conf_need_port(c, bridge, dev);
	if (!p)
		return -ENOENT;
	if (lo < 1 || hi > XBR_VID_MAX || lo > hi)
		return xbr_err(-EINVAL, "port %s: vid %u-%u out of range 1-%d", dev, lo, hi,
			       XBR_VID_MAX);
	if (pvid && lo != hi)
		return xbr_err(-EINVAL, "port %s: pvid needs a single vid, not a range", dev);
	for (vid = lo; vid <= hi; vid++) {
		had += bit(p->vlans.member, vid);
		bit_set(p->vlans.member, vid, add);
		bit_set(p->vlans.untagged, vid, add && untagged);
	}
	if (add) {
		if (pvid)
			p->vlans.pvid = lo;
		b->vlan_filtering = true;	/* the first vlan add turns it on */
		return 0;
	}
	if (!had)
		return xbr_err(-ENOENT, "port %s is not a member of vid %u%s%.0u", dev, lo,
			       hi != lo ? "-" : "", hi != lo ? hi : 0);
	if (p->vlans.pvid >= lo && p->vlans.pvid <= hi)
		p->vlans.pvid = 0;
	return 0;
}

int xbr_conf_fdb_add(struct xbr_conf *c, const char *bridge, const uint8_t mac[6],
		     uint16_t vlan, const char *dev)
{
	struct xbr_conf_bridge *b = conf_need_bridge(c, bridge);
	struct xbr_conf_fdb *e;
	unsigned int i;
	int err;

	if (!b)
		return -ENOENT;
	err = fdb_entry_check(mac, vlan);
	if (err)
		return err;
	if (!xbr_conf_port(b, dev))
		return xbr_err(-ENOENT, "port %s is not in bridge %s", dev, bridge);
	for (i = 0; i < b->nr_fdb; i++) {
		e = &b->fdb[i];
		if (!memcmp(e->mac, mac, 6) && e->vlan == vlan) {
			snprintf(e->dev, sizeof(e->dev), "%s", dev);
			return 0;
		}
	}
	e = grow(b->fdb, b->nr_fdb, sizeof(*b->fdb));
	if (!e)
		return -ENOMEM;
	b->fdb = e;
	e = &b->fdb[b->nr_fdb++];
	memcpy(e->mac, mac, 6);
	e->vlan = vlan;
	snprintf(e->dev, sizeof(e->dev), "%s", dev);
	return 0;
}

int xbr_conf_vport_add(struct xbr_conf *c, const char *bridge, const char *name,
		       const struct xbr_vport_opts *opts)
{
	struct xbr_conf_bridge *b = conf_need_bridge(c, bridge);
	char peer[IFNAMSIZ];
	struct xbr_conf_vport *v;
	struct xbr_conf_port *p;
	unsigned int i;

	if (!b)
		return -ENOENT;
	for (i = 0; i < c->nr_bridges; i++)
		if (conf_vport(&c->bridges[i], name))
			return xbr_err(-EEXIST, "vport %s exists in bridge %s", name,
				       c->bridges[i].name);
	if (!*name || strlen(name) > XBR_VPORT_NAME_MAX || strchr(name, '/') ||
	    strchr(name, ':'))
		return xbr_err(-EINVAL, "invalid vport name \"%s\" (1-%d characters, no '/' or "
			       "':')", name, XBR_VPORT_NAME_MAX);
	if (opts->queues > XBR_VPORT_MAX_QUEUES)
		return xbr_err(-EINVAL, "vport %s: queues %u out of range 1-%d", name, opts->queues,
			       XBR_VPORT_MAX_QUEUES);
	snprintf(peer, sizeof(peer), "%s%s", name, XBR_VPORT_PEER_SUFFIX);
	if (conf_port_owner(c, peer))
		return xbr_err(-EEXIST, "vport %s: port %s exists", name, peer);
	v = grow(b->vports, b->nr_vports, sizeof(*b->vports));
	if (!v)
		return -ENOMEM;
	b->vports = v;
	v = &b->vports[b->nr_vports++];
	memset(v, 0, sizeof(*v));
	snprintf(v->name, sizeof(v->name), "%s", name);
	v->opts = *opts;
	if (!v->opts.queues)
		v->opts.queues = 1;
	/* Its bridge side, as vport.c makes it: mode xdp, locked to the
	 * VM's MAC if it has one. */
	p = conf_port_new(b, peer, XBR_CONF_PORT_VPORT, XBR_KIND_VETH, XBR_MODE_XDP);
	if (!p)
		return -ENOMEM;
	if (opts->has_mac) {
		p->sec.locked = 1;
		p->sec.nr_macs = 1;
		memcpy(p->sec.macs[0], opts->mac, 6);
	}
	return 0;
}

int xbr_conf_port_auto(struct xbr_conf *c, const char *bridge, const char *pattern)
{
	struct xbr_conf_bridge *b = conf_need_bridge(c, bridge);
	unsigned int i;

	if (!b)
		return -ENOENT;
	if (!*pattern || strlen(pattern) > XBR_NAME_MAX || strchr(pattern, '/'))
		return xbr_err(-EINVAL, "port auto \"%s\": a pattern is 1-%d characters, no '/'",
			       pattern, XBR_NAME_MAX);
	for (i = 0; i < b->nr_auto_ports; i++)
		if (!strcmp(b->auto_ports[i], pattern))
			return 0;
	if (b->nr_auto_ports == XBR_AUTO_PORTS_MAX)
		return xbr_err(-ENOSPC, "bridge %s has %d port rules already", bridge,
			       XBR_AUTO_PORTS_MAX);
	snprintf(b->auto_ports[b->nr_auto_ports++], IFNAMSIZ, "%s", pattern);
	return 0;
}

/* ---- sorting: the order save prints, so equal states print equal text ---- */

static int port_cmp(const void *a, const void *b)
{
	return strcmp(((const struct xbr_conf_port *)a)->name,
		      ((const struct xbr_conf_port *)b)->name);
}

static int fdb_cmp(const void *a, const void *b)
{
	const struct xbr_conf_fdb *x = a, *y = b;
	int d = memcmp(x->mac, y->mac, 6);

	return d ? d : (int)x->vlan - (int)y->vlan;
}

static int vport_cmp(const void *a, const void *b)
{
	return strcmp(((const struct xbr_conf_vport *)a)->name,
		      ((const struct xbr_conf_vport *)b)->name);
}

static int bridge_cmp(const void *a, const void *b)
{
	return strcmp(((const struct xbr_conf_bridge *)a)->name,
		      ((const struct xbr_conf_bridge *)b)->name);
}

static int pattern_cmp(const void *a, const void *b)
{
	return strcmp(a, b);
}

static int mac_cmp(const void *a, const void *b)
{
	return memcmp(a, b, 6);
}

static int ip_cmp(const void *a, const void *b)
{
	const struct xbr_sec_addr *x = a, *y = b;

	return x->family != y->family ? x->family - y->family : memcmp(x->addr, y->addr, 16);
}

void xbr_conf_sort(struct xbr_conf *c)
{
	struct xbr_conf_bridge *b;
	struct xbr_conf_port *p;
	unsigned int i, j;

	qsort(c->bridges, c->nr_bridges, sizeof(*c->bridges), bridge_cmp);
	for (i = 0; i < c->nr_bridges; i++) {
		b = &c->bridges[i];
		qsort(b->ports, b->nr_ports, sizeof(*b->ports), port_cmp);
		qsort(b->fdb, b->nr_fdb, sizeof(*b->fdb), fdb_cmp);
		qsort(b->vports, b->nr_vports, sizeof(*b->vports), vport_cmp);
		qsort(b->auto_ports, b->nr_auto_ports, sizeof(b->auto_ports[0]), pattern_cmp);
		for (j = 0; j < b->nr_ports; j++) {
			p = &b->ports[j];
			qsort(p->sec.macs, p->sec.nr_macs, sizeof(p->sec.macs[0]), mac_cmp);
			qsort(p->sec.ips, p->sec.nr_ips, sizeof(p->sec.ips[0]), ip_cmp);
		}
	}
}

/* ---- reading the running state -------------------------------------------------- */

struct read_ctx {
	struct xbr_bridge *br;
	struct xbr_conf_bridge *b;
	struct xbr_conf_port *p;
	int err;
};

static int read_vlan_cb(uint16_t vid, const struct xbr_vlan *v, void *arg)
{
	struct xbr_conf_port *p = arg;

	if (vid && vid <= XBR_VID_MAX) {
		bit_set(p->vlans.member, vid, true);
		bit_set(p->vlans.untagged, vid, v->flags & XBR_VLAN_F_UNTAGGED);
	}
	return 0;
}

static int read_mac_cb(const uint8_t mac[6], uint32_t flags, void *arg)
{
	struct xbr_conf_port *p = arg;

	/* A MAC learned under max-macs is the datapath's, not configuration. */
	if ((flags & XBR_SEC_F_CONFIGURED) && p->sec.nr_macs < XBR_SEC_LIST_MAX)
		memcpy(p->sec.macs[p->sec.nr_macs++], mac, 6);
	return 0;
}

static int read_ip_cb(const struct xbr_sec_addr *a, void *arg)
{
	struct xbr_conf_port *p = arg;

	if (p->sec.nr_ips < XBR_SEC_LIST_MAX)
		p->sec.ips[p->sec.nr_ips++] = *a;
	return 0;
}

void conf_port_read(struct xbr_bridge *br, uint32_t ifindex, const struct xbr_port *port,
		    struct xbr_conf_port *p)
{
	uint32_t f = port->flags;

	memset(p, 0, sizeof(*p));
	snprintf(p->name, sizeof(p->name), "%s", port->name);
	p->origin = f & XBR_PORT_F_HOST ? XBR_CONF_PORT_HOST : XBR_CONF_PORT_ADDED;
	xbr_port_opts_init(&p->opts);
	xbr_port_sec_init(&p->sec);
	p->opts.mode = port->mode;
	p->opts.learning = !!(f & XBR_PORT_F_LEARNING);
	p->opts.transient = !!(f & XBR_PORT_F_TRANSIENT);
	p->opts.flood = !!(f & XBR_PORT_F_FLOOD);
	p->sec.locked = !!(f & XBR_PORT_F_LOCKED);
	p->sec.max_macs = port->max_macs;
	p->sec.flood_limit = port->flood_limit;
	p->sec.learn_limit = port->learn_limit;
	p->sec.dhcp_server = !!(f & XBR_PORT_F_DHCP_SERVER);
	p->sec.ra = !!(f & XBR_PORT_F_RA);
	p->sec.nr_macs = 0;
	p->sec.nr_ips = 0;
	p->vlans.pvid = port->pvid;
	xbr_vlan_foreach(br, ifindex, read_vlan_cb, p);
	xbr_sec_mac_foreach(br, ifindex, read_mac_cb, p);
	xbr_sec_ip_foreach(br, ifindex, read_ip_cb, p);
}

static int read_port_cb(uint32_t ifindex, const struct xbr_port *port, void *arg)
{
	struct read_ctx *ctx = arg;
	struct xbr_conf_port *p;

	/* A port whose netdev is gone is no configuration to restore, nor is
	 * a running VM's. */
	if (!xbr_port_present(ifindex, port) || (port->flags & XBR_PORT_F_TRANSIENT))
		return 0;
	p = grow(ctx->b->ports, ctx->b->nr_ports, sizeof(*ctx->b->ports));
	if (!p) {
		ctx->err = -ENOMEM;
		return 1;
	}
	ctx->b->ports = p;
	conf_port_read(ctx->br, ifindex, port, &ctx->b->ports[ctx->b->nr_ports++]);
	return 0;
}

struct read_fdb_ctx {
	struct read_ctx *rc;
	uint32_t ifindex[XBR_MAX_PORTS];
	char name[XBR_MAX_PORTS][IFNAMSIZ];
	unsigned int n;
};

static int read_port_name_cb(uint32_t ifindex, const struct xbr_port *port, void *arg)
{
	struct read_fdb_ctx *fc = arg;

	if (fc->n < XBR_MAX_PORTS) {
		fc->ifindex[fc->n] = ifindex;
		snprintf(fc->name[fc->n], IFNAMSIZ, "%s", port->name);
		fc->n++;
	}
	return 0;
}

static int read_fdb_cb(const struct xbr_fdb_key *key, const struct xbr_fdb_entry *e, void *arg)
{
	struct read_fdb_ctx *fc = arg;
	struct xbr_conf_bridge *b = fc->rc->b;
	struct xbr_conf_fdb *n;
	unsigned int i;

	if (!(e->flags & XBR_FDB_F_STATIC) || (e->flags & XBR_FDB_F_LOCAL))
		return 0;
	for (i = 0; i < fc->n && fc->ifindex[i] != e->ifindex; i++)
		;
	/* An entry of a port not saved (gone) goes with it. */
	if (i == fc->n || !xbr_conf_port(b, fc->name[i]))
		return 0;
	n = grow(b->fdb, b->nr_fdb, sizeof(*b->fdb));
	if (!n) {
		fc->rc->err = -ENOMEM;
		return 1;
	}
	b->fdb = n;
	n = &b->fdb[b->nr_fdb++];
	memcpy(n->mac, key->mac, 6);
	n->vlan = key->vlan;
	snprintf(n->dev, sizeof(n->dev), "%s", fc->name[i]);
	return 0;
}

static int read_vport_cb(const char *name, void *arg)
{
	struct read_ctx *ctx = arg;
	struct xbr_vport_handle vp;
	struct xbr_conf_vport *v;
	struct xbr_conf_port *p;

	if (xbr_vport_open(ctx->br, name, &vp))
		return 0;
	v = grow(ctx->b->vports, ctx->b->nr_vports, sizeof(*ctx->b->vports));
	if (!v) {
		xbr_vport_close(&vp);
		ctx->err = -ENOMEM;
		return 1;
	}
	ctx->b->vports = v;
	v = &ctx->b->vports[ctx->b->nr_vports++];
	memset(v, 0, sizeof(*v));
	snprintf(v->name, sizeof(v->name), "%s", name);
	v->opts.queues = vp.info.queues;
	v->opts.has_mac = vp.info.flags & XBR_VPORT_F_MAC;
	memcpy(v->opts.mac, vp.info.mac, 6);
	p = xbr_conf_port(ctx->b, vp.info.peer);
	if (p)
		p->origin = XBR_CONF_PORT_VPORT;
	xbr_vport_close(&vp);
	return 0;
}

static int read_auto_cb(const char *pattern, void *arg)
{
	struct xbr_conf_bridge *b = arg;

	if (b->nr_auto_ports < XBR_AUTO_PORTS_MAX)
		snprintf(b->auto_ports[b->nr_auto_ports++], IFNAMSIZ, "%s", pattern);
	return 0;
}

static int read_bridge(struct xbr_conf *c, const char *name)
{
	struct xbr_conf_bridge *b;
	struct read_fdb_ctx fc = { 0 };
	struct read_ctx ctx = { 0 };
	struct xbr_config cfg;
	struct xbr_bridge br;
	int err;

	err = xbr_bridge_open(name, &br);
	if (err)
		return err;
	err = xbr_bridge_config(&br, &cfg);
	if (err)
		goto out;
	b = grow(c->bridges, c->nr_bridges, sizeof(*c->bridges));
	if (!b) {
		err = -ENOMEM;
		goto out;
	}
	c->bridges = b;
	b = &c->bridges[c->nr_bridges++];
	memset(b, 0, sizeof(*b));
	snprintf(b->name, sizeof(b->name), "%s", name);
	b->ageing_s = cfg.ageing_ns / 1000000000ULL;
	b->fdb_max_learned = cfg.fdb_max_learned ? cfg.fdb_max_learned : XBR_FDB_LEARNED_MAX;
	b->host_port = cfg.host_ifindex != 0;
	b->vlan_filtering = cfg.flags & XBR_CFG_F_VLAN_FILTERING;
	ctx.br = &br;
	ctx.b = b;
	xbr_port_foreach(&br, read_port_cb, &ctx);
	if (!ctx.err)
		xbr_vport_foreach(&br, read_vport_cb, &ctx);
	fc.rc = &ctx;
	if (!ctx.err)
		xbr_port_foreach(&br, read_port_name_cb, &fc);
	if (!ctx.err)
		err = xbr_fdb_foreach(&br, read_fdb_cb, &fc);
	if (!err && !ctx.err)
		err = xbr_port_auto_foreach(&br, read_auto_cb, b);
	if (ctx.err)
		err = xbr_err(ctx.err, "bridge %s: out of memory", name);
out:
	xbr_bridge_close(&br);
	return err;
}

struct read_all_ctx {
	struct xbr_conf *c;
	int err;
};

static int read_bridge_cb(const char *name, void *arg)
{
	struct read_all_ctx *ctx = arg;

	ctx->err = read_bridge(ctx->c, name);
	return ctx->err;
}

int xbr_conf_read(struct xbr_conf *c, const char *only)
{
	struct read_all_ctx ctx = { .c = c };

	memset(c, 0, sizeof(*c));
	if (only)
		ctx.err = read_bridge(c, only);
	else
		xbr_bridge_foreach(read_bridge_cb, &ctx);
	if (ctx.err) {
		xbr_conf_free(c);
		return ctx.err;
	}
	xbr_conf_sort(c);
	return 0;
}
