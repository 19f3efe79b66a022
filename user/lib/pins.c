// SPDX-License-Identifier: GPL-2.0
/*
 * Where a bridge lives: <pin-root>/xbr/<name>/ on a bpffs, its maps pinned
 * there by name, its programs under progs/, its ports' XDP links under
 * links/, its vports under vports/. Names, paths, and the few file
 * operations bpffs has (no regular files: pins and directories).
 */
#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/stat.h>
#include <sys/vfs.h>
#include <linux/magic.h>
#include <bpf/bpf.h>
#include "internal.h"

static char pin_root[PATH_MAX];

void xbr_set_pin_root(const char *root)
{
	snprintf(pin_root, sizeof(pin_root), "%s", root);
}

const char *xbr_pin_root(void)
{
	const char *env;

	if (!pin_root[0]) {
		env = getenv("XBR_PIN_ROOT");
		xbr_set_pin_root(env && *env ? env : XBR_PIN_ROOT_DEFAULT);
	}
	return pin_root;
}

int pins_top(char *buf)
{
	return xbr_path(buf, "%s/xbr", xbr_pin_root());
}

int pins_bridge_dir(const char *name, char *buf)
{
	return xbr_path(buf, "%s/xbr/%s", xbr_pin_root(), name);
}

bool pins_name_valid(const char *name)
{
	size_t len = strlen(name);

	if (!len || len > XBR_NAME_MAX)
		return false;
	if (!strcmp(name, ".") || !strcmp(name, ".."))
		return false;
	for (; *name; name++)
		if (*name == '/' || *name <= ' ')
			return false;
	return true;
}

int pins_root_is_bpffs(void)
{
	struct statfs sfs;

	if (statfs(xbr_pin_root(), &sfs))
		return -errno;
	return sfs.f_type == BPF_FS_MAGIC;
}

int pins_mkdir(const char *path)
{
	if (mkdir(path, 0700) && errno != EEXIST)
		return -errno;
	return 0;
}

void pins_rm_tree(const char *path)
{
	struct dirent *de;
	char sub[PATH_MAX];
	DIR *d = opendir(path);

	if (d) {
		while ((de = readdir(d))) {
			if (!strcmp(de->d_name, ".") || !strcmp(de->d_name, ".."))
				continue;
			xbr_path(sub, "%s/%s", path, de->d_name);
			if (de->d_type == DT_DIR)
				pins_rm_tree(sub);
			else
				unlink(sub);
		}
		closedir(d);
	}
	rmdir(path);
}

static int name_cmp(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

int pins_subdirs(const char *dir, char **names, int max)
{
	struct dirent *de;
	int n = 0;
	DIR *d;

	d = opendir(dir);
	if (!d)
		return 0;
	while ((de = readdir(d)) && n < max) {
		if (de->d_name[0] == '.' || de->d_type != DT_DIR)
			continue;
		names[n] = strdup(de->d_name);
		if (names[n])
			n++;
	}
	closedir(d);
	qsort(names, n, sizeof(names[0]), name_cmp);
	return n;
}

int pin_get(const char *dir, const char *name)
{
	char path[PATH_MAX];

	xbr_path(path, "%s/%s", dir, name);
	return bpf_obj_get(path);
}

int pin_at(int fd, const char *dir, const char *name)
{
	char path[PATH_MAX];

	xbr_path(path, "%s/%s", dir, name);
	return bpf_obj_pin(fd, path) ? -errno : 0;
}

int pin_replace(int fd, const char *dir, const char *name)
{
	char path[PATH_MAX], tmp[PATH_MAX];

	xbr_path(path, "%s/%s", dir, name);
	/* bpffs rejects dots in names: no ".new" suffix. */
	xbr_path(tmp, "%s/%s_new", dir, name);
	unlink(tmp);
	if (bpf_obj_pin(fd, tmp))
		return -errno;
	if (rename(tmp, path)) {
		int err = -errno;

		unlink(tmp);
		return err;
	}
	return 0;
}
