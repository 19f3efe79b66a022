// SPDX-License-Identifier: GPL-2.0
/*
 * Network namespace switching. The generator is one thread that hops
 * between namespaces: a live-frames test run sends from the namespace of
 * the caller (its frames come in on that namespace's loopback and the
 * redirect ifindex is resolved there), so each window starts with a setns.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <sched.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>
#include "netns.h"

int netns_open(const char *name)
{
	char path[PATH_MAX];
	int fd;

	if (strchr(name, '/'))
		snprintf(path, sizeof(path), "%s", name);
	else
		snprintf(path, sizeof(path), "/run/netns/%s", name);
	fd = open(path, O_RDONLY | O_CLOEXEC);
	return fd < 0 ? -errno : fd;
}

int netns_enter(int fd)
{
	return setns(fd, CLONE_NEWNET) ? -errno : 0;
}
