// SPDX-License-Identifier: GPL-2.0
/*
 * xbr monitor [BRIDGE] [fdb] [port] [drops]: a bridge's events as they
 * happen, like `bridge monitor`: one line each, or one JSON object per line
 * with -j. Runs until interrupted.
 */
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <time.h>
#include <net/if.h>
#include "cli.h"

enum {
	SHOW_FDB = 1 << 0,
	SHOW_PORT = 1 << 1,
	SHOW_DROPS = 1 << 2,
	SHOW_ALL = SHOW_FDB | SHOW_PORT | SHOW_DROPS,
};

struct monitor_ctx {
	unsigned int show;
	unsigned int nr;	/* bridges read */
};

static volatile sig_atomic_t stop;

static void on_signal(int sig)
{
	(void)sig;
	stop = 1;
}

static const char *const fdb_actions[] = {
	[XBR_EV_FDB_LEARN] = "learn", [XBR_EV_FDB_MOVE] = "move", [XBR_EV_FDB_AGE] = "age",
	[XBR_EV_FDB_DEL] = "del", [XBR_EV_FDB_ADD] = "add",
};

static const char *const port_actions[] = {
	[XBR_EV_PORT_ADD] = "add", [XBR_EV_PORT_DEL] = "del", [XBR_EV_PORT_DOWN] = "down",
	[XBR_EV_PORT_UP] = "up", [XBR_EV_PORT_GONE] = "gone", [XBR_EV_PORT_BACK] = "back",
};

static const char *const del_causes[XBR_EV_DEL_MAX] = {
	[XBR_EV_DEL_CLI] = "fdb del", [XBR_EV_DEL_FLUSH] = "flush",
	[XBR_EV_DEL_PORT] = "port deleted", [XBR_EV_DEL_LINK] = "link down",
	[XBR_EV_DEL_LOCK] = "port locked", [XBR_EV_DEL_GONE] = "netdev gone",
	[XBR_EV_DEL_ORPHAN] = "port left", [XBR_EV_DEL_HOST_MAC] = "host MAC changed",
};

static bool is_fdb(uint32_t type)
{
	return type >= XBR_EV_FDB_LEARN && type <= XBR_EV_FDB_ADD;
}

static bool is_port(uint32_t type)
{
	return type >= XBR_EV_PORT_ADD && type < XBR_EV_TYPE_MAX;
}

static const char *dev_of(uint32_t ifindex, char buf[IF_NAMESIZE + 16])
{
	if (!ifindex)
		return "-";
	if (!if_indextoname(ifindex, buf))
		snprintf(buf, IF_NAMESIZE + 16, "ifindex %u", ifindex);
	return buf;
}

/* The event's wall-clock time, from its CLOCK_MONOTONIC stamp. */
static void event_time(uint64_t ns, char *buf, size_t len)
{
	struct timespec mono, real;
	int64_t ago;
	time_t sec;
	struct tm tm;
	size_t n;

	clock_gettime(CLOCK_MONOTONIC, &mono);
	clock_gettime(CLOCK_REALTIME, &real);
	ago = ((int64_t)mono.tv_sec * 1000000000LL + mono.tv_nsec) - (int64_t)ns;
	ns = (uint64_t)((int64_t)real.tv_sec * 1000000000LL + real.tv_nsec - ago);
	sec = (time_t)(ns / 1000000000ULL);
	gmtime_r(&sec, &tm);
	n = strftime(buf, len, "%Y-%m-%dT%H:%M:%S", &tm);
	snprintf(buf + n, len - n, ".%03uZ", (unsigned int)(ns % 1000000000ULL / 1000000));
}

static void print_suppressed(const char *bridge, const struct xbr_event *ev, const char *time)
{
	const char *class = ev->type == XBR_EV_DROP ? "drops" : "fdb";

	if (json) {
		jw_object_open(NULL);
		jw_string("time", time);
		jw_string("bridge", bridge);
		jw_string("event", "suppressed");
		jw_string("class", class);
		jw_uint("count", ev->suppressed);
		jw_object_close();
		jw_end();
		return;
	}
	printf("%s: %u %s events left out (over %u a second, or the ring was full)\n", bridge,
	       ev->suppressed, class,
	       ev->type == XBR_EV_DROP ? XBR_EVC_DROP_PER_S : XBR_EVC_FDB_PER_S);
}

static void print_fdb(const char *bridge, const struct xbr_event *ev, const char *time)
{
	char mac[18], dev[IF_NAMESIZE + 16], from[IF_NAMESIZE + 16];
	const char *cause = ev->arg < XBR_EV_DEL_MAX ? del_causes[ev->arg] : "?";
	const char *kind = ev->arg & XBR_FDB_F_LOCAL ? "local" : "static";

	xbr_format_mac(ev->mac, mac);
	if (json) {
		jw_object_open(NULL);
		jw_string("time", time);
		jw_string("bridge", bridge);
		jw_string("event", "fdb");
		jw_string("action", fdb_actions[ev->type]);
		jw_string("mac", mac);
		jw_uint("vlan", ev->vid);
		jw_string("dev", dev_of(ev->ifindex, dev));
		if (ev->type == XBR_EV_FDB_MOVE)
			jw_string("from", dev_of(ev->old_ifindex, from));
		if (ev->type == XBR_EV_FDB_DEL)
			jw_string("cause", cause);
		if (ev->type == XBR_EV_FDB_ADD)
			jw_string("kind", kind);
		jw_object_close();
		jw_end();
		return;
	}
	printf("%s: fdb %s %s dev %s", bridge, fdb_actions[ev->type], mac,
	       dev_of(ev->ifindex, dev));
	if (ev->vid)
		printf(" vlan %u", ev->vid);
	if (ev->type == XBR_EV_FDB_MOVE)
		printf(" from %s", dev_of(ev->old_ifindex, from));
	else if (ev->type == XBR_EV_FDB_DEL)
		printf(" (%s)", cause);
	else if (ev->type == XBR_EV_FDB_ADD)
		printf(" %s", kind);
	putchar('\n');
}

static void print_port(const char *bridge, const struct xbr_event *ev, const char *time)
{
	if (json) {
		jw_object_open(NULL);
		jw_string("time", time);
		jw_string("bridge", bridge);
		jw_string("event", "port");
		jw_string("action", port_actions[ev->type]);
		jw_string("dev", ev->name);
		jw_uint("ifindex", ev->ifindex);
		jw_object_close();
		jw_end();
		return;
	}
	printf("%s: port %s %s\n", bridge, port_actions[ev->type], ev->name);
}

/* A dropped frame's addresses and EtherType (past an 802.1Q tag), and its
 * first bytes in hex. */
static void print_drop(const char *bridge, const struct xbr_event *ev, const char *time)
{
	char dev[IF_NAMESIZE + 16], dst[18] = "-", src[18] = "-", hex[2 * XBR_EV_HDR_MAX + 1];
	unsigned int type = 0, vid = ev->vid, i, n = ev->hdr_len;
	const uint8_t *h = ev->hdr;

	if (n > XBR_EV_HDR_MAX)
		n = XBR_EV_HDR_MAX;
	if (n >= 14) {
		xbr_format_mac(h, dst);
		xbr_format_mac(h + 6, src);
		type = h[12] << 8 | h[13];
		if (type == 0x8100 && n >= 18) {
			vid = (h[14] << 8 | h[15]) & 0x0fff;
			type = h[16] << 8 | h[17];
		}
	}
	for (i = 0; i < n; i++)
		snprintf(hex + 2 * i, 3, "%02x", h[i]);
	hex[2 * n] = '\0';
	if (json) {
		char t[8];

		jw_object_open(NULL);
		jw_string("time", time);
		jw_string("bridge", bridge);
		jw_string("event", "drop");
		jw_string("dev", dev_of(ev->ifindex, dev));
		jw_string("reason", xbr_drop_name(ev->arg));
		jw_uint("len", ev->len);
		jw_string("src", src);
		jw_string("dst", dst);
		snprintf(t, sizeof(t), "0x%04x", type);
		jw_string("ethertype", t);
		jw_uint("vlan", vid);
		jw_string("headers", hex);
		jw_object_close();
		jw_end();
		return;
	}
	printf("%s: drop dev %s %s len %u %s > %s type 0x%04x", bridge, dev_of(ev->ifindex, dev),
	       xbr_drop_name(ev->arg), ev->len, src, dst, type);
	if (vid)
		printf(" vlan %u", vid);
	printf("\n    %s\n", hex);
}

static int on_event(const char *bridge, const struct xbr_event *ev, void *arg)
{
	const struct monitor_ctx *ctx = arg;
	unsigned int want;
	char time[32];

	if (ev->type == XBR_EV_DROP)
		want = SHOW_DROPS;
	else if (is_fdb(ev->type))
		want = SHOW_FDB;
	else if (is_port(ev->type))
		want = SHOW_PORT;
	else
		return 0;
	if (!(ctx->show & want))
		return 0;
	event_time(ev->ns, time, sizeof(time));
	if (ev->suppressed)
		print_suppressed(bridge, ev, time);
	if (want == SHOW_DROPS)
		print_drop(bridge, ev, time);
	else if (want == SHOW_FDB)
		print_fdb(bridge, ev, time);
	else
		print_port(bridge, ev, time);
	fflush(stdout);
	return stop;
}

struct add_ctx {
	struct xbr_monitor *m;
	int err;
	unsigned int nr;
};

static int add_bridge(const char *name, void *arg)
{
	struct add_ctx *a = arg;
	struct xbr_bridge br;

	if (open_bridge(name, &br)) {
		a->err = 1;
		return 1;
	}
	if (xbr_monitor_add(a->m, &br)) {
		cli_lib_fail();
		a->err = 1;
	} else {
		a->nr++;
	}
	xbr_bridge_close(&br);
	return a->err;
}

void monitor_synopsis(FILE *f, const char *first, const char *rest)
{
	(void)rest;
	cli_synopsis(f, first, "monitor [BRIDGE] [fdb] [port] [drops] [all]", NULL);
}

static void monitor_help(void)
{
	monitor_synopsis(stdout, "Usage: ", NULL);
	printf("  Prints the events of BRIDGE (default: every bridge of this netns) as they\n"
	       "  happen, until interrupted; -j: one JSON object per line.\n"
	       "  fdb    learned, moved, aged, deleted (and why), static entries added\n"
	       "  port   added, deleted, down, up, gone, back\n"
	       "  drops  dropped frames: port, reason, addresses, the first %d bytes\n"
	       "  all    all of them (the default)\n"
	       "  The datapath's events come at most %d a second (FDB) and %d a second\n"
	       "  (drops); a line says how many were left out. One monitor per bridge at\n"
	       "  a time: a second one is told who reads.\n",
	       XBR_EV_HDR_MAX, XBR_EVC_FDB_PER_S, XBR_EVC_DROP_PER_S);
}

int do_monitor(int argc, char **argv)
{
	struct monitor_ctx ctx = { 0 };
	struct add_ctx add = { 0 };
	const char *bridge = NULL;
	struct sigaction sa = { .sa_handler = on_signal };
	int i, err = 0;

	if (argc > 0 && is_help(argv[0])) {
		monitor_help();
		return 0;
	}
	for (i = 0; i < argc; i++) {
		if (!strcmp(argv[i], "fdb"))
			ctx.show |= SHOW_FDB;
		else if (!strcmp(argv[i], "port"))
			ctx.show |= SHOW_PORT;
		else if (!strcmp(argv[i], "drops"))
			ctx.show |= SHOW_DROPS;
		else if (!strcmp(argv[i], "all"))
			ctx.show |= SHOW_ALL;
		else if (i == 0)
			bridge = argv[i];
		else
			return cli_fail("monitor: unknown argument \"%s\"", argv[i]);
	}
	if (!ctx.show)
		ctx.show = SHOW_ALL;
	if (xbr_monitor_new(&add.m, on_event, &ctx))
		return cli_lib_fail();
	if (bridge)
		add_bridge(bridge, &add);
	else
		xbr_bridge_foreach(add_bridge, &add);
	if (add.err || !add.nr) {
		if (!add.err)
			cli_fail("monitor: no bridge in this netns");
		xbr_monitor_free(add.m);
		return 1;
	}
	sigaction(SIGINT, &sa, NULL);
	sigaction(SIGTERM, &sa, NULL);
	while (!stop) {
		err = xbr_monitor_poll(add.m, 200);
		if (err < 0)
			break;
	}
	xbr_monitor_free(add.m);
	return err < 0 ? cli_lib_fail() : 0;
}
