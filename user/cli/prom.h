/* SPDX-License-Identifier: GPL-2.0 */
/*
 * A tiny writer of Prometheus' text exposition format (version 0.0.4) to
 * stdout, for `xbr stats --prometheus`. A family's samples must follow its
 * HELP and TYPE lines as one group, so a caller prints family by family.
 */
#ifndef XBR_CLI_PROM_H
#define XBR_CLI_PROM_H

#include <stddef.h>
#include <stdint.h>

struct prom_label {
	const char *name;
	const char *value;
};

/* "# HELP @name @help" and "# TYPE @name @type" (counter, gauge). */
void prom_family(const char *name, const char *type, const char *help);
/* One sample of the family just opened: @name{labels} @val. */
void prom_sample(const char *name, const struct prom_label *labels, size_t nr_labels,
		 uint64_t val);
void prom_sample_double(const char *name, const struct prom_label *labels, size_t nr_labels,
			double val);

#endif
