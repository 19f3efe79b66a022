/* SPDX-License-Identifier: (GPL-2.0 OR BSD-2-Clause) */
/*
 * The maps of one bridge. Every object (XDP, tc, devmap egress) declares the
 * same set; the loader pins them by name under <pin-root>/xbr/<bridge>, so
 * the first load creates them and every later load, a reload included,
 * reuses them. The FDB and counters survive program replacement that way.
 * (Not LIBBPF_PIN_BY_NAME: the kernel adds BPF_F_RDONLY_PROG to devmaps,
 * which libbpf 1.1's reuse check then takes for a mismatch.)
 */
#ifndef XBR_BPF_MAPS_H
#define XBR_BPF_MAPS_H

#include <linux/bpf.h>
#include <bpf/bpf_helpers.h>
#include <xbr/bridge.h>
#include <xbr/events.h>

struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(max_entries, 1);
	__type(key, __u32);
	__type(value, struct xbr_config);
} config SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, XBR_MAX_PORTS);
	__type(key, __u32);			/* ifindex */
	__type(value, struct xbr_port);
} ports SEC(".maps");

/* A plain hash, never an LRU: an LRU evicts whatever it likes, static
 * entries included, and the learned counts (fdb.h) would drift. */
struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, XBR_FDB_MAX);
	__type(key, struct xbr_fdb_key);
	__type(value, struct xbr_fdb_entry);
} fdb SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(max_entries, 1);
	__type(key, __u32);
	__type(value, struct xbr_fdb_gc);
} fdb_gc SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_PERCPU_ARRAY);
	__uint(max_entries, XBR_MAX_PORTS);
	__type(key, __u32);			/* xbr_port.id */
	__type(value, struct xbr_port_stats);
} stats SEC(".maps");

/* Ports XDP may redirect into, each with the egress program attached. */
struct {
	__uint(type, BPF_MAP_TYPE_DEVMAP_HASH);
	__uint(max_entries, XBR_MAX_PORTS);
	__type(key, __u32);			/* ifindex */
	__type(value, struct bpf_devmap_val);
} tx_ports SEC(".maps");

/* The flood set of the XDP path: broadcast target with EXCLUDE_INGRESS. */
struct {
	__uint(type, BPF_MAP_TYPE_DEVMAP_HASH);
	__uint(max_entries, XBR_MAX_PORTS);
	__type(key, __u32);
	__type(value, struct bpf_devmap_val);
} flood_ports SEC(".maps");

/* Every port whose netdev exists: the kernel drops an entry when its netdev
 * goes, so a miss tells the tc path a port is gone without asking for an
 * MTU. Never a redirect target (tx_ports is that). */
struct {
	__uint(type, BPF_MAP_TYPE_DEVMAP_HASH);
	__uint(max_entries, XBR_MAX_PORTS);
	__type(key, __u32);
	__type(value, struct bpf_devmap_val);
} port_devs SEC(".maps");

/* The flood set of the tc path: ifindexes walked by a bounded clone loop. */
struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(max_entries, XBR_MAX_FLOOD);
	__type(key, __u32);
	__type(value, __u32);
} flood_list SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, XBR_MAX_PORTS * 64);
	__type(key, struct xbr_vlan_key);
	__type(value, struct xbr_vlan);
} vlans SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(max_entries, XBR_MAX_PORTS);
	__type(key, __u32);			/* xbr_port.id */
	__type(value, struct xbr_port_rt);
} port_rt SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, XBR_SEC_MACS_MAX);
	__type(key, struct xbr_sec_mac_key);
	__type(value, struct xbr_sec_mac);
} sec_macs SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, XBR_SEC_IPS_MAX);
	__type(key, struct xbr_sec_ip_key);
	__type(value, struct xbr_sec_ip);
} sec_ips SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_PERCPU_ARRAY);
	__uint(max_entries, XBR_LCACHE_SIZE);
	__type(key, __u32);
	__type(value, struct xbr_lcache_entry);
} lcache SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_PERCPU_ARRAY);
	__uint(max_entries, XBR_PCACHE_SIZE);
	__type(key, __u32);
	__type(value, struct xbr_pcache_entry);
} pcache SEC(".maps");

/* Never read by the datapath: the event agent's rules (xbr/bridge.h). */
struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(max_entries, XBR_AUTO_PORTS_MAX);
	__type(key, __u32);
	__type(value, struct xbr_auto_port);
} auto_ports SEC(".maps");

/* What xbr monitor reads (xbr/events.h, events.h). */
struct {
	__uint(type, BPF_MAP_TYPE_RINGBUF);
	__uint(max_entries, XBR_EVENTS_RING_SIZE);
} events SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(max_entries, XBR_EVC_MAX);
	__type(key, __u32);
	__type(value, struct xbr_ev_rate);
} ev_rate SEC(".maps");

/* Per-CPU anchor of xbr_now() (fdb.h). */
struct {
	__uint(type, BPF_MAP_TYPE_PERCPU_ARRAY);
	__uint(max_entries, 1);
	__type(key, __u32);
	__type(value, struct xbr_clock);
} clock SEC(".maps");

#endif /* XBR_BPF_MAPS_H */
