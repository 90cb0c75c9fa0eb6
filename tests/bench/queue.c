/*
 * bopt-queuebench: what the queueing model costs and how far its count
 * series is from the exact event-level recursion.
 *
 *   bopt-queuebench error            the series model against Lindley's
 *                                    recursion event by event, on generated
 *                                    traces of several shapes
 *   bopt-queuebench cost TRACE...    the trace's analysis, then the queueing
 *                                    of 7 candidates at 5 scales on its
 *                                    series; times, ratio and memory
 *
 * Prints figures; not part of the test suite (tests/bench/queue.sh runs it).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "base/util.h"
#include "decide/queue.h"
#include "trace/summary.h"
#include "trace/workload.h"
#include "tracegen.h"

#define EVENTS 1000000
#define MEAN_RATE 5000.0 // events/s, as the benchmark trace's

static double now_s(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static struct queue_sketch exact_sk, model_sk;

struct shape {
	const char *name;
	struct gen_params p;
};

static double rel(double got, double want)
{
	return want > 0 ? 100 * (got / want - 1) : (got > 0 ? 100 : 0);
}

static int error_table(void)
{
	const struct shape shapes[] = {
		{"poisson", {.process = GEN_POISSON, .rate = MEAN_RATE}},
		{"onoff 0.5s/1.5s", {.process = GEN_ONOFF, .rate = 4 * MEAN_RATE, .on_s = 0.5,
			.off_s = 1.5}},
		{"batches 1s", {.process = GEN_BATCHES, .rate = MEAN_RATE, .period_s = 1,
			.batch_size = (unsigned)MEAN_RATE, .batch_spread_s = 0.05}},
		{"sinusoid 60s", {.process = GEN_SINUSOID, .rate = MEAN_RATE, .amplitude = 0.8,
			.period_s = 60}},
	};
	const double loads[] = {0.5, 0.8, 0.95};
	const double unit_counts[] = {1, 4};
	int64_t *t = xcalloc(EVENTS, sizeof(*t));
	uint64_t *counts = xcalloc(SERIES_CAP, sizeof(*counts));
	printf("%-16s %5s %5s %7s | %10s %10s %10s %10s | %7s %7s %7s %7s\n", "shape", "units",
		"rho", "bin ms", "exact mean", "exact p50", "exact p99", "p99.9", "mean %",
		"p50 %", "p99 %", "p99.9 %");
	for (size_t s = 0; s < sizeof(shapes) / sizeof(shapes[0]); s++) {
		struct gen g;
		struct gen_params p = shapes[s].p;
		p.seed = 1;
		gen_init(&g, &p);
		struct bopt_summary sum;
		summary_init(&sum);
		for (size_t i = 0; i < EVENTS; i++) {
			t[i] = gen_next(&g);
			summary_add(&sum, t[i], 300, 0, NULL, 0);
		}
		summary_flush(&sum);
		size_t bins = series_aggregate(&sum.series, 0, counts, SERIES_CAP);
		double bin_s = series_bin_seconds(&sum.series);
		double span = (double)(t[EVENTS - 1] - t[0]) / 1e9;
		double rate = (double)(EVENTS - 1) / span;
		for (size_t u = 0; u < 2; u++) {
			for (size_t l = 0; l < 3; l++) {
				double n = unit_counts[u], mu = rate / n / loads[l];
				// Exact: event i to unit i mod n, each a Lindley recursion.
				struct queue_lindley lind[4] = {0};
				queue_sketch_init(&exact_sk);
				for (size_t i = 0; i < EVENTS; i++) {
					double at = (double)(t[i] - t[0]) / 1e9;
					queue_sketch_add(&exact_sk,
						queue_lindley_next(&lind[i % (size_t)n], at, 1 / mu), 1);
				}
				struct queue_model m = {.units = n, .unit_eps = mu, .scale = 1};
				struct queue_result r;
				queue_sketch_init(&model_sk);
				queue_run_series(counts, bins, bin_s, &m, &model_sk, &r);
				double e50 = queue_sketch_quantile(&exact_sk, 0.5);
				double e99 = queue_sketch_quantile(&exact_sk, 0.99);
				double e999 = queue_sketch_quantile(&exact_sk, 0.999);
				double emean = queue_sketch_mean(&exact_sk);
				printf("%-16s %5.0f %5.2f %7.3f | %8.3fms %8.3fms %8.3fms %8.3fms | "
					"%+7.1f %+7.1f %+7.1f %+7.1f %+9.3f\n", shapes[s].name, n, loads[l],
					bin_s * 1e3, emean * 1e3, e50 * 1e3, e99 * 1e3, e999 * 1e3,
					rel(r.wait_mean, emean), rel(r.wait[0], e50),
					rel(r.wait[QUEUE_P99], e99), rel(r.wait[3], e999),
					(r.wait[QUEUE_P99] - e99) * 1e3);
			}
		}
		summary_destroy(&sum);
	}
	free(t);
	free(counts);
	return 0;
}

static int cost(char **paths, size_t npaths)
{
	struct workload_options o;
	workload_options_init(&o);
	struct workload_analysis a;
	char err[BOPT_ERR_MAX];
	double best_analyse = 0;
	for (int run = 0; run < 3; run++) {
		double s = now_s();
		if (!workload_analyse(paths, npaths, &o, &a, err)) {
			fprintf(stderr, "bopt-queuebench: %s\n", err);
			return 1;
		}
		double d = now_s() - s;
		if (run == 0 || d < best_analyse)
			best_analyse = d;
		if (run < 2)
			workload_release(&a);
	}
	// What recommend does per trace: the counts once, then 7 candidates at
	// 5 scales, each with a sketch of its own.
	uint64_t *counts = xcalloc(SERIES_CAP, sizeof(*counts));
	double best_queue = 0, p99 = 0;
	const int candidates = 7, scales = 5;
	for (int run = 0; run < 3; run++) {
		double s = now_s();
		size_t bins = series_aggregate(&a.summary.series, 0, counts, SERIES_CAP);
		double bin_s = series_bin_seconds(&a.summary.series);
		for (int c = 0; c < candidates; c++) {
			for (int k = 0; k < scales; k++) {
				double scale = (double)(1 << (2 * k)) / 4; // 0.25 .. 64
				struct queue_model m = {.units = 1 + c, .unit_eps = a.pattern.event_rate /
					(1 + c) / 0.5 * (k + 1), .scale = scale};
				struct queue_result r;
				queue_sketch_init(&model_sk);
				if (queue_run_series(counts, bins, bin_s, &m, &model_sk, &r))
					p99 += r.wait[QUEUE_P99];
			}
		}
		double d = now_s() - s;
		if (run == 0 || d < best_queue)
			best_queue = d;
	}
	printf("events                  %llu\n", (unsigned long long)a.summary.events);
	printf("series                  %u bins of %.3f ms\n", a.summary.series.len,
		series_bin_seconds(&a.summary.series) * 1e3);
	printf("analyse (best of 3)     %.4f s\n", best_analyse);
	printf("queueing, %d runs        %.4f s (%.5f s a run)\n", candidates * scales, best_queue,
		best_queue / (candidates * scales));
	printf("ratio queueing/analyse  %.4f (target <= 0.10: %s)\n", best_queue / best_analyse,
		best_queue / best_analyse <= 0.10 ? "PASS" : "FAIL");
	printf("memory                  %zu bytes: the counts (%zu) and one sketch (%zu)\n",
		SERIES_CAP * sizeof(*counts) + sizeof(struct queue_sketch),
		SERIES_CAP * sizeof(*counts), sizeof(struct queue_sketch));
	printf("(checksum %g)\n", p99);
	free(counts);
	workload_release(&a);
	return 0;
}

int main(int argc, char **argv)
{
	if (argc >= 2 && strcmp(argv[1], "error") == 0)
		return error_table();
	if (argc >= 3 && strcmp(argv[1], "cost") == 0)
		return cost(argv + 2, (size_t)(argc - 2));
	fprintf(stderr, "usage: bopt-queuebench error | cost TRACE...\n");
	return 2;
}
