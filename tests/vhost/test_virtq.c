// SPDX-License-Identifier: GPL-2.0
/*
 * Unit tests for what a hostile guest or front-end controls: descriptor
 * chains (loops, indices, flags), guest addresses and lengths (out of
 * range, wrapping, straddling regions), ring indices, notifications, and
 * vhost-user messages. Prints one line per check and "N passed, N failed".
 */
#define _GNU_SOURCE
#include <dirent.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/eventfd.h>
#include <sys/mman.h>
#include <linux/virtio_config.h>
#include <linux/virtio_net.h>
#include <linux/virtio_ring.h>

#include "virtq.h"
#include "vhost_user.h"
#include "log.h"

static int passed, failed;

#define CHECK(cond, ...)						\
	do {								\
		if (cond) {						\
			passed++;					\
		} else {						\
			failed++;					\
			printf("FAIL %s:%d: ", __FILE__, __LINE__);	\
			printf(__VA_ARGS__);				\
			printf("\n");					\
		}							\
	} while (0)

/* Guest memory: A at gpa 0x10000 and B right after it at 0x20000 (so a
 * buffer may straddle them), at unrelated front-end addresses. */
#define A_GPA	0x10000ull
#define B_GPA	0x20000ull
#define REG_SZ	0x10000ull
#define A_UVA	0x7f0000010000ull
#define B_UVA	0x7f0000400000ull
#define DESC_OFF	0x0000
#define AVAIL_OFF	0x4000
#define USED_OFF	0x8000

static uint8_t *ga, *gb;
static struct vhost_mem mem;
static struct virtq vq;

static void setup(unsigned int num, bool event_idx)
{
	memset(ga, 0, REG_SZ);
	memset(gb, 0, REG_SZ);
	memset(&vq, 0, sizeof(vq));
	virtq_init(&vq, 1);
	vq.num = num;
	vq.desc_uva = A_UVA + DESC_OFF;
	vq.avail_uva = A_UVA + AVAIL_OFF;
	vq.used_uva = A_UVA + USED_OFF;
	vq.addr_set = true;
	vq.event_idx = event_idx;
	vq.started = vq.enabled = true;
	if (!virtq_map(&vq, &mem))
		abort();
}

static void set_desc(unsigned int i, uint64_t addr, uint32_t len,
		     uint16_t flags, uint16_t next)
{
	vq.desc[i] = (struct vring_desc){ addr, len, flags, next };
}

/* Make chain @head available. */
static void offer(uint16_t head)
{
	vq.avail->ring[vq.avail->idx % vq.num] = head;
	vq.avail->idx++;
}

static struct virtq_chain c;

static void test_valid_chains(void)
{
	uint16_t pos;

	setup(8, false);
	set_desc(0, A_GPA + 0x9000, 12, VRING_DESC_F_NEXT, 1);
	set_desc(1, A_GPA + 0x9100, 60, 0, 0);
	offer(0);
	CHECK(virtq_pop(&vq, &mem, &c, false) == 1, "valid TX chain");
	CHECK(c.len == 72 && c.niov == 2 && c.head == 0, "len %llu niov %u",
	      (unsigned long long)c.len, c.niov);
	CHECK(c.iov[0].iov_base == ga + 0x9000, "translation");
	CHECK(virtq_pop(&vq, &mem, &c, false) == 0, "then empty");

	/* A buffer over the A/B boundary becomes two pieces. */
	set_desc(2, B_GPA - 0x10, 0x30, VRING_DESC_F_WRITE, 0);
	offer(2);
	pos = virtq_pos(&vq);
	CHECK(virtq_pop(&vq, &mem, &c, true) == 1, "straddling RX buffer");
	CHECK(c.niov == 2 && c.iov[0].iov_len == 0x10 &&
	      c.iov[1].iov_base == gb && c.iov[1].iov_len == 0x20,
	      "split over regions");
	virtq_rewind(&vq, pos);
	CHECK(virtq_pop(&vq, &mem, &c, true) == 1 && c.head == 2, "rewind");

	/* The last byte of memory is fine, one more is not. */
	setup(8, false);
	set_desc(0, B_GPA + REG_SZ - 1, 1, 0, 0);
	offer(0);
	CHECK(virtq_pop(&vq, &mem, &c, false) == 1, "last byte of memory");
	set_desc(1, B_GPA + REG_SZ - 1, 2, 0, 0);
	offer(1);
	CHECK(virtq_pop(&vq, &mem, &c, false) == -1 && vq.broken,
	      "one byte past memory");
}

/* Each case: one bad chain must break the ring with a reason, and never
 * touch memory outside the regions (ASan/valgrind would tell). */
static void expect_broken(const char *what, bool device_writes,
			  const char *reason)
{
	int r = virtq_pop(&vq, &mem, &c, device_writes);

	CHECK(r == -1 && vq.broken && strstr(vq.broken, reason),
	      "%s: pop %d, broken \"%s\"", what, r,
	      vq.broken ? vq.broken : "(no)");
	CHECK(!virtq_ready(&vq), "%s: ring stopped", what);
}

static void test_bad_chains(void)
{
	setup(8, false);
	set_desc(0, A_GPA + 0x9000, 10, VRING_DESC_F_NEXT, 1);
	set_desc(1, A_GPA + 0x9000, 10, VRING_DESC_F_NEXT, 0);
	offer(0);
	expect_broken("descriptor loop", false, "loops");

	setup(8, false);
	set_desc(3, A_GPA + 0x9000, 10, VRING_DESC_F_NEXT, 3);
	offer(3);
	expect_broken("self loop", false, "loops");

	setup(8, false);
	set_desc(0, 0x900000, 10, 0, 0);
	offer(0);
	expect_broken("address out of range", false, "outside guest memory");

	setup(8, false);
	set_desc(0, A_GPA, 0xffffffff, 0, 0);
	offer(0);
	expect_broken("oversized length", false, "outside guest memory");

	setup(8, false);
	set_desc(0, 0xffffffffffffff00ull, 0x200, 0, 0);
	offer(0);
	expect_broken("address + length wraps", false, "outside guest memory");

	setup(8, false);
	offer(99);
	expect_broken("head index out of range", false, "descriptor index 99");

	setup(8, false);
	set_desc(0, A_GPA + 0x9000, 10, VRING_DESC_F_NEXT, 200);
	offer(0);
	expect_broken("next index out of range", false, "descriptor index 200");

	setup(8, false);
	vq.avail->idx = 9;
	expect_broken("avail index too far ahead", false, "ahead");

	setup(8, false);
	vq.last_avail = 10;
	vq.avail->idx = 3;	/* behind us: 65529 "new" entries */
	expect_broken("avail index behind", false, "ahead");

	setup(8, false);
	set_desc(0, A_GPA + 0x9000, 10, VRING_DESC_F_WRITE, 0);
	offer(0);
	expect_broken("writable buffer on TX", false, "device-writable");

	setup(8, false);
	set_desc(0, A_GPA + 0x9000, 10, 0, 0);
	offer(0);
	expect_broken("read-only buffer on RX", true, "device-readable");

	setup(8, false);
	set_desc(0, A_GPA + 0x9000, 16, VRING_DESC_F_INDIRECT, 0);
	offer(0);
	expect_broken("indirect not negotiated", false, "not negotiated");

	/* A chain of more pieces than we serve (ring of 128). */
	setup(128, false);
	for (unsigned int i = 0; i < 100; i++)
		set_desc(i, A_GPA + 0x9000 + i, 1, VRING_DESC_F_NEXT, i + 1);
	set_desc(100, A_GPA + 0x9000, 1, 0, 0);
	offer(0);
	expect_broken("chain of 101 pieces", false, "pieces");

	/* A split ring's base is 16 bits (SET_VRING_BASE carries 32). */
	setup(8, false);
	virtq_start(&vq, 0x10000);
	CHECK(vq.broken && strstr(vq.broken, "beyond 65535"), "split ring base 65536");

	/* A split ring's size is a power of 2 (2.7). */
	memset(&vq, 0, sizeof(vq));
	virtq_init(&vq, 0);
	vq.num = 100;
	vq.desc_uva = A_UVA + DESC_OFF;
	vq.avail_uva = A_UVA + AVAIL_OFF;
	vq.used_uva = A_UVA + USED_OFF;
	vq.addr_set = true;
	CHECK(!virtq_map(&vq, &mem) && vq.broken && strstr(vq.broken, "power of 2"),
	      "split ring of 100 refused when it starts");

	/* Rings themselves outside memory or misaligned. */
	memset(&vq, 0, sizeof(vq));
	virtq_init(&vq, 0);
	vq.num = 256;
	vq.desc_uva = A_UVA + REG_SZ - 16 * 255;	/* desc table too long */
	vq.avail_uva = A_UVA + AVAIL_OFF;
	vq.used_uva = A_UVA + USED_OFF;
	vq.addr_set = true;
	CHECK(!virtq_map(&vq, &mem) && vq.broken, "desc table past region");
	virtq_init(&vq, 0);
	vq.num = 8;
	vq.desc_uva = A_UVA + 8;
	vq.avail_uva = A_UVA + AVAIL_OFF;
	vq.used_uva = A_UVA + USED_OFF;
	vq.addr_set = true;
	CHECK(!virtq_map(&vq, &mem) && vq.broken, "misaligned desc table");
}

/* An indirect table at gpa 0xa000 (host ga + 0xa000). */
static struct vring_desc *itable(void)
{
	return (struct vring_desc *)(ga + 0xa000);
}

static void test_indirect(void)
{
	struct vring_desc *t;

	setup(8, false);
	vq.indirect = true;
	t = itable();
	t[0] = (struct vring_desc){ A_GPA + 0x9000, 12, VRING_DESC_F_NEXT, 1 };
	t[1] = (struct vring_desc){ B_GPA + 0x100, 60, 0, 0 };
	/* A direct descriptor, then the indirect one (2.7.5.3.2). */
	set_desc(0, A_GPA + 0x8000, 4, VRING_DESC_F_NEXT, 5);
	set_desc(5, A_GPA + 0xa000, 32, VRING_DESC_F_INDIRECT, 0);
	offer(0);
	CHECK(virtq_pop(&vq, &mem, &c, false) == 1 && c.len == 76 &&
	      c.niov == 3 && c.iov[2].iov_base == gb + 0x100,
	      "direct + indirect chain: len %llu niov %u",
	      (unsigned long long)c.len, c.niov);

	setup(8, false);
	vq.indirect = true;
	t = itable();
	t[0] = (struct vring_desc){ A_GPA + 0x9000, 12, VRING_DESC_F_NEXT, 1 };
	t[1] = (struct vring_desc){ A_GPA + 0x9000, 12, VRING_DESC_F_NEXT, 0 };
	set_desc(0, A_GPA + 0xa000, 32, VRING_DESC_F_INDIRECT, 0);
	offer(0);
	expect_broken("loop inside an indirect table", false, "loops");

	setup(8, false);
	vq.indirect = true;
	t = itable();
	t[0] = (struct vring_desc){ A_GPA + 0x9000, 12, VRING_DESC_F_NEXT, 2 };
	set_desc(0, A_GPA + 0xa000, 32, VRING_DESC_F_INDIRECT, 0);
	offer(0);
	expect_broken("next beyond the indirect table", false,
		      "indirect table size 2");

	setup(8, false);
	vq.indirect = true;
	t = itable();
	t[0] = (struct vring_desc){ A_GPA + 0xa000, 16, VRING_DESC_F_INDIRECT, 0 };
	set_desc(0, A_GPA + 0xa000, 16, VRING_DESC_F_INDIRECT, 0);
	offer(0);
	expect_broken("nested indirect table", false, "inside an indirect");

	setup(8, false);
	vq.indirect = true;
	set_desc(0, A_GPA + 0xa000, 16, VRING_DESC_F_INDIRECT | VRING_DESC_F_NEXT, 1);
	offer(0);
	expect_broken("indirect with NEXT", false, "with NEXT");

	setup(8, false);
	vq.indirect = true;
	set_desc(0, A_GPA + 0xa000, 20, VRING_DESC_F_INDIRECT, 0);
	offer(0);
	expect_broken("indirect table of 20 bytes", false, "20 bytes");

	setup(8, false);
	vq.indirect = true;
	set_desc(0, B_GPA + REG_SZ - 16, 32, VRING_DESC_F_INDIRECT, 0);
	offer(0);
	expect_broken("indirect table past memory", false, "outside guest memory");
}

/* Open fds of this process, from /proc/self/fd (minus the DIR's own). */
static int open_fds(void)
{
	DIR *d = opendir("/proc/self/fd");
	int n = -1;

	if (!d)
		return -1;
	while (readdir(d))
		n++;
	closedir(d);
	return n - 2;	/* "." and ".." */
}

static int memfd_of(size_t size)
{
	int fd = memfd_create("guest", MFD_CLOEXEC);

	if (fd < 0 || ftruncate(fd, size))
		abort();
	return fd;
}

static int send_msg_fds(struct vhost_dev *d, uint32_t req, uint32_t flags,
			const void *payload, uint32_t size, int *fds,
			unsigned int nfds, struct vhu_msg *reply)
{
	static struct vhu_msg msg;

	memset(&msg, 0, sizeof(msg));
	msg.hdr.request = req;
	msg.hdr.flags = flags;
	msg.hdr.size = size;
	if (payload)
		memcpy(&msg.payload, payload, size);
	return vhost_user_dispatch(d, &msg, fds, nfds, reply);
}

static int send_msg(struct vhost_dev *d, uint32_t req, uint32_t flags,
		    const void *payload, uint32_t size, struct vhu_msg *reply)
{
	return send_msg_fds(d, req, flags, payload, size, NULL, 0, reply);
}

/*
 * Every fd that comes with a message is the back-end's to close or keep,
 * whatever the message and however it ends: a front-end must not be able
 * to exhaust our fd table.
 */
static void test_fd_ownership(void)
{
	static struct vhost_dev d;
	static struct vhu_msg r;
	const uint32_t ACK = VHU_VERSION | VHU_FLAG_NEED_REPLY;
	struct vhu_mem_table t = { 0 };
	int before, fds[3];

	vhost_dev_init(&d, 2);
	before = open_fds();
	/* Zero regions, two fds; one region declared, two fds; two regions,
	 * one fd: refused, and none of the fds may stay open. */
	for (unsigned int round = 0; round < 100; round++) {
		unsigned int regions = round % 3, nfds = 2 - (round % 3 == 2);

		t.nregions = regions;
		for (unsigned int i = 0; i < regions; i++)
			t.regions[i] = (struct vhu_region){ i << 20, 4096,
							    0x7f0000000000ull + (i << 20), 0 };
		for (unsigned int i = 0; i < nfds; i++)
			fds[i] = memfd_of(4096);
		send_msg_fds(&d, VHU_SET_MEM_TABLE, ACK, &t,
			     8 + regions * sizeof(t.regions[0]), fds, nfds, &r);
	}
	CHECK(open_fds() == before, "SET_MEM_TABLE with wrong fd counts: %d fds open, %d before",
	      open_fds(), before);

	/* Every request number, with fds it never takes, valid or not. */
	for (uint32_t req = 0; req < 48; req++) {
		uint64_t u = 0;

		fds[0] = eventfd(0, EFD_CLOEXEC);
		fds[1] = eventfd(0, EFD_CLOEXEC);
		send_msg_fds(&d, req, ACK, &u, 8, fds, 2, &r);
	}
	vhost_dev_reset(&d);
	CHECK(open_fds() == before, "every request with stray fds: %d fds open, %d before",
	      open_fds(), before);

	/* Malformed headers close their fds too. */
	fds[0] = eventfd(0, EFD_CLOEXEC);
	send_msg_fds(&d, VHU_SET_VRING_CALL, 2, NULL, 8, fds, 1, &r);
	CHECK(open_fds() == before, "malformed message with an fd: %d open, %d before",
	      open_fds(), before);
}

/*
 * A region larger than its file maps fine but dies of SIGBUS on first
 * touch: the table must be refused, whatever the sizes add up to.
 */
static void test_mem_file_size(void)
{
	static struct vhost_dev d;
	static struct vhu_msg r;
	const uint32_t ACK = VHU_VERSION | VHU_FLAG_NEED_REPLY;
	struct vhu_mem_table t = { .nregions = 1 };
	uint64_t u = 1ull << VHU_PROTOCOL_F_REPLY_ACK;
	int fd, before;

	vhost_dev_init(&d, 1);
	before = open_fds();

	/* 4 KiB of file, 1 MiB of region. */
	send_msg(&d, VHU_SET_PROTOCOL_FEATURES, VHU_VERSION, &u, 8, &r);
	fd = memfd_of(4096);
	t.regions[0] = (struct vhu_region){ 0, 1 << 20, 0x7f0000000000ull, 0 };
	CHECK(send_msg_fds(&d, VHU_SET_MEM_TABLE, ACK, &t, 8 + 32, &fd, 1, &r) == 1 &&
	      r.payload.u64 != 0 && d.mem.nregions == 0,
	      "1 MiB region of a 4 KiB memfd refused (reply %llu, %u regions)",
	      (unsigned long long)r.payload.u64, d.mem.nregions);

	/* The offset counts: 64 KiB file, 60 KiB region at offset 8 KiB. */
	vhost_dev_reset(&d);
	send_msg(&d, VHU_SET_PROTOCOL_FEATURES, VHU_VERSION, &u, 8, &r);
	fd = memfd_of(65536);
	t.regions[0] = (struct vhu_region){ 0, 61440, 0x7f0000000000ull, 8192 };
	CHECK(send_msg_fds(&d, VHU_SET_MEM_TABLE, ACK, &t, 8 + 32, &fd, 1, &r) == 1 &&
	      r.payload.u64 != 0 && d.mem.nregions == 0,
	      "region past the end of its file by its offset refused");

	/* Offset + size wrapping around 2^64 must not pass as small. */
	vhost_dev_reset(&d);
	send_msg(&d, VHU_SET_PROTOCOL_FEATURES, VHU_VERSION, &u, 8, &r);
	fd = memfd_of(65536);
	t.regions[0] = (struct vhu_region){ 0, 4096, 0x7f0000000000ull, ~0ull - 2047 };
	CHECK(send_msg_fds(&d, VHU_SET_MEM_TABLE, ACK, &t, 8 + 32, &fd, 1, &r) == 1 &&
	      r.payload.u64 != 0 && d.mem.nregions == 0, "wrapping offset + size refused");

	/* Exactly the file: accepted, and every byte can be touched. */
	vhost_dev_reset(&d);
	send_msg(&d, VHU_SET_PROTOCOL_FEATURES, VHU_VERSION, &u, 8, &r);
	fd = memfd_of(65536);
	t.regions[0] = (struct vhu_region){ 0, 57344, 0x7f0000000000ull, 8192 };
	CHECK(send_msg_fds(&d, VHU_SET_MEM_TABLE, ACK, &t, 8 + 32, &fd, 1, &r) == 1 &&
	      r.payload.u64 == 0 && d.mem.nregions == 1, "region ending at the file's end");
	if (d.mem.nregions == 1)
		memset(d.mem.r[0].host, 0x5a, d.mem.r[0].size);
	vhost_dev_reset(&d);
	CHECK(open_fds() == before, "no fd kept by the memory table: %d, %d before",
	      open_fds(), before);
}

/*
 * Bounds come from the ring, not from the guest: an indirect table may
 * not hold more descriptors than the queue, and a whole chain, direct and
 * indirect parts together, is at most Queue Size long (VIRTIO 1.2
 * 2.7.5.3.1, 2.7.13.3.1). The guest chooses a table's length; without
 * these bounds one pop walks up to 2^28 descriptors.
 */
static void test_chain_bounds(void)
{
	struct vring_desc *t = itable();

	/* A well-formed indirect chain of 16 descriptors in a ring of 8. */
	setup(8, false);
	vq.indirect = true;
	for (unsigned int i = 0; i < 16; i++)
		t[i] = (struct vring_desc){ A_GPA + 0x9000, 4, i < 15 ? VRING_DESC_F_NEXT : 0,
					    i + 1 };
	set_desc(0, A_GPA + 0xa000, 16 * 16, VRING_DESC_F_INDIRECT, 0);
	offer(0);
	expect_broken("indirect table larger than the ring", false, "ring size 8");

	/* 1024 zero-length descriptors in one table: cheap steps, many. */
	setup(8, false);
	vq.indirect = true;
	for (unsigned int i = 0; i < 1024; i++)
		t[i] = (struct vring_desc){ 0, 0, i < 1023 ? VRING_DESC_F_NEXT : 0, i + 1 };
	set_desc(0, A_GPA + 0xa000, 1024 * 16, VRING_DESC_F_INDIRECT, 0);
	offer(0);
	expect_broken("1024 zero-length descriptors in an indirect table", false,
		      "ring size 8");

	/* 5 direct buffers, then a table of 4: 9 buffers in a ring of 8. */
	setup(8, false);
	vq.indirect = true;
	for (unsigned int i = 0; i < 4; i++)
		t[i] = (struct vring_desc){ A_GPA + 0x9000, 4, i < 3 ? VRING_DESC_F_NEXT : 0,
					    i + 1 };
	for (unsigned int i = 0; i < 5; i++)
		set_desc(i, A_GPA + 0x8000, 4, VRING_DESC_F_NEXT, i + 1);
	set_desc(5, A_GPA + 0xa000, 4 * 16, VRING_DESC_F_INDIRECT, 0);
	offer(0);
	expect_broken("direct + indirect chain longer than the ring", false, "longer than");

	/* The longest legal one passes: 7 direct buffers and a table of 1
	 * (the indirect descriptor itself is no buffer). */
	setup(8, false);
	vq.indirect = true;
	t[0] = (struct vring_desc){ A_GPA + 0x9000, 4, 0, 0 };
	for (unsigned int i = 0; i < 7; i++)
		set_desc(i, A_GPA + 0x8000, 4, VRING_DESC_F_NEXT, i + 1);
	set_desc(7, A_GPA + 0xa000, 16, VRING_DESC_F_INDIRECT, 0);
	offer(0);
	CHECK(virtq_pop(&vq, &mem, &c, false) == 1 && c.len == 32,
	      "chain of exactly the ring size accepted");
}

/* ---- packed rings (VIRTIO 1.2 2.8) ---------------------------------------- */

#define P_AVAIL	(1u << VRING_PACKED_DESC_F_AVAIL)
#define P_USED	(1u << VRING_PACKED_DESC_F_USED)

/* A packed ring of @num slots at the split ring's places in region A,
 * starting at @slot with the driver's wrap counter @wrap. */
static void setup_packed(unsigned int num, bool event_idx, uint16_t slot, bool wrap)
{
	memset(ga, 0, REG_SZ);
	memset(gb, 0, REG_SZ);
	memset(&vq, 0, sizeof(vq));
	virtq_init(&vq, 1);
	vq.packed = true;
	vq.num = num;
	vq.desc_uva = A_UVA + DESC_OFF;
	vq.avail_uva = A_UVA + AVAIL_OFF;	/* driver event suppression */
	vq.used_uva = A_UVA + USED_OFF;		/* device event suppression */
	vq.addr_set = true;
	vq.event_idx = event_idx;
	vq.started = vq.enabled = true;
	if (!virtq_map(&vq, &mem))
		abort();
	virtq_start(&vq, slot | (wrap ? VIRTQ_POS_WRAP : 0));
}

/* What a driver writes to make slot @i available with wrap counter @wrap. */
static void pdesc(unsigned int i, uint64_t addr, uint32_t len, uint16_t id, uint16_t flags,
		  bool wrap)
{
	vq.pdesc[i] = (struct vring_packed_desc){ addr, len, id,
		(uint16_t)(flags | (wrap ? P_AVAIL : P_USED)) };
}

static void test_packed_chains(void)
{
	struct vring_packed_desc *t = (struct vring_packed_desc *)(ga + 0xa000);
	uint16_t pos;

	/* A list of two, its buffer id in the last descriptor. */
	setup_packed(8, false, 0, true);
	pdesc(0, A_GPA + 0x9000, 12, 0, VRING_DESC_F_NEXT, true);
	pdesc(1, B_GPA + 0x100, 60, 5, 0, true);
	CHECK(virtq_has_avail(&vq), "packed: a list is available");
	pos = virtq_pos(&vq);
	CHECK(virtq_pop(&vq, &mem, &c, false) == 1 && c.head == 5 && c.ndesc == 2 &&
	      c.len == 72 && c.niov == 2 && c.iov[1].iov_base == gb + 0x100,
	      "packed list of two: id %u ndesc %u len %llu", c.head, c.ndesc,
	      (unsigned long long)c.len);
	CHECK(virtq_pop(&vq, &mem, &c, false) == 0 && !vq.broken, "packed: then empty");
	virtq_rewind(&vq, pos);
	CHECK(virtq_pop(&vq, &mem, &c, false) == 1 && c.head == 5, "packed: rewind");

	/* Used: one descriptor over the list's first slot, id and length,
	 * AVAIL and USED both the device's wrap counter, visible at publish. */
	virtq_push(&vq, 5, 2, 0);
	CHECK(vq.pdesc[0].id == 5 && !(vq.pdesc[0].flags & P_USED),
	      "packed: batch head not visible before publish");
	virtq_publish(&vq);
	CHECK(vq.pdesc[0].id == 5 && (vq.pdesc[0].flags & (P_AVAIL | P_USED)) ==
	      (P_AVAIL | P_USED) && vq.used_idx == 2, "packed: used descriptor");

	/* A second batch of two: the later one is written at push, the first
	 * at publish. */
	pdesc(2, A_GPA + 0x9000, 12, 1, 0, true);
	pdesc(3, A_GPA + 0x9000, 12, 2, 0, true);
	CHECK(virtq_pop(&vq, &mem, &c, false) == 1 && c.head == 1, "packed: id 1");
	virtq_push(&vq, c.head, c.ndesc, 0);
	CHECK(virtq_pop(&vq, &mem, &c, false) == 1 && c.head == 2, "packed: id 2");
	virtq_push(&vq, c.head, c.ndesc, 0);
	CHECK((vq.pdesc[3].flags & P_USED) && !(vq.pdesc[2].flags & P_USED),
	      "packed: batch published from its first descriptor");
	virtq_publish(&vq);
	CHECK(vq.pdesc[2].flags & P_USED, "packed: batch head published");

	/* Wrapping: a list over the last slot and the first one, where the
	 * driver's wrap counter has turned. */
	setup_packed(4, false, 3, true);
	pdesc(3, A_GPA + 0x9000, 12, 0, VRING_DESC_F_NEXT, true);
	pdesc(0, A_GPA + 0x9100, 40, 3, 0, false);
	CHECK(virtq_pop(&vq, &mem, &c, false) == 1 && c.head == 3 && c.ndesc == 2 &&
	      vq.last_avail == 1 && !vq.avail_wrap, "packed: list across the wrap");
	virtq_push(&vq, c.head, c.ndesc, 0);
	virtq_publish(&vq);
	CHECK(vq.used_idx == 1 && !vq.used_wrap && (vq.pdesc[3].flags & P_USED),
	      "packed: used position wraps with its counter");
	CHECK(virtq_base(&vq) == 0x10001, "packed: GET_VRING_BASE carries slot 1, wrap 0");

	/* A descriptor of the previous lap is not available. */
	setup_packed(4, false, 0, true);
	pdesc(0, A_GPA + 0x9000, 12, 0, 0, false);
	CHECK(virtq_pop(&vq, &mem, &c, false) == 0 && !vq.broken,
	      "packed: stale wrap counter is not available");
	vq.pdesc[0].flags = P_AVAIL | P_USED;	/* one the device used */
	CHECK(virtq_pop(&vq, &mem, &c, false) == 0 && !vq.broken,
	      "packed: used descriptor is not available");

	/* Receive buffers are device-writable. */
	setup_packed(8, false, 0, true);
	pdesc(0, A_GPA + 0x9000, 1526, 0, VRING_DESC_F_WRITE, true);
	CHECK(virtq_pop(&vq, &mem, &c, true) == 1 && c.len == 1526, "packed RX buffer");

	/* Indirect: a table of three, in region B. */
	setup_packed(8, false, 0, true);
	vq.indirect = true;
	t = (struct vring_packed_desc *)(gb + 0x1000);
	t[0] = (struct vring_packed_desc){ A_GPA + 0x9000, 12, 0, 0 };
	t[1] = (struct vring_packed_desc){ B_GPA - 8, 16, 0, VRING_DESC_F_NEXT };
	t[2] = (struct vring_packed_desc){ B_GPA + 0x200, 40, 0, 0 };
	pdesc(0, B_GPA + 0x1000, 48, 6, VRING_DESC_F_INDIRECT, true);
	CHECK(virtq_pop(&vq, &mem, &c, false) == 1 && c.head == 6 && c.ndesc == 1 &&
	      c.len == 68 && c.niov == 4, "packed indirect table of three: len %llu niov %u",
	      (unsigned long long)c.len, c.niov);
}

static void test_packed_hostile(void)
{
	struct vring_packed_desc *t = (struct vring_packed_desc *)(ga + 0xa000);

	/* A list that never ends: every slot available, all with NEXT. */
	setup_packed(8, false, 0, true);
	for (unsigned int i = 0; i < 8; i++)
		pdesc(i, A_GPA + 0x9000, 4, 0, VRING_DESC_F_NEXT, true);
	expect_broken("packed: endless list", false, "longer than the ring");

	/* The same, around a ring whose wrap counter turns mid-list. */
	setup_packed(8, false, 5, false);
	for (unsigned int i = 0; i < 8; i++)
		pdesc(i, A_GPA + 0x9000, 4, 0, VRING_DESC_F_NEXT, i >= 5 ? false : true);
	expect_broken("packed: endless list over the wrap", false, "longer than the ring");

	/* A list that runs into a slot the driver did not make available. */
	setup_packed(8, false, 0, true);
	pdesc(0, A_GPA + 0x9000, 4, 0, VRING_DESC_F_NEXT, true);
	pdesc(1, A_GPA + 0x9000, 4, 1, 0, false);
	expect_broken("packed: list into an unavailable slot", false, "not available");

	/* Buffer ids a driver cannot have. */
	setup_packed(8, false, 0, true);
	pdesc(0, A_GPA + 0x9000, 4, 8, 0, true);
	expect_broken("packed: buffer id 8 of 8", false, "buffer id 8");
	setup_packed(8, false, 0, true);
	pdesc(0, A_GPA + 0x9000, 4, 0xffff, 0, true);
	expect_broken("packed: buffer id 65535", false, "buffer id 65535");

	/* Addresses, directions. */
	setup_packed(8, false, 0, true);
	pdesc(0, 0x900000, 4, 0, 0, true);
	expect_broken("packed: address out of range", false, "outside guest memory");
	setup_packed(8, false, 0, true);
	pdesc(0, A_GPA + 0x9000, 4, 0, VRING_DESC_F_WRITE, true);
	expect_broken("packed: writable buffer on TX", false, "device-writable");

	/* Indirect: not negotiated, inside a list, with NEXT, too large, bad
	 * length, outside memory, wrong direction inside. */
	setup_packed(8, false, 0, true);
	pdesc(0, A_GPA + 0xa000, 16, 0, VRING_DESC_F_INDIRECT, true);
	expect_broken("packed: indirect not negotiated", false, "not negotiated");
	setup_packed(8, false, 0, true);
	vq.indirect = true;
	pdesc(0, A_GPA + 0x9000, 4, 0, VRING_DESC_F_NEXT, true);
	pdesc(1, A_GPA + 0xa000, 16, 0, VRING_DESC_F_INDIRECT, true);
	expect_broken("packed: indirect inside a list", false, "inside a list");
	setup_packed(8, false, 0, true);
	vq.indirect = true;
	pdesc(0, A_GPA + 0xa000, 16, 0, VRING_DESC_F_INDIRECT | VRING_DESC_F_NEXT, true);
	expect_broken("packed: indirect with NEXT", false, "inside a list");
	setup_packed(8, false, 0, true);
	vq.indirect = true;
	for (unsigned int i = 0; i < 1024; i++)
		t[i] = (struct vring_packed_desc){ 0, 0, 0, 0 };
	pdesc(0, A_GPA + 0xa000, 1024 * 16, 0, VRING_DESC_F_INDIRECT, true);
	expect_broken("packed: indirect table of 1024 in a ring of 8", false, "ring size 8");
	setup_packed(8, false, 0, true);
	vq.indirect = true;
	pdesc(0, A_GPA + 0xa000, 20, 0, VRING_DESC_F_INDIRECT, true);
	expect_broken("packed: indirect table of 20 bytes", false, "20 bytes");
	setup_packed(8, false, 0, true);
	vq.indirect = true;
	pdesc(0, B_GPA + REG_SZ - 16, 32, 0, VRING_DESC_F_INDIRECT, true);
	expect_broken("packed: indirect table past memory", false, "outside guest memory");
	setup_packed(8, false, 0, true);
	vq.indirect = true;
	t[0] = (struct vring_packed_desc){ A_GPA + 0x9000, 4, 0, VRING_DESC_F_WRITE };
	pdesc(0, A_GPA + 0xa000, 16, 0, VRING_DESC_F_INDIRECT, true);
	expect_broken("packed: writable buffer in a TX table", false, "device-writable");

	/* A ring that starts beyond its size (SET_VRING_BASE). */
	setup_packed(8, false, 9, true);
	CHECK(vq.broken && strstr(vq.broken, "beyond ring size"), "packed: base 9 of 8");

	/* Rings outside memory, misaligned. */
	memset(&vq, 0, sizeof(vq));
	virtq_init(&vq, 0);
	vq.packed = true;
	vq.num = 4096;
	vq.desc_uva = A_UVA + REG_SZ - 16 * 4095;
	vq.avail_uva = A_UVA + AVAIL_OFF;
	vq.used_uva = A_UVA + USED_OFF;
	vq.addr_set = true;
	CHECK(!virtq_map(&vq, &mem) && vq.broken, "packed: descriptor ring past its region");
	virtq_init(&vq, 0);
	vq.packed = true;
	vq.num = 8;
	vq.desc_uva = A_UVA + DESC_OFF;
	vq.avail_uva = A_UVA + AVAIL_OFF + 2;
	vq.used_uva = A_UVA + USED_OFF;
	vq.addr_set = true;
	CHECK(!virtq_map(&vq, &mem) && vq.broken, "packed: misaligned event structure");
}

static void test_packed_notifications(void)
{
	struct vring_packed_desc_event *drv, *dev;

	/* Without EVENT_IDX the driver's flags decide. */
	setup_packed(8, false, 0, true);
	drv = vq.driver_event;
	dev = vq.device_event;
	pdesc(0, A_GPA + 0x9000, 4, 0, 0, true);
	virtq_pop(&vq, &mem, &c, false);
	virtq_push(&vq, c.head, c.ndesc, 0);
	virtq_publish(&vq);
	drv->flags = VRING_PACKED_EVENT_FLAG_ENABLE;
	CHECK(virtq_want_interrupt(&vq), "packed: interrupts enabled");
	drv->flags = VRING_PACKED_EVENT_FLAG_DISABLE;
	CHECK(!virtq_want_interrupt(&vq), "packed: interrupts disabled");
	virtq_kicks_off(&vq);
	CHECK(dev->flags == VRING_PACKED_EVENT_FLAG_DISABLE, "packed: kicks off");
	CHECK(!virtq_kicks_on(&vq) && dev->flags == VRING_PACKED_EVENT_FLAG_ENABLE,
	      "packed: kicks on, nothing new");
	pdesc(1, A_GPA + 0x9000, 4, 1, 0, true);
	vq.kicks_off = true;
	CHECK(virtq_kicks_on(&vq), "packed: race caught by the recheck");

	/* With EVENT_IDX: an interrupt when the used position passes the
	 * driver's offset (and wrap counter). */
	setup_packed(8, true, 0, true);
	drv = vq.driver_event;
	dev = vq.device_event;
	drv->flags = VRING_PACKED_EVENT_FLAG_DESC;
	drv->off_wrap = 5 | VIRTQ_POS_WRAP;
	for (unsigned int i = 0; i < 8; i++)
		pdesc(i, A_GPA + 0x9000, 4, i, 0, true);
	virtq_pop(&vq, &mem, &c, false);
	virtq_push(&vq, c.head, c.ndesc, 0);
	virtq_publish(&vq);
	CHECK(virtq_want_interrupt(&vq), "packed: first interrupt always");
	for (unsigned int i = 0; i < 3; i++) {
		virtq_pop(&vq, &mem, &c, false);
		virtq_push(&vq, c.head, c.ndesc, 0);
	}
	virtq_publish(&vq);
	CHECK(!virtq_want_interrupt(&vq), "packed: used 4 has not passed 5");
	for (unsigned int i = 0; i < 3; i++) {
		virtq_pop(&vq, &mem, &c, false);
		virtq_push(&vq, c.head, c.ndesc, 0);
	}
	virtq_publish(&vq);
	CHECK(virtq_want_interrupt(&vq), "packed: used 7 passed 5");
	/* Past the wrap: the driver asks for slot 1 of the next lap. */
	drv->off_wrap = 1;
	virtq_pop(&vq, &mem, &c, false);
	virtq_push(&vq, c.head, c.ndesc, 0);
	virtq_publish(&vq);
	CHECK(vq.used_idx == 0 && !vq.used_wrap && !virtq_want_interrupt(&vq),
	      "packed: used 0 of the next lap has not passed 1");
	pdesc(0, A_GPA + 0x9000, 4, 0, 0, false);
	pdesc(1, A_GPA + 0x9000, 4, 1, 0, false);
	for (unsigned int i = 0; i < 2; i++) {
		CHECK(virtq_pop(&vq, &mem, &c, false) == 1, "packed: next lap %u", i);
		virtq_push(&vq, c.head, c.ndesc, 0);
	}
	virtq_publish(&vq);
	CHECK(virtq_want_interrupt(&vq), "packed: used 2 of the next lap passed 1");

	/* Kicks with EVENT_IDX: the offset of what we wait for. */
	virtq_kicks_off(&vq);
	CHECK(!virtq_kicks_on(&vq) && dev->flags == VRING_PACKED_EVENT_FLAG_DESC &&
	      dev->off_wrap == 2, "packed: kick me at slot 2, wrap 0 (%u)", dev->off_wrap);
}

/* A restarted back-end resumes a packed ring where it left it, not at the
 * stale base QEMU sends again (ring_state.h). */
static void test_ring_state(void)
{
	static struct ring_saved saved;
	const uint32_t initial = VIRTQ_POS_WRAP * 0x10001u;	/* slot 0, wrap 1 */
	uint32_t base;

	memset(&saved, 0, sizeof(saved));
	setup_packed(8, false, 0, true);
	base = ring_state_start(&saved, &vq, &mem, initial);
	CHECK(base == initial && saved.valid && vq.saved_pos == &saved.pos,
	      "first start: the front-end's base");
	pdesc(0, A_GPA + 0x9000, 4, 0, 0, true);
	pdesc(1, A_GPA + 0x9000, 4, 1, 0, true);
	for (int i = 0; i < 2; i++) {
		virtq_pop(&vq, &mem, &c, false);
		virtq_push(&vq, c.head, c.ndesc, 0);
	}
	virtq_publish(&vq);
	CHECK(saved.pos == (2 | VIRTQ_POS_WRAP), "publish saves the used position");

	/* The back-end restarts; QEMU sends the base of the ring's start. */
	CHECK(ring_state_start(&saved, &vq, &mem, initial) ==
	      (2 | VIRTQ_POS_WRAP) * 0x10001u, "restart resumes at slot 2");
	/* Another ring address, or size: another ring. */
	vq.desc_uva += 16 * 8;
	CHECK(ring_state_start(&saved, &vq, &mem, initial) == initial,
	      "another ring: the front-end's base");
	vq.desc_uva -= 16 * 8;
	saved.pos = 3 | VIRTQ_POS_WRAP;
	/* A base the front-end learnt since (a migration): it wins. */
	CHECK(ring_state_start(&saved, &vq, &mem, 6 * 0x10001u) == 6 * 0x10001u,
	      "a newer base from the front-end wins");
	/* GET_VRING_BASE answered: nothing to resume. */
	saved.pos = 4;
	ring_state_stopped(&saved);
	CHECK(ring_state_start(&saved, &vq, &mem, 6 * 0x10001u) == 6 * 0x10001u,
	      "after GET_VRING_BASE: the front-end's base");
	vq.saved_pos = NULL;
}

/* ---- dirty log ----------------------------------------------------------- */

static bool page_marked(const uint8_t *bits, uint64_t gpa)
{
	return bits[gpa / VHOST_LOG_PAGE / 8] & (1u << (gpa / VHOST_LOG_PAGE % 8));
}

static void test_dirty_log(void)
{
	static struct vhost_log log;
	static uint8_t bits[16];	/* 128 pages: 512 KiB of guest memory */
	unsigned int marked = 0;

	/* Split: used ring writes at log_guest_addr, receive buffers at
	 * the guest addresses of the descriptors. */
	setup(8, true);
	vhost_log_set_ptr(&log, bits, sizeof(bits));
	memset(bits, 0, sizeof(bits));
	vq.log = &log;
	vq.log_used = true;
	vq.log_gpa = 0x70000;	/* any guest address the front-end picks */
	set_desc(0, A_GPA + 0x9ff0, 0x20, VRING_DESC_F_WRITE | VRING_DESC_F_NEXT, 1);
	set_desc(1, B_GPA + 0x3000, 0x2000, VRING_DESC_F_WRITE, 0);
	offer(0);
	CHECK(virtq_pop(&vq, &mem, &c, true) == 1 && c.nseg == 2, "logged: RX chain");
	virtq_log_chain(&vq, &c, c.len);
	virtq_push(&vq, c.head, c.ndesc, c.len);
	virtq_publish(&vq);
	for (unsigned int i = 0; i < sizeof(bits) * 8; i++)
		marked += !!(bits[i / 8] & (1u << i % 8));
	CHECK(!marked, "logging off (no VHOST_F_LOG_ALL): nothing marked");

	log.on = true;
	virtq_rewind(&vq, 0);
	vq.used_idx = 0;
	CHECK(virtq_pop(&vq, &mem, &c, true) == 1, "logged: RX chain again");
	virtq_log_chain(&vq, &c, 0x10 + 0x1001);	/* header + part of the frame */
	virtq_push(&vq, c.head, c.ndesc, 0x1011);
	virtq_publish(&vq);
	CHECK(page_marked(bits, A_GPA + 0x9ff0) && page_marked(bits, A_GPA + 0xa000),
	      "buffer straddling two pages marks both");
	CHECK(page_marked(bits, B_GPA + 0x3000) && !page_marked(bits, B_GPA + 0x4000),
	      "only what was written is marked (0xff1 bytes in the second buffer)");
	CHECK(page_marked(bits, 0x70000), "used ring logged at log_guest_addr");
	CHECK(!page_marked(bits, A_GPA + USED_OFF), "... not at its region's address");

	/* Without VHOST_VRING_F_LOG the used ring is not logged. */
	memset(bits, 0, sizeof(bits));
	vq.log_used = false;
	virtq_push(&vq, 0, 1, 0);
	virtq_publish(&vq);
	CHECK(!page_marked(bits, 0x70000), "no VHOST_VRING_F_LOG: used ring not logged");

	/* A log too small for the page: nothing written past its end. */
	vhost_log_set_ptr(&log, bits, 1);	/* 8 pages */
	log.on = true;
	memset(bits, 0, sizeof(bits));
	vhost_log_write(&log, 0x7000, 0x2000);
	CHECK(bits[0] == 0x80 && bits[1] == 0 && log.overflowed,
	      "log of 8 pages: page 7 marked, page 8 not, overflow noted");

	/* Packed: used descriptors and the device event area are logged at
	 * the ring's guest address. */
	setup_packed(8, true, 0, true);
	vhost_log_set_ptr(&log, bits, sizeof(bits));
	log.on = true;
	memset(bits, 0, sizeof(bits));
	vq.log = &log;
	vq.log_used = true;
	pdesc(0, A_GPA + 0x9000, 4, 0, 0, true);
	virtq_pop(&vq, &mem, &c, false);
	virtq_push(&vq, c.head, c.ndesc, 0);
	virtq_publish(&vq);
	CHECK(page_marked(bits, A_GPA + DESC_OFF), "packed: used descriptor logged");
	virtq_kicks_off(&vq);
	CHECK(page_marked(bits, A_GPA + USED_OFF), "packed: device event area logged");
	vq.log = NULL;
}

static void test_notifications(void)
{
	uint16_t *used_event, *avail_event;

	/* Without EVENT_IDX: the NO_INTERRUPT flag decides. */
	setup(8, false);
	virtq_push(&vq, 0, 1, 0);
	virtq_publish(&vq);
	CHECK(vq.used->idx == 1, "used idx published");
	CHECK(virtq_want_interrupt(&vq), "interrupt wanted");
	vq.avail->flags = VRING_AVAIL_F_NO_INTERRUPT;
	CHECK(!virtq_want_interrupt(&vq), "NO_INTERRUPT honoured");
	virtq_kicks_off(&vq);
	CHECK(vq.used->flags & VRING_USED_F_NO_NOTIFY, "NO_NOTIFY set");
	CHECK(!virtq_kicks_on(&vq), "nothing new after re-enable");
	CHECK(!(vq.used->flags & VRING_USED_F_NO_NOTIFY), "NO_NOTIFY cleared");

	/* With EVENT_IDX: used_event after the avail ring (2.7.10). */
	setup(8, true);
	used_event = &vq.avail->ring[8];
	avail_event = (uint16_t *)&vq.used->ring[8];
	*used_event = 0;
	virtq_push(&vq, 0, 1, 0);
	virtq_publish(&vq);
	CHECK(virtq_want_interrupt(&vq), "first interrupt always");
	*used_event = 5;	/* "interrupt me when used passes 5" */
	virtq_push(&vq, 0, 1, 0);
	virtq_publish(&vq);
	CHECK(!virtq_want_interrupt(&vq), "used 2 <= event 5: no interrupt");
	for (int i = 0; i < 4; i++)
		virtq_push(&vq, 0, 1, 0);
	virtq_publish(&vq);
	CHECK(virtq_want_interrupt(&vq), "used 6 crossed event 5: interrupt");

	/* Re-enable then recheck: a buffer made available in between is
	 * found, and avail_event asks for a kick at our position. */
	vq.last_avail = 3;
	vq.avail->idx = 3;
	CHECK(!virtq_kicks_on(&vq) && *avail_event == 3, "avail_event = 3");
	vq.avail->idx = 4;
	CHECK(virtq_kicks_on(&vq), "race caught by the recheck");
}

static void test_mem(void)
{
	struct vhost_mem m = { 0 };
	struct iovec iov[2];
	static uint8_t buf[4096];

	CHECK(vhost_mem_add_ptr(&m, 0x1000, 0x5000, buf, 4096) == 0, "add");
	CHECK(vhost_mem_add_ptr(&m, 0x1800, 0x9000, buf, 4096) != 0,
	      "guest-physical overlap refused");
	CHECK(vhost_mem_add_ptr(&m, 0x9000, 0x5800, buf, 4096) != 0,
	      "front-end address overlap refused");
	CHECK(vhost_mem_add_ptr(&m, ~0ull - 10, 0x100000, buf, 4096) != 0,
	      "wrapping region refused");
	CHECK(vhost_mem_gpa(&m, 0x1fff, 1) == buf + 4095, "last byte");
	CHECK(!vhost_mem_gpa(&m, 0x1fff, 2), "past the end");
	CHECK(!vhost_mem_gpa(&m, 0xfff, 2), "before the start");
	CHECK(!vhost_mem_gpa(&m, 0x1000, 0), "empty range");
	CHECK(vhost_mem_gpa_iov(&m, 0x1000, 0x1001, iov, 2) == -1,
	      "iov past the end");
	CHECK(vhost_mem_uva(&m, 0x5000, 4096) == buf, "uva translation");
	CHECK(!vhost_mem_uva(&m, 0x1000, 16), "gpa is not a uva");
}

static void test_messages(void)
{
	static struct vhost_dev d;
	static struct vhu_msg r;
	struct vhu_vring_state st;
	struct vhu_mem_table t = { .nregions = 9 };
	uint64_t u;
	const uint32_t V = VHU_VERSION, ACK = VHU_VERSION | VHU_FLAG_NEED_REPLY;

	vhost_dev_init(&d, 2);
	CHECK(send_msg(&d, VHU_GET_FEATURES, V, NULL, 0, &r) == 1 &&
	      r.payload.u64 == vhost_dev_offered_features() &&
	      r.hdr.flags == (VHU_VERSION | VHU_FLAG_REPLY), "GET_FEATURES");
	CHECK(send_msg(&d, VHU_GET_FEATURES, 2, NULL, 0, &r) == -1,
	      "wrong version is a protocol error");
	CHECK(send_msg(&d, VHU_SET_FEATURES, V, NULL, 4, &r) == -1,
	      "short payload is a protocol error");
	CHECK(send_msg(&d, VHU_GET_FEATURES, V, NULL, VHU_MAX_PAYLOAD + 1,
		       &r) == -1, "oversized payload is a protocol error");
	u = 1ull << VIRTIO_NET_F_CSUM;
	CHECK(send_msg(&d, VHU_SET_FEATURES, V, &u, 8, &r) == 0 &&
	      d.features == 0, "unoffered feature refused");
	u = 1ull << VHU_PROTOCOL_F_REPLY_ACK;
	send_msg(&d, VHU_SET_PROTOCOL_FEATURES, V, &u, 8, &r);
	st = (struct vhu_vring_state){ 0, 40000 };
	CHECK(send_msg(&d, VHU_SET_VRING_NUM, ACK, &st, 8, &r) == 1 &&
	      r.payload.u64 != 0, "ring size 40000 refused (REPLY_ACK)");
	st = (struct vhu_vring_state){ 0, 100 };
	CHECK(send_msg(&d, VHU_SET_VRING_NUM, ACK, &st, 8, &r) == 1 &&
	      r.payload.u64 == 0, "ring size 100 taken (packed rings may have it)");
	st = (struct vhu_vring_state){ 4, 256 };
	CHECK(send_msg(&d, VHU_SET_VRING_NUM, ACK, &st, 8, &r) == 1 &&
	      r.payload.u64 != 0, "vring 4 of 2 queue pairs refused");
	st = (struct vhu_vring_state){ 3, 256 };
	CHECK(send_msg(&d, VHU_SET_VRING_NUM, ACK, &st, 8, &r) == 1 &&
	      r.payload.u64 == 0 && d.vq[3].num == 256, "ring size 256");
	CHECK(send_msg(&d, VHU_SET_MEM_TABLE, ACK, &t, sizeof(t), &r) == 1 &&
	      r.payload.u64 != 0, "9 regions refused");
	t.nregions = 1;
	CHECK(send_msg(&d, VHU_SET_MEM_TABLE, ACK, &t, sizeof(t), &r) == 1 &&
	      r.payload.u64 != 0, "region without fd refused");
	u = 0;	/* vring 0, "has an fd" but none came */
	CHECK(send_msg(&d, VHU_SET_VRING_KICK, ACK, &u, 8, &r) == 1 &&
	      r.payload.u64 != 0, "kick without fd refused");
	u = VHU_VRING_NOFD | 3;	/* started, but nothing to map: broken */
	send_msg(&d, VHU_SET_VRING_KICK, V, &u, 8, &r);
	CHECK(d.vq[3].started && d.vq[3].broken && !virtq_ready(&d.vq[3]),
	      "ring started without addresses is broken, not used");
	st = (struct vhu_vring_state){ 3, 0 };
	CHECK(send_msg(&d, VHU_GET_VRING_BASE, V, &st, 8, &r) == 1 &&
	      !d.vq[3].started && !d.vq[3].broken, "GET_VRING_BASE stops");
	CHECK(send_msg(&d, 999, ACK, NULL, 0, &r) == 1 && r.payload.u64 != 0,
	      "unknown request answered with failure");
	CHECK(send_msg(&d, VHU_GET_QUEUE_NUM, V, NULL, 0, &r) == 1 &&
	      r.payload.u64 == 2, "GET_QUEUE_NUM");
	vhost_dev_reset(&d);
}

/* The messages of a live migration: dirty log, ring state, announce. */
static void test_migration_messages(void)
{
	static struct vhost_dev d;
	static struct vhu_msg r;
	const uint32_t V = VHU_VERSION;
	struct vhu_log lg = { 8192, 0 };
	struct vhu_vring_addr a = { 0 };
	struct vhu_vring_state st;
	uint64_t u;
	int fd, before;

	vhost_dev_init(&d, 1);
	before = open_fds();
	CHECK(vhost_dev_offered_features() & (1ull << VHU_F_LOG_ALL) &&
	      vhost_dev_offered_features() & (1ull << VIRTIO_F_RING_PACKED),
	      "VHOST_F_LOG_ALL and RING_PACKED offered");
	CHECK((vhost_dev_offered_protocol_features() &
	       (1ull << VHU_PROTOCOL_F_LOG_SHMFD | 1ull << VHU_PROTOCOL_F_RARP)) ==
	      (1ull << VHU_PROTOCOL_F_LOG_SHMFD | 1ull << VHU_PROTOCOL_F_RARP),
	      "LOG_SHMFD and RARP offered");
	u = 1ull << VHU_PROTOCOL_F_LOG_SHMFD | 1ull << VHU_PROTOCOL_F_RARP;
	send_msg(&d, VHU_SET_PROTOCOL_FEATURES, V, &u, 8, &r);

	/* A log larger than its file is refused, and answered (LOG_SHMFD). */
	fd = memfd_of(4096);
	CHECK(send_msg_fds(&d, VHU_SET_LOG_BASE, V, &lg, sizeof(lg), &fd, 1, &r) == 1 &&
	      r.hdr.request == VHU_SET_LOG_BASE && r.payload.u64 != 0 && !d.log.bits,
	      "SET_LOG_BASE: 8 KiB log in a 4 KiB memfd refused");
	fd = memfd_of(8192);
	CHECK(send_msg_fds(&d, VHU_SET_LOG_BASE, V, &lg, sizeof(lg), &fd, 1, &r) == 1 &&
	      r.payload.u64 == 0 && d.log.bits && d.log.size == 8192,
	      "SET_LOG_BASE: 8 KiB log mapped, answered");
	u = 1ull << VHU_F_LOG_ALL | 1ull << VIRTIO_F_VERSION_1;
	send_msg(&d, VHU_SET_FEATURES, V, &u, 8, &r);
	CHECK(d.log.on, "VHOST_F_LOG_ALL turns logging on");
	a = (struct vhu_vring_addr){ 1, 1u << VHU_VRING_F_LOG, 0x1000, 0x3000, 0x2000, 0x5000 };
	send_msg(&d, VHU_SET_VRING_ADDR, V, &a, sizeof(a), &r);
	CHECK(d.vq[1].log_used && d.vq[1].log_gpa == 0x5000, "VHOST_VRING_F_LOG, log_guest_addr");
	u = 1ull << VIRTIO_F_VERSION_1;
	send_msg(&d, VHU_SET_FEATURES, V, &u, 8, &r);
	CHECK(!d.log.on, "and off again without it");

	/* SEND_RARP: the guest's MAC in the first 6 bytes. */
	u = 0;
	memcpy(&u, "\x52\x54\x00\x12\x34\x56", 6);
	send_msg(&d, VHU_SEND_RARP, V, &u, 8, &r);
	CHECK(d.rarps == 1 && !memcmp(d.rarp_mac, "\x52\x54\x00\x12\x34\x56", 6),
	      "SEND_RARP: announce asked for the guest's MAC");

	/* A packed ring's base: slot and wrap counter, in and out. */
	u = 1ull << VIRTIO_F_VERSION_1 | 1ull << VIRTIO_F_RING_PACKED;
	send_msg(&d, VHU_SET_FEATURES, V, &u, 8, &r);
	st = (struct vhu_vring_state){ 0, 100 };
	send_msg(&d, VHU_SET_VRING_NUM, V, &st, 8, &r);
	/* QEMU's encoding: avail position low, used position high. */
	st = (struct vhu_vring_state){ 0, (7 | VIRTQ_POS_WRAP) * 0x10001u };
	send_msg(&d, VHU_SET_VRING_BASE, V, &st, 8, &r);
	u = VHU_VRING_NOFD | 0;
	send_msg(&d, VHU_SET_VRING_KICK, V, &u, 8, &r);
	CHECK(d.vq[0].packed && d.vq[0].last_avail == 7 && d.vq[0].avail_wrap &&
	      d.vq[0].used_idx == 7 && d.vq[0].used_wrap, "packed ring started at slot 7, wrap 1");
	st = (struct vhu_vring_state){ 0, 0 };
	CHECK(send_msg(&d, VHU_GET_VRING_BASE, V, &st, 8, &r) == 1 &&
	      r.payload.state.num == (7 | VIRTQ_POS_WRAP) * 0x10001u,
	      "GET_VRING_BASE: avail and used at 7 with wrap 1 (0x%x)", r.payload.state.num);

	vhost_dev_reset(&d);
	CHECK(!d.log.bits && open_fds() == before, "reset unmaps the log, keeps no fd");
}

int main(void)
{
	vhost_log_level = getenv("V") ? 3 : -1;
	ga = aligned_alloc(4096, REG_SZ);
	gb = aligned_alloc(4096, REG_SZ);
	if (vhost_mem_add_ptr(&mem, A_GPA, A_UVA, ga, REG_SZ) ||
	    vhost_mem_add_ptr(&mem, B_GPA, B_UVA, gb, REG_SZ))
		abort();
	test_valid_chains();
	test_bad_chains();
	test_indirect();
	test_chain_bounds();
	test_packed_chains();
	test_packed_hostile();
	test_packed_notifications();
	test_ring_state();
	test_dirty_log();
	test_notifications();
	test_mem();
	test_messages();
	test_fd_ownership();
	test_mem_file_size();
	test_migration_messages();
	printf("%d passed, %d failed\n", passed, failed);
	return failed ? 1 : 0;
}
