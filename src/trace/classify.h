#ifndef BOPT_CLASSIFY_H
#define BOPT_CLASSIFY_H

/*
 * Classification: the final trace summary becomes a WorkloadPattern (the
 * reference's pattern type, distribution, consistency and batch size) and
 * the features that decided it. Nothing here allocates.
 */

#include <stdbool.h>

#include "base/types.h"
#include "trace/summary.h"

// What the classifier measured, reported in the trace block.
struct bopt_features {
	double span_seconds;
	double event_rate;   // events/s
	double gap_mean_ms, gap_std_ms, gap_cv;
	bool have_idc;
	double idc;          // index of dispersion of counts
	double idc_window_s; // the count window it was measured on
	bool periodic;
	double period_s, period_acf;
	bool batches;
	double batch_mean_size, batch_interval_s;
	const char *reason;  // the rule that decided, one line
};

struct classify_options {
	double window_seconds; // the rate denominator for n < 2 or a zero span
};

// Whether every event came earlier than the one before it (at least two
// events): a trace written newest first, whose arrivals bopt cannot
// measure (the reorder buffer repairs local disorder, not a reversal).
bool summary_descending(const struct bopt_summary *s);

// Fills the pattern (its distribution owns nothing) and the features.
void summary_classify(const struct bopt_summary *s, const struct classify_options *o,
	struct bopt_pattern *p, struct bopt_features *f);

#endif
