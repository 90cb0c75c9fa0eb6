#include "decide/queue.h"

#include <math.h>
#include <string.h>

const double queue_quantiles[QUEUE_QUANTILES] = {0.5, 0.95, 0.99, 0.999};
const char *const queue_quantile_names[QUEUE_QUANTILES] = {"p50", "p95", "p99", "p99.9"};

/* The sketch: bucket k >= 1 holds waits in (m g^(k-1), m g^k], g = (1 + a)/(1 - a). */

static double gamma_(void)
{
	return (1 + QUEUE_SKETCH_ALPHA) / (1 - QUEUE_SKETCH_ALPHA);
}

static size_t bucket_of(double w)
{
	if (!(w > QUEUE_SKETCH_MIN_S))
		return 0;
	double k = ceil(log(w / QUEUE_SKETCH_MIN_S) / log(gamma_()));
	if (k < 1)
		return 1;
	if (k > QUEUE_SKETCH_BUCKETS - 1)
		return QUEUE_SKETCH_BUCKETS - 1;
	return (size_t)k;
}

// The upper edge of bucket k >= 1.
static double bucket_top(size_t k)
{
	return QUEUE_SKETCH_MIN_S * pow(gamma_(), (double)k);
}

void queue_sketch_init(struct queue_sketch *sk)
{
	memset(sk, 0, sizeof(*sk));
}

void queue_sketch_add(struct queue_sketch *sk, double w, double mass)
{
	if (!(mass > 0))
		return;
	sk->mass[bucket_of(w)] += mass;
	sk->total += mass;
	sk->sum += mass * w;
	if (w > sk->max)
		sk->max = w;
}

void queue_sketch_add_uniform(struct queue_sketch *sk, double a, double b, double mass)
{
	if (!(mass > 0))
		return;
	if (!(b > a)) {
		queue_sketch_add(sk, a, mass);
		return;
	}
	double width = b - a;
	double lump = b * QUEUE_SKETCH_LUMP;
	if (lump < QUEUE_SKETCH_MIN_S)
		lump = QUEUE_SKETCH_MIN_S;
	double from = a;
	if (a < lump) {
		// The small waits, a share (lump - a)/width of the mass, at their middle.
		double share = mass * (lump - a) / width;
		sk->mass[bucket_of((a + lump) / 2)] += share;
		from = lump;
	}
	size_t k = bucket_of(from), last = bucket_of(b);
	double lo = from;
	double top = k == 0 ? QUEUE_SKETCH_MIN_S : bucket_top(k);
	double g = gamma_();
	for (; k <= last; k++, top *= g) {
		double hi = k == last || top > b ? b : top;
		if (hi > lo)
			sk->mass[k] += mass * (hi - lo) / width;
		lo = hi;
	}
	sk->total += mass;
	sk->sum += mass * (a + b) / 2;
	if (b > sk->max)
		sk->max = b;
}

double queue_sketch_quantile(const struct queue_sketch *sk, double q)
{
	if (!(sk->total > 0))
		return 0;
	double rank = q * sk->total, seen = 0;
	for (size_t k = 0; k < QUEUE_SKETCH_BUCKETS; k++) {
		seen += sk->mass[k];
		if (seen >= rank && sk->mass[k] > 0) {
			if (k == 0)
				return 0;
			// The estimate within alpha of every value in the bucket.
			double est = 2 * bucket_top(k) / (gamma_() + 1);
			return est < sk->max ? est : sk->max;
		}
	}
	return sk->max;
}

double queue_sketch_mean(const struct queue_sketch *sk)
{
	return sk->total > 0 ? sk->sum / sk->total : 0;
}

double queue_sketch_above(const struct queue_sketch *sk, double w)
{
	if (!(sk->total > 0))
		return 0;
	double above = 0;
	for (size_t k = bucket_of(w) + 1; k < QUEUE_SKETCH_BUCKETS; k++)
		above += sk->mass[k];
	return above / sk->total;
}

/* Event by event. */

double queue_lindley_next(struct queue_lindley *l, double t, double service)
{
	double w = 0;
	if (l->started) {
		w = l->wait + l->service - (t - l->t);
		if (w < 0)
			w = 0;
	}
	l->started = true;
	l->t = t;
	l->wait = w;
	l->service = service;
	return w;
}

/* On the count series. */

bool queue_run_series(const uint64_t *counts, size_t n, double bin_s,
	const struct queue_model *m, struct queue_sketch *sk, struct queue_result *out)
{
	*out = (struct queue_result){.bin_s = bin_s};
	if (n == 0 || !(bin_s > 0) || !(m->units >= 1) || !(m->unit_eps > 0) || !(m->scale > 0))
		return false;
	double backlog = 0, waiting = 0, peak = 0;
	for (size_t i = 0; i < n; i++) {
		double events = (double)counts[i] * m->scale; // the whole stream's
		if (events == 0) {
			backlog = backlog > bin_s ? backlog - bin_s : 0;
			continue;
		}
		out->events += events;
		// The unit's work arriving in the bin, against bin_s of service.
		double work = events / m->units / m->unit_eps;
		double load = work / bin_s;
		if (load > peak)
			peak = load;
		double end = backlog + work - bin_s;
		if (end >= 0) {
			// The wait runs linearly from backlog to end across the bin.
			double lo = backlog < end ? backlog : end;
			double hi = backlog < end ? end : backlog;
			queue_sketch_add_uniform(sk, lo, hi, events);
			if (hi > 0)
				waiting += events;
			backlog = end;
		} else {
			// It falls from backlog to zero at a share of the bin, then stays.
			double share = backlog / (backlog - end);
			queue_sketch_add_uniform(sk, 0, backlog, events * share);
			queue_sketch_add(sk, 0, events * (1 - share));
			waiting += events * share;
			backlog = 0;
		}
	}
	if (!(out->events > 0))
		return false;
	double span = (double)n * bin_s;
	out->utilisation = out->events / span / (m->units * m->unit_eps);
	out->utilisation_peak = peak;
	out->wait_mean = queue_sketch_mean(sk);
	for (int q = 0; q < QUEUE_QUANTILES; q++)
		out->wait[q] = queue_sketch_quantile(sk, queue_quantiles[q]);
	out->waiting_share = waiting / out->events;
	out->backlog_end = backlog;
	return true;
}

bool queue_predict(const uint64_t *counts, size_t n, double bin_s,
	const struct queue_model *m, const struct bopt_performance *unloaded,
	struct queue_prediction *out)
{
	*out = (struct queue_prediction){0};
	struct queue_sketch sk;
	queue_sketch_init(&sk);
	if (!queue_run_series(counts, n, bin_s, m, &sk, &out->queue))
		return false;
	double base[QUEUE_QUANTILES] = {unloaded->measured_latency_p50,
		unloaded->measured_latency_p95, unloaded->measured_latency_p99,
		unloaded->measured_latency_p99};
	for (int q = 0; q < QUEUE_QUANTILES; q++) {
		out->unloaded_ms[q] = base[q];
		out->latency_ms[q] = base[q] + out->queue.wait[q] * 1e3;
	}
	double p99 = out->latency_ms[QUEUE_P99];
	out->queueing_share = p99 > 0 ? out->queue.wait[QUEUE_P99] * 1e3 / p99 : 0;
	return true;
}
