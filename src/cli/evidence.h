#ifndef BOPT_EVIDENCE_H
#define BOPT_EVIDENCE_H

/*
 * What OpenMessaging Benchmark results gave which figure: each run with its
 * classification, and for each candidate where its latency and capacity
 * came from, as table rows or JSON. Nothing here allocates beyond the call.
 */

#include <stdint.h>
#include <stdio.h>

#include "base/jsonw.h"
#include "decide/metrics.h"

// "omb run" rows for every run, then the latency and capacity rows of every
// OMB candidate (capacity scaled to events of event_size bytes).
void evidence_describe(FILE *out, const struct metrics_set *m, uint64_t event_size);

// The "omb" object of a recommendation: the candidate's runs, and which of
// them gave its latency and its capacity (c belongs to m).
void evidence_write_json(struct jw *w, const struct metrics_set *m,
	const struct metrics_candidate *c);

#endif
