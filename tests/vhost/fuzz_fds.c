// SPDX-License-Identifier: GPL-2.0
/*
 * libFuzzer target: vhost-user messages that carry real fds. Where
 * fuzz_msg hands the handler memory of ours, this one makes memfds of the
 * sizes the input asks for (often smaller than the regions it declares),
 * passes them with whatever message comes next, writes into them and
 * truncates them behind the handler's back, and walks every ring the
 * messages start over the memory they map. Nothing may crash (SIGBUS
 * included), and after each input every fd the handler was given must be
 * closed again: a leak aborts.
 *
 * Input: records, each starting with a byte whose low 2 bits say what:
 *   0  message: a byte NFDS (low 2 bits), NFDS fd specs of 2 bytes (u16:
 *      0xffff an eventfd, else a memfd of u16 * 64 bytes), then a
 *      12-byte header and up to hdr.size payload bytes
 *   1  poke: u8 memfd slot, u32 offset, u8 length, that many bytes
 *   2  pump: pop up to 4 chains of every started ring, fill receive ones
 *   3  truncate: u8 memfd slot, u16 size in 64 bytes
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/eventfd.h>
#include <sys/mman.h>

#include "vhost_user.h"
#include "log.h"

#define MAX_SLOTS	8	/* memfds of one input we can still write to */
#define MAX_PASSED	65536	/* fd numbers handed to the handler per input */

struct input {
	const uint8_t *p;
	size_t n;
};

static bool take(struct input *in, void *dst, size_t len)
{
	if (in->n < len)
		return false;
	memcpy(dst, in->p, len);
	in->p += len;
	in->n -= len;
	return true;
}

static int slots[MAX_SLOTS], nslots;
static int passed[MAX_PASSED], npassed;
static int fds_at_start = -1;

static int count_fds(void)
{
	int n = 0;

	for (int fd = 0; fd < 4096; fd++)
		if (fcntl(fd, F_GETFD) >= 0)
			n++;
	return n;
}

static void report_fds(void)
{
	int at_exit = count_fds();

	fprintf(stderr, "fuzz_fds: open fds at start %d, at exit %d\n", fds_at_start, at_exit);
	for (int fd = 0; (getenv("FUZZ_VERBOSE") || at_exit != fds_at_start) && fd < 4096; fd++) {
		char path[32], target[256];
		ssize_t n;

		snprintf(path, sizeof(path), "/proc/self/fd/%d", fd);
		n = readlink(path, target, sizeof(target) - 1);
		if (n > 0)
			fprintf(stderr, "  fd %d: %.*s\n", fd, (int)n, target);
	}
}

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
	(void)argc;
	(void)argv;
	/* FUZZ_VERBOSE=3: the handler's log, to read a reproducer. */
	vhost_log_level = getenv("FUZZ_VERBOSE") ? atoi(getenv("FUZZ_VERBOSE")) : -1;
	atexit(report_fds);
	return 0;
}

/* An fd for the handler, as the input specifies; our copy of a memfd
 * stays in a slot so that later records can write to or shrink it. */
static int make_fd(uint16_t spec)
{
	int fd;

	if (spec == 0xffff) {
		fd = eventfd(0, EFD_CLOEXEC | EFD_NONBLOCK);
	} else {
		fd = memfd_create("guest", MFD_CLOEXEC | MFD_ALLOW_SEALING);
		if (fd >= 0 && ftruncate(fd, (off_t)spec * 64))
			abort();
		if (fd >= 0 && nslots < MAX_SLOTS) {
			slots[nslots++] = fd;
			fd = dup(fd);
		}
	}
	if (fd < 0)
		abort();
	if (npassed < MAX_PASSED)
		passed[npassed++] = fd;
	return fd;
}

static void message(struct vhost_dev *d, struct input *in)
{
	static struct vhu_msg msg, reply;
	int fds[3];
	uint8_t nfds = 0;
	size_t n;

	take(in, &nfds, 1);
	nfds &= 3;
	for (unsigned int i = 0; i < nfds; i++) {
		uint16_t spec = 0;

		take(in, &spec, 2);
		fds[i] = make_fd(spec);
	}
	memset(&msg, 0, sizeof(msg));
	if (!take(in, &msg.hdr, sizeof(msg.hdr))) {
		/* Input ran out: the fds were received all the same. */
		msg.hdr.request = VHU_GET_FEATURES;
		msg.hdr.flags = VHU_VERSION;
	}
	n = msg.hdr.size < in->n ? msg.hdr.size : in->n;
	if (n > sizeof(msg.payload))
		n = sizeof(msg.payload);
	take(in, &msg.payload, n);
	vhost_user_dispatch(d, &msg, fds, nfds, &reply);
}

static void poke(struct input *in)
{
	uint8_t slot = 0, len = 0, buf[255];
	uint32_t off = 0;

	take(in, &slot, 1);
	take(in, &off, 4);
	take(in, &len, 1);
	if (len > in->n)
		len = in->n;
	take(in, buf, len);
	if (nslots)
		(void)!pwrite(slots[slot % nslots], buf, len, off % (8u << 20));
}

static void shrink(struct input *in)
{
	uint8_t slot = 0;
	uint16_t size = 0;

	take(in, &slot, 1);
	take(in, &size, 2);
	/* Refused (EPERM) once the memfd backs a region: it is sealed. */
	if (nslots)
		(void)!ftruncate(slots[slot % nslots], (off_t)size * 64);
}

/* What the datapath does with a ring, without AF_XDP: take chains, write
 * receive buffers, complete them, interrupt. */
static void pump(struct vhost_dev *d)
{
	static struct virtq_chain c;

	for (unsigned int i = 0; i < 2 * d->max_qp; i++) {
		struct virtq *vq = &d->vq[i];
		bool rx = i % 2 == 0;

		for (unsigned int k = 0; vhost_dev_ring_ready(d, vq) && k < 4; k++) {
			if (virtq_pop(vq, &d->mem, &c, rx) <= 0)
				break;
			log_dbg("vring %u: chain %u, %llu bytes in %u pieces", i, c.head,
				(unsigned long long)c.len, c.niov);
			for (unsigned int j = 0; rx && j < c.niov; j++)
				memset(c.iov[j].iov_base, 0x5a, c.iov[j].iov_len);
			virtq_push(vq, c.head, c.ndesc, rx ? c.len : 0);
			virtq_publish(vq);
			virtq_notify(vq);
		}
		if (vhost_dev_ring_ready(d, vq)) {
			virtq_kicks_off(vq);
			virtq_kicks_on(vq);
		}
	}
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static struct ring_saved saved[2 * XBR_VHOST_MAX_QP];
	static struct vhost_dev d;
	struct input in = { data, size };
	uint8_t kind;

	/* Counted before the first input: libFuzzer opens its own fds after
	 * LLVMFuzzerInitialize. */
	if (fds_at_start < 0)
		fds_at_start = count_fds();
	nslots = npassed = 0;
	vhost_dev_init(&d, 2);
	d.saved = saved;	/* packed ring positions survive inputs, as restarts */
	while (take(&in, &kind, 1)) {
		switch (kind & 3) {
		case 0: message(&d, &in); break;
		case 1: poke(&in); break;
		case 2: pump(&d); break;
		case 3: shrink(&in); break;
		}
	}
	vhost_dev_reset(&d);
	for (int i = 0; i < nslots; i++)
		close(slots[i]);
	/* Everything the handler was given is closed now, or it leaked. */
	for (int i = 0; i < npassed; i++)
		if (fcntl(passed[i], F_GETFD) >= 0) {
			fprintf(stderr, "fd %d given to the handler is still open\n",
				passed[i]);
			abort();
		}
	return 0;
}
