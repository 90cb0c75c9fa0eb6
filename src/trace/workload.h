#ifndef BOPT_WORKLOAD_H
#define BOPT_WORKLOAD_H

/*
 * Where a workload comes from: a trace (analysed here, with the analyze
 * options that every command taking --trace shares) or a pattern file
 * (a serde WorkloadPattern, or the JSON output of bopt analyze).
 * A workload_analysis owns its summary and pattern: workload_release.
 */

#include <stdbool.h>

#include "base/types.h"
#include "base/util.h"
#include "trace/classify.h"
#include "trace/summary-io.h"
#include "trace/summary.h"
#include "trace/trace.h"

// The reference's analysis window (PatternAnalyzer::new(hours(1))).
#define WORKLOAD_DEFAULT_WINDOW_S 3600.0

struct workload_options {
	struct trace_options trace;
	struct classify_options classify;
	bool strict;   // disorder beyond repair is an error
	bool per_file; // keep each file's own summary too
};

void workload_options_init(struct workload_options *o);

// A file's own analysis (--per-file).
struct workload_file {
	const char *path; // as given
	struct bopt_summary summary;
	struct bopt_features features;
};

struct workload_analysis {
	struct bopt_summary summary;
	struct bopt_pattern pattern;
	struct bopt_features features;
	struct workload_file *files; // per_file: nfiles of them, else NULL
	size_t nfiles;
	// When disorder defeated the repair: what, by how much, what to do.
	char warning[BOPT_ERR_MAX];
};

// Analyses the trace in the files; err holds "FILE:LINE: ..." on failure,
// or, with strict, the warning.
bool workload_analyse(char *const *paths, size_t npaths, const struct workload_options *o,
	struct workload_analysis *a, char *err);
// Merges summary documents (trace/shards.h) into the workload of the whole
// trace; m gets what the merged document says (its disorder horizon).
bool workload_from_summaries(char *const *paths, size_t npaths,
	const struct workload_options *o, struct workload_analysis *a, struct summary_meta *m,
	char *err);
void workload_release(struct workload_analysis *a);

// Reads a pattern file; the caller releases the pattern with pattern_release.
bool workload_read_pattern(const char *path, struct bopt_pattern *p, char *err);

#endif
