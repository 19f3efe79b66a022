// SPDX-License-Identifier: GPL-2.0
/* The forwarding database as the operator sees it: add, delete, walk, flush. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <bpf/bpf.h>
#include "internal.h"

int xbr_parse_mac(const char *s, uint8_t mac[6])
{
	unsigned int b[6];
	char tail;
	int i;

	if (sscanf(s, "%x:%x:%x:%x:%x:%x%c", &b[0], &b[1], &b[2], &b[3], &b[4], &b[5],
		   &tail) != 6)
		return -EINVAL;
	for (i = 0; i < 6; i++) {
		if (b[i] > 0xff)
			return -EINVAL;
		mac[i] = b[i];
	}
	return 0;
}

void xbr_format_mac(const uint8_t mac[6], char buf[18])
{
	snprintf(buf, 18, "%02x:%02x:%02x:%02x:%02x:%02x", mac[0], mac[1], mac[2], mac[3],
		 mac[4], mac[5]);
}

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

int fdb_write(struct xbr_bridge *br, const uint8_t mac[6], uint16_t vlan, uint32_t ifindex,
	      uint32_t flags)
{
	struct xbr_fdb_entry e = { .ifindex = ifindex, .flags = flags, .seen_ns = now_ns() };
	struct xbr_fdb_key key = { .vlan = vlan };
	struct xbr_port port;
	char buf[18];

	if (bpf_map_lookup_elem(br->ports_fd, &ifindex, &port))
		return xbr_err(-ENOENT, "fdb: ifindex %u is not a port of bridge %s", ifindex,
			       br->name);
	e.port_id = port.id;
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
	uint32_t ifindex;
	char buf[18];
	int err;

	xbr_format_mac(mac, buf);
	if (mac[0] & 1)
		return xbr_err(-EINVAL, "fdb %s: a multicast address cannot be an fdb entry",
			       buf);
	if (vlan > XBR_VID_MAX)
		return xbr_err(-EINVAL, "fdb %s: vlan %u out of range 0-%d", buf, vlan, XBR_VID_MAX);
	err = xbr_port_find(br, dev, &ifindex, NULL);
	if (err)
		return err;
	return fdb_write(br, mac, vlan, ifindex, is_static ? XBR_FDB_F_STATIC : 0);
}

int xbr_fdb_del(struct xbr_bridge *br, const uint8_t mac[6], uint16_t vlan)
{
	struct xbr_fdb_key key = { .vlan = vlan };
	char buf[18];

	memcpy(key.mac, mac, 6);
	if (bpf_map_delete_elem(br->fdb_fd, &key)) {
		xbr_format_mac(mac, buf);
		return xbr_err(-ENOENT, "fdb %s vlan %u: no such entry in bridge %s", buf, vlan,
			       br->name);
	}
	return 0;
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

int xbr_fdb_flush(struct xbr_bridge *br, uint32_t ifindex, bool dynamic)
{
	struct flush_ctx ctx = { .br = br, .ifindex = ifindex, .dynamic = dynamic };

	return xbr_fdb_foreach(br, flush_cb, &ctx);
}
