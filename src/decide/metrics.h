#ifndef BOPT_METRICS_H
#define BOPT_METRICS_H

/*
 * Measured backend performance per candidate (a backend plus a
 * configuration label, "" for none): metric snapshots (NDJSON lines of three
 * shapes) folded in time order into a BackendPerformance estimate, whole
 * OpenMessaging Benchmark result files combined as a set (decide/omb.h), or
 * the built-in profiles when nothing is measured. A metrics_set owns its
 * candidates and runs (metrics_release).
 */

#include <cjson/cJSON.h>
#include <stdbool.h>
#include <stdint.h>

#include "base/types.h"
#include "decide/omb.h"

// The reference's update_backend_performance smoothing factor.
#define METRICS_DEFAULT_ALPHA 0.1
// p95 and p99 of a snapshot without them, as multiples of p50 (the
// reference's MLPredictor::predict_performance).
#define METRICS_P95_FACTOR 1.5
#define METRICS_P99_FACTOR 2.0
// The largest figure a snapshot may carry (latency, throughput, resources),
// so that no sum or product of the cost model can overflow to infinity.
#define METRICS_VALUE_MAX 1e15

// One snapshot, parsed.
struct metrics_snapshot {
	enum bopt_backend backend;
	const char *label; // the configuration label, NULL for none
	// A BackendPerformance line: perf replaces the backend's state.
	bool whole;
	struct bopt_performance perf;
	// Otherwise the measured values:
	double p50, p95, p99; // ms
	double throughput;    // events/s
	double reliability;   // 0..1
	bool has_cpu, has_memory, has_connections, has_time;
	double cpu_percent;
	double memory_mb;
	uint32_t connections;
	int64_t time;     // ns since the epoch, when has_time
	uint64_t samples; // 1 for a line, the windows of an OMB result
};

// The longest candidate name metrics_candidate_name writes, with its NUL.
#define METRICS_NAME_MAX 96
// The longest configuration label.
#define METRICS_LABEL_MAX 64

// A backend in one configuration, and what is known of its performance.
struct metrics_candidate {
	enum bopt_backend backend;
	char *label; // "" for none
	struct bopt_performance perf;
	bool omb; // from OMB results: figures holds their combination
	struct omb_figures figures;
};

struct metrics_set {
	double alpha;
	struct metrics_candidate *c; // sorted by backend, then label, after metrics_finish
	size_t n;
	struct omb_run *runs; // the OMB results read, sorted after metrics_finish
	size_t n_runs;
};

void metrics_init(struct metrics_set *m, double alpha);
void metrics_release(struct metrics_set *m);

// The candidate of backend b with label ("" for none), or NULL.
struct metrics_candidate *metrics_find(const struct metrics_set *m, enum bopt_backend b,
	const char *label);
// "RabbitMQ (mirrored)", or the backend name without a label.
void metrics_candidate_name(const struct metrics_candidate *c, char *buf, size_t len);
// A configuration label naming a durable setup (mirrored, quorum, durable,
// persistent, replicated).
bool metrics_label_durable(const char *label);

// Parses one snapshot line (its JSON value); fails with the reason in err.
bool metrics_parse_line(const cJSON *j, struct metrics_snapshot *s, char *err);
// Folds a snapshot into its candidate's estimate: the first initialises it,
// later ones are averaged in with weight alpha. A snapshot without its own
// time is stamped with now.
void metrics_fold(struct metrics_set *m, const struct metrics_snapshot *s, int64_t now);

// Reads a metrics file (NDJSON of snapshots, or one OMB result; plain or
// gzip; "-" is stdin) with a configuration label (NULL: none, or the OMB
// driver's); folds every snapshot and keeps an OMB result for
// metrics_finish. err holds "FILE:LINE: ..." or "FILE: ..." on failure.
bool metrics_load(struct metrics_set *m, const char *path, const char *label, int64_t now,
	char *err);

// After the last metrics_load: combines the OMB results of each candidate
// for events of event_size bytes (0: no size scaling) and sorts the
// candidates. Fails when a candidate has both snapshots and OMB results.
bool metrics_finish(struct metrics_set *m, uint64_t event_size, int64_t now, char *err);

// Fills every backend with its built-in profile.
void metrics_use_profiles(struct metrics_set *m, int64_t now);

size_t metrics_count(const struct metrics_set *m);

#endif
