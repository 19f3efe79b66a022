// SPDX-License-Identifier: GPL-2.0
/*
 * A bridge's programs: one BPF object per attach point (XDP ingress, tc
 * ingress, devmap egress), one for the FDB's upkeep (its flush and its
 * reclaimer, each loaded on its own), xbr trace's and the control plane's
 * events', against the bridge's pinned maps. Loading
 * is apart from publishing: every program of a set is verified before any
 * pin changes, so `bridge reload` either has all its new programs or
 * changes nothing.
 *
 * The objects come from the library itself (the skeletons' ELF bytes), or
 * from a directory holding xbr_xdp.bpf.o, xbr_tc.bpf.o, xbr_egress.bpf.o,
 * xbr_fdb.bpf.o, xbr_trace.bpf.o, xbr_events.bpf.o: another build's programs
 * for a reload.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <bpf/bpf.h>
#include <bpf/libbpf.h>
#include "internal.h"
#include "xbr_xdp.skel.h"
#include "xbr_tc.skel.h"
#include "xbr_egress.skel.h"
#include "xbr_fdb.skel.h"
#include "xbr_trace.skel.h"
#include "xbr_events.skel.h"

/* Verifier logs are long; their end says why. */
#define VERIFIER_LOG_SIZE	(1 << 20)

static const struct {
	const char *what;	/* in messages */
	const char *object;	/* its object */
	const char *name;	/* the program's name in it */
	const char *pin;	/* under progs/ */
	const void *(*elf_bytes)(size_t *sz);
} progs[LOADER_NR_PROGS] = {
	[LOADER_XDP] = { "XDP", "xbr_xdp", "xbr_xdp", XBR_PROG_XDP, xbr_xdp__elf_bytes },
	[LOADER_TC] = { "tc", "xbr_tc", "xbr_tc", XBR_PROG_TC, xbr_tc__elf_bytes },
	[LOADER_EGRESS] = { "egress", "xbr_egress", "xbr_egress", XBR_PROG_EGRESS,
			    xbr_egress__elf_bytes },
	[LOADER_FDB_FLUSH] = { "FDB flush", "xbr_fdb", "xbr_fdb_flush", XBR_PROG_FDB_FLUSH,
			       xbr_fdb__elf_bytes },
	[LOADER_FDB_GC] = { "FDB reclaimer", "xbr_fdb", "xbr_fdb_gc", XBR_PROG_FDB_GC,
			    xbr_fdb__elf_bytes },
	[LOADER_TRACE] = { "trace", "xbr_trace", "xbr_trace", XBR_PROG_TRACE,
			   xbr_trace__elf_bytes },
	[LOADER_EVENT] = { "event", "xbr_events", "xbr_event", XBR_PROG_EVENT,
			   xbr_events__elf_bytes },
};

static int new_map_fd(const struct loader_set *ls, const char *name)
{
	unsigned int i;

	for (i = 0; i < ls->nr_new; i++)
		if (!strcmp(ls->new_name[i], name))
			return ls->new_fd[i];
	return -1;
}

/* Point every map of @obj at its pin under @dir, or at the map an earlier
 * object of this set created: all programs of a bridge share its maps. */
static int maps_reuse(struct bpf_object *obj, const char *dir, const struct loader_set *ls)
{
	struct bpf_map *map;
	int fd, err;

	bpf_object__for_each_map(map, obj) {
		if (bpf_map__is_internal(map))
			continue;
		fd = pin_get(dir, bpf_map__name(map));
		if (fd < 0) {
			fd = new_map_fd(ls, bpf_map__name(map));
			if (fd < 0)
				continue;
			fd = dup(fd);
		}
		err = bpf_map__reuse_fd(map, fd);
		close(fd);
		if (err)
			return xbr_err(err, "map %s of %s does not match the pinned one: %s",
				       bpf_map__name(map), bpf_object__name(obj), strerror(-err));
	}
	return 0;
}

/* Keep the maps @obj created, to pin them once the whole set is loaded. */
static int maps_keep_new(struct bpf_object *obj, const char *dir, struct loader_set *ls)
{
	struct bpf_map *map;
	int fd;

	bpf_object__for_each_map(map, obj) {
		if (bpf_map__is_internal(map) || new_map_fd(ls, bpf_map__name(map)) >= 0)
			continue;
		fd = pin_get(dir, bpf_map__name(map));
		if (fd >= 0) {
			close(fd);
			continue;
		}
		if (ls->nr_new == sizeof(ls->new_fd) / sizeof(ls->new_fd[0]))
			return xbr_err(-E2BIG, "%s: too many maps", bpf_object__name(obj));
		fd = dup(bpf_map__fd(map));
		if (fd < 0)
			return xbr_err(-errno, "%s: %s", bpf_object__name(obj), strerror(errno));
		ls->new_fd[ls->nr_new] = fd;
		snprintf(ls->new_name[ls->nr_new], sizeof(ls->new_name[0]), "%s",
			 bpf_map__name(map));
		ls->nr_new++;
	}
	return 0;
}

/* The last lines of a verifier log before its "processed N insns" summary:
 * the instruction it refused and why. */
static void verifier_why(const char *log, char *buf, size_t len)
{
	const char *end = strstr(log, "\nprocessed ");
	const char *p, *start;
	int lines = 0;

	buf[0] = '\0';
	if (!end)
		end = log + strlen(log);
	for (p = end; p > log && lines < 2; p--)
		if (p[-1] == '\n' && p != end)
			lines++;
	start = p == log ? log : p + 1;
	while (*start == '\n')
		start++;
	snprintf(buf, len, "%.*s", (int)(end - start), start);
	for (char *c = buf; *c; c++)
		if (*c == '\n')
			*c = ' ';
}

static int load_one(const char *dir, const char *obj_dir, enum loader_prog i,
		    struct loader_set *ls)
{
	LIBBPF_OPTS(bpf_object_open_opts, opts, .object_name = progs[i].object);
	struct bpf_object *obj;
	struct bpf_program *prog, *other;
	char path[PATH_MAX], from[PATH_MAX + 16], why[512];
	char *log = NULL;
	size_t size;
	int err, fd;

	if (obj_dir) {
		xbr_path(path, "%s/%s.bpf.o", obj_dir, progs[i].object);
		snprintf(from, sizeof(from), " from %s", path);
		obj = bpf_object__open_file(path, &opts);
	} else {
		const void *bytes = progs[i].elf_bytes(&size);

		from[0] = '\0';
		obj = bpf_object__open_mem(bytes, size, &opts);
	}
	err = libbpf_get_error(obj);
	if (err)
		return xbr_err(err, "cannot open the %s program%s: %s", progs[i].what, from,
			       strerror(-err));
	prog = bpf_object__find_program_by_name(obj, progs[i].name);
	if (!prog) {
		err = xbr_err(-ENOENT, "the %s program%s: no program named %s", progs[i].what,
			      from, progs[i].name);
		goto out;
	}
	/* Only the program this object is for: a stray one must not fail it. */
	bpf_object__for_each_program(other, obj)
		bpf_program__set_autoload(other, other == prog);
	log = calloc(1, VERIFIER_LOG_SIZE);
	if (log)
		bpf_program__set_log_buf(prog, log, VERIFIER_LOG_SIZE);
	err = maps_reuse(obj, dir, ls);
	if (err)
		goto out;
	err = bpf_object__load(obj);
	if (err) {
		verifier_why(log ? log : "", why, sizeof(why));
		if (log && log[0])
			fprintf(stderr, "xbr: the verifier's log of the %s program:\n%s-- end of "
				"the verifier's log\n", progs[i].what, log);
		if (why[0])
			err = xbr_err(err, "the %s program%s failed verification: %s",
				      progs[i].what, from, why);
		else
			err = xbr_err(err, "cannot load the %s program%s: %s (see libbpf's "
				      "output)", progs[i].what, from, strerror(-err));
		goto out;
	}
	err = maps_keep_new(obj, dir, ls);
	if (err)
		goto out;
	fd = dup(bpf_program__fd(prog));
	if (fd < 0) {
		err = xbr_err(-errno, "the %s program: %s", progs[i].what, strerror(errno));
		goto out;
	}
	ls->prog_fd[i] = fd;
out:
	bpf_object__close(obj);
	free(log);
	return err;
}

int loader_load(const char *dir, const char *obj_dir, struct loader_set *ls)
{
	enum loader_prog i;
	int err = 0;

	memset(ls, 0, sizeof(*ls));
	for (i = 0; i < LOADER_NR_PROGS; i++)
		ls->prog_fd[i] = -1;
	for (i = 0; i < LOADER_NR_PROGS && !err; i++)
		err = load_one(dir, obj_dir, i, ls);
	if (err)
		loader_release(ls);
	return err;
}

int loader_pin_maps(const char *dir, struct loader_set *ls)
{
	unsigned int i;
	int err;

	for (i = 0; i < ls->nr_new; i++) {
		err = pin_at(ls->new_fd[i], dir, ls->new_name[i]);
		if (err) {
			ls->nr_new = i;	/* unpin only what we pinned */
			loader_unpin_maps(dir, ls);
			return xbr_err(err, "cannot pin map %s in %s: %s", ls->new_name[i], dir,
				       strerror(-err));
		}
	}
	ls->new_pinned = true;
	return 0;
}

void loader_unpin_maps(const char *dir, struct loader_set *ls)
{
	char path[PATH_MAX];
	unsigned int i;

	for (i = 0; i < ls->nr_new; i++) {
		xbr_path(path, "%s/%s", dir, ls->new_name[i]);
		unlink(path);
	}
	ls->new_pinned = false;
}

int loader_pin_progs(const char *dir, struct loader_set *ls)
{
	char sub[PATH_MAX];
	enum loader_prog i;
	int err;

	xbr_path(sub, "%s/%s", dir, XBR_PROGS_DIR);
	err = pins_mkdir(sub);
	if (err)
		return xbr_err(err, "%s: %s", sub, strerror(-err));
	for (i = 0; i < LOADER_NR_PROGS; i++) {
		err = pin_replace(ls->prog_fd[i], sub, progs[i].pin);
		if (err)
			return xbr_err(err, "cannot pin the %s program in %s: %s", progs[i].what,
				       sub, strerror(-err));
	}
	return 0;
}

void loader_release(struct loader_set *ls)
{
	unsigned int i;

	for (i = 0; i < LOADER_NR_PROGS; i++) {
		if (ls->prog_fd[i] >= 0)
			close(ls->prog_fd[i]);
		ls->prog_fd[i] = -1;
	}
	for (i = 0; i < ls->nr_new; i++)
		close(ls->new_fd[i]);
	ls->nr_new = 0;
}
