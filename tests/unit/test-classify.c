/*
 * The classifier on synthetic traces from a fixed-seed generator: two or
 * more traces per class, each classified as expected, with the rate
 * estimate checked against the generator's nominal rate (1 %) and against
 * the rate computed here from the generated times.
 */
#include <criterion/criterion.h>
#include <math.h>
#include <stdlib.h>

#include "trace/classify.h"
#include "trace/summary.h"
#include "tracegen.h"

struct outcome {
	struct bopt_pattern pattern;
	struct bopt_features features;
	double exact_rate; // (n - 1) / span of the generated times
};

static void run(const struct gen_params *p, unsigned long n, struct outcome *o)
{
	struct bopt_summary s;
	struct gen g;
	summary_init(&s);
	gen_init(&g, p);
	int64_t first = 0, last = 0;
	for (unsigned long i = 0; i < n; i++) {
		int64_t t = gen_next(&g);
		if (i == 0)
			first = t;
		last = t;
		summary_add(&s, t, 300, 0, NULL, 0);
	}
	summary_flush(&s);
	struct classify_options co = {.window_seconds = 3600};
	summary_classify(&s, &co, &o->pattern, &o->features);
	o->exact_rate = (double)(n - 1) / ((double)(last - first) / 1e9);
	summary_destroy(&s);
}

static void expect(const struct gen_params *p, unsigned long n, enum bopt_pattern_type type,
	double nominal_rate)
{
	struct outcome o;
	run(p, n, &o);
	cr_assert_eq(o.pattern.pattern_type, type, "process %d rate %g: got %s (%s), expected %s",
		p->process, p->rate, pattern_type_name(o.pattern.pattern_type), o.features.reason,
		pattern_type_name(type));
	cr_assert_float_eq(o.pattern.event_rate, o.exact_rate, 1e-9 * o.exact_rate);
	cr_assert(fabs(o.pattern.event_rate - nominal_rate) <= 0.01 * nominal_rate,
		"rate %g, nominal %g", o.pattern.event_rate, nominal_rate);
	pattern_release(&o.pattern);
}

#define BASE .start_ns = INT64_C(1784451255000000000)

Test(classify, constant_low_rate_is_realtime)
{
	expect(&(struct gen_params){.process = GEN_CONSTANT, .rate = 50, .seed = 1, BASE},
		20000, BOPT_REALTIME, 50);
	expect(&(struct gen_params){.process = GEN_CONSTANT, .rate = 2, .seed = 2, BASE},
		5000, BOPT_REALTIME, 2);
}

Test(classify, constant_moderate_rate_is_steady)
{
	expect(&(struct gen_params){.process = GEN_CONSTANT, .rate = 1000, .seed = 3, BASE},
		100000, BOPT_STEADY, 1000);
	expect(&(struct gen_params){.process = GEN_CONSTANT, .rate = 250, .seed = 4, BASE},
		50000, BOPT_STEADY, 250);
}

Test(classify, constant_high_rate_is_batch_oriented)
{
	expect(&(struct gen_params){.process = GEN_CONSTANT, .rate = 20000, .seed = 5, BASE},
		200000, BOPT_BATCH_ORIENTED, 20000);
	expect(&(struct gen_params){.process = GEN_CONSTANT, .rate = 100000, .seed = 6, BASE},
		500000, BOPT_BATCH_ORIENTED, 100000);
}

Test(classify, near_regular_jitter_is_steady)
{
	struct outcome o;
	struct gen_params p = {.process = GEN_JITTER, .rate = 500, .jitter = 0.3, .seed = 7, BASE};
	expect(&p, 100000, BOPT_STEADY, 500);
	run(&p, 100000, &o);
	cr_assert_eq(o.pattern.temporal_distribution.kind, BOPT_DIST_NORMAL);
	// Gaps U(0.7, 1.3) x 2 ms: mean 2 ms, std 0.6/sqrt(12) x 2 ms.
	cr_assert_float_eq(o.pattern.temporal_distribution.mean, 2.0, 0.01);
	cr_assert_float_eq(o.pattern.temporal_distribution.std_dev, 1.2 / sqrt(12), 0.005);
	expect(&(struct gen_params){.process = GEN_JITTER, .rate = 40, .jitter = 0.6, .seed = 8, BASE},
		20000, BOPT_STEADY, 40);
}

Test(classify, poisson_is_random)
{
	struct outcome o;
	struct gen_params p = {.process = GEN_POISSON, .rate = 1000, .seed = 9, BASE};
	expect(&p, 200000, BOPT_RANDOM, 1000);
	run(&p, 200000, &o);
	cr_assert_eq(o.pattern.temporal_distribution.kind, BOPT_DIST_POISSON);
	cr_assert_float_eq(o.pattern.temporal_distribution.lambda, o.pattern.event_rate, 1e-9);
	cr_assert_float_eq(o.features.gap_cv, 1.0, 0.02);
	cr_assert_float_eq(o.features.idc, 1.0, 0.1);
	expect(&(struct gen_params){.process = GEN_POISSON, .rate = 20, .seed = 10, BASE},
		100000, BOPT_RANDOM, 20);
	expect(&(struct gen_params){.process = GEN_POISSON, .rate = 30000, .seed = 11, BASE},
		400000, BOPT_RANDOM, 30000);
}

Test(classify, on_off_bursts_are_bursty)
{
	// Long-run rate: rate x on / (on + off).
	expect(&(struct gen_params){.process = GEN_ONOFF, .rate = 600, .on_s = 0.05,
		.off_s = 0.1, .seed = 12, BASE}, 400000, BOPT_BURSTY, 200);
	expect(&(struct gen_params){.process = GEN_ONOFF, .rate = 3000, .on_s = 0.01,
		.off_s = 0.09, .seed = 13, BASE}, 1500000, BOPT_BURSTY, 300);
}

Test(classify, sinusoid_rate_is_seasonal)
{
	struct outcome o;
	// Whole periods, so the long-run rate is the base rate.
	struct gen_params p = {.process = GEN_SINUSOID, .rate = 500, .amplitude = 0.8,
		.period_s = 60, .seed = 14, BASE};
	expect(&p, 300000, BOPT_SEASONAL, 500);
	run(&p, 300000, &o);
	cr_assert_float_eq(o.features.period_s, 60, 3);
	expect(&(struct gen_params){.process = GEN_SINUSOID, .rate = 50, .amplitude = 0.5,
		.period_s = 20, .seed = 15, BASE}, 100000, BOPT_SEASONAL, 50);
}

Test(classify, periodic_batches_are_batch_oriented)
{
	struct outcome o;
	struct gen_params p = {.process = GEN_BATCHES, .batch_size = 500, .period_s = 10,
		.batch_spread_s = 0.05, .seed = 16, BASE};
	// 200 batches: the span ends with the last batch, 199 periods + spread.
	expect(&p, 100000, BOPT_BATCH_ORIENTED, 99999 / (199 * 10 + 0.05 * 499 / 500));
	run(&p, 100000, &o);
	cr_assert(o.features.batches);
	cr_assert_float_eq(o.features.batch_mean_size, 500, 1);
	cr_assert_float_eq(o.features.batch_interval_s, 10, 0.1);
	expect(&(struct gen_params){.process = GEN_BATCHES, .batch_size = 40, .period_s = 0.5,
		.batch_spread_s = 0.004, .seed = 17, BASE}, 40000,
		BOPT_BATCH_ORIENTED, 39999 / (999 * 0.5 + 0.004 * 39 / 40));
}

Test(classify, fewer_than_ten_events_use_reference_rule)
{
	struct outcome o;
	run(&(struct gen_params){.process = GEN_POISSON, .rate = 1000, .seed = 18, BASE}, 9, &o);
	cr_assert_eq(o.pattern.temporal_distribution.kind, BOPT_DIST_UNIFORM);
	cr_assert_eq(o.pattern.pattern_type,
		o.pattern.event_rate > 10000 ? BOPT_BATCH_ORIENTED :
		o.pattern.event_rate > 100 ? BOPT_STEADY : BOPT_REALTIME);
}

Test(classify, single_event_rate_uses_window)
{
	struct bopt_summary s;
	summary_init(&s);
	summary_add(&s, 1000, 10, 0, NULL, 0);
	summary_flush(&s);
	struct bopt_pattern p;
	struct bopt_features f;
	struct classify_options co = {.window_seconds = 3600};
	summary_classify(&s, &co, &p, &f);
	cr_assert_float_eq(p.event_rate, 1.0 / 3600, 1e-15);
	cr_assert_eq(p.pattern_type, BOPT_REALTIME);
	cr_assert_eq(p.batch_size, 10);
	cr_assert_eq(p.event_size_bytes, 10);
	summary_destroy(&s);
}

Test(classify, batch_size_by_rate)
{
	const double rates[] = {20000, 10000, 5000, 1000, 500, 100, 5};
	const uint32_t sizes[] = {1000, 500, 500, 100, 100, 10, 10};
	for (size_t i = 0; i < sizeof(rates) / sizeof(rates[0]); i++) {
		struct outcome o;
		run(&(struct gen_params){.process = GEN_CONSTANT, .rate = rates[i], .seed = 1, BASE},
			101, &o);
		cr_assert_eq(o.pattern.batch_size, sizes[i], "rate %g", rates[i]);
	}
}

// The compression ratio is the sample's compressed bytes over its raw
// bytes, however small the sample (a summary document may hold any); with
// no sample it stays the default.
Test(classify, compression_ratio_of_any_sample)
{
	struct bopt_summary s;
	struct bopt_pattern p, def;
	struct bopt_features f;
	struct classify_options co = {.window_seconds = 3600};
	pattern_init_default(&def);
	summary_init(&s);
	for (int i = 0; i < 20; i++)
		summary_add(&s, INT64_C(1784451255000000000) + i * INT64_C(1000000), 300, 0, NULL, 0);
	summary_flush(&s);
	const uint64_t raw[] = {0, 1, 2, 1000}, packed[] = {0, 1, 1, 250};
	const double want[] = {def.data_characteristics.compression_ratio, 1.0, 0.5, 0.25};
	for (int i = 0; i < 4; i++) {
		s.sample_raw = raw[i];
		s.sample_compressed = packed[i];
		summary_classify(&s, &co, &p, &f);
		cr_assert_eq(p.data_characteristics.compression_ratio, want[i], "sample of %llu",
			(unsigned long long)raw[i]);
		pattern_release(&p);
	}
	summary_destroy(&s);
	pattern_release(&def);
}

// Gaps below a nanosecond on average still have a spread: 21 events two
// by two on the same nanosecond give gaps 0, 1, 0, 1, ... (ten of each):
// mean 0.5 ns, standard deviation 0.5 ns, CV 1.
Test(classify, gap_cv_of_nanosecond_gaps)
{
	struct bopt_summary s;
	struct bopt_pattern p;
	struct bopt_features f;
	struct classify_options co = {.window_seconds = 3600};
	summary_init(&s);
	for (int i = 0; i <= 20; i++)
		summary_add(&s, INT64_C(1784451255000000000) + (i + 1) / 2, 300, 0, NULL, 0);
	summary_flush(&s);
	summary_classify(&s, &co, &p, &f);
	cr_assert_eq(f.gap_mean_ms, 0.5e-6);
	cr_assert_eq(f.gap_cv, 1.0);
	pattern_release(&p);
	summary_destroy(&s);
}

// Batches of 10 events within 0.9 ms, one a second from a whole second on:
// at the finest level (1/1024 s) each batch is one window. The first and
// last batches fall in the windows dropped as partial, so N batches give
// N - 2 clusters, and BATCH_MIN_CLUSTERS (4) of them are needed: 6 batches
// are batch-oriented (mean size 10, interval 1 s), 5 are not.
Test(classify, four_clusters_make_batches)
{
	for (int batches = 5; batches <= 6; batches++) {
		struct bopt_summary s;
		struct bopt_pattern p;
		struct bopt_features f;
		struct classify_options co = {.window_seconds = 3600};
		summary_init(&s);
		for (int b = 0; b < batches; b++)
			for (int i = 0; i < 10; i++)
				summary_add(&s, INT64_C(1784451255000000000) + b * INT64_C(1000000000) +
					i * INT64_C(90000), 300, 0, NULL, 0);
		summary_flush(&s);
		summary_classify(&s, &co, &p, &f);
		cr_assert_eq(f.batches, batches == 6, "%d batches: %s", batches, f.reason);
		if (batches == 6) {
			cr_assert_eq(p.pattern_type, BOPT_BATCH_ORIENTED);
			cr_assert_eq(f.batch_mean_size, 10.0);
			cr_assert_eq(f.batch_interval_s, 1.0);
		}
		pattern_release(&p);
		summary_destroy(&s);
	}
}

// An exponential distribution's lambda is 1 / the mean gap in ms, also
// below a millisecond: on/off bursts at 30000 events/s (3000/s long-run,
// mean gap 1/3 ms) are bursty with lambda near 3 per ms.
Test(classify, exponential_lambda_below_a_millisecond)
{
	struct outcome o;
	run(&(struct gen_params){.process = GEN_ONOFF, .rate = 30000, .on_s = 0.01,
		.off_s = 0.09, .seed = 14, BASE}, 200000, &o);
	cr_assert_eq(o.pattern.pattern_type, BOPT_BURSTY, "%s", o.features.reason);
	cr_assert_eq(o.pattern.temporal_distribution.kind, BOPT_DIST_EXPONENTIAL);
	cr_assert_lt(o.features.gap_mean_ms, 1.0);
	cr_assert_eq(o.pattern.temporal_distribution.lambda, 1.0 / o.features.gap_mean_ms);
	cr_assert_float_eq(o.pattern.temporal_distribution.lambda, 3.0, 0.3);
	pattern_release(&o.pattern);
}

// The smallest batch is BATCH_MIN_SIZE (3) events: six batches of three.
Test(classify, three_event_batches_are_batches)
{
	struct bopt_summary s;
	struct bopt_pattern p;
	struct bopt_features f;
	struct classify_options co = {.window_seconds = 3600};
	summary_init(&s);
	for (int b = 0; b < 6; b++)
		for (int i = 0; i < 3; i++)
			summary_add(&s, INT64_C(1784451255000000000) + b * INT64_C(1000000000) +
				i * INT64_C(90000), 300, 0, NULL, 0);
	summary_flush(&s);
	summary_classify(&s, &co, &p, &f);
	cr_assert(f.batches, "%s", f.reason);
	cr_assert_eq(f.batch_mean_size, 3.0);
	pattern_release(&p);
	summary_destroy(&s);
}

// Twelve events on one nanosecond: eleven gaps of 0, so no spread either;
// the gap CV is 0 and the distribution uniform.
Test(classify, gaps_all_zero_have_no_cv)
{
	struct bopt_summary s;
	struct bopt_pattern p;
	struct bopt_features f;
	struct classify_options co = {.window_seconds = 3600};
	summary_init(&s);
	for (int i = 0; i < 12; i++)
		summary_add(&s, INT64_C(1784451255000000000), 300, 0, NULL, 0);
	summary_flush(&s);
	summary_classify(&s, &co, &p, &f);
	cr_assert_eq(s.n_gaps, 11);
	cr_assert_eq(f.gap_mean_ms, 0.0);
	cr_assert_eq(f.gap_cv, 0.0);
	cr_assert_eq(p.temporal_distribution.kind, BOPT_DIST_UNIFORM);
	pattern_release(&p);
	summary_destroy(&s);
}
