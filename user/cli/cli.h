/* SPDX-License-Identifier: GPL-2.0 */
/*
 * What the CLI's files share: global options, argument helpers, keyword
 * tables (cli.c), the objects' entry points. main.c and batch.c call
 * dispatch.c, which calls the objects, which call cli.c: nothing calls
 * back up.
 */
#ifndef XBR_CLI_H
#define XBR_CLI_H

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>
#include "libxbr.h"
#include "json.h"

extern bool json;	/* -j */
extern bool show_stats;	/* -s */
extern unsigned int cli_line;	/* the batch line being run, 0 outside -batch */

/* dispatch.c: run one command, argv[0] the object; the usage of them all. */
int cli_dispatch(int argc, char **argv);
void cli_usage(FILE *f);
/* batch.c: run FILE's commands ("-": stdin) under one lock. */
int cli_batch(const char *path, bool force);

/* Each object: argc/argv start at its command word. Its synopsis, one
 * "xbr port add BRIDGE DEV [mode ...]" per command, the first after
 * @first, the others after @rest. */
int do_bridge(int argc, char **argv);
int do_port(int argc, char **argv);
int do_vport(int argc, char **argv);
int do_fdb(int argc, char **argv);
int do_vlan(int argc, char **argv);
int do_stats(int argc, char **argv);
int do_trace(int argc, char **argv);
int do_monitor(int argc, char **argv);
void bridge_synopsis(FILE *f, const char *first, const char *rest);
void port_synopsis(FILE *f, const char *first, const char *rest);
void vport_synopsis(FILE *f, const char *first, const char *rest);
void fdb_synopsis(FILE *f, const char *first, const char *rest);
void vlan_synopsis(FILE *f, const char *first, const char *rest);
void stats_synopsis(FILE *f, const char *first, const char *rest);
void trace_synopsis(FILE *f, const char *first, const char *rest);
void monitor_synopsis(FILE *f, const char *first, const char *rest);

/* Print the library's error (or @fmt) to stderr, after "line N: " in a
 * batch; returns 1 for exit(). */
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

/*
 * Keywords as data: one row per keyword of a command parses it into a
 * member of the command's options struct and documents it, so the parser,
 * `xbr OBJECT help` and `xbr --help` cannot drift apart. A table ends with
 * an empty row.
 */
struct cli_kw {
	const char *word;
	const char *arg;	/* what follows the word, for usage; NULL: nothing */
	int (*parse)(const struct cli_kw *kw, const char *arg, void *opts);
	size_t off;		/* of the member in the options struct */
	unsigned int min, max;	/* kw_uint, kw_llong */
	const char *const *choices;	/* kw_choice: NULL-terminated */
	const char *help;	/* its lines in `help`, each "  word  text"; NULL: none */
	/* `save`: print " word value" from the member, or nothing for a
	 * value that needs no saying. NULL: as the row's kw_* parser reads
	 * it (a row with a parser of its own needs one). */
	void (*print)(const struct cli_kw *kw, const void *opts, FILE *f);
};

/* Row parsers: int 0/1; unsigned int; long long; bool set by the bare word;
 * int index into choices; const char * to the argument. */
int kw_on_off(const struct cli_kw *kw, const char *arg, void *opts);
int kw_uint(const struct cli_kw *kw, const char *arg, void *opts);
int kw_llong(const struct cli_kw *kw, const char *arg, void *opts);
int kw_flag(const struct cli_kw *kw, const char *arg, void *opts);
int kw_choice(const struct cli_kw *kw, const char *arg, void *opts);
int kw_string(const struct cli_kw *kw, const char *arg, void *opts);

/* Parse argv against @kws; errors name @cmd ("port", "bridge add"). */
int cli_parse_kws(const char *cmd, const struct cli_kw *kws, int argc, char **argv, void *opts);
/* "@lead@words [kw arg] [kw arg] ...", wrapped under @lead's end. */
void cli_synopsis(FILE *f, const char *lead, const char *words, const struct cli_kw *kws);
/* Every row's help. */
void cli_kws_help(FILE *f, const struct cli_kw *kws);
/* Every row's " word value" from @opts, in table order: the arguments that
 * parse back into the same @opts. */
void cli_kws_print(FILE *f, const struct cli_kw *kws, const void *opts);

/* words.c: split a line into words ("..." quoting, \" and \\ inside):
 * how many, -EINVAL on a bad quote, -ENOMEM. cli_line_words() (cli.c) is
 * the same, saying why on stderr and returning -1. */
int cli_split_words(char *line, char ***argv, size_t *cap);
int cli_line_words(char *line, char ***argv, size_t *cap);
/* Print @word so that cli_split_words() reads it back as one word. */
void cli_print_word(FILE *f, const char *word);

/* A configuration (save and apply, libxbr's struct xbr_conf): each object
 * parses its configuration lines with its own keyword tables into @c
 * (argv at its command word: "add ...", "set ..."), and prints the lines
 * that make what @b holds of it. */
int bridge_conf(struct xbr_conf *c, int argc, char **argv);
int port_conf(struct xbr_conf *c, int argc, char **argv);
int vport_conf(struct xbr_conf *c, int argc, char **argv);
int fdb_conf(struct xbr_conf *c, int argc, char **argv);
int vlan_conf(struct xbr_conf *c, int argc, char **argv);
void bridge_save(FILE *f, const struct xbr_conf_bridge *b);
void bridge_save_filtering(FILE *f, const struct xbr_conf_bridge *b);
void port_save(FILE *f, const struct xbr_conf_bridge *b, const struct xbr_conf_port *p);
void port_save_auto(FILE *f, const struct xbr_conf_bridge *b);
void vport_save(FILE *f, const struct xbr_conf_bridge *b, const struct xbr_conf_vport *v);
void fdb_save(FILE *f, const struct xbr_conf_bridge *b, const struct xbr_conf_fdb *e);
void vlan_save(FILE *f, const struct xbr_conf_bridge *b, const struct xbr_conf_port *p);
/* save.c, apply.c */
int do_save(int argc, char **argv);
int do_apply(int argc, char **argv);
void save_synopsis(FILE *f, const char *first, const char *rest);
void apply_synopsis(FILE *f, const char *first, const char *rest);

#endif
