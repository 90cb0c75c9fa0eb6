#ifndef BOPT_HISTORY_H
#define BOPT_HISTORY_H

/*
 * Decision history: OptimizationDecision records kept as NDJSON, one
 * compact line each, appended with a single locked write; and the
 * reference's OptimizationStats over the last decisions of a history, read
 * in one streaming pass that keeps only a window of small entries.
 *
 * A decision owns its reason and its pattern: history_decision_release
 * frees them, also after a failed parse. A window owns its ring:
 * history_window_release. Stats are plain data.
 */

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "base/jsonw.h"
#include "base/types.h"

// The reference keeps the last 1000 decisions (record_decision).
#define HISTORY_DEFAULT_WINDOW 1000
// calculate_performance_improvements compares the last 10 decisions of the
// window with its first min(10, n - 10).
#define HISTORY_RECENT_COUNT 10
// Longest history line read; a decision is a few KiB.
#define HISTORY_MAX_LINE (1u << 20)

struct bopt_decision {
	int64_t timestamp; // ns since the epoch
	enum bopt_backend selected_backend;
	struct bopt_pattern workload_pattern;
	struct bopt_performance predicted_performance;
	struct bopt_cost cost_model;
	double confidence; // 0..1
	char *reason;      // owned
};

// Fills d with a decision for the backend of `predicted`: copies the
// pattern (with its Custom name) and takes ownership of reason.
void history_decision_init(struct bopt_decision *d, int64_t timestamp,
	const struct bopt_pattern *pattern, const struct bopt_performance *predicted,
	const struct bopt_cost *cost, double confidence, char *reason);
void history_decision_release(struct bopt_decision *d);

// Writes the decision in its serde shape.
void history_write_decision(struct jw *w, const struct bopt_decision *d);
// Formats the decision as one compact JSON line ending in a newline. The
// caller frees the result.
char *history_format(const struct bopt_decision *d, size_t *len);
// Appends the decision to path (created 0644 when missing) with one write(2)
// under an exclusive flock(2): concurrent writers never interleave.
bool history_record(const char *path, const struct bopt_decision *d, char *err);

enum history_line {
	HISTORY_LINE_DECISION,
	HISTORY_LINE_BLANK,
	HISTORY_LINE_INVALID,
};

// Parses one line (without its newline). For an invalid line err holds the
// reason, e.g. "invalid JSON at column 3: expected a value" or "missing
// field \"confidence\"". Release d in every case.
enum history_line history_parse_line(const char *line, size_t len, struct bopt_decision *d,
	char *err);

// OptimizationStats. The improvements are present only when computable
// (see history_window_stats).
struct bopt_stats {
	uint64_t total_decisions;
	uint64_t backend_usage[BOPT_BACKEND_COUNT];
	double average_confidence;
	bool has_latency_improvement, has_throughput_improvement;
	double latency_improvement_percent;    // on predicted p50
	double throughput_improvement_percent; // on predicted throughput
	uint64_t active_backends;              // distinct selected backends
	bool has_last_optimization;
	int64_t last_optimization;             // timestamp of the last decision
};

// What stats needs of one decision.
struct history_entry {
	int64_t timestamp;
	enum bopt_backend backend;
	double confidence;
	double latency_p50; // ms
	double throughput;  // events/s
};

// The last `limit` decisions added, in order. The ring grows with the
// decisions up to limit entries and is then reused.
struct history_window {
	struct history_entry *ring;
	size_t cap, limit;
	size_t head, count; // oldest entry, entries held
};

void history_window_init(struct history_window *w, size_t limit);
void history_window_add(struct history_window *w, const struct bopt_decision *d);
// The stats of the decisions in the window, as the reference computes them
// over its history, except that an improvement is only given when both the
// recent and the older group are non-empty, the older mean is non-zero and
// the result is finite (the reference divides by zero at 10 decisions).
void history_window_stats(const struct history_window *w, struct bopt_stats *out);
void history_window_release(struct history_window *w);

struct history_read_options {
	size_t last;       // window size, at least 1
	bool skip_invalid; // count invalid lines instead of failing
};

// Streams the history files in order ("-" is standard input) and computes
// the stats over the last o->last decisions. *skipped counts skipped lines.
// On failure err holds "FILE:LINE: reason" or "FILE: reason".
bool history_read_stats(char *const *paths, size_t npaths, const struct history_read_options *o,
	struct bopt_stats *out, uint64_t *skipped, char *err);

// Writes the members of the stats in the serde OptimizationStats shape, in
// an object the caller began (and ends).
void history_write_stats_members(struct jw *w, const struct bopt_stats *s);

#endif
