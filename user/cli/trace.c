// SPDX-License-Identifier: GPL-2.0
/*
 * xbr trace BRIDGE dev DEV src MAC dst MAC ...: what the bridge would do
 * with a frame entering by DEV, step by step, from its current FDB, VLANs,
 * port security and link states. Nothing is learned, counted or sent.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <stdlib.h>
#include <net/if.h>
#include <netinet/in.h>
#include <stddef.h>
#include <stdio.h>
#include <string.h>
#include "cli.h"

#define TRACE_FRAME_MAX	16384

struct trace_cmd {
	const char *dev, *src, *dst, *saddr, *daddr, *icmp;
	unsigned int vlan, stag, ethertype, sport, dport, size;
	bool arp, reply, udp, tcp;
};

/* An EtherType, hex (0x88b5) or decimal: one that is no length (>= 0x600). */
static int kw_ethertype(const struct cli_kw *kw, const char *arg, void *opts)
{
	unsigned long v;
	char *end;

	errno = 0;
	v = strtoul(arg, &end, 0);
	if (errno || end == arg || *end || v < 0x600 || v > 0xffff)
		return cli_fail("invalid %s \"%s\": expected 0x0600-0xffff", kw->word, arg), -1;
	*(unsigned int *)((char *)opts + kw->off) = v;
	return 0;
}

static const struct cli_kw trace_kws[] = {
	{ "dev", "DEV", kw_string, offsetof(struct trace_cmd, dev), 0, 0, NULL,
	  "  dev DEV      the port the frame comes in by" },
	{ "src", "MAC", kw_string, offsetof(struct trace_cmd, src), 0, 0, NULL,
	  "  src, dst     its Ethernet addresses" },
	{ "dst", "MAC", kw_string, offsetof(struct trace_cmd, dst) },
	{ "vlan", "VID", kw_uint, offsetof(struct trace_cmd, vlan), 1, XBR_VID_MAX, NULL,
	  "  vlan VID     an 802.1Q tag (untagged without)" },
	{ "stag", "VID", kw_uint, offsetof(struct trace_cmd, stag), 1, XBR_VID_MAX, NULL,
	  "  stag VID     an 802.1ad S-tag outside it" },
	{ "arp", NULL, kw_flag, offsetof(struct trace_cmd, arp), 0, 0, NULL,
	  "  arp [reply]  an ARP request (reply) from saddr for daddr" },
	{ "reply", NULL, kw_flag, offsetof(struct trace_cmd, reply) },
	{ "saddr", "ADDR", kw_string, offsetof(struct trace_cmd, saddr), 0, 0, NULL,
	  "  saddr, daddr IPv4 or IPv6 source and destination: an IP packet" },
	{ "daddr", "ADDR", kw_string, offsetof(struct trace_cmd, daddr) },
	{ "udp", NULL, kw_flag, offsetof(struct trace_cmd, udp), 0, 0, NULL,
	  "  udp, tcp     its L4 protocol, from sport to dport" },
	{ "tcp", NULL, kw_flag, offsetof(struct trace_cmd, tcp) },
	{ "sport", "PORT", kw_uint, offsetof(struct trace_cmd, sport), 0, 65535 },
	{ "dport", "PORT", kw_uint, offsetof(struct trace_cmd, dport), 0, 65535 },
	{ "icmp", "TYPE", kw_string, offsetof(struct trace_cmd, icmp), 0, 0, NULL,
	  "  icmp TYPE    ICMP or ICMPv6: echo, echo-reply, rs, ra, ns, na or a number" },
	{ "ethertype", "TYPE", kw_ethertype, offsetof(struct trace_cmd, ethertype), 0, 0, NULL,
	  "  ethertype TYPE  a frame of that EtherType (0x88b5 by default) and zeroes" },
	{ "size", "BYTES", kw_uint, offsetof(struct trace_cmd, size), 14, TRACE_FRAME_MAX, NULL,
	  "  size BYTES   the frame's length without FCS (default: its headers, at least\n"
	  "               60); a frame over a port's MTU is shown as such" },
	{ 0 }
};

/* The first three rows must be given: the synopsis says so. */
#define TRACE_KWS_NEEDED	3

void trace_synopsis(FILE *f, const char *first, const char *rest)
{
	(void)rest;
	cli_synopsis(f, first, "trace BRIDGE dev DEV src MAC dst MAC",
		     trace_kws + TRACE_KWS_NEEDED);
}

static void trace_help(void)
{
	trace_synopsis(stdout, "Usage: ", NULL);
	cli_kws_help(stdout, trace_kws);
	puts("\n"
	     "  Runs the bridge's own forwarding decision on the frame (the trace program\n"
	     "  beside its XDP and tc programs) and prints each step: ingress VLAN, source\n"
	     "  checks, IP lock, first-hop guards, learning, FDB lookup, each egress port\n"
	     "  and which program (XDP or tc) would carry it. It learns, counts and sends\n"
	     "  nothing; a step that would change state says what it would do.");
}

static int parse_icmp(const char *arg, bool v6, uint8_t *type)
{
	static const struct {
		const char *word;
		uint8_t v4, v6;
	} types[] = {
		{ "echo", 8, 128 }, { "echo-reply", 0, 129 }, { "rs", 0, 133 },
		{ "ra", 0, 134 }, { "ns", 0, 135 }, { "na", 0, 136 },
	};
	unsigned int n;
	size_t i;

	for (i = 0; i < sizeof(types) / sizeof(types[0]); i++) {
		if (strcmp(arg, types[i].word))
			continue;
		if (!v6 && i >= 2)
			return cli_fail("trace: icmp %s is ICMPv6: needs IPv6 addresses", arg), -1;
		*type = v6 ? types[i].v6 : types[i].v4;
		return 0;
	}
	if (parse_uint("icmp type", arg, 255, &n))
		return -1;
	*type = n;
	return 0;
}

/* One address of the packet: sets @family on the first, checks the second. */
static int parse_addr(const char *what, const char *arg, int *family, uint8_t addr[16])
{
	int fam = strchr(arg, ':') ? AF_INET6 : AF_INET;

	if (inet_pton(fam, arg, addr) != 1)
		return cli_fail("trace: invalid %s \"%s\": expected an IPv4 or IPv6 address",
				what, arg), -1;
	if (*family && *family != fam)
		return cli_fail("trace: saddr and daddr must be of one family"), -1;
	*family = fam;
	return 0;
}

static int trace_spec(const struct trace_cmd *c, struct xbr_frame_spec *s)
{
	int family = 0, l4 = !!c->udp + !!c->tcp + !!c->icmp;

	memset(s, 0, sizeof(*s));
	if (!c->dev || !c->src || !c->dst)
		return cli_fail("trace: needs dev DEV, src MAC and dst MAC");
	if (xbr_parse_mac(c->src, s->src))
		return cli_fail("trace: invalid src \"%s\": expected a MAC address", c->src);
	if (xbr_parse_mac(c->dst, s->dst))
		return cli_fail("trace: invalid dst \"%s\": expected a MAC address", c->dst);
	s->vlan = c->vlan;
	s->stag = c->stag;
	s->size = c->size;
	if (c->saddr && parse_addr("saddr", c->saddr, &family, s->saddr))
		return 1;
	if (c->daddr && parse_addr("daddr", c->daddr, &family, s->daddr))
		return 1;
	if (family && (!c->saddr || !c->daddr))
		return cli_fail("trace: an IP packet needs both saddr and daddr");
	if (l4 > 1)
		return cli_fail("trace: one of udp, tcp and icmp");
	if (c->reply && !c->arp)
		return cli_fail("trace: reply goes with arp");
	if (c->ethertype && (family || c->arp))
		return cli_fail("trace: ethertype makes a frame that is not IP or ARP");
	if (c->arp) {
		if (family != AF_INET || l4)
			return cli_fail("trace: arp needs IPv4 saddr and daddr, no udp, tcp "
					"or icmp");
		s->l3 = XBR_FRAME_ARP;
		s->arp_op = c->reply ? 2 : 1;
		return 0;
	}
	if (!family) {
		if (l4 || c->sport || c->dport)
			return cli_fail("trace: udp, tcp and icmp need saddr and daddr");
		s->l3 = XBR_FRAME_RAW;
		s->ethertype = c->ethertype ? c->ethertype : 0x88b5;	/* local experimental */
		return 0;
	}
	s->l3 = family == AF_INET6 ? XBR_FRAME_IPV6 : XBR_FRAME_IPV4;
	if ((c->sport || c->dport) && !c->udp && !c->tcp)
		return cli_fail("trace: sport and dport go with udp or tcp");
	s->sport = c->sport ? c->sport : 40000;
	s->dport = c->dport ? c->dport : 80;
	if (c->udp)
		s->l4proto = IPPROTO_UDP;
	else if (c->tcp)
		s->l4proto = IPPROTO_TCP;
	else if (c->icmp) {
		s->l4proto = family == AF_INET6 ? IPPROTO_ICMPV6 : IPPROTO_ICMP;
		if (parse_icmp(c->icmp, family == AF_INET6, &s->icmp_type))
			return 1;
	}
	return 0;
}

/* ---- the record in words ---- */

static const char *const kind_words[] = {
	[XBR_TS_INGRESS] = "ingress", [XBR_TS_VLAN] = "vlan", [XBR_TS_SRC] = "source",
	[XBR_TS_IP] = "ip", [XBR_TS_GUARD] = "guards", [XBR_TS_LEARN] = "learn",
	[XBR_TS_LOOKUP] = "lookup", [XBR_TS_EGRESS] = "out", [XBR_TS_PATH] = "path",
	[XBR_TS_VERDICT] = "verdict",
};

static const char *const src_words[] = { "open", "free", "own", "would-own", "spoof",
					 "locked", NULL };
static const char *const learn_words[] = { "off", "new", "refresh", "move", "pinned", "limited",
					   "full", NULL };
static const char *const lookup_words[] = { "hit", "miss", "aged", "group", "stale", NULL };
static const char *const out_words[] = { "untagged", "tagged", "not-member", "down", "gone",
					 "mtu", "ingress", NULL };
static const char *const path_words[] = { "xdp", "tc", NULL };
static const char *const verdict_words[] = { "not-ours", "drop", "unicast", "flood", NULL };

/* Results past XBR_TR_SKIPPED, per step kind. */
static const char *const *const kind_results[] = {
	[XBR_TS_SRC] = src_words, [XBR_TS_LEARN] = learn_words,
	[XBR_TS_LOOKUP] = lookup_words, [XBR_TS_EGRESS] = out_words,
	[XBR_TS_PATH] = path_words, [XBR_TS_VERDICT] = verdict_words,
};

#define NR_KINDS (sizeof(kind_words) / sizeof(kind_words[0]))

static const char *kind_word(const struct xbr_trace_step *s)
{
	return s->kind < NR_KINDS ? kind_words[s->kind] : "?";
}

/* The result of a step as one word: what -j prints. */
static const char *result_word(const struct xbr_trace_step *s)
{
	static const char *const common[] = { "ok", "drop", "skipped" };
	const char *const *words;
	unsigned int i;

	if (s->result <= XBR_TR_SKIPPED)
		return common[s->result];
	words = s->kind < NR_KINDS ? kind_results[s->kind] : NULL;
	for (i = XBR_TR_SKIPPED + 1; words && *words; i++, words++)
		if (i == s->result)
			return *words;
	return "?";
}

static const char *dev_name(uint32_t ifindex, char buf[IF_NAMESIZE + 16])
{
	if (!if_indextoname(ifindex, buf))
		snprintf(buf, IF_NAMESIZE + 16, "ifindex %u", ifindex);
	return buf;
}

static const char *fdb_kind(uint32_t flags)
{
	if (flags & XBR_FDB_F_LOCAL)
		return "local";
	return flags & XBR_FDB_F_STATIC ? "static" : "learned";
}

static const char *tc_why(uint32_t why)
{
	switch (why) {
	case XBR_TR_TC_NO_XDP:
		return "the port runs no XDP program";
	case XBR_TR_TC_TARGET:
		return "XDP cannot redirect into the egress port(s)";
	case XBR_TR_TC_CSUM:
		return "XDP cannot check the checksum behind these headers";
	case XBR_TR_TC_SIZE:
		return "larger than XDP checks MTUs for";
	}
	return "?";
}

/* One step in words, after its kind. */
static void step_print(const struct xbr_trace_step *s, const char *dst)
{
	char dev[IF_NAMESIZE + 16];
	const char *drop = xbr_drop_name(s->arg);

	switch (s->kind * 16 + s->result) {
	case XBR_TS_INGRESS * 16 + XBR_TR_OK:
		printf("%s", dev_name(s->ifindex, dev));
		return;
	case XBR_TS_VLAN * 16 + XBR_TR_SKIPPED:
		printf("filtering off: one broadcast domain");
		return;
	case XBR_TS_VLAN * 16 + XBR_TR_OK:
		printf("%u (%s)", s->vid, s->arg ? "tagged" : "untagged: the port's pvid");
		return;
	case XBR_TS_VLAN * 16 + XBR_TR_DROP:
		if (s->vid)
			printf("%u: the port is not a member, dropped (vlan)", s->vid);
		else
			printf("untagged and the port has no pvid: dropped (vlan)");
		return;
	case XBR_TS_SRC * 16 + XBR_TR_SRC_OPEN:
		printf("no MAC checks on this port");
		return;
	case XBR_TS_SRC * 16 + XBR_TR_SRC_FREE:
		printf("no port owns it");
		return;
	case XBR_TS_SRC * 16 + XBR_TR_SRC_OWN:
		printf("%s's own (%s)", dev_name(s->ifindex, dev),
		       s->arg & XBR_SEC_F_CONFIGURED ? "configured" : "learned under max-macs");
		return;
	case XBR_TS_SRC * 16 + XBR_TR_SRC_WOULD_OWN:
		printf("new: the locked port would make it one of its max-macs");
		return;
	case XBR_TS_SRC * 16 + XBR_TR_SRC_SPOOF:
		printf("owned by %s: dropped (mac_spoof)", dev_name(s->ifindex, dev));
		return;
	case XBR_TS_SRC * 16 + XBR_TR_SRC_LOCKED:
		printf("the locked port may not send from it (not its own, max-macs reached, or "
		       "static, local or live elsewhere): dropped (locked)");
		return;
	case XBR_TS_IP * 16 + XBR_TR_OK:
		printf("a sender address the port may use");
		return;
	case XBR_TS_IP * 16 + XBR_TR_DROP:
		printf("not a sender address of the port: dropped (ip_spoof)");
		return;
	case XBR_TS_GUARD * 16 + XBR_TR_SKIPPED:
		printf("none on an unlocked port");
		return;
	case XBR_TS_GUARD * 16 + XBR_TR_OK:
		printf("passed (DHCP server, router advertisement)");
		return;
	case XBR_TS_GUARD * 16 + XBR_TR_DROP:
		printf("dropped (%s)", drop);
		return;
	case XBR_TS_LEARN * 16 + XBR_TR_LEARN_OFF:
		printf("off on this port");
		return;
	case XBR_TS_LEARN * 16 + XBR_TR_LEARN_NEW:
		printf("new: would be learned behind this port");
		return;
	case XBR_TS_LEARN * 16 + XBR_TR_LEARN_REFRESH:
		printf("known behind this port: refreshed");
		return;
	case XBR_TS_LEARN * 16 + XBR_TR_LEARN_MOVE:
		printf("known behind %s: would move here", dev_name(s->ifindex, dev));
		return;
	case XBR_TS_LEARN * 16 + XBR_TR_LEARN_PINNED:
		printf("a static or local entry behind %s: never learned over",
		       dev_name(s->ifindex, dev));
		return;
	case XBR_TS_LEARN * 16 + XBR_TR_LEARN_LIMITED:
		printf("the port is at its learn-limit: not learned");
		return;
	case XBR_TS_LEARN * 16 + XBR_TR_LEARN_FULL:
		printf("the bridge is at fdb-max-learned: not learned");
		return;
	case XBR_TS_LOOKUP * 16 + XBR_TR_LOOKUP_HIT:
		printf("%s behind %s (%s)", dst, dev_name(s->ifindex, dev), fdb_kind(s->arg));
		return;
	case XBR_TS_LOOKUP * 16 + XBR_TR_LOOKUP_MISS:
		printf("%s unknown: flood", dst);
		return;
	case XBR_TS_LOOKUP * 16 + XBR_TR_LOOKUP_AGED:
		printf("%s aged out behind %s: flood", dst, dev_name(s->ifindex, dev));
		return;
	case XBR_TS_LOOKUP * 16 + XBR_TR_LOOKUP_GROUP:
		printf("%s is broadcast or multicast: flood", dst);
		return;
	case XBR_TS_LOOKUP * 16 + XBR_TR_LOOKUP_STALE:
		printf("%s is gone: %s, flood", dev_name(s->ifindex, dev),
		       s->arg & (XBR_FDB_F_STATIC | XBR_FDB_F_LOCAL) ?
		       "its static entry stays" : "its entry goes");
		return;
	case XBR_TS_EGRESS * 16 + XBR_TR_OUT_UNTAGGED:
		printf("%s untagged", dev_name(s->ifindex, dev));
		return;
	case XBR_TS_EGRESS * 16 + XBR_TR_OUT_TAGGED:
		printf("%s tagged %u", dev_name(s->ifindex, dev), s->vid);
		return;
	case XBR_TS_EGRESS * 16 + XBR_TR_OUT_NOT_MEMBER:
		printf("%s: not in VLAN %u, no copy", dev_name(s->ifindex, dev), s->vid);
		return;
	case XBR_TS_EGRESS * 16 + XBR_TR_OUT_DOWN:
		printf("%s: its link is down", dev_name(s->ifindex, dev));
		return;
	case XBR_TS_EGRESS * 16 + XBR_TR_OUT_GONE:
		printf("%s: its netdev is gone", dev_name(s->ifindex, dev));
		return;
	case XBR_TS_EGRESS * 16 + XBR_TR_OUT_MTU:
		printf("%s: larger than its MTU", dev_name(s->ifindex, dev));
		return;
	case XBR_TS_PATH * 16 + XBR_TR_PATH_XDP:
		printf("XDP redirect%s", s->arg ? " (after checking its checksum: a partial one, "
		       "as from a guest's offload, goes by tc)" : "");
		return;
	case XBR_TS_PATH * 16 + XBR_TR_PATH_TC:
		printf("tc: %s", tc_why(s->arg));
		return;
	case XBR_TS_VERDICT * 16 + XBR_TR_V_NOT_OURS:
		printf("%s is no port of the bridge: left to the kernel", dev_name(s->ifindex, dev));
		return;
	case XBR_TS_VERDICT * 16 + XBR_TR_V_DROP:
		printf("dropped (%s)", drop);
		return;
	case XBR_TS_VERDICT * 16 + XBR_TR_V_UNICAST:
		printf("unicast to %s", dev_name(s->ifindex, dev));
		return;
	case XBR_TS_VERDICT * 16 + XBR_TR_V_FLOOD:
		printf("flood: %u cop%s", s->arg, s->arg == 1 ? "y" : "ies");
		return;
	}
	printf("%s", result_word(s));
}

static bool step_has_reason(const struct xbr_trace_step *s)
{
	return s->result == XBR_TR_DROP ||
	       (s->kind == XBR_TS_SRC && s->result >= XBR_TR_SRC_SPOOF) ||
	       (s->kind == XBR_TS_VERDICT && s->result == XBR_TR_V_DROP);
}

static void step_json(const struct xbr_trace_step *s)
{
	char dev[IF_NAMESIZE + 16];

	jw_object_open(NULL);
	jw_string("step", kind_word(s));
	jw_string("result", result_word(s));
	if (s->kind != XBR_TS_INGRESS && s->kind != XBR_TS_PATH)
		jw_uint("vlan", s->vid);
	if (s->ifindex)
		jw_string("dev", dev_name(s->ifindex, dev));
	if (step_has_reason(s))
		jw_string("reason", xbr_drop_name(s->arg));
	if (s->kind == XBR_TS_LOOKUP && s->result == XBR_TR_LOOKUP_HIT)
		jw_string("entry", fdb_kind(s->arg));
	if (s->kind == XBR_TS_PATH && s->result == XBR_TR_PATH_TC)
		jw_string("why", tc_why(s->arg));
	if (s->kind == XBR_TS_VERDICT && s->result == XBR_TR_V_FLOOD)
		jw_uint("copies", s->arg);
	jw_object_close();
}

static void trace_print(const char *bridge, const char *dev, size_t len, const char *dst,
			const struct xbr_trace_record *tr)
{
	const struct xbr_trace_step *s;
	unsigned int i;

	if (json) {
		jw_object_open(NULL);
		jw_string("bridge", bridge);
		jw_string("dev", dev);
		jw_uint("len", len);
		jw_array_open("steps");
		for (i = 0; i < tr->nr; i++)
			step_json(&tr->steps[i]);
		jw_array_close();
		jw_object_close();
		jw_end();
		return;
	}
	printf("%s: a %zu-byte frame in by %s\n", bridge, len, dev);
	for (i = 0; i < tr->nr; i++) {
		s = &tr->steps[i];
		printf("  %-8s ", kind_word(s));
		step_print(s, dst);
		putchar('\n');
	}
}

int do_trace(int argc, char **argv)
{
	static uint8_t frame[TRACE_FRAME_MAX];
	static struct xbr_trace_record tr;
	struct trace_cmd c = { 0 };
	struct xbr_frame_spec spec;
	struct xbr_bridge br;
	const char *bridge;
	int len, err;

	if (argc < 1 || is_help(argv[0])) {
		trace_help();
		return argc < 1;
	}
	bridge = argv[0];
	if (cli_parse_kws("trace", trace_kws, argc - 1, argv + 1, &c))
		return 1;
	if (trace_spec(&c, &spec))
		return 1;
	len = xbr_frame_build(&spec, frame, sizeof(frame));
	if (len < 0)
		return cli_fail("trace: %s", xbr_errmsg());
	if (open_bridge(bridge, &br))
		return 1;
	err = xbr_trace_frame(&br, c.dev, frame, len, &tr);
	xbr_bridge_close(&br);
	if (err)
		return cli_lib_fail();
	trace_print(bridge, c.dev, len, c.dst, &tr);
	return 0;
}
