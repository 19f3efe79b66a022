// SPDX-License-Identifier: GPL-2.0
/*
 * Port security: the MACs and addresses a port may send from, its learned
 * MAC budget and its flood cap. Validated whole before anything is written,
 * so a refused command changes nothing. Its lists live in sec_macs and
 * sec_ips; the port's flags and limits go through the commit.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <arpa/inet.h>
#include <bpf/bpf.h>
#include "internal.h"

void xbr_port_sec_init(struct xbr_port_sec *sec)
{
	memset(sec, 0, sizeof(*sec));
	sec->locked = -1;
	sec->nr_macs = -1;
	sec->nr_ips = -1;
	sec->max_macs = -1;
	sec->flood_limit = -1;
	sec->learn_limit = -1;
}

/* Snapshot a hash map's keys; @fn may delete the key it is given. */
static int keys_foreach(int map_fd, size_t key_size,
			int (*fn)(const void *key, void *arg), void *arg)
{
	char *keys, *prev = NULL, *grown;
	size_t n = 0, cap = 64, i;
	int ret = 0;

	keys = malloc(cap * key_size);
	if (!keys)
		return -ENOMEM;
	while (!bpf_map_get_next_key(map_fd, prev, keys + n * key_size)) {
		prev = keys + n * key_size;
		if (++n == cap) {
			grown = realloc(keys, 2 * cap * key_size);
			if (!grown) {
				free(keys);
				return -ENOMEM;
			}
			keys = grown;
			cap *= 2;
			prev = keys + (n - 1) * key_size;
		}
	}
	for (i = 0; i < n && !ret; i++)
		ret = fn(keys + i * key_size, arg);
	free(keys);
	return ret;
}

struct mac_walk {
	struct xbr_bridge *br;
	uint32_t ifindex;
	uint32_t delete_flags;	/* delete entries with any of these; 0: call fn */
	int (*fn)(const uint8_t mac[6], uint32_t flags, void *arg);
	void *arg;
};

static int mac_walk_cb(const void *k, void *arg)
{
	const struct xbr_sec_mac_key *key = k;
	struct mac_walk *w = arg;
	struct xbr_sec_mac val;

	if (bpf_map_lookup_elem(w->br->sec_macs_fd, key, &val) || val.ifindex != w->ifindex)
		return 0;
	if (w->delete_flags) {
		if (val.flags & w->delete_flags)
			bpf_map_delete_elem(w->br->sec_macs_fd, key);
		return 0;
	}
	return w->fn(key->mac, val.flags, w->arg);
}

int xbr_sec_mac_foreach(struct xbr_bridge *br, uint32_t ifindex,
			int (*fn)(const uint8_t mac[6], uint32_t flags, void *arg), void *arg)
{
	struct mac_walk w = { .br = br, .ifindex = ifindex, .fn = fn, .arg = arg };

	return keys_foreach(br->sec_macs_fd, sizeof(struct xbr_sec_mac_key), mac_walk_cb, &w);
}

static void sec_macs_delete(struct xbr_bridge *br, uint32_t ifindex, uint32_t flags)
{
	struct mac_walk w = { .br = br, .ifindex = ifindex, .delete_flags = flags };

	keys_foreach(br->sec_macs_fd, sizeof(struct xbr_sec_mac_key), mac_walk_cb, &w);
}

struct ip_walk {
	struct xbr_bridge *br;
	uint32_t ifindex;
	bool delete;
	int (*fn)(const struct xbr_sec_addr *a, void *arg);
	void *arg;
};

static int ip_walk_cb(const void *k, void *arg)
{
	const struct xbr_sec_ip_key *key = k;
	struct ip_walk *w = arg;
	struct xbr_sec_addr a;

	if (key->ifindex != w->ifindex)
		return 0;
	if (w->delete) {
		bpf_map_delete_elem(w->br->sec_ips_fd, key);
		return 0;
	}
	a.family = key->family;
	memcpy(a.addr, key->addr, sizeof(a.addr));
	return w->fn(&a, w->arg);
}

int xbr_sec_ip_foreach(struct xbr_bridge *br, uint32_t ifindex,
		       int (*fn)(const struct xbr_sec_addr *a, void *arg), void *arg)
{
	struct ip_walk w = { .br = br, .ifindex = ifindex, .fn = fn, .arg = arg };

	return keys_foreach(br->sec_ips_fd, sizeof(struct xbr_sec_ip_key), ip_walk_cb, &w);
}

static void sec_ips_delete(struct xbr_bridge *br, uint32_t ifindex)
{
	struct ip_walk w = { .br = br, .ifindex = ifindex, .delete = true };

	keys_foreach(br->sec_ips_fd, sizeof(struct xbr_sec_ip_key), ip_walk_cb, &w);
}

static int rt_reset(struct xbr_bridge *br, const struct xbr_port *port)
{
	struct xbr_port_rt rt = { 0 };
	uint32_t id = port->id;

	return bpf_map_update_elem(br->port_rt_fd, &id, &rt, BPF_ANY) ? -errno : 0;
}

/* A port left the bridge (its slot and counters are the commit's). */
void sec_port_forget(struct xbr_bridge *br, uint32_t ifindex)
{
	sec_macs_delete(br, ifindex, XBR_SEC_F_CONFIGURED | XBR_SEC_F_LEARNED);
	sec_ips_delete(br, ifindex);
}

/* Refuse MACs that cannot be a station's, or that belong to another port. */
static int sec_macs_check(struct xbr_bridge *br, uint32_t ifindex, const char *dev,
			  const struct xbr_port_sec *sec)
{
	struct xbr_sec_mac_key key = { 0 };
	struct xbr_sec_mac owner;
	struct xbr_port other;
	char buf[18];
	int i;

	for (i = 0; i < sec->nr_macs; i++) {
		xbr_format_mac(sec->macs[i], buf);
		if ((sec->macs[i][0] & 1) || !memcmp(sec->macs[i], "\0\0\0\0\0\0", 6))
			return xbr_err(-EINVAL, "port %s: mac %s is not a unicast address", dev,
				       buf);
		memcpy(key.mac, sec->macs[i], 6);
		if (!bpf_map_lookup_elem(br->sec_macs_fd, &key, &owner) &&
		    owner.ifindex != ifindex) {
			if (bpf_map_lookup_elem(br->ports_fd, &owner.ifindex, &other))
				snprintf(other.name, sizeof(other.name), "if%u", owner.ifindex);
			return xbr_err(-EBUSY, "port %s: mac %s belongs to port %s", dev, buf,
				       other.name);
		}
	}
	return 0;
}

static int sec_macs_write(struct xbr_bridge *br, uint32_t ifindex, const char *dev,
			  const struct xbr_port_sec *sec)
{
	struct xbr_sec_mac val = { .ifindex = ifindex, .flags = XBR_SEC_F_CONFIGURED };
	struct xbr_sec_mac_key key = { 0 };
	int i;

	sec_macs_delete(br, ifindex, XBR_SEC_F_CONFIGURED);
	for (i = 0; i < sec->nr_macs; i++) {
		memcpy(key.mac, sec->macs[i], 6);
		if (bpf_map_update_elem(br->sec_macs_fd, &key, &val, BPF_ANY))
			return xbr_err(-errno, "port %s: cannot record its MACs: %s", dev,
				       strerror(errno));
	}
	return 0;
}

static int sec_ips_write(struct xbr_bridge *br, uint32_t ifindex, const char *dev,
			 const struct xbr_port_sec *sec)
{
	struct xbr_sec_ip_key key = { .ifindex = ifindex };
	struct xbr_sec_ip val = { 0 };
	int i;

	sec_ips_delete(br, ifindex);
	for (i = 0; i < sec->nr_ips; i++) {
		key.family = sec->ips[i].family;
		memset(key.addr, 0, sizeof(key.addr));
		memcpy(key.addr, sec->ips[i].addr, key.family == AF_INET ? 4 : 16);
		if (bpf_map_update_elem(br->sec_ips_fd, &key, &val, BPF_ANY))
			return xbr_err(-errno, "port %s: cannot record its addresses: %s", dev,
				       strerror(errno));
	}
	return 0;
}

/* The XBR_CFG_F_SEC_MACS flag follows from the ports and their lists at
 * commit. */
static int port_set_security(struct xbr_state *st, const char *dev,
			     const struct xbr_port_sec *sec)
{
	struct xbr_bridge *br = state_bridge(st);
	struct port_slot *slot;
	struct xbr_port *port;
	uint32_t ifindex;
	int err;

	slot = state_port(st, dev);
	if (!slot)
		return xbr_err(-ENOENT, "port %s is not in bridge %s", dev, br->name);
	ifindex = slot->ifindex;
	port = &slot->port;
	if (sec->nr_macs > 0 && sec->locked == 0)
		return xbr_err(-EINVAL, "port %s: MACs given while turning the lock off", dev);
	err = sec_macs_check(br, ifindex, dev, sec);
	if (err)
		return err;

	if (sec->locked == 0) {
		port->flags &= ~(XBR_PORT_F_LOCKED | XBR_PORT_F_IP_LOCKED);
		sec_macs_delete(br, ifindex, XBR_SEC_F_CONFIGURED | XBR_SEC_F_LEARNED);
		sec_ips_delete(br, ifindex);
		rt_reset(br, port);
	} else if (sec->locked == 1) {
		port->flags |= XBR_PORT_F_LOCKED;
	}
	if (sec->max_macs >= 0)
		port->max_macs = sec->max_macs;
	if (sec->flood_limit >= 0)
		port->flood_limit = sec->flood_limit;
	if (sec->learn_limit >= 0)
		port->learn_limit = sec->learn_limit;
	if (sec->nr_macs >= 0) {
		err = sec_macs_write(br, ifindex, dev, sec);
		if (err)
			return err;
	}
	if (sec->nr_ips >= 0) {
		err = sec_ips_write(br, ifindex, dev, sec);
		if (err)
			return err;
		if (sec->nr_ips)
			port->flags |= XBR_PORT_F_IP_LOCKED;
		else
			port->flags &= ~XBR_PORT_F_IP_LOCKED;
	}
	/* Lists first, then the port: a port turning locked finds its MACs in
	 * place (the datapath looks them up for a locked port whatever the
	 * bridge-wide flag says). */
	return state_commit(st);
}

int xbr_port_set_security(struct xbr_bridge *br, const char *dev, const struct xbr_port_sec *sec)
{
	struct xbr_state *st;
	int err;

	err = state_begin(br, false, &st);
	if (err)
		return err;
	err = port_set_security(st, dev, sec);
	state_end(st);
	return err;
}
