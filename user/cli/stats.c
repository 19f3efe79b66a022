// SPDX-License-Identifier: GPL-2.0
/*
 * xbr stats [BRIDGE] [dev DEV] [--prometheus]: per-port counters, summed
 * over CPUs, as text, JSON (-j) or Prometheus' text exposition format.
 */
#include <errno.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "cli.h"
#include "prom.h"

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

/* ---- --prometheus ------------------------------------------------------------ */

/*
 * Every value is read first, each port's in one read, and printed family
 * by family afterwards: the format wants a family's samples in one group,
 * and a scrape should not mix two moments of one port.
 */
struct prom_port {
	char name[IFNAMSIZ];
	struct xbr_port_stats s;
	uint64_t fdb_learned;
	uint64_t up;
};

struct prom_bridge {
	char name[IFNAMSIZ];
	uint64_t ageing_ns;
	uint64_t fdb_learned;
	uint64_t fdb_max_learned;
	uint64_t gc_period_ns;
	uint64_t gc_sweeps;
	uint64_t gc_aged;
	uint64_t gc_orphans;
	struct prom_port *ports;
	size_t nr_ports;
};

struct prom_snapshot {
	const char *dev;	/* NULL: every port */
	struct prom_bridge *bridges;
	size_t nr_bridges;
	bool failed;		/* out of memory */
};

/* A family whose value is a uint64_t at @off of struct prom_port (port
 * families) or struct prom_bridge (bridge families), in nanoseconds if
 * @seconds (printed as seconds, the format's unit of time). */
struct prom_metric {
	const char *name;
	const char *type;
	size_t off;
	bool seconds;
	const char *help;
};

#define NSEC_PER_SEC	1000000000.0

static const struct prom_metric port_metrics[] = {
	{ "xbr_port_rx_packets_total", "counter", offsetof(struct prom_port, s.rx_packets), false,
	  "Frames the bridge received on the port." },
	{ "xbr_port_rx_bytes_total", "counter", offsetof(struct prom_port, s.rx_bytes), false,
	  "Bytes of the frames the bridge received on the port." },
	{ "xbr_port_tx_packets_total", "counter", offsetof(struct prom_port, s.tx_packets), false,
	  "Frames the bridge sent out of the port, flooded copies included." },
	{ "xbr_port_tx_bytes_total", "counter", offsetof(struct prom_port, s.tx_bytes), false,
	  "Bytes of the frames the bridge sent out of the port." },
	{ "xbr_port_flooded_total", "counter", offsetof(struct prom_port, s.flooded), false,
	  "Frames received on the port and flooded (broadcast, multicast, unknown unicast)." },
	{ "xbr_port_learned_total", "counter", offsetof(struct prom_port, s.learned), false,
	  "New FDB entries learned from the port." },
	{ "xbr_port_moves_total", "counter", offsetof(struct prom_port, s.moves), false,
	  "Stations that moved to the port from another." },
	{ "xbr_port_learn_limited_total", "counter", offsetof(struct prom_port, s.learn_limited),
	  false, "Sources not learned because the port held its learn-limit of entries." },
	{ "xbr_port_learn_full_total", "counter", offsetof(struct prom_port, s.learn_full), false,
	  "Sources not learned because the bridge held fdb-max-learned entries." },
	{ "xbr_port_handoffs_total", "counter", offsetof(struct prom_port, s.handoffs), false,
	  "Frames from the port whose forwarding XDP decided and tc carried out." },
	{ "xbr_port_fdb_learned", "gauge", offsetof(struct prom_port, fdb_learned), false,
	  "Learned FDB entries of the port now." },
	{ "xbr_port_up", "gauge", offsetof(struct prom_port, up), false,
	  "1 if the port forwards (its netdev exists, its link is up), 0 if down or gone." },
};

static const struct prom_metric bridge_metrics[] = {
	{ "xbr_bridge_ageing_seconds", "gauge", offsetof(struct prom_bridge, ageing_ns), true,
	  "Time a learned entry stays valid without traffic." },
	{ "xbr_bridge_fdb_learned", "gauge", offsetof(struct prom_bridge, fdb_learned), false,
	  "Learned entries in the bridge's FDB now." },
	{ "xbr_bridge_fdb_max_learned", "gauge", offsetof(struct prom_bridge, fdb_max_learned),
	  false, "Learned entries the bridge holds at most (fdb-max-learned)." },
	{ "xbr_bridge_reclaimer_period_seconds", "gauge",
	  offsetof(struct prom_bridge, gc_period_ns), true,
	  "Time between two walks of the FDB by the reclaimer." },
	{ "xbr_bridge_reclaimer_sweeps_total", "counter", offsetof(struct prom_bridge, gc_sweeps),
	  false, "Walks of the FDB the reclaimer made." },
	{ "xbr_bridge_reclaimer_aged_total", "counter", offsetof(struct prom_bridge, gc_aged),
	  false, "Learned entries the reclaimer removed for their age." },
	{ "xbr_bridge_reclaimer_orphans_total", "counter",
	  offsetof(struct prom_bridge, gc_orphans), false,
	  "Entries the reclaimer removed because their port had left." },
};

#define ARRAY_SIZE(a) (sizeof(a) / sizeof((a)[0]))

struct prom_read_ctx {
	struct xbr_bridge *br;
	struct prom_bridge *b;
	size_t cap;		/* of b->ports */
	const char *dev;
	bool failed;
};

static int prom_read_port(uint32_t ifindex, const struct xbr_port *port, void *arg)
{
	struct prom_read_ctx *ctx = arg;
	struct xbr_port_rt rt;
	struct prom_port *p;

	if (ctx->dev && strcmp(ctx->dev, port->name))
		return 0;
	if (ctx->b->nr_ports == ctx->cap) {
		ctx->cap = ctx->cap ? 2 * ctx->cap : 16;
		p = realloc(ctx->b->ports, ctx->cap * sizeof(*p));
		if (!p) {
			ctx->failed = true;
			return 1;
		}
		ctx->b->ports = p;
	}
	p = &ctx->b->ports[ctx->b->nr_ports];
	/* A port whose maps cannot be read is left out, as by stats -j. */
	if (xbr_port_stats(ctx->br, port, &p->s) || xbr_port_rt(ctx->br, port, &rt))
		return 0;
	snprintf(p->name, sizeof(p->name), "%s", port->name);
	p->fdb_learned = rt.fdb_learned;
	p->up = xbr_port_present(ifindex, port) && !(port->flags & XBR_PORT_F_DOWN);
	ctx->b->nr_ports++;
	return 0;
}

static int prom_read_bridge(const char *name, void *arg)
{
	struct prom_snapshot *snap = arg;
	struct prom_read_ctx ctx = { .dev = snap->dev };
	struct xbr_fdb_gc gc = {};
	struct xbr_config cfg;
	struct xbr_bridge br;
	struct prom_bridge *b;

	b = realloc(snap->bridges, (snap->nr_bridges + 1) * sizeof(*b));
	if (!b) {
		snap->failed = true;
		return 1;
	}
	snap->bridges = b;
	b = &snap->bridges[snap->nr_bridges];
	memset(b, 0, sizeof(*b));
	/* A bridge deleted meanwhile is left out, as by stats -j. */
	if (xbr_bridge_open(name, &br))
		return 0;
	if (xbr_bridge_config(&br, &cfg)) {
		xbr_bridge_close(&br);
		return 0;
	}
	xbr_bridge_fdb_gc(&br, &gc);
	snprintf(b->name, sizeof(b->name), "%s", name);
	b->ageing_ns = cfg.ageing_ns;
	b->fdb_learned = gc.learned;
	b->fdb_max_learned = cfg.fdb_max_learned;
	b->gc_period_ns = gc.period_ns;
	b->gc_sweeps = gc.sweeps;
	b->gc_aged = gc.aged;
	b->gc_orphans = gc.orphans;
	ctx.br = &br;
	ctx.b = b;
	xbr_port_foreach(&br, prom_read_port, &ctx);
	xbr_bridge_close(&br);
	snap->nr_bridges++;
	if (ctx.failed) {
		snap->failed = true;
		return 1;
	}
	return 0;
}

static void prom_value(const struct prom_metric *m, const void *from,
		       const struct prom_label *labels, size_t nr_labels)
{
	uint64_t v = *(const uint64_t *)((const char *)from + m->off);

	if (m->seconds)
		prom_sample_double(m->name, labels, nr_labels, v / NSEC_PER_SEC);
	else
		prom_sample(m->name, labels, nr_labels, v);
}

static void prom_print(const struct prom_snapshot *snap)
{
	const struct prom_metric *m;
	const struct prom_bridge *b;
	const struct prom_port *p;
	size_t i, j;
	int r;

	for (m = bridge_metrics; m < bridge_metrics + ARRAY_SIZE(bridge_metrics); m++) {
		prom_family(m->name, m->type, m->help);
		for (b = snap->bridges; b < snap->bridges + snap->nr_bridges; b++) {
			struct prom_label l[] = { { "bridge", b->name } };

			prom_value(m, b, l, ARRAY_SIZE(l));
		}
	}
	for (m = port_metrics; m < port_metrics + ARRAY_SIZE(port_metrics); m++) {
		prom_family(m->name, m->type, m->help);
		for (i = 0; i < snap->nr_bridges; i++) {
			b = &snap->bridges[i];
			for (j = 0; j < b->nr_ports; j++) {
				struct prom_label l[] = { { "bridge", b->name },
							  { "port", b->ports[j].name } };

				prom_value(m, &b->ports[j], l, ARRAY_SIZE(l));
			}
		}
	}
	prom_family("xbr_port_drops_total", "counter",
		    "Frames dropped on the port, by reason (see xbr(8), COUNTERS).");
	for (b = snap->bridges; b < snap->bridges + snap->nr_bridges; b++) {
		for (p = b->ports; p < b->ports + b->nr_ports; p++) {
			for (r = 0; r < XBR_DROP_MAX; r++) {
				struct prom_label l[] = { { "bridge", b->name },
							  { "port", p->name },
							  { "reason", xbr_drop_name(r) } };

				prom_sample("xbr_port_drops_total", l, ARRAY_SIZE(l), p->s.drops[r]);
			}
		}
	}
}

static int stats_prometheus(const char *bridge, const char *dev)
{
	struct prom_snapshot snap = { .dev = dev };
	struct xbr_bridge br;
	size_t i;

	/* Fail before printing anything: a collector keeps its last file. */
	if (bridge) {
		if (open_bridge(bridge, &br))
			return 1;
		xbr_bridge_close(&br);
		prom_read_bridge(bridge, &snap);
	} else {
		xbr_bridge_foreach(prom_read_bridge, &snap);
	}
	if (!snap.failed)
		prom_print(&snap);
	for (i = 0; i < snap.nr_bridges; i++)
		free(snap.bridges[i].ports);
	free(snap.bridges);
	if (snap.failed)
		return cli_fail("stats: out of memory");
	if (fflush(stdout) || ferror(stdout))
		return cli_fail("stats: cannot write the output: %s", strerror(errno));
	return 0;
}

/* ---- the command ------------------------------------------------------------- */

void stats_synopsis(FILE *f, const char *first, const char *rest)
{
	(void)rest;
	cli_synopsis(f, first, "stats [BRIDGE] [dev DEV] [--prometheus]", NULL);
}

int do_stats(int argc, char **argv)
{
	const char *bridge = NULL, *dev = NULL;
	bool prometheus = false;
	int i, n;

	if (argc > 0 && is_help(argv[0])) {
		stats_synopsis(stdout, "Usage: ", NULL);
		puts("  rx/tx packets and bytes, flooded, learned, moves, learn-limited and\n"
		     "  drops by reason per port; tx counts every frame sent out of the port,\n"
		     "  floods included, whichever path sent it; handoffs: frames XDP decided\n"
		     "  and tc carried out (the decision handed over, not made twice)\n"
		     "  --prometheus  the same counters, each bridge's FDB and reclaimer figures\n"
		     "               and each port's learned entries and state in Prometheus'\n"
		     "               text format (for node_exporter's textfile collector)");
		return 0;
	}
	/* An output format, like -j: anywhere among the words. */
	for (i = n = 0; i < argc; i++) {
		if (!strcmp(argv[i], "--prometheus"))
			prometheus = true;
		else
			argv[n++] = argv[i];
	}
	argc = n;
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
	if (prometheus && json)
		return cli_fail("stats: --prometheus and -j are two formats: give one");
	if (check_port_filter("stats", bridge, dev))
		return 1;
	if (prometheus)
		return stats_prometheus(bridge, dev);
	return show_bridges(bridge, stats_bridge, (void *)dev);
}
