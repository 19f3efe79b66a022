// SPDX-License-Identifier: GPL-2.0
/*
 * xbr: the control CLI. iproute2 grammar: xbr [OPTIONS] OBJECT COMMAND ...
 * Every command works on pinned maps; nothing has to stay running.
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <errno.h>
#include <bpf/libbpf.h>
#include "cli.h"

bool json;
bool show_stats;

static void usage(FILE *f)
{
	fputs("Usage: xbr [OPTIONS] OBJECT { COMMAND | help }\n"
	      "where  OBJECT := { bridge | port | vport | fdb | vlan | stats | show }\n"
	      "       OPTIONS := { -j[son] | -s[tatistics] | --pin-root DIR | -h[elp] }\n"
	      "\n"
	      "  xbr bridge add NAME [ageing SECONDS] [host-port]\n"
	      "  xbr bridge del NAME\n"
	      "  xbr bridge set NAME [ageing SECONDS] [vlan-filtering on|off]\n"
	      "       [fdb-max-learned N]\n"
	      "  xbr bridge reload NAME\n"
	      "  xbr bridge show [NAME]\n"
	      "  xbr port add BRIDGE DEV [mode xdp|tc|auto] [learning on|off] [flood on|off]\n"
	      "  xbr port set BRIDGE DEV [learning on|off] [flood on|off] [locked on|off]\n"
	      "       [mac MAC[,MAC...]] [ip ADDR[,ADDR...]] [max-macs N] [flood-limit PPS]\n"
	      "       [learn-limit N] [dhcp-server on|off] [ra on|off]\n"
	      "  xbr port del BRIDGE DEV\n"
	      "  xbr port show [BRIDGE]\n"
	      "  xbr vport add BRIDGE NAME [queues N] [mac MAC]\n"
	      "  xbr vport del BRIDGE NAME\n"
	      "  xbr vport show [BRIDGE [NAME]]\n"
	      "  xbr vport qemu BRIDGE NAME [map-path | sock-fds]\n"
	      "  xbr vport run BRIDGE NAME -- COMMAND [ARGS...]\n"
	      "  xbr fdb add BRIDGE MAC dev DEV [vlan VID] [static]\n"
	      "  xbr fdb del BRIDGE MAC [vlan VID]\n"
	      "  xbr fdb show [BRIDGE] [dev DEV]\n"
	      "  xbr fdb flush BRIDGE [dev DEV] [dynamic]\n"
	      "  xbr vlan add BRIDGE dev DEV vid VID[-VID] [pvid] [untagged]\n"
	      "  xbr vlan del BRIDGE dev DEV vid VID[-VID]\n"
	      "  xbr vlan show [BRIDGE]\n"
	      "  xbr stats [BRIDGE] [dev DEV]\n"
	      "\n"
	      "Maps and programs are pinned under PIN-ROOT/xbr/BRIDGE (PIN-ROOT: --pin-root,\n"
	      "else $XBR_PIN_ROOT, else /sys/fs/bpf); inspect them with bpftool.\n", f);
}

int cli_fail(const char *fmt, ...)
{
	va_list ap;

	fputs("xbr: ", stderr);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
	return 1;
}

int cli_lib_fail(void)
{
	return cli_fail("%s", xbr_errmsg());
}

bool is_help(const char *arg)
{
	return !strcmp(arg, "help") || !strcmp(arg, "-h") || !strcmp(arg, "--help");
}

int parse_on_off(const char *what, const char *arg)
{
	if (!arg)
		return -1;
	if (!strcmp(arg, "on"))
		return 1;
	if (!strcmp(arg, "off"))
		return 0;
	cli_fail("invalid %s \"%s\": expected on or off", what, arg);
	return -1;
}

int parse_uint(const char *what, const char *arg, unsigned int max, unsigned int *val)
{
	unsigned long v;
	char *end;

	if (!arg)
		return -1;
	errno = 0;
	v = strtoul(arg, &end, 10);
	if (errno || end == arg || *end || arg[0] == '-' || v > max) {
		cli_fail("invalid %s \"%s\": expected a number 0-%u", what, arg, max);
		return -1;
	}
	*val = v;
	return 0;
}

const char *need_arg(int *argc, char ***argv, const char *key)
{
	if (*argc < 2) {
		cli_fail("\"%s\" needs an argument", key);
		return NULL;
	}
	(*argc)--;
	(*argv)++;
	return **argv;
}

int open_bridge(const char *name, struct xbr_bridge *br)
{
	if (xbr_bridge_open(name, br))
		return cli_lib_fail();
	return 0;
}

int check_port_filter(const char *what, const char *bridge, const char *dev)
{
	struct xbr_bridge br;
	uint32_t ifindex;
	int err;

	if (!dev)
		return 0;
	if (!bridge)
		return cli_fail("%s: \"dev %s\" needs a BRIDGE", what, dev);
	if (open_bridge(bridge, &br))
		return 1;
	err = xbr_port_find(&br, dev, &ifindex, NULL);
	xbr_bridge_close(&br);
	return err ? cli_lib_fail() : 0;
}

int show_bridges(const char *bridge, int (*fn)(const char *name, void *arg), void *arg)
{
	struct xbr_bridge br;

	/* Fail before printing anything, so -j output stays valid. */
	if (bridge) {
		if (open_bridge(bridge, &br))
			return 1;
		xbr_bridge_close(&br);
	}
	if (json)
		jw_array_open(NULL);
	if (bridge)
		fn(bridge, arg);
	else
		xbr_bridge_foreach(fn, arg);
	if (json) {
		jw_array_close();
		jw_end();
	}
	return 0;
}

/* xbr show [BRIDGE]: the overview, i.e. bridge show. */
static int do_show(int argc, char **argv)
{
	char *args[] = { "show", argc > 0 ? argv[0] : NULL, NULL };

	if (argc > 0 && is_help(argv[0])) {
		puts("Usage: xbr show [BRIDGE]   (same as: xbr bridge show [BRIDGE])");
		return 0;
	}
	return do_bridge(argc > 0 ? 2 : 1, args);
}

static const struct {
	const char *name;
	int (*fn)(int argc, char **argv);
} objects[] = {
	{ "bridge", do_bridge },
	{ "port", do_port },
	{ "vport", do_vport },
	{ "fdb", do_fdb },
	{ "vlan", do_vlan },
	{ "stats", do_stats },
	{ "show", do_show },
};

/*
 * libbpf's messages go to stderr as usual (a verifier log is what a user
 * needs when a load fails), except the kernel's netlink notes on tc probes
 * that xbr makes on purpose and reports itself. XBR_DEBUG=1 shows all.
 */
static int libbpf_print(enum libbpf_print_level level, const char *fmt, va_list ap)
{
	if (level == LIBBPF_DEBUG && !getenv("XBR_DEBUG"))
		return 0;
	if (!getenv("XBR_DEBUG") && strstr(fmt, "Kernel error message"))
		return 0;
	return vfprintf(stderr, fmt, ap);
}

int main(int argc, char **argv)
{
	size_t i;

	libbpf_set_print(libbpf_print);

	for (argc--, argv++; argc > 0 && argv[0][0] == '-'; argc--, argv++) {
		const char *opt = argv[0];

		if (!strcmp(opt, "-j") || !strcmp(opt, "-json") || !strcmp(opt, "--json")) {
			json = true;
		} else if (!strcmp(opt, "-s") || !strcmp(opt, "-statistics") ||
			   !strcmp(opt, "--stats")) {
			show_stats = true;
		} else if (!strcmp(opt, "--pin-root")) {
			if (argc < 2)
				return cli_fail("--pin-root needs a directory");
			xbr_set_pin_root(argv[1]);
			argc--, argv++;
		} else if (!strcmp(opt, "-h") || !strcmp(opt, "--help")) {
			usage(stdout);
			return 0;
		} else if (!strcmp(opt, "-V") || !strcmp(opt, "--version")) {
			puts("xbr " XBR_VERSION);
			return 0;
		} else {
			cli_fail("unknown option \"%s\"", opt);
			usage(stderr);
			return 1;
		}
	}
	if (argc < 1) {
		usage(stderr);
		return 1;
	}
	if (is_help(argv[0])) {
		usage(stdout);
		return 0;
	}
	for (i = 0; i < sizeof(objects) / sizeof(objects[0]); i++)
		if (!strcmp(argv[0], objects[i].name))
			return objects[i].fn(argc - 1, argv + 1);
	cli_fail("unknown object \"%s\"", argv[0]);
	usage(stderr);
	return 1;
}
