#ifndef BOPT_RECOMMEND_H
#define BOPT_RECOMMEND_H

/*
 * recommend_backend: for every candidate (a backend in one configuration)
 * with a performance estimate, its predicted performance, cost, score,
 * confidence, strengths and weaknesses, ranked. Two scorings: the
 * reference's, exact (SCORING_REFERENCE), and bopt's (SCORING_BOPT):
 * requirements and eligibility, graded components, provenance and
 * confidence by evidence. Recommendations are plain data (their strings are
 * static or their own buffers, their candidate belongs to the metrics set);
 * the caller owns the array.
 */

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "base/types.h"
#include "decide/backend.h"
#include "decide/capacity.h"
#include "decide/cost.h"
#include "decide/eligible.h"
#include "decide/metrics.h"
#include "decide/model.h"
#include "decide/queue.h"
#include "decide/score.h"

// What each bopt score component was measured against, for --explain.
#define RECOMMEND_AGAINST_LEN 128

struct recommendation {
	enum bopt_backend backend;
	const struct metrics_candidate *candidate;
	double score;
	struct score_parts parts;
	char against[4][RECOMMEND_AGAINST_LEN]; // bopt: latency, throughput, reliability, cost
	struct bopt_performance predicted;
	// Reference: "model", "similar" or "measured". bopt: the same as source.
	const char *prediction_source;
	// Where the performance came from: "reference" (a built-in profile),
	// "measured", "model" or "similar".
	const char *source;
	struct eligibility eligibility; // bopt; eligible, no notes, in reference mode
	// bopt, with a trace and a plan: the latency its arrivals meet at the
	// plan's sizing (queue_predict); its p99 is the one eligibility and the
	// latency component use.
	bool queued;
	struct queue_prediction queueing;
	struct bopt_cost cost;
	double confidence;
	const char *strengths[BACKEND_NOTES_MAX];
	size_t n_strengths;
	const char *weaknesses[BACKEND_NOTES_MAX];
	size_t n_weaknesses;
};

struct recommend_input {
	const struct bopt_pattern *pattern;
	const struct metrics_set *metrics; // measured (or built-in) performance
	const struct bopt_model *model;    // --model, or NULL
	const bool *only;                  // BOPT_BACKEND_COUNT flags, or NULL for all
	struct cost_weights weights;
	int64_t now; // ns since the epoch, for confidence
	enum bopt_scoring scoring;
	const struct requirements *requirements; // SCORING_BOPT
	// SCORING_BOPT: each backend's capacity plan, indexed by backend, or
	// NULL. With plans, the throughput component is the headroom of the
	// sized deployment and the cost component compares monthly dollars.
	const struct capacity_plan *plans;
	// SCORING_BOPT with plans: the trace's arrivals, or NULL (a pattern).
	// With them, each backend's p99 is predicted at its plan's sizing.
	const struct queue_arrivals *arrivals;
};

// The p99 (ms) eligibility and the latency component use: the predicted
// one when r was queued, else the unloaded one.
double recommend_p99(const struct recommendation *r);

// The performance predicted for candidate c (of in->metrics): from
// in->model when there is one (model_predict), else the measured estimate,
// source "measured".
void recommend_predict(const struct recommend_input *in, const struct metrics_candidate *c,
	struct bopt_performance *out, const char **source);

// Evaluates one candidate.
void recommend_evaluate(const struct recommend_input *in, const struct metrics_candidate *c,
	struct recommendation *r);

// The cost component with plans: min(1, (cheapest + CAPACITY_COST_FLOOR_USD)
// / (total + CAPACITY_COST_FLOOR_USD)), in dollars a month, cheapest among
// the eligible backends (among all when none is).
double recommend_cost_relative(double total, double cheapest);

// Evaluates every candidate of a selected backend and sorts best first
// (eligible first, then score descending, ties by backend name, then
// label); out holds metrics_count(in->metrics) entries. Returns how many.
size_t recommend_rank(const struct recommend_input *in, struct recommendation *out);

// qsort order: eligible first, score descending (NaN last), then backend
// name, then label.
int recommend_compare(const void *a, const void *b);

// The candidate's name ("RabbitMQ (mirrored)"), at most METRICS_NAME_MAX
// bytes with its NUL.
void recommend_name(const struct recommendation *r, char *buf, size_t len);

// One sentence for the top eligible choice naming its score and the
// eligible runner-up, e.g. "Kafka scores 0.9123 for a Steady workload,
// ahead of Pulsar (0.8765)".
void recommend_reason(const struct recommendation *r, size_t n,
	const struct bopt_pattern *p, char *buf, size_t len);

// Where a measured OMB candidate's latency came from when not from its own
// latency runs ("the built-in profile (no latency run of this backend)" or
// "its backend's other configurations' latency runs"), else NULL.
const char *recommend_latency_borrowed(const struct recommendation *r);

// How many of the ranked rows are eligible (they come first).
size_t recommend_eligible(const struct recommendation *r, size_t n);

// bopt's strengths of a backend, from the capability matrix: durability,
// delivery and ordering, each a line in its own buffer.
#define RECOMMEND_FACTS 3
void recommend_facts(enum bopt_backend b, char facts[RECOMMEND_FACTS][ELIGIBLE_NOTE_LEN]);

#endif
