#ifndef BOPT_TRACE_H
#define BOPT_TRACE_H

/*
 * Event traces: oxirs StreamEvent NDJSON lines (optionally StoredEvent
 * records) from files or standard input, read in one streaming pass into a
 * bopt_summary. The caller owns the summary (summary_init before,
 * summary_destroy after).
 *
 * The stream is cut into blocks of TRACE_BLOCK_SIZE bytes at line
 * boundaries (block k holds the lines that start in [k B, (k+1) B)); each
 * block is summarised on its own and merged in order, so the result does
 * not depend on how many threads did the work.
 *
 * Several files are merged by event time (trace/merge.h) unless
 * --concat makes them one stream read in order.
 */

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "trace/line.h"
#include "trace/progress.h"
#include "trace/summary.h"

#define TRACE_BLOCK_SIZE (2u << 20)
#define TRACE_MAX_LINE (16u << 20)

struct trace_options {
	bool skip_invalid;
	bool has_window;
	int64_t window_ns; // --window: analyse only the last window_ns of the trace
	int jobs;          // worker threads; 0 = online cores (one fewer for a stream)
	const struct progress_sink *progress; // where to report progress, or NULL
	int64_t max_disorder_ns; // --max-disorder: the disorder repair's horizon
	bool concat;       // --concat: several files are one stream, in order
};

// Summarises the trace made of the given files ("-" is standard input):
// merged by event time, or read in order with o->concat. files, when not
// NULL, holds npaths initialised summaries that get each file's own (not
// with o->concat). On failure err holds "FILE:LINE: reason" or "FILE: reason".
bool trace_summarise(char *const *paths, size_t npaths, const struct trace_options *o,
	struct bopt_summary *out, struct bopt_summary *files, char *err);

// Summarises one input into total (whose horizon is set), events before
// cutoff left out; total is not flushed.
bool trace_summarise_input(const char *path, const struct trace_options *o, int64_t cutoff,
	struct bopt_summary *total, char *err);

#endif
