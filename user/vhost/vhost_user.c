// SPDX-License-Identifier: GPL-2.0
/*
 * vhost-user message handling (QEMU docs/interop/vhost-user.rst). Every
 * message is from a front-end we do not trust further than the memory it
 * shares: sizes, indices and fds are checked before anything is changed.
 */
#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <unistd.h>
#include <linux/vhost_types.h>
#include <linux/virtio_config.h>
#include <linux/virtio_net.h>
#include <linux/virtio_ring.h>

#include "vhost_user.h"
#include "log.h"

static const char *const request_names[VHU_MAX_REQUEST] = {
	[VHU_GET_FEATURES] = "GET_FEATURES",
	[VHU_SET_FEATURES] = "SET_FEATURES",
	[VHU_SET_OWNER] = "SET_OWNER",
	[VHU_RESET_OWNER] = "RESET_OWNER",
	[VHU_SET_MEM_TABLE] = "SET_MEM_TABLE",
	[VHU_SET_LOG_BASE] = "SET_LOG_BASE",
	[VHU_SET_LOG_FD] = "SET_LOG_FD",
	[VHU_SET_VRING_NUM] = "SET_VRING_NUM",
	[VHU_SET_VRING_ADDR] = "SET_VRING_ADDR",
	[VHU_SET_VRING_BASE] = "SET_VRING_BASE",
	[VHU_GET_VRING_BASE] = "GET_VRING_BASE",
	[VHU_SET_VRING_KICK] = "SET_VRING_KICK",
	[VHU_SET_VRING_CALL] = "SET_VRING_CALL",
	[VHU_SET_VRING_ERR] = "SET_VRING_ERR",
	[VHU_GET_PROTOCOL_FEATURES] = "GET_PROTOCOL_FEATURES",
	[VHU_SET_PROTOCOL_FEATURES] = "SET_PROTOCOL_FEATURES",
	[VHU_GET_QUEUE_NUM] = "GET_QUEUE_NUM",
	[VHU_SET_VRING_ENABLE] = "SET_VRING_ENABLE",
	[VHU_SEND_RARP] = "SEND_RARP",
	[VHU_NET_SET_MTU] = "NET_SET_MTU",
};

_Static_assert(VHU_F_LOG_ALL == VHOST_F_LOG_ALL, "vhost_types.h");

const char *vhost_user_request_name(uint32_t request)
{
	if (request < VHU_MAX_REQUEST && request_names[request])
		return request_names[request];
	return "unknown";
}

uint64_t vhost_dev_offered_features(void)
{
	return 1ull << VIRTIO_F_VERSION_1 |
	       1ull << VIRTIO_F_RING_PACKED |
	       1ull << VIRTIO_NET_F_MRG_RXBUF |
	       1ull << VIRTIO_RING_F_EVENT_IDX |
	       1ull << VIRTIO_RING_F_INDIRECT_DESC |
	       1ull << VIRTIO_NET_F_MQ |
	       1ull << VHU_F_LOG_ALL |
	       1ull << VHU_F_PROTOCOL_FEATURES;
}

uint64_t vhost_dev_offered_protocol_features(void)
{
	return 1ull << VHU_PROTOCOL_F_MQ | 1ull << VHU_PROTOCOL_F_LOG_SHMFD |
	       1ull << VHU_PROTOCOL_F_RARP | 1ull << VHU_PROTOCOL_F_REPLY_ACK;
}

void vhost_dev_init(struct vhost_dev *d, unsigned int max_qp)
{
	memset(d, 0, sizeof(*d));
	d->max_qp = max_qp;
	d->log_fd = -1;
	for (unsigned int i = 0; i < 2 * XBR_VHOST_MAX_QP; i++) {
		virtq_init(&d->vq[i], i);
		d->vq[i].log = &d->log;
	}
}

void vhost_dev_reset(struct vhost_dev *d)
{
	for (unsigned int i = 0; i < 2 * XBR_VHOST_MAX_QP; i++)
		virtq_reset(&d->vq[i]);
	vhost_mem_clear(&d->mem);
	vhost_log_clear(&d->log);
	d->log.on = false;
	if (d->log_fd >= 0)
		close(d->log_fd);
	d->log_fd = -1;
	d->features = 0;
	d->protocol_features = 0;
	d->rarps = 0;
}

const char *vhost_dev_broken(const struct vhost_dev *d)
{
	for (unsigned int i = 0; i < 2 * d->max_qp; i++)
		if (d->vq[i].broken)
			return d->vq[i].broken;
	return NULL;
}

unsigned int vhost_dev_net_hdr_len(const struct vhost_dev *d)
{
	/* VIRTIO 1.2 5.1.6: num_buffers is there with VERSION_1 or
	 * MRG_RXBUF; a legacy device without either has 10 bytes. */
	if (vhost_dev_has(d, VIRTIO_F_VERSION_1) ||
	    vhost_dev_has(d, VIRTIO_NET_F_MRG_RXBUF))
		return sizeof(struct virtio_net_hdr_mrg_rxbuf);
	return sizeof(struct virtio_net_hdr);
}

/* Smallest payload each request we handle must carry. */
static uint32_t min_payload(uint32_t request)
{
	switch (request) {
	case VHU_SET_FEATURES:
	case VHU_SET_PROTOCOL_FEATURES:
	case VHU_SET_VRING_KICK:
	case VHU_SET_VRING_CALL:
	case VHU_SET_VRING_ERR:
		return sizeof(uint64_t);
	case VHU_SET_VRING_NUM:
	case VHU_SET_VRING_BASE:
	case VHU_GET_VRING_BASE:
	case VHU_SET_VRING_ENABLE:
		return sizeof(struct vhu_vring_state);
	case VHU_SET_VRING_ADDR:
		return sizeof(struct vhu_vring_addr);
	case VHU_SET_MEM_TABLE:
		return offsetof(struct vhu_mem_table, regions);
	case VHU_SET_LOG_BASE:
		return sizeof(struct vhu_log);
	case VHU_SEND_RARP:
		return sizeof(uint64_t);
	default:
		return 0;
	}
}

static void close_fds(int *fds, unsigned int nfds)
{
	for (unsigned int i = 0; i < nfds; i++)
		if (fds[i] >= 0)
			close(fds[i]);
}

static struct virtq *vring(struct vhost_dev *d, uint64_t index)
{
	if (index >= 2ull * d->max_qp) {
		log_warn("vring index %llu out of range (%u queue pairs)",
			 (unsigned long long)index, d->max_qp);
		return NULL;
	}
	return &d->vq[index];
}

/* Ring start (vhost-user.rst "Ring states"): a ring starts when it gets
 * its kick fd. Its memory is looked up now, not at SET_VRING_ADDR, since
 * the front-end may send the addresses before the memory table. */
static void vring_start(struct vhost_dev *d, struct virtq *vq)
{
	vq->started = true;
	vq->broken = NULL;
	vq->packed = vhost_dev_has(d, VIRTIO_F_RING_PACKED);
	vq->event_idx = vhost_dev_has(d, VIRTIO_RING_F_EVENT_IDX);
	vq->indirect = vhost_dev_has(d, VIRTIO_RING_F_INDIRECT_DESC);
	/* "If VHOST_USER_F_PROTOCOL_FEATURES has not been negotiated, the
	 * ring starts directly in the enabled state." */
	if (!vhost_dev_has(d, VHU_F_PROTOCOL_FEATURES))
		vq->enabled = true;
	vq->saved_pos = NULL;
	if (virtq_map(vq, &d->mem) && vq->packed && d->saved)
		virtq_start(vq, ring_state_start(&d->saved[vq->index], vq, &d->mem, vq->base));
	else
		virtq_start(vq, vq->base);
	d->ring_starts++;
	log_info("vring %u started: %s, size %u, base %u%s, used %u%s", vq->index,
		 vq->packed ? "packed" : "split", vq->num, vq->last_avail,
		 vq->packed ? (vq->avail_wrap ? " wrap 1" : " wrap 0") : "", vq->used_idx,
		 vq->enabled ? ", enabled" : "");
}

/* SET_LOG_BASE: the dirty log moves to the fd that comes with it (QEMU
 * sends a new one whenever guest memory grows). */
static int set_log_base(struct vhost_dev *d, const struct vhu_log *l, int *fds,
			unsigned int nfds)
{
	if (nfds > 1 || (nfds == 0 && l->mmap_size)) {
		log_warn("SET_LOG_BASE: %u fds for a log of %llu bytes", nfds,
			 (unsigned long long)l->mmap_size);
		return -EINVAL;
	}
	return vhost_log_set(&d->log, nfds ? fds[0] : -1, l->mmap_size, l->mmap_offset);
}

/* Keep fds[i]: the dispatcher closes every fd a handler did not take. */
static int take_fd(int *fds, unsigned int i)
{
	int fd = fds[i];

	fds[i] = -1;
	return fd;
}

static int set_vring_fd(struct vhost_dev *d, const struct vhu_msg *msg,
			int *fds, unsigned int nfds)
{
	uint64_t v = msg->payload.u64;
	bool nofd = v & VHU_VRING_NOFD;
	struct virtq *vq = vring(d, v & VHU_VRING_IDX_MASK);
	int fd = -1;

	if (nofd != (nfds == 0) || nfds > 1) {
		log_warn("%s: %u fds, invalid-fd flag %d",
			 vhost_user_request_name(msg->hdr.request), nfds, nofd);
		return -EINVAL;
	}
	if (!vq)
		return -EINVAL;
	if (nfds)
		fd = take_fd(fds, 0);
	switch (msg->hdr.request) {
	case VHU_SET_VRING_KICK:
		/* We drain it after epoll says readable; never block on it. */
		if (fd >= 0)
			fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) | O_NONBLOCK);
		if (vq->kick_fd >= 0)
			close(vq->kick_fd);
		vq->kick_fd = fd;
		vq->kick_gen++;
		vring_start(d, vq);
		break;
	case VHU_SET_VRING_CALL:
		if (vq->call_fd >= 0)
			close(vq->call_fd);
		vq->call_fd = fd;
		break;
	default:
		if (vq->err_fd >= 0)
			close(vq->err_fd);
		vq->err_fd = fd;
		break;
	}
	return 0;
}

static int handle(struct vhost_dev *d, const struct vhu_msg *msg, int *fds,
		  unsigned int nfds, struct vhu_msg *reply, bool *has_reply)
{
	const union vhu_payload *p = &msg->payload;
	struct virtq *vq;

	/* Only these carry fds. */
	switch (msg->hdr.request) {
	case VHU_SET_MEM_TABLE:
	case VHU_SET_LOG_BASE:
	case VHU_SET_LOG_FD:
	case VHU_SET_VRING_KICK:
	case VHU_SET_VRING_CALL:
	case VHU_SET_VRING_ERR:
		break;
	default:
		if (nfds) {
			log_warn("%s came with %u unexpected fds",
				 vhost_user_request_name(msg->hdr.request),
				 nfds);
			return -EINVAL;
		}
	}

	switch (msg->hdr.request) {
	case VHU_GET_FEATURES:
		reply->payload.u64 = vhost_dev_offered_features();
		reply->hdr.size = sizeof(uint64_t);
		*has_reply = true;
		return 0;
	case VHU_SET_FEATURES:
		if (p->u64 & ~vhost_dev_offered_features()) {
			log_warn("front-end acked features 0x%llx we never "
				 "offered", (unsigned long long)p->u64);
			return -EINVAL;
		}
		if (p->u64 != d->features)
			log_info("features 0x%llx%s", (unsigned long long)p->u64,
				 p->u64 & (1ull << VHU_F_LOG_ALL) ? " (dirty logging on)" : "");
		d->features = p->u64;
		/* "Migration": logging starts and stops with VHOST_F_LOG_ALL,
		 * the rings run on meanwhile. */
		d->log.on = vhost_dev_has(d, VHU_F_LOG_ALL);
		return 0;
	case VHU_GET_PROTOCOL_FEATURES:
		reply->payload.u64 = vhost_dev_offered_protocol_features();
		reply->hdr.size = sizeof(uint64_t);
		*has_reply = true;
		return 0;
	case VHU_SET_PROTOCOL_FEATURES:
		d->protocol_features =
			p->u64 & vhost_dev_offered_protocol_features();
		return 0;
	case VHU_GET_QUEUE_NUM:
		reply->payload.u64 = d->max_qp;
		reply->hdr.size = sizeof(uint64_t);
		*has_reply = true;
		return 0;
	case VHU_SET_OWNER:
		return 0;
	case VHU_RESET_OWNER:
		vhost_dev_reset(d);
		return 0;
	case VHU_SET_MEM_TABLE: {
		int err;

		if (p->mem.nregions > VHU_MAX_REGIONS ||
		    msg->hdr.size < offsetof(struct vhu_mem_table, regions) +
				    p->mem.nregions * sizeof(struct vhu_region)) {
			log_warn("SET_MEM_TABLE: %u regions in %u bytes",
				 p->mem.nregions, msg->hdr.size);
			return -EINVAL;
		}
		err = vhost_mem_set(&d->mem, &p->mem, fds, nfds);
		if (err)
			return err;
		/* QEMU may change the table under running rings (memory
		 * hotplug): look their addresses up again. */
		for (unsigned int i = 0; i < 2 * d->max_qp; i++)
			if (d->vq[i].started)
				virtq_map(&d->vq[i], &d->mem);
		return 0;
	}
	case VHU_SET_VRING_NUM:
		vq = vring(d, p->state.index);
		if (!vq)
			return -EINVAL;
		/* VIRTIO 1.2 2.7, 2.8: at most 32768; split rings also need a
		 * power of 2, which is checked when the ring starts, as
		 * SET_FEATURES may come later. */
		if (!p->state.num || p->state.num > VIRTQ_MAX_SIZE || vq->started) {
			log_warn("vring %u: bad size %u%s", vq->index,
				 p->state.num, vq->started ? " (running)" : "");
			return -EINVAL;
		}
		vq->num = p->state.num;
		return 0;
	case VHU_SET_VRING_ADDR:
		vq = vring(d, p->addr.index);
		if (!vq)
			return -EINVAL;
		vq->desc_uva = p->addr.desc_user_addr;
		vq->avail_uva = p->addr.avail_user_addr;
		vq->used_uva = p->addr.used_user_addr;
		vq->log_gpa = p->addr.log_guest_addr;
		/* QEMU sends the same addresses again to start or stop
		 * logging writes to the ring while it runs. */
		vq->log_used = p->addr.flags & (1u << VHU_VRING_F_LOG);
		vq->addr_set = true;
		if (vq->started)
			virtq_map(vq, &d->mem);
		return 0;
	case VHU_SET_VRING_BASE:
		vq = vring(d, p->state.index);
		if (!vq)
			return -EINVAL;
		/* Checked when the ring starts: its layout is known then. */
		if (vq->started) {
			log_warn("vring %u: base %u while running", vq->index, p->state.num);
			return -EINVAL;
		}
		vq->base = p->state.num;
		return 0;
	case VHU_GET_VRING_BASE:
		vq = vring(d, p->state.index);
		if (!vq)
			return -EINVAL;
		/* "Ring states": GET_VRING_BASE stops the ring. Nothing of
		 * it is in flight (datapath.h), so where we would take the
		 * next chain is exact: a migration's destination starts there. */
		vq->base = virtq_base(vq);
		if (vq->saved_pos)
			ring_state_stopped(&d->saved[vq->index]);
		vq->saved_pos = NULL;
		vq->started = false;
		vq->mapped = false;
		vq->broken = NULL;
		if (vq->kick_fd >= 0)
			close(vq->kick_fd);
		vq->kick_fd = -1;
		vq->kick_gen++;
		reply->payload.state.index = vq->index;
		reply->payload.state.num = vq->base;
		reply->hdr.size = sizeof(struct vhu_vring_state);
		*has_reply = true;
		log_info("vring %u stopped at %u%s", vq->index, vq->last_avail,
			 vq->packed ? (vq->avail_wrap ? " wrap 1" : " wrap 0") : "");
		return 0;
	case VHU_SET_LOG_BASE: {
		int err = set_log_base(d, &p->log, fds, nfds);

		/* "Communication": with LOG_SHMFD, SET_LOG_BASE is answered
		 * (QEMU waits for it); a u64, zero for success. */
		if (d->protocol_features & (1ull << VHU_PROTOCOL_F_LOG_SHMFD)) {
			reply->payload.u64 = err ? 1 : 0;
			reply->hdr.size = sizeof(uint64_t);
			*has_reply = true;
		}
		return err;
	}
	case VHU_SET_LOG_FD:
		/* Optional: a way to tell the front-end the log changed,
		 * which QEMU neither sends nor needs (it polls the log). */
		if (nfds != 1)
			return -EINVAL;
		if (d->log_fd >= 0)
			close(d->log_fd);
		d->log_fd = take_fd(fds, 0);
		return 0;
	case VHU_SEND_RARP:
		/* "the first 6 bytes of the payload contain the mac address
		 * of the guest": the migration ended here, announce it. */
		memcpy(d->rarp_mac, &p->u64, sizeof(d->rarp_mac));
		d->rarps++;
		return 0;
	case VHU_SET_VRING_KICK:
	case VHU_SET_VRING_CALL:
	case VHU_SET_VRING_ERR:
		return set_vring_fd(d, msg, fds, nfds);
	case VHU_SET_VRING_ENABLE:
		vq = vring(d, p->state.index);
		if (!vq || p->state.num > 1)
			return -EINVAL;
		vq->enabled = p->state.num;
		log_info("vring %u %s", vq->index,
			 vq->enabled ? "enabled" : "disabled");
		return 0;
	default:
		/* Not offered (logging, RARP, MTU, back-end requests...). */
		log_warn("%s (%u) not supported",
			 vhost_user_request_name(msg->hdr.request),
			 msg->hdr.request);
		return -ENOTSUP;
	}
}

int vhost_user_dispatch(struct vhost_dev *d, const struct vhu_msg *msg,
			int *fds, unsigned int nfds, struct vhu_msg *reply)
{
	bool has_reply = false;
	int err;

	if ((msg->hdr.flags & VHU_FLAG_VERSION_MASK) != VHU_VERSION ||
	    msg->hdr.flags & VHU_FLAG_REPLY ||
	    msg->hdr.size > sizeof(msg->payload) ||
	    msg->hdr.size < min_payload(msg->hdr.request)) {
		log_warn("malformed %s: flags 0x%x size %u",
			 vhost_user_request_name(msg->hdr.request),
			 msg->hdr.flags, msg->hdr.size);
		close_fds(fds, nfds);
		return -1;
	}
	log_dbg("%s", vhost_user_request_name(msg->hdr.request));
	memset(&reply->hdr, 0, sizeof(reply->hdr));
	reply->hdr.request = msg->hdr.request;
	reply->hdr.flags = VHU_VERSION | VHU_FLAG_REPLY;
	err = handle(d, msg, fds, nfds, reply, &has_reply);
	/* Whatever the outcome: an fd no handler kept is closed here, so no
	 * message and no error path can leak one. */
	close_fds(fds, nfds);
	if (err)
		log_warn("%s failed: %s",
			 vhost_user_request_name(msg->hdr.request),
			 strerror(-err));
	if (has_reply)
		return 1;
	/* "REPLY_ACK": a message without its own reply that asks for one
	 * gets a u64, zero for success. */
	if (msg->hdr.flags & VHU_FLAG_NEED_REPLY &&
	    d->protocol_features & (1ull << VHU_PROTOCOL_F_REPLY_ACK)) {
		reply->payload.u64 = err ? 1 : 0;
		reply->hdr.size = sizeof(uint64_t);
		return 1;
	}
	return 0;
}
