// SPDX-License-Identifier: GPL-2.0
/*
 * A frame made from a description (struct xbr_frame_spec), for xbr trace:
 * Ethernet, an 802.1ad S-tag and an 802.1Q tag if asked, then ARP, IPv4 or
 * IPv6 with ICMP, TCP or UDP, checksums complete, padded to a size.
 */
#include <errno.h>
#include <string.h>
#include <arpa/inet.h>
#include "internal.h"

#define ETH_P_8021Q	0x8100
#define ETH_P_8021AD	0x88a8
#define ETH_P_IPV4	0x0800
#define ETH_P_ARP	0x0806
#define ETH_P_IPV6	0x86dd
#define IPV4_HLEN	20
#define IPV6_HLEN	40
#define ETH_ZLEN	60

static void put16(uint8_t *p, uint16_t v)
{
	p[0] = v >> 8;
	p[1] = v & 0xff;
}

/* Ones' complement sum of @len bytes in network order, not folded. */
static uint32_t sum16(const uint8_t *p, size_t len, uint32_t sum)
{
	size_t i;

	for (i = 0; i + 1 < len; i += 2)
		sum += (uint32_t)p[i] << 8 | p[i + 1];
	if (len & 1)
		sum += (uint32_t)p[len - 1] << 8;
	return sum;
}

static uint16_t csum_fold(uint32_t sum)
{
	while (sum >> 16)
		sum = (sum & 0xffff) + (sum >> 16);
	return (uint16_t)~sum;
}

static size_t eth_build(const struct xbr_frame_spec *s, uint8_t *b, uint16_t proto)
{
	size_t len = 12;

	memcpy(b, s->dst, 6);
	memcpy(b + 6, s->src, 6);
	if (s->stag) {
		put16(b + len, ETH_P_8021AD);
		put16(b + len + 2, s->stag);
		len += 4;
	}
	if (s->vlan) {
		put16(b + len, ETH_P_8021Q);
		put16(b + len + 2, s->vlan);
		len += 4;
	}
	put16(b + len, proto);
	return len + 2;
}

static void arp_build(const struct xbr_frame_spec *s, uint8_t *a)
{
	put16(a, 1);			/* Ethernet */
	put16(a + 2, ETH_P_IPV4);
	a[4] = 6;
	a[5] = 4;
	put16(a + 6, s->arp_op ? s->arp_op : 1);
	memcpy(a + 8, s->src, 6);
	memcpy(a + 14, s->saddr, 4);
	if (s->arp_op == 2)
		memcpy(a + 18, s->dst, 6);
	memcpy(a + 24, s->daddr, 4);
}

/* The L4 header at @l4 with @paylen bytes of payload behind it; its length. */
static size_t l4_build(const struct xbr_frame_spec *s, uint8_t *l4, size_t paylen,
		       size_t *csum_off)
{
	size_t hl;

	switch (s->l4proto) {
	case IPPROTO_TCP:
		hl = 20;
		put16(l4, s->sport);
		put16(l4 + 2, s->dport);
		l4[12] = 5 << 4;
		l4[13] = s->tcp_flags ? s->tcp_flags : 0x02;	/* SYN */
		put16(l4 + 14, 64240);
		*csum_off = 16;
		break;
	case IPPROTO_UDP:
		hl = 8;
		put16(l4, s->sport);
		put16(l4 + 2, s->dport);
		put16(l4 + 4, (uint16_t)(hl + paylen));
		*csum_off = 6;
		break;
	case IPPROTO_ICMP:
	case IPPROTO_ICMPV6:
		hl = 8;
		l4[0] = s->icmp_type;
		*csum_off = 2;
		break;
	default:
		hl = 0;
		*csum_off = 0;
	}
	memset(l4 + hl, 0, paylen);
	return hl + paylen;
}

/* IPv4 or IPv6 and what it carries, filling @room bytes. */
static void ip_build(const struct xbr_frame_spec *s, uint8_t *ip, size_t room)
{
	size_t hlen = s->l3 == XBR_FRAME_IPV6 ? IPV6_HLEN : IPV4_HLEN;
	size_t hl4 = s->l4proto == IPPROTO_TCP ? 20 : s->l4proto ? 8 : 0;
	size_t paylen = room - hlen - hl4;	/* headers_len() made room */
	size_t l4len, csum_off;
	uint8_t *l4 = ip + hlen;
	uint32_t pseudo;
	uint16_t csum;

	l4len = l4_build(s, l4, paylen, &csum_off);
	if (s->l3 == XBR_FRAME_IPV4) {
		ip[0] = 0x45;
		put16(ip + 2, (uint16_t)(hlen + l4len));
		put16(ip + 6, 0x4000);		/* DF */
		ip[8] = 64;
		ip[9] = s->l4proto;
		memcpy(ip + 12, s->saddr, 4);
		memcpy(ip + 16, s->daddr, 4);
		put16(ip + 10, csum_fold(sum16(ip, hlen, 0)));
		pseudo = sum16(ip + 12, 8, 0);
	} else {
		ip[0] = 0x60;
		put16(ip + 4, (uint16_t)l4len);
		ip[6] = s->l4proto;
		ip[7] = s->l4proto == IPPROTO_ICMPV6 ? 255 : 64;
		memcpy(ip + 8, s->saddr, 16);
		memcpy(ip + 24, s->daddr, 16);
		pseudo = sum16(ip + 8, 32, 0);
	}
	if (csum_off) {
		/* ICMPv4 sums no pseudo-header. */
		if (s->l4proto == IPPROTO_ICMP)
			pseudo = 0;
		else
			pseudo += s->l4proto + (uint32_t)l4len;
		csum = csum_fold(sum16(l4, l4len, pseudo));
		/* A UDP checksum of 0 says "none": all ones is the same sum. */
		if (!csum && s->l4proto == IPPROTO_UDP)
			csum = 0xffff;
		put16(l4 + csum_off, csum);
	}
}

/* The bytes of the headers @s asks for. */
static size_t headers_len(const struct xbr_frame_spec *s)
{
	size_t len = 14 + (s->stag ? 4 : 0) + (s->vlan ? 4 : 0);

	if (s->l3 == XBR_FRAME_ARP)
		return len + 28;
	if (s->l3 != XBR_FRAME_IPV4 && s->l3 != XBR_FRAME_IPV6)
		return len;
	len += s->l3 == XBR_FRAME_IPV6 ? IPV6_HLEN : IPV4_HLEN;
	if (s->l4proto == IPPROTO_TCP)
		return len + 20;
	return len + (s->l4proto ? 8 : 0);
}

int xbr_frame_build(const struct xbr_frame_spec *s, uint8_t *buf, size_t size)
{
	size_t need = headers_len(s), want = s->size, len;
	uint16_t proto;

	if (!want)
		want = need > ETH_ZLEN ? need : ETH_ZLEN;
	if (want < need || want > size)
		return xbr_err(-EINVAL, "a frame of %zu bytes: its headers take %zu, and %zu is "
			       "the most", want, need, size);
	switch (s->l3) {
	case XBR_FRAME_ARP:
		proto = ETH_P_ARP;
		break;
	case XBR_FRAME_IPV4:
		proto = ETH_P_IPV4;
		break;
	case XBR_FRAME_IPV6:
		proto = ETH_P_IPV6;
		break;
	default:
		proto = s->ethertype;
	}
	memset(buf, 0, want);
	len = eth_build(s, buf, proto);
	if (s->l3 == XBR_FRAME_ARP)
		arp_build(s, buf + len);
	else if (s->l3 == XBR_FRAME_IPV4 || s->l3 == XBR_FRAME_IPV6)
		ip_build(s, buf + len, want - len);
	return (int)want;
}
