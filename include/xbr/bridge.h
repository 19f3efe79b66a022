/* SPDX-License-Identifier: (GPL-2.0 OR BSD-2-Clause) */
/*
 * Map keys, values and flags of one xbr bridge, shared by the BPF programs
 * and user space. Every map of a bridge is pinned under
 * <pin-root>/xbr/<bridge>/<map>; the structs here carry BTF so that
 * `bpftool map dump pinned ...` prints field names.
 */
#ifndef XBR_BRIDGE_H
#define XBR_BRIDGE_H

#include <linux/types.h>
#include <linux/bpf.h>		/* struct bpf_timer */

#define XBR_MAX_PORTS		256
#define XBR_MAX_FLOOD		XBR_MAX_PORTS	/* tc clone loop bound */
/*
 * The FDB is one plain hash (no LRU: nothing is ever evicted). Learned
 * entries are counted, per port and bridge-wide, and stop at a cap below
 * the table's size, so the room kept for static and local entries is
 * always there.
 */
#define XBR_FDB_MAX		131072
#define XBR_FDB_STATIC_MAX	4096
#define XBR_FDB_LEARNED_MAX	(XBR_FDB_MAX - XBR_FDB_STATIC_MAX)
#define XBR_AGEING_DEFAULT_S	300
/* Learned entries a VM-facing port may hold at once by default: a guest
 * spraying random source MACs cannot crowd out the other ports. 0 (no cap)
 * for uplinks (NICs, bonds, teams, VXLAN, Geneve), behind which a LAN lives. */
#define XBR_LEARN_LIMIT_VM	1024
#define XBR_IFNAMSIZ		16

/* Map names: the pin file names under <pin-root>/xbr/<bridge>/. */
#define XBR_MAP_CONFIG		"config"
#define XBR_MAP_PORTS		"ports"
#define XBR_MAP_FDB		"fdb"
#define XBR_MAP_STATS		"stats"
#define XBR_MAP_TX_PORTS	"tx_ports"
#define XBR_MAP_FLOOD_PORTS	"flood_ports"
#define XBR_MAP_FLOOD_LIST	"flood_list"
#define XBR_MAP_VLANS		"vlans"
#define XBR_MAP_PORT_RT		"port_rt"
#define XBR_MAP_SEC_MACS	"sec_macs"
#define XBR_MAP_SEC_IPS		"sec_ips"
#define XBR_MAP_LCACHE		"lcache"
#define XBR_MAP_PCACHE		"pcache"
#define XBR_MAP_FDB_GC		"fdb_gc"
#define XBR_MAP_AUTO_PORTS	"auto_ports"
#define XBR_MAP_PORT_DEVS	"port_devs"

#define XBR_VID_MAX		4094
#define XBR_VID_DEFAULT		1	/* every port's pvid until told otherwise */
#define XBR_SEC_MACS_MAX	8192
#define XBR_SEC_IPS_MAX		8192

/* struct xbr_config.flags */
enum {
	/* Every flood-enabled port can take an XDP redirect: XDP floods. */
	XBR_CFG_F_XDP_FLOOD = 1 << 0,
	/* 802.1Q: frames are classified into VLANs, FDB and floods per VLAN. */
	XBR_CFG_F_VLAN_FILTERING = 1 << 1,
	/* sec_macs holds entries: every source MAC is checked against it. */
	XBR_CFG_F_SEC_MACS = 1 << 2,
};

struct xbr_config {
	__u64 ageing_ns;	/* dynamic FDB entries older than this are unknown */
	__u32 flags;		/* XBR_CFG_F_* */
	__u32 nr_flood;		/* valid entries in flood_list */
	__u32 host_ifindex;	/* bridge side of the host port, 0 if none */
	__u32 fdb_max_learned;	/* learned entries the bridge holds at most */
	/* The network namespace whose ifindexes the maps hold (st_dev and
	 * st_ino of /proc/self/ns/net): pins are global, ifindexes are not. */
	__u64 netns_dev;
	__u64 netns_ino;
	/* Stamped (CLOCK_MONOTONIC ns) after every change to the ports map:
	 * the datapath's per-CPU port cache holds copies of this generation. */
	__u64 ports_gen;
};

/* struct xbr_port.flags */
enum {
	XBR_PORT_F_LEARNING	= 1 << 0,
	XBR_PORT_F_FLOOD	= 1 << 1,
	XBR_PORT_F_XDP		= 1 << 2, /* an XDP program runs on ingress */
	XBR_PORT_F_XDP_TARGET	= 1 << 3, /* XDP may redirect frames into it */
	XBR_PORT_F_CSUM_TRUSTED	= 1 << 4, /* its frames carry full L4 checksums */
	XBR_PORT_F_HOST		= 1 << 5, /* bridge side of the host port */
	XBR_PORT_F_LOCKED	= 1 << 6, /* only its own source MACs pass */
	XBR_PORT_F_IP_LOCKED	= 1 << 7, /* only its own IP addresses pass */
	XBR_PORT_F_OWN_CLSACT	= 1 << 8, /* xbr made its clsact qdisc: removes it */
	/* First-hop trust: a locked port drops DHCP server messages and
	 * IPv6 Router Advertisements unless trusted to send them. */
	XBR_PORT_F_DHCP_SERVER	= 1 << 9,
	XBR_PORT_F_RA		= 1 << 10,
	/* Its link is down (no carrier, or set down): nothing is sent to it;
	 * set and cleared by the event agent, xbrd. */
	XBR_PORT_F_DOWN		= 1 << 11,
	/* Added for a running VM (its libvirt hook, QEMU tap script, or an
	 * xbrd rule): not configuration: `save` leaves it out and `apply`
	 * leaves it alone. */
	XBR_PORT_F_TRANSIENT	= 1 << 12,
};

enum xbr_port_mode {
	XBR_MODE_AUTO,
	XBR_MODE_XDP,
	XBR_MODE_TC,
};

enum xbr_port_kind {
	XBR_KIND_NIC,
	XBR_KIND_VETH,
	XBR_KIND_TAP,
	XBR_KIND_VIRTUAL,	/* macvlan, GRE...: skbs from a stack, VM-facing or not */
	XBR_KIND_LAN,		/* bonds, teams, VXLAN, Geneve: a LAN behind a stack */
};

/* ports: hash keyed by ifindex. */
struct xbr_port {
	__u32 id;		/* index into stats */
	__u32 flags;		/* XBR_PORT_F_* */
	__u8 mode;		/* enum xbr_port_mode as configured */
	__u8 kind;		/* enum xbr_port_kind as detected */
	__u16 pvid;		/* VLAN of untagged ingress frames, 0: none */
	char name[XBR_IFNAMSIZ];	/* kept to show a port whose netdev is gone */
	__u32 max_macs;		/* locked: MACs it may learn besides its own */
	__u32 flood_limit;	/* flooded frames per second it may send, 0: no cap */
	__u32 learn_limit;	/* learned FDB entries it may hold, 0: no cap */
	__u32 pad2;
};

/* port_rt: array indexed by xbr_port.id: state the datapath keeps. */
struct xbr_port_rt {
	__u64 flood_window_ns;	/* start of the current one-second window */
	__u64 flood_count;	/* floods from this port in that window */
	__u32 nr_macs;		/* MACs a locked port learned (max_macs) */
	__u32 fdb_learned;	/* its learned entries in the FDB now */
	/* Bumped with every change to fdb_learned: the reclaimer recounts a
	 * port's entries and keeps the count only if nothing changed meanwhile. */
	__u64 fdb_changes;
	__u64 gc_changes;	/* the reclaimer's scratch: fdb_changes at its start */
	__u32 gc_seen;		/* ... and the port's live entries it met */
	__u32 pad;
};

/* vlans: hash of the VLANs each port is a member of. */
struct xbr_vlan_key {
	__u32 ifindex;
	__u16 vid;
	__u16 pad;
};

enum {
	XBR_VLAN_F_UNTAGGED = 1 << 0,	/* leaves the port without a tag */
};

struct xbr_vlan {
	__u32 flags;		/* XBR_VLAN_F_* */
};

/* sec_macs: source MACs that belong to one port: only there may they send
 * from, and a locked port sends only from these. */
struct xbr_sec_mac_key {
	__u8 mac[6];
	__u16 pad;
};

enum {
	XBR_SEC_F_CONFIGURED	= 1 << 0, /* given by the operator */
	XBR_SEC_F_LEARNED	= 1 << 1, /* learned under max-macs */
};

struct xbr_sec_mac {
	__u32 ifindex;
	__u32 flags;		/* XBR_SEC_F_* */
	/* XBR_SEC_F_LEARNED: the last frame from it, for ageing (configured
	 * MACs never age), and the VLAN it was learned in (it is owned there
	 * only: another VLAN's station of that MAC is a different station). */
	__u64 seen_ns;
	__u16 vid;
	__u16 pad;
	__u32 pad2;
};

/* sec_ips: the addresses an IP-locked port may send from. */
struct xbr_sec_ip_key {
	__u32 ifindex;
	__u32 family;		/* AF_INET or AF_INET6 */
	__u8 addr[16];		/* IPv4 in the first 4 bytes */
};

struct xbr_sec_ip {
	__u32 flags;
};

/* fdb: hash of learned, static and local entries. */
struct xbr_fdb_key {
	__u8 mac[6];
	__u16 vlan;
};

enum {
	XBR_FDB_F_STATIC	= 1 << 0, /* set by the operator, never learned over */
	XBR_FDB_F_LOCAL		= 1 << 1, /* the host port's own address */
};

struct xbr_fdb_entry {
	__u32 ifindex;
	__u32 flags;		/* XBR_FDB_F_* */
	__u64 seen_ns;		/* CLOCK_MONOTONIC_COARSE of the last frame from it */
	__u32 port_id;		/* xbr_port.id of ifindex: its counters, no port lookup */
	__u32 pad;
};

/* pcache: per-CPU, direct-mapped by ifindex: copies of ingress ports, valid
 * while their ports_gen matches the config's. An array load instead of a
 * hash lookup per frame. */
#define XBR_PCACHE_SIZE		64

struct xbr_pcache_entry {
	__u32 ifindex;
	__u32 pad;
	__u64 gen;
	struct xbr_port port;
};

/* lcache: per-CPU, direct-mapped: sources this CPU learned lately, so a
 * busy station costs an array load, not an FDB lookup, per frame. Valid
 * for one ports_gen: a port's lock or limits changed, its sources are
 * checked and learned anew. */
#define XBR_LCACHE_SIZE		256

struct xbr_lcache_entry {
	__u8 mac[6];
	__u16 vlan;
	__u32 ifindex;
	__u32 pad;
	__u64 seen_ns;
	__u64 gen;
};

/*
 * fdb_gc: array of one: the reclaimer, a timer that walks the FDB every
 * period removing aged learned entries and entries of ports that left
 * (armed when the bridge is made; its program lives as long as the pins),
 * and the bridge-wide count of learned entries.
 */
struct xbr_fdb_gc {
	struct bpf_timer timer;
	__u64 learned;		/* learned entries in the FDB now */
	__u64 changes;		/* bumped with every change to learned */
	__u64 sweeps;		/* walks done */
	__u64 aged;		/* learned entries removed for age */
	__u64 orphans;		/* entries removed because their port left */
	__u64 last_sweep_ns;	/* CLOCK_MONOTONIC_COARSE of the last walk */
	__u64 period_ns;	/* time between walks */
	__u64 gc_changes;	/* scratch: changes at the walk's start */
};

/*
 * auto_ports: array of XBR_AUTO_PORTS_MAX: the netdev name patterns (shell
 * globs, fnmatch(3)) whose netdevs the event agent, xbrd, adds to the bridge
 * as they appear (`xbr port auto`). Read by user space only: it lives with
 * the bridge's other pins. An empty pattern is an unused slot.
 */
#define XBR_AUTO_PORTS_MAX	16

struct xbr_auto_port {
	char pattern[XBR_IFNAMSIZ];
};

/* clock: per CPU, the last clock read and the jiffies it was made at. */
struct xbr_clock {
	__u64 jiffies;
	__u64 ns;
};

/* Why a frame was dropped: index into xbr_port_stats.drops. */
enum xbr_drop_reason {
	XBR_DROP_PARSE,		/* runt or truncated header */
	XBR_DROP_BAD_SRC,	/* multicast or zero source MAC */
	XBR_DROP_LINK_LOCAL,	/* 01:80:c2:00:00:0X is never forwarded */
	XBR_DROP_HAIRPIN,	/* destination is on the ingress port */
	XBR_DROP_MTU,		/* larger than the egress MTU */
	XBR_DROP_REDIRECT,	/* redirect to the egress port failed */
	XBR_DROP_NO_PORT,	/* FDB points at a port that is gone */
	XBR_DROP_VLAN,		/* VLAN not allowed on the ingress or egress port */
	XBR_DROP_MAC_SPOOF,	/* source MAC belongs to another port */
	XBR_DROP_LOCKED,	/* locked port, source MAC not one of its own */
	XBR_DROP_IP_SPOOF,	/* IP-locked port, sender address not its own */
	XBR_DROP_FLOOD_LIMIT,	/* over the port's flood-limit */
	XBR_DROP_DHCP_SERVER,	/* DHCP server message from a port not trusted to send one */
	XBR_DROP_RA,		/* IPv6 Router Advertisement from a port not trusted to */
	XBR_DROP_L4_HIDDEN,	/* locked port: an L4 header the guards cannot read */
	XBR_DROP_PORT_DOWN,	/* the destination's link is down */
	XBR_DROP_MAX,
};

/* stats: per-CPU array indexed by xbr_port.id. */
struct xbr_port_stats {
	__u64 rx_packets;
	__u64 rx_bytes;
	__u64 tx_packets;	/* every frame sent out of this port, floods included */
	__u64 tx_bytes;
	__u64 flooded;		/* frames received here and flooded */
	__u64 learned;		/* new FDB entries from this port */
	__u64 moves;		/* stations that moved to this port */
	__u64 learn_limited;	/* sources not learned: the port is at its learn-limit */
	__u64 learn_full;	/* sources not learned: the bridge holds fdb_max_learned */
	__u64 drops[XBR_DROP_MAX];
	/* Frames XDP decided and tc carried out (xbr/handoff.h): the rest of
	 * what tc forwarded from an XDP port was decided twice. */
	__u64 handoffs;
};

#endif /* XBR_BRIDGE_H */
