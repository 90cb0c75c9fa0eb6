#ifndef BOPT_SUMMARY_H
#define BOPT_SUMMARY_H

/*
 * The trace summary: everything analyze learns from a trace, kept in memory
 * that does not grow with its length, and mergeable: a trace is cut into
 * blocks, each block is summarised on its own (possibly by another thread)
 * and the summaries are merged in trace order. A block counts what does not
 * depend on order and keeps its event times; the merge puts them through
 * the summary's disorder repair (trace/reorder.h), which feeds the repaired
 * stream: the gaps and the events per second. Classification
 * (trace/classify.h) turns the final summary into a WorkloadPattern.
 *
 * A summary owns its buffers: summary_init allocates, summary_destroy frees
 * (also a zeroed or half-initialised one).
 */

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "base/types.h"
#include "trace/reorder.h"
#include "trace/variant.h"

// 128-bit arithmetic keeps the gap moments exact, whatever the blocks.
__extension__ typedef unsigned __int128 bopt_u128;

// Unknown variant names kept apart by name; beyond this many, lumped.
#define SUMMARY_MAX_OTHER_VARIANTS 32
#define SUMMARY_VARIANT_NAME_MAX 64

// The event-count series: bins of 2^shift series units (1/1024 s), at most
// SERIES_CAP of them; it halves its resolution when a trace outgrows it.
#define SERIES_UNITS_PER_SEC 1024
#define SERIES_CAP (1u << 16)
// Where bin i of a series sits in its ring.
#define SERIES_SLOT(i) ((size_t)((uint64_t)(i) & (SERIES_CAP - 1)))

struct series {
	int shift;
	int64_t lo;    // index of the first bin, in bins of the current width
	uint32_t len;  // bins in use: [lo, lo + len)
	uint64_t *bins;    // ring of SERIES_CAP: bin i at bins[i & (SERIES_CAP - 1)]
	uint64_t *scratch; // SERIES_CAP, for coarsening
};

// Record sizes: exact below SIZE_EXACT (2^SIZE_EXACT_BITS), then 64 bins
// per power of two.
#define SIZE_EXACT_BITS 12
#define SIZE_EXACT (1u << SIZE_EXACT_BITS)
#define SIZE_SUB_BITS 6
#define SIZE_BINS (SIZE_EXACT + (64 - SIZE_EXACT_BITS) * (1u << SIZE_SUB_BITS))

// Record bytes compressed per sampled block to measure the compression
// ratio, and which blocks are sampled: k % COMPRESSION_SAMPLE_EVERY == 0
// (deflate cost 18 % of the time when every block was sampled).
#define COMPRESSION_SAMPLE_BYTES (64 * 1024)
#define COMPRESSION_SAMPLE_EVERY 16

// Inter-arrival gaps by power of two of ns: bin 0 holds gaps of 0, bin k
// (1..64) gaps in [2^(k-1), 2^k) ns.
#define GAP_BINS 65

struct other_variant {
	char name[SUMMARY_VARIANT_NAME_MAX + 1];
	uint64_t count;
};

struct bopt_summary {
	uint64_t events;         // accepted events
	uint64_t bytes;          // their record bytes, without newlines
	uint64_t skipped;        // invalid lines passed over (--skip-invalid)
	uint64_t outside_window; // valid events before the --window cut-off
	uint64_t variant_counts[BOPT_VARIANT_COUNT];
	struct other_variant others[SUMMARY_MAX_OTHER_VARIANTS];
	size_t n_others;
	uint64_t other_lumped; // unknown names beyond SUMMARY_MAX_OTHER_VARIANTS

	int64_t t_min, t_max; // ns

	// Input order: events earlier than the event before them.
	int64_t in_first, in_last;
	uint64_t out_of_order;

	// The repaired (reordered) stream.
	bool emitted_any;
	int64_t first_emitted, hwm; // hwm: latest time emitted so far
	uint64_t late;      // beyond repair: no gap taken, not in a second's count
	uint64_t n_gaps;
	uint64_t gap_sum;   // ns; gaps are increments of hwm, so this fits
	bopt_u128 gap_sumsq; // ns^2; at most gap_sum^2 < 2^128
	uint64_t gap_hist[GAP_BINS]; // the gaps by power of two (gap_bin)

	// Events per calendar second of the repaired stream.
	int64_t first_sec, cur_sec;
	uint64_t first_sec_count, cur_sec_count, peak_per_sec;

	struct series series;

	uint64_t *size_hist; // SIZE_BINS
	uint64_t size_max;

	uint64_t sample_raw, sample_compressed; // bytes

	// Disorder repaired, from the reorder (or the inputs' reorders).
	uint64_t repaired;    // events behind the latest before them, put in place
	uint64_t forced;      // released before their horizon by the memory cap
	int64_t max_lateness; // ns: the most an event was behind the latest before it

	// Figures estimated by a merge of overlapping summaries (trace/shards.h)
	// rather than counted: the gap moments, the per-second peak.
	bool approx_gaps, approx_peak;
	// gap_hist is not known: a merge of overlapping summaries, or a summary
	// document without one.
	bool gaps_unbinned;

	// The disorder repair in front of the repaired stream.
	struct reorder reorder;
	// Every time released in order is also handed to forward, if set.
	void (*forward)(void *arg, int64_t t);
	void *forward_arg;

	// A block (summary_begin_block) keeps its times, in input order.
	bool block;
	int64_t *times;
	size_t n_times, times_size;
};

// A summary with the default horizon and memory cap (trace/reorder.h).
void summary_init(struct bopt_summary *s);
// Sets the disorder horizon (ns) and the most times held; before any event.
void summary_set_horizon(struct bopt_summary *s, int64_t horizon, size_t cap);
void summary_destroy(struct bopt_summary *s);
// Empties a summary for reuse, keeping its buffers.
void summary_reset(struct bopt_summary *s);
// Empties it to summarise one block of a longer trace: then it is only
// meant to be merged into the summary of the blocks before it.
void summary_begin_block(struct bopt_summary *s);

// Adds one accepted event. variant is an index into bopt_variant_names or
// -1 for an unknown name (then name/name_len say which).
void summary_add(struct bopt_summary *s, int64_t t, size_t size, int variant,
	const char *name, size_t name_len);
// Ends the trace: releases what the disorder repair still holds.
void summary_flush(struct bopt_summary *s);
// Adds a block that follows dst's events in input order: its counts, and
// its times through dst's disorder repair.
void summary_merge(struct bopt_summary *dst, const struct bopt_summary *src);
// Adds the counts of another input's flushed summary (not its order: the
// repaired stream is left alone) and its disorder figures.
void summary_merge_counts(struct bopt_summary *dst, const struct bopt_summary *src);
// Adds the unknown variant names of src (which come after dst's): the one
// part of summary_merge_counts whose result depends on the order.
void summary_merge_others(struct bopt_summary *dst, const struct bopt_summary *src);
// Adds one event of a time-sorted stream to the repaired stream only.
void summary_emit(struct bopt_summary *s, int64_t t);
// Checks that the figures add up (counts, span, peak against mean); on
// failure why says which does not.
bool summary_check(const struct bopt_summary *s, char *why);

void series_add(struct series *s, int64_t t);
// Bin count at level j (2^j bins merged) of the series, M bins at most;
// writes the counts of the aggregated series to out and returns how many.
size_t series_aggregate(const struct series *s, int level, uint64_t *out, size_t max);
// The width of the series' bins, in seconds (1/1024 s, doubled as the
// trace outgrows SERIES_CAP bins).
double series_bin_seconds(const struct series *s);

// The bin of gap_hist that a gap of gap ns falls in.
int gap_bin(uint64_t gap);

// The most events in one calendar second of the repaired stream.
uint64_t summary_peak_rate(const struct bopt_summary *s);

// The size histogram's bin of a record size, and the least size in a bin.
size_t size_bin(uint64_t size);
uint64_t size_bin_floor(size_t bin);

// Event rates per interval of the count series, over the intervals from
// the first event's to the last's (calendar-aligned: multiples of the
// interval since the epoch). The interval is rounded up to whole bins of
// the series (which coarsens past SERIES_CAP bins); interval_s says what
// was used.
struct interval_rates {
	double interval_s;
	size_t intervals;
	double p50, p99, peak; // events/s, nearest rank over the intervals
};
// False when the series is empty (out is zeroed).
bool summary_interval_rates(const struct bopt_summary *s, double interval_s,
	struct interval_rates *out);

struct size_stats {
	double mean;
	uint64_t p50, p99, max;
};
void summary_sizes(const struct bopt_summary *s, struct size_stats *out);

#endif
