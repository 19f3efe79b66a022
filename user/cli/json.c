// SPDX-License-Identifier: GPL-2.0
#include <stdio.h>
#include "json.h"

#define JW_MAX_DEPTH 16

static bool need_comma[JW_MAX_DEPTH];
static int depth;

static void jw_escaped(const char *s)
{
	putchar('"');
	for (; *s; s++) {
		unsigned char c = *s;

		if (c == '"' || c == '\\')
			printf("\\%c", c);
		else if (c < 0x20)
			printf("\\u%04x", c);
		else
			putchar(c);
	}
	putchar('"');
}

/* Separator and key of the next value; @key is NULL inside arrays. */
static void jw_prefix(const char *key)
{
	if (depth && need_comma[depth])
		putchar(',');
	need_comma[depth] = true;
	if (key) {
		jw_escaped(key);
		putchar(':');
	}
}

static void jw_open(const char *key, char c)
{
	jw_prefix(key);
	putchar(c);
	if (depth < JW_MAX_DEPTH - 1)
		depth++;
	need_comma[depth] = false;
}

static void jw_close(char c)
{
	putchar(c);
	if (depth)
		depth--;
}

void jw_array_open(const char *key) { jw_open(key, '['); }
void jw_array_close(void) { jw_close(']'); }
void jw_object_open(const char *key) { jw_open(key, '{'); }
void jw_object_close(void) { jw_close('}'); }

void jw_string(const char *key, const char *val)
{
	jw_prefix(key);
	jw_escaped(val);
}

void jw_uint(const char *key, uint64_t val)
{
	jw_prefix(key);
	printf("%llu", (unsigned long long)val);
}

void jw_double(const char *key, double val)
{
	jw_prefix(key);
	printf("%.3f", val);
}

void jw_bool(const char *key, bool val)
{
	jw_prefix(key);
	fputs(val ? "true" : "false", stdout);
}

void jw_null(const char *key)
{
	jw_prefix(key);
	fputs("null", stdout);
}

void jw_raw(const char *key, const char *val)
{
	jw_prefix(key);
	fputs(val, stdout);
}

void jw_end(void)
{
	putchar('\n');
	depth = 0;
	need_comma[0] = false;
}
