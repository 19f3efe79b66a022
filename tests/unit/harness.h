/* SPDX-License-Identifier: GPL-2.0 */
/* The unit tests' harness (harness.c): what every file of cases uses. */
#ifndef XBR_UNIT_HARNESS_H
#define XBR_UNIT_HARNESS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <linux/bpf.h>
#include <xbr/handoff.h>
#include "libxbr.h"
#include "frames.h"

/* ---- the bridge under test ---- */
enum { P_X1, P_X2, P_TC, P_TAP, P_HOST, P_OUT, P_GONE, P_MAX };
extern const char *const pkey[P_MAX];
extern char pdev[P_MAX][IFNAMSIZ];
extern uint32_t pif[P_MAX];
extern struct xbr_port pinfo[P_MAX];	/* as last read from the ports map */
extern int pis_port[P_MAX];
extern int fd_xdp, fd_tc, fd_egress, fd_ports, fd_fdb, fd_stats, fd_config, fd_tx_ports,
	fd_flood_ports, fd_flood_list, fd_vlans, fd_port_rt, fd_fdb_gc, fd_lcache;
extern struct xbr_bridge br;

/* Parse the command line, open the bridge; non-zero: exit with it. */
int harness_init(int argc, char **argv);
/* Close the bridge, print "N passed, N failed"; the exit code. */
int harness_done(void);

/* ---- cases ---- */
void note(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
void case_begin(const char *name);
void fail(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
void case_end(void);
void case_skip(const char *name, const char *why);
#define EXPECT(cond, ...) do { if (!(cond)) fail(__VA_ARGS__); } while (0)

/* ---- MACs ---- */
extern const uint8_t BCAST[6];
/* A new locally administered unicast MAC each call. */
const uint8_t *station(void);
const char *mac_str(const uint8_t *m);

/* ---- maps ---- */
int fdb_get(const uint8_t *mac, struct xbr_fdb_entry *e);
int fdb_put(const uint8_t *mac, uint32_t ifindex, uint32_t flags, uint64_t seen);
int fdb_get_v(const uint8_t *mac, uint16_t vlan, struct xbr_fdb_entry *e);
uint64_t coarse_ns(void);
uint64_t coarse_tick_ns(void);
int read_config(struct xbr_config *cfg);
int tx_ports_restore(int port);
long devmap_prog(int fd, int port);

/* ---- counter snapshots and their expected deltas ---- */
/* struct xbr_port_stats is all __u64: summed and compared slot by slot,
 * so a counter added to it later is checked too (as "u64@OFFSET"). */
#define NSLOTS	(sizeof(struct xbr_port_stats) / sizeof(__u64))
#define SLOT(member)	(offsetof(struct xbr_port_stats, member) / sizeof(__u64))

struct snap {
	struct xbr_port_stats st[P_MAX];
};

void snap(struct snap *s);
/* Every counter of every port moved by what @spec says ("PORT.FIELD=N ..."),
 * all others not at all; byte counters follow packets times @len. */
void expect_deltas(const struct snap *a, const struct snap *b, size_t len, const char *spec);

/* ---- test runs ---- */
extern uint8_t out_buf[FRAME_MAX + 256];
extern uint32_t out_len;
/* run_xdp*(): the decision the XDP program put in front of the frame for
 * tc (xbr/handoff.h), if it did. */
extern struct xbr_handoff xdp_handoff;
extern bool xdp_handed_off;
extern struct __sk_buff tc_ctx_out;
const char *xdp_name(int r);
const char *tc_name(int r);
int run_xdp_sized(uint32_t ifindex, const void *data, size_t len, size_t size);
int run_xdp(int port, const struct frame *f);
int run_xdp_live(int port, const struct frame *f);
int run_tc(int port, const struct frame *f);
#define EXPECT_XDP(got, want) \
	EXPECT((got) == (want), "XDP verdict %s, expected %s", xdp_name(got), xdp_name(want))
#define EXPECT_TC(got, want) \
	EXPECT((got) == (want), "tc verdict %s, expected %s", tc_name(got), tc_name(want))
void expect_unchanged(const struct frame *f);
/* XDP's last run handed its decision to tc: from @in, to @out (-1: flood). */
void expect_handoff(int in, int out);
void expect_out(const struct frame *want);
void expect_fdb(const uint8_t *mac, int port, uint32_t flags);
void expect_no_fdb(const uint8_t *mac);
void expect_fdb_v(const uint8_t *mac, uint16_t vlan, int port, uint32_t flags);
void expect_no_fdb_v(const uint8_t *mac, uint16_t vlan);
/* Learn @mac behind @port (a broadcast from it). */
void learn(const uint8_t *mac, int port);
void learn_v(const uint8_t *mac, int port, uint16_t tag, uint16_t vid);
/* Run one frame through XDP or tc, check the verdict and the counters. */
void xdp_step(int port, const struct frame *f, int want, const struct frame *out,
	      const char *spec);
void tc_step(int port, const struct frame *f, int want, const char *spec);
/* The kernel's rx counter of a port's netdev. */
uint64_t kstat(int port);

/* ---- configuration through libxbr (what the CLI calls) ---- */
void port_set(int port, int learning, int flood);
void port_refresh(int p);
void set_ageing(unsigned int s);
void xdp_flood(int on);
void vlan_add(int p, uint16_t lo, uint16_t hi, bool pvid, bool untagged);
void vlan_del(int p, uint16_t lo, uint16_t hi);
int vlan_of(int p, uint16_t vid);
void set_sec(int p, const struct xbr_port_sec *sec);
uint32_t rt_nr_macs(int p);

/* ---- every test run traced first (trace.c) ---- */
struct trace_run {
	int on;			/* traced: compare after the run */
	uint32_t in;
	struct snap snap;	/* the counters before the run */
	struct xbr_trace_record tr;
};

/* Trace the frame about to enter by @ifindex; checks the trace changed
 * nothing. */
void trace_before(struct trace_run *t, uint32_t ifindex, const void *data, size_t len);
/* The run's verdict and counters against the trace's. */
void trace_after_xdp(struct trace_run *t, int verdict);
void trace_after_tc(struct trace_run *t, int verdict);

/* ---- real frames through the real ports (peers=) ---- */
struct live_rx {
	int tagged;		/* 1: in metadata (auxdata), 2: inline */
	uint16_t tpid;		/* of that tag */
	uint16_t tci;
	uint16_t inner_type;	/* the EtherType behind it */
	size_t len;		/* as captured (without a metadata tag) */
};

extern int live_ok;
void live_open(void);
void live_close(void);
void live_drain(void);
void live_send(int port, const struct frame *f);
int live_recv(int port, const uint8_t *src, int ms, struct live_rx *rx);
void expect_live(int port, const uint8_t *src, int vid);

#endif /* XBR_UNIT_HARNESS_H */
