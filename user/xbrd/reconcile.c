// SPDX-License-Identifier: GPL-2.0
/*
 * What xbrd does, level-triggered: for every bridge of this network
 * namespace, compare what the bridge holds with the netdevs as they are now,
 * and tell the library what changed. Every step is idempotent and the
 * library checks again under the bridge's lock, so looking twice, or
 * looking after another xbr changed something, does no harm:
 *
 *   the host side's MAC changed     the local entry follows
 *   a port's link went down / up    it gets nothing (stations forgotten) / again
 *   a port's netdev vanished        its stations go, it stays "gone"
 *   a gone port's name is back      the new netdev joins with the old settings
 *   a new netdev matches a rule     it is added (xbr port auto)
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>
#include <net/if.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include "libxbr.h"
#include "xbrd.h"

/* Up: administratively up and with a carrier (a tap: its VM has it open). */
static int link_up(const char *dev)
{
	struct ifreq ifr = { 0 };
	int fd, up;

	fd = socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0);
	if (fd < 0)
		return -1;
	snprintf(ifr.ifr_name, sizeof(ifr.ifr_name), "%s", dev);
	up = ioctl(fd, SIOCGIFFLAGS, &ifr) ? -1 :
	     (ifr.ifr_flags & (IFF_UP | IFF_RUNNING)) == (IFF_UP | IFF_RUNNING);
	close(fd);
	return up;
}

static int port_cb(uint32_t ifindex, const struct xbr_port *port, void *arg)
{
	struct xbr_bridge *br = arg;
	bool present = xbr_port_present(ifindex, port), down;
	int up;

	if (!present) {
		/* Its name may be back on a new netdev: a VM restarted. */
		if (if_nametoindex(port->name)) {
			if (xbr_port_rejoin(br, port->name))
				xbrd_log("%s: port %s is back but cannot rejoin: %s", br->name,
					 port->name, xbr_errmsg());
			else
				xbrd_log("%s: port %s is back: rejoined with its settings",
					 br->name, port->name);
			return 0;
		}
		/* Gone: down for good, which the log says once. */
		if (!(port->flags & XBR_PORT_F_DOWN)) {
			if (xbr_port_set_link(br, port->name, true))
				xbrd_log("%s: port %s is gone: %s", br->name, port->name,
					 xbr_errmsg());
			else
				xbrd_log("%s: port %s is gone: its stations forgotten", br->name,
					 port->name);
		}
		return 0;
	}
	up = link_up(port->name);
	if (up < 0)
		return 0;
	down = !up;
	if (down == !!(port->flags & XBR_PORT_F_DOWN))
		return 0;
	if (xbr_port_set_link(br, port->name, down))
		xbrd_log("%s: port %s: %s", br->name, port->name, xbr_errmsg());
	else
		xbrd_log("%s: port %s is %s", br->name, port->name,
			 down ? "down: nothing is sent to it, its stations forgotten" : "up");
	return 0;
}

/* Netdevs a rule of @br names and no bridge has yet. */
static void auto_add(struct xbr_bridge *br)
{
	struct if_nameindex *ifs = if_nameindex(), *i;
	struct xbr_port_opts opts;
	char owner[IFNAMSIZ];

	if (!ifs)
		return;
	xbr_port_opts_init(&opts);
	opts.transient = 1;	/* a VM's: no configuration */
	for (i = ifs; i->if_index; i++) {
		if (!xbr_port_auto_matches(br, i->if_name) ||
		    xbr_port_owner(i->if_index, owner, sizeof(owner)))
			continue;
		/* The bridge's own host side is no port. */
		if (!strcmp(i->if_name, br->name))
			continue;
		if (xbr_port_add(br, i->if_name, &opts))
			xbrd_log("%s: cannot add %s (it matches a port rule): %s", br->name,
				 i->if_name, xbr_errmsg());
		else
			xbrd_log("%s: added port %s (it matches a port rule)", br->name,
				 i->if_name);
	}
	if_freenameindex(ifs);
}

static int bridge_cb(const char *name, void *arg)
{
	struct xbr_bridge br;

	(void)arg;
	if (xbr_bridge_open(name, &br))
		return 0;
	if (xbr_bridge_host_mac_sync(&br))
		xbrd_log("%s: host port address: %s", name, xbr_errmsg());
	xbr_port_foreach(&br, port_cb, &br);
	auto_add(&br);
	xbr_bridge_close(&br);
	return 0;
}

void reconcile(void)
{
	xbr_bridge_foreach(bridge_cb, NULL);
}
