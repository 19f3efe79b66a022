// SPDX-License-Identifier: GPL-2.0
#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include "cpuclock.h"

/* ksoftirqd/CPU, or any ksoftirqd if CPU < 0. */
static int is_ksoftirqd(const char *pid, int cpu)
{
	char path[300], comm[32] = "";
	FILE *f;

	snprintf(path, sizeof(path), "/proc/%s/comm", pid);
	f = fopen(path, "r");
	if (!f)
		return 0;
	if (!fgets(comm, sizeof(comm), f))
		comm[0] = '\0';
	fclose(f);
	if (strncmp(comm, "ksoftirqd/", 10))
		return 0;
	return cpu < 0 || atoi(comm + 10) == cpu;
}

int cpuclock_init(struct cpuclock *c, int cpu)
{
	struct dirent *d;
	DIR *proc;

	c->nr_ksoftirqd = 0;
	proc = opendir("/proc");
	if (!proc)
		return -1;
	while ((d = readdir(proc)) && c->nr_ksoftirqd < CPUCLOCK_MAX_CPUS) {
		if (d->d_name[0] < '0' || d->d_name[0] > '9')
			continue;
		if (is_ksoftirqd(d->d_name, cpu))
			c->ksoftirqd[c->nr_ksoftirqd++] = atoi(d->d_name);
	}
	closedir(proc);
	return 0;
}

/* First field of /proc/PID/schedstat: time on CPU in ns. */
static __u64 task_runtime_ns(pid_t pid)
{
	unsigned long long ns = 0;
	char path[64];
	FILE *f;

	snprintf(path, sizeof(path), "/proc/%d/schedstat", pid);
	f = fopen(path, "r");
	if (!f)
		return 0;
	if (fscanf(f, "%llu", &ns) != 1)
		ns = 0;
	fclose(f);
	return ns;
}

__u64 cpuclock_now(const struct cpuclock *c)
{
	struct timespec ts;
	__u64 ns;
	int i;

	clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
	ns = (__u64)ts.tv_sec * 1000000000ull + ts.tv_nsec;
	for (i = 0; i < c->nr_ksoftirqd; i++)
		ns += task_runtime_ns(c->ksoftirqd[i]);
	return ns;
}
