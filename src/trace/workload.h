#ifndef BOPT_WORKLOAD_H
#define BOPT_WORKLOAD_H

/*
 * Where a workload comes from: a trace (analysed here, with the analyze
 * options that every command taking --trace shares) or a pattern file
 * (a serde WorkloadPattern, or the JSON output of bopt analyze).
 * A workload_analysis owns its summary and pattern: workload_release.
 */

#include <getopt.h>
#include <stdbool.h>

#include "base/types.h"
#include "base/util.h"
#include "trace/classify.h"
#include "trace/summary.h"
#include "trace/trace.h"

// The reference's analysis window (PatternAnalyzer::new(hours(1))).
#define WORKLOAD_DEFAULT_WINDOW_S 3600.0

enum {
	OPT_WINDOW = 0x100,
	OPT_SKIP_INVALID,
	OPT_NO_PROGRESS,
	OPT_MAX_DISORDER,
	OPT_INTERLEAVE,
	OPT_CONCAT,
	OPT_STRICT,
	OPT_WORKLOAD_LAST, // commands number their own long options from here
};

// getopt_long entries for the trace options; "j:" goes in the short list.
#define WORKLOAD_LONG_OPTIONS \
	{"window", required_argument, NULL, OPT_WINDOW}, \
	{"skip-invalid", no_argument, NULL, OPT_SKIP_INVALID}, \
	{"jobs", required_argument, NULL, 'j'}, \
	{"no-progress", no_argument, NULL, OPT_NO_PROGRESS}, \
	{"max-disorder", required_argument, NULL, OPT_MAX_DISORDER}, \
	{"interleave", no_argument, NULL, OPT_INTERLEAVE}, \
	{"concat", no_argument, NULL, OPT_CONCAT}, \
	{"strict", no_argument, NULL, OPT_STRICT}

// The lines of --help that describe them.
#define WORKLOAD_OPTIONS_HELP \
	"  -j, --jobs N        worker threads for regular files (default: online cores)\n" \
	"      --window D      analyse only the last D of the trace (e.g. 90s, 15m, 2h, 1d)\n" \
	"      --skip-invalid  count invalid lines instead of stopping at the first\n" \
	"      --no-progress   never show a progress line on standard error\n" \
	"      --max-disorder D  repair disorder up to D behind (default 10s; 0: none)\n" \
	"      --interleave    merge several files by event time (the default)\n" \
	"      --concat        read several files in order as one stream\n" \
	"      --strict        fail when disorder defeats the repair\n"

struct workload_options {
	struct trace_options trace;
	struct classify_options classify;
	bool strict;   // disorder beyond repair is an error
	bool per_file; // keep each file's own summary too
};

void workload_options_init(struct workload_options *o);
// Handles one option of WORKLOAD_LONG_OPTIONS: 1 when it was one, 0 when it
// is not one of them, -1 when its value is bad (the message is printed).
int workload_option(struct workload_options *o, int opt, const char *arg);

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
void workload_release(struct workload_analysis *a);

// Reads a pattern file; the caller releases the pattern with pattern_release.
bool workload_read_pattern(const char *path, struct bopt_pattern *p, char *err);

#endif
