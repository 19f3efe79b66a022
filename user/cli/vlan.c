// SPDX-License-Identifier: GPL-2.0
/* xbr vlan add|del|show: 802.1Q membership per port, like `bridge vlan`. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "cli.h"

void vlan_synopsis(FILE *f, const char *first, const char *rest)
{
	cli_synopsis(f, first, "vlan add BRIDGE dev DEV vid VID[-VID] [pvid] [untagged]", NULL);
	cli_synopsis(f, rest, "vlan del BRIDGE dev DEV vid VID[-VID]", NULL);
	cli_synopsis(f, rest, "vlan show [BRIDGE]", NULL);
}

static void vlan_usage(FILE *f)
{
	vlan_synopsis(f, "Usage: ", "       ");
	fputs("\n"
	      "  Every port starts as an untagged member of VLAN 1 with pvid 1; the first\n"
	      "  vlan add turns VLAN filtering on (xbr bridge set BRIDGE vlan-filtering off\n"
	      "  turns it off: tags then pass untouched).\n"
	      "  pvid      untagged frames from DEV belong to this VLAN\n"
	      "  untagged  frames of this VLAN leave DEV without a tag\n"
	      "  An access port: vid 10 pvid untagged. A trunk: vid 10-20 (tagged).\n", f);
}

static int parse_vid_range(const char *arg, uint16_t *lo, uint16_t *hi)
{
	unsigned long a, b;
	char *end;

	a = strtoul(arg, &end, 10);
	b = a;
	if (end != arg && *end == '-')
		b = strtoul(end + 1, &end, 10);
	if (end == arg || *end || a < 1 || b > XBR_VID_MAX || a > b)
		return cli_fail("invalid vid \"%s\": expected VID or VID-VID within 1-%d", arg,
				XBR_VID_MAX);
	*lo = a;
	*hi = b;
	return 0;
}

struct vlan_cmd {
	const char *bridge;
	const char *dev;
	uint16_t lo, hi;
	bool pvid, untagged;
};

/* BRIDGE dev DEV vid VID[-VID] [pvid] [untagged] (the flags: add only). */
static int vlan_parse(int argc, char **argv, bool add, struct vlan_cmd *vc)
{
	bool have_vid = false;
	int i;

	memset(vc, 0, sizeof(*vc));
	if (argc < 1)
		return cli_fail("vlan %s: expected BRIDGE dev DEV vid VID", add ? "add" : "del");
	vc->bridge = argv[0];
	for (i = 1; i < argc; i++) {
		if (!strcmp(argv[i], "dev") && i + 1 < argc) {
			vc->dev = argv[++i];
		} else if (!strcmp(argv[i], "vid") && i + 1 < argc) {
			if (parse_vid_range(argv[++i], &vc->lo, &vc->hi))
				return 1;
			have_vid = true;
		} else if (add && !strcmp(argv[i], "pvid")) {
			vc->pvid = true;
		} else if (add && !strcmp(argv[i], "untagged")) {
			vc->untagged = true;
		} else {
			return cli_fail("vlan: unknown argument \"%s\"", argv[i]);
		}
	}
	if (!vc->dev || !have_vid)
		return cli_fail("vlan %s: \"dev DEV\" and \"vid VID\" are required",
				add ? "add" : "del");
	return 0;
}

static int vlan_change(int argc, char **argv, bool add)
{
	struct xbr_bridge br;
	struct vlan_cmd vc;
	int err;

	if (vlan_parse(argc, argv, add, &vc))
		return 1;
	if (open_bridge(vc.bridge, &br))
		return 1;
	err = add ? xbr_vlan_add(&br, vc.dev, vc.lo, vc.hi, vc.pvid, vc.untagged)
		  : xbr_vlan_del(&br, vc.dev, vc.lo, vc.hi);
	xbr_bridge_close(&br);
	return err ? cli_lib_fail() : 0;
}

/* ---- configuration: save and apply ---------------------------------------- */

int vlan_conf(struct xbr_conf *c, int argc, char **argv)
{
	bool add = !strcmp(argv[0], "add");
	struct vlan_cmd vc;

	if (!add && strcmp(argv[0], "del"))
		return cli_fail("vlan %s is no configuration (vlan add, del are)", argv[0]);
	if (vlan_parse(argc - 1, argv + 1, add, &vc))
		return 1;
	if (xbr_conf_vlan(c, vc.bridge, vc.dev, vc.lo, vc.hi, add, vc.pvid, vc.untagged))
		return cli_lib_fail();
	return 0;
}

static bool vlans_default(const struct xbr_conf_vlans *v)
{
	return xbr_conf_vlan_untagged(v, XBR_VID_DEFAULT) && v->pvid == XBR_VID_DEFAULT;
}

/*
 * The lines that turn a new port's VLANs (VLAN 1, untagged, its pvid) into
 * @p's: VLAN 1 deleted first unless it is as a new port has it, then every
 * run of VIDs with the same flags, the pvid a run of its own.
 */
void vlan_save(FILE *f, const struct xbr_conf_bridge *b, const struct xbr_conf_port *p)
{
	const struct xbr_conf_vlans *v = &p->vlans;
	bool keep_default = vlans_default(v), u = false;
	unsigned int vid, lo = 0;

	if (!keep_default)
		fprintf(f, "vlan del %s dev %s vid %d\n", b->name, p->name, XBR_VID_DEFAULT);
	for (vid = 1; vid <= XBR_VID_MAX + 1; vid++) {
		bool in = vid <= XBR_VID_MAX && xbr_conf_vlan_member(v, vid) &&
			  !(vid == XBR_VID_DEFAULT && keep_default);
		bool vu = in && xbr_conf_vlan_untagged(v, vid);

		if (lo && (!in || vu != u || vid == v->pvid || vid - 1 == v->pvid)) {
			fprintf(f, "vlan add %s dev %s vid %u", b->name, p->name, lo);
			if (vid - 1 != lo)
				fprintf(f, "-%u", vid - 1);
			fprintf(f, "%s%s\n", lo == v->pvid ? " pvid" : "", u ? " untagged" : "");
			lo = 0;
		}
		if (in && !lo) {
			lo = vid;
			u = vu;
		}
	}
}

/* Text output folds runs of VIDs with the same flags into ranges. */
struct show_ctx {
	struct xbr_bridge *br;
	const struct xbr_port *port;
	int n;
	uint16_t lo, hi;	/* pending run, hi == 0: none */
	bool pvid, untagged;
};

static void flush_run(struct show_ctx *ctx)
{
	if (!ctx->hi)
		return;
	printf("%s %u", ctx->n++ ? "," : "", ctx->lo);
	if (ctx->hi != ctx->lo)
		printf("-%u", ctx->hi);
	printf("%s%s", ctx->pvid ? " pvid" : "", ctx->untagged ? " untagged" : "");
	ctx->hi = 0;
}

static int show_vid(uint16_t vid, const struct xbr_vlan *v, void *arg)
{
	struct show_ctx *ctx = arg;
	bool untagged = v->flags & XBR_VLAN_F_UNTAGGED, pvid = vid == ctx->port->pvid;

	if (json) {
		jw_object_open(NULL);
		jw_uint("vid", vid);
		jw_bool("pvid", pvid);
		jw_bool("untagged", untagged);
		jw_object_close();
		return 0;
	}
	if (ctx->hi && vid == ctx->hi + 1 && !pvid && !ctx->pvid && untagged == ctx->untagged) {
		ctx->hi = vid;
		return 0;
	}
	flush_run(ctx);
	ctx->lo = ctx->hi = vid;
	ctx->pvid = pvid;
	ctx->untagged = untagged;
	return 0;
}

static int show_port(uint32_t ifindex, const struct xbr_port *port, void *arg)
{
	struct show_ctx ctx = { .br = arg, .port = port };

	if (json) {
		jw_object_open(NULL);
		jw_string("bridge", ctx.br->name);
		jw_string("dev", port->name);
		jw_array_open("vlans");
		xbr_vlan_foreach(ctx.br, ifindex, show_vid, &ctx);
		jw_array_close();
		jw_object_close();
	} else {
		printf("%s %s:", ctx.br->name, port->name);
		xbr_vlan_foreach(ctx.br, ifindex, show_vid, &ctx);
		flush_run(&ctx);
		printf("%s\n", ctx.n ? "" : " (none)");
	}
	return 0;
}

static int show_bridge(const char *name, void *arg)
{
	struct xbr_bridge br;
	struct xbr_config cfg;

	(void)arg;
	if (xbr_bridge_open(name, &br))
		return 0;
	if (!json && !xbr_bridge_config(&br, &cfg))
		printf("%s: vlan filtering %s\n", name,
		       cfg.flags & XBR_CFG_F_VLAN_FILTERING ? "on" : "off");
	xbr_port_foreach(&br, show_port, &br);
	xbr_bridge_close(&br);
	return 0;
}

static int vlan_show(int argc, char **argv)
{
	if (argc > 1)
		return cli_fail("vlan show: unexpected argument \"%s\"", argv[1]);
	return show_bridges(argc ? argv[0] : NULL, show_bridge, NULL);
}

int do_vlan(int argc, char **argv)
{
	if (argc < 1)
		return vlan_show(0, NULL);
	if (is_help(argv[0])) {
		vlan_usage(stdout);
		return 0;
	}
	if (!strcmp(argv[0], "add"))
		return vlan_change(argc - 1, argv + 1, true);
	if (!strcmp(argv[0], "del") || !strcmp(argv[0], "delete"))
		return vlan_change(argc - 1, argv + 1, false);
	if (!strcmp(argv[0], "show") || !strcmp(argv[0], "list"))
		return vlan_show(argc - 1, argv + 1);
	cli_fail("vlan: unknown command \"%s\"", argv[0]);
	if (!cli_line)
		vlan_usage(stderr);
	return 1;
}
