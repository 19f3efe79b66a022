// SPDX-License-Identifier: GPL-2.0
/*
 * Making the running state equal to a configuration (struct xbr_conf), by
 * difference: bridges, vports and ports that the configuration does not
 * name go first (so a port can move between bridges), then what is missing
 * is made and what differs is changed, each through the same library call
 * a command would make. A port whose settings are the same is never
 * touched, so it keeps forwarding; a port whose mode changed is taken out
 * and added again (its programs differ). All of it under the lock above
 * bridges: nobody sees a half-applied file, and nobody changes a bridge
 * meanwhile.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "internal.h"

/* ---- what must be true before anything changes ------------------------ */

static bool port_is_transient(const char *bridge, const char *dev)
{
	struct xbr_bridge br;
	struct xbr_port port;
	uint32_t ifindex;
	bool transient;

	if (xbr_bridge_open(bridge, &br))
		return false;
	transient = !xbr_port_find(&br, dev, &ifindex, &port) &&
		    (port.flags & XBR_PORT_F_TRANSIENT);
	xbr_bridge_close(&br);
	return transient;
}

/* Every netdev the file adds as a port exists, and a bridge with a host
 * port can make it: checked before the first change. */
static int apply_check(const struct xbr_conf *want, const struct xbr_conf *have)
{
	const struct xbr_conf_bridge *w, *h;
	const struct xbr_conf_port *p;
	char owner[IFNAMSIZ];
	unsigned int i, j;
	uint32_t ifindex;

	for (i = 0; i < want->nr_bridges; i++) {
		w = &want->bridges[i];
		h = xbr_conf_bridge(have, w->name);
		for (j = 0; j < w->nr_ports; j++) {
			p = &w->ports[j];
			if (p->origin != XBR_CONF_PORT_ADDED)
				continue;
			ifindex = if_nametoindex(p->name);
			if (!ifindex)
				return xbr_err(-ENODEV, "no such device: %s (port of bridge %s)",
					       p->name, w->name);
			/* A running VM's port elsewhere: apply leaves those alone. */
			if (xbr_port_owner(ifindex, owner, sizeof(owner)) &&
			    strcmp(owner, w->name) && xbr_conf_bridge(want, owner) &&
			    port_is_transient(owner, p->name))
				return xbr_err(-EBUSY, "port %s is a transient port of bridge %s "
					       "(a VM's): take it out there first", p->name, owner);
		}
		/* Its host side would be a new netdev named like the bridge. */
		if (w->host_port && (!h || !h->host_port) && if_nametoindex(w->name))
			return xbr_err(-EEXIST, "bridge %s: a netdev named %s exists already",
				       w->name, w->name);
	}
	return 0;
}

/* ---- removing what the file does not name ------------------------------ */

static bool vport_same(const struct xbr_conf_vport *a, const struct xbr_conf_vport *b)
{
	return a->opts.queues == b->opts.queues && a->opts.has_mac == b->opts.has_mac &&
	       (!a->opts.has_mac || !memcmp(a->opts.mac, b->opts.mac, 6));
}

static const struct xbr_conf_vport *vport_in(const struct xbr_conf_bridge *b, const char *name)
{
	unsigned int i;

	for (i = 0; b && i < b->nr_vports; i++)
		if (!strcmp(b->vports[i].name, name))
			return &b->vports[i];
	return NULL;
}

/* Vports and ports of @h that @w (NULL: the bridge goes) does not keep. */
static int apply_remove_parts(const struct xbr_conf_bridge *h, const struct xbr_conf_bridge *w)
{
	const struct xbr_conf_port *hp, *wp;
	const struct xbr_conf_vport *wv;
	struct xbr_bridge br;
	unsigned int i;
	int err;

	err = xbr_bridge_open(h->name, &br);
	if (err)
		return err;
	for (i = 0; i < h->nr_vports && !err; i++) {
		wv = vport_in(w, h->vports[i].name);
		if (!wv || !vport_same(wv, &h->vports[i]))
			err = xbr_vport_del(&br, h->vports[i].name);
	}
	for (i = 0; i < h->nr_ports && !err; i++) {
		hp = &h->ports[i];
		if (hp->origin != XBR_CONF_PORT_ADDED)
			continue;	/* they go with their bridge or vport */
		wp = w ? xbr_conf_port(w, hp->name) : NULL;
		if (!wp || wp->origin != XBR_CONF_PORT_ADDED || wp->opts.mode != hp->opts.mode)
			err = xbr_port_del(&br, hp->name);
	}
	xbr_bridge_close(&br);
	return err;
}

static int apply_remove(const struct xbr_conf *want, const struct xbr_conf *have)
{
	const struct xbr_conf_bridge *h, *w;
	unsigned int i;
	int err = 0;

	for (i = 0; i < have->nr_bridges && !err; i++) {
		h = &have->bridges[i];
		w = xbr_conf_bridge(want, h->name);
		/* A host port cannot come or go under a running bridge. */
		if (!w || w->host_port != h->host_port)
			err = xbr_bridge_del(h->name);
		else
			err = apply_remove_parts(h, w);
	}
	return err;
}

/* ---- changing a port to what the file says ----------------------------- */

static bool macs_same(const struct xbr_port_sec *a, const struct xbr_port_sec *b)
{
	return a->nr_macs == b->nr_macs &&
	       !memcmp(a->macs, b->macs, sizeof(a->macs[0]) * (size_t)a->nr_macs);
}

static bool ips_same(const struct xbr_port_sec *a, const struct xbr_port_sec *b)
{
	int i;

	if (a->nr_ips != b->nr_ips)
		return false;
	for (i = 0; i < a->nr_ips; i++)
		if (a->ips[i].family != b->ips[i].family ||
		    memcmp(a->ips[i].addr, b->ips[i].addr, 16))
			return false;
	return true;
}

/* The settings of @w that @h lacks, as a port set would give them. */
static int apply_port_settings(struct xbr_bridge *br, const struct xbr_conf_port *w,
			       const struct xbr_conf_port *h)
{
	const struct xbr_port_sec *ws = &w->sec, *hs = &h->sec;
	struct xbr_port_opts opts;
	struct xbr_port_sec sec;
	bool lock_off;
	int err;

	xbr_port_opts_init(&opts);
	if (w->opts.learning != h->opts.learning)
		opts.learning = w->opts.learning;
	if (w->opts.flood != h->opts.flood)
		opts.flood = w->opts.flood;
	if (xbr_port_opts_given(&opts)) {
		err = xbr_port_set(br, w->name, &opts);
		if (err)
			return err;
	}

	/* Turning the lock off forgets the port's MACs and addresses: what
	 * the file keeps of them is given again. */
	lock_off = ws->locked == 0 && hs->locked == 1;
	xbr_port_sec_init(&sec);
	if (ws->locked != hs->locked)
		sec.locked = ws->locked;
	if (lock_off ? ws->nr_ips > 0 : !ips_same(ws, hs)) {
		sec.nr_ips = ws->nr_ips;
		memcpy(sec.ips, ws->ips, sizeof(sec.ips));
	}
	if (!lock_off && !macs_same(ws, hs)) {
		sec.nr_macs = ws->nr_macs;
		memcpy(sec.macs, ws->macs, sizeof(sec.macs));
	}
	if (ws->max_macs != hs->max_macs)
		sec.max_macs = ws->max_macs;
	if (ws->flood_limit != hs->flood_limit)
		sec.flood_limit = ws->flood_limit;
	if (ws->learn_limit != hs->learn_limit)
		sec.learn_limit = ws->learn_limit;
	if (ws->dhcp_server != hs->dhcp_server)
		sec.dhcp_server = ws->dhcp_server;
	if (ws->ra != hs->ra)
		sec.ra = ws->ra;
	if (sec.locked >= 0 || sec.nr_ips >= 0 || sec.nr_macs >= 0 || sec.max_macs >= 0 ||
	    sec.flood_limit >= 0 || sec.learn_limit >= 0 || sec.dhcp_server >= 0 ||
	    sec.ra >= 0) {
		err = xbr_port_set_security(br, w->name, &sec);
		if (err)
			return err;
	}
	if (!lock_off || !ws->nr_macs)
		return 0;
	xbr_port_sec_init(&sec);
	sec.nr_macs = ws->nr_macs;
	memcpy(sec.macs, ws->macs, sizeof(sec.macs));
	return xbr_port_set_security(br, w->name, &sec);
}

/* A port's VLANs: what it has (updated as runs are dropped) and wants. */
struct vlan_diff {
	struct xbr_bridge *br;
	const char *dev;
	const struct xbr_conf_vlans *want;
	struct xbr_conf_vlans have;
};

/*
 * Call @fn for each run of VIDs for which @pick says yes, runs split where
 * the untagged flag changes and around the wanted pvid (a pvid is a single
 * VID).
 */
static int vid_runs(struct vlan_diff *d, bool (*pick)(const struct vlan_diff *d, uint16_t vid),
		    int (*fn)(struct vlan_diff *d, uint16_t lo, uint16_t hi))
{
	unsigned int vid, lo = 0;
	bool in, untagged = false, u;
	int err;

	for (vid = 1; vid <= XBR_VID_MAX + 1; vid++) {
		in = vid <= XBR_VID_MAX && pick(d, vid);
		u = in && xbr_conf_vlan_untagged(d->want, vid);
		if (lo && (!in || u != untagged || vid == d->want->pvid ||
			   vid - 1 == d->want->pvid)) {
			err = fn(d, lo, vid - 1);
			if (err)
				return err;
			lo = 0;
		}
		if (in && !lo) {
			lo = vid;
			untagged = u;
		}
	}
	return 0;
}

/* To drop: members the port should not have; and its old pvid when no
 * pvid is wanted but the VLAN is (only a del clears a pvid). */
static bool vid_to_drop(const struct vlan_diff *d, uint16_t vid)
{
	if (!xbr_conf_vlan_member(&d->have, vid))
		return false;
	return !xbr_conf_vlan_member(d->want, vid) ||
	       (!d->want->pvid && d->have.pvid == vid);
}

/* To add: members it lacks or holds with the other untagged flag; the
 * wanted pvid if it is not the pvid yet. */
static bool vid_to_add(const struct vlan_diff *d, uint16_t vid)
{
	if (!xbr_conf_vlan_member(d->want, vid))
		return false;
	return !xbr_conf_vlan_member(&d->have, vid) ||
	       xbr_conf_vlan_untagged(&d->have, vid) != xbr_conf_vlan_untagged(d->want, vid) ||
	       (vid == d->want->pvid && d->have.pvid != vid);
}

static int vlan_drop(struct vlan_diff *d, uint16_t lo, uint16_t hi)
{
	unsigned int vid;

	for (vid = lo; vid <= hi; vid++)
		d->have.member[vid / 8] &= ~(1 << (vid % 8));
	if (d->have.pvid >= lo && d->have.pvid <= hi)
		d->have.pvid = 0;
	return xbr_vlan_del(d->br, d->dev, lo, hi);
}

static int vlan_add(struct vlan_diff *d, uint16_t lo, uint16_t hi)
{
	bool pvid = lo == hi && lo == d->want->pvid;

	return xbr_vlan_add(d->br, d->dev, lo, hi, pvid, xbr_conf_vlan_untagged(d->want, lo));
}

static int apply_port_vlans(struct xbr_bridge *br, const struct xbr_conf_port *w,
			    const struct xbr_conf_port *h)
{
	struct vlan_diff d = { .br = br, .dev = w->name, .want = &w->vlans, .have = h->vlans };
	int err;

	err = vid_runs(&d, vid_to_drop, vlan_drop);
	return err ? err : vid_runs(&d, vid_to_add, vlan_add);
}

/* ---- making and changing what the file names ---------------------------- */

static int apply_fdb(struct xbr_bridge *br, const struct xbr_conf_bridge *w,
		     const struct xbr_conf_bridge *h)
{
	const struct xbr_conf_fdb *e, *f;
	unsigned int i, j;
	int err;

	for (i = 0; h && i < h->nr_fdb; i++) {
		e = &h->fdb[i];
		for (j = 0; j < w->nr_fdb; j++) {
			f = &w->fdb[j];
			if (!memcmp(e->mac, f->mac, 6) && e->vlan == f->vlan)
				break;
		}
		if (j == w->nr_fdb && (err = xbr_fdb_del(br, e->mac, e->vlan)))
			return err;
	}
	for (i = 0; i < w->nr_fdb; i++) {
		e = &w->fdb[i];
		for (j = 0; h && j < h->nr_fdb; j++) {
			f = &h->fdb[j];
			if (!memcmp(e->mac, f->mac, 6) && e->vlan == f->vlan &&
			    !strcmp(e->dev, f->dev))
				break;
		}
		if ((!h || j == h->nr_fdb) && (err = xbr_fdb_add(br, e->mac, e->vlan, e->dev, true)))
			return err;
	}
	return 0;
}

static int apply_auto(struct xbr_bridge *br, const struct xbr_conf_bridge *w,
		      const struct xbr_conf_bridge *h)
{
	unsigned int i, j;
	int err;

	for (i = 0; h && i < h->nr_auto_ports; i++) {
		for (j = 0; j < w->nr_auto_ports && strcmp(w->auto_ports[j], h->auto_ports[i]); j++)
			;
		if (j == w->nr_auto_ports && (err = xbr_port_auto_del(br, h->auto_ports[i])))
			return err;
	}
	for (i = 0; i < w->nr_auto_ports; i++)
		if ((err = xbr_port_auto_add(br, w->auto_ports[i])))
			return err;
	return 0;
}

/*
 * A port the file names that runs as a running VM's (transient) port of
 * this bridge becomes configuration: kept if its mode is the file's, else
 * taken out to be added again. 1 if kept, 0 if it is to be added, -errno.
 */
static int apply_adopt(struct xbr_bridge *br, const struct xbr_conf_port *wp)
{
	struct xbr_port_opts opts;
	struct xbr_port port;
	uint32_t ifindex;

	if (xbr_port_find(br, wp->name, &ifindex, &port) || !(port.flags & XBR_PORT_F_TRANSIENT))
		return 0;
	if (port.mode != wp->opts.mode)
		return xbr_port_del(br, wp->name);
	xbr_port_opts_init(&opts);
	opts.transient = 0;
	if (xbr_port_set(br, wp->name, &opts))
		return -EIO;
	return 1;
}

/* Bridge @w, which exists now: its settings, vports, ports, VLANs, FDB. */
static int apply_bridge(const struct xbr_conf_bridge *w)
{
	const struct xbr_conf_port *wp, *hp;
	struct xbr_conf_bridge *h;
	struct xbr_conf have;
	struct xbr_bridge br;
	unsigned int i;
	int err;

	err = xbr_bridge_open(w->name, &br);
	if (err)
		return err;
	err = xbr_conf_read(&have, w->name);
	if (err)
		goto out;
	h = &have.bridges[0];
	if (w->ageing_s != h->ageing_s && (err = xbr_bridge_set_ageing(&br, w->ageing_s)))
		goto out_conf;
	if (w->fdb_max_learned != h->fdb_max_learned &&
	    (err = xbr_bridge_set_fdb_max_learned(&br, w->fdb_max_learned)))
		goto out_conf;
	for (i = 0; i < w->nr_vports; i++)
		if (!vport_in(h, w->vports[i].name) &&
		    (err = xbr_vport_add(&br, w->vports[i].name, &w->vports[i].opts)))
			goto out_conf;
	for (i = 0; i < w->nr_ports; i++) {
		wp = &w->ports[i];
		if (wp->origin != XBR_CONF_PORT_ADDED || xbr_conf_port(h, wp->name))
			continue;
		err = apply_adopt(&br, wp);
		if (err < 0)
			goto out_conf;
		if (!err && (err = xbr_port_add(&br, wp->name, &wp->opts)))
			goto out_conf;
		err = 0;
	}
	/* What the adds made, with their defaults: the base of the changes. */
	xbr_conf_free(&have);
	err = xbr_conf_read(&have, w->name);
	if (err)
		goto out;
	h = &have.bridges[0];
	for (i = 0; i < w->nr_ports && !err; i++) {
		wp = &w->ports[i];
		hp = xbr_conf_port(h, wp->name);
		if (!hp) {
			err = xbr_err(-ENOENT, "port %s did not come up in bridge %s", wp->name,
				      w->name);
			break;
		}
		err = apply_port_settings(&br, wp, hp);
		if (!err)
			err = apply_port_vlans(&br, wp, hp);
	}
	/* Last: a vlan add turns filtering on. */
	if (!err) {
		struct xbr_config cfg;

		err = xbr_bridge_config(&br, &cfg);
		if (!err && !!(cfg.flags & XBR_CFG_F_VLAN_FILTERING) != w->vlan_filtering)
			err = xbr_bridge_set_vlan_filtering(&br, w->vlan_filtering);
	}
	if (!err)
		err = apply_fdb(&br, w, h);
	if (!err)
		err = apply_auto(&br, w, h);
out_conf:
	xbr_conf_free(&have);
out:
	xbr_bridge_close(&br);
	return err;
}

int xbr_conf_apply(const struct xbr_conf *want)
{
	const struct xbr_conf_bridge *w;
	struct xbr_conf have;
	unsigned int i;
	int err;

	err = xbr_lock_all();
	if (err)
		return err;
	err = xbr_conf_read(&have, NULL);
	if (err)
		goto out;
	err = apply_check(want, &have);
	if (!err)
		err = apply_remove(want, &have);
	for (i = 0; !err && i < want->nr_bridges; i++) {
		w = &want->bridges[i];
		if (!xbr_conf_bridge(&have, w->name) ||
		    xbr_conf_bridge(&have, w->name)->host_port != w->host_port)
			err = xbr_bridge_add(w->name, w->ageing_s, w->host_port);
		if (!err)
			err = apply_bridge(w);
	}
	xbr_conf_free(&have);
out:
	xbr_unlock_all();
	return err;
}

/* ---- a port whose netdev came back ----------------------------------------- */

struct statics_walk {
	uint32_t ifindex;
	struct xbr_conf_fdb *e;
	unsigned int n, cap;
};

static int statics_cb(const struct xbr_fdb_key *key, const struct xbr_fdb_entry *e, void *arg)
{
	struct statics_walk *w = arg;
	struct xbr_conf_fdb *bigger;

	if (e->ifindex != w->ifindex || !(e->flags & XBR_FDB_F_STATIC) ||
	    (e->flags & XBR_FDB_F_LOCAL))
		return 0;
	if (w->n == w->cap) {
		w->cap = w->cap ? 2 * w->cap : 8;
		bigger = realloc(w->e, w->cap * sizeof(*bigger));
		if (!bigger)
			return -ENOMEM;
		w->e = bigger;
	}
	memcpy(w->e[w->n].mac, key->mac, 6);
	w->e[w->n].vlan = key->vlan;
	w->n++;
	return 0;
}

/*
 * The gone port @dev's netdev is back (a VM restarted on a tap of the same
 * name): add the new one with everything the port had, as if nothing
 * happened: its mode and switches, lock, MACs and addresses, limits and
 * trust, VLANs, static entries. Holds the lock of all bridges throughout
 * (adding a port claims a netdev for one bridge of all).
 */
int xbr_port_rejoin(struct xbr_bridge *br, const char *dev)
{
	struct xbr_conf_port *was, *now;
	struct statics_walk statics = { 0 };
	struct xbr_port port;
	uint32_t ifindex;
	unsigned int i;
	int err;

	was = calloc(2, sizeof(*was));
	if (!was)
		return xbr_err(-ENOMEM, "out of memory");
	now = was + 1;
	err = xbr_lock_all();
	if (err)
		goto out_free;
	err = xbr_port_find(br, dev, &ifindex, &port);
	if (err)
		goto out;
	if (xbr_port_present(ifindex, &port) || !if_nametoindex(dev))
		goto out;	/* nothing gone, or nothing back */
	conf_port_read(br, ifindex, &port, was);
	statics.ifindex = ifindex;
	err = xbr_fdb_foreach(br, statics_cb, &statics);
	if (err < 0)
		goto out;
	/* Replaces the gone port (port_join), which forgets its entries. */
	err = xbr_port_add(br, dev, &was->opts);
	if (!err)
		err = xbr_port_find(br, dev, &ifindex, &port);
	if (err)
		goto out;
	conf_port_read(br, ifindex, &port, now);
	err = apply_port_settings(br, was, now);
	if (!err)
		err = apply_port_vlans(br, was, now);
	for (i = 0; !err && i < statics.n; i++)
		err = xbr_fdb_add(br, statics.e[i].mac, statics.e[i].vlan, dev, true);
	if (!err)
		event_port(br, XBR_EV_PORT_BACK, dev, ifindex);
out:
	xbr_unlock_all();
out_free:
	free(statics.e);
	free(was);
	return err;
}
