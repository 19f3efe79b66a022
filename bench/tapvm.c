// SPDX-License-Identifier: GPL-2.0
/*
 * The VM side of a tap, as QEMU without vhost-net drives it (see
 * tapvm.h): what the benchmark's "VMs" write into and read from their taps.
 */
#define _GNU_SOURCE
#include <endian.h>
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <sched.h>
#include <stdio.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <arpa/inet.h>
#include <net/if.h>
#include <sys/epoll.h>
#include <sys/ioctl.h>
#include <sys/uio.h>
#include <linux/if_ether.h>
#include <linux/if_tun.h>
#include <linux/ip.h>
#include <linux/icmp.h>
#include <linux/virtio_net.h>
#include "bench.h"
#include "tapvm.h"

_Static_assert(sizeof(struct virtio_net_hdr_v1) == TAPVM_HDR_LEN,
	       "virtio_net_hdr_v1 is the header of a VERSION_1 guest");

int tapvm_open(const char *dev)
{
	struct ifreq ifr = { .ifr_flags = IFF_TAP | IFF_NO_PI | IFF_VNET_HDR };
	/* What QEMU announces for a guest with checksum offload and TSO: the
	 * tap may then hand it partial checksums and super-frames. */
	unsigned int offload = TUN_F_CSUM | TUN_F_TSO4 | TUN_F_TSO6;
	int hdr_len = TAPVM_HDR_LEN, fd, err;

	if (strlen(dev) >= IFNAMSIZ)
		return -ENAMETOOLONG;
	/* Non-blocking, as QEMU opens it: tun runs native XDP only on frames
	 * written without blocking (tun_can_build_skb()). */
	fd = open("/dev/net/tun", O_RDWR | O_NONBLOCK | O_CLOEXEC);
	if (fd < 0)
		return -errno;
	memcpy(ifr.ifr_name, dev, strlen(dev));
	if (ioctl(fd, TUNSETIFF, &ifr) || ioctl(fd, TUNSETVNETHDRSZ, &hdr_len) ||
	    ioctl(fd, TUNSETOFFLOAD, offload)) {
		err = -errno;
		close(fd);
		return err;
	}
	return fd;
}

void tapvm_hdr(void *hdr, void *frame, size_t len, enum tapvm_csum csum)
{
	struct virtio_net_hdr_v1 *h = hdr;

	memset(h, 0, sizeof(*h));
	frame_udp_csum(frame, len, csum == TAPVM_CSUM_PARTIAL);
	if (csum == TAPVM_CSUM_PARTIAL) {
		h->flags = VIRTIO_NET_HDR_F_NEEDS_CSUM;
		h->csum_start = htole16(sizeof(struct ethhdr) + sizeof(struct iphdr));
		h->csum_offset = htole16(6);	/* offsetof(struct udphdr, check) */
	}
}

int tapvm_write(int fd, const void *hdr, const void *frame, size_t len)
{
	struct iovec iov[2] = {
		{ .iov_base = (void *)hdr, .iov_len = TAPVM_HDR_LEN },
		{ .iov_base = (void *)frame, .iov_len = len },
	};

	return writev(fd, iov, 2) < 0 ? -errno : 0;
}

/* --- the reading half --------------------------------------------------- */

static int is_generated(const __u8 *eth, size_t len)
{
	const struct iphdr *ip = (const void *)(eth + ETH_HLEN);
	__be32 magic;

	if (len < BENCH_MIN_FRAME || eth[12] != 0x08 || eth[13] != 0x00 ||
	    ip->ihl != 5 || ip->protocol != IPPROTO_UDP)
		return 0;
	memcpy(&magic, eth + BENCH_HDR_LEN, sizeof(magic));
	return magic == htonl(BENCH_MAGIC);
}

/* Turns an ICMP echo request into its reply in place; 0 if it was none. */
static int echo_reply(__u8 *eth, size_t len)
{
	struct iphdr *ip = (void *)(eth + ETH_HLEN);
	struct icmphdr *icmp = (void *)(ip + 1);
	__u8 mac[ETH_ALEN];
	__be32 addr;
	__u32 sum;

	if (len < ETH_HLEN + sizeof(*ip) + sizeof(*icmp) || eth[12] != 0x08 ||
	    eth[13] != 0x00 || ip->ihl != 5 || ip->protocol != IPPROTO_ICMP ||
	    icmp->type != ICMP_ECHO)
		return 0;
	memcpy(mac, eth, ETH_ALEN);
	memcpy(eth, eth + ETH_ALEN, ETH_ALEN);
	memcpy(eth + ETH_ALEN, mac, ETH_ALEN);
	addr = ip->saddr;
	ip->saddr = ip->daddr;
	ip->daddr = addr;
	icmp->type = ICMP_ECHOREPLY;
	/* RFC 1624: the type byte went from 8 to 0. */
	sum = (__u16)~ntohs(icmp->checksum) + (__u16)~(ICMP_ECHO << 8) +
	      (ICMP_ECHOREPLY << 8);
	sum = (sum & 0xffff) + (sum >> 16);
	sum = (sum & 0xffff) + (sum >> 16);
	icmp->checksum = htons((__u16)~sum);
	return 1;
}

/* read() until the tap is empty, as QEMU's tap_send() does. */
static void drain(struct tapvm_reader *r, int i, __u8 *buf, size_t size)
{
	static const __u8 no_offload[TAPVM_HDR_LEN];
	ssize_t n;

	while ((n = read(r->fd[i], buf, size)) >= 0) {
		__u8 *eth = buf + TAPVM_HDR_LEN;
		size_t len = n > TAPVM_HDR_LEN ? n - TAPVM_HDR_LEN : 0;

		if (is_generated(eth, len)) {
			atomic_fetch_add_explicit(&r->count[i].frames, 1,
						  memory_order_relaxed);
			atomic_fetch_add_explicit(&r->count[i].bytes, len,
						  memory_order_relaxed);
		} else if (r->echo && echo_reply(eth, len) &&
			   !tapvm_write(r->fd[i], no_offload, eth, len)) {
			atomic_fetch_add_explicit(&r->echoed, 1,
						  memory_order_relaxed);
		}
	}
}

static void *reader_main(void *arg)
{
	static __u8 buf[TAPVM_HDR_LEN + 65536];
	struct tapvm_reader *r = arg;
	struct epoll_event ev[TAPVM_MAX_TAPS];
	int n, i;

	if (r->cpu >= 0) {
		cpu_set_t set;

		CPU_ZERO(&set);
		CPU_SET(r->cpu, &set);
		sched_setaffinity(0, sizeof(set), &set);
	}
	while (!atomic_load(&r->stop)) {
		n = epoll_wait(r->epfd, ev, TAPVM_MAX_TAPS, 100);
		for (i = 0; i < n; i++)
			drain(r, ev[i].data.u32, buf, sizeof(buf));
	}
	return NULL;
}

int tapvm_reader_init(struct tapvm_reader *r, int cpu, int echo)
{
	memset(r, 0, sizeof(*r));
	r->cpu = cpu;
	r->echo = echo;
	r->epfd = epoll_create1(EPOLL_CLOEXEC);
	return r->epfd < 0 ? -errno : 0;
}

int tapvm_reader_add(struct tapvm_reader *r, int fd)
{
	struct epoll_event ev = { .events = EPOLLIN, .data.u32 = r->nr };

	if (r->nr == TAPVM_MAX_TAPS || r->running)
		return -ENOSPC;
	if (epoll_ctl(r->epfd, EPOLL_CTL_ADD, fd, &ev))
		return -errno;
	r->fd[r->nr] = fd;
	return r->nr++;
}

int tapvm_reader_start(struct tapvm_reader *r)
{
	int err = pthread_create(&r->thread, NULL, reader_main, r);

	if (err)
		return -err;
	r->running = 1;
	return 0;
}

__u64 tapvm_reader_cpu_ns(const struct tapvm_reader *r)
{
	struct timespec ts;
	clockid_t clk;

	if (!r->running || pthread_getcpuclockid(r->thread, &clk) ||
	    clock_gettime(clk, &ts))
		return 0;
	return (__u64)ts.tv_sec * 1000000000ull + ts.tv_nsec;
}

void tapvm_reader_stop(struct tapvm_reader *r)
{
	int i;

	if (r->running) {
		atomic_store(&r->stop, 1);
		pthread_join(r->thread, NULL);
		r->running = 0;
	}
	for (i = 0; i < r->nr; i++)
		close(r->fd[i]);
	r->nr = 0;
	if (r->epfd >= 0)
		close(r->epfd);
	r->epfd = -1;
}
