// SPDX-License-Identifier: GPL-2.0
/* One error slot: the library fills it, the CLI prints it. */
#include <stdarg.h>
#include <stdio.h>
#include <errno.h>
#include <limits.h>
#include <string.h>
#include "internal.h"

static char errmsg[512];

const char *xbr_errmsg(void)
{
	return errmsg;
}

/* Record the message and return @err (a negative errno) for chaining. The
 * previous message may be one of the arguments: it is read before it is
 * overwritten. */
int xbr_err(int err, const char *fmt, ...)
{
	char msg[sizeof(errmsg)];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	memcpy(errmsg, msg, sizeof(errmsg));
	return err;
}

void xbr_warn(const char *fmt, ...)
{
	va_list ap;

	fputs("xbr: warning: ", stderr);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
}

int xbr_path(char *buf, const char *fmt, ...)
{
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = vsnprintf(buf, PATH_MAX, fmt, ap);
	va_end(ap);
	return n < 0 || n >= PATH_MAX ? -ENAMETOOLONG : 0;
}
