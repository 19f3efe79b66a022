/* SPDX-License-Identifier: GPL-2.0 */
/* What the CLI's object files share: global options and argument helpers. */
#ifndef XBR_CLI_H
#define XBR_CLI_H

#include <stdbool.h>
#include "libxbr.h"
#include "json.h"

extern bool json;	/* -j */
extern bool show_stats;	/* -s */

/* Each object: argc/argv start at its command word. */
int do_bridge(int argc, char **argv);
int do_port(int argc, char **argv);
int do_vport(int argc, char **argv);
int do_fdb(int argc, char **argv);
int do_vlan(int argc, char **argv);
int do_stats(int argc, char **argv);

/* Print the library's error (or @fmt) to stderr; returns 1 for exit(). */
int cli_fail(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
int cli_lib_fail(void);
bool is_help(const char *arg);
/* Parse "on"/"off" for @what; -1 on error (printed). */
int parse_on_off(const char *what, const char *arg);
int parse_uint(const char *what, const char *arg, unsigned int max, unsigned int *val);
/* An argument that must follow @key: fails with a message if missing. */
const char *need_arg(int *argc, char ***argv, const char *key);
/* The "show [BRIDGE]" every object has: @fn for BRIDGE (checked first) or
 * for each bridge of this netns, inside one JSON array with -j. */
int show_bridges(const char *bridge, int (*fn)(const char *name, void *arg), void *arg);
/* A "dev DEV" filter needs a BRIDGE that has DEV as a port. */
int check_port_filter(const char *what, const char *bridge, const char *dev);
/* Open @name, or print why not. */
int open_bridge(const char *name, struct xbr_bridge *br);

#endif
