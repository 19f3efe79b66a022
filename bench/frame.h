/* SPDX-License-Identifier: GPL-2.0 */
#ifndef XBR_BENCH_FRAME_H
#define XBR_BENCH_FRAME_H

#include <stddef.h>
#include <linux/types.h>

struct frame_spec {
	unsigned int size;	/* on the wire with FCS, as in RFC 2544: 64..1518 */
	__u8 src_mac[6];
	__u8 dst_mac[6];
	__be32 src_ip;
	__be32 dst_ip;
	__u16 src_port;
	__u16 dst_port;
};

/* Writes the template frame (size - 4 bytes: the FCS is the NIC's) into
 * buf. Returns its length or -EINVAL. */
int frame_build(const struct frame_spec *spec, void *buf, size_t buflen);


#endif
