#ifndef BOPT_MERGE_H
#define BOPT_MERGE_H

/*
 * Several inputs as one trace: the superposition of their events. Each
 * input is read by its own thread into its own summary, through its own
 * disorder repair, which hands its times on in order; a k-way merge takes
 * them in time order into the repaired stream of the whole. Memory: the
 * inputs' repairs share REORDER_CAP, plus MERGE_QUEUE chunks of MERGE_CHUNK
 * times per input. The caller owns every summary.
 */

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "trace/summary.h"
#include "trace/trace.h"

// Times handed from an input's thread to the merge at once, and chunks
// waiting per input: 4 x 64 KiB.
#define MERGE_CHUNK 8192
#define MERGE_QUEUE 4
// One thread per input: beyond this many, --concat or a merge beforehand.
#define MERGE_MAX_INPUTS 256

// Summarises the inputs merged by event time into out (flushed), events
// before cutoff left out. files, when not NULL, holds npaths initialised
// summaries that get each input's own (flushed). On failure err holds the
// error of the first failing input on the command line.
bool merge_summarise(char *const *paths, size_t npaths, const struct trace_options *o,
	int64_t cutoff, struct bopt_summary *out, struct bopt_summary *files, char *err);

#endif
