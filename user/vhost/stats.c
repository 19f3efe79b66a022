// SPDX-License-Identifier: GPL-2.0
#include <inttypes.h>

#include "stats.h"

void vhost_qstats_json(FILE *f, unsigned int queue, const struct vhost_qstats *s)
{
	fprintf(f, "{\"queue\":%u", queue);
#define X(name, doc) fprintf(f, ",\"" #name "\":%" PRIu64, s->name);
	VHOST_QSTATS(X)
#undef X
	fprintf(f, ",\"drops\":%" PRIu64, vhost_qstats_drops(s));
	fprintf(f, ",\"xsk_rx_dropped\":%" PRIu64 ",\"xsk_rx_ring_full\":%" PRIu64
		",\"xsk_fill_empty\":%" PRIu64 ",\"xsk_tx_invalid\":%" PRIu64 "}",
		s->xsk_rx_dropped, s->xsk_rx_ring_full, s->xsk_fill_empty,
		s->xsk_tx_invalid);
}
