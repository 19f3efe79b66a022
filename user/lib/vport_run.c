// SPDX-License-Identifier: GPL-2.0
/*
 * The sock-fds supervisor (`xbr vport run`): for a QEMU without map-path
 * (8.2-10.0), make the vport's AF_XDP sockets, run the command with them
 * inherited, put each socket in the XSKMAP once the command has bound it,
 * wait for the command and clean the map. The bridge's lock is held only
 * for the map changes, never while the command runs: the lock fds are
 * close-on-exec, and nothing else of the bridge changes here.
 */
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <sys/wait.h>
#include "internal.h"

#define SOCK_FDS_WORD	"{sock-fds}"

/* Messages while the command runs: the caller is waiting, not failing. */
static void say(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
static void say(const char *fmt, ...)
{
	va_list ap;

	fputs("xbr: ", stderr);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
}

/* Value of KEY=... in a QEMU option list ("af-xdp,id=x,queues=2"), or NULL. */
static const char *opt_value(const char *list, const char *key, char *buf, size_t len)
{
	size_t klen = strlen(key);
	const char *p = list;

	while (p && *p) {
		const char *end = strchr(p, ',');
		size_t n = end ? (size_t)(end - p) : strlen(p);

		if (n > klen && !strncmp(p, key, klen) && p[klen] == '=') {
			snprintf(buf, len, "%.*s", (int)(n - klen - 1), p + klen + 1);
			return buf;
		}
		p = end ? end + 1 : NULL;
	}
	return NULL;
}

/* Catch what QEMU would only report after xbr made the sockets, or would
 * not report at all (a socket bound to another device or queue). */
static int check_netdev_arg(const char *arg, const struct xbr_vport_info *info)
{
	char val[64];
	unsigned long n;

	if (!strstr(arg, "af-xdp"))
		return 0;	/* a wrapper's own syntax: trust it */
	n = opt_value(arg, "queues", val, sizeof(val)) ? strtoul(val, NULL, 10) : 1;
	if (n != info->queues)
		return xbr_err(-EINVAL, "vport %s has %u queues but the -netdev argument says "
			       "queues=%lu: QEMU must bind every queue (xbr vport qemu prints "
			       "the argument)", info->name, info->queues, n);
	if (opt_value(arg, "ifname", val, sizeof(val)) && strcmp(val, info->name))
		return xbr_err(-EINVAL, "the -netdev argument has ifname=%s, not the vport's %s",
			       val, info->name);
	if (opt_value(arg, "start-queue", val, sizeof(val)) && strtoul(val, NULL, 10))
		return xbr_err(-EINVAL, "the -netdev argument has start-queue=%s: a vport's "
			       "sockets start at queue 0", val);
	if (opt_value(arg, "map-path", val, sizeof(val)))
		return xbr_err(-EINVAL, "the -netdev argument has both map-path and sock-fds");
	return 0;
}

/* Replace every {sock-fds} in @arg by @fds. */
static char *subst(const char *arg, const char *fds)
{
	size_t wl = strlen(SOCK_FDS_WORD), n = 0;
	const char *p;
	char *out, *o;

	for (p = arg; (p = strstr(p, SOCK_FDS_WORD)); p += wl)
		n++;
	out = malloc(strlen(arg) + n * strlen(fds) + 1);
	if (!out)
		return NULL;
	for (o = out, p = arg; *p;) {
		if (!strncmp(p, SOCK_FDS_WORD, wl)) {
			o = stpcpy(o, fds);
			p += wl;
		} else {
			*o++ = *p++;
		}
	}
	*o = 0;
	return out;
}

static volatile sig_atomic_t child_pid;

static void forward_signal(int sig)
{
	if (child_pid > 0)
		kill(child_pid, sig);
}

static void sleep_ms(long ms)
{
	struct timespec ts = { .tv_sec = ms / 1000, .tv_nsec = (ms % 1000) * 1000000L };

	nanosleep(&ts, NULL);
}

struct run_state {
	struct xbr_bridge *br;
	struct xbr_vport_handle *vp;
	unsigned int n;
	int fds[XBR_VPORT_MAX_QUEUES];		/* our copies until inserted */
	bool inserted[XBR_VPORT_MAX_QUEUES];
};

/* Put the bound socket of queue @q in the map, under the bridge's lock. */
static int run_insert(struct run_state *rs, unsigned int q)
{
	struct xbr_vport_sock socks[XBR_VPORT_MAX_QUEUES];
	int err;

	err = lock_bridge(rs->br, false);
	if (err)
		return err;
	err = xbr_vport_xsk_set(rs->vp, q, rs->fds[q]);
	if (!err) {
		rs->inserted[q] = true;
		if (!xbr_vport_sockets(rs->vp, socks) && socks[q].present &&
		    socks[q].queue_id != q) {
			say("vport %s: the socket of queue %u is bound to queue %u: taking it out "
			    "of the map", rs->vp->info.name, q, socks[q].queue_id);
			xbr_vport_xsk_clear(rs->vp, q);
		}
	}
	unlock_bridge(rs->br);
	return err;
}

/* Insert every socket the child has bound since the last call. */
static void run_insert_bound(struct run_state *rs, bool report_waiting)
{
	unsigned int q;
	int bound;

	for (q = 0; q < rs->n; q++) {
		if (rs->inserted[q] || rs->fds[q] < 0)
			continue;
		bound = xbr_xsk_bound(rs->fds[q]);
		if (bound < 0) {
			say("vport %s queue %u: cannot tell whether the socket is bound: %s",
			    rs->vp->info.name, q, strerror(-bound));
			close(rs->fds[q]);
			rs->fds[q] = -1;
			continue;
		}
		if (!bound) {
			if (report_waiting)
				say("vport %s: still waiting for the command to bind the socket of "
				    "queue %u", rs->vp->info.name, q);
			continue;
		}
		if (run_insert(rs, q))
			say("%s", xbr_errmsg());
		/* From now on the command's copy alone keeps the socket: when it
		 * closes it or exits, the kernel takes it out of the XSKMAP. */
		close(rs->fds[q]);
		rs->fds[q] = -1;
	}
}

/* Sockets still to be inserted; those that failed outright are given up. */
static unsigned int run_pending(const struct run_state *rs)
{
	unsigned int q, left = 0;

	for (q = 0; q < rs->n; q++)
		left += !rs->inserted[q] && rs->fds[q] >= 0;
	return left;
}

static int run_wait(pid_t pid, struct run_state *rs)
{
	int status = 0, waited_ms = 0;
	pid_t r;

	/* Poll for binding: 10 ms steps for the first second, then 100 ms. */
	while (run_pending(rs)) {
		r = waitpid(pid, &status, WNOHANG);
		if (r == pid)
			goto exited;
		if (r < 0 && errno != EINTR) {
			say("waitpid: %s", strerror(errno));
			return 1;
		}
		run_insert_bound(rs, waited_ms == 10000);
		if (!run_pending(rs))
			break;
		sleep_ms(waited_ms < 1000 ? 10 : 100);
		waited_ms += waited_ms < 1000 ? 10 : 100;
	}
	while ((r = waitpid(pid, &status, 0)) < 0 && errno == EINTR)
		;
	if (r < 0) {
		say("waitpid: %s", strerror(errno));
		return 1;
	}
exited:
	if (WIFEXITED(status))
		return WEXITSTATUS(status);
	if (WIFSIGNALED(status)) {
		say("vport %s: the command was killed by signal %d", rs->vp->info.name,
		    WTERMSIG(status));
		return 128 + WTERMSIG(status);
	}
	return 1;
}

static void run_clear(struct run_state *rs)
{
	unsigned int q;

	if (lock_bridge(rs->br, false))
		say("%s (clearing the map anyway)", xbr_errmsg());
	for (q = 0; q < rs->n; q++) {
		if (rs->inserted[q])
			xbr_vport_xsk_clear(rs->vp, q);
		else
			say("vport %s: queue %u never had a bound socket", rs->vp->info.name, q);
	}
	unlock_bridge(rs->br);
}

/* Checks and sockets, before anything runs: a refusal starts nothing. */
static int run_prepare(struct run_state *rs, char *const argv[], char *fds, size_t len)
{
	struct xbr_vport_sock socks[XBR_VPORT_MAX_QUEUES];
	struct xbr_vport_handle *vp = rs->vp;
	int found = 0, i, err;
	unsigned int q;

	if (!xbr_vport_present(vp))
		return xbr_err(-ENODEV, "vport %s: its netdev is gone (delete and re-add the "
			       "vport)", vp->info.name);
	for (i = 0; argv[i]; i++) {
		if (!strstr(argv[i], SOCK_FDS_WORD))
			continue;
		found++;
		err = check_netdev_arg(argv[i], &vp->info);
		if (err)
			return err;
	}
	if (!found)
		return xbr_err(-EINVAL, "vport run: no %s in the command: QEMU needs "
			       "-netdev af-xdp,...,sock-fds=%s (see xbr vport qemu %s %s)",
			       SOCK_FDS_WORD, SOCK_FDS_WORD, rs->br->name, vp->info.name);
	err = lock_bridge(rs->br, false);
	if (err)
		return err;
	err = xbr_vport_sockets(vp, socks);
	for (q = 0; !err && q < rs->n; q++) {
		if (socks[q].present)
			err = xbr_err(-EBUSY, "vport %s: queue %u has a socket already (is another "
				      "QEMU or xbr-vhost using the vport?)", vp->info.name, q);
	}
	unlock_bridge(rs->br);
	if (err)
		return err;
	for (q = 0; q < rs->n; q++) {
		rs->fds[q] = xbr_xsk_socket();
		if (rs->fds[q] < 0)
			return xbr_err(rs->fds[q], "vport %s: cannot create an AF_XDP socket: %s",
				       vp->info.name, strerror(-rs->fds[q]));
		snprintf(fds + strlen(fds), len - strlen(fds), "%s%d", q ? ":" : "", rs->fds[q]);
	}
	return 0;
}

int xbr_vport_run(struct xbr_bridge *br, const char *name, char *const argv[])
{
	struct sigaction sa = { .sa_handler = forward_signal };
	char fds[XBR_VPORT_MAX_QUEUES * 12] = "", **cargv = NULL;
	struct run_state rs = { .br = br };
	struct xbr_vport_handle vp;
	int i, cargc, ret;
	unsigned int q;
	pid_t pid;

	for (cargc = 0; argv[cargc]; cargc++)
		;
	if (!cargc)
		return xbr_err(-EINVAL, "vport run: no command");
	ret = xbr_vport_open(br, name, &vp);
	if (ret)
		return ret;
	for (q = 0; q < XBR_VPORT_MAX_QUEUES; q++)
		rs.fds[q] = -1;
	rs.vp = &vp;
	rs.n = vp.info.queues;
	ret = run_prepare(&rs, argv, fds, sizeof(fds));
	if (ret)
		goto out;
	ret = -ENOMEM;
	cargv = calloc(cargc + 1, sizeof(*cargv));
	if (!cargv)
		goto out;
	for (i = 0; i < cargc; i++) {
		cargv[i] = subst(argv[i], fds);
		if (!cargv[i])
			goto out;
	}

	fflush(NULL);
	pid = fork();
	if (pid < 0) {
		ret = xbr_err(-errno, "fork: %s", strerror(errno));
		goto out;
	}
	if (!pid) {
		/* The sockets are the only fds the command inherits from us. */
		for (q = 0; q < rs.n; q++)
			fcntl(rs.fds[q], F_SETFD, 0);
		execvp(cargv[0], cargv);
		fprintf(stderr, "xbr: vport run: cannot run %s: %s\n", cargv[0], strerror(errno));
		_exit(127);
	}
	child_pid = pid;
	sigemptyset(&sa.sa_mask);
	sigaction(SIGINT, &sa, NULL);
	sigaction(SIGTERM, &sa, NULL);
	sigaction(SIGHUP, &sa, NULL);
	sigaction(SIGQUIT, &sa, NULL);

	ret = run_wait(pid, &rs);
	run_clear(&rs);
out:
	if (ret == -ENOMEM)
		xbr_err(ret, "vport run: out of memory");
	for (q = 0; q < XBR_VPORT_MAX_QUEUES; q++)
		if (rs.fds[q] >= 0)
			close(rs.fds[q]);
	if (cargv) {
		for (i = 0; i < cargc; i++)
			free(cargv[i]);
		free(cargv);
	}
	xbr_vport_close(&vp);
	return ret;
}
