// SPDX-License-Identifier: GPL-2.0
/*
 * Bridges as a whole: add, delete, set, reload. A bridge is a directory of
 * pins (pins.c); nothing runs in user space to forward.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/stat.h>
#include <bpf/bpf.h>
#include "internal.h"

static int ageing_valid(unsigned int ageing_s)
{
	/* The Linux bridge accepts 10 s to 1 000 000 s; xbr allows shorter
	 * times for tests and labs, and 0 is meaningless. */
	return ageing_s >= 1 && ageing_s <= 1000000;
}

int xbr_bridge_set_ageing(struct xbr_bridge *br, unsigned int ageing_s)
{
	struct xbr_state *st;
	int err;

	if (!ageing_valid(ageing_s))
		return xbr_err(-EINVAL, "bridge %s: ageing %u out of range 1-1000000 s",
			       br->name, ageing_s);
	err = state_begin(br, false, &st);
	if (err)
		return err;
	state_config(st)->ageing_ns = (uint64_t)ageing_s * 1000000000ULL;
	err = state_commit(st);
	/* The reclaimer's period follows the ageing time: at once. */
	if (!err)
		err = fdb_gc_arm(br);
	state_end(st);
	return err;
}

int xbr_bridge_set_fdb_max_learned(struct xbr_bridge *br, unsigned int max)
{
	struct xbr_state *st;
	int err;

	if (!max || max > XBR_FDB_LEARNED_MAX)
		return xbr_err(-EINVAL, "bridge %s: fdb-max-learned %u out of range 1-%u (the "
			       "rest of the table is kept for static entries)", br->name, max,
			       XBR_FDB_LEARNED_MAX);
	err = state_begin(br, false, &st);
	if (err)
		return err;
	state_config(st)->fdb_max_learned = max;
	err = state_commit(st);
	state_end(st);
	return err;
}

int xbr_bridge_fdb_gc(struct xbr_bridge *br, struct xbr_fdb_gc *gc)
{
	__u32 zero = 0;

	if (bpf_map_lookup_elem(br->fdb_gc_fd, &zero, gc))
		return xbr_err(-errno, "bridge %s: cannot read the fdb reclaimer: %s", br->name,
			       strerror(errno));
	return 0;
}

/* Under the lock above bridges, held exclusively: the directory, the maps
 * and programs, the config, the host port. */
static int bridge_create(const char *name, const char *dir, unsigned int ageing_s,
			 bool host_port)
{
	struct xbr_config *cfg;
	struct loader_set ls;
	struct xbr_state *st;
	struct xbr_bridge br;
	struct stat sb;
	int err;

	if (!stat(dir, &sb))
		return xbr_err(-EEXIST, "bridge %s exists", name);
	err = pins_mkdir(dir);
	if (err)
		return xbr_err(err, "bridge %s: cannot create %s: %s", name, dir, strerror(-err));
	err = loader_load(dir, NULL, &ls);
	if (err)
		return err;
	err = loader_pin_maps(dir, &ls);
	if (!err)
		err = loader_pin_progs(dir, &ls);
	loader_release(&ls);
	if (err)
		return err;
	err = store_open(name, &br);
	if (err)
		return err;
	err = state_begin(&br, true, &st);
	if (err)
		goto out;
	cfg = state_config(st);
	cfg->ageing_ns = (uint64_t)ageing_s * 1000000000ULL;
	cfg->fdb_max_learned = XBR_FDB_LEARNED_MAX;
	err = store_netns_id(&cfg->netns_dev, &cfg->netns_ino);
	if (err)
		xbr_err(err, "bridge %s: cannot identify the network namespace: %s", name,
			strerror(-err));
	if (!err)
		err = state_commit(st);
	if (!err)
		err = fdb_gc_arm(&br);
	if (!err && host_port)
		err = host_port_add(st);
	state_end(st);
out:
	xbr_bridge_close(&br);
	return err;
}

int xbr_bridge_add(const char *name, unsigned int ageing_s, bool host_port)
{
	char dir[PATH_MAX], top[PATH_MAX];
	int err;

	if (!pins_name_valid(name))
		return xbr_err(-EINVAL, "invalid bridge name \"%s\" (1-%d characters, no '/')",
			       name, XBR_NAME_MAX);
	if (!ageing_valid(ageing_s))
		return xbr_err(-EINVAL, "bridge %s: ageing %u out of range 1-1000000 s", name,
			       ageing_s);
	if (host_port) {
		char peer[IFNAMSIZ];

		err = host_port_peer_name(name, peer, sizeof(peer));
		if (err)
			return err;
		if (if_nametoindex(name))
			return xbr_err(-EEXIST, "bridge %s: a netdev named %s exists already",
				       name, name);
	}
	err = pins_root_is_bpffs();
	if (err < 0)
		return xbr_err(err, "bridge %s: pin root %s: %s", name, xbr_pin_root(),
			       strerror(-err));
	if (!err)
		return xbr_err(-EINVAL, "bridge %s: pin root %s is not a bpffs mount (mount -t "
			       "bpf bpf %s)", name, xbr_pin_root(), xbr_pin_root());
	pins_top(top);
	pins_bridge_dir(name, dir);
	err = pins_mkdir(top);
	if (err)
		return xbr_err(err, "bridge %s: cannot create %s: %s", name, top, strerror(-err));

	err = lock_top(true, name);
	if (err)
		return err;
	err = bridge_create(name, dir, ageing_s, host_port);
	if (err && err != -EEXIST) {
		pins_rm_tree(dir);
		lock_forget(dir);
	}
	unlock_top();
	return err;
}

static int vport_del_cb(const char *name, void *arg)
{
	xbr_vport_del(arg, name);
	return 0;
}

struct ifindex_list {
	unsigned int n;
	uint32_t ifindex[XBR_MAX_PORTS];
};

static int collect_cb(struct xbr_state *st, struct port_slot *slot, void *arg)
{
	struct ifindex_list *l = arg;

	(void)st;
	if (l->n < XBR_MAX_PORTS)
		l->ifindex[l->n++] = slot->ifindex;
	return 0;
}

static int bridge_destroy(struct xbr_bridge *br)
{
	struct ifindex_list ports = { 0 };
	struct port_slot *slot;
	struct xbr_state *st;
	unsigned int i;
	int err;

	err = state_begin(br, true, &st);
	if (err)
		return err;
	if (state_config(st)->host_ifindex)
		xbr_netdev_del(br->name);	/* takes its peer, the host port, along */
	/* vports are veth pairs xbr made: they go with the bridge. */
	xbr_vport_foreach(br, vport_del_cb, br);
	/* Each leave commits, which reorders the slots: go by ifindex. */
	state_foreach_port(st, collect_cb, &ports);
	for (i = 0; i < ports.n; i++) {
		slot = state_port_at(st, ports.ifindex[i]);
		if (slot)
			port_leave(st, slot);
	}
	state_end(st);
	return 0;
}

int xbr_bridge_del(const char *name)
{
	char dir[PATH_MAX];
	struct xbr_bridge br;
	struct stat sb;
	int err;

	err = lock_top(true, name);
	if (err)
		return err;
	err = xbr_bridge_open(name, &br);
	if (err == -ENOENT && pins_name_valid(name)) {
		/* An incomplete bridge (a crash mid-add) can still be removed. */
		pins_bridge_dir(name, dir);
		if (!stat(dir, &sb)) {
			pins_rm_tree(dir);
			lock_forget(dir);
			err = 0;
		}
		goto out;
	}
	if (err)
		goto out;
	err = bridge_destroy(&br);
	xbr_bridge_close(&br);
	if (!err) {
		pins_rm_tree(br.dir);
		lock_forget(br.dir);
	}
out:
	unlock_top();
	return err;
}

/* ---- reload ----------------------------------------------------------------- */

struct swap_ctx {
	struct xbr_bridge *br;
	int xdp_fd, tc_fd;
	struct port_slot *failed;	/* the port a swap stopped at */
};

static int swap_cb(struct xbr_state *st, struct port_slot *slot, void *arg)
{
	struct swap_ctx *ctx = arg;
	struct xbr_port port = slot->port;

	(void)st;
	if (ctx->failed == slot)
		return 1;
	if (!(slot->flags & SLOT_PRESENT) || !xbr_port_present(slot->ifindex, &port))
		return 0;
	if (attach_port(ctx->br, slot->ifindex, &port, ctx->xdp_fd, ctx->tc_fd, true)) {
		ctx->failed = slot;
		return 1;
	}
	return 0;
}

/* Every present port to the new programs, the flood devmap to the new
 * egress program, the pins last; on any failure back to the old ones. */
static int reload_swap(struct xbr_state *st, struct loader_set *ls)
{
	struct xbr_bridge *br = state_bridge(st);
	struct swap_ctx ctx = { .br = br, .xdp_fd = ls->prog_fd[LOADER_XDP],
				.tc_fd = ls->prog_fd[LOADER_TC] };
	struct swap_ctx back = { .br = br, .xdp_fd = br->xdp_fd, .tc_fd = br->tc_fd };
	char why[512];
	int err;

	err = loader_pin_maps(br->dir, ls);
	if (err)
		return err;
	state_foreach_port(st, swap_cb, &ctx);
	if (ctx.failed) {
		err = -EIO;
		goto rollback;
	}
	err = state_set_egress(st, ls->prog_fd[LOADER_EGRESS]);
	if (!err)
		err = state_commit(st);
	if (!err)
		err = loader_pin_progs(br->dir, ls);
	if (!err)
		return 0;
rollback:
	snprintf(why, sizeof(why), "%s", xbr_errmsg());
	/* Those the new programs reached go back; the rest never left. */
	back.failed = ctx.failed;
	state_foreach_port(st, swap_cb, &back);
	state_set_egress(st, br->egress_fd);
	state_commit(st);
	loader_unpin_maps(br->dir, ls);
	return xbr_err(err, "%s", why);
}

static int prog_fds_take(struct xbr_bridge *br, const struct loader_set *ls)
{
	int *fds[LOADER_NR_PROGS] = {
		[LOADER_XDP] = &br->xdp_fd, [LOADER_TC] = &br->tc_fd,
		[LOADER_EGRESS] = &br->egress_fd, [LOADER_FDB_FLUSH] = &br->fdb_flush_fd,
		[LOADER_FDB_GC] = &br->fdb_gc_prog_fd,
	};
	int i, fd;

	/* The trace and event programs are opened from their pins when needed. */
	for (i = 0; i < LOADER_NR_PROGS; i++) {
		if (!fds[i])
			continue;
		fd = dup(ls->prog_fd[i]);
		if (fd < 0)
			return -errno;
		close(*fds[i]);
		*fds[i] = fd;
	}
	return 0;
}

/*
 * Load and verify every new program first (maps reused through the pins);
 * only then swap each attachment atomically: bpf_link_update for XDP, a tc
 * filter replace, the flood devmap's entries rewritten with the new egress
 * program. No frame sees a port without a program, and a program the
 * kernel refuses changes nothing.
 */
int xbr_bridge_reload_from(struct xbr_bridge *br, const char *obj_dir)
{
	struct loader_set ls;
	struct xbr_state *st;
	int err;

	err = state_begin(br, false, &st);
	if (err)
		return err;
	err = loader_load(br->dir, obj_dir, &ls);
	if (err) {
		err = xbr_err(err, "bridge %s: reload refused, nothing changed: %s", br->name,
			      xbr_errmsg());
		goto out;
	}
	err = reload_swap(st, &ls);
	if (err)
		err = xbr_err(err, "bridge %s: reload failed, the old programs stay: %s",
			      br->name, xbr_errmsg());
	else
		err = prog_fds_take(br, &ls);
	/* The reclaimer's timer runs the program it was handed: the new one. */
	if (!err)
		err = fdb_gc_arm(br);
	loader_release(&ls);
	state_set_egress(st, -1);
out:
	state_end(st);
	return err;
}

int xbr_bridge_reload(struct xbr_bridge *br)
{
	return xbr_bridge_reload_from(br, NULL);
}
