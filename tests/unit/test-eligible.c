#include <criterion/criterion.h>
#include <math.h>
#include <string.h>

#include "base/timestamp.h"
#include "decide/capability.h"
#include "decide/eligible.h"
#include "decide/metrics.h"
#include "decide/recommend.h"
#include "decide/score.h"

// Expectations are worked out by hand from the rules in bopt(1) (REQUIREMENTS
// AND ELIGIBILITY, SCORING, CONFIDENCE).
#define EPS 1e-12

static struct bopt_pattern pattern(enum bopt_pattern_type t, double rate, uint64_t size,
	enum bopt_consistency c)
{
	struct bopt_pattern p;
	pattern_init_default(&p);
	p.pattern_type = t;
	p.event_rate = rate;
	p.event_size_bytes = size;
	p.consistency_requirements = c;
	return p;
}

static struct requirements derive(const struct bopt_pattern *p,
	const struct workload_observed *obs, struct requirement_options *o)
{
	struct requirement_options def;
	if (o == NULL) {
		requirement_options_init(&def);
		o = &def;
	}
	struct requirements r;
	requirements_derive(p, obs, o, &r);
	return r;
}

Test(eligible, requirements_from_pattern_and_trace)
{
	struct bopt_pattern p = pattern(BOPT_STEADY, 100, 500, BOPT_STRONG);
	struct requirements r = derive(&p, NULL, NULL);
	cr_assert_eq(r.guarantee, BOPT_EXACTLY_ONCE); // Strong needs exactly once
	cr_assert(r.durable);
	cr_assert_eq(r.event_max, 500);
	cr_assert_str_eq(r.event_from, "pattern");
	cr_assert_eq(r.peak_rate, 100.0);
	cr_assert_eq(r.peak_bytes, 50000.0);
	cr_assert_eq(r.latency_target, REQUIRE_DEFAULT_P99_MS);
	struct workload_observed obs = {.have = true, .size_mean = 200, .size_p99 = 900,
		.size_max = 1200, .peak_rate = 40};
	r = derive(&p, &obs, NULL);
	cr_assert_eq(r.event_p99, 900);
	cr_assert_eq(r.event_max, 1200);
	cr_assert_eq(r.peak_rate, 40.0);
	cr_assert_eq(r.peak_bytes, 8000.0);
	cr_assert_str_eq(r.peak_from, "trace");
	p.consistency_requirements = BOPT_AT_MOST_ONCE;
	p.pattern_type = BOPT_REALTIME;
	r = derive(&p, &obs, NULL);
	cr_assert_not(r.durable);
	cr_assert_eq(r.latency_target, 10.0);
	struct requirement_options o;
	requirement_options_init(&o);
	o.durable = 1;
	o.max_p99 = 3;
	o.max_event_size = 7;
	r = derive(&p, &obs, &o);
	cr_assert(r.durable);
	cr_assert_str_eq(r.durable_from, "--durable");
	cr_assert_eq(r.latency_target, 3.0); // tighter than RealTime's 10
	cr_assert_eq(r.event_max, 7);
}

Test(eligible, exactly_once_excludes_weaker_and_volatile)
{
	struct bopt_pattern p = pattern(BOPT_STEADY, 10, 100, BOPT_EXACTLY_ONCE);
	struct requirements r = derive(&p, NULL, NULL);
	struct eligibility e;
	eligibility_check(BOPT_MEMORY, 1, false, 1e6, &r, &e);
	cr_assert_not(e.eligible);
	cr_assert_eq(e.n_reasons, 2);
	cr_assert_str_eq(e.reasons[0], "delivery is AtMostOnce at best: ExactlyOnce is required");
	cr_assert_str_eq(e.reasons[1], "no persistence: ExactlyOnce requires durable storage");
	const enum bopt_backend out[] = {BOPT_REDIS, BOPT_KINESIS, BOPT_RABBITMQ};
	for (size_t i = 0; i < 3; i++) {
		eligibility_check(out[i], 1, false, 1e6, &r, &e);
		cr_assert_not(e.eligible, "%s", backend_name(out[i]));
	}
	const enum bopt_backend in[] = {BOPT_KAFKA, BOPT_NATS, BOPT_PULSAR};
	for (size_t i = 0; i < 3; i++) {
		eligibility_check(in[i], 1, false, 1e6, &r, &e);
		cr_assert(e.eligible, "%s", backend_name(in[i]));
	}
	// At most once, not durable: everything is eligible.
	p.consistency_requirements = BOPT_AT_MOST_ONCE;
	r = derive(&p, NULL, NULL);
	eligibility_check(BOPT_MEMORY, 1, false, 1e6, &r, &e);
	cr_assert(e.eligible);
	cr_assert_eq(e.n_caveats, 0);
}

// Exactly once where it needs settings that are off by default: Pulsar's
// broker, Kafka's producers and consumers are named; NATS needs none; below
// the strongest guarantee nothing is said.
Test(eligible, exactly_once_off_by_default_is_a_caveat)
{
	struct bopt_pattern p = pattern(BOPT_STEADY, 10, 100, BOPT_EXACTLY_ONCE);
	struct requirements r = derive(&p, NULL, NULL);
	struct eligibility e;
	eligibility_check(BOPT_PULSAR, 1, false, 1e6, &r, &e);
	cr_assert(e.eligible);
	cr_assert_eq(e.n_caveats, 1);
	cr_assert_str_eq(e.caveats[0], "ExactlyOnce only with settings off by default (set "
		"transactionCoordinatorEnabled=true, brokerDeduplicationEnabled=true)");
	eligibility_check(BOPT_KAFKA, 1, false, 1e6, &r, &e);
	cr_assert_str_eq(e.caveats[0], "ExactlyOnce only with settings off by default (set "
		"transactional.id on producers, isolation.level=read_committed on consumers)");
	eligibility_check(BOPT_NATS, 1, false, 1e6, &r, &e);
	for (size_t i = 0; i < e.n_caveats; i++)
		cr_assert(strstr(e.caveats[i], "off by default") == NULL, "%s", e.caveats[i]);
	p.consistency_requirements = BOPT_AT_LEAST_ONCE;
	r = derive(&p, NULL, NULL);
	eligibility_check(BOPT_PULSAR, 1, false, 1e6, &r, &e);
	cr_assert_eq(e.n_caveats, 0);
}

Test(eligible, event_size_default_limit_is_a_caveat_hard_limit_excludes)
{
	struct bopt_pattern p = pattern(BOPT_STEADY, 1, 1048589, BOPT_AT_LEAST_ONCE);
	struct requirements r = derive(&p, NULL, NULL);
	struct eligibility e;
	eligibility_check(BOPT_KAFKA, 1, false, 1e6, &r, &e);
	cr_assert(e.eligible);
	cr_assert_str_eq(e.caveats[0], "an event of 1048589 bytes exceeds the default limit of "
		"1048588 bytes: raise message.max.bytes");
	p.event_size_bytes = 1048588; // exactly the limit is fine
	r = derive(&p, NULL, NULL);
	eligibility_check(BOPT_KAFKA, 1, false, 1e6, &r, &e);
	cr_assert(strstr(e.caveats[0], "default limit") == NULL);
	p.event_size_bytes = 10485761; // Kinesis: 10 MiB at most
	r = derive(&p, NULL, NULL);
	eligibility_check(BOPT_KINESIS, 1, false, 1e6, &r, &e);
	cr_assert_not(e.eligible);
	cr_assert_str_eq(e.reasons[0], "an event of 10485761 bytes exceeds the hard limit of "
		"10485760 bytes");
}

Test(eligible, max_p99_excludes_above_the_bound)
{
	struct bopt_pattern p = pattern(BOPT_STEADY, 1, 10, BOPT_AT_MOST_ONCE);
	struct requirement_options o;
	requirement_options_init(&o);
	o.max_p99 = 5;
	struct requirements r = derive(&p, NULL, &o);
	struct eligibility e;
	eligibility_check(BOPT_KAFKA, 5, false, 1e6, &r, &e);
	cr_assert(e.eligible);
	eligibility_check(BOPT_KAFKA, 5.5, false, 1e6, &r, &e);
	cr_assert_not(e.eligible);
	cr_assert_str_eq(e.reasons[0], "p99 5.5 ms is above --max-p99 5 ms");
	eligibility_check(BOPT_KAFKA, 5.5, true, 1e6, &r, &e);
	cr_assert_str_eq(e.reasons[0], "predicted p99 5.5 ms is above --max-p99 5 ms");
}

Test(eligible, latency_component_graded_and_monotone)
{
	cr_assert_eq(score_latency_target(0, 100), 1.0);
	cr_assert_eq(score_latency_target(100, 100), 0.5);
	cr_assert_float_eq(score_latency_target(300, 100), 0.25, EPS);
	// A tenfold p99 never scores the same.
	cr_assert(score_latency_target(2, 100) > score_latency_target(20, 100));
	double prev = 2.0;
	for (double p99 = 0; p99 < 1e4; p99 = p99 * 1.5 + 0.01) {
		double s = score_latency_target(p99, 10);
		cr_assert(s < prev && s > 0 && s <= 1, "p99 %g", p99);
		prev = s;
	}
}

Test(eligible, headroom_full_to_half_zero_at_capacity)
{
	cr_assert_eq(score_headroom(0, 0), 1.0);
	cr_assert_eq(score_headroom(50, 100), 1.0);
	cr_assert_float_eq(score_headroom(75, 100), 0.5, EPS);
	cr_assert_float_eq(score_headroom(90, 100), 0.2, EPS);
	cr_assert_eq(score_headroom(100, 100), 0.0);
	cr_assert_eq(score_headroom(200, 100), 0.0);
	cr_assert_eq(score_headroom(1, 0), 0.0);
	double prev = -1;
	for (double cap = 1; cap < 1000; cap *= 1.3) {
		double s = score_headroom(100, cap);
		cr_assert(s >= prev, "more capacity never scores lower");
		prev = s;
	}
}

Test(eligible, reliability_from_capabilities_against_needs)
{
	// Pulsar: replicated + fsync (1), exactly once (1).
	cr_assert_eq(capability_reliability(capability_of(BOPT_PULSAR), true, BOPT_EXACTLY_ONCE),
		1.0);
	// Kafka: replicated, no fsync (0.75), exactly once (1).
	cr_assert_eq(capability_reliability(capability_of(BOPT_KAFKA), true, BOPT_EXACTLY_ONCE),
		0.875);
	// Redis: local disk (0.5), at least once of exactly once (0.5).
	cr_assert_eq(capability_reliability(capability_of(BOPT_REDIS), true, BOPT_EXACTLY_ONCE),
		0.5);
	cr_assert_eq(capability_reliability(capability_of(BOPT_MEMORY), true, BOPT_AT_LEAST_ONCE),
		0.0);
	// Nothing needed: everything meets it.
	cr_assert_eq(capability_reliability(capability_of(BOPT_MEMORY), false, BOPT_AT_MOST_ONCE),
		1.0);
	// A stronger capability never scores lower.
	for (int b = 0; b < BOPT_BACKEND_COUNT; b++)
		for (int c = 0; c < BOPT_CONSISTENCY_COUNT; c++) {
			const struct capability *k = capability_of((enum bopt_backend)b);
			double dur = capability_reliability(k, true, (enum bopt_consistency)c);
			double none = capability_reliability(k, false, (enum bopt_consistency)c);
			cr_assert(none >= dur);
		}
	cr_assert_eq(score_reliability(0.8, 0.5), 0.4);
}

Test(eligible, confidence_by_source)
{
	cr_assert_eq(score_confidence_reference(false), 0.2);
	cr_assert_eq(score_confidence_reference(true), 0.1);
	cr_assert_eq(score_confidence_measured(0, 0), 0.0);
	cr_assert_float_eq(score_confidence_measured(30, 0), 0.5, EPS);
	cr_assert_float_eq(score_confidence_measured(60, 720), 2.0 / 3.0 / 2.0, EPS);
	cr_assert(score_confidence_measured(61, 0) > score_confidence_measured(60, 0));
	cr_assert(score_confidence_measured(60, 1) < score_confidence_measured(60, 0));
	cr_assert_float_eq(score_confidence_model(0.9, 30), 0.45, EPS);
	cr_assert_eq(score_confidence_model(-2, 30), 0.0);
}

static void snapshot(struct metrics_snapshot *s, double p50, int64_t t)
{
	*s = (struct metrics_snapshot){.backend = BOPT_KAFKA, .p50 = p50, .p95 = 1.5 * p50,
		.p99 = 2 * p50, .throughput = 1000, .reliability = 1, .has_time = true, .time = t,
		.samples = 1};
}

Test(eligible, identical_snapshots_count_once_with_dedupe)
{
	struct metrics_set m;
	metrics_init(&m, 0.5);
	metrics_dedupe(&m);
	struct metrics_snapshot s;
	for (int pass = 0; pass < 2; pass++)
		for (int i = 0; i < 100; i++) {
			snapshot(&s, 1 + i, i);
			metrics_fold(&m, &s, 0);
		}
	cr_assert_eq(metrics_find(&m, BOPT_KAFKA, "")->evidence, 100);
	cr_assert_eq(metrics_find(&m, BOPT_KAFKA, "")->perf.sample_count, 100);
	// The estimate is that of one pass: alpha 0.5 over 1..100.
	struct metrics_set once;
	metrics_init(&once, 0.5);
	for (int i = 0; i < 100; i++) {
		snapshot(&s, 1 + i, i);
		metrics_fold(&once, &s, 0);
	}
	cr_assert_eq(metrics_find(&m, BOPT_KAFKA, "")->perf.measured_latency_p50,
		metrics_find(&once, BOPT_KAFKA, "")->perf.measured_latency_p50);
	// Without dedupe (reference mode) every snapshot counts.
	for (int i = 0; i < 100; i++) {
		snapshot(&s, 1 + i, i);
		metrics_fold(&once, &s, 0);
	}
	cr_assert_eq(metrics_find(&once, BOPT_KAFKA, "")->evidence, 200);
	metrics_release(&m);
	metrics_release(&once);
}

Test(eligible, ineligible_ranked_after_eligible)
{
	struct recommendation r[3] = {
		{.backend = BOPT_MEMORY, .score = 0.99},
		{.backend = BOPT_KAFKA, .score = 0.5, .eligibility = {.eligible = true}},
		{.backend = BOPT_NATS, .score = 0.6, .eligibility = {.eligible = true}},
	};
	qsort(r, 3, sizeof(r[0]), recommend_compare);
	cr_assert_eq(r[0].backend, BOPT_NATS);
	cr_assert_eq(r[1].backend, BOPT_KAFKA);
	cr_assert_eq(r[2].backend, BOPT_MEMORY);
	cr_assert_eq(recommend_eligible(r, 3), 2);
	struct bopt_pattern p = pattern(BOPT_STEADY, 1, 1, BOPT_AT_MOST_ONCE);
	char buf[256];
	recommend_reason(r, 3, &p, buf, sizeof(buf));
	cr_assert_str_eq(buf, "Nats scores 0.6000 for a Steady workload, ahead of Kafka (0.5000)");
	r[1].eligibility.eligible = false;
	recommend_reason(r, 3, &p, buf, sizeof(buf));
	cr_assert_str_eq(buf, "Nats scores 0.6000 for a Steady workload, the only eligible backend");
	r[0].eligibility.eligible = false;
	recommend_reason(r, 3, &p, buf, sizeof(buf));
	cr_assert_str_eq(buf, "no backend meets the requirements");
}

// Where the latency target comes from: RealTime's 10 ms, a --max-p99 that
// is tighter, and one that equals it (the pattern's target stays).
Test(eligible, latency_target_sources)
{
	struct bopt_pattern p = pattern(BOPT_REALTIME, 100, 500, BOPT_AT_LEAST_ONCE);
	struct requirement_options o;
	requirement_options_init(&o);
	struct requirements r = derive(&p, NULL, &o);
	cr_assert_eq(r.latency_target, 10.0);
	cr_assert_str_eq(r.target_from, "RealTime");
	o.max_p99 = 10.0;
	r = derive(&p, NULL, &o);
	cr_assert_eq(r.latency_target, 10.0);
	cr_assert_str_eq(r.target_from, "RealTime");
	o.max_p99 = 9.5;
	r = derive(&p, NULL, &o);
	cr_assert_eq(r.latency_target, 9.5);
	cr_assert_str_eq(r.target_from, "--max-p99");
	o.max_p99 = 50;
	r = derive(&p, NULL, &o);
	cr_assert_eq(r.latency_target, 10.0);
	cr_assert_str_eq(r.target_from, "RealTime");
	p.pattern_type = BOPT_STEADY;
	o.max_p99 = 0.5;
	r = derive(&p, NULL, &o);
	cr_assert_eq(r.latency_target, 0.5);
	cr_assert_str_eq(r.target_from, "--max-p99");
	o.max_p99 = 0;
	r = derive(&p, NULL, &o);
	cr_assert_eq(r.latency_target, REQUIRE_DEFAULT_P99_MS);
	cr_assert_str_eq(r.target_from, "default");
}

// One Kafka partition takes 10,000,000 bytes/s (capabilities.def): a peak
// of exactly that fits, one of 10,000 events/s of 1,001 B does not.
Test(eligible, bytes_per_unit_boundary)
{
	struct bopt_pattern p = pattern(BOPT_STEADY, 10000, 1000, BOPT_AT_LEAST_ONCE);
	struct requirements r = derive(&p, NULL, NULL);
	struct eligibility e;
	cr_assert_eq(r.peak_bytes, 1e7);
	eligibility_check(BOPT_KAFKA, 1, false, 1e6, &r, &e);
	cr_assert(e.eligible);
	for (size_t i = 0; i < e.n_caveats; i++)
		cr_assert(strstr(e.caveats[i], "bytes/s") == NULL, "%s", e.caveats[i]);
	p.event_size_bytes = 1001;
	r = derive(&p, NULL, NULL);
	eligibility_check(BOPT_KAFKA, 1, false, 1e6, &r, &e);
	cr_assert_eq(e.n_caveats, 2, "%zu", (size_t)e.n_caveats);
	cr_assert_str_eq(e.caveats[1], "peak 1.001e+07 bytes/s exceeds one partition's 1e+07 "
		"bytes/s: spread over several");
}
