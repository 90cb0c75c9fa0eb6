#ifndef BOPT_METRICS_H
#define BOPT_METRICS_H

/*
 * Measured backend performance: metric snapshots (NDJSON lines of three
 * shapes, or whole OpenMessaging Benchmark result files) folded per backend
 * into a BackendPerformance estimate, or the built-in profiles when nothing
 * is measured. A metrics_set is plain data owned by the caller; nothing
 * here keeps memory beyond a call.
 */

#include <cjson/cJSON.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "base/types.h"

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

struct metrics_set {
	double alpha;
	bool have[BOPT_BACKEND_COUNT];
	bool builtin[BOPT_BACKEND_COUNT]; // have, from the built-in profile
	struct bopt_performance perf[BOPT_BACKEND_COUNT];
	// Distinct evidence per backend: snapshots, or an OMB result's windows.
	// With dedupe, a snapshot identical to one folded before (the same file
	// given twice) is neither folded nor counted.
	uint64_t evidence[BOPT_BACKEND_COUNT];
	bool dedupe;
	uint64_t *seen; // hash set of the snapshots folded, with dedupe
	size_t n_seen, cap_seen;
};

// metrics_init allocates nothing; after metrics_dedupe the set keeps the
// hashes of what it folded until metrics_release.
void metrics_init(struct metrics_set *m, double alpha);
void metrics_dedupe(struct metrics_set *m);
void metrics_release(struct metrics_set *m);

// Parses one snapshot line (its JSON value); fails with the reason in err.
bool metrics_parse_line(const cJSON *j, struct metrics_snapshot *s, char *err);
// True when the document is an OpenMessaging Benchmark result (an object
// with "driver").
bool metrics_is_omb(const cJSON *j);
bool metrics_parse_omb(const cJSON *j, struct metrics_snapshot *s, char *err);

// Folds a snapshot into its backend's estimate: the first initialises it,
// later ones are averaged in with weight alpha. A snapshot without its own
// time is stamped with now.
void metrics_fold(struct metrics_set *m, const struct metrics_snapshot *s, int64_t now);

// Reads a metrics file (NDJSON of snapshots, or one OMB result; plain or
// gzip; "-" is stdin) and folds every snapshot; err holds "FILE:LINE: ..."
// or "FILE: ..." on failure.
bool metrics_load(struct metrics_set *m, const char *path, int64_t now, char *err);

// Fills every backend without an estimate with its built-in profile (the
// first round's with reference) and marks it builtin.
void metrics_use_profiles(struct metrics_set *m, bool reference, int64_t now);

size_t metrics_count(const struct metrics_set *m);

#endif
