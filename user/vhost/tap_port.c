// SPDX-License-Identifier: GPL-2.0
/*
 * Attaching to a tap port (see tap_port.h).
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>
#include <net/if.h>
#include <sys/ioctl.h>
#include <linux/if_tun.h>

#include "tap_port.h"

int tap_port_open(const char *dev, bool multi_queue, char *why, size_t why_len)
{
	struct ifreq ifr = { .ifr_flags = IFF_TAP | IFF_NO_PI };
	int fd, err;

	if (strlen(dev) >= IFNAMSIZ) {
		snprintf(why, why_len, "%s: name too long", dev);
		return -ENAMETOOLONG;
	}
	if (if_nametoindex(dev) == 0) {
		/* TUNSETIFF would make a new tap that is nobody's port. */
		snprintf(why, why_len, "%s: no such interface (make it with `ip "
			 "tuntap add dev %s mode tap%s` and add it to a bridge)",
			 dev, dev, multi_queue ? " multi_queue" : "");
		return -ENODEV;
	}
	/* Non-blocking, as QEMU opens it: tun runs the tap's XDP program on
	 * a written frame only then (tun_can_build_skb()). */
	fd = open("/dev/net/tun", O_RDWR | O_NONBLOCK | O_CLOEXEC);
	if (fd < 0) {
		err = -errno;
		snprintf(why, why_len, "/dev/net/tun: %s", strerror(errno));
		return err;
	}
	if (multi_queue)
		ifr.ifr_flags |= IFF_MULTI_QUEUE;
	memcpy(ifr.ifr_name, dev, strlen(dev));
	err = ioctl(fd, TUNSETIFF, &ifr) ? -errno : 0;
	if (err == -EINVAL && !multi_queue) {
		/* A multi_queue tap served by one queue. */
		ifr.ifr_flags |= IFF_MULTI_QUEUE;
		err = ioctl(fd, TUNSETIFF, &ifr) ? -errno : 0;
	}
	if (err) {
		if (err == -EINVAL)
			snprintf(why, why_len, "%s: not a tap%s", dev, multi_queue ?
				 " made multi_queue (several queues need `ip tuntap "
				 "add ... multi_queue`)" : "");
		else
			snprintf(why, why_len, "%s: %s", dev, strerror(-err));
		close(fd);
		return err;
	}
	return fd;
}

bool tap_port_attached(int fd)
{
	struct ifreq ifr;

	/* A queue whose tap was deleted is detached: tun says EBADFD. */
	return ioctl(fd, TUNGETIFF, &ifr) == 0 || errno != EBADFD;
}
