// SPDX-License-Identifier: GPL-2.0
/* xbr bridge add|del|set|reload|show */
#include <stdio.h>
#include <string.h>
#include "cli.h"

static void bridge_usage(FILE *f)
{
	fputs("Usage: xbr bridge add NAME [ageing SECONDS] [host-port]\n"
	      "       xbr bridge del NAME\n"
	      "       xbr bridge set NAME [ageing SECONDS] [vlan-filtering on|off]\n"
	      "                           [fdb-max-learned N]\n"
	      "       xbr bridge reload NAME\n"
	      "       xbr bridge show [NAME]\n"
	      "\n"
	      "  ageing     seconds a learned address stays valid without traffic (300)\n"
	      "  fdb-max-learned  learned entries the bridge holds at most; a full bridge\n"
	      "             stops learning and floods, never evicting (126976, the most)\n"
	      "  host-port  create a veth pair: NAME carries the host's addresses like a\n"
	      "             Linux bridge device did, NAME-hp is its port in the bridge\n"
	      "  reload     replace the programs with this build's, keeping FDB and counters\n",
	      f);
}

static int bridge_add(int argc, char **argv)
{
	unsigned int ageing = XBR_AGEING_DEFAULT_S;
	bool host_port = false;
	const char *name;

	if (argc < 1)
		return cli_fail("bridge add: missing NAME");
	name = argv[0];
	for (argc--, argv++; argc > 0; argc--, argv++) {
		if (!strcmp(argv[0], "ageing")) {
			if (parse_uint("ageing", need_arg(&argc, &argv, "ageing"), 1000000,
				       &ageing))
				return 1;
		} else if (!strcmp(argv[0], "host-port")) {
			host_port = true;
		} else {
			return cli_fail("bridge add: unknown argument \"%s\"", argv[0]);
		}
	}
	if (xbr_bridge_add(name, ageing, host_port))
		return cli_lib_fail();
	return 0;
}

static int bridge_set(int argc, char **argv)
{
	unsigned int ageing = 0, max_learned = 0;
	bool have_ageing = false, have_max = false;
	int filtering = -1;
	struct xbr_bridge br;
	int ret = 0;

	if (argc < 1)
		return cli_fail("bridge set: missing NAME");
	for (int i = 1; i < argc; i++) {
		if (!strcmp(argv[i], "ageing")) {
			if (i + 1 >= argc)
				return cli_fail("\"ageing\" needs an argument");
			if (parse_uint("ageing", argv[++i], 1000000, &ageing))
				return 1;
			have_ageing = true;
		} else if (!strcmp(argv[i], "fdb-max-learned")) {
			if (i + 1 >= argc)
				return cli_fail("\"fdb-max-learned\" needs an argument");
			if (parse_uint("fdb-max-learned", argv[++i], XBR_FDB_LEARNED_MAX,
				       &max_learned))
				return 1;
			have_max = true;
		} else if (!strcmp(argv[i], "vlan-filtering")) {
			filtering = parse_on_off(argv[i], i + 1 < argc ? argv[i + 1] : NULL);
			if (filtering < 0)
				return i + 1 < argc ? 1 : cli_fail("\"vlan-filtering\" needs on or off");
			i++;
		} else {
			return cli_fail("bridge set: unknown argument \"%s\"", argv[i]);
		}
	}
	if (!have_ageing && filtering < 0 && !have_max)
		return cli_fail("bridge set %s: nothing to set (ageing, vlan-filtering, "
				"fdb-max-learned)", argv[0]);
	if (open_bridge(argv[0], &br))
		return 1;
	if (have_ageing && xbr_bridge_set_ageing(&br, ageing))
		ret = cli_lib_fail();
	else if (filtering >= 0 && xbr_bridge_set_vlan_filtering(&br, filtering))
		ret = cli_lib_fail();
	else if (have_max && xbr_bridge_set_fdb_max_learned(&br, max_learned))
		ret = cli_lib_fail();
	xbr_bridge_close(&br);
	return ret;
}

static int bridge_reload(int argc, char **argv)
{
	struct xbr_bridge br;
	int ret = 0;

	if (argc != 1)
		return cli_fail("bridge reload: expected NAME");
	if (open_bridge(argv[0], &br))
		return 1;
	if (xbr_bridge_reload(&br))
		ret = cli_lib_fail();
	xbr_bridge_close(&br);
	return ret;
}

struct show_ctx {
	int nports;
	bool first;
};

static int show_port_name(uint32_t ifindex, const struct xbr_port *port, void *arg)
{
	struct show_ctx *ctx = arg;

	(void)ifindex;
	if (json)
		jw_string(NULL, port->name);
	else
		printf("%s%s", ctx->nports ? " " : "", port->name);
	ctx->nports++;
	return 0;
}

static int show_one(const char *name, void *arg)
{
	struct show_ctx ctx = { 0 };
	struct xbr_fdb_gc gc = {};
	struct xbr_bridge br;
	struct xbr_config cfg;
	char host[IFNAMSIZ] = "";

	(void)arg;
	if (xbr_bridge_open(name, &br)) {
		fprintf(stderr, "xbr: %s\n", xbr_errmsg());
		return 0;
	}
	if (xbr_bridge_config(&br, &cfg)) {
		xbr_bridge_close(&br);
		return 0;
	}
	if (cfg.host_ifindex)
		snprintf(host, sizeof(host), "%s", name);
	xbr_bridge_fdb_gc(&br, &gc);
	if (json) {
		jw_object_open(NULL);
		jw_string("name", name);
		jw_uint("ageing", cfg.ageing_ns / 1000000000ULL);
		if (host[0])
			jw_string("host_port", host);
		else
			jw_null("host_port");
		jw_bool("xdp_flood", cfg.flags & XBR_CFG_F_XDP_FLOOD);
		jw_bool("vlan_filtering", cfg.flags & XBR_CFG_F_VLAN_FILTERING);
		jw_uint("fdb_learned", gc.learned);
		jw_uint("fdb_max_learned", cfg.fdb_max_learned);
		jw_object_open("reclaimer");
		jw_uint("period_ms", gc.period_ns / 1000000);
		jw_uint("sweeps", gc.sweeps);
		jw_uint("aged", gc.aged);
		jw_uint("orphans", gc.orphans);
		jw_object_close();
		jw_array_open("ports");
		xbr_port_foreach(&br, show_port_name, &ctx);
		jw_array_close();
		jw_string("pin_dir", br.dir);
		jw_object_close();
	} else {
		printf("%s: ageing %llu", name, (unsigned long long)(cfg.ageing_ns / 1000000000ULL));
		if (host[0])
			printf(" host-port %s", host);
		printf(" flood %s vlan-filtering %s\n", cfg.flags & XBR_CFG_F_XDP_FLOOD ? "xdp" : "tc",
		       cfg.flags & XBR_CFG_F_VLAN_FILTERING ? "on" : "off");
		printf("    fdb: %llu learned of %u; reclaimer every %llu ms: %llu sweeps, "
		       "%llu aged, %llu orphans\n    ports: ", (unsigned long long)gc.learned,
		       cfg.fdb_max_learned, (unsigned long long)(gc.period_ns / 1000000),
		       (unsigned long long)gc.sweeps, (unsigned long long)gc.aged,
		       (unsigned long long)gc.orphans);
		xbr_port_foreach(&br, show_port_name, &ctx);
		printf("%s\n", ctx.nports ? "" : "(none)");
	}
	xbr_bridge_close(&br);
	return 0;
}

static int bridge_show(int argc, char **argv)
{
	if (argc > 1)
		return cli_fail("bridge show: unexpected argument \"%s\"", argv[1]);
	return show_bridges(argc ? argv[0] : NULL, show_one, NULL);
}

int do_bridge(int argc, char **argv)
{
	if (argc < 1)
		return bridge_show(0, NULL);
	if (is_help(argv[0])) {
		bridge_usage(stdout);
		return 0;
	}
	if (!strcmp(argv[0], "add"))
		return bridge_add(argc - 1, argv + 1);
	if (!strcmp(argv[0], "del") || !strcmp(argv[0], "delete")) {
		if (argc != 2)
			return cli_fail("bridge del: expected NAME");
		return xbr_bridge_del(argv[1]) ? cli_lib_fail() : 0;
	}
	if (!strcmp(argv[0], "set"))
		return bridge_set(argc - 1, argv + 1);
	if (!strcmp(argv[0], "reload"))
		return bridge_reload(argc - 1, argv + 1);
	if (!strcmp(argv[0], "show") || !strcmp(argv[0], "list"))
		return bridge_show(argc - 1, argv + 1);
	cli_fail("bridge: unknown command \"%s\"", argv[0]);
	bridge_usage(stderr);
	return 1;
}
