// SPDX-License-Identifier: GPL-2.0
/* One error slot: the library fills it, the CLI prints it. */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <errno.h>
#include <limits.h>
#include <string.h>
#include <bpf/libbpf.h>
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

void xbr_libbpf_quiet(void)
{
	libbpf_set_print(libbpf_print);
}
