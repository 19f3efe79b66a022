// SPDX-License-Identifier: GPL-2.0
/*
 * vports: a VM's AF_XDP port (include/xbr/vport.h). A veth pair whose VM
 * side NAME carries the xbr_vport XDP program and its XSKMAP, and whose
 * bridge side NAME-br is a port of the bridge in mode xdp.
 *
 * Why the bridge side may run in mode xdp (port.c's table says veth: tc):
 *  - NAPI: the XDP program on NAME gives the bridge side's xmit a NAPI
 *    instance on its peer, which native XDP redirects into a veth need.
 *  - Checksums from the VM: frames that QEMU's af-xdp backend or xbr-vhost
 *    write to an AF_XDP TX ring become skbs with CHECKSUM_NONE (no TX
 *    metadata is requested): their checksums are complete. QEMU's af-xdp
 *    has no vnet header, so virtio-net offers the guest no checksum offload.
 *  - Checksums to the VM: an skb the bridge forwards by tc into NAME-br may
 *    be CHECKSUM_PARTIAL (a namespace, the host port, a tap whose guest
 *    offloads). veth would hand it to the XDP program on NAME as bytes and
 *    the partial checksum would reach the VM unfinished. With tx checksum
 *    offload off on NAME-br, dev_queue_xmit finishes it in software
 *    (validate_xmit_skb), and GSO frames are segmented there too, since
 *    veth drops GSO features on the peer of an XDP program.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <linux/if_link.h>
#include <linux/if_xdp.h>
#include <bpf/bpf.h>
#include <bpf/libbpf.h>
#include "internal.h"
#include "xbr_vport.skel.h"

#ifndef AF_XDP
#define AF_XDP 44
#endif
#ifndef SOL_XDP
#define SOL_XDP 283
#endif


/* ---- pins ---------------------------------------------------------------- */

static int vport_name_valid(const char *name)
{
	size_t len = strlen(name);

	if (!len || len > XBR_VPORT_NAME_MAX)
		return 0;
	if (!strcmp(name, ".") || !strcmp(name, ".."))
		return 0;
	for (; *name; name++)
		if (*name == '/' || *name == ':' || *name <= ' ')
			return 0;
	return 1;
}

static int vport_dir(const struct xbr_bridge *br, const char *name, char *buf)
{
	return xbr_path(buf, "%s/%s/%s", br->dir, XBR_VPORT_DIR, name);
}

int xbr_vport_xsk_path(const struct xbr_bridge *br, const char *name, char *buf)
{
	return xbr_path(buf, "%s/%s/%s/%s", br->dir, XBR_VPORT_DIR, name, XBR_VPORT_MAP_XSKS);
}

static void vport_rm_dir(const char *dir)
{
	static const char *const pins[] = {
		XBR_VPORT_LINK, XBR_VPORT_PROG, XBR_VPORT_PROG_PROBE, XBR_VPORT_MAP_XSKS,
		XBR_VPORT_MAP_QSTATS, XBR_VPORT_MAP_INFO, XBR_VPORT_MAP_SOCKS,
	};
	char path[PATH_MAX];
	size_t i;

	for (i = 0; i < sizeof(pins) / sizeof(pins[0]); i++) {
		xbr_path(path, "%s/%s", dir, pins[i]);
		unlink(path);
	}
	rmdir(dir);
}

/* Load the vport's programs with fresh maps, pin everything, attach. */
static int vport_load(const char *dir, const struct xbr_vport_info *info)
{
	LIBBPF_OPTS(bpf_link_create_opts, lopts, .flags = XDP_FLAGS_DRV_MODE);
	struct xbr_vport *skel;
	__u32 zero = 0;
	int err, link;

	skel = xbr_vport__open_and_load();
	if (!skel)
		return xbr_err(-errno, "vport %s: cannot load its XDP program: %s (see libbpf "
			       "output)", info->name, strerror(errno));
	err = bpf_map_update_elem(bpf_map__fd(skel->maps.info), &zero, info, BPF_ANY) ? -errno : 0;
	if (!err)
		err = pin_at(bpf_map__fd(skel->maps.xsks), dir, XBR_VPORT_MAP_XSKS);
	if (!err)
		err = pin_at(bpf_map__fd(skel->maps.qstats), dir, XBR_VPORT_MAP_QSTATS);
	if (!err)
		err = pin_at(bpf_map__fd(skel->maps.info), dir, XBR_VPORT_MAP_INFO);
	if (!err)
		err = pin_at(bpf_map__fd(skel->maps.socks), dir, XBR_VPORT_MAP_SOCKS);
	if (!err)
		err = pin_at(bpf_program__fd(skel->progs.xbr_vport), dir, XBR_VPORT_PROG);
	if (!err)
		err = pin_at(bpf_program__fd(skel->progs.xbr_vport_probe), dir,
			     XBR_VPORT_PROG_PROBE);
	if (err) {
		xbr_err(err, "vport %s: cannot pin in %s: %s", info->name, dir, strerror(-err));
		goto out;
	}
	link = bpf_link_create(bpf_program__fd(skel->progs.xbr_vport), info->ifindex, BPF_XDP,
			       &lopts);
	if (link < 0) {
		err = xbr_err(-errno, "vport %s: cannot attach native XDP: %s", info->name,
			      strerror(errno));
		goto out;
	}
	err = pin_at(link, dir, XBR_VPORT_LINK);
	if (err) {
		bpf_link_detach(link);
		xbr_err(err, "vport %s: cannot pin its XDP link: %s", info->name, strerror(-err));
	}
	close(link);
out:
	xbr_vport__destroy(skel);
	return err;
}

/* ---- add / del ----------------------------------------------------------- */

/* mac MAC: the VM sends from that address only, and it is the VM's alone
 * (port security: a locked port with one MAC and no learning budget). */
static int vport_lock(struct xbr_bridge *br, const struct xbr_vport_info *info)
{
	struct xbr_port_sec sec;
	char mac[18], why[256];
	int err;

	xbr_port_sec_init(&sec);
	sec.locked = 1;
	sec.nr_macs = 1;
	memcpy(sec.macs[0], info->mac, 6);
	sec.max_macs = 0;
	err = xbr_port_set_security(br, info->peer, &sec);
	if (err) {
		xbr_format_mac(info->mac, mac);
		snprintf(why, sizeof(why), "%s", xbr_errmsg());
		return xbr_err(err, "vport %s: cannot lock %s to %s: %s", info->name, info->peer,
			       mac, why);
	}
	return 0;
}

static int vport_add(struct xbr_bridge *br, const char *name, const struct xbr_vport_opts *opts)
{
	struct xbr_port_opts popts;
	struct xbr_vport_info info = {};
	char dir[PATH_MAX], top[PATH_MAX];
	unsigned int queues = opts && opts->queues ? opts->queues : 1;
	struct stat st;
	int err;

	xbr_port_opts_init(&popts);
	popts.mode = XBR_MODE_XDP;
	if (!vport_name_valid(name))
		return xbr_err(-EINVAL, "invalid vport name \"%s\" (1-%d characters, no '/' or "
			       "':'; NAME%s must fit in %d)", name, XBR_VPORT_NAME_MAX,
			       XBR_VPORT_PEER_SUFFIX, XBR_IFNAMSIZ - 1);
	if (queues > XBR_VPORT_MAX_QUEUES)
		return xbr_err(-EINVAL, "vport %s: queues %u out of range 1-%d", name, queues,
			       XBR_VPORT_MAX_QUEUES);
	snprintf(info.name, sizeof(info.name), "%s", name);
	snprintf(info.peer, sizeof(info.peer), "%s%s", name, XBR_VPORT_PEER_SUFFIX);
	info.queues = queues;
	if (opts && opts->has_mac) {
		memcpy(info.mac, opts->mac, 6);
		info.flags |= XBR_VPORT_F_MAC;
	}

	vport_dir(br, name, dir);
	if (!stat(dir, &st))
		return xbr_err(-EEXIST, "vport %s exists in bridge %s", name, br->name);
	if (if_nametoindex(info.name))
		return xbr_err(-EEXIST, "vport %s: a netdev named %s exists already", name,
			       info.name);
	if (if_nametoindex(info.peer))
		return xbr_err(-EEXIST, "vport %s: a netdev named %s exists already", name,
			       info.peer);

	xbr_path(top, "%s/%s", br->dir, XBR_VPORT_DIR);
	if ((mkdir(top, 0700) && errno != EEXIST) || mkdir(dir, 0700))
		return xbr_err(-errno, "vport %s: cannot create %s: %s", name, dir,
			       strerror(errno));

	err = xbr_netdev_veth_add(info.name, info.peer, queues);
	if (err) {
		xbr_err(err, "vport %s: cannot create veth pair %s/%s: %s", name, info.name,
			info.peer, strerror(-err));
		goto fail_dir;
	}
	info.ifindex = if_nametoindex(info.name);
	info.peer_ifindex = if_nametoindex(info.peer);
	err = xbr_netdev_tx_csum(info.peer, false);
	if (err) {
		xbr_err(err, "vport %s: cannot turn tx checksum offload off on %s: %s", name,
			info.peer, strerror(-err));
		goto fail_dev;
	}
	/* Backpressure: a full VM side must stop its sender (xbr-vhost,
	 * QEMU), not drop; veth does that only below a qdisc. */
	err = xbr_netdev_root_qdisc(info.name, "pfifo_fast");
	if (err) {
		xbr_err(err, "vport %s: cannot give %s a qdisc: %s", name, info.name,
			strerror(-err));
		goto fail_dev;
	}
	err = xbr_netdev_ipv6(info.name, false);
	if (!err)
		err = xbr_netdev_ipv6(info.peer, false);
	if (err) {
		xbr_err(err, "vport %s: cannot turn IPv6 off on %s/%s: %s", name, info.name,
			info.peer, strerror(-err));
		goto fail_dev;
	}
	/* The VM side's program first: the bridge side may only become an XDP
	 * redirect target once its peer runs NAPI. */
	err = vport_load(dir, &info);
	if (err)
		goto fail_dev;
	err = xbr_netdev_up(info.name);
	if (!err)
		err = xbr_netdev_up(info.peer);
	if (err) {
		xbr_err(err, "vport %s: cannot bring %s/%s up: %s", name, info.name, info.peer,
			strerror(-err));
		goto fail_dev;
	}
	err = xbr_port_add(br, info.peer, &popts);
	if (err)
		goto fail_dev;
	if (info.flags & XBR_VPORT_F_MAC) {
		err = vport_lock(br, &info);
		if (err) {
			xbr_port_del(br, info.peer);
			goto fail_dev;
		}
	}
	return 0;

fail_dev:
	xbr_netdev_del(info.name);
fail_dir:
	vport_rm_dir(dir);
	return err;
}

int xbr_vport_add(struct xbr_bridge *br, const char *name, const struct xbr_vport_opts *opts)
{
	int err;

	/* It claims two netdev names and a port: under the lock above bridges. */
	err = lock_bridge(br, true);
	if (err)
		return err;
	err = vport_add(br, name, opts);
	unlock_bridge(br);
	return err;
}

/* Deleting a vport under a running QEMU is allowed, as deleting a tap is:
 * say so, since that QEMU now has a link without a device. */
static void vport_warn_sockets(struct xbr_vport_handle *vp)
{
	struct xbr_vport_sock socks[XBR_VPORT_MAX_QUEUES];
	char list[XBR_VPORT_MAX_QUEUES * 4] = "";
	unsigned int key, n = 0;

	if (xbr_vport_sockets(vp, socks))
		return;
	for (key = 0; key < XBR_VPORT_MAX_QUEUES; key++) {
		if (!socks[key].present)
			continue;
		snprintf(list + strlen(list), sizeof(list) - strlen(list), "%s%u", n ? "," : "",
			 key);
		n++;
	}
	if (n)
		xbr_warn("vport %s: queue%s %s had a socket; its user (QEMU, xbr-vhost) is "
			 "cut off now", vp->info.name, n > 1 ? "s" : "", list);
}

static int vport_del(struct xbr_bridge *br, const char *name)
{
	struct xbr_vport_handle vp;
	uint32_t ifindex;
	int err, fd;

	/* An incomplete vport (a crash mid-add) can still be removed. */
	err = xbr_vport_open(br, name, &vp);
	if (err && err != -ESTALE)
		return err;
	if (!err)
		vport_warn_sockets(&vp);
	/* Out of the bridge first: nothing is forwarded to a half-gone port. */
	if (!xbr_port_find(br, vp.info.peer, &ifindex, NULL))
		xbr_port_del(br, vp.info.peer);
	fd = pin_get(vp.dir, XBR_VPORT_LINK);
	if (fd >= 0) {
		bpf_link_detach(fd);
		close(fd);
	}
	/* Deleting the VM side takes the bridge side along; sockets bound to
	 * it are unbound by the kernel and see ENETDOWN. */
	if (err) {
		enum xbr_port_kind kind;

		if (!xbr_netdev_kind(vp.info.name, &kind) && kind == XBR_KIND_VETH)
			xbr_netdev_del(vp.info.name);
	} else if (if_nametoindex(vp.info.name) == vp.info.ifindex) {
		xbr_netdev_del(vp.info.name);
	}
	xbr_vport_close(&vp);
	vport_rm_dir(vp.dir);
	return 0;
}

int xbr_vport_del(struct xbr_bridge *br, const char *name)
{
	int err;

	err = lock_bridge(br, false);
	if (err)
		return err;
	err = vport_del(br, name);
	unlock_bridge(br);
	return err;
}

/* ---- open / inspect ------------------------------------------------------ */

void xbr_vport_close(struct xbr_vport_handle *vp)
{
	int *fds[] = { &vp->xsks_fd, &vp->qstats_fd, &vp->info_fd, &vp->socks_fd,
		       &vp->probe_fd };
	size_t i;

	for (i = 0; i < sizeof(fds) / sizeof(fds[0]); i++) {
		if (*fds[i] >= 0)
			close(*fds[i]);
		*fds[i] = -1;
	}
}

int xbr_vport_open(struct xbr_bridge *br, const char *name, struct xbr_vport_handle *vp)
{
	__u32 zero = 0;
	struct stat st;

	memset(vp, 0, sizeof(*vp));
	vp->xsks_fd = vp->qstats_fd = vp->info_fd = vp->socks_fd = vp->probe_fd = -1;
	if (!vport_name_valid(name))
		return xbr_err(-EINVAL, "invalid vport name \"%s\"", name);
	vport_dir(br, name, vp->dir);
	if (stat(vp->dir, &st))
		return xbr_err(-ENOENT, "no vport %s in bridge %s", name, br->name);
	vp->xsks_fd = pin_get(vp->dir, XBR_VPORT_MAP_XSKS);
	vp->qstats_fd = pin_get(vp->dir, XBR_VPORT_MAP_QSTATS);
	vp->info_fd = pin_get(vp->dir, XBR_VPORT_MAP_INFO);
	vp->socks_fd = pin_get(vp->dir, XBR_VPORT_MAP_SOCKS);
	vp->probe_fd = pin_get(vp->dir, XBR_VPORT_PROG_PROBE);
	if (vp->xsks_fd < 0 || vp->qstats_fd < 0 || vp->info_fd < 0 || vp->socks_fd < 0 ||
	    vp->probe_fd < 0 || bpf_map_lookup_elem(vp->info_fd, &zero, &vp->info)) {
		/* Keep the name so that del can still clean the directory. */
		snprintf(vp->info.name, sizeof(vp->info.name), "%s", name);
		snprintf(vp->info.peer, sizeof(vp->info.peer), "%s%s", name,
			 XBR_VPORT_PEER_SUFFIX);
		return xbr_err(-ESTALE, "vport %s is incomplete under %s (delete and re-add it)",
			       name, vp->dir);
	}
	return 0;
}

bool xbr_vport_present(const struct xbr_vport_handle *vp)
{
	return vp->info.ifindex && if_nametoindex(vp->info.name) == vp->info.ifindex;
}

int xbr_vport_foreach(struct xbr_bridge *br, int (*fn)(const char *name, void *arg), void *arg)
{
	char top[PATH_MAX], *names[XBR_MAX_PORTS];
	int n, i, ret = 0;

	xbr_path(top, "%s/%s", br->dir, XBR_VPORT_DIR);
	n = pins_subdirs(top, names, XBR_MAX_PORTS);
	for (i = 0; i < n; i++) {
		if (!ret)
			ret = fn(names[i], arg);
		free(names[i]);
	}
	return ret;
}

int xbr_vport_sockets(struct xbr_vport_handle *vp,
		      struct xbr_vport_sock socks[XBR_VPORT_MAX_QUEUES])
{
	/* XDP test runs want a frame of at least an Ethernet header. */
	unsigned char frame[64] = {};
	LIBBPF_OPTS(bpf_test_run_opts, opts, .data_in = frame, .data_size_in = sizeof(frame),
		    .repeat = 1);
	__u32 key;

	if (bpf_prog_test_run_opts(vp->probe_fd, &opts))
		return xbr_err(-errno, "vport %s: cannot run the socket probe: %s", vp->info.name,
			       strerror(errno));
	for (key = 0; key < XBR_VPORT_MAX_QUEUES; key++)
		if (bpf_map_lookup_elem(vp->socks_fd, &key, &socks[key]))
			memset(&socks[key], 0, sizeof(socks[key]));
	return 0;
}

int xbr_vport_qstats(struct xbr_vport_handle *vp, uint32_t queue,
		     struct xbr_vport_qstats *sum)
{
	int err;

	err = percpu_sum(vp->qstats_fd, &queue, sum, sizeof(*sum));
	if (err)
		return xbr_err(err, "vport %s: cannot read queue %u counters: %s",
			       vp->info.name, queue, strerror(-err));
	return 0;
}

/* ---- sockets for QEMU's sock-fds= ---------------------------------------- */

int xbr_xsk_socket(void)
{
	int fd = socket(AF_XDP, SOCK_RAW | SOCK_CLOEXEC, 0);

	return fd < 0 ? -errno : fd;
}

/*
 * Has someone bound @fd (our copy of a socket handed to QEMU)? No
 * getsockname for AF_XDP, and XDP sock_diag is often not built in; but
 * setting a ring on a socket that left the READY state fails with EBUSY,
 * before the ring size is even looked at. A size of 0 is invalid, so on an
 * unbound socket the call fails with EINVAL and changes nothing.
 */
int xbr_xsk_bound(int fd)
{
	int zero = 0;

	if (!setsockopt(fd, SOL_XDP, XDP_RX_RING, &zero, sizeof(zero)))
		return xbr_err(-EPROTO, "AF_XDP socket accepted an empty ring");
	if (errno == EBUSY)
		return 1;
	if (errno == EINVAL)
		return 0;
	return -errno;
}

int xbr_vport_xsk_set(struct xbr_vport_handle *vp, uint32_t key, int fd)
{
	if (bpf_map_update_elem(vp->xsks_fd, &key, &fd, BPF_ANY))
		return xbr_err(-errno, "vport %s: cannot insert the socket of queue %u: %s",
			       vp->info.name, key, strerror(errno));
	return 0;
}

int xbr_vport_xsk_clear(struct xbr_vport_handle *vp, uint32_t key)
{
	if (bpf_map_delete_elem(vp->xsks_fd, &key) && errno != ENOENT)
		return xbr_err(-errno, "vport %s: cannot remove the socket of queue %u: %s",
			       vp->info.name, key, strerror(errno));
	return 0;
}
