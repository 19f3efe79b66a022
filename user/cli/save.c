// SPDX-License-Identifier: GPL-2.0
/*
 * xbr save [BRIDGE]: the running configuration as `xbr -batch` lines, the
 * format `xbr apply` reads. One canonical order, so that the same state
 * always prints the same text: per bridge (by name) the bridge, its vports
 * (their ports come with them), its ports by name with every setting, their
 * VLANs, whether filtering is on (after the VLANs: a vlan add turns it on),
 * its static FDB entries and its port rules.
 */
#include <stdio.h>
#include <string.h>
#include "cli.h"

void save_synopsis(FILE *f, const char *first, const char *rest)
{
	(void)rest;
	cli_synopsis(f, first, "save [BRIDGE]", NULL);
}

static void save_bridge(FILE *f, const struct xbr_conf_bridge *b)
{
	unsigned int i;

	bridge_save(f, b);
	for (i = 0; i < b->nr_vports; i++)
		vport_save(f, b, &b->vports[i]);
	for (i = 0; i < b->nr_ports; i++)
		port_save(f, b, &b->ports[i]);
	for (i = 0; i < b->nr_ports; i++)
		vlan_save(f, b, &b->ports[i]);
	bridge_save_filtering(f, b);
	for (i = 0; i < b->nr_fdb; i++)
		fdb_save(f, b, &b->fdb[i]);
	port_save_auto(f, b);
}

int do_save(int argc, char **argv)
{
	struct xbr_conf c;
	unsigned int i;

	if (argc > 0 && is_help(argv[0])) {
		save_synopsis(stdout, "Usage: ", "       ");
		puts("\n  Print the running configuration of every bridge (or BRIDGE) as commands\n"
		     "  for xbr -batch and xbr apply: xbr save > /etc/xbr/xbr.conf keeps it\n"
		     "  across a reboot (xbr.service applies it at boot).");
		return 0;
	}
	if (argc > 1)
		return cli_fail("save: unexpected argument \"%s\"", argv[1]);
	if (xbr_conf_read(&c, argc ? argv[0] : NULL))
		return cli_lib_fail();
	puts("# xbr configuration: xbr save; restore with xbr apply FILE");
	for (i = 0; i < c.nr_bridges; i++)
		save_bridge(stdout, &c.bridges[i]);
	xbr_conf_free(&c);
	return 0;
}
