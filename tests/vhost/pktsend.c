// SPDX-License-Identifier: GPL-2.0
/*
 * pktsend IFNAME COUNT [SIZE [DST-MAC [FLOWS]]]: send COUNT UDP frames of
 * SIZE bytes (default 64) out of IFNAME with AF_PACKET, retrying on a full
 * queue so that every frame counted as sent really left; FLOWS source
 * ports in turn (default 1), so a multi-queue device spreads them. Prints
 * the count.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <linux/if_ether.h>
#include <linux/if_packet.h>
#include <net/if.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

int main(int argc, char **argv)
{
	unsigned char frame[1514] = { 0 };
	unsigned int mac[6] = { 0x02, 0, 0, 0, 0, 0x01 };
	struct sockaddr_ll sll = { .sll_family = AF_PACKET };
	unsigned long count, sent = 0;
	unsigned int size = 64, flows = 1;
	int fd;

	if (argc < 3) {
		fprintf(stderr, "usage: pktsend IFNAME COUNT [SIZE [DST-MAC [FLOWS]]]\n");
		return 2;
	}
	count = strtoul(argv[2], NULL, 0);
	if (argc > 3)
		size = strtoul(argv[3], NULL, 0);
	if (size < 60 || size > sizeof(frame))
		size = 64;
	if (argc > 4 && sscanf(argv[4], "%x:%x:%x:%x:%x:%x", &mac[0], &mac[1],
			       &mac[2], &mac[3], &mac[4], &mac[5]) != 6) {
		fprintf(stderr, "pktsend: bad MAC %s\n", argv[4]);
		return 2;
	}
	if (argc > 5)
		flows = strtoul(argv[5], NULL, 0);
	if (!flows || flows > 65535)
		flows = 1;
	for (int i = 0; i < 6; i++)
		frame[i] = mac[i];
	memcpy(frame + 6, "\x02\x00\x00\x00\x00\x02", 6);
	frame[12] = 0x08;	/* IPv4, UDP to 198.18.0.2: never answered */
	memcpy(frame + 14, "\x45\x00", 2);
	frame[16] = (size - 14) >> 8;
	frame[17] = (size - 14) & 0xff;
	frame[22] = 64;
	frame[23] = 17;
	memcpy(frame + 26, "\xc6\x12\x00\x01\xc6\x12\x00\x02", 8);
	frame[36] = 0x04;
	frame[38] = (size - 34) >> 8;
	frame[39] = (size - 34) & 0xff;

	fd = socket(AF_PACKET, SOCK_RAW, 0);
	sll.sll_ifindex = if_nametoindex(argv[1]);
	sll.sll_halen = 6;
	if (fd < 0 || !sll.sll_ifindex) {
		perror("pktsend");
		return 1;
	}
	while (sent < count) {
		unsigned int port = 1024 + sent % flows;

		frame[34] = port >> 8;
		frame[35] = port & 0xff;
		if (sendto(fd, frame, size, 0, (struct sockaddr *)&sll,
			   sizeof(sll)) == (ssize_t)size) {
			sent++;
			continue;
		}
		if (errno != ENOBUFS && errno != EAGAIN) {
			perror("pktsend: sendto");
			break;
		}
		nanosleep(&(struct timespec){ .tv_nsec = 100000 }, NULL);
	}
	printf("%lu\n", sent);
	return sent == count ? 0 : 1;
}
