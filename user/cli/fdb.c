// SPDX-License-Identifier: GPL-2.0
/* xbr fdb add|del|show|flush */
#include <stdio.h>
#include <string.h>
#include <bpf/bpf.h>
#include "cli.h"

void fdb_synopsis(FILE *f, const char *first, const char *rest)
{
	cli_synopsis(f, first, "fdb add BRIDGE MAC dev DEV [vlan VID] [static]", NULL);
	cli_synopsis(f, rest, "fdb del BRIDGE MAC [vlan VID]", NULL);
	cli_synopsis(f, rest, "fdb show [BRIDGE] [dev DEV]", NULL);
	cli_synopsis(f, rest, "fdb flush BRIDGE [dev DEV] [dynamic]", NULL);
}

static void fdb_usage(FILE *f)
{
	fdb_synopsis(f, "Usage: ", "       ");
	fputs("\n"
	      "  static   the entry never ages and learning never moves it\n"
	      "  vlan     the entry's VLAN (default 0: with VLAN filtering on, a static\n"
	      "           entry in VLAN 0 stands for every VLAN)\n"
	      "  dynamic  flush only learned entries\n", f);
}

static int parse_vid(const char *arg, unsigned int *vid)
{
	return parse_uint("vlan", arg, XBR_VID_MAX, vid);
}

struct fdb_cmd {
	const char *bridge;
	const char *dev;
	uint8_t mac[6];
	unsigned int vid;
	bool is_static;
};

/* BRIDGE MAC dev DEV [vlan VID] [static] */
static int fdb_parse_add(int argc, char **argv, struct fdb_cmd *fc)
{
	memset(fc, 0, sizeof(*fc));
	if (argc < 2)
		return cli_fail("fdb add: expected BRIDGE MAC dev DEV [static]");
	fc->bridge = argv[0];
	if (xbr_parse_mac(argv[1], fc->mac))
		return cli_fail("fdb add: invalid MAC address \"%s\"", argv[1]);
	for (int i = 2; i < argc; i++) {
		if (!strcmp(argv[i], "dev") && i + 1 < argc)
			fc->dev = argv[++i];
		else if (!strcmp(argv[i], "vlan") && i + 1 < argc) {
			if (parse_vid(argv[++i], &fc->vid))
				return 1;
		} else if (!strcmp(argv[i], "static"))
			fc->is_static = true;
		else
			return cli_fail("fdb add: unknown argument \"%s\"", argv[i]);
	}
	if (!fc->dev)
		return cli_fail("fdb add: missing \"dev DEV\"");
	return 0;
}

static int fdb_add(int argc, char **argv)
{
	struct xbr_bridge br;
	struct fdb_cmd fc;
	int err;

	if (fdb_parse_add(argc, argv, &fc))
		return 1;
	if (open_bridge(fc.bridge, &br))
		return 1;
	err = xbr_fdb_add(&br, fc.mac, fc.vid, fc.dev, fc.is_static);
	xbr_bridge_close(&br);
	return err ? cli_lib_fail() : 0;
}

/* ---- configuration: save and apply ---------------------------------------- */

int fdb_conf(struct xbr_conf *c, int argc, char **argv)
{
	struct fdb_cmd fc;

	if (strcmp(argv[0], "add"))
		return cli_fail("fdb %s is no configuration (fdb add ... static is)", argv[0]);
	if (fdb_parse_add(argc - 1, argv + 1, &fc))
		return 1;
	/* A learned entry ages and moves: only static ones are configuration. */
	if (!fc.is_static)
		return cli_fail("fdb add: only static entries are configuration");
	if (xbr_conf_fdb_add(c, fc.bridge, fc.mac, fc.vid, fc.dev))
		return cli_lib_fail();
	return 0;
}

void fdb_save(FILE *f, const struct xbr_conf_bridge *b, const struct xbr_conf_fdb *e)
{
	char buf[18];

	xbr_format_mac(e->mac, buf);
	fprintf(f, "fdb add %s %s dev %s", b->name, buf, e->dev);
	if (e->vlan)
		fprintf(f, " vlan %u", e->vlan);
	fputs(" static\n", f);
}

static int fdb_del(int argc, char **argv)
{
	unsigned int vid = 0;
	struct xbr_bridge br;
	uint8_t mac[6];
	int err;

	if (argc != 2 && !(argc == 4 && !strcmp(argv[2], "vlan")))
		return cli_fail("fdb del: expected BRIDGE MAC [vlan VID]");
	if (xbr_parse_mac(argv[1], mac))
		return cli_fail("fdb del: invalid MAC address \"%s\"", argv[1]);
	if (argc == 4 && parse_vid(argv[3], &vid))
		return 1;
	if (open_bridge(argv[0], &br))
		return 1;
	err = xbr_fdb_del(&br, mac, vid);
	xbr_bridge_close(&br);
	return err ? cli_lib_fail() : 0;
}

/* Optional "dev DEV" (and "dynamic" for flush) after BRIDGE. */
static int parse_fdb_filter(int argc, char **argv, const char **dev, bool *dynamic)
{
	for (int i = 0; i < argc; i++) {
		if (!strcmp(argv[i], "dev") && i + 1 < argc)
			*dev = argv[++i];
		else if (dynamic && !strcmp(argv[i], "dynamic"))
			*dynamic = true;
		else
			return cli_fail("fdb: unknown argument \"%s\"", argv[i]);
	}
	return 0;
}

struct show_ctx {
	struct xbr_bridge *br;
	struct xbr_config cfg;	/* read once: ageing for every entry */
	uint32_t ifindex;	/* 0: every port */
};

static const char *fdb_state(const struct xbr_fdb_entry *e)
{
	if (e->flags & XBR_FDB_F_LOCAL)
		return "local";
	return e->flags & XBR_FDB_F_STATIC ? "static" : "dynamic";
}

static int show_entry(const struct xbr_fdb_key *key, const struct xbr_fdb_entry *e, void *arg)
{
	struct show_ctx *ctx = arg;
	struct xbr_port port;
	char mac[18], dev[IFNAMSIZ];
	double age = xbr_fdb_age(e);

	if (ctx->ifindex && e->ifindex != ctx->ifindex)
		return 0;
	/* An aged entry is unknown to the datapath; so it is here. */
	if (xbr_fdb_expired(&ctx->cfg, e))
		return 0;
	if (bpf_map_lookup_elem(ctx->br->ports_fd, &e->ifindex, &port))
		snprintf(dev, sizeof(dev), "if%u", e->ifindex);
	else
		snprintf(dev, sizeof(dev), "%s", port.name);
	xbr_format_mac(key->mac, mac);
	if (json) {
		jw_object_open(NULL);
		jw_string("mac", mac);
		jw_string("dev", dev);
		jw_uint("vlan", key->vlan);
		jw_string("state", fdb_state(e));
		jw_uint("age", (uint64_t)age);
		jw_string("bridge", ctx->br->name);
		jw_object_close();
	} else {
		printf("%s dev %s vlan %u %s", mac, dev, key->vlan, fdb_state(e));
		if (!(e->flags & (XBR_FDB_F_STATIC | XBR_FDB_F_LOCAL)))
			printf(" age %.0fs", age);
		printf(" master %s\n", ctx->br->name);
	}
	return 0;
}

/* Per bridge: @arg is the "dev DEV" filter or NULL. */
static int show_bridge(const char *name, void *arg)
{
	struct show_ctx ctx = { 0 };
	const char *dev = arg;
	struct xbr_bridge br;

	if (xbr_bridge_open(name, &br))
		return 0;
	ctx.br = &br;
	if (xbr_bridge_config(&br, &ctx.cfg)) {
		xbr_bridge_close(&br);
		return 0;
	}
	if (!dev || !xbr_port_find(&br, dev, &ctx.ifindex, NULL))
		xbr_fdb_foreach(&br, show_entry, &ctx);
	xbr_bridge_close(&br);
	return 0;
}

static int fdb_show(int argc, char **argv)
{
	const char *bridge = NULL, *dev = NULL;

	if (argc > 0 && strcmp(argv[0], "dev")) {
		bridge = argv[0];
		argc--, argv++;
	}
	if (parse_fdb_filter(argc, argv, &dev, NULL) || check_port_filter("fdb show", bridge, dev))
		return 1;
	return show_bridges(bridge, show_bridge, (void *)dev);
}

static int fdb_flush(int argc, char **argv)
{
	const char *dev = NULL;
	bool dynamic = false;
	struct xbr_bridge br;
	uint32_t ifindex = 0;
	int err = 0;

	if (argc < 1)
		return cli_fail("fdb flush: expected BRIDGE");
	if (parse_fdb_filter(argc - 1, argv + 1, &dev, &dynamic))
		return 1;
	if (open_bridge(argv[0], &br))
		return 1;
	if (dev)
		err = xbr_port_find(&br, dev, &ifindex, NULL);
	if (!err)
		err = xbr_fdb_flush(&br, ifindex, dynamic);
	xbr_bridge_close(&br);
	return err ? cli_lib_fail() : 0;
}

int do_fdb(int argc, char **argv)
{
	if (argc < 1)
		return fdb_show(0, NULL);
	if (is_help(argv[0])) {
		fdb_usage(stdout);
		return 0;
	}
	if (!strcmp(argv[0], "add"))
		return fdb_add(argc - 1, argv + 1);
	if (!strcmp(argv[0], "del") || !strcmp(argv[0], "delete"))
		return fdb_del(argc - 1, argv + 1);
	if (!strcmp(argv[0], "show") || !strcmp(argv[0], "list"))
		return fdb_show(argc - 1, argv + 1);
	if (!strcmp(argv[0], "flush"))
		return fdb_flush(argc - 1, argv + 1);
	cli_fail("fdb: unknown command \"%s\"", argv[0]);
	if (!cli_line)
		fdb_usage(stderr);
	return 1;
}
