// SPDX-License-Identifier: GPL-2.0
/* xbr port add|set|del|show */
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <arpa/inet.h>
#include "cli.h"

/* What port add and port set fill in. */
struct port_cmd {
	struct xbr_port_opts opts;
	struct xbr_port_sec sec;
	int mode;
};

static void port_cmd_init(struct port_cmd *c)
{
	xbr_port_opts_init(&c->opts);
	xbr_port_sec_init(&c->sec);
	c->mode = XBR_MODE_AUTO;
}

static int parse_mac_list(const char *arg, struct xbr_port_sec *sec)
{
	char *copy = strdup(arg), *tok, *save = NULL;
	int ret = 0;

	sec->nr_macs = 0;
	for (tok = strtok_r(copy, ",", &save); tok; tok = strtok_r(NULL, ",", &save)) {
		if (sec->nr_macs == XBR_SEC_LIST_MAX) {
			ret = cli_fail("mac: at most %d addresses", XBR_SEC_LIST_MAX);
			break;
		}
		if (xbr_parse_mac(tok, sec->macs[sec->nr_macs++])) {
			ret = cli_fail("invalid MAC address \"%s\"", tok);
			break;
		}
	}
	free(copy);
	return ret;
}

static int parse_ip_list(const char *arg, struct xbr_port_sec *sec)
{
	char *copy = strdup(arg), *tok, *save = NULL;
	struct xbr_sec_addr *a;
	int ret = 0;

	sec->nr_ips = 0;
	for (tok = strtok_r(copy, ",", &save); tok; tok = strtok_r(NULL, ",", &save)) {
		if (sec->nr_ips == XBR_SEC_LIST_MAX) {
			ret = cli_fail("ip: at most %d addresses", XBR_SEC_LIST_MAX);
			break;
		}
		a = &sec->ips[sec->nr_ips++];
		memset(a, 0, sizeof(*a));
		a->family = strchr(tok, ':') ? AF_INET6 : AF_INET;
		if (inet_pton(a->family, tok, a->addr) != 1) {
			ret = cli_fail("invalid IP address \"%s\"", tok);
			break;
		}
	}
	free(copy);
	return ret;
}

/* Port security's lists: comma-separated words. */
static int kw_macs(const struct cli_kw *kw, const char *arg, void *opts)
{
	(void)kw;
	return parse_mac_list(arg, &((struct port_cmd *)opts)->sec) ? -1 : 0;
}

static int kw_ips(const struct cli_kw *kw, const char *arg, void *opts)
{
	(void)kw;
	return parse_ip_list(arg, &((struct port_cmd *)opts)->sec) ? -1 : 0;
}

/* Nothing to say for an empty list: a port has none unless told. */
static void print_macs(const struct cli_kw *kw, const void *opts, FILE *f)
{
	const struct xbr_port_sec *sec = &((const struct port_cmd *)opts)->sec;
	char buf[18];
	int i;

	for (i = 0; i < sec->nr_macs; i++) {
		xbr_format_mac(sec->macs[i], buf);
		fprintf(f, "%s%s", i ? "," : " mac ", buf);
	}
	(void)kw;
}

static void print_ips(const struct cli_kw *kw, const void *opts, FILE *f)
{
	const struct xbr_port_sec *sec = &((const struct port_cmd *)opts)->sec;
	char buf[INET6_ADDRSTRLEN];
	int i;

	for (i = 0; i < sec->nr_ips; i++) {
		inet_ntop(sec->ips[i].family, sec->ips[i].addr, buf, sizeof(buf));
		fprintf(f, "%s%s", i ? "," : " ip ", buf);
	}
	(void)kw;
}

static const char *const mode_words[] = {
	[XBR_MODE_AUTO] = "auto", [XBR_MODE_XDP] = "xdp", [XBR_MODE_TC] = "tc", NULL,
};

/* A switch of the port (learning, flood, ...) is one row in each table and
 * one line in the library's port_switches[]. */
static const struct cli_kw add_kws[] = {
	{ "mode", "xdp|tc|auto", kw_choice, offsetof(struct port_cmd, mode), 0, 0, mode_words,
	  "  mode auto  (default) XDP where it is correct and faster for the port's\n"
	  "             kind (NIC: XDP; tap: XDP for frames with complete checksums;\n"
	  "             veth: tc, which keeps TSO and checksum offload), tc for the rest\n"
	  "  mode xdp   XDP first: the port's senders must give complete checksums and\n"
	  "             a veth's peer must run NAPI (an XDP program or GRO on it)\n"
	  "  mode tc    skbs only: keeps GSO and checksum offload" },
	{ "learning", "on|off", kw_on_off, offsetof(struct port_cmd, opts.learning), 0, 0, NULL,
	  "  learning   learn source addresses from the port (on)" },
	{ "flood", "on|off", kw_on_off, offsetof(struct port_cmd, opts.flood), 0, 0, NULL,
	  "  flood      send broadcast, multicast and unknown unicast to it (on)" },
	{ "transient", "on|off", kw_on_off, offsetof(struct port_cmd, opts.transient), 0, 0, NULL,
	  "  transient  a running VM's port (added by its hook, tap script or a port\n"
	  "             rule): no configuration, so save leaves it out and apply\n"
	  "             leaves it alone (off)" },
	{ 0 }
};

static void print_nothing(const struct cli_kw *kw, const void *opts, FILE *f)
{
	(void)kw, (void)opts, (void)f;
}

static const struct cli_kw set_kws[] = {
	{ "learning", "on|off", kw_on_off, offsetof(struct port_cmd, opts.learning) },
	{ "flood", "on|off", kw_on_off, offsetof(struct port_cmd, opts.flood) },
	/* A saved port is configuration: never transient. */
	{ "transient", "on|off", kw_on_off, offsetof(struct port_cmd, opts.transient), 0, 0,
	  NULL, NULL, print_nothing },
	{ "locked", "on|off", kw_on_off, offsetof(struct port_cmd, sec.locked), 0, 0, NULL,
	  "  locked     forward only frames from the port's own MACs (mac) or from\n"
	  "             up to max-macs it learns (never a MAC that is static, local,\n"
	  "             another port's or live behind another port); its MACs are\n"
	  "             refused elsewhere. Locking keeps up to max-macs of its newest\n"
	  "             stations; the others are flushed" },
	{ "mac", "MAC[,MAC...]", kw_macs, 0, 0, 0, NULL, NULL, print_macs },
	{ "ip", "ADDR[,ADDR...]", kw_ips, 0, 0, 0, NULL,
	  "  ip         ARP, IPv4 and IPv6 (neighbour advertisements too) must carry\n"
	  "             one of these sender addresses; other protocols are dropped", print_ips },
	{ "max-macs", "N", kw_llong, offsetof(struct port_cmd, sec.max_macs), 0, 100000000 },
	{ "flood-limit", "PPS", kw_llong, offsetof(struct port_cmd, sec.flood_limit), 0,
	  100000000, NULL,
	  "  flood-limit  broadcast/multicast/unknown frames per second it may flood" },
	{ "learn-limit", "N", kw_llong, offsetof(struct port_cmd, sec.learn_limit), 0, 100000000,
	  NULL,
	  "  learn-limit  learned FDB entries it may hold at once (default 1024 for\n"
	  "             taps, veths and other VM-facing ports; 0 = no cap for NICs,\n"
	  "             bonds, teams, VXLAN and Geneve); sources over it are\n"
	  "             forwarded, flooded to, but not learned" },
	{ "dhcp-server", "on|off", kw_on_off, offsetof(struct port_cmd, sec.dhcp_server), 0, 0,
	  NULL,
	  "  dhcp-server  a locked port may send DHCP server messages (UDP 67->68,\n"
	  "             547->546); on for uplinks and the host port, off for others" },
	{ "ra", "on|off", kw_on_off, offsetof(struct port_cmd, sec.ra), 0, 0, NULL,
	  "  ra         a locked port may send IPv6 Router Advertisements (as above)" },
	{ 0 }
};

void port_synopsis(FILE *f, const char *first, const char *rest)
{
	cli_synopsis(f, first, "port add BRIDGE DEV", add_kws);
	cli_synopsis(f, rest, "port set BRIDGE DEV", set_kws);
	cli_synopsis(f, rest, "port del BRIDGE DEV", NULL);
	cli_synopsis(f, rest, "port show [BRIDGE]", NULL);
	cli_synopsis(f, rest, "port auto BRIDGE PATTERN", NULL);
	cli_synopsis(f, rest, "port noauto BRIDGE PATTERN", NULL);
}

static void port_usage(FILE *f)
{
	port_synopsis(f, "Usage: ", "       ");
	fputc('\n', f);
	cli_kws_help(f, add_kws);
	cli_kws_help(f, set_kws);
	fputs("  auto       the event agent (xbrd) adds netdevs whose name matches PATTERN\n"
	      "             (a shell glob: vnet*) as they appear; port auto [BRIDGE] lists\n"
	      "             the patterns, noauto removes one\n", f);
}

static bool sec_given(const struct xbr_port_sec *sec)
{
	return sec->locked >= 0 || sec->nr_macs >= 0 || sec->nr_ips >= 0 || sec->max_macs >= 0 ||
	       sec->flood_limit >= 0 || sec->learn_limit >= 0 || sec->dhcp_server >= 0 ||
	       sec->ra >= 0;
}

static int port_add(int argc, char **argv)
{
	struct port_cmd c;
	struct xbr_bridge br;
	int err;

	if (argc < 2)
		return cli_fail("port add: expected BRIDGE DEV");
	port_cmd_init(&c);
	if (cli_parse_kws("port", add_kws, argc - 2, argv + 2, &c))
		return 1;
	c.opts.mode = c.mode;
	if (open_bridge(argv[0], &br))
		return 1;
	err = xbr_port_add(&br, argv[1], &c.opts);
	xbr_bridge_close(&br);
	return err ? cli_lib_fail() : 0;
}

static int port_set(int argc, char **argv)
{
	struct port_cmd c;
	struct xbr_bridge br;
	int err;

	if (argc < 2)
		return cli_fail("port set: expected BRIDGE DEV");
	port_cmd_init(&c);
	if (cli_parse_kws("port", set_kws, argc - 2, argv + 2, &c))
		return 1;
	if (!xbr_port_opts_given(&c.opts) && !sec_given(&c.sec))
		return cli_fail("port set %s: nothing to set (learning, flood, locked, mac, ip, "
				"max-macs, flood-limit, learn-limit, dhcp-server, ra)", argv[1]);
	if (open_bridge(argv[0], &br))
		return 1;
	/* Under one lock: nobody sees the security half without the rest. */
	err = xbr_bridge_lock(&br);
	if (!err) {
		if (sec_given(&c.sec))
			err = xbr_port_set_security(&br, argv[1], &c.sec);
		if (!err && xbr_port_opts_given(&c.opts))
			err = xbr_port_set(&br, argv[1], &c.opts);
		xbr_bridge_unlock(&br);
	}
	xbr_bridge_close(&br);
	return err ? cli_lib_fail() : 0;
}

static int port_del(int argc, char **argv)
{
	struct xbr_bridge br;
	int err;

	if (argc != 2)
		return cli_fail("port del: expected BRIDGE DEV");
	if (open_bridge(argv[0], &br))
		return 1;
	err = xbr_port_del(&br, argv[1]);
	xbr_bridge_close(&br);
	return err ? cli_lib_fail() : 0;
}

static const char *on_off(bool v)
{
	return v ? "on" : "off";
}

static int show_mac(const uint8_t mac[6], uint32_t flags, void *arg)
{
	int *n = arg;
	char buf[18];

	xbr_format_mac(mac, buf);
	if (json)
		jw_string(NULL, buf);
	else
		printf("%s%s%s", (*n)++ ? "," : " macs ", buf,
		       flags & XBR_SEC_F_LEARNED ? "(learned)" : "");
	return 0;
}

static int show_ip(const struct xbr_sec_addr *a, void *arg)
{
	char buf[INET6_ADDRSTRLEN];
	int *n = arg;

	inet_ntop(a->family, a->addr, buf, sizeof(buf));
	if (json)
		jw_string(NULL, buf);
	else
		printf("%s%s", (*n)++ ? "," : " ips ", buf);
	return 0;
}

static void show_port_security(struct xbr_bridge *br, uint32_t ifindex,
			       const struct xbr_port *port)
{
	struct xbr_port_rt rt = { 0 };
	uint32_t f = port->flags;
	int n = 0;

	xbr_port_rt(br, port, &rt);
	if (json) {
		jw_bool("locked", f & XBR_PORT_F_LOCKED);
		jw_array_open("macs");
		xbr_sec_mac_foreach(br, ifindex, show_mac, &n);
		jw_array_close();
		jw_array_open("ips");
		xbr_sec_ip_foreach(br, ifindex, show_ip, &n);
		jw_array_close();
		jw_uint("max_macs", port->max_macs);
		jw_uint("flood_limit", port->flood_limit);
		jw_uint("learn_limit", port->learn_limit);
		jw_uint("fdb_learned", rt.fdb_learned);
		jw_bool("dhcp_server", f & XBR_PORT_F_DHCP_SERVER);
		jw_bool("ra", f & XBR_PORT_F_RA);
		return;
	}
	if (f & XBR_PORT_F_LOCKED)
		printf(" locked");
	xbr_sec_mac_foreach(br, ifindex, show_mac, &n);
	n = 0;
	xbr_sec_ip_foreach(br, ifindex, show_ip, &n);
	if (port->max_macs)
		printf(" max-macs %u", port->max_macs);
	if (port->flood_limit)
		printf(" flood-limit %u", port->flood_limit);
	if (port->learn_limit)
		printf(" learn-limit %u", port->learn_limit);
	printf(" fdb %u", rt.fdb_learned);
	if (f & XBR_PORT_F_DHCP_SERVER)
		printf(" dhcp-server");
	if (f & XBR_PORT_F_RA)
		printf(" ra");
}

/* up; down: its link is (xbrd says so); gone: its netdev is. */
static const char *port_state(bool present, uint32_t flags)
{
	return !present ? "gone" : flags & XBR_PORT_F_DOWN ? "down" : "up";
}

static int show_port(uint32_t ifindex, const struct xbr_port *port, void *arg)
{
	struct xbr_bridge *br = arg;
	bool present = xbr_port_present(ifindex, port);
	uint32_t f = port->flags;

	if (json) {
		jw_object_open(NULL);
		jw_string("bridge", br->name);
		jw_string("dev", port->name);
		jw_uint("ifindex", ifindex);
		jw_uint("id", port->id);
		jw_string("kind", xbr_kind_name(port->kind));
		jw_string("mode", xbr_mode_name(port->mode));
		jw_bool("xdp", f & XBR_PORT_F_XDP);
		jw_bool("xdp_target", f & XBR_PORT_F_XDP_TARGET);
		jw_bool("tc", true);
		jw_bool("learning", f & XBR_PORT_F_LEARNING);
		jw_bool("flood", f & XBR_PORT_F_FLOOD);
		jw_bool("host", f & XBR_PORT_F_HOST);
		jw_string("state", port_state(present, f));
		jw_uint("pvid", port->pvid);
		show_port_security(br, ifindex, port);
		jw_object_close();
		return 0;
	}
	printf("%s %s: kind %s mode %s runs %s%s learning %s flood %s%s%s", br->name,
	       port->name, xbr_kind_name(port->kind), xbr_mode_name(port->mode),
	       f & XBR_PORT_F_XDP ? "xdp+tc" : "tc",
	       f & XBR_PORT_F_XDP_TARGET ? " xdp-target" : "",
	       on_off(f & XBR_PORT_F_LEARNING), on_off(f & XBR_PORT_F_FLOOD),
	       f & XBR_PORT_F_HOST ? " host-port" : "",
	       present && !(f & XBR_PORT_F_DOWN) ? "" : !present ? " state gone" : " state down");
	if (port->pvid != XBR_VID_DEFAULT)
		printf(" pvid %u", port->pvid);
	show_port_security(br, ifindex, port);
	putchar('\n');
	return 0;
}

static int show_bridge_ports(const char *name, void *arg)
{
	struct xbr_bridge br;

	(void)arg;
	if (xbr_bridge_open(name, &br))
		return 0;
	xbr_port_foreach(&br, show_port, &br);
	xbr_bridge_close(&br);
	return 0;
}

static int port_show(int argc, char **argv)
{
	if (argc > 1)
		return cli_fail("port show: unexpected argument \"%s\"", argv[1]);
	return show_bridges(argc ? argv[0] : NULL, show_bridge_ports, NULL);
}

/* ---- configuration: save and apply ---------------------------------------- */

int port_conf(struct xbr_conf *c, int argc, char **argv)
{
	const char *cmd = argv[0];
	struct port_cmd pc;

	if (!strcmp(cmd, "auto"))
		return argc == 3 ? (xbr_conf_port_auto(c, argv[1], argv[2]) ? cli_lib_fail() : 0)
				 : cli_fail("port auto: expected BRIDGE PATTERN");
	if (strcmp(cmd, "add") && strcmp(cmd, "set"))
		return cli_fail("port %s is no configuration (port add, set, auto are)", cmd);
	if (argc < 3)
		return cli_fail("port %s: expected BRIDGE DEV", cmd);
	port_cmd_init(&pc);
	if (cli_parse_kws("port", !strcmp(cmd, "add") ? add_kws : set_kws, argc - 3, argv + 3,
			  &pc))
		return 1;
	pc.opts.mode = pc.mode;
	if (!strcmp(cmd, "add"))
		return xbr_conf_port_add(c, argv[1], argv[2], &pc.opts) ? cli_lib_fail() : 0;
	return xbr_conf_port_set(c, argv[1], argv[2], &pc.opts, &pc.sec) ? cli_lib_fail() : 0;
}

void port_save(FILE *f, const struct xbr_conf_bridge *b, const struct xbr_conf_port *p)
{
	struct port_cmd pc = { .opts = p->opts, .sec = p->sec, .mode = p->opts.mode };

	/* The host port and a vport's port come with their bridge or vport. */
	if (p->origin == XBR_CONF_PORT_ADDED) {
		fprintf(f, "port add %s %s mode %s\n", b->name, p->name, mode_words[p->opts.mode]);
	}
	fprintf(f, "port set %s %s", b->name, p->name);
	cli_kws_print(f, set_kws, &pc);
	fputc('\n', f);
}

void port_save_auto(FILE *f, const struct xbr_conf_bridge *b)
{
	unsigned int i;

	for (i = 0; i < b->nr_auto_ports; i++) {
		fprintf(f, "port auto %s ", b->name);
		cli_print_word(f, b->auto_ports[i]);
		fputc('\n', f);
	}
}

/* ---- port auto / noauto: the event agent's rules --------------------------- */

static int print_rule(const char *pattern, void *arg)
{
	int *n = arg;

	if (json)
		jw_string(NULL, pattern);
	else
		printf("%s%s", (*n)++ ? " " : "", pattern);
	return 0;
}

static int show_rules(const char *name, void *arg)
{
	struct xbr_bridge br;
	int n = 0;

	(void)arg;
	if (open_bridge(name, &br))
		return 0;
	if (json) {
		jw_object_open(NULL);
		jw_string("bridge", name);
		jw_array_open("auto");
		xbr_port_auto_foreach(&br, print_rule, &n);
		jw_array_close();
		jw_object_close();
	} else {
		printf("%s: auto ", name);
		xbr_port_auto_foreach(&br, print_rule, &n);
		printf("%s\n", n ? "" : "(none)");
	}
	xbr_bridge_close(&br);
	return 0;
}

/* port auto BRIDGE PATTERN | port noauto BRIDGE PATTERN | port auto [BRIDGE] */
static int port_auto(int argc, char **argv, bool add)
{
	struct xbr_bridge br;
	int err;

	if (add && argc < 2)
		return show_bridges(argc ? argv[0] : NULL, show_rules, NULL);
	if (argc != 2)
		return cli_fail("port %s: expected BRIDGE PATTERN", add ? "auto" : "noauto");
	if (open_bridge(argv[0], &br))
		return 1;
	err = add ? xbr_port_auto_add(&br, argv[1]) : xbr_port_auto_del(&br, argv[1]);
	xbr_bridge_close(&br);
	return err ? cli_lib_fail() : 0;
}

int do_port(int argc, char **argv)
{
	if (argc < 1)
		return port_show(0, NULL);
	if (is_help(argv[0])) {
		port_usage(stdout);
		return 0;
	}
	if (!strcmp(argv[0], "add"))
		return port_add(argc - 1, argv + 1);
	if (!strcmp(argv[0], "set"))
		return port_set(argc - 1, argv + 1);
	if (!strcmp(argv[0], "del") || !strcmp(argv[0], "delete"))
		return port_del(argc - 1, argv + 1);
	if (!strcmp(argv[0], "show") || !strcmp(argv[0], "list"))
		return port_show(argc - 1, argv + 1);
	if (!strcmp(argv[0], "auto"))
		return port_auto(argc - 1, argv + 1, true);
	if (!strcmp(argv[0], "noauto"))
		return port_auto(argc - 1, argv + 1, false);
	cli_fail("port: unknown command \"%s\"", argv[0]);
	if (!cli_line)
		port_usage(stderr);
	return 1;
}
