#ifndef BOPT_SCORE_H
#define BOPT_SCORE_H

/*
 * The reference's calculate_backend_score and calculate_confidence: score
 * components of one backend's performance and cost for a pattern, their
 * weighted mean, and the confidence in a performance estimate at a given
 * time. Pure functions on plain data; nothing allocates.
 */

#include <stdbool.h>
#include <stddef.h>
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

/*
 * bopt's own scoring (the default; --scoring reference is the above). Each
 * component is graded and monotone, in 0..1, one function per part so that
 * capacity and prices can feed them.
 */
enum bopt_scoring {
	SCORING_BOPT,
	SCORING_REFERENCE,
};

// target / (target + p99): 1 at no latency, 0.5 at the target, falling
// towards 0; strictly decreasing in p99.
double score_latency_target(double p99_ms, double target_ms);
// Headroom at the peak: utilisation u = peak / capacity; 1 at u <= 0.5,
// 2 (1 - u) above, 0 from u = 1. A zero peak needs nothing (1).
double score_headroom(double peak, double capacity);
// The capability matrix's reliability times the measured success rate
// (1 for a built-in profile).
double score_reliability(double capability, double measured);

// Confidence in a row, 0..1:
// a built-in reference profile: SCORE_CONF_REFERENCE, or
// SCORE_CONF_REFERENCE_PROXY when it stands in with the closest figure;
double score_confidence_reference(bool proxy);
// measured: n / (n + SCORE_CONF_EVIDENCE_HALF) * 2^(-age_hours /
// SCORE_CONF_HALF_LIFE_HOURS), n the distinct evidence (snapshots, windows);
double score_confidence_measured(uint64_t evidence, int64_t age_hours);
// a model: max(0, cross-validated R2) * n / (n + SCORE_CONF_EVIDENCE_HALF),
// n its training points (for "similar": r2 taken as SCORE_CONF_SIMILAR_R2).
double score_confidence_model(double r2, size_t points);

#define SCORE_CONF_REFERENCE 0.2
#define SCORE_CONF_REFERENCE_PROXY 0.1
#define SCORE_CONF_EVIDENCE_HALF 30.0
#define SCORE_CONF_HALF_LIFE_HOURS 720.0
#define SCORE_CONF_SIMILAR_R2 0.5

#endif
