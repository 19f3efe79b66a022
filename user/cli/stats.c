// SPDX-License-Identifier: GPL-2.0
/* xbr stats [BRIDGE] [dev DEV]: per-port counters, summed over CPUs. */
#include <stdio.h>
#include <string.h>
#include "cli.h"

struct stats_ctx {
	struct xbr_bridge *br;
	const char *dev;	/* NULL: every port */
};

static int show_port_stats(uint32_t ifindex, const struct xbr_port *port, void *arg)
{
	struct stats_ctx *ctx = arg;
	struct xbr_port_stats s;
	uint64_t drops = 0;
	int r;

	(void)ifindex;
	if (ctx->dev && strcmp(ctx->dev, port->name))
		return 0;
	if (xbr_port_stats(ctx->br, port, &s))
		return 0;
	for (r = 0; r < XBR_DROP_MAX; r++)
		drops += s.drops[r];
	if (json) {
		jw_object_open(NULL);
		jw_string("bridge", ctx->br->name);
		jw_string("dev", port->name);
		jw_uint("rx_packets", s.rx_packets);
		jw_uint("rx_bytes", s.rx_bytes);
		jw_uint("tx_packets", s.tx_packets);
		jw_uint("tx_bytes", s.tx_bytes);
		jw_uint("flooded", s.flooded);
		jw_uint("learned", s.learned);
		jw_uint("moves", s.moves);
		jw_uint("learn_limited", s.learn_limited);
		jw_uint("learn_full", s.learn_full);
		jw_uint("handoffs", s.handoffs);
		jw_object_open("drops");
		for (r = 0; r < XBR_DROP_MAX; r++)
			jw_uint(xbr_drop_name(r), s.drops[r]);
		jw_object_close();
		jw_object_close();
		return 0;
	}
	printf("%s %s:\n"
	       "    rx %llu packets %llu bytes  tx %llu packets %llu bytes\n"
	       "    flooded %llu learned %llu moves %llu learn-limited %llu learn-full %llu "
	       "dropped %llu handoffs %llu\n",
	       ctx->br->name, port->name, (unsigned long long)s.rx_packets,
	       (unsigned long long)s.rx_bytes, (unsigned long long)s.tx_packets,
	       (unsigned long long)s.tx_bytes, (unsigned long long)s.flooded,
	       (unsigned long long)s.learned, (unsigned long long)s.moves,
	       (unsigned long long)s.learn_limited, (unsigned long long)s.learn_full,
	       (unsigned long long)drops, (unsigned long long)s.handoffs);
	if (drops) {
		printf("    drops:");
		for (r = 0; r < XBR_DROP_MAX; r++)
			if (s.drops[r])
				printf(" %s %llu", xbr_drop_name(r), (unsigned long long)s.drops[r]);
		putchar('\n');
	}
	return 0;
}

static int stats_bridge(const char *name, void *arg)
{
	struct stats_ctx ctx = { .dev = arg };
	struct xbr_bridge br;

	if (xbr_bridge_open(name, &br))
		return 0;
	ctx.br = &br;
	xbr_port_foreach(&br, show_port_stats, &ctx);
	xbr_bridge_close(&br);
	return 0;
}

void stats_synopsis(FILE *f, const char *first, const char *rest)
{
	(void)rest;
	cli_synopsis(f, first, "stats [BRIDGE] [dev DEV]", NULL);
}

int do_stats(int argc, char **argv)
{
	const char *bridge = NULL, *dev = NULL;

	if (argc > 0 && is_help(argv[0])) {
		stats_synopsis(stdout, "Usage: ", NULL);
		puts("  rx/tx packets and bytes, flooded, learned, moves, learn-limited and\n"
		     "  drops by reason per port; tx counts every frame sent out of the port,\n"
		     "  floods included, whichever path sent it; handoffs: frames XDP decided\n"
		     "  and tc carried out (the decision handed over, not made twice)");
		return 0;
	}
	if (argc > 0 && strcmp(argv[0], "show") == 0)
		argc--, argv++;
	if (argc > 0 && strcmp(argv[0], "dev")) {
		bridge = argv[0];
		argc--, argv++;
	}
	if (argc == 2 && !strcmp(argv[0], "dev"))
		dev = argv[1];
	else if (argc > 0)
		return cli_fail("stats: unknown argument \"%s\"", argv[0]);
	if (check_port_filter("stats", bridge, dev))
		return 1;
	return show_bridges(bridge, stats_bridge, (void *)dev);
}
