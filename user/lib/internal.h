/* SPDX-License-Identifier: GPL-2.0 */
/* What the library's files share with each other and nobody else. */
#ifndef XBR_LIB_INTERNAL_H
#define XBR_LIB_INTERNAL_H

#include "libxbr.h"

/* tc filter identity on each port's clsact ingress hook. */
#define XBR_TC_HANDLE	0xb12
#define XBR_TC_PRIO	0xb12

int port_add_flags(struct xbr_bridge *br, const char *dev, const struct xbr_port_opts *opts,
		   uint32_t extra_flags);
/* Attach (or atomically re-attach, after a reload) a port's programs. */
int port_attach(struct xbr_bridge *br, uint32_t ifindex, struct xbr_port *port, bool replace);
/* Write or remove a ports entry, invalidating the datapath's port copies. */
int port_write(struct xbr_bridge *br, uint32_t ifindex, const struct xbr_port *port,
	       uint64_t flags);
int port_remove(struct xbr_bridge *br, uint32_t ifindex);
/* Rebuild both flood sets and the XDP-flood flag from the ports map. */
int flood_sync(struct xbr_bridge *br);
int config_write(struct xbr_bridge *br, const struct xbr_config *cfg);
/* A new port's default VLAN; every VLAN and security entry of a port
 * leaving the bridge removed. */
int vlan_port_init(struct xbr_bridge *br, uint32_t ifindex);
void vlan_port_forget(struct xbr_bridge *br, uint32_t ifindex);
void sec_port_forget(struct xbr_bridge *br, uint32_t ifindex, const struct xbr_port *port);
int fdb_write(struct xbr_bridge *br, const uint8_t mac[6], uint16_t vlan, uint32_t ifindex,
	      uint32_t flags);
/* Remove the entries @match (XBR_FLUSH_*) names, of @ifindex (0: all), in
 * the datapath's own code so the learned counts stay true; returns how
 * many went, or -errno. */
int fdb_remove(struct xbr_bridge *br, uint32_t ifindex, uint32_t match, const uint8_t *mac,
	       uint16_t vlan);
/* (Re)arm the FDB reclaimer with the bridge's current program. */
int fdb_gc_arm(struct xbr_bridge *br);

/* Sum a per-CPU map value made only of __u64 counters (size a multiple of
 * 8) over all CPUs into @sum. */
int percpu_sum(int map_fd, const void *key, void *sum, size_t size);

/* snprintf into a PATH_MAX buffer; -ENAMETOOLONG if it did not fit. */
int xbr_path(char *buf, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

#endif
