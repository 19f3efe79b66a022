/* SPDX-License-Identifier: GPL-2.0 */
#ifndef XBR_BENCH_TAPVM_H
#define XBR_BENCH_TAPVM_H

#include <pthread.h>
#include <stdatomic.h>
#include <stddef.h>
#include <linux/types.h>
#include "frame.h"

/*
 * The VM side of a tap, driven the way QEMU's userspace virtio-net
 * (net/tap.c) drives one: /dev/net/tun opened O_NONBLOCK with
 * IFF_TAP | IFF_NO_PI | IFF_VNET_HDR, the 12-byte header of a VERSION_1
 * guest (struct virtio_net_hdr_v1, TUNSETVNETHDRSZ) in front of every
 * frame, offloads announced as a guest with checksum offload and TSO does
 * (TUNSETOFFLOAD), one writev() per frame out, one read() per frame in
 * until EAGAIN, then poll. vhost-net would batch instead, but this kernel
 * has no vhost-net (CONFIG_VHOST_NET is off), so this is the only way a
 * VM here hands a tap its frames.
 */
#define TAPVM_HDR_LEN	12

/* Attaches to the existing tap DEV of the current namespace. Returns an
 * fd or -errno. */
int tapvm_open(const char *dev);

enum tapvm_csum {
	TAPVM_CSUM_COMPLETE,	/* the guest checksummed: no flags */
	TAPVM_CSUM_PARTIAL,	/* VIRTIO_NET_HDR_F_NEEDS_CSUM, pseudo sum */
};

/* The virtio-net header for a template frame of the generator (UDP at
 * offset 34) written with CSUM; also gives the frame that checksum. */
void tapvm_hdr(void *hdr, void *frame, size_t len, enum tapvm_csum csum);

/* One frame out: header and frame in one writev(). Returns 0 or -errno. */
int tapvm_write(int fd, const void *hdr, const void *frame, size_t len);

/*
 * The reading half: one thread drains every tap it was given, counting
 * the generator's frames per tap, as many guests behind their QEMUs would
 * (one reader here, so the VMs share its CPU). With echo set it also
 * answers ICMP echo requests, turning each tap into a host to ping.
 */
#define TAPVM_MAX_TAPS	32

struct tapvm_count {
	_Atomic __u64 frames;
	_Atomic __u64 bytes;	/* Ethernet bytes without FCS */
};

struct tapvm_reader {
	int epfd;
	int nr;
	int fd[TAPVM_MAX_TAPS];
	struct tapvm_count count[TAPVM_MAX_TAPS];
	_Atomic __u64 echoed;
	int echo;
	int cpu;		/* pin the thread there; -1: anywhere */
	atomic_int stop;
	pthread_t thread;
	int running;
};

/* Before tapvm_reader_start(): adds FD, returns its index or -errno. */
int tapvm_reader_add(struct tapvm_reader *r, int fd);
int tapvm_reader_init(struct tapvm_reader *r, int cpu, int echo);
int tapvm_reader_start(struct tapvm_reader *r);
/* CPU time the reading thread has used so far, in ns. */
__u64 tapvm_reader_cpu_ns(const struct tapvm_reader *r);
void tapvm_reader_stop(struct tapvm_reader *r);

#endif
