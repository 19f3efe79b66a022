// SPDX-License-Identifier: GPL-2.0
/*
 * xbr -batch FILE: many commands, one process, one lock. Each line holds
 * the words that follow `xbr` on a command line, without global options
 * (those of `xbr -batch` apply to every line); blank lines and lines whose
 * first character after blanks is # are skipped; "..." makes one word of what it
 * holds, \" and \\ standing for " and \ inside. `save` writes this format.
 *
 * The lock above bridges is held exclusively for the whole file: no other
 * xbr changes any bridge meanwhile, and the library reads each bridge's
 * state once. Every line still commits on its own, so a file that stops at
 * line N leaves lines 1..N-1 done, exactly as running them one by one.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "cli.h"

/* What a line may not hold; 0 if it is a command to run. */
static int batch_refuse(int argc, char **argv)
{
	if (argv[0][0] == '-')
		return cli_fail("\"%s\": options go before -batch, not on its lines", argv[0]);
	/* It would hold every bridge's lock while its command runs. */
	if (argc > 1 && !strcmp(argv[0], "vport") && !strcmp(argv[1], "run"))
		return cli_fail("vport run cannot run in a batch");
	if (!strcmp(argv[0], "xbr"))
		return cli_fail("unknown object \"xbr\" (a line holds the words after xbr)");
	return 0;
}

int cli_batch(const char *path, bool force)
{
	FILE *f = strcmp(path, "-") ? fopen(path, "re") : stdin;
	unsigned int lineno = 0, failed = 0;
	size_t len = 0, cap = 0;
	char *line = NULL, **argv = NULL;
	int argc, ret = 0;

	if (!f)
		return cli_fail("-batch %s: %s", path, strerror(errno));
	if (xbr_lock_all()) {
		ret = cli_lib_fail();
		goto out;
	}
	while (getline(&line, &len, f) >= 0) {
		cli_line = ++lineno;
		if (line[strspn(line, " \t")] == '#')
			continue;
		argc = cli_line_words(line, &argv, &cap);
		if (argc == 0)
			continue;
		if (argc < 0 || batch_refuse(argc, argv) || cli_dispatch(argc, argv)) {
			failed++;
			if (!force)
				break;
		}
		/* A reader of the output (a pipe) sees each line's at once. */
		fflush(stdout);
	}
	cli_line = 0;
	if (ferror(f))
		failed += cli_fail("-batch %s: %s", path, strerror(errno));
	xbr_unlock_all();
	ret = failed ? 1 : 0;
out:
	if (f != stdin)
		fclose(f);
	free(line);
	free(argv);
	return ret;
}
