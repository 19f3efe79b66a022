/* SPDX-License-Identifier: GPL-2.0 */
/*
 * What the library's files share with each other and nobody else, one
 * section per file, lowest layer first. A file calls only into the files
 * listed above its own section (tests/cli/test-layering.sh checks it):
 *
 *   err, percpu, names, netdev     no other file of the library
 *   pins                           where a bridge lives on bpffs
 *   lock                           who may change it now
 *   store                          its pinned maps, opened by name; reads
 *   loader                         its programs: load, verify, pin
 *   attach                         a port's XDP link, tc filter, devmap entry
 *   state                          staged changes, one commit deriving the rest
 *   fdb, vlan, security, auto      a port's entries in their maps; port rules
 *   port                           ports joining and leaving
 *   hostport, vport                the netdevs xbr makes
 *   bridge, vport_run              bridges as a whole; the sock-fds supervisor
 *   conf, apply                    a whole configuration: read, build, apply
 */
#ifndef XBR_LIB_INTERNAL_H
#define XBR_LIB_INTERNAL_H

#include <linux/bpf.h>
#include <xbr/fdb_ctl.h>
#include <xbr/trace.h>
#include <xbr/events.h>
#include "libxbr.h"

/* ---- err.c, percpu.c ------------------------------------------------------ */

/* snprintf into a PATH_MAX buffer; -ENAMETOOLONG if it did not fit. */
int xbr_path(char *buf, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/* Sum a per-CPU map value made only of __u64 counters (size a multiple of
 * 8) over all CPUs into @sum. */
int percpu_sum(int map_fd, const void *key, void *sum, size_t size);
/* Write a zero value for @key on every CPU. */
int percpu_clear(int map_fd, const void *key, size_t size);

/* ---- pins.c --------------------------------------------------------------- */

/* Under a bridge's directory. */
#define XBR_PROGS_DIR	"progs"		/* its programs, by XBR_PROG_* name */
#define XBR_LINKS_DIR	"links"		/* its ports' XDP links */
#define XBR_PROG_XDP	"xdp"
#define XBR_PROG_TC	"tc"
#define XBR_PROG_EGRESS	"egress"
/* XBR_PROG_FDB_FLUSH, XBR_PROG_FDB_GC: include/xbr/fdb_ctl.h; XBR_PROG_TRACE:
 * include/xbr/trace.h; XBR_PROG_EVENT: include/xbr/events.h */

/* <pin-root>/xbr: the directory of every bridge, and the lock above them. */
int pins_top(char *buf);
int pins_bridge_dir(const char *name, char *buf);
bool pins_name_valid(const char *name);
/* Whether the pin root is a bpffs mount: -ENOENT, -ENOTDIR, 0 or 1. */
int pins_root_is_bpffs(void);
int pins_mkdir(const char *path);
/* Remove a pin directory tree: pins are files, directories are plain. */
void pins_rm_tree(const char *path);
/* The names of @dir's subdirectories, sorted, at most @max, each to be
 * freed; returns how many (0 if @dir cannot be read). */
int pins_subdirs(const char *dir, char **names, int max);
int pin_get(const char *dir, const char *name);
int pin_at(int fd, const char *dir, const char *name);
/* Pin @fd at @dir/@name, replacing what was there in one rename. */
int pin_replace(int fd, const char *dir, const char *name);

/* ---- lock.c --------------------------------------------------------------- */

/* The lock above bridges; @excl for changes that span bridges. Calls nest;
 * a shared hold cannot become exclusive (take it exclusively first).
 * @bridge names what the caller waits for, in the message shown while
 * another process holds it (NULL: every bridge). */
int lock_top(bool excl, const char *bridge);
void unlock_top(void);
bool lock_top_exclusive(void);
/* The bridge's own lock, exclusive, after the top one (shared unless
 * @claim): fails if the bridge was deleted or replaced since @br was
 * opened. Calls nest. */
int lock_bridge(struct xbr_bridge *br, bool claim);
void unlock_bridge(struct xbr_bridge *br);
/* A slot for one malloc'd blob per locked bridge: kept while this process
 * holds the bridge's lock or the top one exclusively, freed after. */
void **lock_cache(const struct xbr_bridge *br);
/* The bridge is gone: drop what the lock kept for it. */
void lock_forget(const char *dir);
/* Who holds a flock on @fd's file: "pid N (command)", or "another process". */
void lock_holder(int fd, char *buf, size_t len);

/* ---- store.c -------------------------------------------------------------- */

/* Identity of the calling thread's network namespace. */
int store_netns_id(__u64 *dev, __u64 *ino);
/* Open the pins of a bridge directory, without the netns check. */
int store_open(const char *name, struct xbr_bridge *br);
/* A snapshot of the ports map, sorted by id. */
struct port_entry {
	uint32_t ifindex;
	struct xbr_port port;
};
int store_ports(struct xbr_bridge *br, struct port_entry *ents);
/* Which bridge other than @skip has @ifindex as a port (1), or none (0). */
int store_port_owner(uint32_t ifindex, const char *skip, char *bridge, size_t len);
/* A map and a program for things that identify them (devmap values). */
int store_prog_id(int prog_fd, uint32_t *id);

/* ---- loader.c ------------------------------------------------------------- */

enum loader_prog {
	LOADER_XDP,
	LOADER_TC,
	LOADER_EGRESS,
	LOADER_FDB_FLUSH,
	LOADER_FDB_GC,
	LOADER_TRACE,
	LOADER_EVENT,
	LOADER_NR_PROGS,
};

/* A bridge's programs, loaded against its maps and verified, not in use. */
struct loader_set {
	int prog_fd[LOADER_NR_PROGS];
	/* Maps the load had to create: no pin of that name existed. */
	unsigned int nr_new;
	int new_fd[32];
	char new_name[32][BPF_OBJ_NAME_LEN];
	bool new_pinned;
};

/* Load and verify every program against the maps pinned in @dir (making
 * those that are missing), from @obj_dir's xbr_*.bpf.o or, if NULL, from
 * the objects built into the library. Nothing is pinned or attached. */
int loader_load(const char *dir, const char *obj_dir, struct loader_set *ls);
/* Pin the maps the load created under @dir. */
int loader_pin_maps(const char *dir, struct loader_set *ls);
void loader_unpin_maps(const char *dir, struct loader_set *ls);
/* Pin the programs under @dir/progs, each replacing the old in one rename. */
int loader_pin_progs(const char *dir, struct loader_set *ls);
void loader_release(struct loader_set *ls);

/* ---- attach.c ------------------------------------------------------------- */

/* tc filter identity on each port's clsact ingress hook. */
#define XBR_TC_HANDLE	0xb12
#define XBR_TC_PRIO	0xb12

/* Attach @port's programs: tc always, XDP if XBR_PORT_F_XDP, a tx_ports
 * entry if XBR_PORT_F_XDP_TARGET. @replace: swap the programs of an
 * attached port atomically. May set XBR_PORT_F_OWN_CLSACT. */
int attach_port(struct xbr_bridge *br, uint32_t ifindex, struct xbr_port *port, int xdp_fd,
		int tc_fd, bool replace);
void detach_port(struct xbr_bridge *br, uint32_t ifindex, const struct xbr_port *port);
/* @prog_fd -1: no egress program on the entry. */
int devmap_set(int map_fd, uint32_t ifindex, int prog_fd);
/* The port's tx_ports entry as its flags say (XDP target, link up). */
int attach_tx_port(struct xbr_bridge *br, uint32_t ifindex, const struct xbr_port *port);

/* ---- state.c -------------------------------------------------------------- */

/* A port as a change of the bridge holds it. */
struct port_slot {
	uint32_t ifindex;
	struct xbr_port port;	/* as it is to be: edit this */
	struct xbr_port stored;	/* as the ports map holds it, if SLOT_STORED */
	unsigned int flags;	/* SLOT_* */
};

enum {
	SLOT_STORED	= 1 << 0,	/* the ports map holds it */
	SLOT_LIVE	= 1 << 1,	/* a port after the commit */
	SLOT_PRESENT	= 1 << 2,	/* its netdev is there under its name */
};

struct xbr_state;

/* Begin a change of @br: take its lock (@claim: and the lock above bridges
 * exclusively, to claim a netdev for it) and load its state, or take up
 * the state this process holds already. */
int state_begin(struct xbr_bridge *br, bool claim, struct xbr_state **st);
/* Write the staged change: port ids, both flood sets, the config's derived
 * fields and the ports generation are recomputed from the ports here, and
 * each map is written once, only where it differs. */
int state_commit(struct xbr_state *st);
/* Commit with a new ports generation even if no port changed: a change
 * the datapath's per-CPU caches must not outlive (a MAC's owner). */
int state_touch(struct xbr_state *st);
/* Release the lock; a change left uncommitted is dropped. */
void state_end(struct xbr_state *st);

struct xbr_bridge *state_bridge(struct xbr_state *st);
/* The config as it is to be: ageing, VLAN filtering, host port. */
struct xbr_config *state_config(struct xbr_state *st);
/* A live port by name (one whose netdev is there wins over a gone one), by
 * ifindex; NULL if none. */
struct port_slot *state_port(struct xbr_state *st, const char *dev);
struct port_slot *state_port_at(struct xbr_state *st, uint32_t ifindex);
unsigned int state_nr_ports(struct xbr_state *st);
/* Live ports in id order; @fn returns non-zero to stop. */
int state_foreach_port(struct xbr_state *st,
		       int (*fn)(struct xbr_state *st, struct port_slot *slot, void *arg), void *arg);
/* Stage a port joining (attached already) or leaving (detached after). */
struct port_slot *state_port_join(struct xbr_state *st, uint32_t ifindex,
				  const struct xbr_port *port);
void state_port_leave(struct xbr_state *st, struct port_slot *slot);
/* The egress program the flood devmap entries carry (a reload's). */
int state_set_egress(struct xbr_state *st, int prog_fd);

/* ---- fdb.c, vlan.c, security.c -------------------------------------------- */

/* May {@mac, @vlan} be an FDB entry? 0, or -EINVAL with the reason said. */
int fdb_entry_check(const uint8_t mac[6], uint16_t vlan);
int fdb_write(struct xbr_state *st, const uint8_t mac[6], uint16_t vlan, uint32_t ifindex,
	      uint32_t flags);
void fdb_port_forget(struct xbr_bridge *br, uint32_t ifindex);
/* Remove the entries @match (XBR_FLUSH_*) names, of @ifindex (0: all), in
 * the datapath's own code, so the learned counts stay true; xbr monitor
 * hears of each with @cause (XBR_EV_DEL_*). How many went, or -errno. */
int fdb_remove(struct xbr_bridge *br, uint32_t ifindex, uint32_t match, const uint8_t *mac,
	       uint16_t vlan, uint32_t cause);
/* ---- events.c: what the control plane tells xbr monitor ---------------- */

/* Port events (XBR_EV_PORT_*), a static entry added: best effort, a bridge
 * without the event program (made by an older xbr) hears nothing. */
void event_port(struct xbr_bridge *br, uint32_t type, const char *dev, uint32_t ifindex);
void event_fdb_add(struct xbr_bridge *br, const uint8_t mac[6], uint16_t vlan,
		   uint32_t ifindex, uint32_t flags);

/* Arm the FDB reclaimer, or hand it the bridge's current program. */
int fdb_gc_arm(struct xbr_bridge *br);
/* A new port's default VLAN; every VLAN and security entry of a port
 * leaving the bridge removed. */
int vlan_port_init(struct xbr_bridge *br, uint32_t ifindex);
void vlan_port_forget(struct xbr_bridge *br, uint32_t ifindex);
void sec_port_forget(struct xbr_bridge *br, uint32_t ifindex);

/* ---- port.c --------------------------------------------------------------- */

/* Add @dev with @extra_flags (XBR_PORT_F_HOST...) inside a change. */
int port_join(struct xbr_state *st, const char *dev, const struct xbr_port_opts *opts,
	      uint32_t extra_flags);
/* Take a port out: commit, then detach and forget its entries. */
int port_leave(struct xbr_state *st, struct port_slot *slot);

/* ---- conf.c, apply.c ------------------------------------------------------ */

/* A port's settings as a configuration holds them, whether its netdev is
 * there or not. */
void conf_port_read(struct xbr_bridge *br, uint32_t ifindex, const struct xbr_port *port,
		    struct xbr_conf_port *p);

/* ---- hostport.c ----------------------------------------------------------- */

int host_port_peer_name(const char *name, char *peer, size_t len);
int host_port_add(struct xbr_state *st);

#endif
