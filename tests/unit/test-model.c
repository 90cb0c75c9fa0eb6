#include <criterion/criterion.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "datagen.h"
#include "base/util.h"
#include "decide/model.h"

static void refit(struct bopt_model *m)
{
	char err[512];
	cr_assert(model_refit(m, err), "%s", err);
}

Test(model, features_follow_the_reference)
{
	struct bopt_pattern p;
	pattern_init_default(&p);
	p.event_rate = 2000;
	p.batch_size = 500;
	p.event_size_bytes = 365;
	p.data_characteristics.compression_ratio = 0.7;
	p.data_characteristics.serialization_overhead = 0.1;
	p.data_characteristics.has_complex_structures = true;
	p.data_characteristics.requires_ordering = false;
	p.pattern_type = BOPT_BATCH_ORIENTED;
	p.consistency_requirements = BOPT_EXACTLY_ONCE;
	double x[MODEL_FEATURES];
	const double want[MODEL_FEATURES] = {2000, 500, 365, 0.7, 0.1, 1, 0, 2, 3, 1};
	model_features(&p, x);
	for (int j = 0; j < MODEL_FEATURES; j++)
		cr_assert_eq(x[j], want[j], "feature %d", j);

	// Pattern codes: RealTime 1, BatchOriented 2, Bursty 3, the others 0;
	// consistency: ExactlyOnce 3, AtLeastOnce 2, the others 1.
	const double type_code[BOPT_PATTERN_TYPE_COUNT] = {
		[BOPT_STEADY] = 0, [BOPT_BURSTY] = 3, [BOPT_SEASONAL] = 0, [BOPT_RANDOM] = 0,
		[BOPT_REALTIME] = 1, [BOPT_BATCH_ORIENTED] = 2};
	for (int t = 0; t < BOPT_PATTERN_TYPE_COUNT; t++) {
		p.pattern_type = t;
		model_features(&p, x);
		cr_assert_eq(x[7], type_code[t], "pattern type %d", t);
	}
	const double cons_code[BOPT_CONSISTENCY_COUNT] = {
		[BOPT_AT_MOST_ONCE] = 1, [BOPT_AT_LEAST_ONCE] = 2, [BOPT_EXACTLY_ONCE] = 3,
		[BOPT_SESSION] = 1, [BOPT_STRONG] = 1};
	for (int c = 0; c < BOPT_CONSISTENCY_COUNT; c++) {
		p.consistency_requirements = c;
		model_features(&p, x);
		cr_assert_eq(x[8], cons_code[c], "consistency %d", c);
	}
}

Test(model, pattern_similarity_by_hand)
{
	struct bopt_pattern a, b;
	pattern_init_default(&a);
	pattern_init_default(&b);
	a.event_rate = 100;
	b.event_rate = 300;
	a.event_size_bytes = b.event_size_bytes = 1000;
	a.pattern_type = BOPT_STEADY;
	b.pattern_type = BOPT_BURSTY;
	// rate: 1 - 200/401; size: 1 - 0/2001 = 1; type: 0.
	cr_assert_float_eq(model_pattern_similarity(&a, &b), (1 - 200.0 / 401 + 1 + 0) / 3, 1e-15);
	b.pattern_type = BOPT_STEADY;
	cr_assert_float_eq(model_pattern_similarity(&a, &b), (1 - 200.0 / 401 + 1 + 1) / 3, 1e-15);
	cr_assert_float_eq(model_pattern_similarity(&a, &a), 1.0, 1e-15);
}

static void check_relation(const struct model_target_fit *f, const struct datagen_relation *r)
{
	// serialization_overhead (4) is constant in the data and the constant
	// column (9) always is: both are dropped, their effect in the intercept.
	for (int j = 0; j < MODEL_FEATURES; j++) {
		if (j == 4 || j == 9) {
			cr_assert_not(f->fit.used[j], "feature %d", j);
			cr_assert_eq(f->fit.coef[j], 0.0);
			continue;
		}
		cr_assert(f->fit.used[j], "feature %d", j);
		cr_assert_float_eq(f->fit.coef[j], r->coef[j], 1e-6, "feature %d: %.12g", j,
			f->fit.coef[j]);
	}
	cr_assert_float_eq(f->fit.intercept, r->intercept + 0.1 * r->coef[4] + r->coef[9], 1e-6);
	cr_assert_float_eq(f->cv.r2, 1.0, 1e-9);
	cr_assert_lt(f->cv.rmse, 1e-6);
	cr_assert(f->qualified);
}

Test(model, noise_free_data_gives_back_its_coefficients_and_exact_predictions)
{
	struct bopt_model m;
	model_init(&m);
	datagen_fill(&m, &(struct datagen_params){.seed = 42, .backend = BOPT_KAFKA}, 200);
	refit(&m);
	const struct model_backend *be = &m.backends[BOPT_KAFKA];
	cr_assert_eq(be->points, 200);
	cr_assert(be->fitted);
	check_relation(&be->target[MODEL_LATENCY], &datagen_latency);
	check_relation(&be->target[MODEL_THROUGHPUT], &datagen_throughput);

	// Fresh patterns, not in the training data.
	struct datagen g;
	datagen_init(&g, &(struct datagen_params){.seed = 7, .backend = BOPT_KAFKA});
	const struct bopt_performance measured = {.backend_type = BOPT_KAFKA,
		.measured_latency_p50 = 999, .cost_per_hour = 0.1, .setup_complexity = 5};
	for (int i = 0; i < 50; i++) {
		struct bopt_data_point pt;
		struct model_prediction pr;
		datagen_next(&g, &pt);
		model_predict(&m, BOPT_KAFKA, &pt.pattern, &measured, &pr);
		cr_assert_eq(pr.source, MODEL_SOURCE_MODEL);
		cr_assert_eq(pr.target_source[MODEL_LATENCY], MODEL_SOURCE_MODEL);
		cr_assert_eq(pr.target_source[MODEL_THROUGHPUT], MODEL_SOURCE_MODEL);
		double lat = datagen_truth(&datagen_latency, &pt.pattern);
		cr_assert_float_eq(pr.perf.measured_latency_p50, lat, 1e-6);
		cr_assert_float_eq(pr.perf.measured_latency_p95, 1.5 * pr.perf.measured_latency_p50, 1e-12);
		cr_assert_float_eq(pr.perf.measured_latency_p99, 2.0 * pr.perf.measured_latency_p50, 1e-12);
		cr_assert_float_eq(pr.perf.measured_throughput,
			datagen_truth(&datagen_throughput, &pt.pattern), 1e-6);
		cr_assert_eq(pr.perf.sample_count, 200);
		cr_assert_eq(pr.perf.cost_per_hour, 0.1); // static fields from the measured
		cr_assert_eq(pr.perf.setup_complexity, 5);
		data_point_release(&pt);
	}
	model_destroy(&m);
}

// Consistency follows ordering (consistency code = 2 + ordering): the two
// columns are exactly collinear. The fit still predicts exactly, and the
// ridge splits the combined effect per unit of ordering (latency 5 + 0.8,
// throughput -800 - 400) equally between the two equally spread columns.
Test(model, collinear_features_do_not_break_the_fit)
{
	struct bopt_model m;
	model_init(&m);
	datagen_fill(&m, &(struct datagen_params){.seed = 3, .backend = BOPT_NATS,
		.collinear = true}, 100);
	refit(&m);
	const struct model_backend *be = &m.backends[BOPT_NATS];
	cr_assert(be->fitted);
	cr_assert_float_eq(be->target[MODEL_LATENCY].fit.coef[6], 2.9, 1e-6);
	cr_assert_float_eq(be->target[MODEL_LATENCY].fit.coef[8], 2.9, 1e-6);
	cr_assert_float_eq(be->target[MODEL_THROUGHPUT].fit.coef[6], -600, 1e-6);
	cr_assert_float_eq(be->target[MODEL_THROUGHPUT].fit.coef[8], -600, 1e-6);
	cr_assert_float_eq(be->target[MODEL_LATENCY].cv.r2, 1.0, 1e-9);

	struct datagen g;
	datagen_init(&g, &(struct datagen_params){.seed = 11, .backend = BOPT_NATS,
		.collinear = true});
	for (int i = 0; i < 20; i++) {
		struct bopt_data_point pt;
		struct model_prediction pr;
		datagen_next(&g, &pt);
		model_predict(&m, BOPT_NATS, &pt.pattern, &(struct bopt_performance){0}, &pr);
		cr_assert_eq(pr.source, MODEL_SOURCE_MODEL);
		cr_assert_float_eq(pr.perf.measured_latency_p50,
			datagen_truth(&datagen_latency, &pt.pattern), 1e-6);
		cr_assert_float_eq(pr.perf.measured_throughput,
			datagen_truth(&datagen_throughput, &pt.pattern), 1e-6);
		data_point_release(&pt);
	}
	model_destroy(&m);
}

// With Gaussian noise of standard deviation s, R2 is about
// var(signal) / (var(signal) + s^2). The signal's variance follows from the
// generator's distributions (rate U(10, 20000): 19990^2/12; batch uniform on
// {10, 100, 500, 1000}: 153018.75; size uniform on 100..3999:
// (3900^2 - 1)/12; compression U(0.3, 0.9): 0.03; complex and ordering
// Bernoulli(1/2): 0.25; pattern code on {0,3,0,0,1,2}: 4/3; consistency code
// on {1,2,3,1,1}: 0.64), weighted by the squared coefficients: latency
// 27.1618, throughput 25121688. So latency with s = 2: R2 = 0.8716;
// throughput with s = 500: R2 = 0.9901; the CV RMSE is about s.
Test(model, noisy_data_gives_the_expected_cv_r2)
{
	struct bopt_model m;
	model_init(&m);
	datagen_fill(&m, &(struct datagen_params){.seed = 5, .backend = BOPT_REDIS,
		.noise = {2, 500}}, 1000);
	refit(&m);
	const struct model_target_fit *lat = &m.backends[BOPT_REDIS].target[MODEL_LATENCY];
	const struct model_target_fit *thr = &m.backends[BOPT_REDIS].target[MODEL_THROUGHPUT];
	cr_assert(lat->cv.r2 > 0.85 && lat->cv.r2 < 0.89, "latency R2 %g", lat->cv.r2);
	cr_assert(lat->cv.rmse > 1.85 && lat->cv.rmse < 2.15, "latency RMSE %g", lat->cv.rmse);
	cr_assert(thr->cv.r2 > 0.987 && thr->cv.r2 < 0.993, "throughput R2 %g", thr->cv.r2);
	cr_assert(thr->cv.rmse > 460 && thr->cv.rmse < 540, "throughput RMSE %g", thr->cv.rmse);
	cr_assert(lat->qualified);
	cr_assert(thr->qualified);
	model_destroy(&m);
}

// Latency noise of s = 50 leaves R2 about 27/(27 + 2500) = 0.01: the latency
// model does not qualify and falls back to the similarity mean, while the
// noise-free throughput still comes from the regression.
Test(model, a_poor_fit_falls_back_to_the_similarity_mean)
{
	struct bopt_model m;
	model_init(&m);
	datagen_fill(&m, &(struct datagen_params){.seed = 9, .backend = BOPT_PULSAR,
		.noise = {50, 0}}, 100);
	refit(&m);
	const struct model_backend *be = &m.backends[BOPT_PULSAR];
	cr_assert_lt(be->target[MODEL_LATENCY].cv.r2, MODEL_MIN_CV_R2);
	cr_assert_not(be->target[MODEL_LATENCY].qualified);
	cr_assert(be->target[MODEL_THROUGHPUT].qualified);

	const struct bopt_pattern *q = &m.points[0].pattern;
	double sum = 0;
	size_t n = 0;
	for (size_t i = 0; i < m.npoints; i++) {
		if (model_pattern_similarity(&m.points[i].pattern, q) > 0.7) {
			sum += m.points[i].latency;
			n++;
		}
	}
	cr_assert_gt(n, 0);
	struct model_prediction pr;
	model_predict(&m, BOPT_PULSAR, q, &(struct bopt_performance){0}, &pr);
	cr_assert_eq(pr.target_source[MODEL_LATENCY], MODEL_SOURCE_SIMILAR);
	cr_assert_eq(pr.target_source[MODEL_THROUGHPUT], MODEL_SOURCE_MODEL);
	cr_assert_eq(pr.source, MODEL_SOURCE_MODEL);
	cr_assert_eq(pr.similar_points, n);
	cr_assert_float_eq(pr.perf.measured_latency_p50, sum / (double)n, 1e-9);
	cr_assert_float_eq(pr.perf.measured_throughput,
		datagen_truth(&datagen_throughput, q), 1e-6);
	model_destroy(&m);
}

static void add_point(struct bopt_model *m, enum bopt_backend b, double rate, uint64_t size,
	enum bopt_pattern_type type, double lat, double thr, double rel, int64_t t)
{
	struct bopt_data_point pt = {.timestamp = t, .backend = b, .latency = lat,
		.throughput = thr, .reliability = rel,
		.resource_usage = {.cpu_usage_percent = lat}};
	pattern_init_default(&pt.pattern);
	pt.pattern.event_rate = rate;
	pt.pattern.event_size_bytes = size;
	pt.pattern.pattern_type = type;
	model_add_point(m, &pt);
}

// Five RabbitMQ points: three alike (rate 1000, 1000 bytes, Steady), two far
// away (rate 100000, 50 bytes, Bursty: similarity to the first kind
// (1 - 99000/101001 + 1 - 950/1051 + 0)/3 = 0.038).
Test(model, fewer_than_ten_points_use_the_reference_mean)
{
	struct bopt_model m;
	model_init(&m);
	add_point(&m, BOPT_RABBITMQ, 1000, 1000, BOPT_STEADY, 10, 100, 0.9, 5);
	add_point(&m, BOPT_RABBITMQ, 100000, 50, BOPT_BURSTY, 500, 9000, 0.5, 9);
	add_point(&m, BOPT_RABBITMQ, 1000, 1000, BOPT_STEADY, 20, 200, 1.0, 7);
	add_point(&m, BOPT_RABBITMQ, 100000, 50, BOPT_BURSTY, 700, 7000, 0.7, 1);
	add_point(&m, BOPT_RABBITMQ, 1000, 1000, BOPT_STEADY, 30, 600, 0.8, 6);
	refit(&m);
	cr_assert_not(m.backends[BOPT_RABBITMQ].fitted);

	const struct bopt_performance measured = {.backend_type = BOPT_RABBITMQ,
		.measured_latency_p50 = 42, .measured_throughput = 4242, .reliability_score = 0.25,
		.cost_per_hour = 0.1, .sample_count = 17};
	struct model_prediction pr;
	model_predict(&m, BOPT_RABBITMQ, &m.points[0].pattern, &measured, &pr);
	cr_assert_eq(pr.source, MODEL_SOURCE_SIMILAR);
	cr_assert_eq(pr.similar_points, 3);
	cr_assert_float_eq(pr.perf.measured_latency_p50, 20, 1e-12);
	cr_assert_float_eq(pr.perf.measured_latency_p95, 30, 1e-12);
	cr_assert_float_eq(pr.perf.measured_latency_p99, 40, 1e-12);
	cr_assert_float_eq(pr.perf.measured_throughput, 300, 1e-12);
	cr_assert_float_eq(pr.perf.reliability_score, 0.9, 1e-12);
	cr_assert_eq(pr.perf.resource_usage.cpu_usage_percent, 10); // the first similar point
	cr_assert_eq(pr.perf.sample_count, 3);
	cr_assert_eq(pr.perf.last_updated, 7);
	cr_assert_eq(pr.perf.cost_per_hour, 0.1);

	// Nothing similar: the mean of all five.
	struct bopt_pattern far;
	pattern_init_default(&far);
	far.event_rate = 1e9;
	far.event_size_bytes = 1000000000;
	far.pattern_type = BOPT_SEASONAL;
	model_predict(&m, BOPT_RABBITMQ, &far, &measured, &pr);
	cr_assert_eq(pr.source, MODEL_SOURCE_SIMILAR);
	cr_assert_eq(pr.similar_points, 5);
	cr_assert_float_eq(pr.perf.measured_latency_p50, 1260.0 / 5, 1e-12);
	cr_assert_float_eq(pr.perf.measured_throughput, 16900.0 / 5, 1e-12);
	cr_assert_float_eq(pr.perf.reliability_score, 3.9 / 5, 1e-12);
	cr_assert_eq(pr.perf.last_updated, 9);

	// No data for the backend: its measured performance, unchanged.
	model_predict(&m, BOPT_KINESIS, &far, &measured, &pr);
	cr_assert_eq(pr.source, MODEL_SOURCE_MEASURED);
	cr_assert_eq(pr.perf.measured_latency_p50, 42);
	cr_assert_eq(pr.perf.measured_throughput, 4242);
	cr_assert_eq(pr.perf.reliability_score, 0.25);
	cr_assert_eq(pr.perf.sample_count, 17);
	cr_assert_str_eq(model_source_name(pr.source), "measured");
	model_destroy(&m);
}

// MLPredictor::add_training_data: push, then past 10000 drop the oldest 1000.
Test(model, history_cap_drops_the_oldest_thousand)
{
	struct bopt_model m;
	model_init(&m);
	for (int64_t i = 0; i < 10000; i++)
		add_point(&m, BOPT_MEMORY, 1, 1, BOPT_STEADY, 1, 1, 1, i);
	cr_assert_eq(m.npoints, 10000);
	cr_assert_eq(m.dropped, 0);
	add_point(&m, BOPT_MEMORY, 1, 1, BOPT_STEADY, 1, 1, 1, 10000);
	cr_assert_eq(m.npoints, 9001);
	cr_assert_eq(m.dropped, 1000);
	cr_assert_eq(m.points[0].timestamp, 1000);
	cr_assert_eq(m.points[9000].timestamp, 10000);
	for (int64_t i = 10001; i < 11001; i++)
		add_point(&m, BOPT_MEMORY, 1, 1, BOPT_STEADY, 1, 1, 1, i);
	cr_assert_eq(m.npoints, 9001);
	cr_assert_eq(m.dropped, 2000);
	cr_assert_eq(m.points[0].timestamp, 2000);
	model_destroy(&m);
}

// Every 5th point of a backend held out; for noise-free data the regression
// is exact on them, while the similarity mean is not.
Test(model, evaluation_holds_out_every_fifth_point)
{
	struct bopt_model m;
	model_init(&m);
	datagen_fill(&m, &(struct datagen_params){.seed = 4, .backend = BOPT_KAFKA}, 53);
	datagen_fill(&m, &(struct datagen_params){.seed = 5, .backend = BOPT_NATS}, 12);
	struct model_eval ev[BOPT_BACKEND_COUNT];
	char err[512];
	cr_assert(model_evaluate(&m, ev, err), "%s", err);
	cr_assert_eq(ev[BOPT_KAFKA].test, 10); // positions 4, 9, ..., 49
	cr_assert_eq(ev[BOPT_KAFKA].train, 43);
	cr_assert(ev[BOPT_KAFKA].target[MODEL_LATENCY].have_regression);
	cr_assert_lt(ev[BOPT_KAFKA].target[MODEL_LATENCY].regression_mae, 1e-6);
	cr_assert_gt(ev[BOPT_KAFKA].target[MODEL_LATENCY].similar_mae, 0.1);
	cr_assert_eq(ev[BOPT_NATS].test, 2);
	cr_assert_eq(ev[BOPT_NATS].train, 10);
	cr_assert(ev[BOPT_NATS].target[MODEL_THROUGHPUT].have_regression);
	cr_assert_eq(ev[BOPT_REDIS].test, 0);
	model_destroy(&m);

	// Four points (positions 0 to 3): none is held out, nothing evaluated.
	model_init(&m);
	datagen_fill(&m, &(struct datagen_params){.seed = 6, .backend = BOPT_REDIS}, 4);
	cr_assert(model_evaluate(&m, ev, err), "%s", err);
	cr_assert_eq(ev[BOPT_REDIS].test, 0);
	cr_assert_eq(ev[BOPT_REDIS].train, 4);
	for (int t = 0; t < MODEL_TARGET_COUNT; t++) {
		cr_assert_not(ev[BOPT_REDIS].target[t].have_regression);
		cr_assert_eq(ev[BOPT_REDIS].target[t].similar_mae, 0.0);
	}
	model_destroy(&m);
}

// A model path that is not a regular file cannot be locked for a rewrite:
// -1, and the message says why.
Test(model, lock_refuses_what_it_cannot_replace)
{
	char dir[] = "/tmp/bopt-model-XXXXXX";
	cr_assert_not_null(mkdtemp(dir));
	char err[BOPT_ERR_MAX] = "", want[BOPT_ERR_MAX];
	cr_assert_eq(model_lock(dir, err), -1);
	snprintf(want, sizeof(want), "%s: not a regular file; bopt replaces only regular files",
		dir);
	cr_assert_str_eq(err, want);
	rmdir(dir);
}
