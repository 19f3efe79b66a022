/* SPDX-License-Identifier: GPL-2.0 */
/*
 * vhost-user wire format, as QEMU's docs/interop/vhost-user.rst defines it.
 * Section names below are that document's. Only what xbr-vhost speaks is
 * here; anything else is answered as "not supported".
 *
 * All fields are in the host's byte order ("Message Specification": the
 * protocol is local to one host), which is also little endian on every
 * host this daemon runs on, so ring fields need no conversion either.
 */
#ifndef XBR_VHOST_USER_PROTO_H
#define XBR_VHOST_USER_PROTO_H

#include <stdint.h>

#if __BYTE_ORDER__ != __ORDER_LITTLE_ENDIAN__
#error "xbr-vhost reads virtio (little endian) rings without conversion"
#endif

/* "Header": request, flags, size; the payload follows. */
struct vhu_hdr {
	uint32_t request;
	uint32_t flags;
	uint32_t size;	/* payload bytes after this header */
};

#define VHU_FLAG_VERSION_MASK	0x3u
#define VHU_VERSION		0x1u
#define VHU_FLAG_REPLY		(1u << 2)
#define VHU_FLAG_NEED_REPLY	(1u << 3)

/* "Front-end message types" that a net back-end meets. */
enum vhu_request {
	VHU_GET_FEATURES		= 1,
	VHU_SET_FEATURES		= 2,
	VHU_SET_OWNER			= 3,
	VHU_RESET_OWNER			= 4,
	VHU_SET_MEM_TABLE		= 5,
	VHU_SET_LOG_BASE		= 6,
	VHU_SET_LOG_FD			= 7,
	VHU_SET_VRING_NUM		= 8,
	VHU_SET_VRING_ADDR		= 9,
	VHU_SET_VRING_BASE		= 10,
	VHU_GET_VRING_BASE		= 11,
	VHU_SET_VRING_KICK		= 12,
	VHU_SET_VRING_CALL		= 13,
	VHU_SET_VRING_ERR		= 14,
	VHU_GET_PROTOCOL_FEATURES	= 15,
	VHU_SET_PROTOCOL_FEATURES	= 16,
	VHU_GET_QUEUE_NUM		= 17,
	VHU_SET_VRING_ENABLE		= 18,
	VHU_SEND_RARP			= 19,
	VHU_NET_SET_MTU			= 20,
	VHU_MAX_REQUEST			= 64,	/* names table size only */
};

/* "Protocol features" bits. */
#define VHU_PROTOCOL_F_MQ		0
#define VHU_PROTOCOL_F_LOG_SHMFD	1
#define VHU_PROTOCOL_F_RARP		2
#define VHU_PROTOCOL_F_REPLY_ACK	3

/* "Migration": the vhost feature a back-end that logs its writes offers,
 * and the vring address flag that asks it to log writes to the used ring
 * (linux/vhost_types.h: VHOST_F_LOG_ALL, VHOST_VRING_F_LOG). */
#define VHU_F_LOG_ALL			26
#define VHU_VRING_F_LOG			0

/* "Communication": VHOST_USER_F_PROTOCOL_FEATURES in GET_FEATURES. */
#define VHU_F_PROTOCOL_FEATURES		30

/* "Memory regions description": VHOST_MEMORY_BASELINE_NREGIONS. */
#define VHU_MAX_REGIONS			8

struct vhu_region {
	uint64_t guest_phys_addr;
	uint64_t memory_size;
	uint64_t userspace_addr;	/* the front-end's virtual address */
	uint64_t mmap_offset;		/* offset of the region in its fd */
};

struct vhu_mem_table {
	uint32_t nregions;
	uint32_t padding;
	struct vhu_region regions[VHU_MAX_REGIONS];
};

/* "A vring state description" */
struct vhu_vring_state {
	uint32_t index;
	uint32_t num;
};

/* "A vring address description": addresses are front-end virtual addresses. */
struct vhu_vring_addr {
	uint32_t index;
	uint32_t flags;			/* bit 0: log used ring writes */
	uint64_t desc_user_addr;
	uint64_t used_user_addr;
	uint64_t avail_user_addr;
	uint64_t log_guest_addr;
};

/* "Log description" (SET_LOG_BASE): the bitmap in the fd that comes with it. */
struct vhu_log {
	uint64_t mmap_size;
	uint64_t mmap_offset;
};

/*
 * SET_VRING_KICK/CALL/ERR carry a u64: "Bits (0-7) of the payload contain
 * the vring index. Bit 8 is the invalid FD flag."
 */
#define VHU_VRING_IDX_MASK	0xffull
#define VHU_VRING_NOFD		(1ull << 8)

/* Largest payload accepted; every message we understand is far smaller. */
#define VHU_MAX_PAYLOAD		4096

union vhu_payload {
	uint64_t u64;
	struct vhu_vring_state state;
	struct vhu_vring_addr addr;
	struct vhu_mem_table mem;
	struct vhu_log log;
	uint8_t raw[VHU_MAX_PAYLOAD];
};

/* In memory only: on the wire the payload follows the 12-byte header
 * directly, so header and payload are read and written separately. */
struct vhu_msg {
	struct vhu_hdr hdr;
	union vhu_payload payload;
};

_Static_assert(sizeof(struct vhu_hdr) == 12, "vhost-user header");
_Static_assert(sizeof(struct vhu_region) == 32, "memory region");
_Static_assert(sizeof(struct vhu_vring_addr) == 40, "vring address");
_Static_assert(sizeof(struct vhu_log) == 16, "log description");

#endif
