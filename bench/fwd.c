// SPDX-License-Identifier: GPL-2.0
/*
 * xbr-benchfwd: attach a bare forwarder (fwd.bpf.c) to devices of the
 * current namespace and leave it there: the ceiling of XDP or tc
 * forwarding that xbr is compared with. Its table is pinned so that
 * xbr-fdbfill can fill it like xbr's FDB; the programs stay attached after
 * exit and go away with the devices (or the namespace).
 */
#include <errno.h>
#include <net/if.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <bpf/bpf.h>
#include <bpf/libbpf.h>
#include <linux/if_link.h>
#include "fwd.skel.h"

/* The largest MTU a veth takes an XDP program without fragment support
 * for: one page, less headroom and skb_shared_info (our pairs have one MTU
 * on both ends; the peer's is the one that counts). */
#define XDP_PAGE_MTU	3506

static int dev_mtu(int ifindex)
{
	struct ifreq ifr = {};
	int fd, mtu = 0;

	if (!if_indextoname(ifindex, ifr.ifr_name))
		return 0;
	fd = socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0);
	if (fd >= 0 && !ioctl(fd, SIOCGIFMTU, &ifr))
		mtu = ifr.ifr_mtu;
	if (fd >= 0)
		close(fd);
	return mtu;
}

static int attach_xdp(struct bench_fwd *skel, int ifindex)
{
	__u32 key = ifindex, val = ifindex;
	struct bpf_program *prog;
	int err;

	err = bpf_map_update_elem(bpf_map__fd(skel->maps.tx_ports), &key, &val,
				  BPF_ANY);
	if (err)
		return -errno;
	/* A veth whose peer's MTU is over a page takes only a program that
	 * handles multi-buffer frames. */
	prog = dev_mtu(ifindex) > XDP_PAGE_MTU ? skel->progs.bench_fwd_xdp_frags :
						  skel->progs.bench_fwd_xdp;
	return bpf_xdp_attach(ifindex, bpf_program__fd(prog), XDP_FLAGS_DRV_MODE,
			      NULL);
}

static int attach_tc(struct bench_fwd *skel, int ifindex)
{
	LIBBPF_OPTS(bpf_tc_hook, hook, .ifindex = ifindex,
		    .attach_point = BPF_TC_INGRESS);
	LIBBPF_OPTS(bpf_tc_opts, opts,
		    .prog_fd = bpf_program__fd(skel->progs.bench_fwd_tc));
	int err;

	err = bpf_tc_hook_create(&hook);
	if (err && err != -EEXIST)
		return err;
	return bpf_tc_attach(&hook, &opts);
}

int main(int argc, char **argv)
{
	struct bench_fwd *skel;
	int i, err, xdp;

	if (argc < 4 || (strcmp(argv[1], "xdp") && strcmp(argv[1], "tc"))) {
		fprintf(stderr,
"Usage: xbr-benchfwd xdp|tc PIN DEV...\n"
"Attaches a bare destination-MAC forwarder (native XDP + devmap, or tc\n"
"ingress + bpf_redirect) to each DEV and pins its table at PIN. A DEV whose\n"
"MTU needs multi-buffer XDP gets the program that handles fragments.\n");
		return 2;
	}
	xdp = !strcmp(argv[1], "xdp");

	skel = bench_fwd__open_and_load();
	if (!skel) {
		perror("xbr-benchfwd: load");
		return 1;
	}
	err = bpf_map__pin(skel->maps.fdb, argv[2]);
	if (err) {
		fprintf(stderr, "xbr-benchfwd: pin %s: %s\n", argv[2],
			strerror(-err));
		goto out;
	}
	for (i = 3; i < argc; i++) {
		int ifindex = if_nametoindex(argv[i]);

		if (!ifindex) {
			err = -errno;
		} else {
			err = xdp ? attach_xdp(skel, ifindex) :
				    attach_tc(skel, ifindex);
		}
		if (err) {
			fprintf(stderr, "xbr-benchfwd: %s on %s: %s\n", argv[1],
				argv[i], strerror(-err));
			goto out;
		}
	}
out:
	bench_fwd__destroy(skel);
	return err ? 1 : 0;
}
