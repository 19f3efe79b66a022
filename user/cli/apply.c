// SPDX-License-Identifier: GPL-2.0
/*
 * xbr apply [FILE]: make the running state what FILE (`xbr save`'s format,
 * /etc/xbr/xbr.conf by default) says. The whole file is read into a
 * configuration first, each line parsed by its object as the command would
 * parse it; an error anywhere changes nothing. Then the library applies the
 * difference under the lock above bridges (libxbr's xbr_conf_apply()).
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "cli.h"

#define XBR_CONF_DEFAULT	"/etc/xbr/xbr.conf"

void apply_synopsis(FILE *f, const char *first, const char *rest)
{
	(void)rest;
	cli_synopsis(f, first, "apply [FILE]", NULL);
}

static const struct {
	const char *object;
	int (*conf)(struct xbr_conf *c, int argc, char **argv);
} conf_objects[] = {
	{ "bridge", bridge_conf },
	{ "port", port_conf },
	{ "vport", vport_conf },
	{ "vlan", vlan_conf },
	{ "fdb", fdb_conf },
};

static int conf_line(struct xbr_conf *c, int argc, char **argv)
{
	size_t i;

	for (i = 0; i < sizeof(conf_objects) / sizeof(conf_objects[0]); i++) {
		if (strcmp(argv[0], conf_objects[i].object))
			continue;
		if (argc < 2)
			return cli_fail("%s: missing command", argv[0]);
		return conf_objects[i].conf(c, argc - 1, argv + 1);
	}
	return cli_fail("\"%s\" is no configuration (bridge, port, vport, vlan, fdb are)",
			argv[0]);
}

/* Read @path into @c; 1 (printed, with its line number) on any error. */
static int conf_file(const char *path, struct xbr_conf *c)
{
	FILE *f = strcmp(path, "-") ? fopen(path, "re") : stdin;
	char *line = NULL, **argv = NULL;
	size_t len = 0, cap = 0;
	int argc, ret = 0;

	if (!f)
		return cli_fail("apply %s: %s", path, strerror(errno));
	while (!ret && getline(&line, &len, f) >= 0) {
		cli_line++;
		if (line[strspn(line, " \t")] == '#')
			continue;
		argc = cli_line_words(line, &argv, &cap);
		if (argc < 0 || (argc > 0 && conf_line(c, argc, argv)))
			ret = 1;
	}
	if (!ret && ferror(f))
		ret = cli_fail("apply %s: %s", path, strerror(errno));
	cli_line = 0;
	if (f != stdin)
		fclose(f);
	free(line);
	free(argv);
	return ret;
}

int do_apply(int argc, char **argv)
{
	const char *path = argc ? argv[0] : XBR_CONF_DEFAULT;
	struct xbr_conf c = { 0 };
	int ret = 0;

	if (argc > 0 && is_help(argv[0])) {
		apply_synopsis(stdout, "Usage: ", "       ");
		printf("\n  Make the running state what FILE (default %s; - for stdin)\n"
		       "  says: bridges, ports and vports it does not name are removed, what is\n"
		       "  missing is made, what differs is changed; ports whose settings are the\n"
		       "  same keep forwarding untouched. FILE holds xbr save's lines (those of\n"
		       "  xbr -batch: bridge add/set, port add/set/auto, vport add, vlan add/del,\n"
		       "  fdb add ... static). A file with an error changes nothing.\n",
		       XBR_CONF_DEFAULT);
		return 0;
	}
	if (argc > 1)
		return cli_fail("apply: unexpected argument \"%s\"", argv[1]);
	if (cli_line)
		return cli_fail("apply cannot run in a batch");
	if (conf_file(path, &c))
		ret = 1;
	else if (xbr_conf_apply(&c))
		ret = cli_fail("apply %s: %s", path, xbr_errmsg());
	xbr_conf_free(&c);
	return ret;
}
