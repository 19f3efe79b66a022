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
