// SPDX-License-Identifier: GPL-2.0
/*
 * Ports: which programs a netdev carries, what it may receive, and the
 * flood sets. The choices of `mode auto`, measured on this kernel (see
 * DESIGN.md):
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
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <sys/stat.h>
#include <linux/if_link.h>
#include <bpf/bpf.h>
#include <bpf/libbpf.h>
#include <xbr/fdb_ctl.h>
#include "internal.h"

static const char *const mode_names[] = {
	[XBR_MODE_AUTO] = "auto", [XBR_MODE_XDP] = "xdp", [XBR_MODE_TC] = "tc",
};

static const char *const kind_names[] = {
	[XBR_KIND_NIC] = "nic", [XBR_KIND_VETH] = "veth", [XBR_KIND_TAP] = "tap",
	[XBR_KIND_VIRTUAL] = "virtual", [XBR_KIND_LAN] = "lan",
};

static const char *const drop_names[XBR_DROP_MAX] = {
	[XBR_DROP_PARSE] = "parse",
	[XBR_DROP_BAD_SRC] = "bad_src",
	[XBR_DROP_LINK_LOCAL] = "link_local",
	[XBR_DROP_HAIRPIN] = "hairpin",
	[XBR_DROP_MTU] = "mtu",
	[XBR_DROP_REDIRECT] = "redirect",
	[XBR_DROP_NO_PORT] = "no_port",
	[XBR_DROP_VLAN] = "vlan",
	[XBR_DROP_MAC_SPOOF] = "mac_spoof",
	[XBR_DROP_LOCKED] = "locked",
	[XBR_DROP_IP_SPOOF] = "ip_spoof",
	[XBR_DROP_FLOOD_LIMIT] = "flood_limit",
	[XBR_DROP_DHCP_SERVER] = "dhcp_server",
	[XBR_DROP_RA] = "ra",
	[XBR_DROP_L4_HIDDEN] = "l4_hidden",
};

const char *xbr_mode_name(enum xbr_port_mode mode)
{
	return mode <= XBR_MODE_TC ? mode_names[mode] : "?";
}

const char *xbr_kind_name(enum xbr_port_kind kind)
{
	return kind <= XBR_KIND_LAN ? kind_names[kind] : "?";
}

const char *xbr_drop_name(enum xbr_drop_reason reason)
{
	return reason < XBR_DROP_MAX ? drop_names[reason] : "?";
}

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

static void link_pin_path(struct xbr_bridge *br, uint32_t ifindex, char *buf)
{
	xbr_path(buf, "%s/links/xdp_%u", br->dir, ifindex);
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

static int tc_attach(struct xbr_bridge *br, uint32_t ifindex, struct xbr_port *port,
		     bool replace)
{
	LIBBPF_OPTS(bpf_tc_opts, opts, .handle = XBR_TC_HANDLE, .priority = XBR_TC_PRIO,
		    .prog_fd = br->tc_fd, .flags = BPF_TC_F_REPLACE);
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
	struct bpf_tc_hook hook;

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
static int xdp_attach(struct xbr_bridge *br, uint32_t ifindex, const char *dev)
{
	LIBBPF_OPTS(bpf_link_create_opts, opts, .flags = XDP_FLAGS_DRV_MODE);
	char path[PATH_MAX], links[PATH_MAX];
	int fd, err;

	link_pin_path(br, ifindex, path);
	fd = bpf_obj_get(path);
	if (fd >= 0) {
		err = bpf_link_update(fd, br->xdp_fd, NULL);
		close(fd);
		if (err)
			return xbr_err(-errno, "port %s: cannot replace XDP program: %s", dev,
				       strerror(errno));
		return 0;
	}
	xbr_path(links, "%s/links", br->dir);
	if (mkdir(links, 0700) && errno != EEXIST)
		return xbr_err(-errno, "%s: %s", links, strerror(errno));
	fd = bpf_link_create(br->xdp_fd, ifindex, BPF_XDP, &opts);
	if (fd < 0 && errno == ERANGE)
		return xbr_err(-ERANGE, "port %s: its MTU is too large for native XDP (no "
			       "multi-buffer XDP here)", dev);
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

/* The datapath's per-CPU port copies are valid for one generation: every
 * change to the ports map goes through port_write()/port_remove(). */
static int ports_gen_bump(struct xbr_bridge *br)
{
	struct xbr_config cfg;
	struct timespec ts;
	int err;

	err = xbr_bridge_config(br, &cfg);
	if (err)
		return err;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	cfg.ports_gen = (uint64_t)ts.tv_sec * 1000000000ULL + ts.tv_nsec;
	return config_write(br, &cfg);
}

int port_write(struct xbr_bridge *br, uint32_t ifindex, const struct xbr_port *port,
	       uint64_t flags)
{
	if (bpf_map_update_elem(br->ports_fd, &ifindex, port, flags))
		return -errno;
	return ports_gen_bump(br);
}

int port_remove(struct xbr_bridge *br, uint32_t ifindex)
{
	if (bpf_map_delete_elem(br->ports_fd, &ifindex))
		return -errno;
	return ports_gen_bump(br);
}

/* @prog_fd -1: no egress program on the entry. */
static int devmap_set(int map_fd, uint32_t ifindex, int prog_fd)
{
	struct bpf_devmap_val val = { .ifindex = ifindex, .bpf_prog.fd = prog_fd };

	return bpf_map_update_elem(map_fd, &ifindex, &val, BPF_ANY) ? -errno : 0;
}

int port_attach(struct xbr_bridge *br, uint32_t ifindex, struct xbr_port *port, bool replace)
{
	int err;

	err = tc_attach(br, ifindex, port, replace);
	if (err)
		return err;
	if (port->flags & XBR_PORT_F_XDP) {
		err = xdp_attach(br, ifindex, port->name);
		if (err)
			return err;
	}
	if (port->flags & XBR_PORT_F_XDP_TARGET) {
		/* Unicast is counted at ingress: no egress program here. */
		err = devmap_set(br->tx_ports_fd, ifindex, -1);
		if (err)
			return xbr_err(err, "port %s: cannot take XDP redirects: %s", port->name,
				       strerror(-err));
	}
	return 0;
}

static void port_detach(struct xbr_bridge *br, uint32_t ifindex, const struct xbr_port *port)
{
	xdp_detach(br, ifindex);
	tc_detach(ifindex, port);
	bpf_map_delete_elem(br->tx_ports_fd, &ifindex);
	bpf_map_delete_elem(br->flood_ports_fd, &ifindex);
}

bool xbr_port_present(uint32_t ifindex, const struct xbr_port *port)
{
	char name[IFNAMSIZ];

	return if_indextoname(ifindex, name) && !strcmp(name, port->name);
}

struct port_entry {
	uint32_t ifindex;
	struct xbr_port port;
};

static int port_entry_cmp(const void *a, const void *b)
{
	const struct port_entry *pa = a, *pb = b;

	return (int)pa->port.id - (int)pb->port.id;
}

static int port_load_all(struct xbr_bridge *br, struct port_entry *ents)
{
	uint32_t key, next, *prev = NULL;
	int n = 0;

	while (n < XBR_MAX_PORTS && !bpf_map_get_next_key(br->ports_fd, prev, &next)) {
		key = next;
		prev = &key;
		if (bpf_map_lookup_elem(br->ports_fd, &key, &ents[n].port))
			continue;
		ents[n++].ifindex = key;
	}
	qsort(ents, n, sizeof(ents[0]), port_entry_cmp);
	return n;
}

int xbr_port_foreach(struct xbr_bridge *br,
		     int (*fn)(uint32_t ifindex, const struct xbr_port *port, void *arg),
		     void *arg)
{
	struct port_entry *ents = calloc(XBR_MAX_PORTS, sizeof(*ents));
	int i, n, ret = 0;

	if (!ents)
		return -ENOMEM;
	n = port_load_all(br, ents);
	for (i = 0; i < n && !ret; i++)
		ret = fn(ents[i].ifindex, &ents[i].port, arg);
	free(ents);
	return ret;
}

struct find_ctx {
	const char *dev;
	uint32_t ifindex;
	struct xbr_port port;
	bool found;
};

static int find_cb(uint32_t ifindex, const struct xbr_port *port, void *arg)
{
	struct find_ctx *ctx = arg;

	if (strcmp(port->name, ctx->dev))
		return 0;
	/* A present netdev of that name wins over a gone port of the same name. */
	if (ctx->found && !xbr_port_present(ifindex, port))
		return 0;
	ctx->ifindex = ifindex;
	ctx->port = *port;
	ctx->found = true;
	return 0;
}

int xbr_port_find(struct xbr_bridge *br, const char *dev, uint32_t *ifindex,
		  struct xbr_port *port)
{
	struct find_ctx ctx = { .dev = dev };

	xbr_port_foreach(br, find_cb, &ctx);
	if (!ctx.found)
		return xbr_err(-ENOENT, "port %s is not in bridge %s", dev, br->name);
	*ifindex = ctx.ifindex;
	if (port)
		*port = ctx.port;
	return 0;
}

struct owner_ctx {
	uint32_t ifindex;
	char *bridge;
	size_t len;
};

static int owner_cb(const char *name, void *arg)
{
	struct owner_ctx *ctx = arg;
	struct xbr_port port;
	struct xbr_bridge br;
	int found;

	if (xbr_bridge_open(name, &br))
		return 0;
	found = !bpf_map_lookup_elem(br.ports_fd, &ctx->ifindex, &port);
	xbr_bridge_close(&br);
	if (found)
		snprintf(ctx->bridge, ctx->len, "%s", name);
	return found;
}

int xbr_port_owner(uint32_t ifindex, char *bridge, size_t len)
{
	struct owner_ctx ctx = { .ifindex = ifindex, .bridge = bridge, .len = len };

	return xbr_bridge_foreach(owner_cb, &ctx);
}

static int stats_clear(struct xbr_bridge *br, uint32_t id)
{
	int ncpus = libbpf_num_possible_cpus();
	struct xbr_port_stats *zero;
	int err = 0;

	if (ncpus < 0)
		return ncpus;
	zero = calloc(ncpus, sizeof(*zero));
	if (!zero)
		return -ENOMEM;
	if (bpf_map_update_elem(br->stats_fd, &id, zero, BPF_ANY))
		err = -errno;
	free(zero);
	return err;
}

int xbr_port_rt(struct xbr_bridge *br, const struct xbr_port *port, struct xbr_port_rt *rt)
{
	uint32_t id = port->id;

	if (bpf_map_lookup_elem(br->port_rt_fd, &id, rt))
		return xbr_err(-errno, "port %s: cannot read its state: %s", port->name,
			       strerror(errno));
	return 0;
}

int xbr_port_stats(struct xbr_bridge *br, const struct xbr_port *port,
		   struct xbr_port_stats *sum)
{
	uint32_t id = port->id;
	int err;

	err = percpu_sum(br->stats_fd, &id, sum, sizeof(*sum));
	if (err)
		return xbr_err(err, "port %s: cannot read counters: %s", port->name,
			       strerror(-err));
	return 0;
}

int flood_sync(struct xbr_bridge *br)
{
	struct port_entry *ents = calloc(XBR_MAX_PORTS, sizeof(*ents));
	uint32_t nr = 0, i, zero = 0;
	struct xbr_config cfg;
	bool xdp_flood = true;
	int n, k, err;

	if (!ents)
		return -ENOMEM;
	n = port_load_all(br, ents);
	for (k = 0; k < n; k++) {
		uint32_t ifindex = ents[k].ifindex, flags = ents[k].port.flags;
		bool floods = (flags & XBR_PORT_F_FLOOD) && xbr_port_present(ifindex, &ents[k].port);

		if (floods && nr < XBR_MAX_FLOOD)
			bpf_map_update_elem(br->flood_list_fd, &nr, &ifindex, BPF_ANY), nr++;
		if (floods && (flags & XBR_PORT_F_XDP_TARGET))
			devmap_set(br->flood_ports_fd, ifindex, br->egress_fd);
		else
			bpf_map_delete_elem(br->flood_ports_fd, &ifindex);
		if (floods && !(flags & XBR_PORT_F_XDP_TARGET))
			xdp_flood = false;
	}
	for (i = nr; i < XBR_MAX_FLOOD; i++)
		bpf_map_update_elem(br->flood_list_fd, &i, &zero, BPF_ANY);
	free(ents);

	err = xbr_bridge_config(br, &cfg);
	if (err)
		return err;
	cfg.nr_flood = nr;
	if (xdp_flood && nr)
		cfg.flags |= XBR_CFG_F_XDP_FLOOD;
	else
		cfg.flags &= ~XBR_CFG_F_XDP_FLOOD;
	if (bpf_map_update_elem(br->config_fd, &zero, &cfg, BPF_ANY))
		return xbr_err(-errno, "bridge %s: cannot write config", br->name);
	return 0;
}

static int port_id_alloc(struct xbr_bridge *br, uint32_t *id)
{
	struct port_entry *ents = calloc(XBR_MAX_PORTS, sizeof(*ents));
	bool used[XBR_MAX_PORTS] = {};
	int n, k;

	if (!ents)
		return -ENOMEM;
	n = port_load_all(br, ents);
	for (k = 0; k < n; k++)
		if (ents[k].port.id < XBR_MAX_PORTS)
			used[ents[k].port.id] = true;
	free(ents);
	for (k = 0; k < XBR_MAX_PORTS; k++) {
		if (!used[k]) {
			*id = k;
			return 0;
		}
	}
	return xbr_err(-ENOSPC, "bridge %s has %d ports already", br->name, XBR_MAX_PORTS);
}

int port_add_flags(struct xbr_bridge *br, const char *dev, const struct xbr_port_opts *opts,
		   uint32_t extra_flags)
{
	struct xbr_port port = { .mode = opts->mode, .pvid = XBR_VID_DEFAULT }, old;
	uint32_t ifindex, old_ifindex;
	struct xbr_config cfg;
	enum xbr_port_kind kind;
	char owner[IFNAMSIZ];
	int err;

	ifindex = if_nametoindex(dev);
	if (!ifindex)
		return xbr_err(-ENODEV, "no such device: %s", dev);
	/* The host side of the host port is the bridge's own end: as a port
	 * it would loop every flood back into the bridge. */
	if (!xbr_bridge_config(br, &cfg) && cfg.host_ifindex && !strcmp(dev, br->name))
		return xbr_err(-EINVAL, "port %s is the host side of bridge %s's host port",
			       dev, br->name);
	if (xbr_port_owner(ifindex, owner, sizeof(owner)))
		return xbr_err(-EEXIST, "port %s is already in bridge %s", dev, owner);
	/* A VM restarted: its old tap is gone, the new one has its name. The
	 * hook that added the old one adds this one: replace, don't refuse. */
	if (!xbr_port_find(br, dev, &old_ifindex, &old) && !xbr_port_present(old_ifindex, &old)) {
		err = xbr_port_del(br, dev);
		if (err)
			return err;
	}
	err = xbr_netdev_kind(dev, &kind);
	if (err)
		return xbr_err(err, "port %s: cannot query its driver: %s", dev, strerror(-err));

	snprintf(port.name, sizeof(port.name), "%s", dev);
	port.kind = kind;
	port.flags = port_plan(kind, opts->mode) | extra_flags;
	port.learn_limit = xbr_kind_learn_limit(kind);
	port.flags |= xbr_kind_trust(kind);
	if (opts->learning != 0)
		port.flags |= XBR_PORT_F_LEARNING;
	if (opts->flood != 0)
		port.flags |= XBR_PORT_F_FLOOD;
	err = port_id_alloc(br, &port.id);
	if (err)
		return err;
	err = stats_clear(br, port.id);
	if (!err)
		err = vlan_port_init(br, ifindex);
	if (!err)
		err = port_write(br, ifindex, &port, BPF_NOEXIST);
	if (err)
		return xbr_err(err, "port %s: cannot add to bridge %s: %s", dev, br->name,
			       strerror(-err));

	err = port_attach(br, ifindex, &port, false);
	if (err && (port.flags & (XBR_PORT_F_XDP | XBR_PORT_F_XDP_TARGET)) && err != -ENODEV) {
		/* The driver cannot do native XDP here: the tc path still can. */
		xbr_warn("%s; port %s falls back to tc", xbr_errmsg(), dev);
		port_detach(br, ifindex, &port);
		port.flags &= ~(XBR_PORT_F_XDP | XBR_PORT_F_XDP_TARGET | XBR_PORT_F_OWN_CLSACT);
		port_write(br, ifindex, &port, BPF_EXIST);
		err = port_attach(br, ifindex, &port, false);
	}
	/* Record what attaching learned (who owns the qdisc). */
	if (!err && (err = port_write(br, ifindex, &port, BPF_EXIST)))
		xbr_err(err, "port %s: cannot update: %s", dev, strerror(-err));
	if (!err)
		err = flood_sync(br);
	if (err) {
		port_detach(br, ifindex, &port);
		port_remove(br, ifindex);
		vlan_port_forget(br, ifindex);
		flood_sync(br);
		return err;
	}
	return 0;
}

int xbr_port_add(struct xbr_bridge *br, const char *dev, const struct xbr_port_opts *opts)
{
	return port_add_flags(br, dev, opts, 0);
}

int xbr_port_set(struct xbr_bridge *br, const char *dev, const struct xbr_port_opts *opts)
{
	struct xbr_port port;
	uint32_t ifindex;
	int err;

	err = xbr_port_find(br, dev, &ifindex, &port);
	if (err)
		return err;
	if (opts->learning >= 0)
		port.flags = opts->learning ? port.flags | XBR_PORT_F_LEARNING
					    : port.flags & ~XBR_PORT_F_LEARNING;
	if (opts->flood >= 0)
		port.flags = opts->flood ? port.flags | XBR_PORT_F_FLOOD
					 : port.flags & ~XBR_PORT_F_FLOOD;
	err = port_write(br, ifindex, &port, BPF_EXIST);
	if (err)
		return xbr_err(err, "port %s: cannot update: %s", dev, strerror(-err));
	return flood_sync(br);
}

int xbr_port_del(struct xbr_bridge *br, const char *dev)
{
	struct xbr_port port;
	uint32_t ifindex;
	int err;

	err = xbr_port_find(br, dev, &ifindex, &port);
	if (err)
		return err;
	/* Out of the flood sets first, so no flood targets a half-gone port. */
	port_remove(br, ifindex);
	flood_sync(br);
	port_detach(br, ifindex, &port);
	fdb_remove(br, ifindex, XBR_FLUSH_LEARNED | XBR_FLUSH_STATIC | XBR_FLUSH_LOCAL, NULL, 0);
	vlan_port_forget(br, ifindex);
	sec_port_forget(br, ifindex, &port);
	stats_clear(br, port.id);
	return 0;
}
