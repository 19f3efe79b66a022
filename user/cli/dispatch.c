// SPDX-License-Identifier: GPL-2.0
/* xbr OBJECT ...: the table of objects, and the usage of them all. */
#include <stdio.h>
#include <string.h>
#include "cli.h"

/* xbr show [BRIDGE]: the overview, i.e. bridge show. */
static int do_show(int argc, char **argv)
{
	char *args[] = { "show", argc > 0 ? argv[0] : NULL, NULL };

	if (argc > 0 && is_help(argv[0])) {
		puts("Usage: xbr show [BRIDGE]   (same as: xbr bridge show [BRIDGE])");
		return 0;
	}
	return do_bridge(argc > 0 ? 2 : 1, args);
}

static const struct {
	const char *name;
	int (*run)(int argc, char **argv);
	void (*synopsis)(FILE *f, const char *first, const char *rest);
} objects[] = {
	{ "bridge", do_bridge, bridge_synopsis },
	{ "port", do_port, port_synopsis },
	{ "vport", do_vport, vport_synopsis },
	{ "fdb", do_fdb, fdb_synopsis },
	{ "vlan", do_vlan, vlan_synopsis },
	{ "stats", do_stats, stats_synopsis },
	{ "trace", do_trace, trace_synopsis },
	{ "monitor", do_monitor, monitor_synopsis },
	{ "save", do_save, save_synopsis },
	{ "apply", do_apply, apply_synopsis },
	{ "show", do_show, NULL },
};

#define NR_OBJECTS (sizeof(objects) / sizeof(objects[0]))

void cli_usage(FILE *f)
{
	size_t i;

	fputs("Usage: xbr [OPTIONS] OBJECT { COMMAND | help }\n"
	      "       xbr [OPTIONS] -batch FILE [-force]\n"
	      "where  OBJECT := { bridge | port | vport | fdb | vlan | stats | trace | monitor | save |\n"
	      "                  apply | show }\n"
	      "       OPTIONS := { -j[son] | -s[tatistics] | --pin-root DIR | -h[elp] }\n"
	      "\n", f);
	for (i = 0; i < NR_OBJECTS; i++)
		if (objects[i].synopsis)
			objects[i].synopsis(f, "  ", "  ");
	fputs("\n"
	      "  -batch FILE  run the commands in FILE (- for stdin), one per line: the words\n"
	      "               after xbr, no options; # starts a comment line; \"...\" quotes a\n"
	      "               word. One process, one lock: no other xbr changes a bridge\n"
	      "               meanwhile. Stops at the first error (\"line N: ...\") unless\n"
	      "               -force is given; exits non-zero if any command failed.\n"
	      "\n"
	      "Maps and programs are pinned under PIN-ROOT/xbr/BRIDGE (PIN-ROOT: --pin-root,\n"
	      "else $XBR_PIN_ROOT, else /sys/fs/bpf); inspect them with bpftool.\n", f);
}

int cli_dispatch(int argc, char **argv)
{
	size_t i;

	if (is_help(argv[0])) {
		cli_usage(stdout);
		return 0;
	}
	for (i = 0; i < NR_OBJECTS; i++)
		if (!strcmp(argv[0], objects[i].name))
			return objects[i].run(argc - 1, argv + 1);
	cli_fail("unknown object \"%s\"", argv[0]);
	if (!cli_line)
		cli_usage(stderr);
	return 1;
}
