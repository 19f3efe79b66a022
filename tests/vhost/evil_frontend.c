// SPDX-License-Identifier: GPL-2.0
/*
 * evil_frontend SOCK MODE: a minimal vhost-user front-end that plays a
 * guest xbr-vhost must survive. It shares 1 MiB of memfd memory, sets up
 * transmitq 0 (vring 1) with 8 entries and then, by MODE:
 *   loop     a descriptor chain that loops         -> error eventfd fires
 *   range    a buffer outside guest memory         -> error eventfd fires
 *   index    an avail entry naming descriptor 99   -> error eventfd fires
 *   indirect an indirect table of 61440 descriptors -> error eventfd fires
 *   garbage  a message with a bad version          -> connection closed
 *   fds      100 memory tables whose fd count is wrong, 2 fds each
 *                                                  -> each refused (REPLY_ACK)
 *   sigbus   a 1 MiB region of a 4 KiB memfd       -> table refused
 *   good     10 valid 64-byte frames               -> all 10 used
 * Exits 0 when xbr-vhost reacted as expected within 3 s. Whether fds
 * leaked is for the caller to count (/proc/PID/fd of xbr-vhost).
 */
#define _GNU_SOURCE
#include <poll.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/eventfd.h>
#include <sys/mman.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>
#include <linux/virtio_config.h>
#include <linux/virtio_net.h>
#include <linux/virtio_ring.h>

#include "vhost_user_proto.h"

#define MEM_SIZE	(1u << 20)
#define NUM		8
#define DESC_OFF	0x0000
#define AVAIL_OFF	0x1000
#define USED_OFF	0x2000
#define BUF_OFF		0x10000

static int sock;
static uint32_t send_flags;	/* added to the next message's flags */

static void die(const char *what)
{
	perror(what);
	exit(2);
}

static void send_msg(uint32_t req, const void *payload, uint32_t size,
		     const int *fds, int nfds)
{
	char control[CMSG_SPACE(8 * sizeof(int))] = { 0 };
	struct vhu_hdr h = { req, VHU_VERSION | send_flags, size };
	struct iovec iov[2] = { { &h, sizeof(h) }, { (void *)payload, size } };
	struct msghdr mh = { .msg_iov = iov, .msg_iovlen = 2 };

	if (nfds) {
		struct cmsghdr *cm;

		mh.msg_control = control;
		mh.msg_controllen = CMSG_SPACE(nfds * sizeof(int));
		cm = CMSG_FIRSTHDR(&mh);
		cm->cmsg_level = SOL_SOCKET;
		cm->cmsg_type = SCM_RIGHTS;
		cm->cmsg_len = CMSG_LEN(nfds * sizeof(int));
		memcpy(CMSG_DATA(cm), fds, nfds * sizeof(int));
	}
	if (sendmsg(sock, &mh, MSG_NOSIGNAL) < 0)
		die("sendmsg");
}

static uint64_t read_u64_reply(void)
{
	struct vhu_hdr h;
	uint64_t v;

	if (read(sock, &h, sizeof(h)) != sizeof(h) || h.size != 8 ||
	    read(sock, &v, 8) != 8)
		die("reply");
	return v;
}

static uint64_t get_u64(uint32_t req)
{
	send_msg(req, NULL, 0, NULL, 0);
	return read_u64_reply();
}

/* A request with REPLY_ACK: true if xbr-vhost accepted it. */
static bool acked(uint32_t req, const void *payload, uint32_t size,
		  const int *fds, int nfds)
{
	send_flags = VHU_FLAG_NEED_REPLY;
	send_msg(req, payload, size, fds, nfds);
	send_flags = 0;
	return read_u64_reply() == 0;
}

static bool wait_fd(int fd, int ms)
{
	struct pollfd p = { .fd = fd, .events = POLLIN };

	return poll(&p, 1, ms) == 1;
}

int main(int argc, char **argv)
{
	struct sockaddr_un sun = { .sun_family = AF_UNIX };
	const char *mode;
	uint8_t *mem;
	int memfd, kick, call, err;
	struct vring_desc *desc;
	struct vring_avail *avail;
	struct vring_used *used;
	uint64_t features, v;

	if (argc != 3) {
		fprintf(stderr, "usage: evil_frontend SOCK loop|range|index|garbage|good\n");
		return 2;
	}
	mode = argv[2];
	sock = socket(AF_UNIX, SOCK_STREAM, 0);
	snprintf(sun.sun_path, sizeof(sun.sun_path), "%s", argv[1]);
	if (connect(sock, (struct sockaddr *)&sun, sizeof(sun)))
		die("connect");
	if (!strcmp(mode, "garbage")) {
		struct vhu_hdr h = { VHU_GET_FEATURES, 7, 0 };
		char c;

		if (write(sock, &h, sizeof(h)) != sizeof(h))
			die("write");
		/* xbr-vhost must hang up on us, not answer or crash. */
		return wait_fd(sock, 3000) && read(sock, &c, 1) == 0 ? 0 : 1;
	}

	/* sigbus: the file is 4 KiB, the region we declare 1 MiB. */
	memfd = memfd_create("guest", MFD_CLOEXEC);
	if (memfd < 0 || ftruncate(memfd, strcmp(mode, "sigbus") ? MEM_SIZE : 4096))
		die("memfd");
	mem = mmap(NULL, MEM_SIZE, PROT_READ | PROT_WRITE, MAP_SHARED, memfd, 0);
	if (mem == MAP_FAILED)
		die("mmap");
	desc = (void *)(mem + DESC_OFF);
	avail = (void *)(mem + AVAIL_OFF);
	used = (void *)(mem + USED_OFF);
	kick = eventfd(0, EFD_CLOEXEC);
	call = eventfd(0, EFD_CLOEXEC);
	err = eventfd(0, EFD_CLOEXEC);

	features = get_u64(VHU_GET_FEATURES) &
		   (1ull << VIRTIO_F_VERSION_1 | 1ull << VIRTIO_NET_F_MRG_RXBUF |
		    1ull << VIRTIO_RING_F_INDIRECT_DESC | 1ull << VHU_F_PROTOCOL_FEATURES);
	send_msg(VHU_SET_OWNER, NULL, 0, NULL, 0);
	send_msg(VHU_SET_FEATURES, &features, 8, NULL, 0);
	v = 1ull << VHU_PROTOCOL_F_REPLY_ACK;
	send_msg(VHU_SET_PROTOCOL_FEATURES, &v, 8, NULL, 0);
	if (!strcmp(mode, "fds")) {
		/* Zero regions, or one region, always with two fds. */
		struct vhu_mem_table t = { 0 };

		t.regions[0] = (struct vhu_region){ 0, MEM_SIZE, (uintptr_t)mem, 0 };
		for (int i = 0; i < 100; i++) {
			int fds[2] = { memfd, memfd };

			t.nregions = i & 1;
			if (acked(VHU_SET_MEM_TABLE, &t, 8 + t.nregions * sizeof(t.regions[0]),
				  fds, 2)) {
				fprintf(stderr, "table %d with 2 fds accepted\n", i);
				return 1;
			}
		}
		printf("100 tables refused\n");
		return 0;
	}
	{
		struct vhu_mem_table t = { .nregions = 1 };
		bool ok;

		t.regions[0] = (struct vhu_region){ 0, MEM_SIZE,
						    (uintptr_t)mem, 0 };
		ok = acked(VHU_SET_MEM_TABLE, &t, 8 + sizeof(t.regions[0]), &memfd, 1);
		if (!strcmp(mode, "sigbus") && !ok) {
			printf("1 MiB region of a 4 KiB file refused\n");
			return 0;
		}
		if (!ok)
			die("memory table refused");
		/* sigbus, accepted: the kick below makes xbr-vhost read the
		 * avail ring, 4 KiB into the region, past the file's end. */
	}
	v = 1;
	send_msg(VHU_SET_VRING_ENABLE, &(struct vhu_vring_state){ 1, 1 },
		 sizeof(struct vhu_vring_state), NULL, 0);
	{
		struct vhu_vring_state num = { 1, NUM }, base = { 1, 0 };
		struct vhu_vring_addr a = { 1, 0, (uintptr_t)desc,
					    (uintptr_t)used, (uintptr_t)avail, 0 };

		send_msg(VHU_SET_VRING_NUM, &num, sizeof(num), NULL, 0);
		send_msg(VHU_SET_VRING_BASE, &base, sizeof(base), NULL, 0);
		send_msg(VHU_SET_VRING_ADDR, &a, sizeof(a), NULL, 0);
	}
	send_msg(VHU_SET_VRING_CALL, &v, 8, &call, 1);
	send_msg(VHU_SET_VRING_ERR, &v, 8, &err, 1);
	send_msg(VHU_SET_VRING_KICK, &v, 8, &kick, 1);

	if (!strcmp(mode, "good")) {
		/* 10 frames of 12 + 64 bytes, reusing the 8 descriptors. */
		for (int i = 0; i < 10; i++) {
			uint8_t *buf = mem + BUF_OFF + i * 256;
			int d = i % NUM;

			while ((uint16_t)(avail->idx -
			       __atomic_load_n(&used->idx, __ATOMIC_ACQUIRE)) >= NUM)
				usleep(1000);
			memset(buf, 0, 12);
			memset(buf + 12, 0xff, 6);	/* broadcast, from */
			memcpy(buf + 18, "\x02\0\0\0\0\x02", 6);	/* a station */
			buf[24] = 0x88;
			buf[25] = 0xb5;			/* local experimental */
			desc[d] = (struct vring_desc){ BUF_OFF + i * 256, 76, 0, 0 };
			avail->ring[avail->idx % NUM] = d;
			__atomic_store_n(&avail->idx, avail->idx + 1,
					 __ATOMIC_RELEASE);
			if (write(kick, &(uint64_t){ 1 }, 8) != 8)
				die("kick");
		}
		for (int i = 0; i < 300 && used->idx != 10; i++)
			usleep(10000);
		printf("used %u of 10\n", used->idx);
		return used->idx == 10 ? 0 : 1;
	}

	if (!strcmp(mode, "loop")) {
		desc[0] = (struct vring_desc){ BUF_OFF, 100, VRING_DESC_F_NEXT, 1 };
		desc[1] = (struct vring_desc){ BUF_OFF, 100, VRING_DESC_F_NEXT, 0 };
		avail->ring[0] = 0;
	} else if (!strcmp(mode, "range")) {
		desc[0] = (struct vring_desc){ MEM_SIZE - 10, 100, 0, 0 };
		avail->ring[0] = 0;
	} else if (!strcmp(mode, "sigbus")) {
		avail = NULL;	/* past the end of the file: SIGBUS here too */
	} else if (!strcmp(mode, "index")) {
		avail->ring[0] = 99;
	} else if (!strcmp(mode, "indirect")) {
		/* A well-formed chain of 61440 zero-length descriptors: one
		 * pop would walk all of them if the guest's table length,
		 * not the ring, bounded it. */
		struct vring_desc *table = (void *)(mem + BUF_OFF);
		unsigned int n = (MEM_SIZE - BUF_OFF) / 16;

		for (unsigned int i = 0; i < n; i++)
			table[i] = (struct vring_desc){ 0, 0,
				i + 1 < n ? VRING_DESC_F_NEXT : 0, i + 1 };
		desc[0] = (struct vring_desc){ BUF_OFF, n * 16, VRING_DESC_F_INDIRECT, 0 };
		avail->ring[0] = 0;
	} else {
		fprintf(stderr, "unknown mode %s\n", mode);
		return 2;
	}
	if (avail)
		__atomic_store_n(&avail->idx, 1, __ATOMIC_RELEASE);
	if (write(kick, &(uint64_t){ 1 }, 8) != 8)
		die("kick");
	if (!avail) {
		fprintf(stderr, "1 MiB region of a 4 KiB file accepted\n");
		sleep(1);
		return 1;
	}
	if (!wait_fd(err, 3000)) {
		fprintf(stderr, "no error signalled for mode %s\n", mode);
		return 1;
	}
	printf("error eventfd fired, used %u\n", used->idx);
	return used->idx == 0 ? 0 : 1;
}
