/*
 * Queueing: the sketch's quantile error, Lindley's recursion against the
 * M/M/1 and M/D/1 formulas, the count-series model against the event-level
 * recursion, and burstier traffic never waiting less.
 */
#include <criterion/criterion.h>
#include <math.h>
#include <stdlib.h>

#include "decide/queue.h"
#include "tracegen.h"

static struct queue_sketch sk;

Test(queue, sketch_quantiles_within_alpha)
{
	// Exponential waits of mean 1 s at their exact quantiles (i + 0.5)/n:
	// every sketch quantile is within alpha of the value at its rank.
	queue_sketch_init(&sk);
	const int n = 1000000;
	for (int i = 0; i < n; i++)
		queue_sketch_add(&sk, -log(1 - (i + 0.5) / n), 1);
	double qs[] = {0.1, 0.5, 0.9, 0.95, 0.99, 0.999, 0.9999};
	for (size_t j = 0; j < sizeof(qs) / sizeof(qs[0]); j++) {
		double got = queue_sketch_quantile(&sk, qs[j]);
		// The value at rank ceil(q n), exactly.
		double want = -log(1 - (ceil(qs[j] * n) - 1 + 0.5) / n);
		cr_assert(fabs(got / want - 1) <= QUEUE_SKETCH_ALPHA + 1e-9,
			"q %g: %g against %g", qs[j], got, want);
	}
	cr_assert_float_eq(queue_sketch_mean(&sk), 1.0, 1e-3);
}

Test(queue, sketch_uniform_mass)
{
	// Uniform on [0, 2]: quantile q is 2q, within alpha plus the lump.
	queue_sketch_init(&sk);
	queue_sketch_add_uniform(&sk, 0, 2, 1000);
	for (double q = 0.05; q < 1; q += 0.05) {
		double got = queue_sketch_quantile(&sk, q);
		cr_assert(fabs(got / (2 * q) - 1) <= QUEUE_SKETCH_ALPHA + 1e-9, "q %g: %g", q, got);
	}
	cr_assert_float_eq(sk.total, 1000, 1e-9);
	cr_assert_float_eq(queue_sketch_mean(&sk), 1.0, 1e-12);
	cr_assert_float_eq(queue_sketch_above(&sk, 1.0), 0.5, 2 * QUEUE_SKETCH_ALPHA);
}

Test(queue, lindley_by_hand)
{
	// Arrivals at 0, 1, 1.5, 4 s, services 2, 2, 1, 1 s:
	// waits 0, 2 - 1 = 1, 1 + 2 - 0.5 = 2.5, max(0, 2.5 + 1 - 2.5) = 1.
	struct queue_lindley l = {0};
	double t[] = {0, 1, 1.5, 4}, s[] = {2, 2, 1, 1}, want[] = {0, 1, 2.5, 1};
	for (int i = 0; i < 4; i++) {
		double w = queue_lindley_next(&l, t[i], s[i]);
		cr_assert_float_eq(w, want[i], 1e-12, "arrival %d waits %g", i, w);
	}
}

/*
 * Poisson arrivals at rate rho, services of mean 1 (exponential or fixed).
 * The inputs are scaled so that their means are exactly 1/rho and 1 (no
 * error from the realised rates), and each run is averaged with its
 * antithetic twin (uniforms u and 1 - u): the wait is monotone in every
 * input, so the two errors partly cancel. At rho 0.5 and 0.8, 10^6 events
 * pass within 2 % for every seed tried (1..16: worst 0.6 % and 1.3 %). At
 * rho 0.95 the sampling error of 10^6 events is itself about 2 % (worst of
 * 16 seeds 3.8 %, 4 of 8 seeds beyond 2 %), so that load runs 4 x 10^6
 * events, within 2 % for each of seeds 1..8.
 */
struct run {
	double mean;  // s
	double above; // share waiting longer than t
};

// The uniforms of event i: gap and service, u or 1 - u (in (0, 1]).
static void draw(struct gen *g, bool antithetic, double *u, double *v)
{
	double a = gen_uniform(g), b = gen_uniform(g);
	*u = antithetic ? (a > 0 ? a : 1) : 1 - a;
	*v = antithetic ? (b > 0 ? b : 1) : 1 - b;
}

static struct run simulate(double rho, bool exp_service, bool antithetic, double t, long n)
{
	struct gen_params p = {.process = GEN_POISSON, .rate = 1, .seed = 1};
	struct gen g;
	double sg = 0, ss = 0, u, v;
	gen_init(&g, &p);
	for (long i = 0; i < n; i++) {
		draw(&g, antithetic, &u, &v);
		sg += -log(u) / rho;
		ss += exp_service ? -log(v) : 1;
	}
	double fg = (double)n / rho / sg, fs = (double)n / ss;
	struct queue_lindley l = {0};
	struct run r = {0};
	double at = 0;
	gen_init(&g, &p);
	for (long i = 0; i < n; i++) {
		draw(&g, antithetic, &u, &v);
		at += -log(u) / rho * fg;
		double w = queue_lindley_next(&l, at, (exp_service ? -log(v) : 1) * fs);
		r.mean += w;
		r.above += w > t;
	}
	r.mean /= (double)n;
	r.above /= (double)n;
	return r;
}

static struct run simulate_pair(double rho, bool exp_service, double t, long n)
{
	struct run a = simulate(rho, exp_service, false, t, n);
	struct run b = simulate(rho, exp_service, true, t, n);
	return (struct run){(a.mean + b.mean) / 2, (a.above + b.above) / 2};
}

static const double loads[] = {0.5, 0.8, 0.95};

static long events(double rho)
{
	return rho > 0.9 ? 4000000 : 1000000;
}

Test(queue, mm1_mean_and_tail, .timeout = 120)
{
	for (size_t i = 0; i < 3; i++) {
		double rho = loads[i], mu = 1, lambda = rho * mu;
		// P(W > t) = rho e^-(mu - lambda) t: rho / 2 at t = ln 2 / (mu - lambda).
		double t = log(2) / (mu - lambda);
		struct run r = simulate_pair(rho, true, t, events(rho));
		double mean = rho / (mu - lambda);
		cr_assert(fabs(r.mean / mean - 1) <= 0.02, "rho %g: mean wait %g against %g",
			rho, r.mean, mean);
		cr_assert(fabs(r.above / (rho / 2) - 1) <= 0.02, "rho %g: P(W > %g) %g against %g",
			rho, t, r.above, rho / 2);
	}
}

Test(queue, md1_mean, .timeout = 120)
{
	for (size_t i = 0; i < 3; i++) {
		double rho = loads[i], mu = 1;
		struct run r = simulate_pair(rho, false, 0, events(rho));
		double mean = rho / (2 * mu * (1 - rho));
		cr_assert(fabs(r.mean / mean - 1) <= 0.02, "rho %g: mean wait %g against %g",
			rho, r.mean, mean);
	}
}

/* The count-series model. */

#define BINS 4096
static uint64_t counts[BINS];

Test(queue, series_even_load_never_waits)
{
	// 100 events in every 10 ms bin is 10,000 events/s against 12,000.
	for (int i = 0; i < BINS; i++)
		counts[i] = 100;
	struct queue_model m = {.units = 4, .unit_eps = 3000, .scale = 1};
	struct queue_result r;
	queue_sketch_init(&sk);
	cr_assert(queue_run_series(counts, BINS, 0.01, &m, &sk, &r));
	cr_assert_float_eq(r.utilisation, 10000.0 / 12000, 1e-12);
	cr_assert_float_eq(r.wait[QUEUE_P99], 0, 1e-15);
	cr_assert_float_eq(r.waiting_share, 0, 1e-15);
	cr_assert_float_eq(r.events, 100.0 * BINS, 1e-6);
}

Test(queue, series_burst_by_hand)
{
	// One bin of 1 s holds 3000 events against 1000/s on 1 unit: the wait
	// grows evenly from 0 to 2 s; the next bins are empty and drain it.
	uint64_t c[4] = {3000, 0, 0, 0};
	struct queue_model m = {.units = 1, .unit_eps = 1000, .scale = 1};
	struct queue_result r;
	queue_sketch_init(&sk);
	cr_assert(queue_run_series(c, 4, 1.0, &m, &sk, &r));
	cr_assert_float_eq(r.wait_mean, 1.0, 1e-12);
	cr_assert(fabs(r.wait[QUEUE_P99] / 1.98 - 1) <= QUEUE_SKETCH_ALPHA);
	cr_assert_float_eq(r.utilisation_peak, 3.0, 1e-12);
	cr_assert_float_eq(r.utilisation, 0.75, 1e-12);
	cr_assert_float_eq(r.backlog_end, 0, 1e-12);
	// The same events spread over 3 units of 1000/s never wait.
	m.units = 3;
	queue_sketch_init(&sk);
	cr_assert(queue_run_series(c, 4, 1.0, &m, &sk, &r));
	cr_assert_float_eq(r.wait_mean, 0, 1e-12);
	// At scale 2 on those 3 units: from 0 to 1 s.
	m.scale = 2;
	queue_sketch_init(&sk);
	cr_assert(queue_run_series(c, 4, 1.0, &m, &sk, &r));
	cr_assert_float_eq(r.wait_mean, 0.5, 1e-12);
	cr_assert_float_eq(r.events, 6000, 1e-9);
}

Test(queue, series_rejects_unusable_models)
{
	uint64_t c[1] = {1};
	struct queue_result r;
	struct queue_model bad[] = {
		{.units = 0, .unit_eps = 1, .scale = 1},
		{.units = 1, .unit_eps = 0, .scale = 1},
		{.units = 1, .unit_eps = 1, .scale = 0},
	};
	for (size_t i = 0; i < 3; i++)
		cr_assert_not(queue_run_series(c, 1, 1.0, &bad[i], &sk, &r));
	struct queue_model ok = {.units = 1, .unit_eps = 1, .scale = 1};
	cr_assert_not(queue_run_series(c, 0, 1.0, &ok, &sk, &r));
	uint64_t zero[1] = {0};
	cr_assert_not(queue_run_series(zero, 1, 1.0, &ok, &sk, &r));
}

// Counts per bin of bin_s of a generated process over BINS bins.
static void bin_process(const struct gen_params *p, double bin_s, uint64_t *c)
{
	struct gen g;
	gen_init(&g, p);
	for (int i = 0; i < BINS; i++)
		c[i] = 0;
	for (;;) {
		double t = (double)(gen_next(&g) - p->start_ns) / 1e9;
		size_t b = (size_t)(t / bin_s);
		if (b >= BINS)
			break;
		c[b]++;
	}
}

Test(queue, burstier_never_waits_less)
{
	// Poisson at 1000/s against on/off bursts of the same mean rate (on
	// half the time at 2000/s), on 1 to 8 units of 300 to 1500 events/s
	// each, wherever they carry the mean rate: the bursty trace's p99 is never below the Poisson trace's.
	static uint64_t bursty[BINS];
	double bin_s = 0.01;
	struct gen_params poisson = {.process = GEN_POISSON, .rate = 1000, .seed = 3};
	struct gen_params onoff = {.process = GEN_ONOFF, .rate = 2000, .on_s = 0.5,
		.off_s = 0.5, .seed = 3};
	bin_process(&poisson, bin_s, counts);
	bin_process(&onoff, bin_s, bursty);
	for (double units = 1; units <= 8; units++) {
		for (double mu = 300; mu <= 1500; mu += 100) {
			if (units * mu <= 1000)
				continue; // overloaded: both queues grow without bound
			struct queue_model m = {.units = units, .unit_eps = mu, .scale = 1};
			struct queue_result a, b;
			queue_sketch_init(&sk);
			bool oka = queue_run_series(counts, BINS, bin_s, &m, &sk, &a);
			queue_sketch_init(&sk);
			bool okb = queue_run_series(bursty, BINS, bin_s, &m, &sk, &b);
			cr_assert(oka && okb);
			cr_assert(b.wait[QUEUE_P99] >= a.wait[QUEUE_P99],
				"%g units of %g/s: bursty p99 %g below Poisson %g", units, mu,
				b.wait[QUEUE_P99], a.wait[QUEUE_P99]);
		}
	}
}

Test(queue, series_more_capacity_never_waits_more)
{
	// The --scale sweep's property: p99 never falls as the load grows.
	struct gen_params onoff = {.process = GEN_ONOFF, .rate = 2000, .on_s = 0.2,
		.off_s = 0.8, .seed = 5};
	bin_process(&onoff, 0.01, counts);
	double last = 0;
	for (double scale = 0.25; scale <= 8; scale *= 2) {
		struct queue_model m = {.units = 2, .unit_eps = 400, .scale = scale};
		struct queue_result r;
		queue_sketch_init(&sk);
		cr_assert(queue_run_series(counts, BINS, 0.01, &m, &sk, &r));
		cr_assert(r.wait[QUEUE_P99] >= last, "scale %g: p99 %g after %g", scale,
			r.wait[QUEUE_P99], last);
		last = r.wait[QUEUE_P99];
	}
	cr_assert(last > 0);
}

Test(queue, predict_adds_the_wait_to_the_unloaded_latency)
{
	// The burst of series_burst_by_hand: waits uniform on [0, 2 s] for
	// 3000 of 3000 events; p50 1 s, p99 1.98 s, each within alpha.
	uint64_t c[4] = {3000, 0, 0, 0};
	struct queue_model m = {.units = 1, .unit_eps = 1000, .scale = 1};
	struct bopt_performance perf = {.measured_latency_p50 = 5, .measured_latency_p95 = 9,
		.measured_latency_p99 = 20};
	struct queue_prediction p;
	cr_assert(queue_predict(c, 4, 1.0, &m, &perf, &p));
	cr_assert_float_eq(p.unloaded_ms[0], 5, 1e-12);
	cr_assert_float_eq(p.unloaded_ms[3], 20, 1e-12); // p99.9 falls back to p99
	cr_assert(fabs((p.latency_ms[0] - 5) / 1000 - 1) <= QUEUE_SKETCH_ALPHA);
	cr_assert(fabs((p.latency_ms[QUEUE_P99] - 20) / 1980 - 1) <= QUEUE_SKETCH_ALPHA);
	cr_assert_float_eq(p.queueing_share,
		(p.latency_ms[QUEUE_P99] - 20) / p.latency_ms[QUEUE_P99], 1e-12);
	// Without waiting, the prediction is the unloaded latency.
	m.units = 3;
	cr_assert(queue_predict(c, 4, 1.0, &m, &perf, &p));
	cr_assert_float_eq(p.latency_ms[QUEUE_P99], 20, 1e-12);
	cr_assert_float_eq(p.queueing_share, 0, 1e-12);
}
