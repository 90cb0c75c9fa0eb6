#ifndef BOPT_QUEUE_H
#define BOPT_QUEUE_H

/*
 * Queueing: the wait a workload's own arrivals meet on a sized deployment
 * of n units (partitions, shards, queues), fed round-robin, each unit a
 * FIFO server of deterministic service time 1/mu. Waits follow Lindley's
 * recursion, W(k+1) = max(0, W(k) + S(k) - A(k+1)), with S the service
 * time and A the gap between arrivals k and k+1 at the unit.
 *
 * Two drivers of the one server model:
 *  - queue_lindley: event by event, exact for any arrivals and services
 *    (the theory checks and the measured error of the other driver);
 *  - queue_run_series: on a trace's count series (bins of a fixed width,
 *    trace/summary.h), in memory that does not grow with the trace. Within
 *    a bin its events arrive evenly spaced; under round-robin every unit
 *    gets 1/n of them. The unit's virtual wait is then linear across the
 *    bin, and the recursion runs bin by bin on the backlog. Exact when the
 *    arrivals are evenly spaced within each bin; bursts shorter than a bin
 *    are smoothed (bopt(1), QUEUEING, measures the error).
 *
 * Waits go into a queue_sketch: logarithmic buckets, each quantile within
 * QUEUE_SKETCH_ALPHA of the true one (relative) above QUEUE_SKETCH_MIN_S.
 * Everything here is plain data of fixed size; nothing allocates.
 */

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "base/types.h"

// Relative accuracy of the sketch's quantiles, and the range it spans:
// waits up to QUEUE_SKETCH_MIN_S count as none, waits above the top (about
// 32 hours) land in the last bucket.
#define QUEUE_SKETCH_ALPHA 0.01
#define QUEUE_SKETCH_MIN_S 1e-9
#define QUEUE_SKETCH_BUCKETS 1620
// In a bin the virtual wait runs from a to b; the part of it below
// b * QUEUE_SKETCH_LUMP is put at its middle (an absolute error of at most
// b * QUEUE_SKETCH_LUMP / 2 on at most that share of the bin's events).
#define QUEUE_SKETCH_LUMP 1e-3

struct queue_sketch {
	double mass[QUEUE_SKETCH_BUCKETS]; // 0: no wait; k: (m g^(k-1), m g^k]
	double total;
	double sum;   // of mass x wait: the mean's numerator, exact
	double max;
};

void queue_sketch_init(struct queue_sketch *sk);
// Adds mass (events) at wait w (s).
void queue_sketch_add(struct queue_sketch *sk, double w, double mass);
// Adds mass spread evenly over the waits [a, b] (0 <= a <= b).
void queue_sketch_add_uniform(struct queue_sketch *sk, double a, double b, double mass);
// The wait at quantile q in [0, 1] (0 when empty).
double queue_sketch_quantile(const struct queue_sketch *sk, double q);
double queue_sketch_mean(const struct queue_sketch *sk);
// The share of the mass that waits more than w.
double queue_sketch_above(const struct queue_sketch *sk, double w);

// One FIFO server fed event by event.
struct queue_lindley {
	bool started;
	double t;       // s: the last arrival
	double wait;    // s: its wait
	double service; // s: its service time
};

// The wait of an arrival at t (s, non-decreasing) that needs service s.
double queue_lindley_next(struct queue_lindley *l, double t, double service);

// The quantiles every prediction reports: p50, p95, p99, p99.9.
#define QUEUE_QUANTILES 4
extern const double queue_quantiles[QUEUE_QUANTILES];
extern const char *const queue_quantile_names[QUEUE_QUANTILES];
#define QUEUE_P99 2

struct queue_model {
	double units;    // n >= 1, fed round-robin
	double unit_eps; // mu: events/s one unit serves
	double scale;    // every rate times this (--scale, --rate); 1 = as traced
};

struct queue_result {
	double bin_s;            // the series' resolution
	double events;           // offered, after scale
	double utilisation;      // mean offered rate / (n mu)
	double utilisation_peak; // the busiest bin's
	double wait_mean;        // s
	double wait[QUEUE_QUANTILES]; // s
	double waiting_share;    // of events that wait at all
	double backlog_end;      // s of work a unit still holds after the last bin
};

// Runs the model over counts[0..n) (events per bin of bin_s seconds, the
// whole stream's); sk receives every wait. False when the model is unusable
// (no units, no capacity, no bins).
bool queue_run_series(const uint64_t *counts, size_t n, double bin_s,
	const struct queue_model *m, struct queue_sketch *sk, struct queue_result *out);

// A candidate's predicted latency at its sizing: its unloaded latency plus
// the wait its trace meets, quantile by quantile (the sum of quantiles:
// exact when the two are comonotone; usually above the sum's quantile
// otherwise).
// The unloaded p99.9 is the p99 when nothing measured it.
struct queue_prediction {
	struct queue_result queue;
	double unloaded_ms[QUEUE_QUANTILES];
	double latency_ms[QUEUE_QUANTILES];
	double queueing_share; // of the predicted p99, the wait's
};

// A trace's arrivals as the model takes them: its count series (events
// per bin of bin_s seconds, as traced) and the what-if factor on them.
struct queue_arrivals {
	const uint64_t *counts;
	size_t n;
	double bin_s;
	double scale; // --scale or --rate's factor; 1 = as traced
};

// The interface recommend wires to a capacity plan: m->units units of
// m->unit_eps events/s each (the plan's units and capacity / units), the
// trace's counts, and the candidate's unloaded latency (a latency run at
// the lowest offered rate, or the profile). False as queue_run_series.
bool queue_predict(const uint64_t *counts, size_t n, double bin_s,
	const struct queue_model *m, const struct bopt_performance *unloaded,
	struct queue_prediction *out);

#endif
