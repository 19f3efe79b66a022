// SPDX-License-Identifier: GPL-2.0
/*
 * Ports joining and leaving the bridge, and their switches. The choices of
 * `mode auto`, measured on this kernel (docs/FACTS.md):
 *
 *   kind  XDP ingress         XDP target  why
 *   nic   yes, trusted csum   yes         frames from a wire are complete
 *   tap   yes, untrusted csum yes         guests may hand over NEEDS_CSUM
 *                                         frames: XDP forwards those only
 *                                         after tc; tap xmits XDP natively
 *   veth  no                  no          XDP on a veth turns TSO off on its
 *                                         peer and loses CHECKSUM_PARTIAL;
 *                                         a redirect into one needs NAPI on a
 *                                         peer we do not own
 *   virtual no                no          macvlan, GRE, ...: their frames
 *   lan                                   come from a stack with its offloads,
 *                                         and most cannot take XDP redirects
 *                                         (lan: bonds, teams, VXLAN, Geneve)
 *
 * `mode xdp` is the operator's word that the port's senders give complete
 * checksums and that a veth peer runs NAPI; `mode tc` puts skbs first.
 *
 * A port joins by being attached, then committed (the commit gives it an
 * id and puts it in the flood sets); it leaves by being committed out of
 * the ports map and the flood sets first, then detached and forgotten.
 */
#include <errno.h>
#include <stddef.h>
#include <stdio.h>
#include <string.h>
#include "internal.h"

/*
 * The on/off switches of a port: the option that sets it, the flag it
 * sets, and whether a new port has it unless told otherwise. A new switch
 * is a line here, a member of struct xbr_port_opts and a keyword in the CLI.
 */
static const struct {
	size_t opt;
	uint32_t flag;
	bool on_by_default;
} port_switches[] = {
	{ offsetof(struct xbr_port_opts, learning), XBR_PORT_F_LEARNING, true },
	{ offsetof(struct xbr_port_opts, flood), XBR_PORT_F_FLOOD, true },
	{ offsetof(struct xbr_port_opts, transient), XBR_PORT_F_TRANSIENT, false },
};

#define NR_SWITCHES (sizeof(port_switches) / sizeof(port_switches[0]))

static int switch_opt(const struct xbr_port_opts *opts, size_t i)
{
	return *(const int *)((const char *)opts + port_switches[i].opt);
}

void xbr_port_opts_init(struct xbr_port_opts *opts)
{
	size_t i;

	memset(opts, 0, sizeof(*opts));
	opts->mode = XBR_MODE_AUTO;
	for (i = 0; i < NR_SWITCHES; i++)
		*(int *)((char *)opts + port_switches[i].opt) = -1;
}

bool xbr_port_opts_given(const struct xbr_port_opts *opts)
{
	size_t i;

	for (i = 0; i < NR_SWITCHES; i++)
		if (switch_opt(opts, i) >= 0)
			return true;
	return false;
}

/* @joining: a switch left as is takes its default. */
static void port_switches_apply(struct xbr_port *port, const struct xbr_port_opts *opts,
				bool joining)
{
	size_t i;

	for (i = 0; i < NR_SWITCHES; i++) {
		int v = switch_opt(opts, i);

		if (v < 0 && joining)
			v = port_switches[i].on_by_default;
		if (v > 0)
			port->flags |= port_switches[i].flag;
		else if (v == 0)
			port->flags &= ~port_switches[i].flag;
	}
}

/* Uplinks have a LAN behind them: many stations, its DHCP servers and
 * routers among them. */
static bool kind_is_uplink(enum xbr_port_kind kind)
{
	return kind == XBR_KIND_NIC || kind == XBR_KIND_LAN;
}

uint32_t xbr_kind_learn_limit(enum xbr_port_kind kind)
{
	return kind_is_uplink(kind) ? 0 : XBR_LEARN_LIMIT_VM;
}

uint32_t xbr_kind_trust(enum xbr_port_kind kind)
{
	return kind_is_uplink(kind) ? XBR_PORT_F_DHCP_SERVER | XBR_PORT_F_RA : 0;
}

static uint32_t port_plan(enum xbr_port_kind kind, enum xbr_port_mode mode)
{
	switch (mode) {
	case XBR_MODE_XDP:
		return XBR_PORT_F_XDP | XBR_PORT_F_XDP_TARGET | XBR_PORT_F_CSUM_TRUSTED;
	case XBR_MODE_TC:
		return 0;
	case XBR_MODE_AUTO:
		break;
	}
	switch (kind) {
	case XBR_KIND_NIC:
		return XBR_PORT_F_XDP | XBR_PORT_F_XDP_TARGET | XBR_PORT_F_CSUM_TRUSTED;
	case XBR_KIND_TAP:
		return XBR_PORT_F_XDP | XBR_PORT_F_XDP_TARGET;
	case XBR_KIND_VETH:
	case XBR_KIND_VIRTUAL:
	case XBR_KIND_LAN:
		break;
	}
	return 0;
}

/* Attach with the bridge's programs; a driver that cannot do native XDP
 * here still has the tc path. */
static int port_attach(struct xbr_bridge *br, uint32_t ifindex, struct xbr_port *port)
{
	const uint32_t xdp = XBR_PORT_F_XDP | XBR_PORT_F_XDP_TARGET;
	int err;

	err = attach_port(br, ifindex, port, br->xdp_fd, br->tc_fd, false);
	if (err && (port->flags & xdp) && err != -ENODEV) {
		xbr_warn("%s; port %s falls back to tc", xbr_errmsg(), port->name);
		detach_port(br, ifindex, port);
		port->flags &= ~(xdp | XBR_PORT_F_OWN_CLSACT);
		err = attach_port(br, ifindex, port, br->xdp_fd, br->tc_fd, false);
	}
	if (err)
		detach_port(br, ifindex, port);
	return err;
}

int port_leave(struct xbr_state *st, struct port_slot *slot)
{
	struct xbr_bridge *br = state_bridge(st);
	uint32_t ifindex = slot->ifindex;
	struct xbr_port port = slot->port;
	int err;

	/* Out of the ports map and the flood sets first, so no frame is sent
	 * to a half-gone port. */
	state_port_leave(st, slot);
	err = state_commit(st);
	detach_port(br, ifindex, &port);
	fdb_port_forget(br, ifindex);
	vlan_port_forget(br, ifindex);
	sec_port_forget(br, ifindex);
	return err;
}

int port_join(struct xbr_state *st, const char *dev, const struct xbr_port_opts *opts,
	      uint32_t extra_flags)
{
	struct xbr_port port = { .mode = opts->mode, .pvid = XBR_VID_DEFAULT };
	struct xbr_bridge *br = state_bridge(st);
	struct port_slot *slot;
	enum xbr_port_kind kind;
	char owner[IFNAMSIZ];
	uint32_t ifindex;
	int err;

	ifindex = if_nametoindex(dev);
	if (!ifindex)
		return xbr_err(-ENODEV, "no such device: %s", dev);
	/* The host side of the host port is the bridge's own end: as a port
	 * it would loop every flood back into the bridge. */
	if (state_config(st)->host_ifindex && !strcmp(dev, br->name))
		return xbr_err(-EINVAL, "port %s is the host side of bridge %s's host port",
			       dev, br->name);
	if (state_port_at(st, ifindex))
		return xbr_err(-EEXIST, "port %s is already in bridge %s", dev, br->name);
	if (store_port_owner(ifindex, br->name, owner, sizeof(owner)))
		return xbr_err(-EEXIST, "port %s is already in bridge %s", dev, owner);
	/* A VM restarted: its old tap is gone, the new one has its name. The
	 * hook that added the old one adds this one: replace, don't refuse. */
	slot = state_port(st, dev);
	if (slot && !xbr_port_present(slot->ifindex, &slot->port)) {
		err = port_leave(st, slot);
		if (err)
			return err;
	}
	if (state_nr_ports(st) >= XBR_MAX_PORTS)
		return xbr_err(-ENOSPC, "bridge %s has %d ports already", br->name, XBR_MAX_PORTS);
	err = xbr_netdev_kind(dev, &kind);
	if (err)
		return xbr_err(err, "port %s: cannot query its driver: %s", dev, strerror(-err));

	snprintf(port.name, sizeof(port.name), "%s", dev);
	port.kind = kind;
	port.flags = port_plan(kind, opts->mode) | xbr_kind_trust(kind) | extra_flags;
	port.learn_limit = xbr_kind_learn_limit(kind);
	port_switches_apply(&port, opts, true);

	err = vlan_port_init(br, ifindex);
	if (err)
		return xbr_err(err, "port %s: cannot add to bridge %s: %s", dev, br->name,
			       strerror(-err));
	err = port_attach(br, ifindex, &port);
	if (err)
		goto fail;
	err = state_port_join(st, ifindex, &port) ? state_commit(st) : -ENOSPC;
	if (!err)
		return 0;
	/* The commit may have written part of it: take it out again. */
	slot = state_port_at(st, ifindex);
	if (slot) {
		char why[512];

		snprintf(why, sizeof(why), "%s", xbr_errmsg());
		state_port_leave(st, slot);
		state_commit(st);
		xbr_err(err, "%s", why);
	}
	detach_port(br, ifindex, &port);
fail:
	vlan_port_forget(br, ifindex);
	return err;
}

int xbr_port_add(struct xbr_bridge *br, const char *dev, const struct xbr_port_opts *opts)
{
	struct xbr_state *st;
	int err;

	/* A netdev is a port of one bridge at most: claiming it spans them. */
	err = state_begin(br, true, &st);
	if (err)
		return err;
	err = port_join(st, dev, opts, 0);
	state_end(st);
	if (!err)
		event_port(br, XBR_EV_PORT_ADD, dev, if_nametoindex(dev));
	return err;
}

int xbr_port_set_link(struct xbr_bridge *br, const char *dev, bool down)
{
	struct port_slot *slot;
	struct xbr_state *st;
	uint32_t was;
	int err;

	err = state_begin(br, false, &st);
	if (err)
		return err;
	slot = state_port(st, dev);
	if (!slot) {
		err = xbr_err(-ENOENT, "port %s is not in bridge %s", dev, br->name);
		goto out;
	}
	was = slot->port.flags & XBR_PORT_F_DOWN;
	if (!!was == down)
		goto out;
	if (down)
		slot->port.flags |= XBR_PORT_F_DOWN;
	else
		slot->port.flags &= ~XBR_PORT_F_DOWN;
	/* Out of the flood sets and tx_ports before its stations are
	 * forgotten, so no frame is sent there meanwhile. */
	err = state_commit(st);
	if (!err)
		err = attach_tx_port(br, slot->ifindex, &slot->port);
	if (!err && down)
		err = fdb_remove(br, slot->ifindex, XBR_FLUSH_LEARNED, NULL, 0,
				 XBR_EV_DEL_LINK) < 0 ? -EIO : 0;
	if (!err)
		event_port(br, !down ? XBR_EV_PORT_UP :
			   xbr_port_present(slot->ifindex, &slot->port) ? XBR_EV_PORT_DOWN :
			   XBR_EV_PORT_GONE, dev, slot->ifindex);
out:
	state_end(st);
	return err;
}

int xbr_port_set(struct xbr_bridge *br, const char *dev, const struct xbr_port_opts *opts)
{
	struct port_slot *slot;
	struct xbr_state *st;
	int err;

	err = state_begin(br, false, &st);
	if (err)
		return err;
	slot = state_port(st, dev);
	if (!slot) {
		err = xbr_err(-ENOENT, "port %s is not in bridge %s", dev, br->name);
	} else {
		port_switches_apply(&slot->port, opts, false);
		err = state_commit(st);
	}
	state_end(st);
	return err;
}

int xbr_port_del(struct xbr_bridge *br, const char *dev)
{
	struct port_slot *slot;
	struct xbr_state *st;
	uint32_t ifindex = 0;
	int err;

	err = state_begin(br, false, &st);
	if (err)
		return err;
	slot = state_port(st, dev);
	if (!slot) {
		err = xbr_err(-ENOENT, "port %s is not in bridge %s", dev, br->name);
	} else {
		ifindex = slot->ifindex;
		err = port_leave(st, slot);
	}
	state_end(st);
	if (slot && !err)
		event_port(br, XBR_EV_PORT_DEL, dev, ifindex);
	return err;
}
