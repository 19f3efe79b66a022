// SPDX-License-Identifier: GPL-2.0
/*
 * VLAN membership, with the Linux bridge's semantics under vlan_filtering:
 * every port starts as an untagged member of VLAN 1 with pvid 1; `vlan add`
 * adds memberships (and may move the pvid), `vlan del` removes them (and
 * clears the pvid it removes). The first `vlan add` turns filtering on.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <bpf/bpf.h>
#include "internal.h"

static int vid_range_valid(struct xbr_bridge *br, uint16_t lo, uint16_t hi)
{
	if (lo < 1 || hi > XBR_VID_MAX || lo > hi)
		return xbr_err(-EINVAL, "bridge %s: vid %u-%u out of range 1-%d", br->name, lo, hi,
			       XBR_VID_MAX);
	return 0;
}

/* Filtering is the config's own flag, not derived: the operator may turn
 * it off with memberships in place. */
static void vlan_filtering_set(struct xbr_state *st, bool on)
{
	struct xbr_config *cfg = state_config(st);

	if (on)
		cfg->flags |= XBR_CFG_F_VLAN_FILTERING;
	else
		cfg->flags &= ~XBR_CFG_F_VLAN_FILTERING;
}

int xbr_bridge_set_vlan_filtering(struct xbr_bridge *br, bool on)
{
	struct xbr_state *st;
	int err;

	err = state_begin(br, false, &st);
	if (err)
		return err;
	vlan_filtering_set(st, on);
	err = state_commit(st);
	state_end(st);
	return err;
}

static int vlan_add(struct xbr_state *st, const char *dev, uint16_t vid_lo, uint16_t vid_hi,
		    bool pvid, bool untagged)
{
	struct xbr_vlan v = { .flags = untagged ? XBR_VLAN_F_UNTAGGED : 0 };
	struct xbr_bridge *br = state_bridge(st);
	struct xbr_vlan_key key = { 0 };
	struct port_slot *port;
	unsigned int vid;
	int err;

	port = state_port(st, dev);
	if (!port)
		return xbr_err(-ENOENT, "port %s is not in bridge %s", dev, br->name);
	key.ifindex = port->ifindex;
	for (vid = vid_lo; vid <= vid_hi; vid++) {
		key.vid = vid;
		if (bpf_map_update_elem(br->vlans_fd, &key, &v, BPF_ANY)) {
			err = xbr_err(-errno, "port %s: cannot add vid %u: %s", dev, vid,
				      strerror(errno));
			/* Undo this call's part of the range. */
			while (--vid >= vid_lo) {
				key.vid = vid;
				bpf_map_delete_elem(br->vlans_fd, &key);
			}
			return err;
		}
	}
	if (pvid)
		port->port.pvid = vid_lo;
	vlan_filtering_set(st, true);
	return state_commit(st);
}

int xbr_vlan_add(struct xbr_bridge *br, const char *dev, uint16_t vid_lo, uint16_t vid_hi,
		 bool pvid, bool untagged)
{
	struct xbr_state *st;
	int err;

	err = vid_range_valid(br, vid_lo, vid_hi);
	if (err)
		return err;
	if (pvid && vid_lo != vid_hi)
		return xbr_err(-EINVAL, "port %s: pvid needs a single vid, not a range", dev);
	err = state_begin(br, false, &st);
	if (err)
		return err;
	err = vlan_add(st, dev, vid_lo, vid_hi, pvid, untagged);
	state_end(st);
	return err;
}

static int vlan_del(struct xbr_state *st, const char *dev, uint16_t vid_lo, uint16_t vid_hi)
{
	struct xbr_bridge *br = state_bridge(st);
	struct xbr_vlan_key key = { 0 };
	struct port_slot *port;
	unsigned int vid, missing = 0;

	port = state_port(st, dev);
	if (!port)
		return xbr_err(-ENOENT, "port %s is not in bridge %s", dev, br->name);
	key.ifindex = port->ifindex;
	for (vid = vid_lo; vid <= vid_hi; vid++) {
		key.vid = vid;
		if (bpf_map_delete_elem(br->vlans_fd, &key))
			missing++;
	}
	if (missing == vid_hi - vid_lo + 1U)
		return xbr_err(-ENOENT, "port %s is not a member of vid %u%s%.0u", dev, vid_lo,
			       vid_hi != vid_lo ? "-" : "", vid_hi != vid_lo ? vid_hi : 0);
	if (port->port.pvid >= vid_lo && port->port.pvid <= vid_hi)
		port->port.pvid = 0;
	return state_commit(st);
}

int xbr_vlan_del(struct xbr_bridge *br, const char *dev, uint16_t vid_lo, uint16_t vid_hi)
{
	struct xbr_state *st;
	int err;

	err = vid_range_valid(br, vid_lo, vid_hi);
	if (err)
		return err;
	err = state_begin(br, false, &st);
	if (err)
		return err;
	err = vlan_del(st, dev, vid_lo, vid_hi);
	state_end(st);
	return err;
}

struct vlan_entry {
	struct xbr_vlan_key key;
	struct xbr_vlan v;
};

static int vlan_entry_cmp(const void *a, const void *b)
{
	const struct vlan_entry *x = a, *y = b;

	return (int)x->key.vid - (int)y->key.vid;
}

/* Walk @ifindex's VLANs in VID order; @fn may delete the entry it is given. */
int xbr_vlan_foreach(struct xbr_bridge *br, uint32_t ifindex,
		     int (*fn)(uint16_t vid, const struct xbr_vlan *v, void *arg), void *arg)
{
	struct xbr_vlan_key cur, next, *prev = NULL;
	size_t n = 0, cap = 64, i;
	struct vlan_entry *ents, *grown;
	int ret = 0;

	ents = malloc(cap * sizeof(*ents));
	if (!ents)
		return -ENOMEM;
	while (!bpf_map_get_next_key(br->vlans_fd, prev, &next)) {
		cur = next;
		prev = &cur;
		if (cur.ifindex != ifindex || bpf_map_lookup_elem(br->vlans_fd, &cur, &ents[n].v))
			continue;
		ents[n++].key = cur;
		if (n == cap) {
			grown = realloc(ents, 2 * cap * sizeof(*ents));
			if (!grown) {
				free(ents);
				return -ENOMEM;
			}
			ents = grown;
			cap *= 2;
		}
	}
	qsort(ents, n, sizeof(*ents), vlan_entry_cmp);
	for (i = 0; i < n && !ret; i++)
		ret = fn(ents[i].key.vid, &ents[i].v, arg);
	free(ents);
	return ret;
}

struct forget_ctx {
	struct xbr_bridge *br;
	uint32_t ifindex;
};

static int forget_cb(uint16_t vid, const struct xbr_vlan *v, void *arg)
{
	struct forget_ctx *ctx = arg;
	struct xbr_vlan_key key = { .ifindex = ctx->ifindex, .vid = vid };

	(void)v;
	bpf_map_delete_elem(ctx->br->vlans_fd, &key);
	return 0;
}

void vlan_port_forget(struct xbr_bridge *br, uint32_t ifindex)
{
	struct forget_ctx ctx = { .br = br, .ifindex = ifindex };

	xbr_vlan_foreach(br, ifindex, forget_cb, &ctx);
}

/* A new port is an untagged member of VLAN 1 with pvid 1, as on Linux. */
int vlan_port_init(struct xbr_bridge *br, uint32_t ifindex)
{
	struct xbr_vlan_key key = { .ifindex = ifindex, .vid = XBR_VID_DEFAULT };
	struct xbr_vlan v = { .flags = XBR_VLAN_F_UNTAGGED };

	if (bpf_map_update_elem(br->vlans_fd, &key, &v, BPF_ANY))
		return -errno;
	return 0;
}
