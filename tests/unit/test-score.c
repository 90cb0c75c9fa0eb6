#include <criterion/criterion.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "base/timestamp.h"
#include "decide/backend.h"
#include "decide/recommend.h"
#include "decide/score.h"

// Expectations are worked out by hand from the reference formulas (SPEC 3.3).
#define EPS 1e-12
#define HOUR (INT64_C(3600) * BOPT_NS_PER_SEC)

static struct bopt_pattern pattern(enum bopt_pattern_type t, double rate)
{
	struct bopt_pattern p;
	pattern_init_default(&p);
	p.pattern_type = t;
	p.event_rate = rate;
	return p;
}

static struct bopt_performance perf(double p50, double p99)
{
	struct bopt_performance f;
	backend_prior(BOPT_KAFKA, 0, &f);
	f.measured_latency_p50 = p50;
	f.measured_latency_p99 = p99;
	return f;
}

Test(score, latency_realtime_bands_on_p99)
{
	struct bopt_pattern p = pattern(BOPT_REALTIME, 10);
	struct bopt_performance f = perf(1000, 9.99);
	cr_assert_eq(score_latency(&f, &p), 1.0);
	f.measured_latency_p99 = 10;
	cr_assert_eq(score_latency(&f, &p), 0.7);
	f.measured_latency_p99 = 49.9;
	cr_assert_eq(score_latency(&f, &p), 0.7);
	f.measured_latency_p99 = 50;
	cr_assert_eq(score_latency(&f, &p), 0.3);
}

Test(score, latency_otherwise_on_p50)
{
	enum bopt_pattern_type types[] = {BOPT_STEADY, BOPT_BURSTY, BOPT_SEASONAL, BOPT_RANDOM,
		BOPT_BATCH_ORIENTED};
	for (size_t i = 0; i < 5; i++) {
		struct bopt_pattern p = pattern(types[i], 10);
		struct bopt_performance f = perf(199, 0);
		cr_assert_float_eq(score_latency(&f, &p), 0.5, EPS); // 100 / 200
		f.measured_latency_p50 = 99;
		cr_assert_eq(score_latency(&f, &p), 1.0);
		f.measured_latency_p50 = 0;
		cr_assert_eq(score_latency(&f, &p), 1.0); // 100, capped
		f.measured_latency_p50 = 399;
		cr_assert_float_eq(score_latency(&f, &p), 0.25, EPS);
	}
}

Test(score, throughput_batch_and_other)
{
	struct bopt_pattern p = pattern(BOPT_BATCH_ORIENTED, 1000);
	cr_assert_float_eq(score_throughput(500, &p), 0.25, EPS);  // 0.5 / 2
	cr_assert_float_eq(score_throughput(1500, &p), 0.75, EPS); // 1.5 / 2
	cr_assert_eq(score_throughput(3000, &p), 1.0);            // 3 capped at 2, / 2
	p.pattern_type = BOPT_STEADY;
	cr_assert_float_eq(score_throughput(600, &p), 0.5, EPS); // 600 / 1200
	// Rates of one event a second and below follow the same formula.
	p.event_rate = 1;
	cr_assert_float_eq(score_throughput(0.6, &p), 0.5, EPS); // 0.6 / 1.2
	p.event_rate = 0.5;
	cr_assert_float_eq(score_throughput(0.3, &p), 0.5, EPS); // 0.3 / 0.6
	p.event_rate = 0;
	cr_assert_eq(score_throughput(0, &p), 1.0); // nothing to carry
	p.event_rate = 1000;
	cr_assert_eq(score_throughput(1200, &p), 1.0);
	cr_assert_eq(score_throughput(5000, &p), 1.0);
	cr_assert_eq(score_throughput(0, &p), 0.0);
}

Test(score, zero_rate_is_a_met_requirement)
{
	struct bopt_pattern p = pattern(BOPT_BATCH_ORIENTED, 0);
	cr_assert_eq(score_throughput(0, &p), 1.0);
	p.pattern_type = BOPT_STEADY;
	cr_assert_eq(score_throughput(0, &p), 1.0);
	cr_assert_eq(score_throughput(10, &p), 1.0);
}

Test(score, cost_and_combination)
{
	cr_assert_eq(score_cost(0), 1.0);
	cr_assert_eq(score_cost(1), 0.5);
	cr_assert_eq(score_cost(3), 0.25);
	struct score_parts s = {.latency = 1, .throughput = 0.5, .reliability = 0.99, .cost = 0.5};
	struct cost_weights w;
	cost_weights_default(&w);
	// (0.3 + 0.15 + 0.297 + 0.05) / 1.0
	cr_assert_float_eq(score_combine(&s, &w), 0.797, EPS);
	w = (struct cost_weights){.latency = 1, .throughput = 1};
	cr_assert_float_eq(score_combine(&s, &w), 0.75, EPS);
	w = (struct cost_weights){.resource = 2};
	cr_assert_float_eq(score_combine(&s, &w), 0.5, EPS);
}

Test(score, parts_use_reliability_as_is)
{
	struct bopt_pattern p = pattern(BOPT_STEADY, 1000);
	struct bopt_performance f = perf(49, 0);
	f.measured_throughput = 900;
	f.reliability_score = 0.97;
	struct bopt_cost c = {.total_cost = 0.25};
	struct score_parts s;
	score_parts(&f, &c, &p, &s);
	cr_assert_eq(s.latency, 1.0);                  // 100 / 50 capped
	cr_assert_float_eq(s.throughput, 0.75, EPS);   // 900 / 1200
	cr_assert_eq(s.reliability, 0.97);
	cr_assert_float_eq(s.cost, 0.8, EPS);          // 1 / 1.25
}

Test(score, confidence_samples_and_recency)
{
	struct bopt_performance f = perf(1, 1);
	int64_t now = INT64_C(1784451255) * BOPT_NS_PER_SEC;
	f.sample_count = 500;
	f.last_updated = now - 24 * HOUR;
	cr_assert_float_eq(score_confidence(&f, now), 0.5, EPS); // (0.5 + 1/2) / 2
	f.sample_count = 2000;
	f.last_updated = now;
	cr_assert_eq(score_confidence(&f, now), 1.0);
	// 23 h 59 min truncate to 23 h: (0 + 1/(23/24 + 1)) / 2 = 12/47
	f.sample_count = 0;
	f.last_updated = now - 24 * HOUR + 60 * BOPT_NS_PER_SEC;
	cr_assert_float_eq(score_confidence(&f, now), 12.0 / 47.0, EPS);
	// 1000 days: recency floor 0.1
	f.last_updated = now - 24000 * HOUR;
	cr_assert_float_eq(score_confidence(&f, now), 0.05, EPS);
	// In the future: age 0
	f.last_updated = now + 48 * HOUR;
	cr_assert_float_eq(score_confidence(&f, now), 0.5, EPS);
	cr_assert_eq(score_age_hours(now - 90 * 60 * BOPT_NS_PER_SEC, now), 1);
	cr_assert_eq(score_age_hours(now + HOUR, now), 0);
	cr_assert_eq(score_age_hours(INT64_MIN, INT64_MAX), (int64_t)(UINT64_MAX / (uint64_t)HOUR));
}

static void expect_notes(const char *const *got, size_t n, const char *const *want)
{
	size_t k = 0;
	while (want[k] != NULL)
		k++;
	cr_assert_eq(n, k, "got %zu notes, want %zu", n, k);
	for (size_t i = 0; i < k; i++)
		cr_assert_str_eq(got[i], want[i]);
}

#define EXPECT_STRENGTHS(b, p, ...) do { \
	const char *got_[BACKEND_NOTES_MAX]; \
	size_t n_ = backend_strengths(b, p, got_); \
	expect_notes(got_, n_, (const char *const[]){__VA_ARGS__, NULL}); \
} while (0)
#define EXPECT_WEAKNESSES(b, p, ...) do { \
	const char *got_[BACKEND_NOTES_MAX]; \
	size_t n_ = backend_weaknesses(b, p, got_); \
	expect_notes(got_, n_, (const char *const[]){__VA_ARGS__, NULL}); \
} while (0)

Test(score, strengths_per_backend)
{
	struct bopt_pattern p = pattern(BOPT_STEADY, 1000);
	p.consistency_requirements = BOPT_AT_MOST_ONCE;
	EXPECT_STRENGTHS(BOPT_KAFKA, &p, "High throughput", "Strong durability",
		"Excellent ordering guarantees");
	EXPECT_STRENGTHS(BOPT_NATS, &p, "Low latency", "Simple setup", "Built-in clustering");
	EXPECT_STRENGTHS(BOPT_REDIS, &p, "In-memory speed", "Low latency", "Rich data structures");
	EXPECT_STRENGTHS(BOPT_KINESIS, &p, "AWS native integration", "Auto-scaling",
		"Pay-per-use model");
	EXPECT_STRENGTHS(BOPT_PULSAR, &p, "Multi-tenancy", "Geo-replication", "Unified messaging");
	EXPECT_STRENGTHS(BOPT_RABBITMQ, &p, "Mature and stable", "Rich routing capabilities",
		"Strong reliability guarantees");
	EXPECT_STRENGTHS(BOPT_MEMORY, &p, "Zero latency", "Perfect for testing");

	p.consistency_requirements = BOPT_EXACTLY_ONCE;
	p.pattern_type = BOPT_REALTIME;
	EXPECT_STRENGTHS(BOPT_KAFKA, &p, "High throughput", "Strong durability",
		"Excellent ordering guarantees", "Exactly-once semantics");
	EXPECT_STRENGTHS(BOPT_NATS, &p, "Low latency", "Simple setup", "Built-in clustering",
		"Real-time performance");
	p.consistency_requirements = BOPT_AT_LEAST_ONCE;
	EXPECT_STRENGTHS(BOPT_RABBITMQ, &p, "Mature and stable", "Rich routing capabilities",
		"Strong reliability guarantees", "Persistent message delivery");
}

Test(score, weaknesses_per_backend)
{
	struct bopt_pattern p = pattern(BOPT_STEADY, 100000);
	p.event_size_bytes = 1000000;
	const char *got[BACKEND_NOTES_MAX];
	EXPECT_WEAKNESSES(BOPT_KAFKA, &p, "Complex setup", "Higher resource usage");
	cr_assert_eq(backend_weaknesses(BOPT_NATS, &p, got), 0);
	EXPECT_WEAKNESSES(BOPT_REDIS, &p, "Memory-bound", "Limited durability");
	EXPECT_WEAKNESSES(BOPT_KINESIS, &p, "AWS vendor lock-in", "Cost can scale quickly",
		"Regional limitations");
	EXPECT_WEAKNESSES(BOPT_PULSAR, &p, "Newer ecosystem", "Complex architecture");
	EXPECT_WEAKNESSES(BOPT_RABBITMQ, &p, "Lower throughput than Kafka",
		"Memory-based by default");
	EXPECT_WEAKNESSES(BOPT_MEMORY, &p, "No persistence", "Single node only",
		"Memory limitations");

	p.pattern_type = BOPT_REALTIME;
	p.consistency_requirements = BOPT_STRONG;
	p.event_rate = 100000.5;
	p.event_size_bytes = 1000001;
	EXPECT_WEAKNESSES(BOPT_KAFKA, &p, "Complex setup", "Higher resource usage",
		"Higher latency than NATS");
	EXPECT_WEAKNESSES(BOPT_NATS, &p, "Limited durability options",
		"May not handle extreme throughput");
	EXPECT_WEAKNESSES(BOPT_REDIS, &p, "Memory-bound", "Limited durability",
		"Not suitable for large events");
	p.pattern_type = BOPT_BATCH_ORIENTED;
	EXPECT_WEAKNESSES(BOPT_RABBITMQ, &p, "Lower throughput than Kafka",
		"Memory-based by default", "Not optimized for batch processing");
}

Test(score, compare_orders_by_score_then_name)
{
	struct recommendation r[4] = {
		{.backend = BOPT_REDIS, .score = 0.5},
		{.backend = BOPT_NATS, .score = NAN},
		{.backend = BOPT_KAFKA, .score = 0.5},
		{.backend = BOPT_MEMORY, .score = 0.9},
	};
	qsort(r, 4, sizeof(r[0]), recommend_compare);
	cr_assert_eq(r[0].backend, BOPT_MEMORY);
	cr_assert_eq(r[1].backend, BOPT_KAFKA);
	cr_assert_eq(r[2].backend, BOPT_REDIS);
	cr_assert_eq(r[3].backend, BOPT_NATS);
}

Test(score, rank_and_reason)
{
	struct bopt_pattern p = pattern(BOPT_STEADY, 1000);
	struct metrics_set m;
	metrics_init(&m, 0.1);
	int64_t now = 100 * HOUR;
	struct metrics_snapshot s = {.backend = BOPT_MEMORY, .whole = true};
	backend_prior(BOPT_MEMORY, now, &s.perf);
	metrics_fold(&m, &s, now);
	s.backend = BOPT_KAFKA;
	backend_prior(BOPT_KAFKA, now, &s.perf);
	metrics_fold(&m, &s, now);
	struct recommend_input in = {.pattern = &p, .metrics = &m, .now = now,
		.scoring = SCORING_REFERENCE};
	cost_weights_default(&in.weights);
	struct recommendation r[2];
	cr_assert_eq(recommend_rank(&in, r), 2);
	// The prior, Steady at 1000/s, AtLeastOnce: latency 100/101, throughput
	// 1000/1200, reliability 0.99; cost Memory
	// 0 + 0.3*1 + 0.3*(500/1500) + 0.3*0.05 + 0.1*0.0152 + 0 + 0.05 = 0.46652,
	// Kafka 0.96652; scores 0.91222 and 0.89488.
	double lat = 100.0 / 101.0, thr = 1000.0 / 1200.0;
	double memory = 0.3 * lat + 0.3 * thr + 0.3 * 0.99 + 0.1 / 1.46652;
	double kafka = 0.3 * lat + 0.3 * thr + 0.3 * 0.99 + 0.1 / 1.96652;
	cr_assert_eq(r[0].backend, BOPT_MEMORY);
	cr_assert_float_eq(r[0].score, memory, 1e-9);
	cr_assert_float_eq(r[1].score, kafka, 1e-9);
	cr_assert_float_eq(r[0].cost.total_cost, 0.46652, 1e-9);
	cr_assert_str_eq(r[0].prediction_source, "measured");
	cr_assert_float_eq(r[0].confidence, 0.5, EPS);
	char buf[256];
	recommend_reason(r, 2, &p, buf, sizeof(buf));
	cr_assert_str_eq(buf, "Memory scores 0.9122 for a Steady workload, ahead of Kafka (0.8949)");
	recommend_reason(r, 1, &p, buf, sizeof(buf));
	cr_assert_str_eq(buf, "Memory scores 0.9122 for a Steady workload, the only backend evaluated");

	bool only[BOPT_BACKEND_COUNT] = {[BOPT_KAFKA] = true};
	in.only = only;
	cr_assert_eq(recommend_rank(&in, r), 1);
	cr_assert_eq(r[0].backend, BOPT_KAFKA);
	metrics_release(&m);
}

// Headroom by the formula of score.h: 1 up to u = 0.5, 2 (1 - u) above, 0
// from u = 1; no capacity (0, -0, NaN) gives 0, no peak needs nothing.
Test(score, headroom_by_hand)
{
	cr_assert_eq(score_headroom(50, 100), 1.0);
	cr_assert_eq(score_headroom(40, 100), 1.0);
	cr_assert_float_eq(score_headroom(75, 100), 0.5, 1e-12);
	cr_assert_float_eq(score_headroom(90, 100), 0.2, 1e-12);
	cr_assert_eq(score_headroom(100, 100), 0.0);
	cr_assert_eq(score_headroom(150, 100), 0.0);
	cr_assert_eq(score_headroom(10, 0.0), 0.0);
	cr_assert_eq(score_headroom(10, -0.0), 0.0);
	cr_assert_eq(score_headroom(10, NAN), 0.0);
	cr_assert_eq(score_headroom(0, 0.0), 1.0);
	cr_assert_eq(score_headroom(-1, 100), 1.0);
}
