// SPDX-License-Identifier: GPL-2.0
/*
 * A bridge's events (xbr/events.h): the control plane's own, handed to the
 * event program, and the reading of the ring for xbr monitor. A ring buffer
 * has one reader: the monitor holds a flock on the bridge's monitor/
 * directory while it reads, and a second one is told who reads.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <sys/file.h>
#include <bpf/bpf.h>
#include <bpf/libbpf.h>
#include "internal.h"

static void event_put(struct xbr_bridge *br, struct xbr_event *ev)
{
	LIBBPF_OPTS(bpf_test_run_opts, opts, .ctx_in = ev, .ctx_size_in = sizeof(*ev));
	int fd = pin_get(br->dir, XBR_PROGS_DIR "/" XBR_PROG_EVENT);

	if (fd < 0)
		return;
	/* Nobody may be reading, and the ring may be full: no error. */
	bpf_prog_test_run_opts(fd, &opts);
	close(fd);
}

void event_port(struct xbr_bridge *br, uint32_t type, const char *dev, uint32_t ifindex)
{
	struct xbr_event ev = { .type = type, .ifindex = ifindex };

	snprintf(ev.name, sizeof(ev.name), "%s", dev);
	event_put(br, &ev);
}

void event_fdb_add(struct xbr_bridge *br, const uint8_t mac[6], uint16_t vlan,
		   uint32_t ifindex, uint32_t flags)
{
	struct xbr_event ev = {
		.type = XBR_EV_FDB_ADD, .ifindex = ifindex, .vid = vlan, .arg = flags,
	};

	memcpy(ev.mac, mac, 6);
	event_put(br, &ev);
}

/* ---- the reader ---- */

/* One bridge's ring: ring_buffer holds a pointer to it, so it stays put. */
struct monitor_ring {
	struct xbr_monitor *m;
	struct monitor_ring *next;
	char bridge[IFNAMSIZ];
	uint64_t since_ns;	/* older events were there before we read */
	int ring_fd;
	int lock_fd;
};

struct xbr_monitor {
	struct ring_buffer *rb;
	struct monitor_ring *rings;
	xbr_monitor_fn fn;
	void *arg;
};

static uint64_t mono_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000000ULL + (uint64_t)ts.tv_nsec;
}

static int ring_event(void *ctx, void *data, size_t size)
{
	struct monitor_ring *r = ctx;
	const struct xbr_event *ev = data;

	if (size < sizeof(*ev) || ev->ns < r->since_ns)
		return 0;
	return r->m->fn(r->bridge, ev, r->m->arg);
}

int xbr_monitor_new(struct xbr_monitor **m, xbr_monitor_fn fn, void *arg)
{
	*m = calloc(1, sizeof(**m));
	if (!*m)
		return xbr_err(-ENOMEM, "out of memory");
	(*m)->fn = fn;
	(*m)->arg = arg;
	return 0;
}

/* Hold the bridge's monitor/ directory: the one reader of its ring. */
static int monitor_lock(struct xbr_bridge *br)
{
	char path[PATH_MAX], who[160];
	int fd, err;

	xbr_path(path, "%s/%s", br->dir, XBR_MONITOR_DIR);
	err = pins_mkdir(path);
	if (err)
		return xbr_err(err, "%s: %s", path, strerror(-err));
	fd = open(path, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (fd < 0)
		return xbr_err(-errno, "%s: %s", path, strerror(errno));
	if (flock(fd, LOCK_EX | LOCK_NB)) {
		err = -errno;
		lock_holder(fd, who, sizeof(who));
		close(fd);
		if (err == -EWOULDBLOCK)
			return xbr_err(-EBUSY, "bridge %s: %s reads its events already (a bridge's "
				       "events have one reader)", br->name, who);
		return xbr_err(err, "%s: %s", path, strerror(-err));
	}
	return fd;
}

/* The counts of events left out while nobody read are no news. */
static void monitor_reset_rates(int fd)
{
	struct xbr_ev_rate r;
	uint32_t class;

	for (class = 0; class < XBR_EVC_MAX; class++) {
		if (bpf_map_lookup_elem(fd, &class, &r))
			continue;
		r.suppressed = 0;
		bpf_map_update_elem(fd, &class, &r, BPF_ANY);
	}
}

int xbr_monitor_add(struct xbr_monitor *m, struct xbr_bridge *br)
{
	int ring_fd, rate_fd, err;
	struct monitor_ring *r;

	ring_fd = pin_get(br->dir, XBR_MAP_EVENTS);
	rate_fd = pin_get(br->dir, XBR_MAP_EV_RATE);
	if (ring_fd < 0 || rate_fd < 0) {
		if (ring_fd >= 0)
			close(ring_fd);
		if (rate_fd >= 0)
			close(rate_fd);
		return xbr_err(-ENOENT, "bridge %s has no events ring (made by an older xbr): "
			       "`xbr bridge reload %s` adds it", br->name, br->name);
	}
	r = calloc(1, sizeof(*r));
	if (!r) {
		err = xbr_err(-ENOMEM, "out of memory");
		goto fail;
	}
	r->m = m;
	r->ring_fd = ring_fd;
	snprintf(r->bridge, sizeof(r->bridge), "%s", br->name);
	/* Before the lock: whoever sees it held may count on being heard. */
	r->since_ns = mono_ns();
	r->lock_fd = monitor_lock(br);
	if (r->lock_fd < 0) {
		err = r->lock_fd;
		goto fail;
	}
	monitor_reset_rates(rate_fd);
	if (!m->rb) {
		m->rb = ring_buffer__new(ring_fd, ring_event, r, NULL);
		err = m->rb ? 0 : -errno;
	} else {
		err = ring_buffer__add(m->rb, ring_fd, ring_event, r);
	}
	if (err) {
		err = xbr_err(err, "bridge %s: cannot read its events: %s", br->name,
			      strerror(-err));
		close(r->lock_fd);
		goto fail;
	}
	close(rate_fd);
	r->next = m->rings;
	m->rings = r;
	return 0;
fail:
	free(r);
	close(ring_fd);
	close(rate_fd);
	return err;
}

int xbr_monitor_poll(struct xbr_monitor *m, int timeout_ms)
{
	int n;

	if (!m->rb)
		return xbr_err(-EINVAL, "no bridge to monitor");
	n = ring_buffer__poll(m->rb, timeout_ms);
	if (n == -EINTR)
		return 0;
	if (n < 0)
		return xbr_err(n, "reading events: %s", strerror(-n));
	return n;
}

void xbr_monitor_free(struct xbr_monitor *m)
{
	struct monitor_ring *r, *next;

	if (!m)
		return;
	ring_buffer__free(m->rb);
	for (r = m->rings; r; r = next) {
		next = r->next;
		close(r->lock_fd);
		close(r->ring_fd);
		free(r);
	}
	free(m);
}
