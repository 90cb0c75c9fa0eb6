#ifndef BOPT_SUMMARY_IO_H
#define BOPT_SUMMARY_IO_H

/*
 * The summary document: a flushed trace summary as one versioned JSON
 * document (bopt analyze -f summary), which bopt merge reads back. The one
 * place that knows its field names; the format and its version policy are
 * in bopt(1), SUMMARY DOCUMENTS. Its size does not grow with the trace:
 * at most SERIES_CAP series bins, SIZE_BINS size bins, the variants and
 * SUMMARY_DOC_NAMES input names.
 *
 * Writers append to a struct jw; the reader fills an initialised summary
 * (summary_init) and a meta the caller owns, and on failure leaves
 * "FILE: ..." or "FILE:LINE: ..." in err.
 */

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "base/jsonw.h"
#include "trace/summary.h"

// The version this bopt writes and the only one it reads.
#define SUMMARY_SCHEMA_NAME "bopt.summary"
#define SUMMARY_SCHEMA_VERSION 1
// Input names kept (the count is kept whatever it is) and their length.
#define SUMMARY_DOC_NAMES 16
#define SUMMARY_DOC_NAME_MAX 255
// The largest document read (plain, after inflating).
#define SUMMARY_DOC_MAX (64u << 20)

// What a document says beside the summary.
struct summary_meta {
	int64_t horizon_ns; // the --max-disorder the trace was repaired with
	uint64_t inputs;    // trace files (or stdin) summarised
	size_t n_names;     // the first SUMMARY_DOC_NAMES of them
	char names[SUMMARY_DOC_NAMES][SUMMARY_DOC_NAME_MAX + 1];
};

// Adds an input name (display name) to meta: counted, kept if there is room.
void summary_meta_add_input(struct summary_meta *m, const char *name);

void summary_write_doc(struct jw *w, const struct bopt_summary *s, const struct summary_meta *m);
// Reads the document in file path (plain or gzip, "-" for stdin) into s, which
// must be freshly initialised.
bool summary_read_doc(const char *path, struct bopt_summary *s, struct summary_meta *m,
	char *err);

#endif
