// SPDX-License-Identifier: GPL-2.0
/*
 * Prometheus' text exposition format: one line per sample, "name{l="v",...}
 * value". Label values escape backslash, double quote and line feed; HELP
 * texts escape backslash and line feed. No timestamps: node_exporter's
 * textfile collector refuses them, and a scrape is the sample's time.
 */
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include "prom.h"

static void prom_escaped(const char *s, bool quote)
{
	for (; *s; s++) {
		if (*s == '\\')
			fputs("\\\\", stdout);
		else if (*s == '\n')
			fputs("\\n", stdout);
		else if (quote && *s == '"')
			fputs("\\\"", stdout);
		else
			putchar(*s);
	}
}

void prom_family(const char *name, const char *type, const char *help)
{
	printf("# HELP %s ", name);
	prom_escaped(help, false);
	printf("\n# TYPE %s %s\n", name, type);
}

static void prom_series(const char *name, const struct prom_label *labels, size_t nr_labels)
{
	size_t i;

	fputs(name, stdout);
	if (!nr_labels)
		return;
	putchar('{');
	for (i = 0; i < nr_labels; i++) {
		printf("%s%s=\"", i ? "," : "", labels[i].name);
		prom_escaped(labels[i].value, true);
		putchar('"');
	}
	putchar('}');
}

void prom_sample(const char *name, const struct prom_label *labels, size_t nr_labels,
		 uint64_t val)
{
	prom_series(name, labels, nr_labels);
	printf(" %llu\n", (unsigned long long)val);
}

void prom_sample_double(const char *name, const struct prom_label *labels, size_t nr_labels,
			double val)
{
	char buf[32];
	int prec;

	/* The shortest form that reads back as the same double (Go's
	 * ParseFloat, Python's float): 30 and 0.1, not 0.10000000000000001. */
	for (prec = 15; prec < 17; prec++) {
		snprintf(buf, sizeof(buf), "%.*g", prec, val);
		if (strtod(buf, NULL) == val)
			break;
	}
	snprintf(buf, sizeof(buf), "%.*g", prec, val);
	prom_series(name, labels, nr_labels);
	printf(" %s\n", buf);
}
