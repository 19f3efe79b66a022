// SPDX-License-Identifier: GPL-2.0
/*
 * xbr-tapecho: a VM on each of the given taps that answers ICMP echo
 * requests, reading and writing its tap as QEMU does (tapvm.h). Pinging it
 * from the other side of a switch measures the round trip through the
 * switch, its tap and a VM's wakeup, which is the latency a guest sees.
 */
#include <errno.h>
#include <getopt.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include "netns.h"
#include "tapvm.h"

static volatile sig_atomic_t stopping;

static void on_signal(int sig)
{
	(void)sig;
	stopping = 1;
}

static void usage(FILE *f)
{
	fprintf(f,
"Usage: xbr-tapecho [-c CPU] NS,TAP ...\n"
"Attaches to each existing TAP in netns NS as its VM and answers ICMP echo\n"
"requests until SIGINT or SIGTERM; prints the replies sent at exit.\n");
}

int main(int argc, char **argv)
{
	struct tapvm_reader r;
	int opt, cpu = -1, i, ns, fd;

	while ((opt = getopt(argc, argv, "c:h")) != -1) {
		switch (opt) {
		case 'c': cpu = atoi(optarg); break;
		case 'h': usage(stdout); return 0;
		default: usage(stderr); return 2;
		}
	}
	if (optind == argc) {
		usage(stderr);
		return 2;
	}
	if (tapvm_reader_init(&r, cpu, 1)) {
		perror("xbr-tapecho: epoll");
		return 1;
	}
	for (i = optind; i < argc; i++) {
		char *tap = strchr(argv[i], ',');

		if (!tap) {
			usage(stderr);
			return 2;
		}
		*tap++ = '\0';
		ns = netns_open(argv[i]);
		fd = ns < 0 ? ns : netns_enter(ns);
		if (!fd)
			fd = tapvm_open(tap);
		if (ns >= 0)
			close(ns);
		if (fd >= 0 && tapvm_reader_add(&r, fd) < 0) {
			close(fd);
			fd = -ENOSPC;
		}
		if (fd < 0) {
			fprintf(stderr, "xbr-tapecho: %s in %s: %s\n", tap, argv[i],
				strerror(-fd));
			tapvm_reader_stop(&r);
			return 1;
		}
	}
	signal(SIGINT, on_signal);
	signal(SIGTERM, on_signal);
	if (tapvm_reader_start(&r)) {
		perror("xbr-tapecho: reader");
		tapvm_reader_stop(&r);
		return 1;
	}
	while (!stopping)
		pause();
	tapvm_reader_stop(&r);
	printf("%llu\n", (unsigned long long)r.echoed);
	return 0;
}
