// SPDX-License-Identifier: GPL-2.0
/*
 * xbr-sink: count generated frames arriving on a device, standalone.
 * xbr-trafficgen attaches its own sinks; this one is for watching a single
 * path by hand (another generator, a VM sending) and prints the received
 * rate once per interval.
 */
#include <errno.h>
#include <getopt.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include "sinks.h"

static volatile sig_atomic_t stopping;

static void on_signal(int sig)
{
	(void)sig;
	stopping = 1;
}

static double now_s(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
}

static void usage(FILE *f)
{
	fprintf(f,
"Usage: xbr-sink [-i SECS] [-d SECS] DEV\n"
"Counts and drops xbr-trafficgen frames arriving on DEV (native XDP; other\n"
"frames pass) and prints the received rate every interval (-i, 1 s) until\n"
"interrupted or for -d seconds.\n");
}

int main(int argc, char **argv)
{
	double interval = 1, duration = 0, start, t0, t;
	struct bench_count c0, c;
	struct sink s;
	int opt, err;

	while ((opt = getopt(argc, argv, "i:d:h")) != -1) {
		switch (opt) {
		case 'i': interval = atof(optarg); break;
		case 'd': duration = atof(optarg); break;
		case 'h': usage(stdout); return 0;
		default: usage(stderr); return 2;
		}
	}
	if (optind != argc - 1 || interval <= 0) {
		usage(stderr);
		return 2;
	}
	err = sink_attach(&s, -1, argv[optind]);
	if (err) {
		fprintf(stderr, "xbr-sink: %s: %s\n", argv[optind],
			strerror(-err));
		return 1;
	}
	signal(SIGINT, on_signal);
	signal(SIGTERM, on_signal);

	start = t0 = now_s();
	sink_read(&s, &c0);
	while (!stopping && (duration <= 0 || t0 - start < duration)) {
		usleep(interval * 1e6);
		t = now_s();
		if (sink_read(&s, &c))
			break;
		printf("%s: %.3f Mpps %.3f Gbit/s (%llu frames)\n", s.dev,
		       (c.frames - c0.frames) / (t - t0) / 1e6,
		       (c.bytes - c0.bytes) * 8 / (t - t0) / 1e9,
		       (unsigned long long)c.frames);
		fflush(stdout);
		c0 = c;
		t0 = t;
	}
	sink_detach(&s);
	return 0;
}
