// SPDX-License-Identifier: GPL-2.0
/*
 * xbr-unit: BPF_PROG_TEST_RUN of a bridge's pinned programs on crafted
 * frames, one named case per forwarding rule. Run by test-datapath.sh
 * inside the namespace that holds the bridge's ports:
 *
 *   xbr-unit PIN_DIR x1=DEV x2=DEV tc=DEV tap=DEV out=DEV host=DEV gone=DEV
 *            [peers=NETNS_PATH]
 *
 * PIN_DIR is <pin-root>/xbr/<bridge>; x1/x2 are xdp-mode veth ports, tc a
 * tc-mode port, tap an auto-mode tap (XDP, untrusted checksums), out a
 * netdev that is no port, host the bridge side of the host port, gone a
 * tc-mode port whose netdev was deleted after it was added. peers names the
 * namespace holding the veth peers (DEV-p) of x1, x2 and tc: the VLAN cases
 * send and capture real frames there (the tag tc pushes lives in skb
 * metadata, which test_run does not return).
 *
 * Verdicts come from the programs' return codes; redirect targets from the
 * counters (tc counts tx on the port it redirects to; XDP counts a known
 * unicast's tx on its egress port itself when bpf_redirect_map() returns
 * XDP_REDIRECT, which test_run reports without transmitting, with the
 * frame's length after a VLAN tag push or pop; an XDP flood's copies are
 * counted by the devmap egress program of each port, live frames only);
 * learning from FDB lookups. Every case also checks that no counter it did not
 * expect moved. Prints one line per case and "N passed, N failed".
 */
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>
#include <sys/socket.h>
#include <linux/if_ether.h>
#include <linux/pkt_cls.h>
#include <bpf/bpf.h>
#include "harness.h"
#include "cases.h"

/* ---- the cases ------------------------------------------------------------ */

static void t_setup(void)
{
	struct xbr_config cfg;

	case_begin("setup: ports carry the flags of their modes");
	EXPECT((pinfo[P_X1].flags & (XBR_PORT_F_XDP | XBR_PORT_F_XDP_TARGET |
				     XBR_PORT_F_CSUM_TRUSTED)) ==
	       (XBR_PORT_F_XDP | XBR_PORT_F_XDP_TARGET | XBR_PORT_F_CSUM_TRUSTED),
	       "x1 (mode xdp) flags %#x", pinfo[P_X1].flags);
	EXPECT((pinfo[P_X2].flags & XBR_PORT_F_XDP_TARGET), "x2 (mode xdp) flags %#x",
	       pinfo[P_X2].flags);
	EXPECT(!(pinfo[P_TC].flags & (XBR_PORT_F_XDP | XBR_PORT_F_XDP_TARGET)),
	       "tc port flags %#x", pinfo[P_TC].flags);
	if (pis_port[P_TAP])
		EXPECT((pinfo[P_TAP].flags & (XBR_PORT_F_XDP | XBR_PORT_F_XDP_TARGET |
					      XBR_PORT_F_CSUM_TRUSTED)) ==
		       (XBR_PORT_F_XDP | XBR_PORT_F_XDP_TARGET),
		       "tap (mode auto) flags %#x: want XDP, XDP target, untrusted checksums",
		       pinfo[P_TAP].flags);
	EXPECT(!pis_port[P_OUT], "%s should not be a port", pdev[P_OUT]);
	if (read_config(&cfg))
		fail("cannot read config");
	else
		EXPECT(!(cfg.flags & XBR_CFG_F_XDP_FLOOD),
		       "XDP flood on while the tc port floods");
	case_end();
}

/*
 * A port whose netdev vanished (a VM stopped, its tap went away) while the
 * flood sets still name it: it must get no traffic and cost the others
 * none. The first CLI change re-syncs the flood sets without it.
 */
static void t_gone(void)
{
	const uint8_t *st = station(), *src = station();
	struct xbr_config cfg;
	struct frame f;
	struct snap a, b;
	uint64_t k0[P_MAX], k1[P_MAX];
	uint32_t i, ifx;
	int r, p, listed = 0;

	case_begin("gone port: a stale flood list still floods to every present port");
	if (read_config(&cfg))
		fail("cannot read config");
	for (i = 0; i < cfg.nr_flood && i < XBR_MAX_FLOOD; i++)
		if (!bpf_map_lookup_elem(fd_flood_list, &i, &ifx) && ifx == pif[P_GONE])
			listed = 1;
	if (!listed)
		note("the flood list no longer names the gone port; ");
	learn(src, P_X1);
	frame_raw(&f, BCAST, src, 60);
	for (p = 0; p < P_MAX; p++)
		k0[p] = kstat(p);
	snap(&a);
	r = run_tc(P_X1, &f);
	snap(&b);
	for (p = 0; p < P_MAX; p++)
		k1[p] = kstat(p);
	EXPECT_TC(r, TC_ACT_REDIRECT);
	/* The last listed target takes the skb itself (not carried out by
	 * test_run); the gone port is the last one here, so every present
	 * veth must have got a real clone. */
	for (p = 0; p < P_MAX; p++)
		if (pis_port[p] && p != P_X1 && p != P_GONE && pinfo[p].kind == XBR_KIND_VETH)
			EXPECT(k1[p] > k0[p], "%s got no clone", pdev[p]);
	{
		uint64_t mtu = b.st[P_X1].drops[XBR_DROP_MTU] - a.st[P_X1].drops[XBR_DROP_MTU];
		uint64_t np = b.st[P_X1].drops[XBR_DROP_NO_PORT] - a.st[P_X1].drops[XBR_DROP_NO_PORT];
		uint64_t gtx = b.st[P_GONE].tx_packets - a.st[P_GONE].tx_packets;
		char spec[256];

		/* The gone port's copy may be counted as a drop (tx to a
		 * missing netdev would be wrong): as no_port, or (a detail)
		 * as mtu, which is what bpf_check_mtu's -ENODEV turns into. */
		if (mtu)
			note("the gone port's copy counted as an mtu drop");
		if (np)
			note("the gone port's copy counted as a no_port drop");
		EXPECT(!gtx, "tx counted on the gone port: %" PRIu64, gtx);
		snprintf(spec, sizeof(spec), "x1.rx_packets=1 x1.flooded=1 x1.mtu=%d x1.no_port=%d"
			 " x2.tx_packets=1 tc.tx_packets=1 tap.tx_packets=1 host.tx_packets=1",
			 mtu && !np, np && !mtu);
		expect_deltas(&a, &b, f.len, spec);
	}
	case_end();

	case_begin("gone port: unicast to a station behind it floods, the stale entry goes");
	if (fdb_put(st, pif[P_GONE], 0, coarse_ns()))
		fail("cannot write the fdb map");
	frame_ip4(&f, st, src, 0, 1, 32, CS_GOOD);
	snap(&a);
	r = run_xdp(P_X1, &f);
	EXPECT_XDP(r, XDP_PASS);
	r = run_tc(P_X1, &f);
	/* Flooded like an unknown station (the Linux bridge flushes a gone
	 * port's entries): the last flood port takes the skb. */
	EXPECT_TC(r, TC_ACT_REDIRECT);
	snap(&b);
	expect_no_fdb(st);
	{
		uint64_t np = b.st[P_X1].drops[XBR_DROP_NO_PORT] - a.st[P_X1].drops[XBR_DROP_NO_PORT];
		char spec[256];

		/* The stale flood list still names the gone port: its copy is
		 * counted as no_port, never as tx. */
		snprintf(spec, sizeof(spec), "x1.rx_packets=1 x1.flooded=1 x1.no_port=%d"
			 " x2.tx_packets=1 tc.tx_packets=1 tap.tx_packets=1 host.tx_packets=1",
			 np ? 1 : 0);
		expect_deltas(&a, &b, f.len, spec);
	}
	case_end();

	case_begin("gone port: the next CLI change drops it from the flood sets");
	port_set(P_X1, -1, -1);
	if (read_config(&cfg))
		fail("cannot read config");
	for (i = 0; i < cfg.nr_flood && i < XBR_MAX_FLOOD; i++)
		EXPECT(bpf_map_lookup_elem(fd_flood_list, &i, &ifx) || ifx != pif[P_GONE],
		       "flood_list[%u] is still the gone port", i);
	EXPECT(cfg.nr_flood == 5, "nr_flood %u, expected 5", cfg.nr_flood);
	frame_raw(&f, BCAST, src, 60);
	snap(&a);
	r = run_tc(P_X1, &f);
	snap(&b);
	EXPECT_TC(r, TC_ACT_REDIRECT);
	expect_deltas(&a, &b, f.len, "x1.rx_packets=1 x1.flooded=1 x2.tx_packets=1 "
		      "tc.tx_packets=1 tap.tx_packets=1 host.tx_packets=1");
	case_end();
}

static void t_runt(void)
{
	static const size_t lens[] = { 0, 1, 6, 12, 13 };
	uint8_t junk[14];
	struct snap a, b;
	size_t i;
	int r;

	memcpy(junk, station(), 6);
	memcpy(junk + 6, station(), 6);
	junk[12] = 0x08;
	junk[13] = 0;
	for (i = 0; i < sizeof(lens) / sizeof(lens[0]); i++) {
		char name[64];

		snprintf(name, sizeof(name), "xdp: runt (%zu bytes in the buffer) dropped, parse counted",
			 lens[i]);
		case_begin(name);
		snap(&a);
		/* metadata pads the input to the 14 bytes test_run wants */
		/* test_run wants 14 bytes of input: the rest stays out of the
		 * linear buffer, which is all a non-frags program sees. */
		r = run_xdp_sized(pif[P_X1], junk, lens[i], lens[i]);
		if (r == -EINVAL)
			r = run_xdp_sized(pif[P_X1], junk, lens[i], 14);
		snap(&b);
		EXPECT_XDP(r, XDP_DROP);
		expect_deltas(&a, &b, lens[i], "x1.rx_packets=1 x1.parse=1");
		case_end();
	}
	/* An 802.1Q TPID with the tag cut off: a truncated header. */
	{
		struct frame f;
		struct snap a, b;

		case_begin("xdp: truncated 802.1Q tag (16 bytes) dropped, parse counted");
		frame_eth(&f, BCAST, station(), 0x8100, 0);
		f.b[f.len++] = 0x00;
		f.b[f.len++] = 0x64;
		snap(&a);
		r = run_xdp(P_X1, &f);
		snap(&b);
		EXPECT_XDP(r, XDP_DROP);
		expect_deltas(&a, &b, f.len, "x1.rx_packets=1 x1.parse=1");
		case_end();

		case_begin("tc: truncated 802.1Q tag (16 bytes) dropped, parse counted");
		snap(&a);
		r = run_tc(P_TC, &f);
		snap(&b);
		EXPECT_TC(r, TC_ACT_SHOT);
		expect_deltas(&a, &b, f.len, "tc.rx_packets=1 tc.parse=1");
		case_end();

		case_begin("xdp: IPv4 frame with its header cut off is still bridged");
		frame_eth(&f, BCAST, station(), 0x0800, 0);
		f.b[f.len++] = 0x45;
		snap(&a);
		r = run_xdp(P_X1, &f);
		snap(&b);
		EXPECT_XDP(r, XDP_PASS);	/* a flood, and a tc port floods */
		expect_deltas(&a, &b, f.len, "x1.learned=1");
		case_end();
		case_skip("tc: IPv4 frame with its header cut off",
			  "BPF_PROG_TEST_RUN refuses an IPv4/IPv6 skb without a full IP header");
	}
	case_skip("tc: runt dropped",
		  "BPF_PROG_TEST_RUN needs >= 14 bytes for an skb and the kernel hands tc "
		  "no shorter Ethernet frame");
}

static void t_bad_src(void)
{
	static const uint8_t mcast[6] = { 0x01, 0x00, 0x5e, 0x00, 0x00, 0x01 };
	static const uint8_t zero[6];
	struct frame f;
	struct snap a, b;
	int r;

	case_begin("xdp: multicast source dropped, bad_src counted");
	frame_raw(&f, station(), mcast, 60);
	snap(&a);
	r = run_xdp(P_X1, &f);
	snap(&b);
	EXPECT_XDP(r, XDP_DROP);
	expect_deltas(&a, &b, f.len, "x1.rx_packets=1 x1.bad_src=1");
	expect_no_fdb(mcast);
	case_end();

	case_begin("tc: multicast source dropped, bad_src counted");
	snap(&a);
	r = run_tc(P_TC, &f);
	snap(&b);
	EXPECT_TC(r, TC_ACT_SHOT);
	expect_deltas(&a, &b, f.len, "tc.rx_packets=1 tc.bad_src=1");
	expect_no_fdb(mcast);
	case_end();

	case_begin("xdp: broadcast source dropped, bad_src counted");
	frame_raw(&f, station(), BCAST, 60);
	snap(&a);
	r = run_xdp(P_X2, &f);
	snap(&b);
	EXPECT_XDP(r, XDP_DROP);
	expect_deltas(&a, &b, f.len, "x2.rx_packets=1 x2.bad_src=1");
	case_end();

	case_begin("xdp: zero source dropped, bad_src counted");
	frame_raw(&f, BCAST, zero, 60);
	snap(&a);
	r = run_xdp(P_X1, &f);
	snap(&b);
	EXPECT_XDP(r, XDP_DROP);
	expect_deltas(&a, &b, f.len, "x1.rx_packets=1 x1.bad_src=1");
	expect_no_fdb(zero);
	case_end();

	case_begin("tc: zero source dropped, bad_src counted");
	snap(&a);
	r = run_tc(P_TC, &f);
	snap(&b);
	EXPECT_TC(r, TC_ACT_SHOT);
	expect_deltas(&a, &b, f.len, "tc.rx_packets=1 tc.bad_src=1");
	expect_no_fdb(zero);
	case_end();
}

static void t_link_local(void)
{
	static const uint8_t ll[][6] = {
		{ 0x01, 0x80, 0xc2, 0x00, 0x00, 0x0e },	/* LLDP */
		{ 0x01, 0x80, 0xc2, 0x00, 0x00, 0x00 },	/* STP */
		{ 0x01, 0x80, 0xc2, 0x00, 0x00, 0x03 },	/* 802.1X */
	};
	static const uint8_t not_ll[6] = { 0x01, 0x80, 0xc2, 0x00, 0x00, 0x10 };
	struct frame f;
	struct snap a, b;
	char name[96];
	size_t i;
	int r;

	for (i = 0; i < sizeof(ll) / sizeof(ll[0]); i++) {
		const uint8_t *src = station();

		snprintf(name, sizeof(name), "xdp: link-local %s dropped, link_local counted",
			 mac_str(ll[i]));
		case_begin(name);
		frame_raw(&f, ll[i], src, 60);
		snap(&a);
		r = run_xdp(P_X1, &f);
		snap(&b);
		EXPECT_XDP(r, XDP_DROP);
		expect_deltas(&a, &b, f.len, "x1.rx_packets=1 x1.link_local=1");
		case_end();

		snprintf(name, sizeof(name), "tc: link-local %s dropped, link_local counted",
			 mac_str(ll[i]));
		case_begin(name);
		snap(&a);
		r = run_tc(P_TC, &f);
		snap(&b);
		EXPECT_TC(r, TC_ACT_SHOT);
		expect_deltas(&a, &b, f.len, "tc.rx_packets=1 tc.link_local=1");
		case_end();
	}

	case_begin("tc: 01:80:c2:00:00:10 is no link-local address: flooded");
	frame_raw(&f, not_ll, station(), 60);
	snap(&a);
	r = run_tc(P_TC, &f);
	snap(&b);
	EXPECT_TC(r, TC_ACT_REDIRECT);
	expect_deltas(&a, &b, f.len,
		      pis_port[P_HOST]
		      ? "tc.rx_packets=1 tc.flooded=1 tc.learned=1 x1.tx_packets=1 "
			"x2.tx_packets=1 tap.tx_packets=1 host.tx_packets=1"
		      : "tc.rx_packets=1 tc.flooded=1 tc.learned=1 x1.tx_packets=1 "
			"x2.tx_packets=1 tap.tx_packets=1");
	case_end();
}

static void t_learning(void)
{
	struct xbr_fdb_entry e;
	struct frame f;
	struct snap a, b;
	const uint8_t *m1 = station(), *m2 = station();
	uint64_t t0, t1;
	int r;

	case_begin("xdp: learning a new source makes a dynamic entry on the ingress port");
	frame_raw(&f, BCAST, m1, 60);
	snap(&a);
	/* The datapath stamps entries with CLOCK_MONOTONIC_COARSE (tick
	 * resolution, and behind CLOCK_MONOTONIC by up to a tick or more):
	 * read the same clock, give it a tick either side. */
	t0 = coarse_ns() - coarse_tick_ns();
	r = run_xdp(P_X1, &f);
	t1 = coarse_ns() + coarse_tick_ns();
	snap(&b);
	/* The tc port floods: the XDP path passes broadcasts to tc. */
	EXPECT_XDP(r, XDP_PASS);
	expect_fdb(m1, P_X1, 0);
	if (!fdb_get(m1, &e))
		EXPECT(e.seen_ns >= t0 && e.seen_ns <= t1,
		       "seen_ns %" PRIu64 " outside [%" PRIu64 ", %" PRIu64 "] (CLOCK_MONOTONIC_COARSE"
		       " +- %" PRIu64 " ns)", (uint64_t)e.seen_ns, t0, t1, coarse_tick_ns());
	expect_deltas(&a, &b, f.len, "x1.learned=1");
	case_end();

	case_begin("xdp: the same source again learns nothing new");
	snap(&a);
	r = run_xdp(P_X1, &f);
	snap(&b);
	EXPECT_XDP(r, XDP_PASS);
	expect_fdb(m1, P_X1, 0);
	expect_deltas(&a, &b, f.len, "");
	case_end();

	case_begin("tc: learning a new source makes a dynamic entry on the ingress port");
	frame_raw(&f, BCAST, m2, 60);
	snap(&a);
	r = run_tc(P_TC, &f);
	snap(&b);
	EXPECT_TC(r, TC_ACT_REDIRECT);
	expect_fdb(m2, P_TC, 0);
	expect_deltas(&a, &b, f.len,
		      pis_port[P_HOST]
		      ? "tc.learned=1 tc.rx_packets=1 tc.flooded=1 x1.tx_packets=1 "
			"x2.tx_packets=1 tap.tx_packets=1 host.tx_packets=1"
		      : "tc.learned=1 tc.rx_packets=1 tc.flooded=1 x1.tx_packets=1 "
			"x2.tx_packets=1 tap.tx_packets=1");
	case_end();

	case_begin("xdp: a station moving to another port follows it, moves counted");
	frame_raw(&f, BCAST, m1, 60);
	snap(&a);
	r = run_xdp(P_X2, &f);
	snap(&b);
	EXPECT_XDP(r, XDP_PASS);
	expect_fdb(m1, P_X2, 0);
	expect_deltas(&a, &b, f.len, "x2.moves=1");
	case_end();

	case_begin("tc: a station moving to another port follows it, moves counted");
	frame_raw(&f, station(), m1, 60);	/* unknown unicast */
	snap(&a);
	r = run_tc(P_TC, &f);
	snap(&b);
	EXPECT_TC(r, TC_ACT_REDIRECT);
	expect_fdb(m1, P_TC, 0);
	expect_deltas(&a, &b, f.len,
		      pis_port[P_HOST]
		      ? "tc.moves=1 tc.rx_packets=1 tc.flooded=1 x1.tx_packets=1 "
			"x2.tx_packets=1 tap.tx_packets=1 host.tx_packets=1"
		      : "tc.moves=1 tc.rx_packets=1 tc.flooded=1 x1.tx_packets=1 "
			"x2.tx_packets=1 tap.tx_packets=1");
	case_end();
}

static void t_static(void)
{
	const uint8_t *s = station(), *peer = station();
	struct frame f;
	struct snap a, b;
	int r;

	case_begin("static entry (fdb add ... static) is never moved by a spoofed source");
	if (xbr_fdb_add(&br, s, 0, pdev[P_X1], true))
		fail("fdb add %s dev %s static: %s", mac_str(s), pdev[P_X1], xbr_errmsg());
	expect_fdb(s, P_X1, XBR_FDB_F_STATIC);
	learn(peer, P_X1);
	frame_raw(&f, BCAST, s, 60);
	snap(&a);
	r = run_xdp(P_X2, &f);
	EXPECT_XDP(r, XDP_PASS);
	r = run_tc(P_X2, &f);
	EXPECT_TC(r, TC_ACT_REDIRECT);
	frame_raw(&f, peer, s, 60);		/* unicast, spoofed source */
	r = run_xdp(P_TAP, &f);
	EXPECT_XDP(r, XDP_REDIRECT);
	r = run_tc(P_TC, &f);
	EXPECT_TC(r, TC_ACT_REDIRECT);
	snap(&b);
	expect_fdb(s, P_X1, XBR_FDB_F_STATIC);
	EXPECT(b.st[P_X2].moves == a.st[P_X2].moves && b.st[P_TAP].moves == a.st[P_TAP].moves &&
	       b.st[P_TC].moves == a.st[P_TC].moves, "a move was counted");
	EXPECT(b.st[P_X2].learned == a.st[P_X2].learned, "a learn was counted");
	case_end();

	case_begin("xdp: unicast to a static entry goes to its port");
	frame_raw(&f, s, station(), 60);
	snap(&a);
	r = run_xdp(P_X2, &f);
	snap(&b);
	EXPECT_XDP(r, XDP_REDIRECT);
	expect_deltas(&a, &b, f.len, "x2.rx_packets=1 x2.learned=1 x1.tx_packets=1");
	case_end();

	if (!pis_port[P_HOST]) {
		case_skip("local entry of the host port never moves", "no host port given");
		return;
	}
	case_begin("the host port's local entry is never moved by a spoofed source");
	{
		uint8_t hmac[6];
		struct xbr_fdb_entry e;

		if (xbr_netdev_mac(br.name, hmac)) {
			fail("cannot read the MAC of %s", br.name);
		} else {
			EXPECT(!fdb_get(hmac, &e) && e.ifindex == pif[P_HOST] &&
			       e.flags == XBR_FDB_F_LOCAL, "local entry of %s missing or wrong",
			       mac_str(hmac));
			frame_raw(&f, BCAST, hmac, 60);
			r = run_xdp(P_X1, &f);
			EXPECT_XDP(r, XDP_PASS);
			r = run_tc(P_X1, &f);
			EXPECT_TC(r, TC_ACT_REDIRECT);
			expect_fdb(hmac, P_HOST, XBR_FDB_F_LOCAL);
			/* and it still forwards to the host */
			frame_raw(&f, hmac, station(), 60);
			snap(&a);
			r = run_tc(P_X2, &f);
			snap(&b);
			EXPECT_TC(r, TC_ACT_REDIRECT);
			expect_deltas(&a, &b, f.len,
				      "x2.rx_packets=1 x2.learned=1 host.tx_packets=1");
		}
	}
	case_end();
}

static void t_unicast(void)
{
	const uint8_t *a2 = station(), *atc = station(), *atap = station(), *src = station();
	struct frame f;
	struct snap a, b;
	int r;

	learn(a2, P_X2);
	learn(atc, P_TC);
	if (pis_port[P_TAP])
		learn(atap, P_TAP);
	learn(src, P_X1);

	case_begin("xdp: known unicast to an XDP target (mode xdp) -> XDP_REDIRECT");
	frame_ip4(&f, a2, src, 0, 1, 32, CS_GOOD);
	snap(&a);
	r = run_xdp(P_X1, &f);
	snap(&b);
	EXPECT_XDP(r, XDP_REDIRECT);
	expect_unchanged(&f);
	expect_deltas(&a, &b, f.len, "x1.rx_packets=1 x2.tx_packets=1");
	case_end();

	if (pis_port[P_TAP]) {
		case_begin("xdp: known unicast to an XDP target (tap, auto) -> XDP_REDIRECT");
		frame_arp(&f, atap, src, 2);
		snap(&a);
		r = run_xdp(P_X1, &f);
		snap(&b);
		EXPECT_XDP(r, XDP_REDIRECT);
		expect_deltas(&a, &b, f.len, "x1.rx_packets=1 tap.tx_packets=1");
		case_end();
	}

	case_begin("xdp: known unicast to a tc-mode port -> XDP_PASS, nothing counted, the "
		   "decision handed to tc");
	frame_ip4(&f, atc, src, 0, 1, 32, CS_GOOD);
	snap(&a);
	r = run_xdp(P_X1, &f);
	snap(&b);
	EXPECT_XDP(r, XDP_PASS);
	expect_unchanged(&f);
	expect_deltas(&a, &b, f.len, "");
	expect_handoff(P_X1, P_TC);
	case_end();

	case_begin("tc: known unicast -> TC_ACT_REDIRECT, tx counted on the target only");
	frame_ip4(&f, a2, src, 0, 6, 100, CS_PSEUDO);
	snap(&a);
	r = run_tc(P_X1, &f);
	snap(&b);
	EXPECT_TC(r, TC_ACT_REDIRECT);
	expect_unchanged(&f);
	expect_deltas(&a, &b, f.len, "x1.rx_packets=1 x2.tx_packets=1");
	case_end();

	case_begin("tc: known unicast from a tc port to an xdp port");
	frame_ip4(&f, src, atc, 0, 17, 64, CS_GOOD);
	snap(&a);
	r = run_tc(P_TC, &f);
	snap(&b);
	EXPECT_TC(r, TC_ACT_REDIRECT);
	expect_deltas(&a, &b, f.len, "tc.rx_packets=1 x1.tx_packets=1");
	case_end();

	case_begin("xdp: hairpin (destination on the ingress port) dropped, counted");
	frame_ip4(&f, a2, src, 0, 1, 32, CS_GOOD);
	snap(&a);
	r = run_xdp(P_X2, &f);
	snap(&b);
	EXPECT_XDP(r, XDP_DROP);
	/* the source moved to x2 along the way: it was spoken from there */
	expect_deltas(&a, &b, f.len, "x2.rx_packets=1 x2.hairpin=1 x2.moves=1");
	case_end();

	case_begin("tc: hairpin (destination on the ingress port) dropped, counted");
	frame_ip4(&f, atc, station(), 0, 1, 32, CS_GOOD);
	snap(&a);
	r = run_tc(P_TC, &f);
	snap(&b);
	EXPECT_TC(r, TC_ACT_SHOT);
	expect_deltas(&a, &b, f.len, "tc.rx_packets=1 tc.hairpin=1 tc.learned=1");
	case_end();

	learn(src, P_X1);

	case_begin("xdp: frame over the egress MTU -> XDP_PASS (tc decides)");
	frame_ip4(&f, a2, src, 0, 1, 1600 - 42, CS_GOOD);
	snap(&a);
	r = run_xdp(P_X1, &f);
	snap(&b);
	EXPECT_XDP(r, XDP_PASS);
	expect_deltas(&a, &b, f.len, "");
	case_end();

	case_begin("tc: frame over the egress MTU dropped, mtu counted");
	snap(&a);
	r = run_tc(P_X1, &f);
	snap(&b);
	EXPECT_TC(r, TC_ACT_SHOT);
	expect_deltas(&a, &b, f.len, "x1.rx_packets=1 x1.mtu=1");
	case_end();

	case_begin("xdp+tc: frame of exactly MTU + 14 bytes forwarded");
	frame_ip4(&f, a2, src, 0, 1, 1500 - 28, CS_GOOD);
	snap(&a);
	r = run_xdp(P_X1, &f);
	EXPECT_XDP(r, XDP_REDIRECT);
	r = run_tc(P_X1, &f);
	EXPECT_TC(r, TC_ACT_REDIRECT);
	snap(&b);
	EXPECT(f.len == 1514, "frame is %zu bytes", f.len);
	/* Each program forwards it once and counts it (XDP's redirect is not
	 * carried out by test_run, its count is). */
	expect_deltas(&a, &b, f.len, "x1.rx_packets=2 x2.tx_packets=2");
	case_end();

	case_begin("FDB entry for a netdev that is no port: XDP_PASS, tc floods and removes it");
	{
		const uint8_t *ghost = station();

		if (fdb_put(ghost, pif[P_OUT], 0, coarse_ns()))
			fail("cannot write the fdb map");
		frame_ip4(&f, ghost, src, 0, 1, 32, CS_GOOD);
		snap(&a);
		r = run_xdp(P_X1, &f);
		EXPECT_XDP(r, XDP_PASS);
		r = run_tc(P_X1, &f);
		EXPECT_TC(r, TC_ACT_REDIRECT);
		snap(&b);
		expect_no_fdb(ghost);
		expect_deltas(&a, &b, f.len, "x1.rx_packets=1 x1.flooded=1 x2.tx_packets=1"
			      " tc.tx_packets=1 tap.tx_packets=1 host.tx_packets=1");
	}
	case_end();

	case_begin("xdp: XDP target missing from tx_ports -> XDP_PASS (falls to tc)");
	{
		if (bpf_map_delete_elem(fd_tx_ports, &pif[P_X2]))
			fail("cannot delete x2 from tx_ports: %s", strerror(errno));
		frame_ip4(&f, a2, src, 0, 1, 32, CS_GOOD);
		snap(&a);
		r = run_xdp(P_X1, &f);
		snap(&b);
		if (tx_ports_restore(P_X2))
			fail("cannot restore x2 in tx_ports: %s", strerror(errno));
		EXPECT_XDP(r, XDP_PASS);
		expect_deltas(&a, &b, f.len, "");
	}
	case_end();
}

/* Which veth/tap netdevs the tc flood loop cloned to: the kernel's own
 * counters of the bridge side (a tap without reader counts a tx drop). */

static void t_flood(void)
{
	static const uint8_t mcast[6] = { 0x01, 0x00, 0x5e, 0x00, 0x00, 0xfb };
	const uint8_t *src = station();
	struct xbr_config cfg;
	uint64_t k0[P_MAX], k1[P_MAX];
	uint32_t i, list[XBR_MAX_FLOOD], nlist = 0;
	struct frame f;
	struct snap a, b;
	char spec[256];
	int r, p, clones;

	case_begin("xdp: broadcast with a tc flood port -> XDP_PASS, nothing counted");
	frame_raw(&f, BCAST, src, 60);
	snap(&a);
	r = run_xdp(P_X1, &f);
	snap(&b);
	EXPECT_XDP(r, XDP_PASS);
	expect_deltas(&a, &b, f.len, "x1.learned=1");
	case_end();

	case_begin("xdp: unknown unicast with a tc flood port -> XDP_PASS, a flood handed to tc");
	frame_raw(&f, station(), src, 60);
	snap(&a);
	r = run_xdp(P_X1, &f);
	snap(&b);
	EXPECT_XDP(r, XDP_PASS);
	expect_deltas(&a, &b, f.len, "");
	expect_handoff(P_X1, -1);
	case_end();

	case_begin("tc: broadcast -> clones to every flood port but the ingress");
	frame_raw(&f, BCAST, src, 60);
	if (read_config(&cfg))
		fail("cannot read config");
	for (i = 0; i < cfg.nr_flood && i < XBR_MAX_FLOOD; i++)
		if (bpf_map_lookup_elem(fd_flood_list, &i, &list[nlist]) == 0)
			nlist++;
	for (p = 0; p < P_MAX; p++)
		k0[p] = kstat(p);
	snap(&a);
	r = run_tc(P_X1, &f);
	snap(&b);
	for (p = 0; p < P_MAX; p++)
		k1[p] = kstat(p);
	EXPECT_TC(r, TC_ACT_REDIRECT);
	snprintf(spec, sizeof(spec), "x1.rx_packets=1 x1.flooded=1 x2.tx_packets=1 "
		 "tc.tx_packets=1%s%s", pis_port[P_TAP] ? " tap.tx_packets=1" : "",
		 pis_port[P_HOST] ? " host.tx_packets=1" : "");
	expect_deltas(&a, &b, f.len, spec);
	/* Every veth target but the last got a clone the kernel really sent
	 * (test_run does not carry out the final bpf_redirect; a tap without
	 * a reader drops in its qdisc, unseen). */
	{
		uint32_t last = 0;

		for (i = 0; i < nlist; i++)
			if (list[i] && list[i] != pif[P_X1])
				last = list[i];
		clones = 0;
		for (p = 0; p < P_MAX; p++) {
			int want;

			if (!pis_port[p] || p == P_X1 || p == P_GONE ||
			    pinfo[p].kind != XBR_KIND_VETH)
				continue;
			want = pif[p] != last;
			clones++;
			EXPECT((k1[p] > k0[p]) == want, "%s: kernel tx moved by %" PRIu64
			       ", expected %s", pdev[p], k1[p] - k0[p],
			       want ? "a clone" : "none (the redirected skb)");
		}
		EXPECT(nlist == 5 && clones == 3, "flood list of %u, %d veth targets", nlist,
		       clones);
	}
	EXPECT(k1[P_X1] == k0[P_X1], "a clone went out of the ingress port");
	case_end();

	case_begin("tc: multicast and unknown unicast are flooded too");
	snap(&a);
	frame_raw(&f, mcast, src, 60);
	r = run_tc(P_X2, &f);
	EXPECT_TC(r, TC_ACT_REDIRECT);
	frame_raw(&f, station(), src, 60);
	r = run_tc(P_X2, &f);
	EXPECT_TC(r, TC_ACT_REDIRECT);
	snap(&b);
	snprintf(spec, sizeof(spec), "x2.rx_packets=2 x2.flooded=2 x2.moves=1 x1.tx_packets=2 "
		 "tc.tx_packets=2%s%s", pis_port[P_TAP] ? " tap.tx_packets=2" : "",
		 pis_port[P_HOST] ? " host.tx_packets=2" : "");
	expect_deltas(&a, &b, f.len, spec);
	case_end();

	case_begin("tc: a port with flood off gets no flood");
	port_set(P_TC, -1, 0);
	frame_raw(&f, BCAST, src, 60);
	snap(&a);
	r = run_tc(P_X2, &f);
	snap(&b);
	port_set(P_TC, -1, 1);
	EXPECT_TC(r, TC_ACT_REDIRECT);
	snprintf(spec, sizeof(spec), "x2.rx_packets=1 x2.flooded=1 x1.tx_packets=1%s%s",
		 pis_port[P_TAP] ? " tap.tx_packets=1" : "",
		 pis_port[P_HOST] ? " host.tx_packets=1" : "");
	expect_deltas(&a, &b, f.len, spec);
	case_end();

	case_begin("config: XDP flood on once every flood port is an XDP target");
	xdp_flood(1);
	if (read_config(&cfg))
		fail("cannot read config");
	EXPECT(cfg.flags & XBR_CFG_F_XDP_FLOOD, "XBR_CFG_F_XDP_FLOOD not set (flags %#x)",
	       cfg.flags);
	EXPECT(cfg.nr_flood == (pis_port[P_TAP] ? 3u : 2u), "nr_flood %u", cfg.nr_flood);
	case_end();

	case_begin("xdp: broadcast, every flood port an XDP target -> XDP_REDIRECT, flooded");
	frame_raw(&f, BCAST, src, 60);
	snap(&a);
	r = run_xdp(P_X2, &f);
	snap(&b);
	EXPECT_XDP(r, XDP_REDIRECT);
	expect_deltas(&a, &b, f.len, "x2.rx_packets=1 x2.flooded=1");
	case_end();

	case_begin("xdp: unknown unicast and multicast, all XDP targets -> XDP_REDIRECT");
	snap(&a);
	frame_raw(&f, station(), src, 60);
	r = run_xdp(P_X2, &f);
	EXPECT_XDP(r, XDP_REDIRECT);
	frame_raw(&f, mcast, src, 60);
	r = run_xdp(P_X2, &f);
	EXPECT_XDP(r, XDP_REDIRECT);
	snap(&b);
	expect_deltas(&a, &b, f.len, "x2.rx_packets=2 x2.flooded=2");
	case_end();

	case_begin("xdp: broadcast over 1294 bytes -> XDP_PASS (tc checks each MTU)");
	frame_raw(&f, BCAST, src, 1400);
	snap(&a);
	r = run_xdp(P_X2, &f);
	snap(&b);
	EXPECT_XDP(r, XDP_PASS);
	expect_deltas(&a, &b, f.len, "");
	case_end();

	xdp_flood(0);
	case_begin("config: XDP flood off again once a tc port floods");
	if (read_config(&cfg))
		fail("cannot read config");
	EXPECT(!(cfg.flags & XBR_CFG_F_XDP_FLOOD), "XBR_CFG_F_XDP_FLOOD still set");
	frame_raw(&f, BCAST, src, 60);
	r = run_xdp(P_X2, &f);
	EXPECT_XDP(r, XDP_PASS);
	case_end();
}

static void t_learning_off(void)
{
	const uint8_t *m = station(), *moved = station();
	struct frame f;
	struct snap a, b;
	int r;

	learn(moved, P_X2);
	case_begin("learning off: no entry learned, no station moved (xdp and tc)");
	port_set(P_X1, 0, -1);
	snap(&a);
	frame_raw(&f, BCAST, m, 60);
	r = run_xdp(P_X1, &f);
	EXPECT_XDP(r, XDP_PASS);
	r = run_tc(P_X1, &f);
	EXPECT_TC(r, TC_ACT_REDIRECT);
	frame_raw(&f, BCAST, moved, 60);
	r = run_xdp(P_X1, &f);
	EXPECT_XDP(r, XDP_PASS);
	snap(&b);
	port_set(P_X1, 1, -1);
	expect_no_fdb(m);
	expect_fdb(moved, P_X2, 0);
	EXPECT(b.st[P_X1].learned == a.st[P_X1].learned && b.st[P_X1].moves == a.st[P_X1].moves,
	       "learned/moves counted on a port with learning off");
	case_end();

	case_begin("learning on again: the source is learned");
	frame_raw(&f, BCAST, m, 60);
	r = run_xdp(P_X1, &f);
	EXPECT_XDP(r, XDP_PASS);
	expect_fdb(m, P_X1, 0);
	case_end();
}

static void t_ageing(void)
{
	const uint8_t *old = station(), *src = station(), *s = station();
	struct xbr_config cfg;
	struct frame f;
	struct snap a, b;
	int r;

	case_begin("ageing: entries older than the ageing time are unknown -> flood");
	learn(src, P_X1);
	if (xbr_fdb_add(&br, s, 0, pdev[P_X2], true))
		fail("fdb add static: %s", xbr_errmsg());
	set_ageing(1);
	if (!read_config(&cfg))
		EXPECT(cfg.ageing_ns == 1000000000ULL, "ageing_ns %" PRIu64, (uint64_t)cfg.ageing_ns);
	learn(old, P_X2);
	frame_ip4(&f, old, src, 0, 1, 32, CS_GOOD);
	r = run_xdp(P_X1, &f);
	EXPECT_XDP(r, XDP_REDIRECT);		/* fresh: known unicast */
	usleep(1300 * 1000);
	/* From a new station: src itself aged too, and whether the reclaimer
	 * took its entry yet or not would change what its frame counts. */
	frame_ip4(&f, old, station(), 0, 1, 32, CS_GOOD);
	snap(&a);
	r = run_xdp(P_X1, &f);
	EXPECT_XDP(r, XDP_PASS);		/* aged: flood, and a tc port floods */
	r = run_tc(P_X1, &f);
	EXPECT_TC(r, TC_ACT_REDIRECT);
	snap(&b);
	{
		char spec[200];

		snprintf(spec, sizeof(spec), "x1.rx_packets=1 x1.flooded=1 x1.learned=1 "
			 "x2.tx_packets=1 tc.tx_packets=1%s%s",
			 pis_port[P_TAP] ? " tap.tx_packets=1" : "",
			 pis_port[P_HOST] ? " host.tx_packets=1" : "");
		expect_deltas(&a, &b, f.len, spec);
	}
	case_end();

	case_begin("ageing: static entries never age");
	frame_ip4(&f, s, station(), 0, 1, 32, CS_GOOD);
	snap(&a);
	r = run_tc(P_X1, &f);
	snap(&b);
	EXPECT_TC(r, TC_ACT_REDIRECT);
	expect_deltas(&a, &b, f.len, "x1.rx_packets=1 x1.learned=1 x2.tx_packets=1");
	case_end();

	case_begin("ageing: a frame from an aged station refreshes it");
	frame_raw(&f, BCAST, old, 60);
	r = run_xdp(P_X2, &f);
	EXPECT_XDP(r, XDP_PASS);
	frame_ip4(&f, old, src, 0, 1, 32, CS_GOOD);
	r = run_xdp(P_X1, &f);
	EXPECT_XDP(r, XDP_REDIRECT);
	case_end();

	set_ageing(XBR_AGEING_DEFAULT_S);
}

static void t_not_ours(void)
{
	const uint8_t *m = station();
	struct frame f;
	struct snap a, b;
	int r;

	case_begin("xdp: frame from a netdev that is no port -> XDP_PASS untouched");
	frame_ip4(&f, BCAST, m, 0, 6, 40, CS_BAD);
	snap(&a);
	r = run_xdp(P_OUT, &f);
	snap(&b);
	EXPECT_XDP(r, XDP_PASS);
	expect_unchanged(&f);
	expect_no_fdb(m);
	expect_deltas(&a, &b, f.len, "");
	case_end();

	case_begin("tc: frame from a netdev that is no port -> TC_ACT_OK untouched");
	snap(&a);
	r = run_tc(P_OUT, &f);
	snap(&b);
	EXPECT_TC(r, TC_ACT_OK);
	expect_unchanged(&f);
	expect_no_fdb(m);
	expect_deltas(&a, &b, f.len, "");
	case_end();

	case_begin("xdp: a link-local frame from a netdev that is no port is left alone");
	{
		static const uint8_t ll[6] = { 0x01, 0x80, 0xc2, 0x00, 0x00, 0x0e };

		frame_raw(&f, ll, m, 60);
		r = run_xdp(P_OUT, &f);
		EXPECT_XDP(r, XDP_PASS);
		r = run_tc(P_OUT, &f);
		EXPECT_TC(r, TC_ACT_OK);
	}
	case_end();
}

/*
 * XDP may forward a frame from a port with untrusted checksums only if its
 * L4 checksum is complete when it leaves: either the program passes it to
 * tc untouched, or it redirects it with a correct checksum (verified, or
 * finished from the pseudo-header sum a guest left for offload).
 */
/* csum_case()'s @want beside an XDP verdict: pass or forward complete (-1),
 * forward complete and nothing else (CSUM_FORWARDED). */
#define CSUM_FORWARDED	(-2)

static void csum_case(const char *name, int port, const struct frame *f,
		      const struct frame *good, int want)
{
	struct snap a, b;
	int r;

	case_begin(name);
	snap(&a);
	r = run_xdp(port, f);
	snap(&b);
	if (want >= 0) {
		EXPECT_XDP(r, want);
		if (r == XDP_PASS)
			expect_unchanged(f);
	} else if (want == CSUM_FORWARDED && r != XDP_REDIRECT) {
		fail("XDP verdict %s, expected XDP_REDIRECT with a complete checksum",
		     xdp_name(r));
	} else if (r == XDP_PASS) {
		expect_unchanged(f);
		expect_deltas(&a, &b, f->len, "");
	} else if (r == XDP_REDIRECT) {
		EXPECT(out_len == good->len && !memcmp(out_buf, good->b, good->len),
		       "redirected with the checksum %#06x, correct is %#06x",
		       out_len > good->csum + 1 ? get16(out_buf + good->csum) : 0,
		       get16(good->b + good->csum));
	} else {
		fail("XDP verdict %s, expected XDP_PASS or XDP_REDIRECT with a complete checksum",
		     xdp_name(r));
	}
	if (want < 0)
		note("%s", r == XDP_PASS ? "passed to tc" : "forwarded by XDP");
	case_end();
}

static void t_csum(void)
{
	const uint8_t *dst = station(), *src = station();
	struct frame f, g;

	if (!pis_port[P_TAP]) {
		case_skip("untrusted-checksum port cases", "no tap port");
		return;
	}
	learn(dst, P_X2);
	learn(src, P_TAP);

	frame_ip4(&f, dst, src, 0, 6, 40, CS_BAD);
	csum_case("xdp, untrusted port: TCP with a wrong checksum -> XDP_PASS", P_TAP, &f, &f,
		  XDP_PASS);
	frame_ip4(&f, dst, src, 0, 17, 40, CS_BAD);
	csum_case("xdp, untrusted port: UDP with a wrong checksum -> XDP_PASS", P_TAP, &f, &f,
		  XDP_PASS);
	frame_ip6(&f, dst, src, 6, 40, CS_BAD, 0);
	csum_case("xdp, untrusted port: TCP/IPv6 with a wrong checksum -> XDP_PASS", P_TAP, &f,
		  &f, XDP_PASS);
	frame_ip4(&f, dst, src, 0, 6, 1460, CS_BAD);
	csum_case("xdp, untrusted port: 1500-byte TCP with a wrong checksum -> XDP_PASS", P_TAP,
		  &f, &f, XDP_PASS);
	frame_ip6(&f, dst, src, 17, 1440, CS_BAD, 0);
	csum_case("xdp, untrusted port: large UDP/IPv6 with a wrong checksum -> XDP_PASS",
		  P_TAP, &f, &f, XDP_PASS);

	frame_ip4(&f, dst, src, 0, 1, 56, CS_GOOD);
	csum_case("xdp, untrusted port: ICMP -> XDP_REDIRECT", P_TAP, &f, &f, XDP_REDIRECT);
	frame_arp(&f, dst, src, 2);
	csum_case("xdp, untrusted port: unicast ARP -> XDP_REDIRECT", P_TAP, &f, &f,
		  XDP_REDIRECT);
	frame_ip6(&f, dst, src, 58, 56, CS_GOOD, 0);
	csum_case("xdp, untrusted port: ICMPv6 -> XDP_REDIRECT", P_TAP, &f, &f, XDP_REDIRECT);

	frame_ip4(&f, dst, src, 0, 6, 40, CS_GOOD);
	csum_case("xdp, untrusted port: small TCP, complete checksum -> pass or forward intact",
		  P_TAP, &f, &f, -1);
	frame_ip4(&f, dst, src, 0, 6, 40, CS_PSEUDO);
	frame_ip4(&g, dst, src, 0, 6, 40, CS_GOOD);
	csum_case("xdp, untrusted port: small TCP left for offload -> pass, or forward with "
		  "the checksum finished", P_TAP, &f, &g, -1);
	frame_ip4(&f, dst, src, 0, 17, 41, CS_PSEUDO);
	frame_ip4(&g, dst, src, 0, 17, 41, CS_GOOD);
	csum_case("xdp, untrusted port: small UDP (odd length) left for offload -> pass, or "
		  "forward finished", P_TAP, &f, &g, -1);
	/* Every tail after the 32-bit words: none, a byte, a half, both. */
	frame_ip4(&f, dst, src, 0, 17, 42, CS_PSEUDO);
	frame_ip4(&g, dst, src, 0, 17, 42, CS_GOOD);
	csum_case("xdp, untrusted port: small UDP (length 2 mod 4) left for offload -> "
		  "XDP_REDIRECT, finished", P_TAP, &f, &g, CSUM_FORWARDED);
	frame_ip4(&f, dst, src, 0, 17, 43, CS_PSEUDO);
	frame_ip4(&g, dst, src, 0, 17, 43, CS_GOOD);
	csum_case("xdp, untrusted port: small UDP (length 3 mod 4) left for offload -> "
		  "XDP_REDIRECT, finished", P_TAP, &f, &g, CSUM_FORWARDED);
	frame_ip6(&f, dst, src, 6, 40, CS_PSEUDO, 0);
	frame_ip6(&g, dst, src, 6, 40, CS_GOOD, 0);
	csum_case("xdp, untrusted port: small TCP/IPv6 left for offload -> pass, or forward "
		  "finished", P_TAP, &f, &g, -1);
	/* Past one bpf_csum_diff() chunk (512 bytes): chunks, then words. A
	 * complete sum is forwarded; one left for offload is finished only up
	 * to 512 bytes (a larger one may be a GSO skb, still PARTIAL). */
	frame_ip4(&f, dst, src, 0, 6, 1460, CS_GOOD);
	csum_case("xdp, untrusted port: 1500-byte TCP, complete checksum -> XDP_REDIRECT "
		  "intact", P_TAP, &f, &f, CSUM_FORWARDED);
	frame_ip4(&f, dst, src, 0, 17, 1001, CS_GOOD);
	csum_case("xdp, untrusted port: UDP of 1009 bytes (odd), complete checksum -> "
		  "XDP_REDIRECT intact", P_TAP, &f, &f, CSUM_FORWARDED);
	frame_ip6(&f, dst, src, 6, 1420, CS_GOOD, 0);
	csum_case("xdp, untrusted port: large TCP/IPv6, complete checksum -> XDP_REDIRECT "
		  "intact", P_TAP, &f, &f, CSUM_FORWARDED);
	frame_ip4(&f, dst, src, 0, 6, 1460, CS_PSEUDO);
	csum_case("xdp, untrusted port: 1500-byte TCP left for offload -> XDP_PASS", P_TAP, &f,
		  &f, XDP_PASS);
	frame_ip4(&f, dst, src, 0, 17, 505, CS_PSEUDO);
	csum_case("xdp, untrusted port: UDP of 513 bytes left for offload -> XDP_PASS", P_TAP,
		  &f, &f, XDP_PASS);
	frame_ip4(&f, dst, src, 0, 17, 504, CS_PSEUDO);
	frame_ip4(&g, dst, src, 0, 17, 504, CS_GOOD);
	csum_case("xdp, untrusted port: UDP of 512 bytes (one chunk) left for offload -> "
		  "XDP_REDIRECT, finished", P_TAP, &f, &g, CSUM_FORWARDED);
	frame_ip4(&f, dst, src, 0, 17, 40, CS_ZERO);
	csum_case("xdp, untrusted port: UDP without checksum -> pass or forward intact", P_TAP,
		  &f, &f, -1);
	/* A first fragment's L4 checksum covers the whole datagram: the
	 * frame's own length would finish it wrong. */
	frame_ip4(&f, dst, src, 0, 17, 40, CS_PSEUDO);
	frame_ip4_frag(&f, 0x2000);
	csum_case("xdp, untrusted port: UDP first fragment (MF) left for offload -> XDP_PASS",
		  P_TAP, &f, &f, XDP_PASS);

	frame_ip4(&f, dst, src, 100, 6, 40, CS_BAD);
	csum_case("xdp, untrusted port: 802.1Q-tagged TCP with a wrong checksum -> XDP_PASS",
		  P_TAP, &f, &f, XDP_PASS);
	frame_ip4(&f, dst, src, 100, 6, 40, CS_BAD);
	frame_push_tag(&f, 0x88a8, 200);
	csum_case("xdp, untrusted port: 802.1ad+802.1Q (QinQ) TCP, wrong checksum -> XDP_PASS",
		  P_TAP, &f, &f, XDP_PASS);
	frame_ip4(&f, dst, src, 100, 6, 40, CS_PSEUDO);
	frame_ip4(&g, dst, src, 100, 6, 40, CS_GOOD);
	csum_case("xdp, untrusted port: 802.1Q-tagged small TCP left for offload -> pass, or "
		  "forward finished", P_TAP, &f, &g, -1);
	frame_ip4(&f, dst, src, 100, 1, 56, CS_GOOD);
	csum_case("xdp, untrusted port: 802.1Q-tagged ICMP -> XDP_REDIRECT", P_TAP, &f, &f,
		  XDP_REDIRECT);
	frame_ip6(&f, dst, src, 6, 40, CS_BAD, 1);
	csum_case("xdp, untrusted port: TCP/IPv6 behind a hop-by-hop header, wrong "
		  "checksum -> XDP_PASS", P_TAP, &f, &f, XDP_PASS);

	learn(src, P_X1);
	frame_ip4(&f, dst, src, 0, 6, 40, CS_BAD);
	csum_case("xdp, trusted port (mode xdp): TCP forwarded as it is -> XDP_REDIRECT", P_X1,
		  &f, &f, XDP_REDIRECT);
	frame_ip4(&f, dst, src, 0, 17, 1000, CS_PSEUDO);
	csum_case("xdp, trusted port (mode xdp): large UDP -> XDP_REDIRECT", P_X1, &f, &f,
		  XDP_REDIRECT);

	xdp_flood(1);
	frame_arp(&f, BCAST, src, 1);
	csum_case("xdp, untrusted port: ARP broadcast, XDP flood on -> XDP_REDIRECT", P_TAP, &f,
		  &f, XDP_REDIRECT);
	frame_ip4(&f, BCAST, src, 0, 17, 40, CS_BAD);
	csum_case("xdp, untrusted port: UDP broadcast, wrong checksum -> XDP_PASS", P_TAP, &f,
		  &f, XDP_PASS);
	xdp_flood(0);
}

static void t_egress(void)
{
	const uint8_t *dst = station(), *src = station();
	struct xdp_md ctx = { .ingress_ifindex = pif[P_X1], .egress_ifindex = pif[P_X2] };
	struct frame f;
	struct snap a, b;
	char why[160], spec[160];
	int err;

	frame_raw(&f, BCAST, src, 60);
	{
		LIBBPF_OPTS(bpf_test_run_opts, o,
			.data_in = f.b, .data_size_in = (uint32_t)f.len,
			.ctx_in = &ctx, .ctx_size_in = sizeof(ctx), .repeat = 1);

		snap(&a);
		err = bpf_prog_test_run_opts(fd_egress, &o) ? -errno : 0;
		snap(&b);
		if (err) {
			snprintf(why, sizeof(why), "BPF_PROG_TEST_RUN of a devmap (egress) "
				 "program: %s, this kernel refuses it; covered by live frames "
				 "below", strerror(-err));
			case_skip("egress: test_run of the devmap program counts tx", why);
		} else {
			case_begin("egress: test_run of the devmap program counts tx");
			EXPECT_XDP((int)o.retval, XDP_PASS);
			expect_deltas(&a, &b, f.len, "x2.tx_packets=1");
			case_end();
		}
	}

	learn(dst, P_X2);
	learn(src, P_X1);
	case_begin("egress (live frames): XDP unicast is counted once, at ingress (no egress "
		   "program on tx_ports entries, one on flood_ports entries)");
	{
		static const int xp[] = { P_X1, P_X2, P_TAP };
		size_t i;

		for (i = 0; i < sizeof(xp) / sizeof(xp[0]); i++) {
			long tx = devmap_prog(fd_tx_ports, xp[i]), fl;

			if (!pis_port[xp[i]])
				continue;
			fl = devmap_prog(fd_flood_ports, xp[i]);
			EXPECT(tx == 0, "tx_ports entry of %s: %s", pdev[xp[i]],
			       tx < 0 ? "missing" : "carries a program");
			EXPECT(fl > 0, "flood_ports entry of %s: %s", pdev[xp[i]],
			       fl < 0 ? "missing" : "carries no program");
		}
	}
	frame_ip4(&f, dst, src, 0, 1, 32, CS_GOOD);
	snap(&a);
	err = run_xdp_live(P_X1, &f);
	snap(&b);
	EXPECT(!err, "live test_run: %s", strerror(-err));
	expect_deltas(&a, &b, f.len, "x1.rx_packets=1 x2.tx_packets=1");
	case_end();

	case_begin("egress (live frames): XDP flood counts tx on every flood port but the "
		   "ingress");
	xdp_flood(1);
	frame_raw(&f, BCAST, src, 60);
	snap(&a);
	err = run_xdp_live(P_X1, &f);
	snap(&b);
	xdp_flood(0);
	EXPECT(!err, "live test_run: %s", strerror(-err));
	snprintf(spec, sizeof(spec), "x1.rx_packets=1 x1.flooded=1 x2.tx_packets=1%s",
		 pis_port[P_TAP] ? " tap.tx_packets=1" : "");
	expect_deltas(&a, &b, f.len, spec);
	case_end();
}

static const uint8_t *a1, *a2, *b2, *c10, *t20;

static void t_vlan(void)
{
	struct xbr_config cfg;
	struct frame f, g;
	struct snap a, b;
	const uint8_t *m;
	char spec[256];
	size_t l;
	int p, r;

	if (!pis_port[P_TAP]) {
		case_skip("vlan cases", "no tap port");
		return;
	}
	a1 = station();		/* behind x1, VLAN 10 */
	a2 = station();		/* behind x2, VLAN 10 */
	b2 = station();		/* behind x2, VLAN 20 */
	c10 = station();	/* behind tc, VLAN 10 */
	t20 = station();	/* behind tap, VLAN 20 */

	case_begin("vlan: every port starts as an untagged member of VLAN 1, pvid 1, filtering off");
	for (p = 0; p < P_MAX; p++) {
		if (!pis_port[p] || p == P_GONE)
			continue;
		port_refresh(p);
		EXPECT(pinfo[p].pvid == XBR_VID_DEFAULT, "%s has pvid %u", pdev[p], pinfo[p].pvid);
		EXPECT(vlan_of(p, 1) == XBR_VLAN_F_UNTAGGED, "%s: VLAN 1 entry %d", pdev[p],
		       vlan_of(p, 1));
	}
	if (read_config(&cfg))
		fail("cannot read config");
	EXPECT(!(cfg.flags & XBR_CFG_F_VLAN_FILTERING), "filtering on before any vlan add");
	case_end();

	case_begin("vlan: the first vlan add turns filtering on; deleting the pvid's VLAN leaves "
		   "pvid 0");
	vlan_add(P_X1, 10, 10, true, true);
	if (read_config(&cfg))
		fail("cannot read config");
	EXPECT(cfg.flags & XBR_CFG_F_VLAN_FILTERING, "filtering still off after vlan add");
	vlan_add(P_X2, 10, 20, false, false);
	vlan_del(P_X2, 1, 1);
	vlan_add(P_TC, 10, 20, false, false);
	vlan_del(P_TC, 1, 1);
	vlan_add(P_TAP, 10, 20, false, false);
	EXPECT(pinfo[P_X1].pvid == 10 && pinfo[P_X2].pvid == 0 && pinfo[P_TC].pvid == 0 &&
	       pinfo[P_TAP].pvid == 1, "pvids x1 %u x2 %u tc %u tap %u", pinfo[P_X1].pvid,
	       pinfo[P_X2].pvid, pinfo[P_TC].pvid, pinfo[P_TAP].pvid);
	EXPECT(vlan_of(P_X1, 10) == XBR_VLAN_F_UNTAGGED && vlan_of(P_X2, 20) == 0 &&
	       vlan_of(P_X2, 15) == 0 && vlan_of(P_X2, 1) == -1 && vlan_of(P_X1, 20) == -1,
	       "memberships x1/10 %d x2/20 %d x2/15 %d x2/1 %d x1/20 %d", vlan_of(P_X1, 10),
	       vlan_of(P_X2, 20), vlan_of(P_X2, 15), vlan_of(P_X2, 1), vlan_of(P_X1, 20));
	case_end();

	/* ---- ingress: classification ---- */
	case_begin("vlan, xdp: an untagged frame on an access port takes its pvid (learned in "
		   "VLAN 10 only)");
	frame_raw(&f, BCAST, a1, 60);
	xdp_step(P_X1, &f, XDP_PASS, NULL, "x1.learned=1");
	expect_fdb_v(a1, 10, P_X1, 0);
	expect_no_fdb_v(a1, 0);
	expect_no_fdb_v(a1, 1);
	case_end();

	case_begin("vlan, tc: an untagged frame on an access port takes its pvid, floods VLAN 10 "
		   "only");
	m = station();
	frame_raw(&f, BCAST, m, 60);
	tc_step(P_X1, &f, TC_ACT_REDIRECT, "x1.rx_packets=1 x1.flooded=1 x1.learned=1 "
		"x2.tx_packets=1 tc.tx_packets=1 tap.tx_packets=1");
	expect_fdb_v(m, 10, P_X1, 0);
	expect_no_fdb_v(m, 0);
	case_end();

	case_begin("vlan, xdp+tc: a priority tag (VID 0) counts as untagged: the pvid");
	m = station();
	frame_raw(&f, BCAST, m, 60);
	frame_push_tag(&f, 0x8100, 0xa000);
	xdp_step(P_X1, &f, XDP_PASS, NULL, "x1.learned=1");
	expect_fdb_v(m, 10, P_X1, 0);
	expect_no_fdb_v(m, 0);
	m = station();
	frame_raw(&f, BCAST, m, 60);
	frame_push_tag(&f, 0x8100, 0xa000);
	tc_step(P_X1, &f, TC_ACT_REDIRECT, "x1.rx_packets=1 x1.flooded=1 x1.learned=1 "
		"x2.tx_packets=1 tc.tx_packets=1 tap.tx_packets=1");
	expect_fdb_v(m, 10, P_X1, 0);
	case_end();

	case_begin("vlan, xdp+tc: a frame tagged with a VLAN the port is not in is dropped, vlan "
		   "counted, nothing learned");
	m = station();
	frame_raw(&f, BCAST, m, 60);
	frame_push_tag(&f, 0x8100, 20);
	xdp_step(P_X1, &f, XDP_DROP, NULL, "x1.rx_packets=1 x1.vlan=1");
	tc_step(P_X1, &f, TC_ACT_SHOT, "x1.rx_packets=1 x1.vlan=1");
	frame_ip4(&f, a1, m, 30, 1, 32, CS_GOOD);
	xdp_step(P_X2, &f, XDP_DROP, NULL, "x2.rx_packets=1 x2.vlan=1");
	tc_step(P_TC, &f, TC_ACT_SHOT, "tc.rx_packets=1 tc.vlan=1");
	expect_no_fdb_v(m, 20);
	expect_no_fdb_v(m, 30);
	expect_no_fdb_v(m, 10);
	case_end();

	case_begin("vlan, xdp+tc: a port without pvid drops untagged and priority-tagged frames");
	m = station();
	frame_raw(&f, BCAST, m, 60);
	xdp_step(P_X2, &f, XDP_DROP, NULL, "x2.rx_packets=1 x2.vlan=1");
	tc_step(P_TC, &f, TC_ACT_SHOT, "tc.rx_packets=1 tc.vlan=1");
	frame_push_tag(&f, 0x8100, 0);
	xdp_step(P_X2, &f, XDP_DROP, NULL, "x2.rx_packets=1 x2.vlan=1");
	tc_step(P_TC, &f, TC_ACT_SHOT, "tc.rx_packets=1 tc.vlan=1");
	expect_no_fdb_v(m, 0);
	case_end();

	case_begin("vlan, xdp+tc: tagged frames on a trunk are learned in their VLAN");
	learn_v(a2, P_X2, 10, 10);
	learn_v(b2, P_X2, 20, 20);
	learn_v(c10, P_TC, 10, 10);
	learn_v(t20, P_TAP, 20, 20);
	expect_no_fdb_v(a2, 20);
	expect_no_fdb_v(b2, 10);
	case_end();

	case_begin("vlan: one MAC in two VLANs is two stations; a move stays inside its VLAN");
	m = station();
	frame_raw(&f, BCAST, m, 60);
	xdp_step(P_X1, &f, XDP_PASS, NULL, "x1.learned=1");
	frame_push_tag(&f, 0x8100, 20);
	xdp_step(P_X2, &f, XDP_PASS, NULL, "x2.learned=1");
	expect_fdb_v(m, 10, P_X1, 0);
	expect_fdb_v(m, 20, P_X2, 0);
	frame_raw(&f, BCAST, m, 60);
	frame_push_tag(&f, 0x8100, 10);
	xdp_step(P_X2, &f, XDP_PASS, NULL, "x2.moves=1");
	expect_fdb_v(m, 10, P_X2, 0);
	expect_fdb_v(m, 20, P_X2, 0);
	case_end();

	case_begin("vlan, xdp+tc: a station known in VLAN 10 is unknown in VLAN 20: flooded there");
	frame_ip4(&f, a1, b2, 20, 1, 32, CS_GOOD);
	xdp_step(P_X2, &f, XDP_PASS, NULL, "");
	tc_step(P_X2, &f, TC_ACT_REDIRECT, "x2.rx_packets=1 x2.flooded=1 tc.tx_packets=1 "
		"tap.tx_packets=1");
	case_end();

	/* ---- egress: unicast tagging, XDP (the frame the program leaves) ----
	 * XDP counts tx on the egress port with the frame's final length: the
	 * frame it leaves (g), which is 4 bytes longer or shorter when a tag
	 * was pushed or popped. */
	case_begin("vlan, xdp: untagged access -> tagged trunk: the tag is pushed");
	frame_ip4(&f, a2, a1, 0, 1, 32, CS_GOOD);
	frame_ip4(&g, a2, a1, 10, 1, 32, CS_GOOD);
	snprintf(spec, sizeof(spec), "x1.rx_packets=1 x2.tx_packets=1 x2.tx_bytes=%zu", g.len);
	EXPECT(g.len == f.len + 4, "pushed frame is %zu bytes, from %zu", g.len, f.len);
	xdp_step(P_X1, &f, XDP_REDIRECT, &g, spec);
	case_end();

	case_begin("vlan, xdp: tagged trunk -> untagged access: the tag is popped");
	frame_ip4(&f, a1, a2, 10, 1, 32, CS_GOOD);
	frame_ip4(&g, a1, a2, 0, 1, 32, CS_GOOD);
	snprintf(spec, sizeof(spec), "x2.rx_packets=1 x1.tx_packets=1 x1.tx_bytes=%zu", g.len);
	EXPECT(g.len + 4 == f.len, "popped frame is %zu bytes, from %zu", g.len, f.len);
	xdp_step(P_X2, &f, XDP_REDIRECT, &g, spec);
	case_end();

	case_begin("vlan, xdp: priority-tagged access -> trunk: the tag gets VLAN 10, its priority "
		   "kept");
	frame_ip4(&f, a2, a1, 0, 1, 32, CS_GOOD);
	frame_push_tag(&f, 0x8100, 0xa000);
	frame_ip4(&g, a2, a1, 0, 1, 32, CS_GOOD);
	frame_push_tag(&g, 0x8100, 0xa00a);
	/* the tag is rewritten, not pushed: same length */
	xdp_step(P_X1, &f, XDP_REDIRECT, &g, "x1.rx_packets=1 x2.tx_packets=1");
	case_end();

	case_begin("vlan, xdp: priority-tagged on a native VLAN -> untagged member: the tag is "
		   "popped");
	/* x1 carries VLAN 1 untagged; a frame tagged 1 from it is in VLAN 1 */
	m = station();
	learn_v(m, P_X1, 1, 1);
	frame_ip4(&f, m, t20, 0, 1, 32, CS_GOOD);
	frame_push_tag(&f, 0x8100, 0x6000);
	frame_ip4(&g, m, t20, 0, 1, 32, CS_GOOD);
	/* t20 is known in VLAN 20 only: new in VLAN 1 */
	snprintf(spec, sizeof(spec), "tap.rx_packets=1 tap.learned=1 x1.tx_packets=1 "
		 "x1.tx_bytes=%zu", g.len);
	xdp_step(P_TAP, &f, XDP_REDIRECT, &g, spec);
	case_end();

	/* 802.1Q frames are MTU + 18 bytes on the wire: the tag is no payload
	 * (veth takes MTU + 14 + 4 from XDP). Either XDP forwards the final
	 * frame or tc gets the original and decides (the live case below). */
	{
		static const struct { int in, out; const uint8_t **dst, **src; uint16_t tin, tout;
				      const char *name; } fs[] = {
			{ P_X1, P_X2, &a2, &a1, 0, 10, "vlan, xdp: full-size untagged frame to a "
			  "trunk: forwarded tagged (1518 bytes) or passed untouched" },
			{ P_X2, P_X1, &a1, &a2, 10, 0, "vlan, xdp: full-size tagged frame (1518) to "
			  "an access port: forwarded untagged or passed untouched" },
			{ P_X2, P_TAP, &t20, &b2, 20, 20, "vlan, xdp: full-size tagged frame (1518) "
			  "trunk -> trunk: forwarded or passed untouched" },
		};
		size_t i;

		for (i = 0; i < sizeof(fs) / sizeof(fs[0]); i++) {
			case_begin(fs[i].name);
			frame_ip4(&f, *fs[i].dst, *fs[i].src, fs[i].tin, 1, 1500 - 28, CS_GOOD);
			frame_ip4(&g, *fs[i].dst, *fs[i].src, fs[i].tout, 1, 1500 - 28, CS_GOOD);
			snap(&a);
			r = run_xdp(fs[i].in, &f);
			snap(&b);
			if (r == XDP_PASS) {
				expect_out(&f);
				expect_deltas(&a, &b, f.len, "");
				note("passed to tc: XDP counts the tag against the MTU");
			} else {
				EXPECT_XDP(r, XDP_REDIRECT);
				expect_out(&g);
				snprintf(spec, sizeof(spec), "%s.rx_packets=1 %s.tx_packets=1 "
					 "%s.tx_bytes=%zu", pkey[fs[i].in], pkey[fs[i].out],
					 pkey[fs[i].out], g.len);
				expect_deltas(&a, &b, f.len, spec);
				note("forwarded by XDP");
			}
			case_end();
		}
	}

	case_begin("vlan, xdp: trunk -> trunk in the same VLAN: the tag stays");
	frame_ip4(&f, t20, b2, 20, 1, 32, CS_GOOD);
	xdp_step(P_X2, &f, XDP_REDIRECT, &f, "x2.rx_packets=1 tap.tx_packets=1");
	case_end();

	/*
	 * An XDP target whose devmap entry is missing (the kernel drops it when
	 * the netdev goes, while its stations stay in the FDB): XDP_PASS, and
	 * the frame must reach tc as it came. A popped tag would make tc
	 * classify it anew, into the ingress port's native VLAN.
	 */
	case_begin("vlan, xdp: unicast to an XDP target missing from tx_ports -> XDP_PASS with "
		   "the tag untouched (popped: it would enter the native VLAN)");
	{
		if (bpf_map_delete_elem(fd_tx_ports, &pif[P_X1]) ||
		    bpf_map_delete_elem(fd_tx_ports, &pif[P_X2]))
			fail("cannot delete x1/x2 from tx_ports: %s", strerror(errno));
		frame_ip4(&f, a1, t20, 10, 1, 32, CS_GOOD);	/* tap: native VLAN 1 */
		snap(&a);
		r = run_xdp(P_TAP, &f);
		snap(&b);
		EXPECT_XDP(r, XDP_PASS);
		expect_out(&f);
		expect_deltas(&a, &b, f.len, "tap.learned=1");
		frame_ip4(&f, a2, a1, 0, 1, 32, CS_GOOD);	/* push for a trunk */
		snap(&a);
		r = run_xdp(P_X1, &f);
		snap(&b);
		EXPECT_XDP(r, XDP_PASS);
		expect_out(&f);
		expect_deltas(&a, &b, f.len, "");
		if (tx_ports_restore(P_X1) || tx_ports_restore(P_X2))
			fail("cannot restore x1/x2 in tx_ports: %s", strerror(errno));
	}
	case_end();

	case_begin("vlan, xdp+tc: unicast to a port not in the frame's VLAN is dropped, vlan "
		   "counted");
	m = station();
	if (xbr_fdb_add(&br, m, 20, pdev[P_X1], true))
		fail("fdb add %s vlan 20 dev %s: %s", mac_str(m), pdev[P_X1], xbr_errmsg());
	frame_ip4(&f, m, b2, 20, 1, 32, CS_GOOD);
	xdp_step(P_X2, &f, XDP_DROP, NULL, "x2.rx_packets=1 x2.vlan=1");
	tc_step(P_X2, &f, TC_ACT_SHOT, "x2.rx_packets=1 x2.vlan=1");
	/* A station learned in VLAN 10 on tap, then tap leaves VLAN 10. */
	m = station();
	learn_v(m, P_TAP, 10, 10);
	vlan_del(P_TAP, 10, 10);
	frame_ip4(&f, m, a1, 0, 1, 32, CS_GOOD);
	xdp_step(P_X1, &f, XDP_DROP, NULL, "x1.rx_packets=1 x1.vlan=1");
	tc_step(P_X1, &f, TC_ACT_SHOT, "x1.rx_packets=1 x1.vlan=1");
	vlan_add(P_TAP, 10, 10, false, false);
	case_end();

	case_begin("vlan, xdp: a static entry in VLAN 0 matches every VLAN, tagged per egress port");
	m = station();
	if (xbr_fdb_add(&br, m, 0, pdev[P_X2], true))
		fail("fdb add %s vlan 0 dev %s: %s", mac_str(m), pdev[P_X2], xbr_errmsg());
	frame_ip4(&f, m, a1, 0, 1, 32, CS_GOOD);
	frame_ip4(&g, m, a1, 10, 1, 32, CS_GOOD);
	snprintf(spec, sizeof(spec), "x1.rx_packets=1 x2.tx_packets=1 x2.tx_bytes=%zu", g.len);
	xdp_step(P_X1, &f, XDP_REDIRECT, &g, spec);
	frame_ip4(&f, m, t20, 20, 1, 32, CS_GOOD);
	xdp_step(P_TAP, &f, XDP_REDIRECT, &f, "tap.rx_packets=1 x2.tx_packets=1");
	/* and nobody learns it over in a VLAN of their own */
	frame_raw(&f, BCAST, m, 60);
	xdp_step(P_X1, &f, XDP_PASS, NULL, "");
	expect_no_fdb_v(m, 10);
	expect_fdb_v(m, 0, P_X2, XBR_FDB_F_STATIC);
	case_end();

	case_begin("vlan, xdp: a dynamic entry in VLAN 0 matches no VLAN: flooded");
	m = station();
	if (fdb_put(m, pif[P_X2], 0, coarse_ns()))
		fail("cannot write the fdb map");
	frame_ip4(&f, m, a1, 0, 1, 32, CS_GOOD);
	xdp_step(P_X1, &f, XDP_PASS, NULL, "");
	case_end();

	/* ---- XDP floods: tagged out of the program, per port in the devmap ---- */
	xdp_flood(1);
	case_begin("vlan, xdp: a flood leaves the program tagged with its VLAN");
	m = station();
	frame_raw(&f, BCAST, m, 60);
	frame_raw(&g, BCAST, m, 60);
	frame_push_tag(&g, 0x8100, 10);
	xdp_step(P_X1, &f, XDP_REDIRECT, &g, "x1.rx_packets=1 x1.flooded=1 x1.learned=1");
	frame_raw(&f, BCAST, m, 60);
	frame_push_tag(&f, 0x8100, 0xa000);
	frame_raw(&g, BCAST, m, 60);
	frame_push_tag(&g, 0x8100, 0xa00a);
	xdp_step(P_X1, &f, XDP_REDIRECT, &g, "x1.rx_packets=1 x1.flooded=1");
	frame_raw(&f, BCAST, b2, 60);
	frame_push_tag(&f, 0x8100, 20);
	xdp_step(P_X2, &f, XDP_REDIRECT, &f, "x2.rx_packets=1 x2.flooded=1");
	case_end();

	if (!live_ok) {
		case_skip("vlan, xdp/tc (live frames)", "no peers= namespace or no packet sockets");
		xdp_flood(0);
		goto ctx;
	}
	case_begin("vlan, xdp (live frames): the devmap program keeps the tag for a trunk, "
		   "drops a non-member's copy, pops it for an access port");
	/* VLAN 10 from x1: x2 and tap (trunks) get it tagged; bytes as sent */
	m = station();
	frame_raw(&f, BCAST, m, 60);
	l = f.len;
	live_drain();
	snap(&a);
	r = run_xdp_live(P_X1, &f);
	snap(&b);
	EXPECT(!r, "live test_run: %s", strerror(-r));
	expect_live(P_X2, m, 10);
	snprintf(spec, sizeof(spec), "x1.rx_packets=1 x1.flooded=1 x1.learned=1 x2.tx_packets=1 "
		 "x2.tx_bytes=%zu tap.tx_packets=1 tap.tx_bytes=%zu", l + 4, l + 4);
	expect_deltas(&a, &b, l, spec);
	/* VLAN 20 from x2: x1 is no member */
	frame_raw(&f, BCAST, b2, 60);
	frame_push_tag(&f, 0x8100, 20);
	snap(&a);
	r = run_xdp_live(P_X2, &f);
	snap(&b);
	EXPECT(!r, "live test_run: %s", strerror(-r));
	expect_live(P_X1, b2, -1);
	expect_deltas(&a, &b, f.len, "x2.rx_packets=1 x2.flooded=1 tap.tx_packets=1");
	/* VLAN 1 (native) from tap: x1 gets it untagged, x2 nothing */
	m = station();
	frame_raw(&f, BCAST, m, 60);
	snap(&a);
	r = run_xdp_live(P_TAP, &f);
	snap(&b);
	EXPECT(!r, "live test_run: %s", strerror(-r));
	expect_live(P_X1, m, 0);
	expect_live(P_X2, m, -1);
	expect_deltas(&a, &b, f.len, "tap.rx_packets=1 tap.flooded=1 tap.learned=1 "
		      "x1.tx_packets=1");
	case_end();
	xdp_flood(0);

	/* ---- tc: the tag in skb metadata, seen on the far side ---- */
	case_begin("vlan, tc (live frames): unicast from a trunk leaves untagged for an access "
		   "port, tagged for a trunk");
	frame_ip4(&f, a1, c10, 10, 1, 32, CS_GOOD);
	l = f.len - 4;		/* tc counts skb->len: the kernel moved the tag into metadata */
	live_drain();
	snap(&a);
	live_send(P_TC, &f);
	expect_live(P_X1, c10, 0);
	snap(&b);
	snprintf(spec, sizeof(spec), "tc.rx_packets=1 x1.tx_packets=1");
	expect_deltas(&a, &b, l, spec);
	frame_ip4(&f, a2, c10, 10, 1, 32, CS_GOOD);
	snap(&a);
	live_send(P_TC, &f);
	expect_live(P_X2, c10, 10);
	snap(&b);
	expect_deltas(&a, &b, l, "tc.rx_packets=1 x2.tx_packets=1");
	case_end();

	/* XDP decides, tc carries it out: the decision handed over, once. */
	case_begin("vlan, tc (live frames): untagged access -> trunk (XDP passes its decision, tc "
		   "pushes the tag)");
	frame_ip4(&f, c10, a1, 0, 1, 32, CS_GOOD);
	live_drain();
	snap(&a);
	live_send(P_X1, &f);
	expect_live(P_TC, a1, 10);
	snap(&b);
	expect_deltas(&a, &b, f.len, "x1.rx_packets=1 x1.handoffs=1 tc.tx_packets=1");
	case_end();

	case_begin("vlan, tc (live frames): a flood from a trunk is untagged for the access port, "
		   "tagged for the trunks, nothing for VLAN 1 only ports");
	frame_raw(&f, BCAST, c10, 60);
	frame_push_tag(&f, 0x8100, 10);
	l = f.len - 4;
	live_drain();
	snap(&a);
	live_send(P_TC, &f);
	expect_live(P_X1, c10, 0);
	expect_live(P_X2, c10, 10);
	snap(&b);
	expect_deltas(&a, &b, l, "tc.rx_packets=1 tc.flooded=1 x1.tx_packets=1 x2.tx_packets=1 "
		      "tap.tx_packets=1");
	case_end();

	case_begin("vlan, tc (live frames): a tagged frame in a VLAN the trunk lacks goes nowhere, "
		   "vlan counted");
	frame_raw(&f, BCAST, c10, 60);
	frame_push_tag(&f, 0x8100, 30);
	l = f.len - 4;
	live_drain();
	snap(&a);
	live_send(P_TC, &f);
	expect_live(P_X1, c10, -1);
	expect_live(P_X2, c10, -1);
	snap(&b);
	expect_deltas(&a, &b, l, "tc.rx_packets=1 tc.vlan=1");
	case_end();

	case_begin("vlan, tc (live frames): a flood from a trunk through XDP_PASS: popped for the "
		   "access port, tagged again for the next trunk");
	m = station();
	frame_raw(&f, BCAST, m, 60);
	frame_push_tag(&f, 0x8100, 10);
	l = f.len - 4;
	live_drain();
	snap(&a);
	live_send(P_X2, &f);
	expect_live(P_X1, m, 0);
	expect_live(P_TC, m, 10);
	snap(&b);
	snprintf(spec, sizeof(spec), "x2.rx_packets=1 x2.flooded=1 x2.learned=1 x2.handoffs=1 "
		 "x1.tx_packets=1 tc.tx_packets=1 tap.tx_packets=1");
	expect_deltas(&a, &b, l, spec);
	case_end();

	/* The tag does not count against the MTU (a trunk carries full-size
	 * frames tagged, as on Linux). */
	case_begin("vlan (live frames): full-size frames: 1518 bytes tagged in, 1514 untagged out "
		   "and back, through tc and XDP");
	{
		struct live_rx rx;

		frame_ip4(&f, a1, c10, 10, 1, 1500 - 28, CS_GOOD);
		EXPECT(f.len == 1518, "frame is %zu bytes", f.len);
		live_drain();
		live_send(P_TC, &f);
		if (!live_recv(P_X1, c10, 1000, &rx))
			fail("1518-byte tagged frame from %s never left %s", pdev[P_TC], pdev[P_X1]);
		else
			EXPECT(!rx.tagged && rx.len == 1514, "left %s %s, %zu bytes", pdev[P_X1],
			       rx.tagged ? "tagged" : "untagged", rx.len);
		frame_ip4(&f, a1, a2, 10, 1, 1500 - 28, CS_GOOD);
		live_send(P_X2, &f);
		if (!live_recv(P_X1, a2, 1000, &rx))
			fail("1518-byte tagged frame from %s never left %s", pdev[P_X2], pdev[P_X1]);
		else
			EXPECT(!rx.tagged && rx.len == 1514, "left %s %s, %zu bytes", pdev[P_X1],
			       rx.tagged ? "tagged" : "untagged", rx.len);
		frame_ip4(&f, c10, a1, 0, 1, 1500 - 28, CS_GOOD);
		live_send(P_X1, &f);
		if (!live_recv(P_TC, a1, 1000, &rx))
			fail("1514-byte frame from %s never left %s", pdev[P_X1], pdev[P_TC]);
		else
			EXPECT(rx.tagged && (rx.tci & 0x0fff) == 10 && rx.len == 1514,
			       "left %s %s (tci %#x), %zu bytes", pdev[P_TC],
			       rx.tagged ? "tagged" : "untagged", rx.tci, rx.len);
		frame_ip4(&f, a2, a1, 0, 1, 1500 - 28, CS_GOOD);
		live_send(P_X1, &f);
		if (!live_recv(P_X2, a1, 1000, &rx))
			fail("1514-byte frame from %s never left %s", pdev[P_X1], pdev[P_X2]);
		else
			EXPECT(rx.tagged && (rx.tci & 0x0fff) == 10 && rx.len == 1514,
			       "left %s %s (tci %#x), %zu bytes", pdev[P_X2],
			       rx.tagged ? "tagged" : "untagged", rx.tci, rx.len);
	}
	case_end();

ctx:
	/* test_run's ctx_out: whether this kernel reports the skb's tag */
	frame_ip4(&f, c10, a1, 0, 1, 32, CS_GOOD);
	r = run_tc(P_X1, &f);
	if (r == TC_ACT_REDIRECT && !tc_ctx_out.vlan_present) {
		case_skip("vlan, tc (test_run): the pushed tag in ctx_out",
			  "this kernel returns no vlan_present/vlan_tci in ctx_out (and the "
			  "data has no metadata tag): covered by the live frames above");
	} else {
		case_begin("vlan, tc (test_run): untagged access -> trunk: tag 10 in skb metadata");
		EXPECT_TC(r, TC_ACT_REDIRECT);
		EXPECT(tc_ctx_out.vlan_present && (tc_ctx_out.vlan_tci & 0x0fff) == 10,
		       "vlan_present %u vlan_tci %#x", tc_ctx_out.vlan_present,
		       tc_ctx_out.vlan_tci);
		case_end();
	}
}

static void t_vlan_off(void)
{
	const uint8_t *s = station(), *d = station();
	struct frame f;

	case_begin("vlan filtering off: tags pass untouched, every frame in VLAN 0");
	if (xbr_bridge_set_vlan_filtering(&br, false))
		fail("vlan-filtering off: %s", xbr_errmsg());
	frame_raw(&f, BCAST, d, 60);
	frame_push_tag(&f, 0x8100, 99);
	xdp_step(P_X2, &f, XDP_PASS, NULL, "x2.learned=1");
	expect_fdb_v(d, 0, P_X2, 0);
	expect_no_fdb_v(d, 99);
	frame_ip4(&f, d, s, 20, 1, 32, CS_GOOD);
	xdp_step(P_X1, &f, XDP_REDIRECT, &f, "x1.rx_packets=1 x1.learned=1 x2.tx_packets=1");
	tc_step(P_X1, &f, TC_ACT_REDIRECT, "x1.rx_packets=1 x2.tx_packets=1");
	expect_unchanged(&f);
	expect_fdb_v(s, 0, P_X1, 0);
	frame_ip4(&f, s, d, 0, 1, 32, CS_GOOD);		/* untagged on x2: no pvid, no matter */
	xdp_step(P_X2, &f, XDP_REDIRECT, &f, "x2.rx_packets=1 x1.tx_packets=1");
	case_end();
}

/* ---- port security ---- */
static const uint8_t *own1, *own2, *sdst;

static void t_sec_mac(void)
{
	const uint8_t *other = station(), *m1 = station(), *m2 = station(), *m3 = station();
	struct xbr_port_sec sec;
	struct xbr_config cfg;
	struct frame f;

	own1 = station();
	own2 = station();
	sdst = station();
	learn(sdst, P_TAP);

	case_begin("security: a MAC configured on a port is refused on every other, locked or "
		   "not (mac_spoof)");
	xbr_port_sec_init(&sec);
	sec.nr_macs = 1;
	memcpy(sec.macs[0], own2, 6);
	set_sec(P_X2, &sec);
	EXPECT(!(pinfo[P_X2].flags & XBR_PORT_F_LOCKED), "x2 got locked");
	if (!read_config(&cfg))
		EXPECT(cfg.flags & XBR_CFG_F_SEC_MACS, "XBR_CFG_F_SEC_MACS not set");
	frame_ip4(&f, sdst, own2, 0, 1, 32, CS_GOOD);
	xdp_step(P_X1, &f, XDP_DROP, NULL, "x1.rx_packets=1 x1.mac_spoof=1");
	tc_step(P_TC, &f, TC_ACT_SHOT, "tc.rx_packets=1 tc.mac_spoof=1");
	expect_no_fdb(own2);
	xdp_step(P_X2, &f, XDP_REDIRECT, NULL, "x2.rx_packets=1 x2.learned=1 tap.tx_packets=1");
	expect_fdb(own2, P_X2, 0);
	case_end();

	case_begin("security: a locked port sends from its own MACs only (locked)");
	xbr_port_sec_init(&sec);
	sec.locked = 1;
	sec.nr_macs = 1;
	memcpy(sec.macs[0], own1, 6);
	set_sec(P_X1, &sec);
	EXPECT(pinfo[P_X1].flags & XBR_PORT_F_LOCKED, "x1 not locked (flags %#x)",
	       pinfo[P_X1].flags);
	frame_ip4(&f, sdst, own1, 0, 1, 32, CS_GOOD);
	xdp_step(P_X1, &f, XDP_REDIRECT, NULL, "x1.rx_packets=1 x1.learned=1 tap.tx_packets=1");
	frame_ip4(&f, sdst, other, 0, 1, 32, CS_GOOD);
	xdp_step(P_X1, &f, XDP_DROP, NULL, "x1.rx_packets=1 x1.locked=1");
	tc_step(P_X1, &f, TC_ACT_SHOT, "x1.rx_packets=1 x1.locked=1");
	expect_no_fdb(other);
	EXPECT(rt_nr_macs(P_X1) == 0, "nr_macs %u", rt_nr_macs(P_X1));
	frame_ip4(&f, sdst, own1, 0, 1, 32, CS_GOOD);
	tc_step(P_TC, &f, TC_ACT_SHOT, "tc.rx_packets=1 tc.mac_spoof=1");
	expect_fdb(own1, P_X1, 0);
	case_end();

	case_begin("security: max-macs 2: a locked port learns 2 more MACs, then locked; they "
		   "are its own");
	xbr_port_sec_init(&sec);
	sec.max_macs = 2;
	set_sec(P_X1, &sec);
	frame_ip4(&f, sdst, m1, 0, 1, 32, CS_GOOD);
	xdp_step(P_X1, &f, XDP_REDIRECT, NULL, "x1.rx_packets=1 x1.learned=1 tap.tx_packets=1");
	frame_ip4(&f, sdst, m2, 0, 1, 32, CS_GOOD);
	tc_step(P_X1, &f, TC_ACT_REDIRECT, "x1.rx_packets=1 x1.learned=1 tap.tx_packets=1");
	frame_ip4(&f, sdst, m3, 0, 1, 32, CS_GOOD);
	xdp_step(P_X1, &f, XDP_DROP, NULL, "x1.rx_packets=1 x1.locked=1");
	tc_step(P_X1, &f, TC_ACT_SHOT, "x1.rx_packets=1 x1.locked=1");
	EXPECT(rt_nr_macs(P_X1) == 2, "port_rt nr_macs %u, expected 2", rt_nr_macs(P_X1));
	expect_no_fdb(m3);
	frame_ip4(&f, sdst, m1, 0, 1, 32, CS_GOOD);
	xdp_step(P_X1, &f, XDP_REDIRECT, NULL, "x1.rx_packets=1 tap.tx_packets=1");
	xdp_step(P_X2, &f, XDP_DROP, NULL, "x2.rx_packets=1 x2.mac_spoof=1");
	EXPECT(rt_nr_macs(P_X1) == 2, "port_rt nr_macs %u, expected 2", rt_nr_macs(P_X1));
	case_end();
}

/* One frame from x1 (locked to own1, IP-locked) through XDP and tc. */
static void ip_case(const char *name, const struct frame *f, int pass)
{
	case_begin(name);
	if (pass) {
		xdp_step(P_X1, f, XDP_REDIRECT, NULL, "x1.rx_packets=1 tap.tx_packets=1");
		tc_step(P_X1, f, TC_ACT_REDIRECT, "x1.rx_packets=1 tap.tx_packets=1");
	} else {
		xdp_step(P_X1, f, XDP_DROP, NULL, "x1.rx_packets=1 x1.ip_spoof=1");
		tc_step(P_X1, f, TC_ACT_SHOT, "x1.rx_packets=1 x1.ip_spoof=1");
	}
	case_end();
}

static void t_sec_ip(void)
{
	static const uint8_t ip_own[4] = { 10, 0, 0, 1 }, ip_other[4] = { 10, 0, 0, 9 },
		ip_any[4] = { 0 }, ip_bcast[4] = { 255, 255, 255, 255 };
	static const uint8_t ip6_own[16] = { 0xfd, [15] = 1 }, ip6_other[16] = { 0xfd, [15] = 9 },
		ip6_any[16] = { 0 }, ip6_all[16] = { 0xff, 0x02, [15] = 1 },
		ip6_snm[16] = { 0xff, 0x02, [11] = 1, [12] = 0xff, [15] = 1 };
	struct xbr_port_sec sec;
	struct frame f;

	case_begin("security: ip lock on a locked port");
	xbr_port_sec_init(&sec);
	sec.nr_ips = 2;
	sec.ips[0].family = AF_INET;
	memcpy(sec.ips[0].addr, ip_own, 4);
	sec.ips[1].family = AF_INET6;
	memcpy(sec.ips[1].addr, ip6_own, 16);
	set_sec(P_X1, &sec);
	EXPECT((pinfo[P_X1].flags & (XBR_PORT_F_LOCKED | XBR_PORT_F_IP_LOCKED)) ==
	       (XBR_PORT_F_LOCKED | XBR_PORT_F_IP_LOCKED), "x1 flags %#x", pinfo[P_X1].flags);
	case_end();

	frame_arp(&f, sdst, own1, 2);
	ip_case("security, xdp+tc: ARP from its own address passes", &f, 1);
	frame_arp(&f, sdst, own1, 2);
	frame_arp_sender(&f, own1, ip_other);
	ip_case("security, xdp+tc: ARP with a foreign sender address -> ip_spoof", &f, 0);
	frame_arp(&f, sdst, own1, 2);
	frame_arp_sender(&f, own2, ip_own);
	ip_case("security, xdp+tc: ARP whose sender MAC is not the frame's source -> dropped",
		&f, 0);
	frame_arp(&f, BCAST, own1, 1);
	memcpy(f.b, sdst, 6);		/* a unicast probe: the verdict stays a redirect */
	frame_arp_sender(&f, own1, ip_any);
	ip_case("security, xdp+tc: ARP probe (sender 0.0.0.0) passes", &f, 1);

	frame_ip4(&f, sdst, own1, 0, 1, 32, CS_GOOD);
	ip_case("security, xdp+tc: IPv4 from its own address passes", &f, 1);
	frame_ip4_src(&f, ip_other);
	ip_case("security, xdp+tc: IPv4 from a foreign address -> ip_spoof", &f, 0);
	frame_ip4_src(&f, ip_any);
	ip_case("security, xdp+tc: IPv4 from 0.0.0.0, not DHCP -> ip_spoof", &f, 0);
	frame_udp4(&f, sdst, own1, ip_any, ip_bcast, 68, 67);
	ip_case("security, xdp+tc: IPv4 from 0.0.0.0 (DHCP discovery, UDP 68 -> 67) passes",
		&f, 1);
	frame_udp4(&f, sdst, own1, ip_any, ip_bcast, 68, 68);
	ip_case("security, xdp+tc: UDP from 0.0.0.0 to another port -> ip_spoof", &f, 0);
	frame_arp(&f, BCAST, own1, 2);
	memcpy(f.b, sdst, 6);
	frame_arp_sender(&f, own1, ip_any);
	ip_case("security, xdp+tc: ARP reply from 0.0.0.0 -> ip_spoof", &f, 0);

	frame_icmp6(&f, sdst, own1, ip6_own, ip6_all, 128, NULL, 0);
	ip_case("security, xdp+tc: IPv6 from its own address passes", &f, 1);
	frame_icmp6(&f, sdst, own1, ip6_other, ip6_all, 128, NULL, 0);
	ip_case("security, xdp+tc: IPv6 from a foreign address -> ip_spoof", &f, 0);
	frame_icmp6(&f, sdst, own1, ip6_any, ip6_snm, 135, ip6_own, 0);
	ip_case("security, xdp+tc: IPv6 DAD (NS from ::) passes", &f, 1);
	frame_icmp6(&f, sdst, own1, ip6_own, ip6_all, 136, ip6_own, 0);
	ip_case("security, xdp+tc: neighbour advertisement for its own address passes", &f, 1);
	frame_icmp6(&f, sdst, own1, ip6_own, ip6_all, 136, ip6_other, 0);
	ip_case("security, xdp+tc: neighbour advertisement with a foreign target -> ip_spoof",
		&f, 0);
	frame_icmp6(&f, sdst, own1, ip6_own, ip6_all, 128, NULL, 1);
	ip_case("security, xdp+tc: IPv6 from its own address behind a hop-by-hop header passes",
		&f, 1);
	frame_icmp6(&f, sdst, own1, ip6_own, ip6_all, 136, ip6_other, 1);
	ip_case("security, xdp+tc: neighbour advertisement with a foreign target behind a "
		"hop-by-hop header -> ip_spoof", &f, 0);
	frame_raw(&f, sdst, own1, 60);
	ip_case("security, xdp+tc: a non-IP EtherType on an IP-locked port -> ip_spoof", &f, 0);
}

static void t_flood_limit(void)
{
	const uint8_t *src = station(), *src2 = station();
	struct xbr_port_sec sec;
	struct frame f;
	struct snap a, b;
	int i, r;

	case_begin("flood-limit 3, tc: 3 floods pass in the second, the 4th is dropped "
		   "(flood_limit); unicast is not limited");
	xbr_port_sec_init(&sec);
	sec.flood_limit = 3;
	set_sec(P_TC, &sec);
	frame_raw(&f, BCAST, src, 60);
	snap(&a);
	for (i = 0; i < 4; i++) {
		r = run_tc(P_TC, &f);
		EXPECT_TC(r, i < 3 ? TC_ACT_REDIRECT : TC_ACT_SHOT);
	}
	snap(&b);
	expect_deltas(&a, &b, f.len, "tc.rx_packets=4 tc.flooded=3 tc.flood_limit=1 tc.learned=1 "
		      "x1.tx_packets=3 x2.tx_packets=3 tap.tx_packets=3 host.tx_packets=3");
	frame_ip4(&f, sdst, src, 0, 1, 32, CS_GOOD);
	tc_step(P_TC, &f, TC_ACT_REDIRECT, "tc.rx_packets=1 tap.tx_packets=1");
	case_end();

	case_begin("flood-limit, tc: a new second, new floods");
	usleep(1100 * 1000);
	frame_raw(&f, BCAST, src, 60);
	tc_step(P_TC, &f, TC_ACT_REDIRECT, "tc.rx_packets=1 tc.flooded=1 x1.tx_packets=1 "
		"x2.tx_packets=1 tap.tx_packets=1 host.tx_packets=1");
	sec.flood_limit = 0;
	set_sec(P_TC, &sec);
	case_end();

	case_begin("flood-limit 3, xdp: 3 floods redirected, the 4th dropped (flood_limit)");
	xdp_flood(1);
	sec.flood_limit = 3;
	set_sec(P_X2, &sec);
	frame_raw(&f, BCAST, src2, 60);
	snap(&a);
	for (i = 0; i < 4; i++) {
		r = run_xdp(P_X2, &f);
		EXPECT_XDP(r, i < 3 ? XDP_REDIRECT : XDP_DROP);
	}
	snap(&b);
	expect_deltas(&a, &b, f.len, "x2.rx_packets=4 x2.flooded=3 x2.flood_limit=1 "
		      "x2.learned=1");
	sec.flood_limit = 0;
	set_sec(P_X2, &sec);
	xdp_flood(0);
	case_end();
}

static void t_learn_limit(void)
{
	const uint8_t *l1 = station(), *l2 = station(), *l3 = station(), *l4 = station(),
		*mv = station();
	struct xbr_port_sec sec;
	struct frame f;

	case_begin("learn-limit 2: the 3rd new source is not learned (learn_limited), its frames "
		   "still forwarded");
	xbr_port_sec_init(&sec);
	sec.locked = 0;
	sec.learn_limit = 2;
	set_sec(P_X1, &sec);
	/* The limit counts the port's entries in the FDB: start with none. */
	if (xbr_fdb_flush(&br, pif[P_X1], true))
		fail("fdb flush: %s", xbr_errmsg());
	EXPECT(pinfo[P_X1].learn_limit == 2 && !(pinfo[P_X1].flags & (XBR_PORT_F_LOCKED |
	       XBR_PORT_F_IP_LOCKED)), "x1 learn_limit %u flags %#x", pinfo[P_X1].learn_limit,
	       pinfo[P_X1].flags);
	frame_ip4(&f, sdst, l1, 0, 1, 32, CS_GOOD);
	xdp_step(P_X1, &f, XDP_REDIRECT, NULL, "x1.rx_packets=1 x1.learned=1 tap.tx_packets=1");
	frame_ip4(&f, sdst, l2, 0, 1, 32, CS_GOOD);
	tc_step(P_X1, &f, TC_ACT_REDIRECT, "x1.rx_packets=1 x1.learned=1 tap.tx_packets=1");
	frame_ip4(&f, sdst, l3, 0, 1, 32, CS_GOOD);
	xdp_step(P_X1, &f, XDP_REDIRECT, NULL, "x1.rx_packets=1 x1.learn_limited=1 "
		 "tap.tx_packets=1");
	frame_ip4(&f, sdst, l4, 0, 1, 32, CS_GOOD);
	tc_step(P_X1, &f, TC_ACT_REDIRECT, "x1.rx_packets=1 x1.learn_limited=1 tap.tx_packets=1");
	expect_fdb(l1, P_X1, 0);
	expect_fdb(l2, P_X1, 0);
	expect_no_fdb(l3);
	expect_no_fdb(l4);
	frame_ip4(&f, sdst, l1, 0, 1, 32, CS_GOOD);
	xdp_step(P_X1, &f, XDP_REDIRECT, NULL, "x1.rx_packets=1 tap.tx_packets=1");
	case_end();

	case_begin("learn-limit: a station moving into a port at its limit is forgotten on its "
		   "old port, not learned (learn_limited)");
	learn(mv, P_X2);
	frame_ip4(&f, sdst, mv, 0, 1, 32, CS_GOOD);
	xdp_step(P_X1, &f, XDP_REDIRECT, NULL, "x1.rx_packets=1 x1.learn_limited=1 "
		 "tap.tx_packets=1");
	expect_no_fdb(mv);
	case_end();

	case_begin("learn-limit: under its limit, a station moving in moves");
	sec.locked = -1;
	sec.learn_limit = 3;
	set_sec(P_X1, &sec);
	learn(mv, P_X2);
	frame_ip4(&f, sdst, mv, 0, 1, 32, CS_GOOD);
	tc_step(P_X1, &f, TC_ACT_REDIRECT, "x1.rx_packets=1 x1.moves=1 tap.tx_packets=1");
	expect_fdb(mv, P_X1, 0);
	sec.locked = -1;
	sec.learn_limit = XBR_LEARN_LIMIT_VM;
	set_sec(P_X1, &sec);
	case_end();
}

int main(int argc, char **argv)
{
	int err;

	setvbuf(stdout, NULL, _IOLBF, 0);
	err = harness_init(argc, argv);
	if (err)
		return err;
	t_setup();
	t_gone();
	t_runt();
	t_bad_src();
	t_link_local();
	t_learning();
	t_static();
	t_unicast();
	t_flood();
	t_learning_off();
	t_ageing();
	t_not_ours();
	t_csum();
	t_egress();
	live_open();
	t_vlan();
	t_s_tag();
	t_vlan_off();
	t_sec_mac();
	t_sec_ip();
	t_flood_limit();
	t_learn_limit();
	t_port_kinds();
	t_fdb_integrity();
	t_lock_ownership();
	t_guards();
	live_close();
	t_trace_link_down();
	t_trace_cover();

	return harness_done();
}
