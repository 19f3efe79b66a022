// SPDX-License-Identifier: GPL-2.0
/*
 * The words of the batch format (xbr -batch, save, apply): a line splits
 * into words at blanks; "..." makes one word of what it holds, \" and \\
 * standing for " and \ inside. Printing quotes a word that needs it, so
 * that splitting reads it back.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "cli.h"

static bool is_blank(char c)
{
	return c == ' ' || c == '\t' || c == '\r' || c == '\n';
}

/* Split @line in place into words: how many, -EINVAL on a bad quote,
 * -ENOMEM. */
int cli_split_words(char *line, char ***argvp, size_t *cap)
{
	char *in = line, *out = line, **grown;
	bool quoted;
	int argc = 0;

	for (;;) {
		while (is_blank(*in))
			in++;
		if (!*in)
			break;
		if ((size_t)argc + 2 > *cap) {
			grown = realloc(*argvp, 2 * (*cap + 8) * sizeof(char *));
			if (!grown)
				return -ENOMEM;
			*argvp = grown;
			*cap = 2 * (*cap + 8);
		}
		(*argvp)[argc++] = out;
		/* The output never overtakes the input: words only shrink. */
		for (quoted = false; *in && (quoted || !is_blank(*in)); in++) {
			if (*in == '"') {
				quoted = !quoted;
				continue;
			}
			if (quoted && *in == '\\' && (in[1] == '"' || in[1] == '\\'))
				in++;
			*out++ = *in;
		}
		if (quoted)
			return -EINVAL;
		if (*in)
			in++;
		*out++ = '\0';
	}
	if (argc)
		(*argvp)[argc] = NULL;
	return argc;
}

void cli_print_word(FILE *f, const char *word)
{
	const char *c;

	if (*word && !strpbrk(word, " \t\r\n\"\\#")) {
		fputs(word, f);
		return;
	}
	fputc('"', f);
	for (c = word; *c; c++) {
		if (*c == '"' || *c == '\\')
			fputc('\\', f);
		fputc(*c, f);
	}
	fputc('"', f);
}

