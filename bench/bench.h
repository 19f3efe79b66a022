/* SPDX-License-Identifier: (GPL-2.0 OR BSD-2-Clause) */
/*
 * What the benchmark's BPF programs and its user space tools share: the
 * signature that marks a generated frame and the sink's counters.
 */
#ifndef XBR_BENCH_H
#define XBR_BENCH_H

#include <linux/types.h>

/*
 * First four bytes of every generated UDP payload. The sink counts and
 * drops only frames that carry it, so ARP, pings and TCP through the same
 * veth still reach the stack while a sink is attached.
 */
#define BENCH_MAGIC		0x78627242	/* "xbrB" */

/* Generated frames are IPv4 without options + UDP + payload. */
#define BENCH_HDR_LEN		(14 + 20 + 8)
#define BENCH_MIN_FRAME		(BENCH_HDR_LEN + 4)

/* Flow i sets the low 16 bits of both MACs and adds i to both UDP ports. */
#define BENCH_MAX_FLOWS		65536

/* The sink's single counter slot, per CPU. */
struct bench_count {
	__u64 frames;
	__u64 bytes;	/* Ethernet frame bytes without FCS */
};

#endif /* XBR_BENCH_H */
