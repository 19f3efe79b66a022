// SPDX-License-Identifier: GPL-2.0
/*
 * The helpers every object of the CLI uses: errors, argument parsing, the
 * keyword tables, the "show [BRIDGE]" walk. Global options live here too,
 * so that no object depends on main.c.
 */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "cli.h"

bool json;
bool show_stats;
unsigned int cli_line;

/* Synopsis lines wrap before this column. */
#define SYNOPSIS_WIDTH	86

int cli_fail(const char *fmt, ...)
{
	va_list ap;

	fputs("xbr: ", stderr);
	if (cli_line)
		fprintf(stderr, "line %u: ", cli_line);
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

static int parse_ull(const char *what, const char *arg, unsigned long long min,
		     unsigned long long max, unsigned long long *val)
{
	unsigned long long v;
	char *end;

	errno = 0;
	v = strtoull(arg, &end, 10);
	if (errno || end == arg || *end || arg[0] == '-' || v < min || v > max) {
		cli_fail("invalid %s \"%s\": expected a number %llu-%llu", what, arg, min, max);
		return -1;
	}
	*val = v;
	return 0;
}

int parse_uint(const char *what, const char *arg, unsigned int max, unsigned int *val)
{
	unsigned long long v;

	if (!arg || parse_ull(what, arg, 0, max, &v))
		return -1;
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

/* ---- keyword tables --------------------------------------------------------- */

static void *member(const struct cli_kw *kw, void *opts)
{
	return (char *)opts + kw->off;
}

int kw_on_off(const struct cli_kw *kw, const char *arg, void *opts)
{
	int v = parse_on_off(kw->word, arg);

	if (v < 0)
		return -1;
	*(int *)member(kw, opts) = v;
	return 0;
}

int kw_uint(const struct cli_kw *kw, const char *arg, void *opts)
{
	unsigned long long v;

	if (parse_ull(kw->word, arg, kw->min, kw->max, &v))
		return -1;
	*(unsigned int *)member(kw, opts) = v;
	return 0;
}

int kw_llong(const struct cli_kw *kw, const char *arg, void *opts)
{
	unsigned long long v;

	if (parse_ull(kw->word, arg, kw->min, kw->max, &v))
		return -1;
	*(long long *)member(kw, opts) = v;
	return 0;
}

int kw_flag(const struct cli_kw *kw, const char *arg, void *opts)
{
	(void)arg;
	*(bool *)member(kw, opts) = true;
	return 0;
}

int kw_choice(const struct cli_kw *kw, const char *arg, void *opts)
{
	char expected[128] = "";
	int i, n;

	for (n = 0; kw->choices[n]; n++)
		if (!strcmp(arg, kw->choices[n]))
			break;
	if (kw->choices[n]) {
		*(int *)member(kw, opts) = n;
		return 0;
	}
	for (i = 0; i < n; i++)
		snprintf(expected + strlen(expected), sizeof(expected) - strlen(expected), "%s%s",
			 i ? (i == n - 1 ? " or " : ", ") : "", kw->choices[i]);
	cli_fail("invalid %s \"%s\": expected %s", kw->word, arg, expected);
	return -1;
}

int kw_string(const struct cli_kw *kw, const char *arg, void *opts)
{
	*(const char **)member(kw, opts) = arg;
	return 0;
}

int cli_parse_kws(const char *cmd, const struct cli_kw *kws, int argc, char **argv, void *opts)
{
	const struct cli_kw *kw;
	const char *arg;

	for (; argc > 0; argc--, argv++) {
		for (kw = kws; kw->word && strcmp(kw->word, argv[0]); kw++)
			;
		if (!kw->word)
			return cli_fail("%s: unknown argument \"%s\"", cmd, argv[0]), -1;
		arg = NULL;
		if (kw->arg) {
			arg = need_arg(&argc, &argv, kw->word);
			if (!arg)
				return -1;
		}
		if (kw->parse(kw, arg, opts))
			return -1;
	}
	return 0;
}

void cli_synopsis(FILE *f, const char *lead, const char *words, const struct cli_kw *kws)
{
	int col = fprintf(f, "%sxbr %s", lead, words), indent;
	const struct cli_kw *kw;
	char item[128];

	/* Continuation lines start under the command word. */
	indent = strlen(lead) + 4 + strcspn(words, " ");
	for (kw = kws; kws && kw->word; kw++) {
		if (kw->arg)
			snprintf(item, sizeof(item), "[%s %s]", kw->word, kw->arg);
		else
			snprintf(item, sizeof(item), "[%s]", kw->word);
		if (col + 1 + (int)strlen(item) > SYNOPSIS_WIDTH)
			col = fprintf(f, "\n%*s", indent, "") - 1;
		col += fprintf(f, " %s", item);
	}
	fputc('\n', f);
}

int cli_line_words(char *line, char ***argv, size_t *cap)
{
	int n = cli_split_words(line, argv, cap);

	if (n == -EINVAL)
		return cli_fail("unterminated quote"), -1;
	if (n < 0)
		return cli_fail("out of memory"), -1;
	return n;
}

void cli_kws_print(FILE *f, const struct cli_kw *kws, const void *opts)
{
	const struct cli_kw *kw;
	const void *m;

	for (kw = kws; kw->word; kw++) {
		m = (const char *)opts + kw->off;
		if (kw->print)
			kw->print(kw, opts, f);
		else if (kw->parse == kw_on_off)
			fprintf(f, " %s %s", kw->word, *(const int *)m ? "on" : "off");
		else if (kw->parse == kw_uint)
			fprintf(f, " %s %u", kw->word, *(const unsigned int *)m);
		else if (kw->parse == kw_llong)
			fprintf(f, " %s %lld", kw->word, *(const long long *)m);
		else if (kw->parse == kw_choice)
			fprintf(f, " %s %s", kw->word, kw->choices[*(const int *)m]);
		else if (kw->parse == kw_flag && *(const bool *)m)
			fprintf(f, " %s", kw->word);
		else if (kw->parse == kw_string && *(const char *const *)m) {
			fprintf(f, " %s ", kw->word);
			cli_print_word(f, *(const char *const *)m);
		}
	}
}

void cli_kws_help(FILE *f, const struct cli_kw *kws)
{
	const struct cli_kw *kw;

	for (kw = kws; kw->word; kw++)
		if (kw->help)
			fprintf(f, "%s\n", kw->help);
}
