// SPDX-License-Identifier: GPL-2.0
/*
 * xbr: the control CLI. iproute2 grammar: xbr [OPTIONS] OBJECT COMMAND ...,
 * or xbr [OPTIONS] -batch FILE. Every command works on pinned maps; nothing
 * has to stay running.
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <bpf/libbpf.h>
#include "cli.h"

static bool is_opt(const char *arg, const char *a, const char *b, const char *c)
{
	return !strcmp(arg, a) || (b && !strcmp(arg, b)) || (c && !strcmp(arg, c));
}

int main(int argc, char **argv)
{
	const char *batch = NULL;
	bool force = false;

	xbr_libbpf_quiet();

	for (argc--, argv++; argc > 0 && argv[0][0] == '-'; argc--, argv++) {
		const char *opt = argv[0];

		if (is_opt(opt, "-j", "-json", "--json")) {
			json = true;
		} else if (is_opt(opt, "-s", "-statistics", "--stats")) {
			show_stats = true;
		} else if (is_opt(opt, "--pin-root", NULL, NULL)) {
			if (argc < 2)
				return cli_fail("--pin-root needs a directory");
			xbr_set_pin_root(argv[1]);
			argc--, argv++;
		} else if (is_opt(opt, "-batch", "-b", "--batch")) {
			if (argc < 2)
				return cli_fail("-batch needs a file (- for stdin)");
			batch = argv[1];
			argc--, argv++;
		} else if (is_opt(opt, "-force", "--force", NULL)) {
			force = true;
		} else if (is_opt(opt, "-h", "--help", NULL)) {
			cli_usage(stdout);
			return 0;
		} else if (is_opt(opt, "-V", "--version", NULL)) {
			puts("xbr " XBR_VERSION);
			return 0;
		} else {
			cli_fail("unknown option \"%s\"", opt);
			cli_usage(stderr);
			return 1;
		}
	}
	if (batch) {
		if (argc > 0)
			return cli_fail("-batch %s: unexpected \"%s\" (the commands are in the "
					"file)", batch, argv[0]);
		return cli_batch(batch, force);
	}
	if (force)
		return cli_fail("-force goes with -batch");
	if (argc < 1) {
		cli_usage(stderr);
		return 1;
	}
	return cli_dispatch(argc, argv);
}
