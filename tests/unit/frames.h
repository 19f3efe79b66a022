/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Crafted Ethernet frames for the unit tests: Ethernet (+802.1Q), ARP,
 * IPv4/IPv6 with ICMP, TCP or UDP, with the L4 checksum complete, left for
 * offload (the pseudo-header sum a guest with checksum offload hands its
 * tap) or wrong.
 */
#ifndef XBR_UNIT_FRAMES_H
#define XBR_UNIT_FRAMES_H

#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <arpa/inet.h>

#define FRAME_MAX	2048

struct frame {
	uint8_t b[FRAME_MAX];
	size_t len;
	size_t l3;		/* offset of the IP header */
	size_t l4;		/* offset of the L4 header, 0 if none */
	size_t csum;		/* offset of the L4 checksum field, 0 if none */
};

enum csum_mode {
	CS_GOOD,		/* complete and correct */
	CS_PSEUDO,		/* folded pseudo-header sum: left for offload */
	CS_BAD,			/* neither */
	CS_ZERO,		/* 0 (IPv4 UDP: no checksum) */
};

static inline void put16(uint8_t *p, uint16_t v)
{
	p[0] = v >> 8;
	p[1] = v & 0xff;
}

static inline uint16_t get16(const uint8_t *p)
{
	return (uint16_t)(p[0] << 8 | p[1]);
}

/* Ones' complement sum in network order words, not folded. */
static inline uint32_t sum16(const uint8_t *p, size_t len, uint32_t sum)
{
	size_t i;

	for (i = 0; i + 1 < len; i += 2)
		sum += get16(p + i);
	if (len & 1)
		sum += (uint32_t)p[len - 1] << 8;
	return sum;
}

static inline uint16_t fold16(uint32_t sum)
{
	while (sum >> 16)
		sum = (sum & 0xffff) + (sum >> 16);
	return (uint16_t)sum;
}

/* Ethernet header; @vlan != 0 inserts an 802.1Q tag with that VID. */
static inline void frame_eth(struct frame *f, const uint8_t dst[6], const uint8_t src[6],
			     uint16_t proto, uint16_t vlan)
{
	memset(f, 0, sizeof(*f));
	memcpy(f->b, dst, 6);
	memcpy(f->b + 6, src, 6);
	f->len = 12;
	if (vlan) {
		put16(f->b + f->len, 0x8100);
		put16(f->b + f->len + 2, vlan);
		f->len += 4;
	}
	put16(f->b + f->len, proto);
	f->len += 2;
	f->l3 = f->len;
}

/* Insert an outer VLAN tag (TPID @tpid) after the MAC addresses. */
static inline void frame_push_tag(struct frame *f, uint16_t tpid, uint16_t vid)
{
	memmove(f->b + 16, f->b + 12, f->len - 12);
	put16(f->b + 12, tpid);
	put16(f->b + 14, vid);
	f->len += 4;
	f->l3 += 4;
	if (f->l4)
		f->l4 += 4;
	if (f->csum)
		f->csum += 4;
}

/* Pad with a recognisable pattern to @len bytes (no-op if longer). */
static inline void frame_pad(struct frame *f, size_t len)
{
	while (f->len < len && f->len < FRAME_MAX) {
		f->b[f->len] = (uint8_t)(0xa0 + f->len);
		f->len++;
	}
}

/* A frame of an EtherType nobody parses (IEEE local experimental). */
static inline void frame_raw(struct frame *f, const uint8_t dst[6], const uint8_t src[6],
			     size_t len)
{
	frame_eth(f, dst, src, 0x88b5, 0);
	frame_pad(f, len);
}

static inline void frame_arp(struct frame *f, const uint8_t dst[6], const uint8_t src[6],
			     uint16_t op)
{
	uint8_t *a;

	frame_eth(f, dst, src, 0x0806, 0);
	a = f->b + f->len;
	put16(a, 1);			/* Ethernet */
	put16(a + 2, 0x0800);
	a[4] = 6;
	a[5] = 4;
	put16(a + 6, op);
	memcpy(a + 8, src, 6);
	a[14] = 10; a[15] = 0; a[16] = 0; a[17] = 1;
	if (op == 2)
		memcpy(a + 18, dst, 6);
	a[24] = 10; a[25] = 0; a[26] = 0; a[27] = 2;
	f->len += 28;
	frame_pad(f, 60);
}

/* Set the L4 checksum of an IPv4/IPv6 frame whose pseudo-header sum is
 * @pseudo (not folded, protocol and length included). */
static inline void frame_l4_csum(struct frame *f, uint32_t pseudo, size_t l4len,
				 enum csum_mode mode, int udp)
{
	uint8_t *field = f->b + f->csum;
	uint16_t c;

	put16(field, 0);
	switch (mode) {
	case CS_GOOD:
		c = (uint16_t)~fold16(sum16(f->b + f->l4, l4len, pseudo));
		if (udp && c == 0)
			c = 0xffff;
		put16(field, c);
		break;
	case CS_PSEUDO:
		put16(field, fold16(pseudo));
		break;
	case CS_BAD:
		c = (uint16_t)~fold16(sum16(f->b + f->l4, l4len, pseudo));
		put16(field, (uint16_t)(c ^ 0x5a5a));
		break;
	case CS_ZERO:
		break;
	}
}

/* L4 header + payload at f->l4 for protocol @proto with @paylen bytes of
 * payload; returns the L4 length. */
static inline size_t frame_l4(struct frame *f, uint8_t proto, size_t paylen)
{
	uint8_t *l4 = f->b + f->l4;
	size_t hl, i;

	switch (proto) {
	case 6:		/* TCP */
		hl = 20;
		put16(l4, 40000);
		put16(l4 + 2, 5201);
		put16(l4 + 4, 0x1234);	/* seq */
		l4[12] = 5 << 4;
		l4[13] = 0x18;		/* PSH|ACK */
		put16(l4 + 14, 64240);
		f->csum = f->l4 + 16;
		break;
	case 17:	/* UDP */
		hl = 8;
		put16(l4, 40000);
		put16(l4 + 2, 4789);
		put16(l4 + 4, (uint16_t)(8 + paylen));
		f->csum = f->l4 + 6;
		break;
	case 1:		/* ICMP echo */
	case 58:	/* ICMPv6 echo */
		hl = 8;
		l4[0] = proto == 1 ? 8 : 128;
		put16(l4 + 4, 0x77);
		put16(l4 + 6, 1);
		f->csum = f->l4 + 2;
		break;
	default:
		hl = 0;
		f->csum = 0;
	}
	for (i = 0; i < paylen; i++)
		l4[hl + i] = (uint8_t)(i * 7 + 1);
	return hl + paylen;
}

/* IPv4 frame carrying @proto; ICMP always gets a correct checksum. */
static inline void frame_ip4(struct frame *f, const uint8_t dst[6], const uint8_t src[6],
			     uint16_t vlan, uint8_t proto, size_t paylen, enum csum_mode mode)
{
	static const uint8_t saddr[4] = { 10, 0, 0, 1 }, daddr[4] = { 10, 0, 0, 2 };
	uint8_t *ip;
	size_t l4len;
	uint32_t pseudo;

	frame_eth(f, dst, src, 0x0800, vlan);
	ip = f->b + f->l3;
	f->l4 = f->l3 + 20;
	l4len = frame_l4(f, proto, paylen);
	ip[0] = 0x45;
	put16(ip + 2, (uint16_t)(20 + l4len));
	put16(ip + 4, 0x4242);
	put16(ip + 6, 0x4000);		/* DF */
	ip[8] = 64;
	ip[9] = proto;
	memcpy(ip + 12, saddr, 4);
	memcpy(ip + 16, daddr, 4);
	put16(ip + 10, (uint16_t)~fold16(sum16(ip, 20, 0)));
	f->len = f->l4 + l4len;
	if (proto == 1) {
		put16(f->b + f->csum, (uint16_t)~fold16(sum16(f->b + f->l4, l4len, 0)));
	} else if (f->csum) {
		pseudo = sum16(saddr, 4, 0) + sum16(daddr, 4, 0) + proto + (uint32_t)l4len;
		frame_l4_csum(f, pseudo, l4len, mode, proto == 17);
	}
	frame_pad(f, 60);
}

/* IPv6 frame carrying @proto, optionally behind a hop-by-hop header. */
static inline void frame_ip6(struct frame *f, const uint8_t dst[6], const uint8_t src[6],
			     uint8_t proto, size_t paylen, enum csum_mode mode, int hbh)
{
	uint8_t *ip;
	size_t l4len, ext = hbh ? 8 : 0;
	uint32_t pseudo;

	frame_eth(f, dst, src, 0x86dd, 0);
	ip = f->b + f->l3;
	ip[0] = 0x60;
	ip[6] = hbh ? 0 : proto;
	ip[7] = 64;
	ip[8] = 0xfd; ip[23] = 1;		/* fd00::1 */
	ip[24] = 0xfd; ip[39] = 2;		/* fd00::2 */
	if (hbh) {
		uint8_t *h = ip + 40;

		h[0] = proto;
		h[1] = 0;
		h[2] = 1;	/* PadN, 4 bytes of padding */
		h[3] = 4;
	}
	f->l4 = f->l3 + 40 + ext;
	l4len = frame_l4(f, proto, paylen);
	put16(ip + 4, (uint16_t)(ext + l4len));
	f->len = f->l4 + l4len;
	pseudo = sum16(ip + 8, 32, 0) + proto + (uint32_t)l4len;
	if (f->csum)
		frame_l4_csum(f, pseudo, l4len, mode == CS_ZERO ? CS_GOOD : mode, proto == 17);
	frame_pad(f, 60);
}

/* IPv4: set the flags and fragment offset field (host order), header
 * checksum redone. */
static inline void frame_ip4_frag(struct frame *f, uint16_t frag_off)
{
	uint8_t *ip = f->b + f->l3;

	put16(ip + 6, frag_off);
	put16(ip + 10, 0);
	put16(ip + 10, (uint16_t)~fold16(sum16(ip, 20, 0)));
}

/* IPv4 UDP from @saddr:@sport to @daddr:@dport, 32 bytes of payload,
 * checksums complete. */
static inline void frame_udp4(struct frame *f, const uint8_t dst[6], const uint8_t src[6],
			      const uint8_t saddr[4], const uint8_t daddr[4], uint16_t sport,
			      uint16_t dport)
{
	uint8_t *ip, *udp;
	size_t l4len = 8 + 32;
	uint32_t pseudo;

	frame_ip4(f, dst, src, 0, 17, 32, CS_GOOD);
	ip = f->b + f->l3;
	udp = f->b + f->l4;
	memcpy(ip + 12, saddr, 4);
	memcpy(ip + 16, daddr, 4);
	put16(ip + 10, 0);
	put16(ip + 10, (uint16_t)~fold16(sum16(ip, 20, 0)));
	put16(udp, sport);
	put16(udp + 2, dport);
	pseudo = sum16(saddr, 4, 0) + sum16(daddr, 4, 0) + 17 + (uint32_t)l4len;
	frame_l4_csum(f, pseudo, l4len, CS_GOOD, 1);
}

/* IPv6 UDP from fd00::1 port @sport to fd00::2 port @dport, behind @hbh
 * hop-by-hop headers (0-5), checksum complete. */
static inline void frame_udp6(struct frame *f, const uint8_t dst[6], const uint8_t src[6],
			      uint16_t sport, uint16_t dport, int hbh)
{
	uint8_t *ip, *udp, *h;
	size_t l4len = 8 + 32, ext = (size_t)hbh * 8, i;
	uint32_t pseudo;

	frame_eth(f, dst, src, 0x86dd, 0);
	ip = f->b + f->l3;
	ip[0] = 0x60;
	ip[6] = hbh ? 0 : 17;
	ip[7] = 64;
	ip[8] = 0xfd; ip[23] = 1;
	ip[24] = 0xfd; ip[39] = 2;
	for (i = 0; i < (size_t)hbh; i++) {
		h = ip + 40 + i * 8;
		/* Hop-by-hop may only come first: the others are
		 * destination options headers. */
		h[0] = i + 1 < (size_t)hbh ? 60 : 17;
		h[1] = 0;
		h[2] = 1;	/* PadN, 4 bytes of padding */
		h[3] = 4;
	}
	f->l4 = f->l3 + 40 + ext;
	udp = f->b + f->l4;
	l4len = frame_l4(f, 17, 32);
	put16(udp, sport);
	put16(udp + 2, dport);
	put16(ip + 4, (uint16_t)(ext + l4len));
	f->len = f->l4 + l4len;
	pseudo = sum16(ip + 8, 32, 0) + 17 + (uint32_t)l4len;
	frame_l4_csum(f, pseudo, l4len, CS_GOOD, 1);
	frame_pad(f, 60);
}

/* ARP: set the sender hardware and protocol addresses (frame_arp makes
 * them the Ethernet source and 10.0.0.1). */
static inline void frame_arp_sender(struct frame *f, const uint8_t sha[6], const uint8_t spa[4])
{
	memcpy(f->b + f->l3 + 8, sha, 6);
	memcpy(f->b + f->l3 + 14, spa, 4);
}

/* IPv4: a new source address, header checksum redone (an ICMP checksum
 * does not cover it; a TCP/UDP one is left stale). */
static inline void frame_ip4_src(struct frame *f, const uint8_t saddr[4])
{
	uint8_t *ip = f->b + f->l3;

	memcpy(ip + 12, saddr, 4);
	put16(ip + 10, 0);
	put16(ip + 10, (uint16_t)~fold16(sum16(ip, 20, 0)));
}

/*
 * ICMPv6 from @saddr to @daddr: an echo request (@type 128) or a neighbour
 * solicitation/advertisement (135/136) for @target, hop limit 255,
 * optionally behind a hop-by-hop header; checksum complete.
 */
static inline void frame_icmp6(struct frame *f, const uint8_t dst[6], const uint8_t src[6],
			       const uint8_t saddr[16], const uint8_t daddr[16], uint8_t type,
			       const uint8_t target[16], int hbh)
{
	uint8_t *ip, *l4;
	size_t ext = hbh ? 8 : 0, l4len = 24;
	uint32_t pseudo;

	frame_eth(f, dst, src, 0x86dd, 0);
	ip = f->b + f->l3;
	ip[0] = 0x60;
	ip[6] = hbh ? 0 : 58;
	ip[7] = 255;
	memcpy(ip + 8, saddr, 16);
	memcpy(ip + 24, daddr, 16);
	if (hbh) {
		uint8_t *h = ip + 40;

		h[0] = 58;
		h[1] = 0;
		h[2] = 1;	/* PadN, 4 bytes of padding */
		h[3] = 4;
	}
	f->l4 = f->l3 + 40 + ext;
	l4 = f->b + f->l4;
	l4[0] = type;
	if (type == 136)
		l4[4] = 0x20;	/* override */
	if (type == 135 || type == 136)
		memcpy(l4 + 8, target, 16);
	else
		put16(l4 + 4, 0x77);
	put16(ip + 4, (uint16_t)(ext + l4len));
	f->csum = f->l4 + 2;
	f->len = f->l4 + l4len;
	pseudo = sum16(ip + 8, 32, 0) + 58 + (uint32_t)l4len;
	put16(f->b + f->csum, (uint16_t)~fold16(sum16(l4, l4len, pseudo)));
	frame_pad(f, 60);
}

#endif
