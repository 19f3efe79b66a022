// SPDX-License-Identifier: GPL-2.0
/*
 * Bridges: a directory of pins under <pin-root>/xbr/<name>/. The maps are
 * pinned there by libbpf (LIBBPF_PIN_BY_NAME), the programs under progs/,
 * the XDP links under links/. Nothing runs in user space to forward.
 */
#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/stat.h>
#include <bpf/bpf.h>
#include <bpf/libbpf.h>
#include "libxbr.h"
#include "internal.h"
#include "xbr_xdp.skel.h"
#include "xbr_tc.skel.h"
#include "xbr_egress.skel.h"
#include "xbr_fdb.skel.h"
#include <xbr/fdb_ctl.h>

static char pin_root[PATH_MAX];

void xbr_set_pin_root(const char *root)
{
	snprintf(pin_root, sizeof(pin_root), "%s", root);
}

const char *xbr_pin_root(void)
{
	const char *env;

	if (!pin_root[0]) {
		env = getenv("XBR_PIN_ROOT");
		xbr_set_pin_root(env && *env ? env : XBR_PIN_ROOT_DEFAULT);
	}
	return pin_root;
}

static void bridge_dir(const char *name, char *buf)
{
	xbr_path(buf, "%s/xbr/%s", xbr_pin_root(), name);
}

static int bridge_name_valid(const char *name)
{
	size_t len = strlen(name);

	if (!len || len > XBR_NAME_MAX)
		return 0;
	if (!strcmp(name, ".") || !strcmp(name, ".."))
		return 0;
	for (; *name; name++)
		if (*name == '/' || *name <= ' ')
			return 0;
	return 1;
}

static int mkdir_p(const char *path)
{
	if (mkdir(path, 0700) && errno != EEXIST)
		return -errno;
	return 0;
}

/* Remove a pin directory tree; pins are files, directories are plain. */
static void rm_tree(const char *path)
{
	struct dirent *de;
	char sub[PATH_MAX];
	DIR *d = opendir(path);

	if (d) {
		while ((de = readdir(d))) {
			if (!strcmp(de->d_name, ".") || !strcmp(de->d_name, ".."))
				continue;
			xbr_path(sub, "%s/%s", path, de->d_name);
			if (de->d_type == DT_DIR)
				rm_tree(sub);
			else
				unlink(sub);
		}
		closedir(d);
	}
	rmdir(path);
}

static int pin_get(const char *dir, const char *name)
{
	char path[PATH_MAX];

	xbr_path(path, "%s/%s", dir, name);
	return bpf_obj_get(path);
}

/* Pin @fd at @dir/@name, replacing what was there in one rename. */
static int pin_replace(int fd, const char *dir, const char *name)
{
	char path[PATH_MAX], tmp[PATH_MAX];

	xbr_path(path, "%s/%s", dir, name);
	/* bpffs rejects dots in names: no ".new" suffix. */
	xbr_path(tmp, "%s/%s_new", dir, name);
	unlink(tmp);
	if (bpf_obj_pin(fd, tmp))
		return -errno;
	if (rename(tmp, path)) {
		int err = -errno;

		unlink(tmp);
		return err;
	}
	return 0;
}

/* Point every map of @obj at its pin under @dir if there is one. */
static int maps_reuse(struct bpf_object *obj, const char *dir)
{
	char path[PATH_MAX];
	struct bpf_map *map;
	int fd, err;

	bpf_object__for_each_map(map, obj) {
		if (bpf_map__is_internal(map))
			continue;
		xbr_path(path, "%s/%s", dir, bpf_map__name(map));
		fd = bpf_obj_get(path);
		if (fd < 0)
			continue;
		err = bpf_map__reuse_fd(map, fd);
		close(fd);
		if (err)
			return err;
	}
	return 0;
}

/* Pin the maps @obj created; those it reused are pinned already. */
static int maps_pin(struct bpf_object *obj, const char *dir)
{
	char path[PATH_MAX];
	struct bpf_map *map;
	struct stat st;

	bpf_object__for_each_map(map, obj) {
		if (bpf_map__is_internal(map))
			continue;
		xbr_path(path, "%s/%s", dir, bpf_map__name(map));
		if (!stat(path, &st))
			continue;
		if (bpf_obj_pin(bpf_map__fd(map), path))
			return -errno;
	}
	return 0;
}

static int prog_pin(struct bpf_program *prog, const char *dir, const char *prog_name)
{
	char progs[PATH_MAX];
	int err;

	xbr_path(progs, "%s/progs", dir);
	err = pin_replace(bpf_program__fd(prog), progs, prog_name);
	if (err)
		return xbr_err(err, "cannot pin the %s program in %s: %s", prog_name, progs,
			       strerror(-err));
	return 0;
}

/* Load one object against the bridge's maps and pin its program. */
static int load_one(struct bpf_object *obj, struct bpf_program *prog, const char *dir,
		    const char *prog_name)
{
	int err;

	err = maps_reuse(obj, dir);
	if (err)
		return xbr_err(err, "cannot reuse the maps pinned in %s: %s", dir,
			       strerror(-err));
	err = bpf_object__load(obj);
	if (err)
		return xbr_err(err, "cannot load the %s program: %s (see libbpf output)",
			       prog_name, strerror(-err));
	err = maps_pin(obj, dir);
	if (err)
		return xbr_err(err, "cannot pin maps in %s: %s", dir, strerror(-err));
	return prog_pin(prog, dir, prog_name);
}

/*
 * Load the three programs with maps reused from (or created at) the
 * bridge's directory and pin them under progs/. Used by add and reload.
 */
static int bridge_load_progs(const char *dir)
{
	struct xbr_egress *egress = NULL;
	struct xbr_xdp *xdp = NULL;
	struct xbr_fdb *fdb = NULL;
	struct xbr_tc *tc = NULL;
	char progs[PATH_MAX];
	int err;

	xbr_path(progs, "%s/progs", dir);
	err = mkdir_p(progs);
	if (err)
		return xbr_err(err, "%s: %s", progs, strerror(-err));

	xdp = xbr_xdp__open();
	tc = xbr_tc__open();
	egress = xbr_egress__open();
	fdb = xbr_fdb__open();
	if (!xdp || !tc || !egress || !fdb) {
		err = xbr_err(-errno, "cannot open the BPF objects: %s", strerror(errno));
		goto out;
	}
	err = load_one(xdp->obj, xdp->progs.xbr_xdp, dir, "xdp");
	if (!err)
		err = load_one(tc->obj, tc->progs.xbr_tc, dir, "tc");
	if (!err)
		err = load_one(egress->obj, egress->progs.xbr_egress, dir, "egress");
	if (!err)
		err = load_one(fdb->obj, fdb->progs.xbr_fdb_flush, dir, XBR_PROG_FDB_FLUSH);
	if (!err)
		err = prog_pin(fdb->progs.xbr_fdb_gc, dir, XBR_PROG_FDB_GC);
out:
	xbr_fdb__destroy(fdb);
	xbr_egress__destroy(egress);
	xbr_tc__destroy(tc);
	xbr_xdp__destroy(xdp);
	return err;
}

void xbr_bridge_close(struct xbr_bridge *br)
{
	int *fds[] = { &br->config_fd, &br->ports_fd, &br->fdb_fd, &br->stats_fd,
		       &br->tx_ports_fd, &br->flood_ports_fd, &br->flood_list_fd,
		       &br->vlans_fd, &br->port_rt_fd, &br->sec_macs_fd, &br->sec_ips_fd,
		       &br->fdb_gc_fd, &br->xdp_fd, &br->tc_fd, &br->egress_fd,
		       &br->fdb_flush_fd, &br->fdb_gc_prog_fd };
	size_t i;

	for (i = 0; i < sizeof(fds) / sizeof(fds[0]); i++) {
		if (*fds[i] >= 0)
			close(*fds[i]);
		*fds[i] = -1;
	}
}

/* Identity of the calling thread's network namespace. */
static int netns_id(__u64 *dev, __u64 *ino)
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

	if (netns_id(&dev, &ino))
		return true;	/* no procfs: cannot tell, assume so */
	return cfg->netns_dev == dev && cfg->netns_ino == ino;
}

static int bridge_open_maps(const char *name, struct xbr_bridge *br)
{
	char progs[PATH_MAX];
	struct stat st;

	memset(br, 0, sizeof(*br));
	br->config_fd = br->ports_fd = br->fdb_fd = br->stats_fd = -1;
	br->tx_ports_fd = br->flood_ports_fd = br->flood_list_fd = -1;
	br->vlans_fd = br->port_rt_fd = br->sec_macs_fd = br->sec_ips_fd = -1;
	br->fdb_gc_fd = br->xdp_fd = br->tc_fd = br->egress_fd = -1;
	br->fdb_flush_fd = br->fdb_gc_prog_fd = -1;

	if (!bridge_name_valid(name))
		return xbr_err(-EINVAL, "invalid bridge name \"%s\"", name);
	snprintf(br->name, sizeof(br->name), "%s", name);
	bridge_dir(name, br->dir);
	if (stat(br->dir, &st))
		return xbr_err(-ENOENT, "no such bridge: %s", name);

	xbr_path(progs, "%s/progs", br->dir);
	br->config_fd = pin_get(br->dir, XBR_MAP_CONFIG);
	br->ports_fd = pin_get(br->dir, XBR_MAP_PORTS);
	br->fdb_fd = pin_get(br->dir, XBR_MAP_FDB);
	br->stats_fd = pin_get(br->dir, XBR_MAP_STATS);
	br->tx_ports_fd = pin_get(br->dir, XBR_MAP_TX_PORTS);
	br->flood_ports_fd = pin_get(br->dir, XBR_MAP_FLOOD_PORTS);
	br->flood_list_fd = pin_get(br->dir, XBR_MAP_FLOOD_LIST);
	br->vlans_fd = pin_get(br->dir, XBR_MAP_VLANS);
	br->port_rt_fd = pin_get(br->dir, XBR_MAP_PORT_RT);
	br->sec_macs_fd = pin_get(br->dir, XBR_MAP_SEC_MACS);
	br->sec_ips_fd = pin_get(br->dir, XBR_MAP_SEC_IPS);
	br->fdb_gc_fd = pin_get(br->dir, XBR_MAP_FDB_GC);
	br->xdp_fd = pin_get(progs, "xdp");
	br->tc_fd = pin_get(progs, "tc");
	br->egress_fd = pin_get(progs, "egress");
	br->fdb_flush_fd = pin_get(progs, XBR_PROG_FDB_FLUSH);
	br->fdb_gc_prog_fd = pin_get(progs, XBR_PROG_FDB_GC);
	if (br->config_fd < 0 || br->ports_fd < 0 || br->fdb_fd < 0 || br->stats_fd < 0 ||
	    br->tx_ports_fd < 0 || br->flood_ports_fd < 0 || br->flood_list_fd < 0 ||
	    br->vlans_fd < 0 || br->port_rt_fd < 0 || br->sec_macs_fd < 0 || br->sec_ips_fd < 0 ||
	    br->fdb_gc_fd < 0 || br->xdp_fd < 0 || br->tc_fd < 0 || br->egress_fd < 0 ||
	    br->fdb_flush_fd < 0 || br->fdb_gc_prog_fd < 0) {
		xbr_bridge_close(br);
		return xbr_err(-ENOENT, "bridge %s is incomplete under %s (delete and re-add it)",
			       name, br->dir);
	}
	return 0;
}

/* A bridge's ports are ifindexes of its own netns: open it only from there. */
int xbr_bridge_open(const char *name, struct xbr_bridge *br)
{
	struct xbr_config cfg;
	int err;

	err = bridge_open_maps(name, br);
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

int config_write(struct xbr_bridge *br, const struct xbr_config *cfg)
{
	__u32 zero = 0;

	if (bpf_map_update_elem(br->config_fd, &zero, cfg, BPF_ANY))
		return xbr_err(-errno, "bridge %s: cannot write config: %s", br->name,
			       strerror(errno));
	return 0;
}

static int ageing_valid(unsigned int ageing_s)
{
	/* The Linux bridge accepts 10 s to 1 000 000 s; xbr allows shorter
	 * times for tests and labs, and 0 is meaningless. */
	return ageing_s >= 1 && ageing_s <= 1000000;
}

int xbr_bridge_set_ageing(struct xbr_bridge *br, unsigned int ageing_s)
{
	struct xbr_config cfg;
	int err;

	if (!ageing_valid(ageing_s))
		return xbr_err(-EINVAL, "bridge %s: ageing %u out of range 1-1000000 s",
			       br->name, ageing_s);
	err = xbr_bridge_config(br, &cfg);
	if (err)
		return err;
	cfg.ageing_ns = (uint64_t)ageing_s * 1000000000ULL;
	err = config_write(br, &cfg);
	/* The reclaimer's period follows the ageing time. */
	return err ? err : fdb_gc_arm(br);
}

int xbr_bridge_set_fdb_max_learned(struct xbr_bridge *br, unsigned int max)
{
	struct xbr_config cfg;
	int err;

	if (!max || max > XBR_FDB_LEARNED_MAX)
		return xbr_err(-EINVAL, "bridge %s: fdb-max-learned %u out of range 1-%u "
			       "(the rest of the table is kept for static entries)", br->name, max,
			       XBR_FDB_LEARNED_MAX);
	err = xbr_bridge_config(br, &cfg);
	if (err)
		return err;
	cfg.fdb_max_learned = max;
	return config_write(br, &cfg);
}

int xbr_bridge_fdb_gc(struct xbr_bridge *br, struct xbr_fdb_gc *gc)
{
	__u32 zero = 0;

	if (bpf_map_lookup_elem(br->fdb_gc_fd, &zero, gc))
		return xbr_err(-errno, "bridge %s: cannot read the fdb reclaimer: %s", br->name,
			       strerror(errno));
	return 0;
}

/* Host port: a veth pair whose host side is named like the bridge and
 * takes the addresses br0 used to hold; its peer is the port. The host's
 * stack sends with checksum offload, so its frames enter through tc; GRO
 * on the host side lets XDP ports redirect into it. */
static int host_port_peer_name(const char *name, char *peer, size_t len)
{
	if (strlen(name) + 3 > XBR_NAME_MAX)
		return xbr_err(-ENAMETOOLONG,
			       "bridge %s: name too long for a host port (max %d characters)",
			       name, XBR_NAME_MAX - 3);
	snprintf(peer, len, "%s-hp", name);
	return 0;
}

static int host_port_add(struct xbr_bridge *br)
{
	struct xbr_port_opts opts = { .mode = XBR_MODE_TC, .learning = 1, .flood = 1 };
	char peer[IFNAMSIZ];
	struct xbr_config cfg;
	uint32_t extra;
	uint8_t mac[6];
	int err;

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
	err = port_add_flags(br, peer, &opts, extra);
	if (err)
		goto fail;
	/* The host's own address is a local entry: never learned elsewhere. */
	err = xbr_netdev_mac(br->name, mac);
	if (!err)
		err = fdb_write(br, mac, 0, if_nametoindex(peer), XBR_FDB_F_LOCAL);
	if (!err)
		err = xbr_bridge_config(br, &cfg);
	if (!err) {
		cfg.host_ifindex = if_nametoindex(peer);
		err = config_write(br, &cfg);
	}
	if (err)
		goto fail;
	return 0;
fail:
	xbr_netdev_del(br->name);
	return err;
}

int xbr_bridge_add(const char *name, unsigned int ageing_s, bool host_port)
{
	struct xbr_config cfg = {
		.ageing_ns = (uint64_t)ageing_s * 1000000000ULL,
		.fdb_max_learned = XBR_FDB_LEARNED_MAX,
	};
	char dir[PATH_MAX], top[PATH_MAX];
	struct xbr_bridge br;
	struct stat st;
	int err;

	if (!bridge_name_valid(name))
		return xbr_err(-EINVAL, "invalid bridge name \"%s\" (1-%d characters, no '/')",
			       name, XBR_NAME_MAX);
	if (!ageing_valid(ageing_s))
		return xbr_err(-EINVAL, "bridge %s: ageing %u out of range 1-1000000 s", name,
			       ageing_s);
	bridge_dir(name, dir);
	if (!stat(dir, &st))
		return xbr_err(-EEXIST, "bridge %s exists", name);
	if (host_port) {
		char peer[IFNAMSIZ];

		err = host_port_peer_name(name, peer, sizeof(peer));
		if (err)
			return err;
		if (if_nametoindex(name))
			return xbr_err(-EEXIST, "bridge %s: a netdev named %s exists already",
				       name, name);
	}

	xbr_path(top, "%s/xbr", xbr_pin_root());
	err = mkdir_p(top);
	if (!err)
		err = mkdir_p(dir);
	if (err)
		return xbr_err(err, "bridge %s: cannot create %s: %s (is %s a bpffs mount?)",
			       name, dir, strerror(-err), xbr_pin_root());

	err = netns_id(&cfg.netns_dev, &cfg.netns_ino);
	if (err) {
		xbr_err(err, "bridge %s: cannot identify the network namespace: %s", name,
			strerror(-err));
		goto fail;
	}
	err = bridge_load_progs(dir);
	if (err)
		goto fail;
	err = bridge_open_maps(name, &br);
	if (err)
		goto fail;
	err = config_write(&br, &cfg);
	if (!err)
		err = fdb_gc_arm(&br);
	if (!err && host_port)
		err = host_port_add(&br);
	xbr_bridge_close(&br);
	if (err)
		goto fail;
	return 0;
fail:
	rm_tree(dir);
	return err;
}

static int vport_del_cb(const char *name, void *arg)
{
	xbr_vport_del(arg, name);
	return 0;
}

static int port_del_cb(uint32_t ifindex, const struct xbr_port *port, void *arg)
{
	(void)ifindex;
	xbr_port_del(arg, port->name);
	return 0;
}

int xbr_bridge_del(const char *name)
{
	struct xbr_bridge br;
	struct xbr_config cfg;
	int err;

	err = xbr_bridge_open(name, &br);
	if (err == -ENOENT && bridge_name_valid(name)) {
		char dir[PATH_MAX];
		struct stat st;

		/* An incomplete bridge (a crash mid-add) can still be removed. */
		bridge_dir(name, dir);
		if (!stat(dir, &st)) {
			rm_tree(dir);
			return 0;
		}
	}
	if (err)
		return err;
	if (!xbr_bridge_config(&br, &cfg) && cfg.host_ifindex)
		xbr_netdev_del(name);	/* takes its peer, the host port, along */
	/* vports are veth pairs xbr made: they go with the bridge. */
	xbr_vport_foreach(&br, vport_del_cb, &br);
	xbr_port_foreach(&br, port_del_cb, &br);
	xbr_bridge_close(&br);
	rm_tree(br.dir);
	return 0;
}

struct reload_ctx {
	struct xbr_bridge *br;
	int err;
};

static int port_reload_cb(uint32_t ifindex, const struct xbr_port *port, void *arg)
{
	struct reload_ctx *ctx = arg;
	struct xbr_port p = *port;
	int err;

	if (!xbr_port_present(ifindex, port))
		return 0;
	err = port_attach(ctx->br, ifindex, &p, true);
	if (err && !ctx->err)
		ctx->err = err;
	return 0;
}

/*
 * Load the new programs (maps reused through the pins), then swap every
 * attachment atomically: bpf_link_update for XDP, a tc filter replace,
 * devmap entries rewritten with the new egress program. No frame sees a
 * port without a program.
 */
int xbr_bridge_reload(struct xbr_bridge *br)
{
	struct reload_ctx ctx = { .br = br };
	char name[IFNAMSIZ];
	int err;

	err = bridge_load_progs(br->dir);
	if (err)
		return err;
	snprintf(name, sizeof(name), "%s", br->name);
	xbr_bridge_close(br);
	err = xbr_bridge_open(name, br);
	if (err)
		return err;
	xbr_port_foreach(br, port_reload_cb, &ctx);
	if (!ctx.err)
		ctx.err = flood_sync(br);
	/* The reclaimer's timer runs the program it was given: the new one. */
	if (!ctx.err)
		ctx.err = fdb_gc_arm(br);
	return ctx.err;
}

static bool bridge_is_here(const char *name)
{
	struct xbr_bridge br;

	if (xbr_bridge_open(name, &br))
		return false;
	xbr_bridge_close(&br);
	return true;
}

static int name_cmp(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

int xbr_bridge_foreach(int (*fn)(const char *name, void *arg), void *arg)
{
	char top[PATH_MAX], *names[256];
	struct dirent *de;
	int n = 0, i, ret = 0;
	DIR *d;

	xbr_path(top, "%s/xbr", xbr_pin_root());
	d = opendir(top);
	if (!d)
		return 0;
	while ((de = readdir(d)) && n < 256) {
		if (de->d_name[0] == '.' || de->d_type != DT_DIR)
			continue;
		names[n++] = strdup(de->d_name);
	}
	closedir(d);
	qsort(names, n, sizeof(names[0]), name_cmp);
	for (i = 0; i < n; i++) {
		if (!ret && bridge_is_here(names[i]))
			ret = fn(names[i], arg);
		free(names[i]);
	}
	return ret;
}
