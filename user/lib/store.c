// SPDX-License-Identifier: GPL-2.0
/*
 * The store: a bridge's pinned maps and programs, opened by name into a
 * struct xbr_bridge, and the reads every layer shares (config, the ports
 * map, counters). Readers use it without a lock; writers go through
 * state.c, which holds the bridge's lock.
 */
#include <errno.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/stat.h>
#include <bpf/bpf.h>
#include "internal.h"

/* Every pin a bridge must have, relative to its directory, and where its
 * fd goes. A new map is one line here and one fd in struct xbr_bridge. */
static const struct {
	const char *pin;
	size_t fd;
} bridge_pins[] = {
	{ XBR_MAP_CONFIG, offsetof(struct xbr_bridge, config_fd) },
	{ XBR_MAP_PORTS, offsetof(struct xbr_bridge, ports_fd) },
	{ XBR_MAP_FDB, offsetof(struct xbr_bridge, fdb_fd) },
	{ XBR_MAP_STATS, offsetof(struct xbr_bridge, stats_fd) },
	{ XBR_MAP_TX_PORTS, offsetof(struct xbr_bridge, tx_ports_fd) },
	{ XBR_MAP_FLOOD_PORTS, offsetof(struct xbr_bridge, flood_ports_fd) },
	{ XBR_MAP_FLOOD_LIST, offsetof(struct xbr_bridge, flood_list_fd) },
	{ XBR_MAP_VLANS, offsetof(struct xbr_bridge, vlans_fd) },
	{ XBR_MAP_PORT_RT, offsetof(struct xbr_bridge, port_rt_fd) },
	{ XBR_MAP_SEC_MACS, offsetof(struct xbr_bridge, sec_macs_fd) },
	{ XBR_MAP_SEC_IPS, offsetof(struct xbr_bridge, sec_ips_fd) },
	{ XBR_MAP_FDB_GC, offsetof(struct xbr_bridge, fdb_gc_fd) },
	{ XBR_MAP_AUTO_PORTS, offsetof(struct xbr_bridge, auto_ports_fd) },
	{ XBR_PROGS_DIR "/" XBR_PROG_XDP, offsetof(struct xbr_bridge, xdp_fd) },
	{ XBR_PROGS_DIR "/" XBR_PROG_TC, offsetof(struct xbr_bridge, tc_fd) },
	{ XBR_PROGS_DIR "/" XBR_PROG_EGRESS, offsetof(struct xbr_bridge, egress_fd) },
	{ XBR_PROGS_DIR "/" XBR_PROG_FDB_FLUSH, offsetof(struct xbr_bridge, fdb_flush_fd) },
	{ XBR_PROGS_DIR "/" XBR_PROG_FDB_GC, offsetof(struct xbr_bridge, fdb_gc_prog_fd) },
};

#define NR_PINS (sizeof(bridge_pins) / sizeof(bridge_pins[0]))

static int *pin_fd(struct xbr_bridge *br, size_t i)
{
	return (int *)((char *)br + bridge_pins[i].fd);
}

void xbr_bridge_close(struct xbr_bridge *br)
{
	size_t i;

	for (i = 0; i < NR_PINS; i++) {
		int *fd = pin_fd(br, i);

		if (*fd >= 0)
			close(*fd);
		*fd = -1;
	}
}

int store_netns_id(__u64 *dev, __u64 *ino)
{
	struct stat st;

	if (stat("/proc/self/ns/net", &st))
		return -errno;
	*dev = st.st_dev;
	*ino = st.st_ino;
	return 0;
}

bool xbr_bridge_in_this_netns(const struct xbr_config *cfg)
{
	__u64 dev = 0, ino = 0;

	if (store_netns_id(&dev, &ino))
		return true;	/* no procfs: cannot tell, assume so */
	return cfg->netns_dev == dev && cfg->netns_ino == ino;
}

int store_open(const char *name, struct xbr_bridge *br)
{
	struct stat st;
	size_t i;

	memset(br, 0, sizeof(*br));
	for (i = 0; i < NR_PINS; i++)
		*pin_fd(br, i) = -1;
	if (!pins_name_valid(name))
		return xbr_err(-EINVAL, "invalid bridge name \"%s\"", name);
	snprintf(br->name, sizeof(br->name), "%s", name);
	pins_bridge_dir(name, br->dir);
	if (stat(br->dir, &st))
		return xbr_err(-ENOENT, "no such bridge: %s", name);
	br->dir_dev = st.st_dev;
	br->dir_ino = st.st_ino;
	for (i = 0; i < NR_PINS; i++) {
		int *fd = pin_fd(br, i);

		*fd = pin_get(br->dir, bridge_pins[i].pin);
		if (*fd < 0) {
			xbr_bridge_close(br);
			return xbr_err(-ENOENT, "bridge %s is incomplete under %s (no %s: delete "
				       "and re-add it)", name, br->dir, bridge_pins[i].pin);
		}
	}
	return 0;
}

/* A bridge's ports are ifindexes of its own netns: open it only from there. */
int xbr_bridge_open(const char *name, struct xbr_bridge *br)
{
	struct xbr_config cfg;
	int err;

	err = store_open(name, br);
	if (err)
		return err;
	err = xbr_bridge_config(br, &cfg);
	if (!err && !xbr_bridge_in_this_netns(&cfg))
		err = xbr_err(-EXDEV, "bridge %s belongs to another network namespace", name);
	if (err)
		xbr_bridge_close(br);
	return err;
}

int xbr_bridge_config(struct xbr_bridge *br, struct xbr_config *cfg)
{
	__u32 zero = 0;

	if (bpf_map_lookup_elem(br->config_fd, &zero, cfg))
		return xbr_err(-errno, "bridge %s: cannot read config: %s", br->name,
			       strerror(errno));
	return 0;
}

/* The config of bridge @name if it is one of this netns, without opening
 * every pin. */
static int bridge_here(const char *name, struct xbr_config *cfg)
{
	char dir[PATH_MAX];
	__u32 zero = 0;
	int fd, err;

	if (!pins_name_valid(name) || pins_bridge_dir(name, dir))
		return -EINVAL;
	fd = pin_get(dir, XBR_MAP_CONFIG);
	if (fd < 0)
		return -ENOENT;
	err = bpf_map_lookup_elem(fd, &zero, cfg) ? -errno : 0;
	close(fd);
	if (!err && !xbr_bridge_in_this_netns(cfg))
		err = -EXDEV;
	return err;
}

int xbr_bridge_foreach(int (*fn)(const char *name, void *arg), void *arg)
{
	char top[PATH_MAX], *names[256];
	struct xbr_config cfg;
	int n, i, ret = 0;

	pins_top(top);
	n = pins_subdirs(top, names, 256);
	for (i = 0; i < n; i++) {
		if (!ret && !bridge_here(names[i], &cfg))
			ret = fn(names[i], arg);
		free(names[i]);
	}
	return ret;
}

/* ---- ports, as the map holds them ----------------------------------------- */

bool xbr_port_present(uint32_t ifindex, const struct xbr_port *port)
{
	char name[IFNAMSIZ];

	return if_indextoname(ifindex, name) && !strcmp(name, port->name);
}

static int port_entry_cmp(const void *a, const void *b)
{
	const struct port_entry *pa = a, *pb = b;

	return (int)pa->port.id - (int)pb->port.id;
}

int store_ports(struct xbr_bridge *br, struct port_entry *ents)
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
	n = store_ports(br, ents);
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
	const char *skip;
	char *bridge;
	size_t len;
};

static int owner_cb(const char *name, void *arg)
{
	struct owner_ctx *ctx = arg;
	char dir[PATH_MAX];
	struct xbr_port port;
	int fd, found;

	if (ctx->skip && !strcmp(name, ctx->skip))
		return 0;
	pins_bridge_dir(name, dir);
	fd = pin_get(dir, XBR_MAP_PORTS);
	if (fd < 0)
		return 0;
	found = !bpf_map_lookup_elem(fd, &ctx->ifindex, &port);
	close(fd);
	if (found)
		snprintf(ctx->bridge, ctx->len, "%s", name);
	return found;
}

int store_port_owner(uint32_t ifindex, const char *skip, char *bridge, size_t len)
{
	struct owner_ctx ctx = { .ifindex = ifindex, .skip = skip, .bridge = bridge, .len = len };

	return xbr_bridge_foreach(owner_cb, &ctx);
}

int xbr_port_owner(uint32_t ifindex, char *bridge, size_t len)
{
	return store_port_owner(ifindex, NULL, bridge, len);
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

int store_prog_id(int prog_fd, uint32_t *id)
{
	struct bpf_prog_info info = {};
	__u32 len = sizeof(info);

	if (bpf_obj_get_info_by_fd(prog_fd, &info, &len))
		return -errno;
	*id = info.id;
	return 0;
}
