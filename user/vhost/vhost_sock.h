/* SPDX-License-Identifier: GPL-2.0 */
/* The vhost-user socket: listen or connect, and message framing with fds
 * passed as SCM_RIGHTS (vhost-user.rst "Communication"). */
#ifndef XBR_VHOST_SOCK_H
#define XBR_VHOST_SOCK_H

#include "vhost_user_proto.h"

/* Listening socket at @path (a stale socket file there is replaced). */
int vhost_sock_listen(const char *path);
/* Accept one front-end on @lfd. */
int vhost_sock_accept(int lfd);
/* Connected socket to a front-end listening at @path, or -errno. */
int vhost_sock_connect(const char *path);
/* Read one message; @fds gets up to VHU_MAX_REGIONS fds. 0 or -errno
 * (-ECONNRESET for an orderly close). */
int vhost_sock_recv(int fd, struct vhu_msg *msg, int *fds, unsigned int *nfds);
int vhost_sock_send(int fd, const struct vhu_msg *msg);

#endif
