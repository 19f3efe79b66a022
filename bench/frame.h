/* SPDX-License-Identifier: GPL-2.0 */
#ifndef XBR_BENCH_FRAME_H
#define XBR_BENCH_FRAME_H

#include <stddef.h>
#include <linux/types.h>

struct frame_spec {
	unsigned int size;	/* on the wire with FCS, as in RFC 2544: 64..9018 */
	__u8 src_mac[6];
	__u8 dst_mac[6];
	__be32 src_ip;
	__be32 dst_ip;
	__u16 src_port;
	__u16 dst_port;
};

#define FRAME_MAX_SIZE	9018	/* a 9000-byte MTU's frame with FCS */

/* Writes the template frame (size - 4 bytes: the FCS is the NIC's) into
 * buf. Returns its length or -EINVAL. */
int frame_build(const struct frame_spec *spec, void *buf, size_t buflen);

/* Gives the template frame of LEN bytes (as frame_build() wrote it, ports
 * rewritten or not) a UDP checksum: the complete one, or, if PARTIAL, only
 * the folded pseudo-header sum a sender with checksum offload leaves for
 * the NIC to finish (csum_start 34, csum_offset 6). */
void frame_udp_csum(void *frame, size_t len, int partial);


#endif
