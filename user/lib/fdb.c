// SPDX-License-Identifier: GPL-2.0
/*
 * The forwarding database as the operator sees it: add, delete, walk, flush.
 * Changes hold the bridge's lock; walks need none.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <bpf/bpf.h>
#include "internal.h"

static uint64_t now_ns(void)
{
	struct timespec ts;

	/* The datapath stamps entries with bpf_ktime_get_coarse_ns(). */
	clock_gettime(CLOCK_MONOTONIC_COARSE, &ts);
	return (uint64_t)ts.tv_sec * 1000000000ULL + ts.tv_nsec;
}

double xbr_fdb_age(const struct xbr_fdb_entry *e)
{
	uint64_t now = now_ns();

	return now > e->seen_ns ? (now - e->seen_ns) / 1e9 : 0;
}

bool xbr_fdb_expired(const struct xbr_config *cfg, const struct xbr_fdb_entry *e)
{
	if (e->flags & (XBR_FDB_F_STATIC | XBR_FDB_F_LOCAL))
		return false;
	return xbr_fdb_age(e) * 1e9 > cfg->ageing_ns;
}

int fdb_write(struct xbr_state *st, const uint8_t mac[6], uint16_t vlan, uint32_t ifindex,
	      uint32_t flags)
{
	struct xbr_fdb_entry e = { .ifindex = ifindex, .flags = flags, .seen_ns = now_ns() };
	struct xbr_fdb_key key = { .vlan = vlan };
	struct xbr_bridge *br = state_bridge(st);
	struct port_slot *port = state_port_at(st, ifindex);
	char buf[18];

	if (!port)
		return xbr_err(-ENOENT, "fdb: ifindex %u is not a port of bridge %s", ifindex,
			       br->name);
	e.port_id = port->port.id;
	memcpy(key.mac, mac, 6);
	if (bpf_map_update_elem(br->fdb_fd, &key, &e, BPF_ANY)) {
		xbr_format_mac(mac, buf);
		return xbr_err(-errno, "fdb %s: cannot write: %s", buf, strerror(errno));
	}
	return 0;
}

int xbr_fdb_add(struct xbr_bridge *br, const uint8_t mac[6], uint16_t vlan, const char *dev,
		bool is_static)
{
	struct port_slot *port;
	struct xbr_state *st;
	char buf[18];
	int err;

	xbr_format_mac(mac, buf);
	if (mac[0] & 1)
		return xbr_err(-EINVAL, "fdb %s: a multicast address cannot be an fdb entry",
			       buf);
	if (vlan > XBR_VID_MAX)
		return xbr_err(-EINVAL, "fdb %s: vlan %u out of range 0-%d", buf, vlan, XBR_VID_MAX);
	err = state_begin(br, false, &st);
	if (err)
		return err;
	port = state_port(st, dev);
	if (!port)
		err = xbr_err(-ENOENT, "port %s is not in bridge %s", dev, br->name);
	else
		err = fdb_write(st, mac, vlan, port->ifindex, is_static ? XBR_FDB_F_STATIC : 0);
	state_end(st);
	return err;
}

int xbr_fdb_del(struct xbr_bridge *br, const uint8_t mac[6], uint16_t vlan)
{
	struct xbr_fdb_key key = { .vlan = vlan };
	char buf[18];
	int err;

	err = lock_bridge(br, false);
	if (err)
		return err;
	memcpy(key.mac, mac, 6);
	if (bpf_map_delete_elem(br->fdb_fd, &key)) {
		xbr_format_mac(mac, buf);
		err = xbr_err(-ENOENT, "fdb %s vlan %u: no such entry in bridge %s", buf, vlan,
			      br->name);
	}
	unlock_bridge(br);
	return err;
}

/* Walk a snapshot of the keys: the datapath keeps learning meanwhile. */
int xbr_fdb_foreach(struct xbr_bridge *br,
		    int (*fn)(const struct xbr_fdb_key *key, const struct xbr_fdb_entry *e,
			      void *arg),
		    void *arg)
{
	struct xbr_fdb_key *keys, *prev = NULL;
	struct xbr_fdb_entry e;
	size_t n = 0, cap = 1024, i;
	int ret = 0;

	keys = malloc(cap * sizeof(*keys));
	if (!keys)
		return -ENOMEM;
	while (!bpf_map_get_next_key(br->fdb_fd, prev, &keys[n])) {
		prev = &keys[n++];
		if (n == cap) {
			struct xbr_fdb_key *grown = realloc(keys, 2 * cap * sizeof(*keys));

			if (!grown) {
				free(keys);
				return -ENOMEM;
			}
			keys = grown;
			cap *= 2;
			prev = &keys[n - 1];
		}
	}
	for (i = 0; i < n && !ret; i++) {
		if (bpf_map_lookup_elem(br->fdb_fd, &keys[i], &e))
			continue;
		ret = fn(&keys[i], &e, arg);
	}
	free(keys);
	return ret;
}

struct flush_ctx {
	struct xbr_bridge *br;
	uint32_t ifindex;
	bool dynamic;
};

static int flush_cb(const struct xbr_fdb_key *key, const struct xbr_fdb_entry *e, void *arg)
{
	struct flush_ctx *ctx = arg;

	if (ctx->ifindex && e->ifindex != ctx->ifindex)
		return 0;
	if (ctx->dynamic && (e->flags & (XBR_FDB_F_STATIC | XBR_FDB_F_LOCAL)))
		return 0;
	/* The host's own address goes only with its port. */
	if (!ctx->ifindex && (e->flags & XBR_FDB_F_LOCAL))
		return 0;
	bpf_map_delete_elem(ctx->br->fdb_fd, key);
	return 0;
}

static int fdb_flush(struct xbr_bridge *br, uint32_t ifindex, bool dynamic)
{
	struct flush_ctx ctx = { .br = br, .ifindex = ifindex, .dynamic = dynamic };

	return xbr_fdb_foreach(br, flush_cb, &ctx);
}

int xbr_fdb_flush(struct xbr_bridge *br, uint32_t ifindex, bool dynamic)
{
	int err;

	err = lock_bridge(br, false);
	if (err)
		return err;
	err = fdb_flush(br, ifindex, dynamic);
	unlock_bridge(br);
	return err;
}

/* A port left: its stations, static ones and the host's own included. */
void fdb_port_forget(struct xbr_bridge *br, uint32_t ifindex)
{
	fdb_flush(br, ifindex, false);
}
