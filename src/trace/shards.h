#ifndef BOPT_SHARDS_H
#define BOPT_SHARDS_H

/*
 * Summaries of parts of one trace, made apart (bopt analyze -f summary on
 * other hosts), merged into the summary of the whole: bopt merge. The parts
 * are taken in time order, whatever the order given. When each starts at or
 * after the end of those before it (time-disjoint shards), the merge is
 * exact: the repaired streams join end to end. Otherwise the parts overlap
 * (partitions of one stream) and the merge is their superposition: counts,
 * sizes, variants, the series and the time range exactly; the peak second
 * exactly from the series when its bins are at most a second wide and no
 * part left events beyond repair; the sum of squared gaps by an estimator
 * (bopt(1), SUMMARY DOCUMENTS), and those figures are flagged approximate.
 * Time: linear in the parts and their size, never in the events.
 */

#include <stdbool.h>
#include <stddef.h>

#include "trace/summary-io.h"
#include "trace/summary.h"

// A merge under way: each summary document is read once, its counts,
// sizes and series added at once; a copy of its scalar figures (a few KiB)
// is kept for the order-dependent rest, done in time order at the end.
// Memory: two summaries and the copies. Owns everything: shards_release.
struct shard;
struct shards {
	struct bopt_summary *out; // the caller's, initialised and empty
	struct bopt_summary scratch;
	struct shard *parts;
	size_t n, cap;
};

void shards_begin(struct shards *sh, struct bopt_summary *out);
// Reads one summary document (plain or gzip, "-" for stdin) into the merge;
// path must outlive it (messages name it).
bool shards_add(struct shards *sh, const char *path, char *err);
// Finishes out and fills om; fails when no summary was added or the parts
// were repaired with different horizons.
bool shards_end(struct shards *sh, struct summary_meta *om, char *err);
void shards_release(struct shards *sh);

#endif
