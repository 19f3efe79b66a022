// SPDX-License-Identifier: GPL-2.0
/* xbr vport add|del|show|qemu|run: AF_XDP ports for QEMU's -netdev af-xdp. */
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "cli.h"

struct vport_cmd {
	struct xbr_vport_opts opts;
};

static int kw_vm_mac(const struct cli_kw *kw, const char *arg, void *opts)
{
	struct xbr_vport_opts *o = &((struct vport_cmd *)opts)->opts;

	(void)kw;
	if (xbr_parse_mac(arg, o->mac) || (o->mac[0] & 1) || !memcmp(o->mac, "\0\0\0\0\0\0", 6))
		return cli_fail("invalid mac \"%s\": expected a unicast address like "
				"52:54:00:12:34:56", arg), -1;
	o->has_mac = true;
	return 0;
}

static void print_vm_mac(const struct cli_kw *kw, const void *opts, FILE *f);

static const struct cli_kw add_kws[] = {
	{ "queues", "N", kw_uint, offsetof(struct vport_cmd, opts.queues), 1,
	  XBR_VPORT_MAX_QUEUES },
	{ "mac", "MAC", kw_vm_mac, 0, 0, 0, NULL, NULL, print_vm_mac },
	{ 0 }
};

void vport_synopsis(FILE *f, const char *first, const char *rest)
{
	cli_synopsis(f, first, "vport add BRIDGE NAME", add_kws);
	cli_synopsis(f, rest, "vport del BRIDGE NAME", NULL);
	cli_synopsis(f, rest, "vport show [BRIDGE [NAME]]", NULL);
	cli_synopsis(f, rest, "vport qemu BRIDGE NAME [map-path | sock-fds]", NULL);
	cli_synopsis(f, rest, "vport run BRIDGE NAME -- COMMAND [ARGS...]", NULL);
}

static void vport_usage(FILE *f)
{
	vport_synopsis(f, "Usage: ", "       ");
	fprintf(f,
		"\n"
		"  add    a veth pair: NAME (at most %d characters) is the VM side that QEMU's\n"
		"         -netdev af-xdp binds to, with N queues (1-%d, default 1); NAME%s\n"
		"         is its port in BRIDGE. mac MAC locks that port to the VM's\n"
		"         address (port security: frames from other sources are dropped).\n"
		"         QEMU's af-xdp reads one queue only: give it queues 1 (xbr-vhost\n"
		"         serves every queue)\n"
		"  show   queues, which hold a socket, frames handed to each queue's socket\n"
		"         and frames dropped for want of one (-j: JSON)\n"
		"  qemu   the -netdev argument for QEMU >= 10.1 (map-path: QEMU fills the\n"
		"         pinned XSKMAP) and for QEMU 8.2-10.0 (sock-fds, through vport run);\n"
		"         with map-path or sock-fds, print only that argument\n"
		"  run    for QEMU without map-path: make the N AF_XDP sockets, run COMMAND\n"
		"         with them inherited and the word {sock-fds} in ARGS replaced by\n"
		"         their numbers (FD:FD...), put each socket in the XSKMAP once\n"
		"         COMMAND has bound it, wait for COMMAND, clean the map, exit with\n"
		"         its status\n",
		XBR_VPORT_NAME_MAX, XBR_VPORT_MAX_QUEUES, XBR_VPORT_PEER_SUFFIX);
}

/*
 * QEMU's af-xdp backend (net/af-xdp.c, 8.2 to 11.x) polls one queue's socket
 * for reading: queue 0 in 10.0, the last queue from 10.1 on with inhibit=on.
 * The bridge spreads frames over every queue, so the rest are never read.
 */
static void warn_af_xdp_queues(const char *name, unsigned int queues)
{
	if (queues > 1)
		xbr_warn("vport %s has %u queues, but QEMU's -netdev af-xdp reads one queue only "
			 "(QEMU 10.0: queue 0; 10.1 and later with inhibit=on: the last one): flows "
			 "hashed to the other queues are lost; give it queues 1 (xbr-vhost serves "
			 "every queue)", name, queues);
}

static int vport_add(int argc, char **argv)
{
	struct vport_cmd c = { .opts.queues = 1 };
	struct xbr_bridge br;
	int err;

	if (argc < 2)
		return cli_fail("vport add: expected BRIDGE NAME");
	if (cli_parse_kws("vport add", add_kws, argc - 2, argv + 2, &c))
		return 1;
	if (open_bridge(argv[0], &br))
		return 1;
	err = xbr_vport_add(&br, argv[1], &c.opts);
	xbr_bridge_close(&br);
	if (err)
		return cli_lib_fail();
	warn_af_xdp_queues(argv[1], c.opts.queues);
	return 0;
}

/* ---- configuration: save and apply ---------------------------------------- */

int vport_conf(struct xbr_conf *c, int argc, char **argv)
{
	struct vport_cmd vc = { .opts.queues = 1 };

	if (strcmp(argv[0], "add"))
		return cli_fail("vport %s is no configuration (vport add is)", argv[0]);
	if (argc < 3)
		return cli_fail("vport add: expected BRIDGE NAME");
	if (cli_parse_kws("vport add", add_kws, argc - 3, argv + 3, &vc))
		return 1;
	if (xbr_conf_vport_add(c, argv[1], argv[2], &vc.opts))
		return cli_lib_fail();
	return 0;
}

static void print_vm_mac(const struct cli_kw *kw, const void *opts, FILE *f)
{
	const struct xbr_vport_opts *o = &((const struct vport_cmd *)opts)->opts;
	char buf[18];

	(void)kw;
	if (!o->has_mac)
		return;
	xbr_format_mac(o->mac, buf);
	fprintf(f, " mac %s", buf);
}

void vport_save(FILE *f, const struct xbr_conf_bridge *b, const struct xbr_conf_vport *v)
{
	struct vport_cmd vc = { .opts = v->opts };

	fprintf(f, "vport add %s %s", b->name, v->name);
	cli_kws_print(f, add_kws, &vc);
	fputc('\n', f);
}

static int vport_del(int argc, char **argv)
{
	struct xbr_bridge br;
	int err;

	if (argc != 2)
		return cli_fail("vport del: expected BRIDGE NAME");
	if (open_bridge(argv[0], &br))
		return 1;
	err = xbr_vport_del(&br, argv[1]);
	xbr_bridge_close(&br);
	return err ? cli_lib_fail() : 0;
}

/* ---- show ---------------------------------------------------------------- */

static void show_port_counters(struct xbr_bridge *br, const struct xbr_vport_info *info)
{
	struct xbr_port_stats ps;
	struct xbr_port port;
	uint32_t ifindex;
	bool have;

	have = !xbr_port_find(br, info->peer, &ifindex, &port) && !xbr_port_stats(br, &port, &ps);
	if (json) {
		if (!have) {
			jw_null("port_stats");
			return;
		}
		jw_object_open("port_stats");
		jw_uint("from_vm_packets", ps.rx_packets);
		jw_uint("from_vm_bytes", ps.rx_bytes);
		jw_uint("to_vm_packets", ps.tx_packets);
		jw_uint("to_vm_bytes", ps.tx_bytes);
		jw_object_close();
		return;
	}
	if (!have) {
		printf("    port %s: not in bridge %s\n", info->peer, br->name);
		return;
	}
	printf("    port %s: from vm %llu packets %llu bytes  to vm %llu packets %llu bytes\n",
	       info->peer, (unsigned long long)ps.rx_packets, (unsigned long long)ps.rx_bytes,
	       (unsigned long long)ps.tx_packets, (unsigned long long)ps.tx_bytes);
}

/* The value of "KEY":N in @obj, 0 if absent: enough for xbr-vhost's flat
 * counter objects. */
static unsigned long long json_count(const char *obj, const char *key)
{
	char pat[64];
	const char *p;

	snprintf(pat, sizeof(pat), "\"%s\":", key);
	p = strstr(obj, pat);
	return p ? strtoull(p + strlen(pat), NULL, 10) : 0;
}

/*
 * xbr-vhost, when it serves this vport, keeps its per-queue counters in
 * $XBR_RUN_DIR/BRIDGE/NAME.sock.stats (JSON, rewritten every second).
 */
static void show_vhost_counters(const char *bridge, const char *name)
{
	const char *run = getenv("XBR_RUN_DIR");
	char path[PATH_MAX], buf[16384];
	const char *q;
	size_t n;
	FILE *f;

	snprintf(path, sizeof(path), "%s/%s/%s.sock.stats", run && *run ? run : "/run/xbr",
		 bridge, name);
	f = fopen(path, "r");
	if (!f) {
		if (json)
			jw_null("vhost");
		return;
	}
	n = fread(buf, 1, sizeof(buf) - 1, f);
	fclose(f);
	buf[n] = '\0';
	while (n && (buf[n - 1] == '\n' || buf[n - 1] == ' '))
		buf[--n] = '\0';
	if (json) {
		jw_raw("vhost", n ? buf : "null");
		return;
	}
	printf("    xbr-vhost (%s):\n", path);
	for (q = strstr(buf, "{\"queue\":"); q; q = strstr(q + 1, "{\"queue\":")) {
		char obj[1024];
		const char *end = strchr(q, '}');
		size_t len = end ? (size_t)(end - q) : strlen(q);

		snprintf(obj, sizeof(obj), "%.*s", (int)(len < sizeof(obj) ? len : sizeof(obj) - 1), q);
		printf("      queue %llu: guest tx %llu frames (%llu stalls)  guest rx %llu frames"
		       " (%llu interrupts)  drops %llu\n",
		       json_count(obj, "queue"), json_count(obj, "tx_frames"),
		       json_count(obj, "tx_stalls"), json_count(obj, "rx_frames"),
		       json_count(obj, "rx_interrupts"), json_count(obj, "drops"));
	}
}

static int show_vport(const char *name, void *arg)
{
	struct xbr_vport_sock socks[XBR_VPORT_MAX_QUEUES];
	struct xbr_bridge *br = arg;
	struct xbr_vport_handle vp;
	char mac[18], path[PATH_MAX];
	unsigned int q, nsock = 0;
	bool present;

	if (xbr_vport_open(br, name, &vp)) {
		if (json) {
			jw_object_open(NULL);
			jw_string("bridge", br->name);
			jw_string("name", name);
			jw_string("state", "incomplete");
			jw_object_close();
		} else {
			printf("%s %s: state incomplete (%s)\n", br->name, name, xbr_errmsg());
		}
		return 0;
	}
	present = xbr_vport_present(&vp);
	if (xbr_vport_sockets(&vp, socks))
		memset(socks, 0, sizeof(socks));
	for (q = 0; q < vp.info.queues && q < XBR_VPORT_MAX_QUEUES; q++)
		nsock += socks[q].present;
	xbr_format_mac(vp.info.mac, mac);
	xbr_vport_xsk_path(br, name, path);

	if (json) {
		jw_object_open(NULL);
		jw_string("bridge", br->name);
		jw_string("name", vp.info.name);
		jw_string("port", vp.info.peer);
		jw_uint("ifindex", vp.info.ifindex);
		jw_uint("port_ifindex", vp.info.peer_ifindex);
		jw_uint("queues", vp.info.queues);
		if (vp.info.flags & XBR_VPORT_F_MAC)
			jw_string("mac", mac);
		else
			jw_null("mac");
		jw_string("state", present ? "up" : "gone");
		jw_string("xsk_map", path);
		jw_uint("sockets", nsock);
		jw_array_open("queue");
	} else {
		printf("%s %s: port %s queues %u sockets %u%s%s%s\n", br->name, vp.info.name,
		       vp.info.peer, vp.info.queues, nsock,
		       vp.info.flags & XBR_VPORT_F_MAC ? " mac " : "",
		       vp.info.flags & XBR_VPORT_F_MAC ? mac : "", present ? "" : " state gone");
	}
	for (q = 0; q < XBR_VPORT_MAX_QUEUES; q++) {
		struct xbr_vport_qstats st;
		bool stray = q >= vp.info.queues;

		if (stray && !socks[q].present)
			continue;
		xbr_vport_qstats(&vp, q, &st);
		if (json) {
			jw_object_open(NULL);
			jw_uint("queue", q);
			jw_bool("socket", socks[q].present);
			if (socks[q].present)
				jw_uint("bound_queue", socks[q].queue_id);
			else
				jw_null("bound_queue");
			jw_bool("outside_queues", stray);
			jw_uint("xsk_packets", st.xsk_packets);
			jw_uint("xsk_bytes", st.xsk_bytes);
			jw_uint("no_socket_packets", st.no_socket_packets);
			jw_uint("no_socket_bytes", st.no_socket_bytes);
			jw_object_close();
			continue;
		}
		printf("    queue %u: ", q);
		if (!socks[q].present)
			printf("no socket");
		else if (socks[q].queue_id != q)
			printf("socket bound to queue %u (wrong: frames are dropped)",
			       socks[q].queue_id);
		else
			printf("socket");
		if (stray)
			printf(" (outside the vport's %u queues)", vp.info.queues);
		printf("  to socket %llu packets %llu bytes  no socket %llu packets\n",
		       (unsigned long long)st.xsk_packets, (unsigned long long)st.xsk_bytes,
		       (unsigned long long)st.no_socket_packets);
	}
	if (json)
		jw_array_close();
	show_port_counters(br, &vp.info);
	show_vhost_counters(br->name, vp.info.name);
	if (json)
		jw_object_close();
	xbr_vport_close(&vp);
	return 0;
}

static int show_bridge_vports(const char *bridge, void *arg)
{
	struct xbr_bridge br;

	(void)arg;
	if (xbr_bridge_open(bridge, &br))
		return 0;
	xbr_vport_foreach(&br, show_vport, &br);
	xbr_bridge_close(&br);
	return 0;
}

static int vport_show(int argc, char **argv)
{
	struct xbr_bridge br;
	struct xbr_vport_handle vp;

	if (argc > 2)
		return cli_fail("vport show: unexpected argument \"%s\"", argv[2]);
	if (argc >= 1 && open_bridge(argv[0], &br))
		return 1;
	if (argc == 2) {
		if (xbr_vport_open(&br, argv[1], &vp) && vp.info_fd < 0 &&
		    !vp.info.name[0]) {
			xbr_bridge_close(&br);
			return cli_lib_fail();
		}
		xbr_vport_close(&vp);
	}
	if (json)
		jw_array_open(NULL);
	if (argc == 2)
		show_vport(argv[1], &br);
	else if (argc == 1)
		xbr_vport_foreach(&br, show_vport, &br);
	else
		xbr_bridge_foreach(show_bridge_vports, NULL);
	if (json) {
		jw_array_close();
		jw_end();
	}
	if (argc >= 1)
		xbr_bridge_close(&br);
	return 0;
}

/* ---- qemu ---------------------------------------------------------------- */

static void netdev_arg(char *buf, size_t len, const struct xbr_vport_info *info,
		       const char *tail)
{
	snprintf(buf, len, "af-xdp,id=%s,ifname=%s,queues=%u,inhibit=on,%s", info->name,
		 info->name, info->queues, tail);
}

static int vport_qemu(int argc, char **argv)
{
	char path[PATH_MAX], tail[PATH_MAX + 64], mapdev[PATH_MAX + 160], fdsdev[256];
	char mac[18], pinopt[PATH_MAX + 16] = "";
	const char *only = argc == 3 ? argv[2] : NULL;
	struct xbr_vport_handle vp;
	struct xbr_bridge br;
	int err;

	if (argc < 2 || argc > 3)
		return cli_fail("vport qemu: expected BRIDGE NAME [map-path | sock-fds]");
	if (only && strcmp(only, "map-path") && strcmp(only, "sock-fds"))
		return cli_fail("vport qemu: unknown argument \"%s\" (map-path or sock-fds)", only);
	if (open_bridge(argv[0], &br))
		return 1;
	err = xbr_vport_open(&br, argv[1], &vp);
	if (err) {
		xbr_bridge_close(&br);
		return cli_lib_fail();
	}
	xbr_vport_xsk_path(&br, argv[1], path);
	/* map-start-index: XSKMAP key = QEMU queue index + it; our keys are
	 * the veth's rx queues and QEMU binds queue i + start-queue (0). */
	snprintf(tail, sizeof(tail), "map-path=%s,map-start-index=0", path);
	netdev_arg(mapdev, sizeof(mapdev), &vp.info, tail);
	netdev_arg(fdsdev, sizeof(fdsdev), &vp.info, "sock-fds={sock-fds}");
	if (strcmp(xbr_pin_root(), XBR_PIN_ROOT_DEFAULT))
		snprintf(pinopt, sizeof(pinopt), " --pin-root %s", xbr_pin_root());
	xbr_format_mac(vp.info.mac, mac);
	warn_af_xdp_queues(vp.info.name, vp.info.queues);

	if (only) {
		puts(!strcmp(only, "map-path") ? mapdev : fdsdev);
	} else if (json) {
		jw_object_open(NULL);
		jw_string("bridge", br.name);
		jw_string("name", vp.info.name);
		jw_string("map_path_netdev", mapdev);
		jw_string("sock_fds_netdev", fdsdev);
		jw_string("xsk_map", path);
		jw_object_close();
		jw_end();
	} else {
		printf("# QEMU >= 10.1: QEMU binds its sockets and puts them in the pinned XSKMAP\n"
		       "# (it needs write access to %s):\n"
		       "-netdev %s\n"
		       "# QEMU 8.2-10.0: xbr makes the sockets, QEMU binds them, xbr fills the map:\n"
		       "xbr%s vport run %s %s -- qemu-system-x86_64 ... -netdev %s\n"
		       "# the guest's NIC, either way:\n"
		       "-device virtio-net-pci,netdev=%s",
		       path, mapdev, pinopt, br.name, vp.info.name, fdsdev, vp.info.name);
		if (vp.info.flags & XBR_VPORT_F_MAC)
			printf(",mac=%s", mac);
		if (vp.info.queues > 1)
			printf(",mq=on,vectors=%u", 2 * vp.info.queues + 2);
		putchar('\n');
	}
	xbr_vport_close(&vp);
	xbr_bridge_close(&br);
	return 0;
}

/* ---- run: the supervisor is the library's (vport_run.c) ----------------- */

static int vport_run(int argc, char **argv)
{
	struct xbr_bridge br;
	int ret;

	if (argc < 4 || strcmp(argv[2], "--"))
		return cli_fail("vport run: expected BRIDGE NAME -- COMMAND [ARGS...]");
	if (open_bridge(argv[0], &br))
		return 1;
	ret = xbr_vport_run(&br, argv[1], argv + 3);
	xbr_bridge_close(&br);
	return ret < 0 ? cli_lib_fail() : ret;
}

int do_vport(int argc, char **argv)
{
	if (argc < 1)
		return vport_show(0, NULL);
	if (is_help(argv[0])) {
		vport_usage(stdout);
		return 0;
	}
	if (!strcmp(argv[0], "add"))
		return vport_add(argc - 1, argv + 1);
	if (!strcmp(argv[0], "del") || !strcmp(argv[0], "delete"))
		return vport_del(argc - 1, argv + 1);
	if (!strcmp(argv[0], "show") || !strcmp(argv[0], "list"))
		return vport_show(argc - 1, argv + 1);
	if (!strcmp(argv[0], "qemu"))
		return vport_qemu(argc - 1, argv + 1);
	if (!strcmp(argv[0], "run"))
		return vport_run(argc - 1, argv + 1);
	cli_fail("vport: unknown command \"%s\"", argv[0]);
	if (!cli_line)
		vport_usage(stderr);
	return 1;
}
