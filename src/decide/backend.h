#ifndef BOPT_BACKEND_H
#define BOPT_BACKEND_H

/*
 * What bopt knows about each backend without measuring it: the reference's
 * constants (CostCalculator baselines and scaling factors, the strengths and
 * weaknesses of analyze_strengths/analyze_weaknesses, the prior of
 * BackendPerformance::new) and the built-in reference profiles compiled in
 * from profiles.def. Strings returned here are static; nothing allocates.
 */

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "base/types.h"

// The most strengths or weaknesses any backend has.
#define BACKEND_NOTES_MAX 4

// CostCalculator::new baseline_costs (1.0 for backends it does not list).
double backend_baseline_cost(enum bopt_backend b);
// CostCalculator::calculate_scaling_cost scaling_factor.
double backend_scaling_factor(enum bopt_backend b);

// Fill notes with the reference's strings for the backend and pattern;
// return how many (at most BACKEND_NOTES_MAX).
size_t backend_strengths(enum bopt_backend b, const struct bopt_pattern *p,
	const char *notes[BACKEND_NOTES_MAX]);
size_t backend_weaknesses(enum bopt_backend b, const struct bopt_pattern *p,
	const char *notes[BACKEND_NOTES_MAX]);

// Removes from the weaknesses of b those a durable configuration (a
// metrics_label_durable label) does not have; returns how many are left.
size_t backend_drop_volatile(enum bopt_backend b, const char *notes[BACKEND_NOTES_MAX],
	size_t n);

// The reference's BackendPerformance::new(b) stamped at now: p50 100 ms,
// p95 200 ms, p99 500 ms, 1000 events/s, reliability 0.99, the default
// ResourceUsage and the static values, sample_count 0.
void backend_prior(enum bopt_backend b, int64_t now, struct bopt_performance *p);

// The built-in profile of b (profiles.def) stamped at now, sample_count 0:
// bopt's cited figures, or with reference the first round's (--scoring
// reference).
void backend_profile(enum bopt_backend b, bool reference, int64_t now,
	struct bopt_performance *p);
// The sources and conditions of b's cited profile, one line.
const char *backend_profile_source(enum bopt_backend b);
// Whether the cited profile stands in with the closest published figure.
bool backend_profile_proxy(enum bopt_backend b);

#endif
