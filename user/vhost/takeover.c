// SPDX-License-Identifier: GPL-2.0
/*
 * Moving a vport's MAC lock with its guest (takeover.h), through libxbr's
 * port security calls: the MAC goes from the source port to this one in
 * one step (xbr_port_move_mac()), the source left locked with no MAC; its
 * guest is stopped when the destination runs.
 */
#include <errno.h>
#include <string.h>

#include "libxbr.h"

#include "takeover.h"
#include "log.h"

/* Set @dev's lock: locked, learning nothing, owning @mac (or no MAC). */
static int lock_port(struct xbr_bridge *br, const char *dev, const uint8_t *mac)
{
	struct xbr_port_sec sec;

	xbr_port_sec_init(&sec);
	sec.locked = 1;
	sec.max_macs = 0;
	sec.nr_macs = mac ? 1 : 0;
	if (mac)
		memcpy(sec.macs[0], mac, 6);
	return xbr_port_set_security(br, dev, &sec);
}

struct mac_find {
	const uint8_t *mac;
	bool found;
};

static int mac_find_cb(const uint8_t mac[6], uint32_t flags, void *arg)
{
	struct mac_find *f = arg;

	(void)flags;
	if (!memcmp(mac, f->mac, 6))
		f->found = true;
	return 0;
}

/* Whether port @dev (present) owns @mac. */
static bool port_owns(struct xbr_bridge *br, const char *dev, const uint8_t *mac)
{
	struct mac_find f = { .mac = mac };
	uint32_t ifindex;

	if (xbr_port_find(br, dev, &ifindex, NULL))
		return false;
	xbr_sec_mac_foreach(br, ifindex, mac_find_cb, &f);
	return f.found;
}

int takeover_init(struct takeover *t, const char *bridge, const char *vport,
		  const char *from)
{
	struct xbr_vport_handle own, src;
	struct xbr_bridge br;
	char mac[18];
	int err = -1;

	memset(t, 0, sizeof(*t));
	t->bridge = bridge;
	t->vport = vport;
	t->from = from;
	if (xbr_bridge_open(bridge, &br)) {
		log_err("--takeover: %s", xbr_errmsg());
		return -1;
	}
	if (xbr_vport_open(&br, vport, &own)) {
		log_err("--takeover: %s", xbr_errmsg());
		goto out_br;
	}
	if (xbr_vport_open(&br, from, &src)) {
		log_err("--takeover %s: %s", from, xbr_errmsg());
		goto out_own;
	}
	snprintf(t->port, sizeof(t->port), "%s", own.info.peer);
	snprintf(t->from_port, sizeof(t->from_port), "%s", src.info.peer);
	/* The MAC to take over: the one the source is locked to (or this
	 * vport's own, when the guest goes back to where it came from). */
	if (src.info.flags & XBR_VPORT_F_MAC) {
		memcpy(t->mac, src.info.mac, 6);
		t->active = true;
	} else if (own.info.flags & XBR_VPORT_F_MAC) {
		memcpy(t->mac, own.info.mac, 6);
		t->active = true;
	}
	err = 0;
	if (!t->active) {
		log_info("--takeover %s: neither vport is locked to a MAC, no lock to move",
			 from);
		goto out_src;
	}
	xbr_format_mac(t->mac, mac);
	if (port_owns(&br, t->port, t->mac)) {
		t->done = true;
		log_info("vport %s owns %s (takeover from %s possible later)", vport, mac,
			 from);
		goto out_src;
	}
	/* Pending: locked, and no MAC of its own until its guest runs. */
	err = lock_port(&br, t->port, NULL);
	if (err)
		log_err("--takeover: cannot lock %s: %s", t->port, xbr_errmsg());
	else
		log_info("vport %s pending: locked with no MAC until the guest of %s (%s) "
			 "runs here", vport, from, mac);
out_src:
	xbr_vport_close(&src);
out_own:
	xbr_vport_close(&own);
out_br:
	xbr_bridge_close(&br);
	return err ? -1 : 0;
}

int takeover_claim(struct takeover *t, const char *why)
{
	struct xbr_bridge br;
	uint32_t ifindex;
	char mac[18];
	int err;

	if (!t->active || t->done)
		return 0;
	xbr_format_mac(t->mac, mac);
	if (xbr_bridge_open(t->bridge, &br)) {
		log_err("takeover of %s: %s", mac, xbr_errmsg());
		return -1;
	}
	/* A MAC has one owner: it moves in one step. A source vport deleted
	 * meanwhile took its lock along: then it is simply given. */
	if (!xbr_port_find(&br, t->from_port, &ifindex, NULL) &&
	    port_owns(&br, t->from_port, t->mac))
		err = xbr_port_move_mac(&br, t->mac, t->from_port, t->port);
	else
		err = lock_port(&br, t->port, t->mac);
	if (err) {
		log_err("takeover of %s from %s (%s): %s", mac, t->from, why, xbr_errmsg());
	} else {
		t->done = true;
		log_info("vport %s took %s over from %s (%s)", t->vport, mac, t->from, why);
	}
	xbr_bridge_close(&br);
	return err ? -1 : 0;
}
