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
#include <stddef.h>
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
	uint64_t samples; // 1: a line
};

// The longest candidate name metrics_candidate_name writes, with its NUL.
#define METRICS_NAME_MAX 96
// The longest configuration label.
#define METRICS_LABEL_MAX 64

// Where an OMB candidate's latency came from.
enum metrics_latency_source {
	METRICS_LATENCY_OWN,     // its own latency runs
	METRICS_LATENCY_BACKEND, // none of its own: the latency runs of the same
	                         // backend's other configurations
	METRICS_LATENCY_PROFILE, // no latency run of the backend: the built-in profile
};

// A backend in one configuration, and what is known of its performance.
struct metrics_candidate {
	enum bopt_backend backend;
	char *label; // "" for none
	struct bopt_performance perf;
	bool builtin; // the built-in profile: nothing measured
	// Distinct evidence: snapshots folded, or the windows of the OMB runs.
	uint64_t evidence;
	bool omb; // from OMB results: figures holds their combination
	struct omb_figures figures;
	enum metrics_latency_source latency_from;
	// METRICS_LATENCY_BACKEND: the latency runs it borrowed, combined.
	struct omb_figures borrowed;
};

struct metrics_set {
	double alpha;
	struct metrics_candidate *c; // sorted by backend, then label, after metrics_finish
	size_t n;
	struct omb_run *runs; // the OMB results read, sorted after metrics_finish
	size_t n_runs;
	// With dedupe, a snapshot identical to one folded before into the same
	// candidate (the same file given twice) is neither folded nor counted.
	// An OMB run identical to another (the same file twice) is dropped
	// either way: the runs are a set.
	bool dedupe;
	uint64_t *seen; // hash set of the snapshots folded, with dedupe
	size_t n_seen, cap_seen;
};

// metrics_init allocates nothing; candidates, runs and, after
// metrics_dedupe, the hashes of what was folded are the set's until
// metrics_release.
void metrics_init(struct metrics_set *m, double alpha);
void metrics_dedupe(struct metrics_set *m);
void metrics_release(struct metrics_set *m);

// The candidate of backend b with label ("" for none), or NULL.
struct metrics_candidate *metrics_find(const struct metrics_set *m, enum bopt_backend b,
	const char *label);
// Whether backend b has a candidate (any label).
bool metrics_has_backend(const struct metrics_set *m, enum bopt_backend b);
// "RabbitMQ (mirrored)", or the backend name without a label.
void metrics_candidate_name(const struct metrics_candidate *c, char *buf, size_t len);
// The measured throughput that sizes the candidate's capacity plan (events/s;
// 0 for a built-in profile: the plan then takes the cited unit rates).
double metrics_candidate_sizing(const struct metrics_candidate *c);
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

// After the last metrics_load: drops repeated OMB runs, combines the runs
// of each candidate for events of event_size bytes (0: no size scaling) on
// the built-in profile (the first round's with reference), gives a
// candidate without latency runs the latency of its backend's other
// configurations' (else the profile's), and sorts the candidates. Fails
// when a candidate has both snapshots and OMB results.
bool metrics_finish(struct metrics_set *m, uint64_t event_size, bool reference, int64_t now,
	char *err);

// Adds a builtin candidate with the built-in profile (the first round's
// with reference) for every backend that has none, keeping the order.
void metrics_use_profiles(struct metrics_set *m, bool reference, int64_t now);

size_t metrics_count(const struct metrics_set *m);

#endif
