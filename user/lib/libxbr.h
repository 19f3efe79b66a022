/* SPDX-License-Identifier: GPL-2.0 */
/*
 * libxbr: the bridge operations as a small C API. The CLI and xbr-vhost use
 * it; all state lives in the pinned maps, so any process can pick a bridge
 * up where another left it.
 */
#ifndef LIBXBR_H
#define LIBXBR_H

#include <stdbool.h>
#include <stdint.h>
#include <limits.h>
#include <net/if.h>
#include <xbr/bridge.h>
#include <xbr/trace.h>
#include <xbr/events.h>

#define XBR_PIN_ROOT_DEFAULT	"/sys/fs/bpf"
#define XBR_NAME_MAX		(IFNAMSIZ - 1)

/* The last error, naming the object and the reason. */
const char *xbr_errmsg(void);
int xbr_err(int err, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
void xbr_warn(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
/* libbpf's output on stderr without the notes of probes xbr makes on
 * purpose (XBR_DEBUG=1: everything). */
void xbr_libbpf_quiet(void);

/*
 * An open bridge: the fds of its pinned maps and programs, each opened by
 * its pin name (store.c has the table: a new map is a line there and a
 * member here). Reading needs nothing more; every call that changes the
 * bridge takes its lock itself.
 */
struct xbr_bridge {
	char name[IFNAMSIZ];
	char dir[PATH_MAX];		/* <pin-root>/xbr/<name> */
	uint64_t dir_dev, dir_ino;	/* which directory of that name it was */
	int config_fd;
	int ports_fd;
	int fdb_fd;
	int stats_fd;
	int tx_ports_fd;
	int flood_ports_fd;
	int flood_list_fd;
	int vlans_fd;
	int port_rt_fd;
	int sec_macs_fd;
	int sec_ips_fd;
	int fdb_gc_fd;			/* the FDB reclaimer and the learned count */
	int auto_ports_fd;		/* xbr port auto's patterns */
	int xdp_fd;			/* progs/: what new attachments run */
	int tc_fd;
	int egress_fd;
	int fdb_flush_fd;		/* progs/: the FDB's upkeep (xbr_fdb.bpf.c) */
	int fdb_gc_prog_fd;
};

/* Pin root: --pin-root, else $XBR_PIN_ROOT, else /sys/fs/bpf. */
void xbr_set_pin_root(const char *root);
const char *xbr_pin_root(void);

int xbr_bridge_add(const char *name, unsigned int ageing_s, bool host_port);
int xbr_bridge_del(const char *name);
/* Fails for a bridge of another netns: its ports are that netns' ifindexes. */
int xbr_bridge_open(const char *name, struct xbr_bridge *br);
bool xbr_bridge_in_this_netns(const struct xbr_config *cfg);
void xbr_bridge_close(struct xbr_bridge *br);
int xbr_bridge_set_ageing(struct xbr_bridge *br, unsigned int ageing_s);
/* Learned entries the bridge holds at most (1..XBR_FDB_LEARNED_MAX). */
int xbr_bridge_set_fdb_max_learned(struct xbr_bridge *br, unsigned int max);
/* The reclaimer's state and the bridge's learned count. */
int xbr_bridge_fdb_gc(struct xbr_bridge *br, struct xbr_fdb_gc *gc);
/* Replace the programs with the library's own (or with @obj_dir's
 * xbr_xdp.bpf.o, xbr_tc.bpf.o, xbr_egress.bpf.o), keeping every map: all
 * are loaded and verified first, and any failure leaves the bridge as it
 * was, the error naming the program and why. */
int xbr_bridge_reload(struct xbr_bridge *br);
int xbr_bridge_reload_from(struct xbr_bridge *br, const char *obj_dir);
int xbr_bridge_config(struct xbr_bridge *br, struct xbr_config *cfg);
/* Calls @fn with the name of each bridge of this netns, sorted; stops on a
 * non-zero return. */
int xbr_bridge_foreach(int (*fn)(const char *name, void *arg), void *arg);

/*
 * Locks (flock on the pin directories; see README "Locking and batches").
 * Every call of this API that changes a bridge takes what it needs itself. Hold a
 * bridge's lock across several calls to make them one unit against every
 * other process; hold the lock of all bridges for a batch. Calls nest.
 * A lock held by another process makes the caller wait, never fail; after
 * 2 s it says so on stderr. Adding a port or a vport claims a netdev for
 * one bridge of all: inside xbr_bridge_lock() it fails, inside
 * xbr_lock_all() it works. What a process holds is kept per process:
 * change bridges from one thread at a time.
 */
int xbr_bridge_lock(struct xbr_bridge *br);
void xbr_bridge_unlock(struct xbr_bridge *br);
int xbr_lock_all(void);
void xbr_unlock_all(void);

/* What `port add` and `port set` change; start from xbr_port_opts_init(). */
struct xbr_port_opts {
	enum xbr_port_mode mode;	/* add only */
	int learning;		/* -1: leave as is / default on */
	int flood;		/* -1: leave as is / default on */
	int transient;		/* -1: leave as is / default off (XBR_PORT_F_TRANSIENT) */
};

void xbr_port_opts_init(struct xbr_port_opts *opts);
/* Whether any switch (learning, flood, ...) is set in @opts. */
bool xbr_port_opts_given(const struct xbr_port_opts *opts);

int xbr_port_add(struct xbr_bridge *br, const char *dev, const struct xbr_port_opts *opts);
int xbr_port_set(struct xbr_bridge *br, const char *dev, const struct xbr_port_opts *opts);
int xbr_port_del(struct xbr_bridge *br, const char *dev);
/*
 * What the event agent (xbrd) tells the library. A port whose link went
 * down (@down), or whose netdev vanished, gets nothing (out of the flood
 * sets and tx_ports, unicast to it dropped and counted as port_down) and
 * its learned stations are forgotten; up again, it forwards. A gone port
 * stays, shown gone, until deleted or back: then xbr_port_rejoin() attaches
 * the new netdev of that name with the settings the port had (VLANs,
 * security, static entries). The host side's MAC changed: the local entry
 * follows.
 */
int xbr_port_set_link(struct xbr_bridge *br, const char *dev, bool down);
int xbr_port_rejoin(struct xbr_bridge *br, const char *dev);
int xbr_bridge_host_mac_sync(struct xbr_bridge *br);
/* Find a port by netdev name, present or gone. */
int xbr_port_find(struct xbr_bridge *br, const char *dev, uint32_t *ifindex,
		  struct xbr_port *port);
/* Iterate ports sorted by id. */
int xbr_port_foreach(struct xbr_bridge *br,
		     int (*fn)(uint32_t ifindex, const struct xbr_port *port, void *arg),
		     void *arg);
/* Whether the port's netdev still exists under its name. */
bool xbr_port_present(uint32_t ifindex, const struct xbr_port *port);
/* Which bridge under the pin root has @ifindex as a port, if any. */
int xbr_port_owner(uint32_t ifindex, char *bridge, size_t len);
int xbr_port_stats(struct xbr_bridge *br, const struct xbr_port *port,
		   struct xbr_port_stats *sum);
/* What the datapath keeps of a port: its learned entries, budgets. */
int xbr_port_rt(struct xbr_bridge *br, const struct xbr_port *port, struct xbr_port_rt *rt);
/* A new port's defaults by kind: uplinks (NICs, bonds, teams, tunnels: a
 * LAN behind them) learn without a cap and are trusted to carry DHCP
 * servers' and routers' messages; VM-facing ports are not. */
uint32_t xbr_kind_learn_limit(enum xbr_port_kind kind);
uint32_t xbr_kind_trust(enum xbr_port_kind kind);
const char *xbr_mode_name(enum xbr_port_mode mode);
const char *xbr_kind_name(enum xbr_port_kind kind);
const char *xbr_drop_name(enum xbr_drop_reason reason);

/* VLAN 0: the entry stands for every VLAN (static entries only, with
 * VLAN filtering on). */
int xbr_fdb_add(struct xbr_bridge *br, const uint8_t mac[6], uint16_t vlan, const char *dev,
		bool is_static);
int xbr_fdb_del(struct xbr_bridge *br, const uint8_t mac[6], uint16_t vlan);
/* Flush entries of @ifindex (0: all ports); dynamic only if @dynamic. */
int xbr_fdb_flush(struct xbr_bridge *br, uint32_t ifindex, bool dynamic);
int xbr_fdb_foreach(struct xbr_bridge *br,
		    int (*fn)(const struct xbr_fdb_key *key, const struct xbr_fdb_entry *e,
			      void *arg),
		    void *arg);
/* Seconds since the entry was last refreshed; whether it has aged out. */
double xbr_fdb_age(const struct xbr_fdb_entry *e);
/* @cfg: the bridge's config, read once per walk (xbr_bridge_config). */
bool xbr_fdb_expired(const struct xbr_config *cfg, const struct xbr_fdb_entry *e);

/* vlan.c: 802.1Q membership, like `bridge vlan` with vlan_filtering=1. */
int xbr_vlan_add(struct xbr_bridge *br, const char *dev, uint16_t vid_lo, uint16_t vid_hi,
		 bool pvid, bool untagged);
int xbr_vlan_del(struct xbr_bridge *br, const char *dev, uint16_t vid_lo, uint16_t vid_hi);
int xbr_vlan_foreach(struct xbr_bridge *br, uint32_t ifindex,
		     int (*fn)(uint16_t vid, const struct xbr_vlan *v, void *arg), void *arg);
int xbr_bridge_set_vlan_filtering(struct xbr_bridge *br, bool on);

/* security.c: locked ports, their MACs and addresses, limits. */
#define XBR_SEC_LIST_MAX	64
struct xbr_sec_addr {
	int family;		/* AF_INET or AF_INET6 */
	uint8_t addr[16];
};

struct xbr_port_sec {
	int locked;		/* -1: leave as is */
	int nr_macs;		/* -1: leave the configured MACs as they are */
	uint8_t macs[XBR_SEC_LIST_MAX][6];
	int nr_ips;		/* -1: leave the addresses as they are; 0: no IP lock */
	struct xbr_sec_addr ips[XBR_SEC_LIST_MAX];
	long long max_macs;	/* -1: leave as is */
	long long flood_limit;	/* -1: leave as is; 0: no cap */
	long long learn_limit;	/* -1: leave as is; 0: no cap */
	int dhcp_server;	/* trusted to send DHCP server messages; -1: leave */
	int ra;			/* trusted to send Router Advertisements; -1: leave */
};

void xbr_port_sec_init(struct xbr_port_sec *sec);
/* A configured MAC moves from port @from to port @to in one step (a guest
 * that migrated between two vports of the bridge). */
int xbr_port_move_mac(struct xbr_bridge *br, const uint8_t mac[6], const char *from,
		      const char *to);
int xbr_port_set_security(struct xbr_bridge *br, const char *dev, const struct xbr_port_sec *sec);
/* Walk the port's MACs (configured and learned) and addresses. */
int xbr_sec_mac_foreach(struct xbr_bridge *br, uint32_t ifindex,
			int (*fn)(const uint8_t mac[6], uint32_t flags, void *arg), void *arg);
int xbr_sec_ip_foreach(struct xbr_bridge *br, uint32_t ifindex,
		       int (*fn)(const struct xbr_sec_addr *a, void *arg), void *arg);

/* auto.c: netdev name patterns (fnmatch) the event agent, xbrd, adds to
 * the bridge as their netdevs appear. */
int xbr_port_auto_add(struct xbr_bridge *br, const char *pattern);
int xbr_port_auto_del(struct xbr_bridge *br, const char *pattern);
int xbr_port_auto_foreach(struct xbr_bridge *br, int (*fn)(const char *pattern, void *arg),
			  void *arg);
bool xbr_port_auto_matches(struct xbr_bridge *br, const char *dev);

int xbr_parse_mac(const char *s, uint8_t mac[6]);

/*
 * ---- monitor: a bridge's events (events.c, include/xbr/events.h) -------
 *
 * One reader per bridge: xbr_monitor_add() fails, naming the reader, while
 * another process reads the bridge's events. Events already in the ring
 * when it starts are passed over. @fn returns non-zero to stop polling.
 */
struct xbr_monitor;
typedef int (*xbr_monitor_fn)(const char *bridge, const struct xbr_event *ev, void *arg);

int xbr_monitor_new(struct xbr_monitor **m, xbr_monitor_fn fn, void *arg);
int xbr_monitor_add(struct xbr_monitor *m, struct xbr_bridge *br);
/* Wait up to @timeout_ms for events and hand each to @fn: how many, or
 * -errno. */
int xbr_monitor_poll(struct xbr_monitor *m, int timeout_ms);
void xbr_monitor_free(struct xbr_monitor *m);

/*
 * ---- trace: one frame's forwarding decision (frame.c, trace.c) ---------
 *
 * The datapath's decision for a frame described here, made by the
 * bridge's trace program (bpf/xbr_trace.bpf.c) on its current maps,
 * without learning, counting or sending anything. Its steps:
 * include/xbr/trace.h.
 */
enum xbr_frame_l3 {
	XBR_FRAME_RAW,		/* @ethertype, zeroes behind it */
	XBR_FRAME_ARP,		/* request (@arp_op 1) or reply (2) */
	XBR_FRAME_IPV4,
	XBR_FRAME_IPV6,
};

struct xbr_frame_spec {
	uint8_t dst[6], src[6];
	uint16_t stag;		/* 802.1ad S-VID outermost; 0: none */
	uint16_t vlan;		/* 802.1Q VID; 0: untagged */
	enum xbr_frame_l3 l3;
	uint16_t ethertype;	/* XBR_FRAME_RAW */
	uint16_t arp_op;
	uint8_t saddr[16], daddr[16];	/* ARP and IPv4: the first 4 bytes */
	uint8_t l4proto;	/* IPPROTO_*: TCP, UDP, ICMP(V6); 0: none */
	uint16_t sport, dport;
	uint8_t tcp_flags;	/* 0: SYN */
	uint8_t icmp_type;
	size_t size;		/* the frame's length, payload zeroes; 0: the least */
};

/* The frame @s describes into @buf: its length, or a negative errno. */
int xbr_frame_build(const struct xbr_frame_spec *s, uint8_t *buf, size_t size);
/* Trace @frame entering through @dev. */
int xbr_trace_frame(struct xbr_bridge *br, const char *dev, const void *frame, size_t len,
		    struct xbr_trace_record *tr);
void xbr_format_mac(const uint8_t mac[6], char buf[18]);

/* netdev.c: the few link operations the bridge needs, over rtnetlink. */
int xbr_netdev_veth_add(const char *name, const char *peer, uint32_t queues);
int xbr_netdev_del(const char *name);
int xbr_netdev_up(const char *name);
int xbr_netdev_kind(const char *name, enum xbr_port_kind *kind);
/* The kind of port a netdev of @driver (ethtool's name) makes. */
enum xbr_port_kind xbr_driver_kind(const char *driver);
int xbr_netdev_mac(const char *name, uint8_t mac[6]);
int xbr_netdev_gro(const char *name, bool on);
int xbr_netdev_tx_csum(const char *name, bool on);
int xbr_netdev_ipv6(const char *name, bool on);
int xbr_netdev_root_qdisc(const char *name, const char *kind);

/* ---- vport: a VM's AF_XDP port (vport.c, include/xbr/vport.h) ---------- */
#include <xbr/vport.h>

struct xbr_vport_opts {
	unsigned int queues;		/* 0: 1 */
	bool has_mac;			/* lock the bridge side to @mac */
	uint8_t mac[6];
};

/* An open vport: its record and the fds of its pinned maps. */
struct xbr_vport_handle {
	struct xbr_vport_info info;
	char dir[PATH_MAX];		/* <bridge dir>/vports/<name> */
	int xsks_fd;
	int qstats_fd;
	int info_fd;
	int socks_fd;
	int probe_fd;
};

int xbr_vport_add(struct xbr_bridge *br, const char *name, const struct xbr_vport_opts *opts);
int xbr_vport_del(struct xbr_bridge *br, const char *name);
int xbr_vport_open(struct xbr_bridge *br, const char *name, struct xbr_vport_handle *vp);
void xbr_vport_close(struct xbr_vport_handle *vp);
/* Calls @fn with each vport's name, sorted; stops on a non-zero return. */
int xbr_vport_foreach(struct xbr_bridge *br, int (*fn)(const char *name, void *arg),
		      void *arg);
/* Whether the VM side still exists as created. */
bool xbr_vport_present(const struct xbr_vport_handle *vp);
/* The XSKMAP pin: QEMU's map-path=. */
int xbr_vport_xsk_path(const struct xbr_bridge *br, const char *name, char *buf);
/* Which XSKMAP keys hold a socket, and the queue each is bound to. */
int xbr_vport_sockets(struct xbr_vport_handle *vp,
		      struct xbr_vport_sock socks[XBR_VPORT_MAX_QUEUES]);
int xbr_vport_qstats(struct xbr_vport_handle *vp, uint32_t queue,
		     struct xbr_vport_qstats *sum);
/* Sockets for QEMU's sock-fds=: a bare AF_XDP socket (close-on-exec), and
 * whether its user has bound it yet (1, 0, or -errno). */
int xbr_xsk_socket(void);
int xbr_xsk_bound(int fd);
int xbr_vport_xsk_set(struct xbr_vport_handle *vp, uint32_t key, int fd);
int xbr_vport_xsk_clear(struct xbr_vport_handle *vp, uint32_t key);
/* vport_run.c: make the vport's sockets, run @argv (NULL-terminated) with
 * them, "{sock-fds}" in its words replaced by their numbers, put each in
 * the XSKMAP once bound, wait, clean the map. Returns the command's exit
 * status (128 + signal if killed), or -errno if nothing was started.
 * Forwards SIGINT, SIGTERM, SIGHUP and SIGQUIT to the command. */
int xbr_vport_run(struct xbr_bridge *br, const char *name, char *const argv[]);
/* ---- end of vport ------------------------------------------------------- */

/*
 * ---- conf.c: a whole configuration as data ------------------------------
 *
 * What `xbr save` prints and `xbr apply` makes true: bridges with their
 * settings, ports with every setting, VLANs, port security, static FDB
 * entries, vports and port rules. xbr_conf_read() takes the running state;
 * the builders below change a configuration the way the commands would
 * change a bridge (a new port gets its kind's defaults and VLAN 1, the
 * first vlan add turns filtering on, ...); xbr_conf_apply() makes the
 * running state equal to one, touching only what differs.
 */
#define XBR_CONF_VID_BYTES	((XBR_VID_MAX + 8) / 8)

struct xbr_conf_vlans {
	uint8_t member[XBR_CONF_VID_BYTES];	/* bit per VID */
	uint8_t untagged[XBR_CONF_VID_BYTES];
	uint16_t pvid;
};

/* Who makes a port: port add, or the bridge (its host port) or a vport. */
enum xbr_conf_origin {
	XBR_CONF_PORT_ADDED,
	XBR_CONF_PORT_HOST,
	XBR_CONF_PORT_VPORT,
};

struct xbr_conf_port {
	char name[IFNAMSIZ];
	enum xbr_conf_origin origin;
	struct xbr_port_opts opts;	/* mode; learning, flood: 0 or 1 */
	struct xbr_port_sec sec;	/* every field set, none -1 */
	struct xbr_conf_vlans vlans;
};

struct xbr_conf_fdb {			/* a static entry */
	uint8_t mac[6];
	uint16_t vlan;
	char dev[IFNAMSIZ];
};

struct xbr_conf_vport {
	char name[IFNAMSIZ];
	struct xbr_vport_opts opts;	/* queues >= 1 */
};

struct xbr_conf_bridge {
	char name[IFNAMSIZ];
	unsigned int ageing_s;
	unsigned int fdb_max_learned;
	bool host_port;
	bool vlan_filtering;
	struct xbr_conf_port *ports;
	unsigned int nr_ports;
	struct xbr_conf_fdb *fdb;
	unsigned int nr_fdb;
	struct xbr_conf_vport *vports;
	unsigned int nr_vports;
	char auto_ports[XBR_AUTO_PORTS_MAX][IFNAMSIZ];
	unsigned int nr_auto_ports;
};

struct xbr_conf {
	struct xbr_conf_bridge *bridges;
	unsigned int nr_bridges;
};

/* The running state of every bridge of this netns (@only: just that one),
 * each list sorted by name. */
int xbr_conf_read(struct xbr_conf *c, const char *only);
void xbr_conf_free(struct xbr_conf *c);
struct xbr_conf_bridge *xbr_conf_bridge(const struct xbr_conf *c, const char *name);
struct xbr_conf_port *xbr_conf_port(const struct xbr_conf_bridge *b, const char *name);
bool xbr_conf_vlan_member(const struct xbr_conf_vlans *v, uint16_t vid);
bool xbr_conf_vlan_untagged(const struct xbr_conf_vlans *v, uint16_t vid);
/* Sort every list by name (and MAC, VLAN): the order save prints. */
void xbr_conf_sort(struct xbr_conf *c);

/* Builders, each checking what the command would check (errors name the
 * object). 0 in @ageing_s / @fdb_max_learned and -1 in @vlan_filtering:
 * leave as is. */
int xbr_conf_bridge_add(struct xbr_conf *c, const char *name, unsigned int ageing_s,
			bool host_port);
int xbr_conf_bridge_set(struct xbr_conf *c, const char *name, unsigned int ageing_s,
			int vlan_filtering, unsigned int fdb_max_learned);
int xbr_conf_port_add(struct xbr_conf *c, const char *bridge, const char *dev,
		      const struct xbr_port_opts *opts);
/* -1 members of @opts and @sec: leave as is. */
int xbr_conf_port_set(struct xbr_conf *c, const char *bridge, const char *dev,
		      const struct xbr_port_opts *opts, const struct xbr_port_sec *sec);
int xbr_conf_vlan(struct xbr_conf *c, const char *bridge, const char *dev, uint16_t lo,
		  uint16_t hi, bool add, bool pvid, bool untagged);
int xbr_conf_fdb_add(struct xbr_conf *c, const char *bridge, const uint8_t mac[6],
		     uint16_t vlan, const char *dev);
int xbr_conf_vport_add(struct xbr_conf *c, const char *bridge, const char *name,
		       const struct xbr_vport_opts *opts);
int xbr_conf_port_auto(struct xbr_conf *c, const char *bridge, const char *pattern);

/* Make the running state equal to @want: what is missing is made, what
 * differs is changed, what @want does not name is removed; a port whose
 * settings are the same is not touched (it keeps forwarding). Checks first
 * what can be checked (devices to add exist...), so a file with an error
 * changes nothing. Takes the lock above bridges. */
int xbr_conf_apply(const struct xbr_conf *want);

#endif /* LIBXBR_H */
