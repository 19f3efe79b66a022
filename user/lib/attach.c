// SPDX-License-Identifier: GPL-2.0
/*
 * Attachment: what makes a netdev run the bridge. The tc program on its
 * clsact ingress hook, the XDP program through a pinned bpf_link, and its
 * entry in tx_ports (the devmap XDP redirects into). Every attach can also
 * replace a port's programs atomically, which is all a reload needs.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>
#include <linux/if_link.h>
#include <bpf/bpf.h>
#include <bpf/libbpf.h>
#include "internal.h"

static void link_pin_path(struct xbr_bridge *br, uint32_t ifindex, char *buf)
{
	xbr_path(buf, "%s/%s/xdp_%u", br->dir, XBR_LINKS_DIR, ifindex);
}

/* memset, not an initializer: libbpf rejects garbage in the padding. */
static void tc_hook_init(struct bpf_tc_hook *hook, uint32_t ifindex)
{
	memset(hook, 0, sizeof(*hook));
	hook->sz = sizeof(*hook);
	hook->ifindex = ifindex;
	hook->attach_point = BPF_TC_INGRESS;
}

/* Whether @ifindex has a clsact qdisc: a filter query on it says ENOENT
 * for a missing filter, EINVAL for a missing qdisc. */
static bool tc_hook_exists(uint32_t ifindex)
{
	LIBBPF_OPTS(bpf_tc_opts, opts, .handle = XBR_TC_HANDLE, .priority = XBR_TC_PRIO);
	struct bpf_tc_hook hook;

	tc_hook_init(&hook, ifindex);

	return bpf_tc_query(&hook, &opts) != -EINVAL;
}

static int tc_attach(uint32_t ifindex, struct xbr_port *port, int prog_fd, bool replace)
{
	LIBBPF_OPTS(bpf_tc_opts, opts, .handle = XBR_TC_HANDLE, .priority = XBR_TC_PRIO,
		    .prog_fd = prog_fd, .flags = BPF_TC_F_REPLACE);
	const char *dev = port->name;
	struct bpf_tc_hook hook;
	int err = 0;

	tc_hook_init(&hook, ifindex);
	/* A reload finds the qdisc in place; asking again only makes noise. */
	if (!replace && !tc_hook_exists(ifindex)) {
		err = bpf_tc_hook_create(&hook);
		if (!err)
			port->flags |= XBR_PORT_F_OWN_CLSACT;
	}
	if (err && err != -EEXIST)
		return xbr_err(err, "port %s: cannot create clsact qdisc: %s", dev,
			       strerror(-err));
	err = bpf_tc_attach(&hook, &opts);
	if (err)
		return xbr_err(err, "port %s: cannot attach tc program: %s", dev, strerror(-err));
	return 0;
}

static void tc_detach(uint32_t ifindex, const struct xbr_port *port)
{
	LIBBPF_OPTS(bpf_tc_opts, opts, .handle = XBR_TC_HANDLE, .priority = XBR_TC_PRIO);
	char name[IFNAMSIZ];
	struct bpf_tc_hook hook;

	/* A vanished netdev took its qdisc and filters along. */
	if (!if_indextoname(ifindex, name))
		return;
	tc_hook_init(&hook, ifindex);

	bpf_tc_detach(&hook, &opts);
	/* Leave the device as we found it. */
	if (port->flags & XBR_PORT_F_OWN_CLSACT) {
		hook.attach_point = BPF_TC_INGRESS | BPF_TC_EGRESS;
		bpf_tc_hook_destroy(&hook);
	}
}

/* XDP goes through a pinned bpf_link: it outlives the CLI, a reload swaps
 * its program atomically, and nobody else can replace it by accident. */
static int xdp_attach(struct xbr_bridge *br, uint32_t ifindex, const char *dev, int prog_fd)
{
	LIBBPF_OPTS(bpf_link_create_opts, opts, .flags = XDP_FLAGS_DRV_MODE);
	char path[PATH_MAX], links[PATH_MAX];
	int fd, err;

	link_pin_path(br, ifindex, path);
	fd = bpf_obj_get(path);
	if (fd >= 0) {
		err = bpf_link_update(fd, prog_fd, NULL);
		close(fd);
		if (err)
			return xbr_err(-errno, "port %s: cannot replace XDP program: %s", dev,
				       strerror(errno));
		return 0;
	}
	xbr_path(links, "%s/%s", br->dir, XBR_LINKS_DIR);
	err = pins_mkdir(links);
	if (err)
		return xbr_err(err, "%s: %s", links, strerror(-err));
	fd = bpf_link_create(prog_fd, ifindex, BPF_XDP, &opts);
	if (fd < 0 && errno == ERANGE)
		return xbr_err(-ERANGE, "port %s: its MTU is too large for native XDP on "
			       "its driver (no multi-buffer XDP)", dev);
	if (fd < 0)
		return xbr_err(-errno, "port %s: native XDP unavailable: %s", dev,
			       strerror(errno));
	err = bpf_obj_pin(fd, path) ? -errno : 0;
	if (err) {
		bpf_link_detach(fd);
		xbr_err(err, "port %s: cannot pin XDP link: %s", dev, strerror(-err));
	}
	close(fd);
	return err;
}

static void xdp_detach(struct xbr_bridge *br, uint32_t ifindex)
{
	char path[PATH_MAX];
	int fd;

	link_pin_path(br, ifindex, path);
	fd = bpf_obj_get(path);
	if (fd >= 0) {
		bpf_link_detach(fd);
		close(fd);
	}
	unlink(path);
}

int devmap_set(int map_fd, uint32_t ifindex, int prog_fd)
{
	struct bpf_devmap_val val = { .ifindex = ifindex, .bpf_prog.fd = prog_fd };

	return bpf_map_update_elem(map_fd, &ifindex, &val, BPF_ANY) ? -errno : 0;
}

/* The port's netdev in port_devs, which the kernel empties of netdevs that
 * go. A bridge made before the map has none until its reload makes it. */
static int attach_port_dev(struct xbr_bridge *br, uint32_t ifindex, const struct xbr_port *port)
{
	int fd = pin_get(br->dir, XBR_MAP_PORT_DEVS), err;

	if (fd < 0)
		return 0;
	err = devmap_set(fd, ifindex, -1);
	close(fd);
	if (err)
		return xbr_err(err, "port %s: cannot enter it in port_devs: %s", port->name,
			       strerror(-err));
	return 0;
}

static void detach_port_dev(struct xbr_bridge *br, uint32_t ifindex)
{
	int fd = pin_get(br->dir, XBR_MAP_PORT_DEVS);

	if (fd < 0)
		return;
	bpf_map_delete_elem(fd, &ifindex);
	close(fd);
}

int attach_port(struct xbr_bridge *br, uint32_t ifindex, struct xbr_port *port, int xdp_fd,
		int tc_fd, bool replace)
{
	int err;

	err = attach_port_dev(br, ifindex, port);
	if (err)
		return err;
	err = tc_attach(ifindex, port, tc_fd, replace);
	if (err)
		return err;
	if (port->flags & XBR_PORT_F_XDP) {
		err = xdp_attach(br, ifindex, port->name, xdp_fd);
		if (err)
			return err;
	}
	return attach_tx_port(br, ifindex, port);
}

/* A port takes XDP redirects while it can and its link is up; unicast is
 * counted at ingress: no egress program on the entry. */
int attach_tx_port(struct xbr_bridge *br, uint32_t ifindex, const struct xbr_port *port)
{
	int err;

	if (!(port->flags & XBR_PORT_F_XDP_TARGET) || (port->flags & XBR_PORT_F_DOWN)) {
		if (bpf_map_delete_elem(br->tx_ports_fd, &ifindex) && errno != ENOENT)
			return xbr_err(-errno, "port %s: cannot stop XDP redirects: %s",
				       port->name, strerror(errno));
		return 0;
	}
	err = devmap_set(br->tx_ports_fd, ifindex, -1);
	if (err)
		return xbr_err(err, "port %s: cannot take XDP redirects: %s", port->name,
			       strerror(-err));
	return 0;
}

void detach_port(struct xbr_bridge *br, uint32_t ifindex, const struct xbr_port *port)
{
	xdp_detach(br, ifindex);
	tc_detach(ifindex, port);
	bpf_map_delete_elem(br->tx_ports_fd, &ifindex);
	detach_port_dev(br, ifindex);
}
