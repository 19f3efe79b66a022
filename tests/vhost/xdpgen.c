// SPDX-License-Identifier: GPL-2.0
/*
 * xdpgen OBJ IFNAME DST-MAC SECONDS: send 64-byte UDP frames out of IFNAME
 * for SECONDS as fast as the kernel goes, with BPF_PROG_TEST_RUN's live
 * frames mode (the frame "arrives" on IFNAME and OBJ's xdp_tx sends it
 * back out). Prints the number of frames sent.
 */
#include <net/if.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <bpf/bpf.h>
#include <bpf/libbpf.h>

int main(int argc, char **argv)
{
	unsigned char frame[64] = { 0 };
	unsigned int mac[6];
	struct bpf_object *obj;
	struct bpf_program *prog;
	struct xdp_md ctx = { 0 };
	struct timespec t0, t;
	unsigned long long sent = 0;
	double secs;
	int fd;

	if (argc != 5 || sscanf(argv[3], "%x:%x:%x:%x:%x:%x", &mac[0], &mac[1],
				&mac[2], &mac[3], &mac[4], &mac[5]) != 6) {
		fprintf(stderr, "usage: xdpgen OBJ IFNAME DST-MAC SECONDS\n");
		return 2;
	}
	secs = atof(argv[4]);
	for (int i = 0; i < 6; i++)
		frame[i] = mac[i];
	memcpy(frame + 6, "\x02\x00\x00\x00\x00\x09\x08\x00\x45\x00\x00\x32", 12);
	frame[22] = 64;
	frame[23] = 17;
	memcpy(frame + 26, "\xc6\x12\x00\x02\xc6\x12\x00\x01\x00\x09\x00\x09\x00\x1e", 14);
	ctx.ingress_ifindex = if_nametoindex(argv[2]);
	ctx.data_end = sizeof(frame) - 4;	/* the kernel checks it */
	obj = bpf_object__open_file(argv[1], NULL);
	if (!ctx.ingress_ifindex || !obj || bpf_object__load(obj)) {
		fprintf(stderr, "xdpgen: cannot set up on %s\n", argv[2]);
		return 1;
	}
	prog = bpf_object__find_program_by_name(obj, "xdp_tx");
	fd = bpf_program__fd(prog);
	clock_gettime(CLOCK_MONOTONIC, &t0);
	do {
		LIBBPF_OPTS(bpf_test_run_opts, o,
			.data_in = frame, .data_size_in = sizeof(frame) - 4,
			.ctx_in = &ctx, .ctx_size_in = sizeof(ctx),
			.repeat = 1 << 14, .batch_size = 64,
			.flags = BPF_F_TEST_XDP_LIVE_FRAMES);

		if (bpf_prog_test_run_opts(fd, &o)) {
			perror("xdpgen: test run");
			return 1;
		}
		sent += o.repeat;
		clock_gettime(CLOCK_MONOTONIC, &t);
	} while (t.tv_sec - t0.tv_sec + (t.tv_nsec - t0.tv_nsec) / 1e9 < secs);
	printf("%llu\n", sent);
	return 0;
}
