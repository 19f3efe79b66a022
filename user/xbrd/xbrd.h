/* SPDX-License-Identifier: GPL-2.0 */
/* xbrd, the event agent: what its files share. */
#ifndef XBRD_H
#define XBRD_H

#include <stdarg.h>
#include <stdbool.h>

/* links.c: rtnetlink's link events, as a wake-up. */
int links_open(void);
/* Read every pending message; true if any was a link event (or some were
 * lost: then all state must be looked at again). */
bool links_drain(int fd);

/* reconcile.c: make every bridge of this netns agree with its netdevs:
 * the host port's MAC, ports down, gone or back, netdevs a rule adds. */
void reconcile(void);

/* main.c: a line on stderr, "xbrd: ..." (journald keeps it). */
void xbrd_log(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

#endif
