// SPDX-License-Identifier: GPL-2.0
/*
 * xbrd: the event agent. It follows the host's netdevs for every xbr
 * bridge of the network namespace it runs in (reconcile.c says what it
 * does) and writes through libxbr, under the control plane's locks. It is
 * an agent, not the datapath: killing it stops event handling, never
 * forwarding. Foreground, logs to stderr, SIGTERM ends it cleanly.
 */
#include <errno.h>
#include <getopt.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/signalfd.h>
#include "libxbr.h"
#include "xbrd.h"

/* A look at everything even without events: a safety net for a change
 * nothing announces. */
#define XBRD_PERIOD_MS	5000

void xbrd_log(const char *fmt, ...)
{
	va_list ap;

	fputs("xbrd: ", stderr);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
}

static void usage(FILE *f)
{
	fputs("Usage: xbrd [--pin-root DIR] [--once]\n"
	      "\n"
	      "The event agent of xbr: for every bridge of this network namespace it\n"
	      "follows the host port's MAC, forgets the stations of a port whose link\n"
	      "goes down and sends it nothing until it is up, forgets those of a port\n"
	      "whose netdev vanished, rejoins a port whose netdev comes back under its\n"
	      "name with the settings it had, and adds netdevs that match a rule\n"
	      "(xbr port auto BRIDGE PATTERN). Runs in the foreground, logs to stderr,\n"
	      "ends on SIGTERM; forwarding does not depend on it.\n"
	      "\n"
	      "  --pin-root DIR  where the bridges are pinned (else $XBR_PIN_ROOT, else\n"
	      "                  /sys/fs/bpf)\n"
	      "  --once          look once, then exit\n", f);
}

int main(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "pin-root", required_argument, NULL, 'p' },
		{ "once", no_argument, NULL, '1' },
		{ "help", no_argument, NULL, 'h' },
		{ 0 },
	};
	struct pollfd pfd[2];
	bool once = false;
	sigset_t sigs;
	int c, links, sfd;

	while ((c = getopt_long(argc, argv, "h", opts, NULL)) != -1) {
		switch (c) {
		case 'p':
			xbr_set_pin_root(optarg);
			break;
		case '1':
			once = true;
			break;
		case 'h':
			usage(stdout);
			return 0;
		default:
			usage(stderr);
			return 2;
		}
	}
	if (optind < argc) {
		fprintf(stderr, "xbrd: unexpected argument \"%s\"\n", argv[optind]);
		return 2;
	}
	setvbuf(stderr, NULL, _IOLBF, 0);
	xbr_libbpf_quiet();
	if (once) {
		reconcile();
		return 0;
	}

	sigemptyset(&sigs);
	sigaddset(&sigs, SIGTERM);
	sigaddset(&sigs, SIGINT);
	sigaddset(&sigs, SIGHUP);
	sigprocmask(SIG_BLOCK, &sigs, NULL);
	sfd = signalfd(-1, &sigs, SFD_CLOEXEC);
	links = links_open();
	if (sfd < 0 || links < 0) {
		xbrd_log("cannot listen for %s: %s", sfd < 0 ? "signals" : "link events",
			 strerror(sfd < 0 ? errno : -links));
		return 1;
	}
	xbrd_log("watching the bridges under %s/xbr", xbr_pin_root());
	/* Subscribed first: nothing between the look and the first event
	 * goes unseen. */
	reconcile();
	pfd[0] = (struct pollfd){ .fd = sfd, .events = POLLIN };
	pfd[1] = (struct pollfd){ .fd = links, .events = POLLIN };
	for (;;) {
		int n = poll(pfd, 2, XBRD_PERIOD_MS);

		if (n < 0 && errno != EINTR) {
			xbrd_log("poll: %s", strerror(errno));
			return 1;
		}
		if (n > 0 && (pfd[0].revents & POLLIN))
			break;
		if (n > 0 && (pfd[1].revents & POLLIN) && !links_drain(links))
			continue;
		reconcile();
	}
	xbrd_log("exiting");
	close(links);
	close(sfd);
	return 0;
}
