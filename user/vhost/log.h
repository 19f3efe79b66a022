/* SPDX-License-Identifier: GPL-2.0 */
/* Logging for xbr-vhost: one line per event on stderr, with a level. */
#ifndef XBR_VHOST_LOG_H
#define XBR_VHOST_LOG_H

#include <stdio.h>

extern int vhost_log_level;	/* 0 errors, 1 +warnings, 2 +info, 3 +debug */

#define vlog(lvl, tag, fmt, ...)					\
	do {								\
		if (vhost_log_level >= (lvl))				\
			fprintf(stderr, "xbr-vhost: " tag fmt "\n",	\
				##__VA_ARGS__);				\
	} while (0)

#define log_err(fmt, ...)	vlog(0, "error: ", fmt, ##__VA_ARGS__)
#define log_warn(fmt, ...)	vlog(1, "warning: ", fmt, ##__VA_ARGS__)
#define log_info(fmt, ...)	vlog(2, "", fmt, ##__VA_ARGS__)
#define log_dbg(fmt, ...)	vlog(3, "debug: ", fmt, ##__VA_ARGS__)

#endif
