// SPDX-License-Identifier: GPL-2.0
/* vhost-user socket plumbing. */
#define _GNU_SOURCE
#include <errno.h>
#include <stddef.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/time.h>
#include <sys/un.h>
#include <unistd.h>

#include "vhost_sock.h"
#include "log.h"

static int fill_addr(struct sockaddr_un *sun, const char *path)
{
	memset(sun, 0, sizeof(*sun));
	sun->sun_family = AF_UNIX;
	if (strlen(path) >= sizeof(sun->sun_path))
		return -ENAMETOOLONG;
	strcpy(sun->sun_path, path);
	return 0;
}

int vhost_sock_listen(const char *path)
{
	struct sockaddr_un sun;
	struct stat st;
	int fd, err;

	err = fill_addr(&sun, path);
	if (err)
		return err;
	/* A socket left by an earlier run would make bind fail; anything
	 * that is not a socket is not ours to remove. */
	if (lstat(path, &st) == 0 && S_ISSOCK(st.st_mode))
		unlink(path);
	fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
	if (fd < 0)
		return -errno;
	if (bind(fd, (struct sockaddr *)&sun, sizeof(sun)) || listen(fd, 1)) {
		err = -errno;
		close(fd);
		return err;
	}
	return fd;
}

static void set_timeout(int fd)
{
	/* Messages come whole; a front-end that stops mid-message must not
	 * stall the datapath of this single-threaded daemon for long. */
	struct timeval tv = { .tv_sec = 1 };

	setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof(tv));
	setsockopt(fd, SOL_SOCKET, SO_SNDTIMEO, &tv, sizeof(tv));
}

int vhost_sock_connect(const char *path)
{
	struct sockaddr_un sun;
	int fd, err;

	err = fill_addr(&sun, path);
	if (err)
		return err;
	fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
	if (fd < 0)
		return -errno;
	if (connect(fd, (struct sockaddr *)&sun, sizeof(sun))) {
		err = -errno;
		close(fd);
		return err;
	}
	set_timeout(fd);
	return fd;
}

int vhost_sock_accept(int lfd)
{
	int fd = accept4(lfd, NULL, NULL, SOCK_CLOEXEC);

	if (fd < 0)
		return -errno;
	set_timeout(fd);
	return fd;
}

static int read_full(int fd, void *buf, size_t len)
{
	size_t done = 0;

	while (done < len) {
		ssize_t n = read(fd, (char *)buf + done, len - done);

		if (n == 0)
			return -ECONNRESET;
		if (n < 0) {
			if (errno == EINTR)
				continue;
			return -errno;
		}
		done += n;
	}
	return 0;
}

int vhost_sock_recv(int fd, struct vhu_msg *msg, int *fds, unsigned int *nfds)
{
	char control[CMSG_SPACE(VHU_MAX_REGIONS * sizeof(int))];
	struct iovec iov = { .iov_base = &msg->hdr, .iov_len = sizeof(msg->hdr) };
	struct msghdr mh = {
		.msg_iov = &iov, .msg_iovlen = 1,
		.msg_control = control, .msg_controllen = sizeof(control),
	};
	struct cmsghdr *cm;
	ssize_t n;
	int err;

	*nfds = 0;
	do
		n = recvmsg(fd, &mh, MSG_CMSG_CLOEXEC);
	while (n < 0 && errno == EINTR);
	if (n == 0)
		return -ECONNRESET;
	if (n < 0)
		return -errno;
	for (cm = CMSG_FIRSTHDR(&mh); cm; cm = CMSG_NXTHDR(&mh, cm)) {
		if (cm->cmsg_level != SOL_SOCKET || cm->cmsg_type != SCM_RIGHTS)
			continue;
		unsigned int k = (cm->cmsg_len - CMSG_LEN(0)) / sizeof(int);

		for (unsigned int i = 0; i < k; i++) {
			int fd;

			memcpy(&fd, CMSG_DATA(cm) + i * sizeof(int), sizeof(int));
			if (*nfds < VHU_MAX_REGIONS)
				fds[(*nfds)++] = fd;
			else
				close(fd);	/* no request carries more */
		}
	}
	err = -EPROTO;
	if (mh.msg_flags & MSG_CTRUNC)
		log_warn("message came with more fds than any request carries");
	else if (n < (ssize_t)sizeof(msg->hdr))
		err = read_full(fd, (char *)&msg->hdr + n, sizeof(msg->hdr) - n);
	else
		err = 0;
	if (!err && msg->hdr.size > sizeof(msg->payload)) {
		log_warn("message of %u bytes", msg->hdr.size);
		err = -EPROTO;
	}
	if (!err)
		err = read_full(fd, &msg->payload, msg->hdr.size);
	if (err) {
		for (unsigned int i = 0; i < *nfds; i++)
			close(fds[i]);
		*nfds = 0;
	}
	return err;
}

int vhost_sock_send(int fd, const struct vhu_msg *msg)
{
	struct iovec iov[2] = {
		{ .iov_base = (void *)&msg->hdr, .iov_len = sizeof(msg->hdr) },
		{ .iov_base = (void *)&msg->payload, .iov_len = msg->hdr.size },
	};
	struct msghdr mh = { .msg_iov = iov, .msg_iovlen = 2 };
	size_t len = sizeof(msg->hdr) + msg->hdr.size;
	ssize_t n = sendmsg(fd, &mh, MSG_NOSIGNAL);

	if (n != (ssize_t)len)
		return n < 0 ? -errno : -EIO;
	return 0;
}
