// SPDX-License-Identifier: GPL-2.0
/*
 * Who may change a bridge now: flock(2) on pin directories. bpffs holds no
 * regular files, but a directory takes a flock like any file.
 *
 *   <pin-root>/xbr/           the lock above bridges: shared by every change
 *                             to one bridge, exclusive for changes spanning
 *                             bridges (bridge add/del, claiming a netdev for
 *                             a port, a batch)
 *   <pin-root>/xbr/<bridge>/  the bridge's own: exclusive for every change
 *
 * Always the top lock first, then one bridge's: no process waits for the
 * top lock while holding a bridge's, so nobody deadlocks. Readers take
 * neither. The kernel drops a flock when the last fd of its holder closes,
 * however the holder ends: a crashed xbr wedges nothing. The fds are
 * close-on-exec, so commands that xbr starts (vport run) never inherit one.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include "internal.h"

/* How long a holder may keep a lock before waiters say they wait. */
#define LOCK_PATIENCE_MS	2000

struct held_bridge {
	char dir[PATH_MAX];
	int fd;			/* open while locked */
	unsigned int depth;
	void *cache;		/* lock_cache() */
	struct held_bridge *next;
};

static struct {
	int fd;
	unsigned int depth;
	bool excl;
} top = { .fd = -1 };

static struct held_bridge *held;

static long elapsed_ms(const struct timespec *t0)
{
	struct timespec now;

	clock_gettime(CLOCK_MONOTONIC, &now);
	return (now.tv_sec - t0->tv_sec) * 1000 + (now.tv_nsec - t0->tv_nsec) / 1000000;
}

/* Who holds a flock on @fd's file, from /proc/locks: "pid N (command)". */
void lock_holder(int fd, char *buf, size_t len)
{
	unsigned int maj, min;
	unsigned long ino;
	char line[256], type[16], path[64], cmd[96];
	struct stat st;
	FILE *f;
	int pid = 0, n;

	snprintf(buf, len, "another process");
	if (fstat(fd, &st))
		return;
	f = fopen("/proc/locks", "re");
	if (!f)
		return;
	while (fgets(line, sizeof(line), f)) {
		/* "1: FLOCK  ADVISORY  WRITE 1234 00:2f:5678 0 EOF"; waiters
		 * show as "1: -> FLOCK ...". */
		if (sscanf(line, "%*d: %15s %*s %*s %d %x:%x:%lu", type, &pid, &maj, &min, &ino) != 5)
			continue;
		if (!strcmp(type, "FLOCK") && maj == major(st.st_dev) && min == minor(st.st_dev) &&
		    ino == st.st_ino)
			break;
		pid = 0;
	}
	fclose(f);
	if (!pid)
		return;
	snprintf(buf, len, "pid %d", pid);
	snprintf(path, sizeof(path), "/proc/%d/cmdline", pid);
	f = fopen(path, "re");
	if (!f)
		return;
	n = fread(cmd, 1, sizeof(cmd) - 1, f);
	fclose(f);
	if (n <= 0)
		return;
	cmd[n] = '\0';
	for (int i = 0; i < n - 1; i++)
		if (!cmd[i])
			cmd[i] = ' ';
	snprintf(buf, len, "pid %d (%s%s)", pid, cmd, n == (int)sizeof(cmd) - 1 ? "..." : "");
}

/*
 * flock, and once another holder has kept it LOCK_PATIENCE_MS, say who we
 * wait for and wait on: a long change (a batch, a reload) makes others
 * wait, never fail. Polling until then keeps the common case, a lock held
 * for milliseconds, free of any message.
 */
static int flock_wait(int fd, int op, const char *what)
{
	struct timespec t0, nap = { 0, 1000000 };
	char who[160];

	clock_gettime(CLOCK_MONOTONIC, &t0);
	while (flock(fd, op | LOCK_NB)) {
		if (errno != EWOULDBLOCK && errno != EINTR)
			return -errno;
		if (elapsed_ms(&t0) >= LOCK_PATIENCE_MS) {
			lock_holder(fd, who, sizeof(who));
			xbr_warn("%s locked by %s: waiting", what, who);
			while (flock(fd, op))
				if (errno != EINTR)
					return -errno;
			return 0;
		}
		nanosleep(&nap, NULL);
		if (nap.tv_nsec < 16000000)
			nap.tv_nsec *= 2;
	}
	return 0;
}

int lock_top(bool excl, const char *bridge)
{
	char dir[PATH_MAX], what[PATH_MAX + 64];
	int fd, err;

	if (top.depth) {
		if (excl && !top.excl)
			return xbr_err(-EDEADLK, "the lock above bridges is held shared: it cannot "
				       "become exclusive");
		top.depth++;
		return 0;
	}
	pins_top(dir);
	fd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (fd < 0)
		return xbr_err(-errno, "cannot lock %s: %s", dir, strerror(errno));
	if (bridge)
		snprintf(what, sizeof(what), "bridge %s: every bridge is", bridge);
	else
		snprintf(what, sizeof(what), "the bridges under %s are", dir);
	err = flock_wait(fd, excl ? LOCK_EX : LOCK_SH, what);
	if (err) {
		close(fd);
		return xbr_err(err, "cannot lock %s: %s", dir, strerror(-err));
	}
	top.fd = fd;
	top.excl = excl;
	top.depth = 1;
	return 0;
}

static void held_drop(struct held_bridge *h)
{
	struct held_bridge **p;

	for (p = &held; *p; p = &(*p)->next) {
		if (*p == h) {
			*p = h->next;
			break;
		}
	}
	free(h->cache);
	free(h);
}

void unlock_top(void)
{
	struct held_bridge *h, *next;

	if (!top.depth || --top.depth)
		return;
	/* What this process cached under the exclusive lock is stale now. */
	for (h = held; h; h = next) {
		next = h->next;
		if (!h->depth)
			held_drop(h);
	}
	flock(top.fd, LOCK_UN);
	close(top.fd);
	top.fd = -1;
	top.excl = false;
}

bool lock_top_exclusive(void)
{
	return top.depth && top.excl;
}

static struct held_bridge *held_find(const char *dir)
{
	struct held_bridge *h;

	for (h = held; h; h = h->next)
		if (!strcmp(h->dir, dir))
			return h;
	return NULL;
}

int lock_bridge(struct xbr_bridge *br, bool claim)
{
	struct held_bridge *h;
	char what[IFNAMSIZ + 16];
	struct stat st;
	int err;

	err = lock_top(claim, br->name);
	if (err)
		return err;
	h = held_find(br->dir);
	if (h && h->depth) {
		h->depth++;
		return 0;
	}
	if (!h) {
		h = calloc(1, sizeof(*h));
		if (!h) {
			unlock_top();
			return xbr_err(-ENOMEM, "bridge %s: out of memory", br->name);
		}
		snprintf(h->dir, sizeof(h->dir), "%s", br->dir);
		h->next = held;
		held = h;
	}
	h->fd = open(br->dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (h->fd < 0) {
		err = xbr_err(-ENOENT, "no such bridge: %s", br->name);
		goto fail;
	}
	snprintf(what, sizeof(what), "bridge %s is", br->name);
	err = flock_wait(h->fd, LOCK_EX, what);
	if (err) {
		xbr_err(err, "bridge %s: cannot lock %s: %s", br->name, br->dir, strerror(-err));
		goto fail;
	}
	/* Its deletion may have run while we waited, or a bridge of the same
	 * name replaced it since @br was opened: @br's maps are not its maps. */
	if (fstat(h->fd, &st) || st.st_dev != br->dir_dev || st.st_ino != br->dir_ino ||
	    stat(br->dir, &st) || st.st_ino != br->dir_ino) {
		err = xbr_err(-ESTALE, "bridge %s was deleted or re-created meanwhile", br->name);
		goto fail;
	}
	h->depth = 1;
	return 0;
fail:
	if (h->fd >= 0)
		close(h->fd);
	h->fd = -1;
	held_drop(h);
	unlock_top();
	return err;
}

void unlock_bridge(struct xbr_bridge *br)
{
	struct held_bridge *h = held_find(br->dir);

	if (!h || !h->depth)
		return;
	if (!--h->depth) {
		flock(h->fd, LOCK_UN);
		close(h->fd);
		h->fd = -1;
		/* Under the exclusive top lock nobody else can change the
		 * bridge: its cached state stays good until that goes. */
		if (!lock_top_exclusive())
			held_drop(h);
	}
	unlock_top();
}

void **lock_cache(const struct xbr_bridge *br)
{
	struct held_bridge *h = held_find(br->dir);

	return h && h->depth ? &h->cache : NULL;
}

void lock_forget(const char *dir)
{
	struct held_bridge *h = held_find(dir);

	if (!h)
		return;
	free(h->cache);
	h->cache = NULL;
	if (!h->depth)
		held_drop(h);
}

int xbr_bridge_lock(struct xbr_bridge *br)
{
	return lock_bridge(br, false);
}

void xbr_bridge_unlock(struct xbr_bridge *br)
{
	unlock_bridge(br);
}

int xbr_lock_all(void)
{
	char dir[PATH_MAX];

	/* A fresh pin root has no xbr/ yet: the first bridge add makes it. */
	pins_top(dir);
	if (pins_root_is_bpffs() == 1)
		pins_mkdir(dir);
	return lock_top(true, NULL);
}

void xbr_unlock_all(void)
{
	unlock_top();
}
