// SPDX-License-Identifier: GPL-2.0
/* xbr bridge add|del|set|reload|show */
#include <stddef.h>
#include <stdio.h>
#include <string.h>
#include "cli.h"

struct bridge_cmd {
	unsigned int ageing;	/* 0: not given (set) */
	bool host_port;
	int vlan_filtering;	/* -1: not given */
	unsigned int fdb_max_learned;	/* 0: not given */
	const char *objects;
};

static const struct cli_kw add_kws[] = {
	{ "ageing", "SECONDS", kw_uint, offsetof(struct bridge_cmd, ageing), 1, 1000000, NULL,
	  "  ageing     seconds a learned address stays valid without traffic (300)" },
	{ "host-port", NULL, kw_flag, offsetof(struct bridge_cmd, host_port), 0, 0, NULL,
	  "  host-port  create a veth pair: NAME carries the host's addresses like a\n"
	  "             Linux bridge device did, NAME-hp is its port in the bridge" },
	{ 0 }
};

static const struct cli_kw set_kws[] = {
	{ "ageing", "SECONDS", kw_uint, offsetof(struct bridge_cmd, ageing), 1, 1000000 },
	{ "vlan-filtering", "on|off", kw_on_off, offsetof(struct bridge_cmd, vlan_filtering), 0,
	  0, NULL,
	  "  vlan-filtering  classify frames into 802.1Q VLANs (the first vlan add turns\n"
	  "             it on; off: tags pass untouched)" },
	{ "fdb-max-learned", "N", kw_uint, offsetof(struct bridge_cmd, fdb_max_learned), 1,
	  XBR_FDB_LEARNED_MAX, NULL,
	  "  fdb-max-learned  learned entries the bridge holds at most; a full bridge\n"
	  "             stops learning and floods, never evicting (126976, the most)" },
	{ 0 }
};

static const struct cli_kw reload_kws[] = {
	{ "objects", "DIR", kw_string, offsetof(struct bridge_cmd, objects), 0, 0, NULL,
	  "  reload     replace the programs with this build's, keeping FDB and counters;\n"
	  "             every new program is loaded and verified before any is swapped\n"
	  "             in, so a failure changes nothing\n"
	  "  objects    reload: take xbr_xdp.bpf.o, xbr_tc.bpf.o, xbr_egress.bpf.o and\n"
	  "             xbr_fdb.bpf.o from DIR instead (another build's programs)" },
	{ 0 }
};

void bridge_synopsis(FILE *f, const char *first, const char *rest)
{
	cli_synopsis(f, first, "bridge add NAME", add_kws);
	cli_synopsis(f, rest, "bridge del NAME", NULL);
	cli_synopsis(f, rest, "bridge set NAME", set_kws);
	cli_synopsis(f, rest, "bridge reload NAME", reload_kws);
	cli_synopsis(f, rest, "bridge show [NAME]", NULL);
}

static void bridge_usage(FILE *f)
{
	bridge_synopsis(f, "Usage: ", "       ");
	fputc('\n', f);
	cli_kws_help(f, add_kws);
	cli_kws_help(f, set_kws);
	cli_kws_help(f, reload_kws);
}

/* ---- configuration: save and apply ---------------------------------------- */

int bridge_conf(struct xbr_conf *c, int argc, char **argv)
{
	struct bridge_cmd bc = { .ageing = XBR_AGEING_DEFAULT_S, .vlan_filtering = -1 };
	const char *cmd = argv[0];
	int err;

	if (strcmp(cmd, "add") && strcmp(cmd, "set"))
		return cli_fail("bridge %s is no configuration (bridge add, set are)", cmd);
	if (argc < 2)
		return cli_fail("bridge %s: missing NAME", cmd);
	if (!strcmp(cmd, "add")) {
		if (cli_parse_kws("bridge add", add_kws, argc - 2, argv + 2, &bc))
			return 1;
		err = xbr_conf_bridge_add(c, argv[1], bc.ageing, bc.host_port);
	} else {
		bc.ageing = 0;
		if (cli_parse_kws("bridge set", set_kws, argc - 2, argv + 2, &bc))
			return 1;
		err = xbr_conf_bridge_set(c, argv[1], bc.ageing, bc.vlan_filtering,
					  bc.fdb_max_learned);
	}
	return err ? cli_lib_fail() : 0;
}

void bridge_save(FILE *f, const struct xbr_conf_bridge *b)
{
	struct bridge_cmd bc = { .ageing = b->ageing_s, .host_port = b->host_port };

	fprintf(f, "bridge add %s", b->name);
	cli_kws_print(f, add_kws, &bc);
	fprintf(f, "\nbridge set %s fdb-max-learned %u\n", b->name, b->fdb_max_learned);
}

/* After the VLANs: the first vlan add turns filtering on. */
void bridge_save_filtering(FILE *f, const struct xbr_conf_bridge *b)
{
	fprintf(f, "bridge set %s vlan-filtering %s\n", b->name, b->vlan_filtering ? "on" : "off");
}

static int bridge_add(int argc, char **argv)
{
	struct bridge_cmd c = { .ageing = XBR_AGEING_DEFAULT_S };

	if (argc < 1)
		return cli_fail("bridge add: missing NAME");
	if (cli_parse_kws("bridge add", add_kws, argc - 1, argv + 1, &c))
		return 1;
	if (xbr_bridge_add(argv[0], c.ageing, c.host_port))
		return cli_lib_fail();
	return 0;
}

static int bridge_set(int argc, char **argv)
{
	struct bridge_cmd c = { .vlan_filtering = -1 };
	struct xbr_bridge br;
	int ret = 0;

	if (argc < 1)
		return cli_fail("bridge set: missing NAME");
	if (cli_parse_kws("bridge set", set_kws, argc - 1, argv + 1, &c))
		return 1;
	if (!c.ageing && c.vlan_filtering < 0 && !c.fdb_max_learned)
		return cli_fail("bridge set %s: nothing to set (ageing, vlan-filtering, "
				"fdb-max-learned)", argv[0]);
	if (open_bridge(argv[0], &br))
		return 1;
	/* One unit: both or neither. */
	if (xbr_bridge_lock(&br))
		ret = cli_lib_fail();
	else {
		if (c.ageing && xbr_bridge_set_ageing(&br, c.ageing))
			ret = cli_lib_fail();
		else if (c.vlan_filtering >= 0 &&
			 xbr_bridge_set_vlan_filtering(&br, c.vlan_filtering))
			ret = cli_lib_fail();
		else if (c.fdb_max_learned &&
			 xbr_bridge_set_fdb_max_learned(&br, c.fdb_max_learned))
			ret = cli_lib_fail();
		xbr_bridge_unlock(&br);
	}
	xbr_bridge_close(&br);
	return ret;
}

static int bridge_reload(int argc, char **argv)
{
	struct bridge_cmd c = { 0 };
	struct xbr_bridge br;
	int ret = 0;

	if (argc < 1)
		return cli_fail("bridge reload: expected NAME");
	if (cli_parse_kws("bridge reload", reload_kws, argc - 1, argv + 1, &c))
		return 1;
	if (open_bridge(argv[0], &br))
		return 1;
	if (xbr_bridge_reload_from(&br, c.objects))
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
	if (!cli_line)
		bridge_usage(stderr);
	return 1;
}
