#ifndef BOPT_SCORE_H
#define BOPT_SCORE_H

/*
 * The reference's calculate_backend_score and calculate_confidence: score
 * components of one backend's performance and cost for a pattern, their
 * weighted mean, and the confidence in a performance estimate at a given
 * time. Pure functions on plain data; nothing allocates.
 */

#include <stdint.h>

#include "base/types.h"
#include "decide/cost.h"

// Each in 0..1 for valid (non-negative) inputs.
struct score_parts {
	double latency;
	double throughput;
	double reliability;
	double cost; // 1 / (total cost + 1)
};

double score_latency(const struct bopt_performance *perf, const struct bopt_pattern *p);
// A zero event rate counts as a met requirement (the reference divides by it).
double score_throughput(double throughput, const struct bopt_pattern *p);
double score_cost(double total_cost);

void score_parts(const struct bopt_performance *perf, const struct bopt_cost *cost,
	const struct bopt_pattern *p, struct score_parts *out);
// (sum of weight * component) / (sum of weights), the resource weight on
// the cost component; the weights must not sum to zero.
double score_combine(const struct score_parts *s, const struct cost_weights *w);

// The whole hours from perf->last_updated to now, truncated; 0 when
// last_updated lies in the future (a deviation: the reference's recency
// then exceeds 1 and divides by zero at -24 h).
int64_t score_age_hours(int64_t last_updated, int64_t now);
// (min(samples/1000, 1) + max(0.1, 1/(age_hours/24 + 1))) / 2.
double score_confidence(const struct bopt_performance *perf, int64_t now);

#endif
