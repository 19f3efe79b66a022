// SPDX-License-Identifier: GPL-2.0
/*
 * The host port: a veth pair whose host side is named like the bridge and
 * takes the addresses br0 used to hold; its peer NAME-hp is the port. The
 * host's stack sends with checksum offload, so its frames enter through tc;
 * GRO on the host side lets XDP ports redirect into it.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include "internal.h"

int host_port_peer_name(const char *name, char *peer, size_t len)
{
	if (strlen(name) + 3 > XBR_NAME_MAX)
		return xbr_err(-ENAMETOOLONG,
			       "bridge %s: name too long for a host port (max %d characters)",
			       name, XBR_NAME_MAX - 3);
	snprintf(peer, len, "%s-hp", name);
	return 0;
}

int host_port_add(struct xbr_state *st)
{
	struct xbr_bridge *br = state_bridge(st);
	struct xbr_port_opts opts;
	char peer[IFNAMSIZ];
	uint32_t extra, ifindex;
	uint8_t mac[6];
	int err;

	xbr_port_opts_init(&opts);
	opts.mode = XBR_MODE_TC;
	err = host_port_peer_name(br->name, peer, sizeof(peer));
	if (err)
		return err;
	if (if_nametoindex(br->name))
		return xbr_err(-EEXIST, "bridge %s: a netdev named %s exists already",
			       br->name, br->name);
	err = xbr_netdev_veth_add(br->name, peer, 0);
	if (err)
		return xbr_err(err, "bridge %s: cannot create host port %s/%s: %s", br->name,
			       br->name, peer, strerror(-err));
	err = xbr_netdev_up(peer);
	if (!err)
		err = xbr_netdev_up(br->name);
	if (err) {
		xbr_err(err, "bridge %s: cannot bring host port up: %s", br->name, strerror(-err));
		goto fail;
	}
	/* The host may run the network's DHCP server or router. */
	extra = XBR_PORT_F_HOST | XBR_PORT_F_DHCP_SERVER | XBR_PORT_F_RA;
	if (!xbr_netdev_gro(br->name, true))
		extra |= XBR_PORT_F_XDP_TARGET;
	err = port_join(st, peer, &opts, extra);
	if (err)
		goto fail;
	/* The host's own address is a local entry: never learned elsewhere. */
	ifindex = if_nametoindex(peer);
	err = xbr_netdev_mac(br->name, mac);
	if (!err)
		err = fdb_write(st, mac, 0, ifindex, XBR_FDB_F_LOCAL);
	if (err)
		goto fail;
	state_config(st)->host_ifindex = ifindex;
	err = state_commit(st);
	if (err)
		goto fail;
	return 0;
fail:
	xbr_netdev_del(br->name);	/* its peer, the port, goes along */
	return err;
}

struct local_walk {
	uint32_t ifindex;
	struct xbr_fdb_key key;
	bool found;
};

static int local_cb(const struct xbr_fdb_key *key, const struct xbr_fdb_entry *e, void *arg)
{
	struct local_walk *w = arg;

	if (!(e->flags & XBR_FDB_F_LOCAL) || e->ifindex != w->ifindex)
		return 0;
	w->key = *key;
	w->found = true;
	return 1;
}

/*
 * The host's own address is the host side's MAC: when someone changes it
 * (`ip link set br0 address ...`), the local entry follows, or frames for
 * the host would flood and the new address could be learned elsewhere.
 */
int xbr_bridge_host_mac_sync(struct xbr_bridge *br)
{
	struct local_walk w = { 0 };
	struct xbr_state *st;
	uint8_t mac[6];
	int err;

	err = state_begin(br, false, &st);
	if (err)
		return err;
	w.ifindex = state_config(st)->host_ifindex;
	if (!w.ifindex)
		goto out;	/* no host port */
	err = xbr_netdev_mac(br->name, mac);
	if (err) {
		err = xbr_err(err, "bridge %s: cannot read %s's address: %s", br->name, br->name,
			      strerror(-err));
		goto out;
	}
	err = xbr_fdb_foreach(br, local_cb, &w);
	if (err < 0 || (w.found && !memcmp(w.key.mac, mac, 6))) {
		err = err < 0 ? err : 0;
		goto out;
	}
	if (w.found) {
		err = fdb_remove(br, w.ifindex, XBR_FLUSH_KEY | XBR_FLUSH_LOCAL, w.key.mac,
				 w.key.vlan, XBR_EV_DEL_HOST_MAC);
		if (err < 0)
			goto out;
	}
	err = fdb_write(st, mac, 0, w.ifindex, XBR_FDB_F_LOCAL);
out:
	state_end(st);
	return err;
}
