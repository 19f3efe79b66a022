// SPDX-License-Identifier: GPL-2.0
/*
 * What a hostile guest or a busy LAN must not be able to do to the bridge:
 * push out or move static and local entries, learn past a port's or the
 * bridge's cap, make a locked port own another station's MAC, hop VLANs
 * with an 802.1ad tag, or answer for the network's DHCP server or router.
 * Each rule is a case (or a row of a table) run through XDP and tc.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>
#include <linux/pkt_cls.h>
#include <bpf/bpf.h>
#include "harness.h"
#include "cases.h"

#define TRUST_ALL	(XBR_PORT_F_DHCP_SERVER | XBR_PORT_F_RA)

static int rt_get(int p, struct xbr_port_rt *rt)
{
	uint32_t id = pinfo[p].id;

	return bpf_map_lookup_elem(fd_port_rt, &id, rt) ? -errno : 0;
}

static int gc_get(struct xbr_fdb_gc *gc)
{
	uint32_t zero = 0;

	return bpf_map_lookup_elem(fd_fdb_gc, &zero, gc) ? -errno : 0;
}

static uint32_t fdb_learned(int p)
{
	struct xbr_port_rt rt;

	return rt_get(p, &rt) ? ~0u : rt.fdb_learned;
}

/* Wait until the reclaimer has walked the FDB @n more times. */
static int gc_wait(int n, int max_ms)
{
	struct xbr_fdb_gc gc;
	uint64_t start;
	int ms;

	if (gc_get(&gc))
		return -1;
	start = gc.sweeps;
	for (ms = 0; ms < max_ms; ms += 50) {
		usleep(50 * 1000);
		if (!gc_get(&gc) && gc.sweeps >= start + n)
			return 0;
	}
	return -1;
}

static void flush_port(int p)
{
	if (xbr_fdb_flush(&br, pif[p], true))
		fail("fdb flush %s dynamic: %s", pdev[p], xbr_errmsg());
}

static void sec_reset(int p)
{
	struct xbr_port_sec sec;

	xbr_port_sec_init(&sec);
	sec.locked = 0;
	sec.learn_limit = XBR_LEARN_LIMIT_VM;
	sec.max_macs = 0;
	set_sec(p, &sec);
}

static int config_put(const struct xbr_config *cfg)
{
	uint32_t zero = 0;

	return bpf_map_update_elem(fd_config, &zero, cfg, BPF_ANY) ? -errno : 0;
}

/* ---- a new port's defaults by kind -------------------------------------- */

static const struct kind_case {
	const char *driver;
	enum xbr_port_kind kind;
	uint32_t learn_limit;
	uint32_t trust;
} kind_cases[] = {
	{ "virtio_net",	XBR_KIND_NIC,		0,			TRUST_ALL },
	{ "mlx5_core",	XBR_KIND_NIC,		0,			TRUST_ALL },
	{ "bonding",	XBR_KIND_LAN,		0,			TRUST_ALL },
	{ "team",	XBR_KIND_LAN,		0,			TRUST_ALL },
	{ "vxlan",	XBR_KIND_LAN,		0,			TRUST_ALL },
	{ "geneve",	XBR_KIND_LAN,		0,			TRUST_ALL },
	{ "tun",	XBR_KIND_TAP,		XBR_LEARN_LIMIT_VM,	0 },
	{ "veth",	XBR_KIND_VETH,		XBR_LEARN_LIMIT_VM,	0 },
	{ "macvtap",	XBR_KIND_VIRTUAL,	XBR_LEARN_LIMIT_VM,	0 },
	{ "macvlan",	XBR_KIND_VIRTUAL,	XBR_LEARN_LIMIT_VM,	0 },
	{ "gre",	XBR_KIND_VIRTUAL,	XBR_LEARN_LIMIT_VM,	0 },
};

void t_port_kinds(void)
{
	const struct kind_case *c;
	enum xbr_port_kind kind;
	size_t i;

	case_begin("port kinds: uplinks (NICs, bonds, teams, VXLAN, Geneve) learn without a cap "
		   "and are trusted for DHCP and RA; VM-facing ports are capped and not");
	for (i = 0; i < sizeof(kind_cases) / sizeof(kind_cases[0]); i++) {
		c = &kind_cases[i];
		kind = xbr_driver_kind(c->driver);
		EXPECT(kind == c->kind, "driver %s: kind %s, expected %s", c->driver,
		       xbr_kind_name(kind), xbr_kind_name(c->kind));
		EXPECT(xbr_kind_learn_limit(kind) == c->learn_limit,
		       "driver %s: learn-limit %u, expected %u", c->driver,
		       xbr_kind_learn_limit(kind), c->learn_limit);
		EXPECT(xbr_kind_trust(kind) == c->trust, "driver %s: trust %#x, expected %#x",
		       c->driver, xbr_kind_trust(kind), c->trust);
	}
	EXPECT((pinfo[P_HOST].flags & TRUST_ALL) == TRUST_ALL, "host port flags %#x: not trusted",
	       pinfo[P_HOST].flags);
	EXPECT(!(pinfo[P_TAP].flags & TRUST_ALL) && pinfo[P_TAP].learn_limit == XBR_LEARN_LIMIT_VM,
	       "tap flags %#x learn-limit %u", pinfo[P_TAP].flags, pinfo[P_TAP].learn_limit);
	case_end();
}

/* ---- the FDB: counted learning, no eviction, reclaiming ------------------ */

void t_fdb_integrity(void)
{
	const uint8_t *dst = station(), *l1 = station(), *l2 = station(), *l3 = station(),
		*s = station(), *mv = station(), *orphan = station(), *raw1 = station(),
		*raw2 = station();
	struct xbr_config cfg, saved;
	struct xbr_fdb_entry e;
	struct xbr_port_sec sec;
	struct xbr_fdb_gc gc0, gc1;
	struct frame f;
	uint8_t host_mac[6];

	learn(dst, P_TAP);

	case_begin("fdb: learn-limit counts the port's live entries (port_rt.fdb_learned)");
	sec_reset(P_X1);
	flush_port(P_X1);
	EXPECT(fdb_learned(P_X1) == 0, "x1 holds %u learned entries after a flush",
	       fdb_learned(P_X1));
	xbr_port_sec_init(&sec);
	sec.learn_limit = 2;
	set_sec(P_X1, &sec);
	frame_ip4(&f, dst, l1, 0, 1, 32, CS_GOOD);
	xdp_step(P_X1, &f, XDP_REDIRECT, NULL, "x1.rx_packets=1 x1.learned=1 tap.tx_packets=1");
	frame_ip4(&f, dst, l2, 0, 1, 32, CS_GOOD);
	tc_step(P_X1, &f, TC_ACT_REDIRECT, "x1.rx_packets=1 x1.learned=1 tap.tx_packets=1");
	frame_ip4(&f, dst, l3, 0, 1, 32, CS_GOOD);
	xdp_step(P_X1, &f, XDP_REDIRECT, NULL, "x1.rx_packets=1 x1.learn_limited=1 "
		 "tap.tx_packets=1");
	EXPECT(fdb_learned(P_X1) == 2, "x1 fdb_learned %u, expected 2", fdb_learned(P_X1));
	expect_no_fdb(l3);
	case_end();

	case_begin("fdb: a flush counts the port's entries out: it learns again");
	flush_port(P_X1);
	EXPECT(fdb_learned(P_X1) == 0, "x1 fdb_learned %u after flush", fdb_learned(P_X1));
	/* Not l3 again: this CPU remembers it tried l3 (lcache) for a while. */
	l3 = station();
	frame_ip4(&f, dst, l3, 0, 1, 32, CS_GOOD);
	tc_step(P_X1, &f, TC_ACT_REDIRECT, "x1.rx_packets=1 x1.learned=1 tap.tx_packets=1");
	expect_fdb(l3, P_X1, 0);
	case_end();

	case_begin("fdb: a station that moves is counted out of its old port, into the new");
	learn(mv, P_X2);
	{
		uint32_t x2_before = fdb_learned(P_X2), x1_before = fdb_learned(P_X1);

		frame_ip4(&f, dst, mv, 0, 1, 32, CS_GOOD);
		xdp_step(P_X1, &f, XDP_REDIRECT, NULL, "x1.rx_packets=1 x1.moves=1 "
			 "tap.tx_packets=1");
		expect_fdb(mv, P_X1, 0);
		EXPECT(fdb_learned(P_X1) == x1_before + 1 && fdb_learned(P_X2) == x2_before - 1,
		       "x1 %u -> %u, x2 %u -> %u", x1_before, fdb_learned(P_X1), x2_before,
		       fdb_learned(P_X2));
	}
	case_end();

	case_begin("fdb: a full bridge (fdb_max_learned) stops learning (learn_full) and floods, "
		   "evicting nothing");
	sec_reset(P_X1);
	if (read_config(&saved))
		fail("cannot read config");
	cfg = saved;
	cfg.fdb_max_learned = 1;
	if (config_put(&cfg))
		fail("cannot write config");
	if (xbr_fdb_add(&br, s, 0, pdev[P_X2], true))
		fail("fdb add static: %s", xbr_errmsg());
	frame_ip4(&f, dst, station(), 0, 1, 32, CS_GOOD);
	xdp_step(P_X1, &f, XDP_REDIRECT, NULL, "x1.rx_packets=1 x1.learn_full=1 "
		 "tap.tx_packets=1");
	frame_ip4(&f, dst, station(), 0, 1, 32, CS_GOOD);
	tc_step(P_X1, &f, TC_ACT_REDIRECT, "x1.rx_packets=1 x1.learn_full=1 tap.tx_packets=1");
	/* What is in the table stays: static, local and learned alike. */
	expect_fdb(s, P_X2, XBR_FDB_F_STATIC);
	expect_fdb(dst, P_TAP, 0);
	expect_fdb(l3, P_X1, 0);
	if (!xbr_netdev_mac(br.name, host_mac))
		expect_fdb(host_mac, P_HOST, XBR_FDB_F_LOCAL);
	/* A station already known keeps being refreshed and moved. */
	frame_ip4(&f, dst, mv, 0, 1, 32, CS_GOOD);
	tc_step(P_X1, &f, TC_ACT_REDIRECT, "x1.rx_packets=1 tap.tx_packets=1");
	if (config_put(&saved))
		fail("cannot restore config");
	case_end();

	case_begin("fdb: no frame from any port moves a static entry");
	frame_ip4(&f, dst, s, 0, 1, 32, CS_GOOD);
	xdp_step(P_X1, &f, XDP_REDIRECT, NULL, "x1.rx_packets=1 tap.tx_packets=1");
	tc_step(P_TC, &f, TC_ACT_REDIRECT, "tc.rx_packets=1 tap.tx_packets=1");
	expect_fdb(s, P_X2, XBR_FDB_F_STATIC);
	case_end();

	case_begin("fdb, tc: a static entry on a port whose netdev is gone stays (flooded past)");
	if (fdb_put(orphan, pif[P_GONE], XBR_FDB_F_STATIC, coarse_ns()))
		fail("cannot write the fdb map");
	frame_ip4(&f, orphan, station(), 0, 1, 32, CS_GOOD);
	EXPECT_TC(run_tc(P_X1, &f), TC_ACT_REDIRECT);
	expect_fdb(orphan, P_GONE, XBR_FDB_F_STATIC);
	if (xbr_fdb_del(&br, orphan, 0))
		fail("fdb del: %s", xbr_errmsg());
	case_end();

	case_begin("fdb: flush of the host port keeps the host's own (local) entry");
	if (xbr_netdev_mac(br.name, host_mac))
		fail("cannot read %s's address", br.name);
	learn(raw1, P_HOST);
	if (xbr_fdb_flush(&br, pif[P_HOST], false))
		fail("fdb flush dev %s: %s", pdev[P_HOST], xbr_errmsg());
	expect_fdb(host_mac, P_HOST, XBR_FDB_F_LOCAL);
	expect_no_fdb(raw1);
	EXPECT(xbr_fdb_del(&br, host_mac, 0) == -EPERM, "fdb del of the local entry: %s",
	       xbr_errmsg());
	expect_fdb(host_mac, P_HOST, XBR_FDB_F_LOCAL);
	case_end();

	case_begin("fdb reclaimer: removes entries of ports that left, recounts quiet ports");
	set_ageing(10);		/* a walk a second */
	flush_port(P_X2);
	/* Written behind the counters' back: uncounted until a walk. */
	if (fdb_put(raw1, pif[P_X2], 0, coarse_ns()) || fdb_put(raw2, pif[P_X2], 0, coarse_ns()) ||
	    fdb_put(orphan, pif[P_OUT], 0, coarse_ns()))
		fail("cannot write the fdb map");
	if (gc_get(&gc0))
		fail("cannot read fdb_gc");
	if (gc_wait(2, 5000))
		fail("the reclaimer did not walk twice in 5 s");
	if (gc_get(&gc1))
		fail("cannot read fdb_gc");
	EXPECT(gc1.orphans > gc0.orphans, "orphans %llu -> %llu", (unsigned long long)gc0.orphans,
	       (unsigned long long)gc1.orphans);
	EXPECT(fdb_get(orphan, &e) == -ENOENT, "the entry of a non-port is still there");
	EXPECT(fdb_learned(P_X2) == 2, "x2 fdb_learned %u, expected 2 (recounted)",
	       fdb_learned(P_X2));
	EXPECT(gc1.period_ns == 1000000000ULL, "reclaimer period %llu ns at ageing 10 s",
	       (unsigned long long)gc1.period_ns);
	set_ageing(XBR_AGEING_DEFAULT_S);
	case_end();

	case_begin("fdb reclaimer: aged entries go with no frame to meet them; a port at its "
		   "learn-limit learns again");
	flush_port(P_X1);
	xbr_port_sec_init(&sec);
	sec.learn_limit = 2;
	set_sec(P_X1, &sec);
	frame_ip4(&f, dst, l1, 0, 1, 32, CS_GOOD);
	xdp_step(P_X1, &f, XDP_REDIRECT, NULL, "x1.rx_packets=1 x1.learned=1 tap.tx_packets=1");
	frame_ip4(&f, dst, l2, 0, 1, 32, CS_GOOD);
	xdp_step(P_X1, &f, XDP_REDIRECT, NULL, "x1.rx_packets=1 x1.learned=1 tap.tx_packets=1");
	frame_ip4(&f, dst, l3, 0, 1, 32, CS_GOOD);
	xdp_step(P_X1, &f, XDP_REDIRECT, NULL, "x1.rx_packets=1 x1.learn_limited=1 "
		 "tap.tx_packets=1");
	set_ageing(1);
	if (gc_get(&gc0))
		fail("cannot read fdb_gc");
	usleep(1100 * 1000);
	if (gc_wait(1, 5000))
		fail("the reclaimer did not walk within 5 s of ageing 1 s");
	if (gc_get(&gc1))
		fail("cannot read fdb_gc");
	EXPECT(gc1.aged >= gc0.aged + 2, "aged %llu -> %llu", (unsigned long long)gc0.aged,
	       (unsigned long long)gc1.aged);
	EXPECT(fdb_get(l1, &e) == -ENOENT && fdb_get(l2, &e) == -ENOENT,
	       "aged entries still in the FDB");
	EXPECT(fdb_learned(P_X1) == 0, "x1 fdb_learned %u after ageing", fdb_learned(P_X1));
	set_ageing(XBR_AGEING_DEFAULT_S);
	learn(dst, P_TAP);
	frame_ip4(&f, dst, l3, 0, 1, 32, CS_GOOD);
	xdp_step(P_X1, &f, XDP_REDIRECT, NULL, "x1.rx_packets=1 x1.learned=1 tap.tx_packets=1");
	expect_fdb(l3, P_X1, 0);
	sec_reset(P_X1);
	if (xbr_fdb_del(&br, s, 0))
		fail("fdb del: %s", xbr_errmsg());
	case_end();
}

/* ---- locked ports: which MACs they may make their own -------------------- */

void t_lock_ownership(void)
{
	const uint8_t *dst = station(), *gw = station(), *st = station(), *m1 = station(),
		*m2 = station(), *m3 = station(), *old = station();
	struct xbr_port_sec sec;
	struct frame f;
	uint8_t host_mac[6];

	learn(dst, P_TAP);
	sec_reset(P_X1);
	flush_port(P_X1);

	case_begin("locked max-macs port: cannot claim a MAC live behind another port (the "
		   "gateway keeps talking)");
	learn(gw, P_X2);
	xbr_port_sec_init(&sec);
	sec.locked = 1;
	sec.max_macs = 2;
	set_sec(P_X1, &sec);
	frame_ip4(&f, dst, gw, 0, 1, 32, CS_GOOD);
	xdp_step(P_X1, &f, XDP_DROP, NULL, "x1.rx_packets=1 x1.locked=1");
	tc_step(P_X1, &f, TC_ACT_SHOT, "x1.rx_packets=1 x1.locked=1");
	expect_fdb(gw, P_X2, 0);
	EXPECT(rt_nr_macs(P_X1) == 0, "x1 nr_macs %u", rt_nr_macs(P_X1));
	xdp_step(P_X2, &f, XDP_REDIRECT, NULL, "x2.rx_packets=1 tap.tx_packets=1");
	case_end();

	case_begin("locked max-macs port: cannot claim a static MAC or the host's own");
	if (xbr_fdb_add(&br, st, 0, pdev[P_X2], true))
		fail("fdb add static: %s", xbr_errmsg());
	frame_ip4(&f, dst, st, 0, 1, 32, CS_GOOD);
	xdp_step(P_X1, &f, XDP_DROP, NULL, "x1.rx_packets=1 x1.locked=1");
	if (xbr_netdev_mac(br.name, host_mac))
		fail("cannot read %s's address", br.name);
	frame_ip4(&f, dst, host_mac, 0, 1, 32, CS_GOOD);
	tc_step(P_X1, &f, TC_ACT_SHOT, "x1.rx_packets=1 x1.locked=1");
	expect_fdb(st, P_X2, XBR_FDB_F_STATIC);
	expect_fdb(host_mac, P_HOST, XBR_FDB_F_LOCAL);
	EXPECT(rt_nr_macs(P_X1) == 0, "x1 nr_macs %u", rt_nr_macs(P_X1));
	if (xbr_fdb_del(&br, st, 0))
		fail("fdb del: %s", xbr_errmsg());
	case_end();

	case_begin("locked port: a configured MAC that is static on another port is refused");
	xbr_port_sec_init(&sec);
	sec.nr_macs = 1;
	memcpy(sec.macs[0], host_mac, 6);
	EXPECT(xbr_port_set_security(&br, pdev[P_X1], &sec) == -EBUSY,
	       "port set mac (the host's MAC): %s", xbr_errmsg());
	case_end();

	case_begin("locked max-macs port: may take a MAC whose station aged elsewhere");
	set_ageing(1);
	if (fdb_put(old, pif[P_X2], 0, coarse_ns() - 2000000000ULL))
		fail("cannot write the fdb map");
	learn(dst, P_TAP);
	frame_ip4(&f, dst, old, 0, 1, 32, CS_GOOD);
	xdp_step(P_X1, &f, XDP_REDIRECT, NULL, "x1.rx_packets=1 x1.learned=1 tap.tx_packets=1");
	expect_fdb(old, P_X1, 0);
	EXPECT(rt_nr_macs(P_X1) == 1, "x1 nr_macs %u, expected 1", rt_nr_macs(P_X1));
	set_ageing(XBR_AGEING_DEFAULT_S);
	case_end();

	case_begin("locking a port with max-macs 2: its 2 newest stations become its own, the "
		   "rest go");
	sec_reset(P_X1);
	flush_port(P_X1);
	learn(m1, P_X1);
	usleep(20 * 1000);
	learn(m2, P_X1);
	usleep(20 * 1000);
	learn(m3, P_X1);
	xbr_port_sec_init(&sec);
	sec.locked = 1;
	sec.max_macs = 2;
	set_sec(P_X1, &sec);
	EXPECT(rt_nr_macs(P_X1) == 2, "x1 nr_macs %u, expected 2", rt_nr_macs(P_X1));
	EXPECT(fdb_learned(P_X1) == 2, "x1 holds %u learned entries, expected 2",
	       fdb_learned(P_X1));
	expect_no_fdb(m1);
	expect_fdb(m2, P_X1, 0);
	expect_fdb(m3, P_X1, 0);
	frame_ip4(&f, dst, m1, 0, 1, 32, CS_GOOD);
	xdp_step(P_X1, &f, XDP_DROP, NULL, "x1.rx_packets=1 x1.locked=1");
	frame_ip4(&f, dst, m3, 0, 1, 32, CS_GOOD);
	tc_step(P_X1, &f, TC_ACT_REDIRECT, "x1.rx_packets=1 tap.tx_packets=1");
	/* They are owned now: another port is refused them. */
	xdp_step(P_X2, &f, XDP_DROP, NULL, "x2.rx_packets=1 x2.mac_spoof=1");
	case_end();

	case_begin("locked port: lowering max-macs to 1 drops its older MAC");
	xbr_port_sec_init(&sec);
	sec.max_macs = 1;
	set_sec(P_X1, &sec);
	EXPECT(rt_nr_macs(P_X1) == 1, "x1 nr_macs %u, expected 1", rt_nr_macs(P_X1));
	frame_ip4(&f, dst, m2, 0, 1, 32, CS_GOOD);
	xdp_step(P_X1, &f, XDP_DROP, NULL, "x1.rx_packets=1 x1.locked=1");
	case_end();

	case_begin("locked port: its learned MACs age; the MAC is free for others then");
	set_ageing(1);
	usleep(1100 * 1000);
	if (gc_wait(1, 5000))
		fail("the reclaimer did not walk within 5 s of ageing 1 s");
	EXPECT(rt_nr_macs(P_X1) == 0, "x1 nr_macs %u after ageing, expected 0",
	       rt_nr_macs(P_X1));
	set_ageing(XBR_AGEING_DEFAULT_S);
	learn(dst, P_TAP);
	frame_ip4(&f, dst, m3, 0, 1, 32, CS_GOOD);
	xdp_step(P_X2, &f, XDP_REDIRECT, NULL, "x2.rx_packets=1 x2.learned=1 tap.tx_packets=1");
	sec_reset(P_X1);
	case_end();
}

/* ---- first-hop guards ---------------------------------------------------- */

static const uint8_t ip_zero[4], ip_bcast[4] = { 255, 255, 255, 255 },
	ip_srv[4] = { 10, 0, 0, 1 }, ip_cli[4] = { 10, 0, 0, 7 };
static const uint8_t ip6_ll[16] = { 0xfe, 0x80, [15] = 1 },
	ip6_all[16] = { 0xff, 0x02, [15] = 1 };

static void dhcp4_offer(struct frame *f, const uint8_t *d, const uint8_t *s)
{
	frame_udp4(f, d, s, ip_srv, ip_cli, 67, 68);
}

static void dhcp4_discover(struct frame *f, const uint8_t *d, const uint8_t *s)
{
	frame_udp4(f, d, s, ip_zero, ip_bcast, 68, 67);
}

static void dhcp4_offer_later_fragment(struct frame *f, const uint8_t *d, const uint8_t *s)
{
	frame_udp4(f, d, s, ip_srv, ip_cli, 67, 68);
	frame_ip4_frag(f, 0x2000 | 8);
}

static void dhcp6_advertise(struct frame *f, const uint8_t *d, const uint8_t *s)
{
	frame_udp6(f, d, s, 547, 546, 0);
}

static void dhcp6_advertise_hbh(struct frame *f, const uint8_t *d, const uint8_t *s)
{
	frame_udp6(f, d, s, 547, 546, 2);
}

static void dhcp6_solicit(struct frame *f, const uint8_t *d, const uint8_t *s)
{
	frame_udp6(f, d, s, 546, 547, 0);
}

static void udp6_deep(struct frame *f, const uint8_t *d, const uint8_t *s)
{
	frame_udp6(f, d, s, 547, 546, 5);
}

static void ra(struct frame *f, const uint8_t *d, const uint8_t *s)
{
	frame_icmp6(f, d, s, ip6_ll, ip6_all, 134, NULL, 0);
}

static void ra_hbh(struct frame *f, const uint8_t *d, const uint8_t *s)
{
	frame_icmp6(f, d, s, ip6_ll, ip6_all, 134, NULL, 1);
}

static void echo6(struct frame *f, const uint8_t *d, const uint8_t *s)
{
	frame_icmp6(f, d, s, ip6_ll, ip6_all, 128, NULL, 0);
}

static const struct guard_case {
	const char *name;
	void (*build)(struct frame *f, const uint8_t *dst, const uint8_t *src);
	uint32_t trust;		/* XBR_PORT_F_DHCP_SERVER and/or _RA on the port */
	const char *drop;	/* the drop reason, NULL: it passes */
} guard_cases[] = {
	{ "DHCPv4 offer (UDP 67 -> 68)", dhcp4_offer, 0, "dhcp_server" },
	{ "DHCPv4 offer from a dhcp-server port", dhcp4_offer, XBR_PORT_F_DHCP_SERVER, NULL },
	{ "DHCPv4 offer from an ra-only port", dhcp4_offer, XBR_PORT_F_RA, "dhcp_server" },
	{ "DHCPv4 discover (UDP 68 -> 67)", dhcp4_discover, 0, NULL },
	{ "a later fragment of a DHCPv4 offer (no UDP header in it)",
	  dhcp4_offer_later_fragment, 0, NULL },
	{ "DHCPv6 advertise (UDP 547 -> 546)", dhcp6_advertise, 0, "dhcp_server" },
	{ "DHCPv6 advertise behind two extension headers", dhcp6_advertise_hbh, 0,
	  "dhcp_server" },
	{ "DHCPv6 advertise from a dhcp-server port", dhcp6_advertise, XBR_PORT_F_DHCP_SERVER,
	  NULL },
	{ "DHCPv6 solicit (UDP 546 -> 547)", dhcp6_solicit, 0, NULL },
	{ "IPv6 with more extension headers than looked past", udp6_deep, 0, "l4_hidden" },
	{ "Router Advertisement", ra, 0, "ra" },
	{ "Router Advertisement behind a hop-by-hop header", ra_hbh, 0, "ra" },
	{ "Router Advertisement from an ra port", ra, XBR_PORT_F_RA, NULL },
	{ "Router Advertisement from a dhcp-server-only port", ra, XBR_PORT_F_DHCP_SERVER, "ra" },
	{ "ICMPv6 echo request", echo6, 0, NULL },
};

static void set_trust(int p, uint32_t trust)
{
	struct xbr_port_sec sec;

	xbr_port_sec_init(&sec);
	sec.dhcp_server = !!(trust & XBR_PORT_F_DHCP_SERVER);
	sec.ra = !!(trust & XBR_PORT_F_RA);
	set_sec(p, &sec);
	EXPECT((pinfo[p].flags & TRUST_ALL) == trust, "%s flags %#x, trust %#x wanted", pdev[p],
	       pinfo[p].flags, trust);
}

void t_guards(void)
{
	const uint8_t *dst = station(), *src = station(), *open_src = station();
	const struct guard_case *c;
	struct xbr_port_sec sec;
	char name[200], drop[64];
	struct frame f;
	size_t i;

	learn(dst, P_TAP);
	sec_reset(P_X1);
	xbr_port_sec_init(&sec);
	sec.locked = 1;
	sec.nr_macs = 1;
	memcpy(sec.macs[0], src, 6);
	set_sec(P_X1, &sec);
	frame_raw(&f, dst, src, 60);
	EXPECT_XDP(run_xdp(P_X1, &f), XDP_REDIRECT);	/* learns src */

	for (i = 0; i < sizeof(guard_cases) / sizeof(guard_cases[0]); i++) {
		c = &guard_cases[i];
		snprintf(name, sizeof(name), "guard, locked port, xdp+tc: %s %s", c->name,
			 c->drop ? "-> dropped" : "passes");
		case_begin(name);
		set_trust(P_X1, c->trust);
		c->build(&f, dst, src);
		if (c->drop) {
			snprintf(drop, sizeof(drop), "x1.rx_packets=1 x1.%s=1", c->drop);
			xdp_step(P_X1, &f, XDP_DROP, NULL, drop);
			tc_step(P_X1, &f, TC_ACT_SHOT, drop);
		} else {
			xdp_step(P_X1, &f, XDP_REDIRECT, NULL, "x1.rx_packets=1 tap.tx_packets=1");
			tc_step(P_X1, &f, TC_ACT_REDIRECT, "x1.rx_packets=1 tap.tx_packets=1");
		}
		case_end();
	}

	case_begin("guard: an unlocked port's DHCP offers and RAs pass (the guards are part of "
		   "the lock)");
	set_trust(P_X2, 0);
	dhcp4_offer(&f, dst, open_src);
	xdp_step(P_X2, &f, XDP_REDIRECT, NULL, "x2.rx_packets=1 x2.learned=1 tap.tx_packets=1");
	ra(&f, dst, open_src);
	tc_step(P_X2, &f, TC_ACT_REDIRECT, "x2.rx_packets=1 tap.tx_packets=1");
	case_end();
	sec_reset(P_X1);
}

/* ---- 802.1ad is payload ---------------------------------------------------- */

/*
 * Runs while VLAN filtering is on with x1 an access port (pvid 10,
 * untagged) and x2 and tc trunks of VLANs 10-20 (t_vlan's setup); for the
 * tc path, tc becomes an access port of VLAN 30 for a while.
 */
void t_s_tag(void)
{
	const uint8_t *trunk_st = station(), *st30 = station(), *guest = station(),
		*guest30 = station();
	struct live_rx rx;
	struct frame f, want;
	char spec[128];

	learn_v(trunk_st, P_X2, 10, 10);

	case_begin("802.1ad, xdp: an S-tagged frame from an access port is untagged to the bridge: "
		   "it takes the pvid and leaves the trunk inside an 802.1Q tag");
	frame_ip4(&f, trunk_st, guest, 0, 1, 32, CS_GOOD);
	frame_push_tag(&f, 0x88a8, 10);
	want = f;
	frame_push_tag(&want, 0x8100, 10);
	snprintf(spec, sizeof(spec), "x1.rx_packets=1 x1.learned=1 x2.tx_packets=1 "
		 "x2.tx_bytes=%zu", want.len);
	xdp_step(P_X1, &f, XDP_REDIRECT, &want, spec);
	expect_fdb_v(guest, 10, P_X1, 0);
	expect_no_fdb_v(guest, 0);
	case_end();

	case_begin("802.1ad, xdp: the S-tag's VID does not pick the VLAN (VID 20 on a pvid 10 "
		   "port: still VLAN 10)");
	frame_ip4(&f, trunk_st, guest, 0, 1, 32, CS_GOOD);
	frame_push_tag(&f, 0x88a8, 20);
	want = f;
	frame_push_tag(&want, 0x8100, 10);
	snprintf(spec, sizeof(spec), "x1.rx_packets=1 x2.tx_packets=1 x2.tx_bytes=%zu", want.len);
	xdp_step(P_X1, &f, XDP_REDIRECT, &want, spec);
	expect_no_fdb_v(guest, 20);
	case_end();

	case_begin("802.1ad, tc (live frames): the S-tag in skb metadata stays payload: out of "
		   "the trunk 802.1Q-tagged, the S-tag inside");
	vlan_add(P_TC, 30, 30, true, true);
	vlan_add(P_X2, 30, 30, false, false);
	learn_v(st30, P_X2, 30, 30);
	if (!live_ok) {
		fail("no live sockets on the peers");
	} else {
		frame_ip4(&f, st30, guest30, 0, 1, 32, CS_GOOD);
		frame_push_tag(&f, 0x88a8, 5);
		live_drain();
		live_send(P_TC, &f);
		if (!live_recv(P_X2, guest30, 1000, &rx)) {
			fail("the frame did not leave the trunk x2");
		} else {
			EXPECT(rx.tagged && rx.tpid == 0x8100 && (rx.tci & 0x0fff) == 30,
			       "outer tag tpid %#x tci %#x (%s), expected 0x8100 VLAN 30",
			       rx.tpid, rx.tci, rx.tagged == 1 ? "metadata" : "inline");
			EXPECT(rx.inner_type == 0x88a8, "inner EtherType %#x, expected the S-tag",
			       rx.inner_type);
		}
		expect_fdb_v(guest30, 30, P_TC, 0);
	}
	vlan_del(P_X2, 30, 30);
	vlan_del(P_TC, 30, 30);
	case_end();
}
