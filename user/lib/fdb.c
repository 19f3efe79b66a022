// SPDX-License-Identifier: GPL-2.0
/*
 * The forwarding database as the operator sees it: add, delete, walk, flush.
 * Changes hold the bridge's lock; walks need none. Learned entries are
 * removed by the datapath's own code (xbr_fdb.bpf.c, run with
 * BPF_PROG_RUN), which counts them out of their port: map syscalls would
 * leave the learned counts behind.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <bpf/bpf.h>
#include <xbr/fdb_ctl.h>
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

int fdb_remove(struct xbr_bridge *br, uint32_t ifindex, uint32_t match, const uint8_t *mac,
	       uint16_t vlan, uint32_t cause)
{
	struct xbr_fdb_flush_req req = { .ifindex = ifindex, .match = match, .vlan = vlan,
					 .cause = cause };
	LIBBPF_OPTS(bpf_test_run_opts, opts, .ctx_in = &req, .ctx_size_in = sizeof(req));

	if (mac)
		memcpy(req.mac, mac, 6);
	if (bpf_prog_test_run_opts(br->fdb_flush_fd, &opts))
		return xbr_err(-errno, "bridge %s: cannot remove fdb entries: %s", br->name,
			       strerror(errno));
	return req.removed;
}

int fdb_gc_arm(struct xbr_bridge *br)
{
	LIBBPF_OPTS(bpf_test_run_opts, opts);
	int err = 0;

	if (bpf_prog_test_run_opts(br->fdb_gc_prog_fd, &opts))
		err = -errno;
	else if ((int)opts.retval < 0)
		err = (int)opts.retval;
	if (err)
		return xbr_err(err, "bridge %s: cannot arm the fdb reclaimer: %s", br->name,
			       strerror(-err));
	return 0;
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
	/* A learned entry this replaces is counted out of its port first. */
	if (fdb_remove(br, 0, XBR_FLUSH_LEARNED | XBR_FLUSH_KEY, mac, vlan, XBR_EV_DEL_CLI) < 0)
		return -EIO;
	if (bpf_map_update_elem(br->fdb_fd, &key, &e, BPF_ANY)) {
		xbr_format_mac(mac, buf);
		return xbr_err(-errno, "fdb %s: cannot write: %s", buf, strerror(errno));
	}
	event_fdb_add(br, mac, vlan, ifindex, flags);
	return 0;
}

int fdb_entry_check(const uint8_t mac[6], uint16_t vlan)
{
	char buf[18];

	xbr_format_mac(mac, buf);
	if (mac[0] & 1)
		return xbr_err(-EINVAL, "fdb %s: a multicast address cannot be an fdb entry",
			       buf);
	if (vlan > XBR_VID_MAX)
		return xbr_err(-EINVAL, "fdb %s: vlan %u out of range 0-%d", buf, vlan, XBR_VID_MAX);
	return 0;
}

int xbr_fdb_add(struct xbr_bridge *br, const uint8_t mac[6], uint16_t vlan, const char *dev,
		bool is_static)
{
	struct port_slot *port;
	struct xbr_state *st;
	int err;

	err = fdb_entry_check(mac, vlan);
	if (err)
		return err;
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
	struct xbr_fdb_entry e;
	char buf[18];
	int err, n;

	xbr_format_mac(mac, buf);
	err = lock_bridge(br, false);
	if (err)
		return err;
	memcpy(key.mac, mac, 6);
	if (!bpf_map_lookup_elem(br->fdb_fd, &key, &e) && (e.flags & XBR_FDB_F_LOCAL)) {
		err = xbr_err(-EPERM, "fdb %s vlan %u: the host port's own address goes only "
			      "with the host port", buf, vlan);
		goto out;
	}
	n = fdb_remove(br, 0, XBR_FLUSH_KEY | XBR_FLUSH_LEARNED | XBR_FLUSH_STATIC, mac, vlan,
		       XBR_EV_DEL_CLI);
	if (n < 0)
		err = n;
	else if (!n)
		err = xbr_err(-ENOENT, "fdb %s vlan %u: no such entry in bridge %s", buf, vlan,
			      br->name);
out:
	unlock_bridge(br);
	return err;
}

/* Entries per batch of BPF_MAP_LOOKUP_BATCH. */
#define FDB_BATCH	4096

/*
 * Walk a snapshot taken with the batch lookup API: it reads bucket by
 * bucket, so it neither starts over nor repeats itself when entries come
 * and go meanwhile (get_next_key starts over from the first key when the
 * one it was given has gone, which under churn may not end). The datapath
 * keeps learning while we walk.
 */
int xbr_fdb_foreach(struct xbr_bridge *br,
		    int (*fn)(const struct xbr_fdb_key *key, const struct xbr_fdb_entry *e,
			      void *arg),
		    void *arg)
{
	struct xbr_fdb_entry *vals = NULL, *grown_vals;
	struct xbr_fdb_key *keys = NULL, *grown_keys;
	uint64_t token = 0;	/* a hash map's: a bucket index */
	size_t n = 0, cap = 0, i;
	void *in = NULL;
	uint32_t count;
	int ret = 0, err;

	do {
		if (n + FDB_BATCH > cap) {
			cap = cap ? 2 * cap : FDB_BATCH;
			grown_keys = realloc(keys, cap * sizeof(*keys));
			if (grown_keys)
				keys = grown_keys;
			grown_vals = grown_keys ? realloc(vals, cap * sizeof(*vals)) : NULL;
			if (!grown_vals) {
				ret = -ENOMEM;
				goto out;
			}
			vals = grown_vals;
		}
		count = FDB_BATCH;
		err = bpf_map_lookup_batch(br->fdb_fd, in, &token, keys + n, vals + n, &count,
					   NULL);
		if (err && errno != ENOENT) {
			ret = xbr_err(-errno, "bridge %s: cannot read the fdb: %s", br->name,
				      strerror(errno));
			goto out;
		}
		n += count;
		in = &token;
	} while (!err);

	for (i = 0; i < n && !ret; i++)
		ret = fn(&keys[i], &vals[i], arg);
out:
	free(keys);
	free(vals);
	return ret;
}

/*
 * Flush the entries of @ifindex (0: all ports), learned ones only if
 * @dynamic. The host's own address is never flushed: it goes only with its
 * port or its bridge, or the host would be unreachable.
 */
int xbr_fdb_flush(struct xbr_bridge *br, uint32_t ifindex, bool dynamic)
{
	uint32_t match = XBR_FLUSH_LEARNED | (dynamic ? 0 : XBR_FLUSH_STATIC);
	int err, n;

	err = lock_bridge(br, false);
	if (err)
		return err;
	n = fdb_remove(br, ifindex, match, NULL, 0, XBR_EV_DEL_FLUSH);
	unlock_bridge(br);
	return n < 0 ? n : 0;
}

/* A port left: its stations, static ones and the host's own included. */
void fdb_port_forget(struct xbr_bridge *br, uint32_t ifindex)
{
	fdb_remove(br, ifindex, XBR_FLUSH_LEARNED | XBR_FLUSH_STATIC | XBR_FLUSH_LOCAL, NULL, 0,
		   XBR_EV_DEL_PORT);
}
