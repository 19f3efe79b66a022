// SPDX-License-Identifier: GPL-2.0
/*
 * Ports by rule: netdev name patterns (`xbr port auto BRIDGE vnet*`) whose
 * netdevs the event agent adds to the bridge as they appear, as a hook
 * adding each VM's tap would. The patterns live in the bridge's
 * auto_ports map, so they go with the bridge and any process can read
 * them; changes hold the bridge's lock.
 */
#include <errno.h>
#include <fnmatch.h>
#include <stdio.h>
#include <string.h>
#include <bpf/bpf.h>
#include "internal.h"

static int auto_pattern_valid(const char *pattern)
{
	const char *c;

	if (!*pattern || strlen(pattern) > XBR_NAME_MAX)
		return 0;
	for (c = pattern; *c; c++)
		if (*c == '/' || *c <= ' ' || *c > '~')
			return 0;
	return 1;
}

static int auto_read(struct xbr_bridge *br, struct xbr_auto_port rules[XBR_AUTO_PORTS_MAX])
{
	uint32_t i;

	for (i = 0; i < XBR_AUTO_PORTS_MAX; i++)
		if (bpf_map_lookup_elem(br->auto_ports_fd, &i, &rules[i]))
			return xbr_err(-errno, "bridge %s: cannot read its port rules: %s",
				       br->name, strerror(errno));
	return 0;
}

static int auto_find(const struct xbr_auto_port rules[XBR_AUTO_PORTS_MAX], const char *pattern)
{
	int i;

	for (i = 0; i < XBR_AUTO_PORTS_MAX; i++)
		if (!strncmp(rules[i].pattern, pattern, sizeof(rules[i].pattern)))
			return i;
	return -1;
}

static int auto_write(struct xbr_bridge *br, uint32_t slot, const char *pattern)
{
	struct xbr_auto_port rule = {};

	snprintf(rule.pattern, sizeof(rule.pattern), "%s", pattern);
	if (bpf_map_update_elem(br->auto_ports_fd, &slot, &rule, BPF_ANY))
		return xbr_err(-errno, "bridge %s: cannot write its port rules: %s", br->name,
			       strerror(errno));
	return 0;
}

int xbr_port_auto_add(struct xbr_bridge *br, const char *pattern)
{
	struct xbr_auto_port rules[XBR_AUTO_PORTS_MAX];
	int err, free_slot;

	if (!auto_pattern_valid(pattern))
		return xbr_err(-EINVAL, "port auto \"%s\": a pattern is 1-%d printable characters, "
			       "no '/'", pattern, XBR_NAME_MAX);
	err = lock_bridge(br, false);
	if (err)
		return err;
	err = auto_read(br, rules);
	if (err || auto_find(rules, pattern) >= 0)
		goto out;	/* there already: nothing to do */
	free_slot = auto_find(rules, "");
	if (free_slot < 0)
		err = xbr_err(-ENOSPC, "bridge %s has %d port rules already", br->name,
			      XBR_AUTO_PORTS_MAX);
	else
		err = auto_write(br, free_slot, pattern);
out:
	unlock_bridge(br);
	return err;
}

int xbr_port_auto_del(struct xbr_bridge *br, const char *pattern)
{
	struct xbr_auto_port rules[XBR_AUTO_PORTS_MAX];
	int err, slot;

	err = lock_bridge(br, false);
	if (err)
		return err;
	err = auto_read(br, rules);
	if (err)
		goto out;
	slot = pattern[0] ? auto_find(rules, pattern) : -1;
	if (slot < 0)
		err = xbr_err(-ENOENT, "bridge %s has no port rule \"%s\"", br->name, pattern);
	else
		err = auto_write(br, slot, "");
out:
	unlock_bridge(br);
	return err;
}

int xbr_port_auto_foreach(struct xbr_bridge *br, int (*fn)(const char *pattern, void *arg),
			  void *arg)
{
	struct xbr_auto_port rules[XBR_AUTO_PORTS_MAX];
	int i, ret;

	ret = auto_read(br, rules);
	for (i = 0; !ret && i < XBR_AUTO_PORTS_MAX; i++)
		if (rules[i].pattern[0])
			ret = fn(rules[i].pattern, arg);
	return ret;
}

struct auto_match {
	const char *dev;
	bool found;
};

static int auto_match_cb(const char *pattern, void *arg)
{
	struct auto_match *m = arg;

	m->found = !fnmatch(pattern, m->dev, 0);
	return m->found;
}

bool xbr_port_auto_matches(struct xbr_bridge *br, const char *dev)
{
	struct auto_match m = { .dev = dev };

	xbr_port_auto_foreach(br, auto_match_cb, &m);
	return m.found;
}
