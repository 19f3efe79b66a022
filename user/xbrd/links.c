// SPDX-License-Identifier: GPL-2.0
/*
 * Link events from rtnetlink (RTMGRP_LINK): a netdev appearing, going,
 * going up or down, changing its address. xbrd uses them only to know when
 * to look: reconcile.c compares the bridges with the netdevs as they are,
 * so a lost or reordered event (ENOBUFS under a storm of them) costs
 * nothing but a look at everything.
 */
#include <errno.h>
#include <string.h>
#include <unistd.h>
#include <sys/socket.h>
#include <linux/netlink.h>
#include <linux/rtnetlink.h>
#include "xbrd.h"

int links_open(void)
{
	struct sockaddr_nl sa = { .nl_family = AF_NETLINK, .nl_groups = RTMGRP_LINK };
	int fd;

	fd = socket(AF_NETLINK, SOCK_RAW | SOCK_CLOEXEC | SOCK_NONBLOCK, NETLINK_ROUTE);
	if (fd < 0)
		return -errno;
	if (bind(fd, (struct sockaddr *)&sa, sizeof(sa))) {
		int err = -errno;

		close(fd);
		return err;
	}
	return fd;
}

bool links_drain(int fd)
{
	char buf[16384] __attribute__((aligned(NLMSG_ALIGNTO)));
	struct nlmsghdr *nh;
	bool any = false;
	ssize_t n;

	for (;;) {
		n = recv(fd, buf, sizeof(buf), 0);
		if (n < 0) {
			/* Overrun: events were dropped; look at everything. */
			if (errno == ENOBUFS)
				any = true;
			if (errno == EINTR || errno == ENOBUFS)
				continue;
			return any;	/* EAGAIN: drained */
		}
		for (nh = (struct nlmsghdr *)buf; NLMSG_OK(nh, (size_t)n); nh = NLMSG_NEXT(nh, n))
			if (nh->nlmsg_type == RTM_NEWLINK || nh->nlmsg_type == RTM_DELLINK)
				any = true;
	}
}
