// SPDX-License-Identifier: GPL-2.0
/*
 * xbr-fdbfill: write many FDB entries straight into a pinned FDB map (xbr's
 * or the bare forwarder's: both use struct xbr_fdb_key/xbr_fdb_entry).
 * `xbr fdb add` runs once per entry; a benchmark with 100 000 entries needs
 * them in a second, so this writes them in batches.
 */
#include <errno.h>
#include <getopt.h>
#include <net/if.h>
#include <limits.h>
#include <stdio.h>
#include <unistd.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <bpf/bpf.h>
#include <xbr/bridge.h>
#include "frame.h"
#include "libxbr.h"

#define CHUNK 4096

static void usage(FILE *f)
{
	fprintf(f,
"Usage: xbr-fdbfill [--static] [--vlan V] MAP BASE_MAC COUNT DEV\n"
"       xbr-fdbfill --count MAP\n"
"Writes COUNT entries BASE_MAC, BASE_MAC+1, ... for VLAN V (0) pointing at\n"
"DEV (a device of the current namespace) into the pinned FDB map MAP.\n"
"Without --static they look freshly learned. --count prints how many\n"
"entries MAP holds.\n");
}

static int count_entries(const char *path)
{
	struct xbr_fdb_key key, next;
	unsigned long n = 0;
	int fd, err;

	fd = bpf_obj_get(path);
	if (fd < 0) {
		fprintf(stderr, "xbr-fdbfill: %s: %s\n", path, strerror(errno));
		return 1;
	}
	for (err = bpf_map_get_next_key(fd, NULL, &next); !err;
	     err = bpf_map_get_next_key(fd, &key, &next)) {
		key = next;
		n++;
	}
	printf("%lu\n", n);
	return 0;
}

/* An xbr FDB names its port's counters: look the id up in the bridge's
 * ports map beside MAP. A bare forwarder's FDB has none: 0. */
static __u32 port_id_of(const char *map, int ifindex)
{
	char path[PATH_MAX], *slash;
	struct xbr_port port;
	__u32 key = ifindex;
	int fd, err;

	snprintf(path, sizeof(path), "%s", map);
	slash = strrchr(path, '/');
	if (!slash)
		return 0;
	snprintf(slash + 1, sizeof(path) - (slash + 1 - path), "%s", XBR_MAP_PORTS);
	fd = bpf_obj_get(path);
	if (fd < 0)
		return 0;
	err = bpf_map_lookup_elem(fd, &key, &port);
	close(fd);
	return err ? 0 : port.id;
}

static void mac_add(const __u8 base[6], __u64 i, __u8 out[6])
{
	__u64 v = 0;
	int b;

	for (b = 0; b < 6; b++)
		v = v << 8 | base[b];
	v += i;
	for (b = 5; b >= 0; b--, v >>= 8)
		out[b] = v;
}

int main(int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "static", no_argument, NULL, 's' },
		{ "count", required_argument, NULL, 'c' },
		{ "vlan", required_argument, NULL, 'v' },
		{ "help", no_argument, NULL, 'h' },
		{}
	};
	static struct xbr_fdb_key keys[CHUNK];
	static struct xbr_fdb_entry vals[CHUNK];
	struct xbr_fdb_entry val = {};
	unsigned long count, done = 0;
	struct timespec now;
	__u16 vlan = 0;
	__u8 base[6];
	int opt, fd, ifindex;

	while ((opt = getopt_long(argc, argv, "sc:v:h", longopts, NULL)) != -1) {
		switch (opt) {
		case 's': val.flags |= XBR_FDB_F_STATIC; break;
		case 'c': return count_entries(optarg);
		case 'v': vlan = atoi(optarg); break;
		case 'h': usage(stdout); return 0;
		default: usage(stderr); return 2;
		}
	}
	if (argc - optind != 4 || xbr_parse_mac(argv[optind + 1], base)) {
		usage(stderr);
		return 2;
	}
	count = strtoul(argv[optind + 2], NULL, 0);
	ifindex = if_nametoindex(argv[optind + 3]);
	if (!ifindex) {
		fprintf(stderr, "xbr-fdbfill: %s: %s\n", argv[optind + 3],
			strerror(errno));
		return 1;
	}
	fd = bpf_obj_get(argv[optind]);
	if (fd < 0) {
		fprintf(stderr, "xbr-fdbfill: %s: %s\n", argv[optind],
			strerror(errno));
		return 1;
	}
	/* The datapath stamps entries with CLOCK_MONOTONIC_COARSE (fdb.h). */
	clock_gettime(CLOCK_MONOTONIC_COARSE, &now);
	val.ifindex = ifindex;
	val.seen_ns = (__u64)now.tv_sec * 1000000000ull + now.tv_nsec;
	val.port_id = port_id_of(argv[optind], ifindex);

	while (done < count) {
		__u32 n = count - done > CHUNK ? CHUNK : count - done, i;

		for (i = 0; i < n; i++) {
			memset(&keys[i], 0, sizeof(keys[i]));
			mac_add(base, done + i, keys[i].mac);
			keys[i].vlan = vlan;
			vals[i] = val;
		}
		if (bpf_map_update_batch(fd, keys, vals, &n, NULL)) {
			fprintf(stderr, "xbr-fdbfill: %s: after %lu entries: "
				"%s\n", argv[optind], done + n,
				strerror(errno));
			return 1;
		}
		done += n;
	}
	return 0;
}
