/*
 * The trace summary: exact statistics, and merging of block summaries that
 * gives the same result as one block for in-order traces.
 */
#include <criterion/criterion.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "base/util.h"
#include "base/jsonw.h"
#include "trace/shards.h"
#include "trace/summary-io.h"
#include "trace/summary.h"
#include "tracegen.h"

#define SEC INT64_C(1000000000)
#define T0 (INT64_C(1784451255) * SEC)

static void feed(struct bopt_summary *s, const int64_t *t, size_t n)
{
	for (size_t i = 0; i < n; i++)
		summary_add(s, t[i], 100 + i % 7, (int)(i % BOPT_VARIANT_COUNT), NULL, 0);
}

Test(summary, exact_gap_moments)
{
	// Gaps 1, 2, 3, 4 ms: mean 2.5 ms, population variance 1.25 ms^2.
	int64_t t[] = {T0, T0 + 1000000, T0 + 3000000, T0 + 6000000, T0 + 10000000};
	struct bopt_summary s;
	summary_init(&s);
	feed(&s, t, 5);
	summary_flush(&s);
	cr_assert_eq(s.n_gaps, 4);
	cr_assert_eq(s.gap_sum, 10000000);
	cr_assert(s.gap_sumsq == (bopt_u128)30 * 1000000000000);
	cr_assert_eq(s.t_min, T0);
	cr_assert_eq(s.t_max, T0 + 10000000);
	cr_assert_eq(summary_peak_rate(&s), 5);
	summary_destroy(&s);
}

Test(summary, reorder_repairs_small_disorder)
{
	// Swapped neighbours: the repaired stream has the gaps of the sorted one.
	int64_t t[] = {T0, T0 + 2 * SEC, T0 + SEC, T0 + 3 * SEC, T0 + 5 * SEC, T0 + 4 * SEC};
	struct bopt_summary s;
	summary_init(&s);
	feed(&s, t, 6);
	summary_flush(&s);
	cr_assert_eq(s.out_of_order, 2);
	cr_assert_eq(s.late, 0);
	cr_assert_eq(s.n_gaps, 5);
	cr_assert_eq(s.gap_sum, 5 * SEC);
	cr_assert(s.gap_sumsq == (bopt_u128)5 * SEC * SEC);
	cr_assert_eq(summary_peak_rate(&s), 1);
	summary_destroy(&s);
}

Test(summary, disorder_beyond_the_horizon_is_late)
{
	// One event a second for 30 s, then one 30 s behind: the default
	// horizon is 10 s, so T0 + 1 s has been released and T0 is late.
	struct bopt_summary s;
	summary_init(&s);
	for (int64_t i = 0; i < 30; i++)
		summary_add(&s, T0 + (i + 1) * SEC, 10, 0, NULL, 0);
	summary_add(&s, T0, 10, 0, NULL, 0);
	summary_flush(&s);
	cr_assert_eq(REORDER_DEFAULT_HORIZON_NS, 10 * SEC);
	cr_assert_eq(s.out_of_order, 1);
	cr_assert_eq(s.late, 1);
	cr_assert_eq(s.repaired, 0);
	cr_assert_eq(s.max_lateness, 30 * SEC);
	cr_assert_eq(s.n_gaps, 29);
	cr_assert_eq(s.events, 31);
	cr_assert_eq(s.t_min, T0);
	char why[BOPT_ERR_MAX];
	cr_assert(summary_check(&s, why), "%s", why);
	summary_destroy(&s);
}

Test(summary, horizon_repairs_up_to_exactly_its_length)
{
	// With a 2 s horizon: 2 s behind is put in place, 2 s + 1 ns is late.
	int64_t t[] = {T0 + 2 * SEC, T0 + 4 * SEC, T0 + 2 * SEC, T0 + 6 * SEC, T0 + 4 * SEC - 1};
	struct bopt_summary s;
	summary_init(&s);
	summary_set_horizon(&s, 2 * SEC, REORDER_CAP);
	feed(&s, t, 5);
	summary_flush(&s);
	cr_assert_eq(s.repaired, 1);
	cr_assert_eq(s.late, 1);
	cr_assert_eq(s.max_lateness, 2 * SEC + 1);
	cr_assert_eq(s.n_gaps, 3);  // 2, 2, 4, 6 s: gaps 0, 2 s, 2 s
	cr_assert_eq(s.gap_sum, 4 * SEC);
	summary_destroy(&s);
}

Test(summary, memory_cap_releases_the_oldest_early)
{
	// A cap of 4 held times: the 5th in-order event releases the oldest
	// before its horizon; an event behind it is then beyond repair.
	struct bopt_summary s;
	summary_init(&s);
	summary_set_horizon(&s, 60 * SEC, 4);
	for (int64_t i = 0; i < 6; i++)
		summary_add(&s, T0 + i * SEC, 10, 0, NULL, 0);
	summary_add(&s, T0 + SEC / 2, 10, 0, NULL, 0); // behind T0 + 1 s, released
	summary_add(&s, T0 + 5 * SEC / 2, 10, 0, NULL, 0); // behind 3 s: in place
	summary_flush(&s);
	cr_assert_eq(s.forced, 3);
	cr_assert_eq(s.late, 1);
	cr_assert_eq(s.repaired, 1);
	cr_assert_eq(s.n_gaps, 6);
	char why[BOPT_ERR_MAX];
	cr_assert(summary_check(&s, why), "%s", why);
	summary_destroy(&s);
}

Test(summary, check_finds_figures_that_do_not_add_up)
{
	int64_t t[] = {T0, T0 + SEC / 4, T0 + SEC / 2, T0 + SEC}; // 3 + 1 in 2 seconds
	struct bopt_summary s;
	summary_init(&s);
	feed(&s, t, 4);
	summary_flush(&s);
	char why[BOPT_ERR_MAX];
	cr_assert(summary_check(&s, why), "%s", why);
	s.late++; // a count that does not match
	cr_assert_not(summary_check(&s, why));
	cr_assert_str_eq(why, "4 events read but 4 in order and 1 beyond repair");
	s.late--;
	cr_assert_eq(summary_peak_rate(&s), 3);
	s.peak_per_sec = s.first_sec_count = s.cur_sec_count = 1; // below the mean
	cr_assert_not(summary_check(&s, why));
	cr_assert_str_eq(why, "a peak of 1 in one second against 4 events in 2 seconds");
	s.peak_per_sec = 2;
	cr_assert(summary_check(&s, why), "%s", why);
	s.peak_per_sec = 5; // more than there are
	cr_assert_not(summary_check(&s, why));
	s.events++;
	cr_assert_not(summary_check(&s, why));
	summary_destroy(&s);
}

Test(summary, size_percentiles_nearest_rank)
{
	struct bopt_summary s;
	summary_init(&s);
	// Sizes 1..100: p50 = 50, p99 = 99; one big record above the exact range.
	for (int i = 1; i <= 100; i++)
		summary_add(&s, T0 + i, (size_t)i, 0, NULL, 0);
	struct size_stats z;
	summary_sizes(&s, &z);
	cr_assert_eq(z.p50, 50);
	cr_assert_eq(z.p99, 99);
	cr_assert_eq(z.max, 100);
	cr_assert_float_eq(z.mean, 50.5, 1e-12);
	summary_add(&s, T0 + 1000, 100000, 0, NULL, 0);
	summary_sizes(&s, &z);
	cr_assert_eq(z.max, 100000);
	cr_assert_eq(z.p99, 100);
	// 100000 = 2^16 + 33.66 * 2^10 lies in [2^16 + 33 * 2^10, 2^16 + 34 * 2^10): its bin's floor.
	for (int i = 0; i < 200; i++)
		summary_add(&s, T0 + 2000 + i, 100000, 0, NULL, 0);
	summary_sizes(&s, &z);
	cr_assert_eq(z.p50, 65536 + 33 * 1024);
	summary_destroy(&s);
}

Test(summary, unknown_variants_counted_by_name)
{
	struct bopt_summary s;
	summary_init(&s);
	summary_add(&s, T0, 10, -1, "CustomThing", 11);
	summary_add(&s, T0 + 1, 10, -1, "CustomThing", 11);
	summary_add(&s, T0 + 2, 10, -1, "Other", 5);
	for (int i = 0; i < SUMMARY_MAX_OTHER_VARIANTS + 3; i++) {
		char name[16];
		int n = snprintf(name, sizeof(name), "V%d", i);
		summary_add(&s, T0 + 3 + i, 10, -1, name, (size_t)n);
	}
	cr_assert_eq(s.n_others, SUMMARY_MAX_OTHER_VARIANTS);
	cr_assert_str_eq(s.others[0].name, "CustomThing");
	cr_assert_eq(s.others[0].count, 2);
	cr_assert_eq(s.other_lumped, 5);
	summary_destroy(&s);
}

Test(summary, variant_lookup_knows_all_42)
{
	for (int i = 0; i < BOPT_VARIANT_COUNT; i++) {
		const char *n = bopt_variant_names[i];
		cr_assert_eq(variant_lookup(n, strlen(n)), i, "%s", n);
		if (i > 0)
			cr_assert(strcmp(bopt_variant_names[i - 1], n) < 0);
	}
	cr_assert_eq(variant_lookup("Triple", 6), -1);
	cr_assert_eq(variant_lookup("TripleAddedX", 12), -1);
	cr_assert(variant_is_complex(variant_lookup("SparqlUpdate", 12)));
	cr_assert(variant_is_transactional(variant_lookup("TransactionAbort", 16)));
	cr_assert_not(variant_is_transactional(variant_lookup("TripleAdded", 11)));
}

static void summarise_split(const int64_t *t, size_t n, const size_t *cuts, size_t ncuts,
	struct bopt_summary *out)
{
	struct bopt_summary block;
	summary_init(&block);
	size_t start = 0;
	for (size_t c = 0; c <= ncuts; c++) {
		size_t end = c < ncuts ? cuts[c] : n;
		summary_begin_block(&block);
		for (size_t i = start; i < end; i++)
			summary_add(&block, t[i], 100 + i % 13, (int)(i % 5), NULL, 0);
		summary_flush(&block);
		summary_merge(out, &block);
		start = end;
	}
	summary_flush(out);
	summary_destroy(&block);
}

static void assert_same(const struct bopt_summary *a, const struct bopt_summary *b)
{
	cr_assert_eq(a->events, b->events);
	cr_assert_eq(a->bytes, b->bytes);
	cr_assert_eq(a->t_min, b->t_min);
	cr_assert_eq(a->t_max, b->t_max);
	cr_assert_eq(a->n_gaps, b->n_gaps);
	cr_assert_eq(a->gap_sum, b->gap_sum);
	cr_assert(a->gap_sumsq == b->gap_sumsq);
	cr_assert_eq(a->out_of_order, b->out_of_order);
	cr_assert_eq(a->late, b->late);
	cr_assert_eq(summary_peak_rate(a), summary_peak_rate(b));
	cr_assert_eq(a->series.shift, b->series.shift);
	cr_assert_eq(a->series.lo, b->series.lo);
	cr_assert_eq(a->series.len, b->series.len);
	for (int64_t i = a->series.lo; i < a->series.lo + a->series.len; i++)
		cr_assert_eq(a->series.bins[i & (SERIES_CAP - 1)], b->series.bins[i & (SERIES_CAP - 1)]);
	cr_assert_eq(memcmp(a->variant_counts, b->variant_counts, sizeof(a->variant_counts)), 0);
	cr_assert_eq(memcmp(a->size_hist, b->size_hist, SIZE_BINS * sizeof(uint64_t)), 0);
}

Test(summary, merge_of_blocks_equals_one_pass)
{
	enum { N = 300000 };
	int64_t *t = malloc(N * sizeof(*t));
	struct gen g;
	// Poisson at 200/s over ~25 minutes: the series coarsens several times.
	gen_init(&g, &(struct gen_params){.process = GEN_POISSON, .rate = 200, .seed = 3,
		.start_ns = T0});
	for (size_t i = 0; i < N; i++)
		t[i] = gen_next(&g);
	struct bopt_summary one, many;
	summary_init(&one);
	summary_init(&many);
	summarise_split(t, N, NULL, 0, &one);
	size_t cuts[] = {1, 2, 977, 50000, 50001, 123456, 299999};
	summarise_split(t, N, cuts, sizeof(cuts) / sizeof(cuts[0]), &many);
	assert_same(&one, &many);
	cr_assert_gt(one.series.shift, 0);
	summary_destroy(&one);
	summary_destroy(&many);
	free(t);
}

Test(summary, peak_rate_joins_a_second_split_between_blocks)
{
	// 3 events in second 0, 5 in second 1 (2 + 3 across the cut), 1 in second 2.
	int64_t t[] = {T0, T0 + 1, T0 + 2, T0 + SEC, T0 + SEC + 1, T0 + SEC + 2,
		T0 + SEC + 3, T0 + SEC + 4, T0 + 2 * SEC};
	size_t cut[] = {5};
	struct bopt_summary s;
	summary_init(&s);
	summarise_split(t, 9, cut, 1, &s);
	cr_assert_eq(summary_peak_rate(&s), 5);
	summary_destroy(&s);
}

Test(summary, series_counts_every_event)
{
	struct bopt_summary s;
	summary_init(&s);
	// Spread over ~200 days at a coarse width, plus dense bursts.
	uint64_t n = 0;
	for (int64_t d = 0; d < 200; d++)
		for (int k = 0; k < 50; k++, n++)
			summary_add(&s, T0 + d * 86400 * SEC + k * 1000, 10, 0, NULL, 0);
	uint64_t total = 0;
	for (int64_t i = s.series.lo; i < s.series.lo + s.series.len; i++)
		total += s.series.bins[i & (SERIES_CAP - 1)];
	cr_assert_eq(total, n);
	cr_assert_leq(s.series.len, SERIES_CAP);
	// Reaching back before the first bin works too.
	summary_add(&s, T0 - 400 * 86400 * SEC, 10, 0, NULL, 0);
	total = 0;
	for (int64_t i = s.series.lo; i < s.series.lo + s.series.len; i++)
		total += s.series.bins[i & (SERIES_CAP - 1)];
	cr_assert_eq(total, n + 1);
	summary_destroy(&s);
}

static void expect_repaired(const int64_t *sorted, const int64_t *fed, size_t n)
{
	struct bopt_summary s;
	summary_init(&s);
	for (size_t i = 0; i < n; i++)
		summary_add(&s, fed[i], 10, 0, NULL, 0);
	summary_flush(&s);
	uint64_t sum = 0;
	bopt_u128 sq = 0;
	for (size_t i = 1; i < n; i++) {
		uint64_t g = (uint64_t)(sorted[i] - sorted[i - 1]);
		sum += g;
		sq += (bopt_u128)g * g;
	}
	cr_assert_eq(s.late, 0);
	cr_assert_eq(s.n_gaps, n - 1);
	cr_assert_eq(s.gap_sum, sum);
	cr_assert(s.gap_sumsq == sq);
	summary_destroy(&s);
}

Test(summary, reorder_sorts_any_order_within_the_window)
{
	enum { N = 4096 }; // over ~4 ms, well within the horizon
	int64_t sorted[N], fed[N];
	uint64_t x = 12345;
	for (size_t i = 0; i < N; i++) {
		x = x * 6364136223846793005ULL + 1442695040888963407ULL;
		sorted[i] = T0 + (int64_t)i * 1024 + (int64_t)(x >> 54); // increasing
	}
	for (size_t i = 0; i < N; i++)
		fed[i] = sorted[N - 1 - i]; // reversed
	expect_repaired(sorted, fed, N);
	memcpy(fed, sorted, sizeof(fed));
	for (size_t i = N - 1; i > 0; i--) { // shuffled (Fisher-Yates)
		x = x * 6364136223846793005ULL + 1442695040888963407ULL;
		size_t j = (size_t)((x >> 33) % (i + 1));
		int64_t t = fed[i];
		fed[i] = fed[j];
		fed[j] = t;
	}
	expect_repaired(sorted, fed, N);
	for (size_t i = 0; i < N; i++) // alternating ends: every insert in the middle
		fed[i] = i % 2 ? sorted[i / 2] : sorted[N - 1 - i / 2];
	expect_repaired(sorted, fed, N);
}

// Blocks of one event each still carry the input order: block B (one event
// at 10 s) is followed by block C (one at 5 s), which is out of order.
Test(summary, one_event_blocks_keep_the_input_order)
{
	const int64_t a[] = {T0 + 1 * SEC, T0 + 2 * SEC}, b[] = {T0 + 10 * SEC},
		c[] = {T0 + 5 * SEC};
	struct bopt_summary total, block;
	summary_init(&total);
	summary_init(&block);
	feed(&total, a, 2);
	const int64_t *blocks[] = {b, c};
	for (int i = 0; i < 2; i++) {
		summary_begin_block(&block);
		feed(&block, blocks[i], 1);
		summary_merge(&total, &block);
	}
	summary_flush(&total);
	cr_assert_eq(total.events, 4);
	cr_assert_eq(total.out_of_order, 1);
	summary_destroy(&block);
	summary_destroy(&total);
}

// Unknown names merge by name: counts of a name both blocks know add up,
// a name only the later block knows comes after the earlier ones.
Test(summary, unknown_variants_merge_by_name)
{
	struct bopt_summary a, b;
	summary_init(&a);
	summary_init(&b);
	summary_add(&a, T0, 10, -1, "CustomThing", 11);
	summary_begin_block(&b);
	summary_add(&b, T0 + 1, 10, -1, "Other", 5);
	summary_add(&b, T0 + 2, 10, -1, "CustomThing", 11);
	summary_add(&b, T0 + 3, 10, -1, "Other", 5);
	summary_merge(&a, &b);
	cr_assert_eq(a.n_others, 2);
	cr_assert_str_eq(a.others[0].name, "CustomThing");
	cr_assert_eq(a.others[0].count, 2);
	cr_assert_str_eq(a.others[1].name, "Other");
	cr_assert_eq(a.others[1].count, 2);
	cr_assert_eq(a.events, 4);
	summary_destroy(&a);
	summary_destroy(&b);
}

Test(summary, gap_histogram_by_power_of_two)
{
	// Gaps 1, 2, 3, 4 ms and 0: 1 ms = 1000000 ns lies in [2^19, 2^20), bin 20;
	// 2 ms in [2^20, 2^21), bin 21; 3 and 4 ms in [2^21, 2^22 = 4194304), bin 22.
	int64_t t[] = {T0, T0 + 1000000, T0 + 3000000, T0 + 6000000, T0 + 10000000, T0 + 10000000};
	struct bopt_summary s;
	char why[BOPT_ERR_MAX];
	summary_init(&s);
	feed(&s, t, 6);
	summary_flush(&s);
	cr_assert_eq(gap_bin(0), 0);
	cr_assert_eq(gap_bin(1), 1);
	cr_assert_eq(gap_bin(2), 2);
	cr_assert_eq(gap_bin(3), 2);
	cr_assert_eq(gap_bin(UINT64_MAX), 64);
	cr_assert_eq(s.gap_hist[0], 1); // the same instant twice
	cr_assert_eq(s.out_of_order, 0); // which is not out of order
	cr_assert_eq(s.gap_hist[20], 1);
	cr_assert_eq(s.gap_hist[21], 1);
	cr_assert_eq(s.gap_hist[22], 2);
	cr_assert(summary_check(&s, why), "%s", why);
	s.gap_hist[3]++;
	cr_assert_not(summary_check(&s, why));
	s.gap_hist[3]--;
	s.t_max = s.t_min - 1;
	cr_assert_not(summary_check(&s, why));
	cr_assert_str_eq(why, "the last event precedes the first");
	summary_destroy(&s);
}

// Writes s as a summary document to a new temporary file; with drop, the
// document loses its gap histogram (as documents from before it had none).
static void write_doc(const struct bopt_summary *s, char *path, bool drop)
{
	struct summary_meta m = {.horizon_ns = REORDER_DEFAULT_HORIZON_NS};
	summary_meta_add_input(&m, "trace.ndjson");
	struct jw w;
	size_t len;
	jw_init(&w, false);
	summary_write_doc(&w, s, &m);
	char *text = jw_take(&w, &len);
	if (drop) {
		char *at = strstr(text, "\"gap_histogram\":");
		cr_assert(at != NULL);
		char *end = strstr(at, "]],") + 3;
		memmove(at, end, strlen(end) + 1);
	}
	int fd = mkstemp(path);
	cr_assert(fd >= 0);
	FILE *f = fdopen(fd, "w");
	fputs(text, f);
	fclose(f);
	free(text);
}

static void summarise(struct bopt_summary *s, const int64_t *t, size_t n)
{
	summary_init(s);
	feed(s, t, n);
	summary_flush(s);
}

Test(summary, gap_histogram_through_documents_and_merges)
{
	// Two time-disjoint shards: the merge has every gap of the whole trace,
	// the one across the boundary (5 s, bin 33: 2^32 <= 5e9 < 2^33) included.
	int64_t t[] = {T0, T0 + 1000, T0 + 3000, T0 + 5 * SEC + 3000, T0 + 5 * SEC + 4000};
	struct bopt_summary whole, a, b, merged, back;
	char why[BOPT_ERR_MAX], err[BOPT_ERR_MAX];
	char pa[] = "/tmp/bopt-gaps-a-XXXXXX", pb[] = "/tmp/bopt-gaps-b-XXXXXX";
	summarise(&whole, t, 5);
	summarise(&a, t, 3);
	summarise(&b, t + 3, 2);
	write_doc(&a, pa, false);
	write_doc(&b, pb, false);
	summary_init(&merged);
	struct shards sh;
	struct summary_meta om;
	shards_begin(&sh, &merged);
	cr_assert(shards_add(&sh, pb, err), "%s", err);
	cr_assert(shards_add(&sh, pa, err), "%s", err);
	cr_assert(shards_end(&sh, &om, err), "%s", err);
	shards_release(&sh);
	cr_assert_not(merged.gaps_unbinned);
	cr_assert_eq(whole.gap_hist[33], 1);
	for (int k = 0; k < GAP_BINS; k++)
		cr_assert_eq(merged.gap_hist[k], whole.gap_hist[k], "bin %d", k);
	cr_assert(summary_check(&merged, why), "%s", why);
	summary_destroy(&merged);

	// The same shard twice overlaps itself: the histogram is not known.
	summary_init(&merged);
	shards_begin(&sh, &merged);
	cr_assert(shards_add(&sh, pa, err), "%s", err);
	cr_assert(shards_add(&sh, pa, err), "%s", err);
	cr_assert(shards_end(&sh, &om, err), "%s", err);
	shards_release(&sh);
	cr_assert(merged.gaps_unbinned);
	cr_assert(summary_check(&merged, why), "%s", why);
	summary_destroy(&merged);

	// A document without the histogram reads as one whose histogram is unknown.
	char pc[] = "/tmp/bopt-gaps-c-XXXXXX";
	write_doc(&a, pc, true);
	summary_init(&back);
	cr_assert(summary_read_doc(pc, &back, &om, err), "%s", err);
	cr_assert(back.gaps_unbinned);
	cr_assert_eq(back.n_gaps, a.n_gaps);
	summary_destroy(&back);
	unlink(pa);
	unlink(pb);
	unlink(pc);
	summary_destroy(&whole);
	summary_destroy(&a);
	summary_destroy(&b);
}

// Merges the documents of the given parts of t (cut at the given indices)
// through shards_add, in reverse order; the caller destroys merged.
static void merge_parts(const int64_t *t, size_t n, const size_t *cut, size_t ncut,
	struct bopt_summary *merged)
{
	char path[8][32];
	char err[BOPT_ERR_MAX];
	struct shards sh;
	struct summary_meta om;
	size_t from = 0;
	cr_assert(ncut < 8);
	for (size_t k = 0; k <= ncut; k++) {
		size_t to = k < ncut ? cut[k] : n;
		struct bopt_summary part;
		summarise(&part, t + from, to - from);
		snprintf(path[k], sizeof(path[k]), "/tmp/bopt-part-%zu-XXXXXX", k);
		write_doc(&part, path[k], false);
		summary_destroy(&part);
		from = to;
	}
	summary_init(merged);
	shards_begin(&sh, merged);
	for (size_t k = ncut + 1; k-- > 0;) {
		cr_assert(shards_add(&sh, path[k], err), "%s", err);
		unlink(path[k]);
	}
	cr_assert(shards_end(&sh, &om, err), "%s", err);
	shards_release(&sh);
}

// 14 events over four seconds, 3, 5, 2 and 4 in them.
static const int64_t four_seconds[] = {
	T0 + 1, T0 + 400000000, T0 + 900000000,
	T0 + SEC, T0 + SEC + 5, T0 + SEC + 7000, T0 + SEC + 300000000, T0 + SEC + 999999999,
	T0 + 2 * SEC + 10, T0 + 2 * SEC + 500000000,
	T0 + 3 * SEC, T0 + 3 * SEC + 1, T0 + 3 * SEC + 2, T0 + 3 * SEC + 900000000,
};
enum { N = sizeof(four_seconds) / sizeof(four_seconds[0]) };

// The figures a merge of parts keeps exactly, disjoint or not (but the
// gaps' squares and histogram).
static void expect_exact_seconds(const struct bopt_summary *m, const struct bopt_summary *w,
	const char *what)
{
#define SAME(f) cr_assert_eq(m->f, w->f, "%s: %s %lld, not %lld", what, #f, \
	(long long)m->f, (long long)w->f)
	SAME(events);
	SAME(first_emitted);
	SAME(hwm);
	SAME(n_gaps);
	SAME(gap_sum);
	SAME(first_sec);
	SAME(first_sec_count);
	SAME(cur_sec);
	SAME(cur_sec_count);
	SAME(peak_per_sec);
#undef SAME
}

// Time-disjoint parts join exactly: 14 events over four seconds (3, 5, 2
// and 4 in them), cut into two or three parts at every place, within a
// second and between seconds, a part of one second included, give the
// per-second counts, the peak and the gaps of the whole trace.
Test(summary, disjoint_parts_join_as_one_pass)
{
	const int64_t *t = four_seconds;
	struct bopt_summary whole;
	summarise(&whole, t, N);
	cr_assert_eq(whole.peak_per_sec, 5);
	cr_assert_eq(whole.first_sec_count, 3);
	cr_assert_eq(whole.cur_sec_count, 4);
	for (size_t a = 1; a < N; a++) {
		for (size_t b = a; b < N; b++) {
			size_t cut[2] = {a, b};
			size_t ncut = a == b ? 1 : 2;
			struct bopt_summary merged;
			merge_parts(t, N, cut, ncut, &merged);
			char what[32];
			snprintf(what, sizeof(what), "cut at %zu, %zu", a, b);
			expect_exact_seconds(&merged, &whole, what);
			cr_assert(merged.gap_sumsq == whole.gap_sumsq);
			cr_assert_not(merged.approx_gaps);
			for (int k = 0; k < GAP_BINS; k++)
				cr_assert_eq(merged.gap_hist[k], whole.gap_hist[k], "bin %d", k);
			summary_destroy(&merged);
		}
	}
	summary_destroy(&whole);
}

// Overlapping parts (the events dealt alternately to two parts): the count
// series resolves seconds, so the per-second figures are still exact; the
// gaps' count and sum are exact, their squares estimated between all equal
// (sum^2 / n) and all in one (sum^2).
Test(summary, overlapping_parts_keep_exact_seconds)
{
	const int64_t *t = four_seconds;
	int64_t even[N], odd[N];
	size_t ne = 0, no = 0;
	for (size_t i = 0; i < N; i++) {
		if (i % 2)
			odd[no++] = t[i];
		else
			even[ne++] = t[i];
	}
	struct bopt_summary whole, pe, po, merged;
	summarise(&whole, t, N);
	summarise(&pe, even, ne);
	summarise(&po, odd, no);
	char a[] = "/tmp/bopt-odd-XXXXXX", b[] = "/tmp/bopt-even-XXXXXX", err[BOPT_ERR_MAX];
	write_doc(&po, a, false);
	write_doc(&pe, b, false);
	struct shards sh;
	struct summary_meta om;
	summary_init(&merged);
	shards_begin(&sh, &merged);
	cr_assert(shards_add(&sh, a, err), "%s", err);
	cr_assert(shards_add(&sh, b, err), "%s", err);
	cr_assert(shards_end(&sh, &om, err), "%s", err);
	shards_release(&sh);
	expect_exact_seconds(&merged, &whole, "alternate events");
	cr_assert(merged.approx_gaps);
	cr_assert_not(merged.approx_peak);
	cr_assert(merged.gaps_unbinned);
	for (int k = 0; k < GAP_BINS; k++)
		cr_assert_eq(merged.gap_hist[k], 0, "bin %d", k);
	bopt_u128 sq = (bopt_u128)whole.gap_sum * whole.gap_sum;
	cr_assert(merged.gap_sumsq >= sq / whole.n_gaps && merged.gap_sumsq <= sq);
	unlink(a);
	unlink(b);
	summary_destroy(&merged);
	summary_destroy(&pe);
	summary_destroy(&po);
	summary_destroy(&whole);
}

// Merges two summaries through their documents; the caller destroys merged.
static void merge_two(const struct bopt_summary *x, const struct bopt_summary *y,
	struct bopt_summary *merged)
{
	char a[] = "/tmp/bopt-two-a-XXXXXX", b[] = "/tmp/bopt-two-b-XXXXXX", err[BOPT_ERR_MAX];
	write_doc(x, a, false);
	write_doc(y, b, false);
	struct shards sh;
	struct summary_meta om;
	summary_init(merged);
	shards_begin(&sh, merged);
	cr_assert(shards_add(&sh, a, err), "%s", err);
	cr_assert(shards_add(&sh, b, err), "%s", err);
	cr_assert(shards_end(&sh, &om, err), "%s", err);
	shards_release(&sh);
	unlink(a);
	unlink(b);
}

// Overlapping parts over 20 hours (72,000 s: the count series' bins are 2 s,
// coarser than a second): the first and last seconds' counts come from the
// parts that start or end in them (2 + 1 and 2 + 2), the peak is at most
// the parts' peaks added (2 + 3) and at least the fullest bin (5), flagged
// as approximate.
Test(summary, overlapping_parts_over_a_day_count_known_seconds)
{
	const int64_t h10 = 36000 * SEC, h20 = 72000 * SEC;
	const int64_t t[] = {
		T0, T0 + 1, T0 + 2,
		T0 + h10, T0 + h10 + 1, T0 + h10 + 2, T0 + h10 + 3, T0 + h10 + 4,
		T0 + h20, T0 + h20 + 1, T0 + h20 + 2, T0 + h20 + 3,
	};
	enum { N = sizeof(t) / sizeof(t[0]) };
	int64_t even[N], odd[N];
	size_t ne = 0, no = 0;
	for (size_t i = 0; i < N; i++) {
		if (i % 2)
			odd[no++] = t[i];
		else
			even[ne++] = t[i];
	}
	struct bopt_summary pe, po, merged;
	summarise(&pe, even, ne);
	summarise(&po, odd, no);
	cr_assert_eq(summary_peak_rate(&pe), 2);
	cr_assert_eq(summary_peak_rate(&po), 3);
	merge_two(&po, &pe, &merged);
	cr_assert_eq(merged.series.shift, 11);
	cr_assert_eq(merged.events, N);
	cr_assert_eq(merged.first_sec_count, 3);
	cr_assert_eq(merged.cur_sec_count, 4);
	cr_assert(merged.approx_peak);
	cr_assert_eq(merged.peak_per_sec, 5);
	summary_destroy(&merged);
	summary_destroy(&pe);
	summary_destroy(&po);
}

// Without a dispersion index (too few windows), the superposed gaps' squared
// CV is the parts' CV^2 weighted by their gaps, a part of one gap (CV 0)
// included: A = {0, 3 s} (one gap, CV^2 0), B = {1, 1.5, 2.5 s} (gaps 0.5,
// 1 s: mean 0.75, variance 0.0625, CV^2 1/9). Weighted: (1 * 0 + 2 / 9) / 3
// = 2/27. Merged: 4 gaps summing to 3 s, squares 9/4 (1 + 2/27) s^2.
Test(summary, overlapping_parts_weight_the_parts_cv)
{
	const int64_t ta[] = {T0, T0 + 3 * SEC};
	const int64_t tb[] = {T0 + SEC, T0 + 3 * SEC / 2, T0 + 5 * SEC / 2};
	struct bopt_summary a, b, merged;
	summarise(&a, ta, 2);
	summarise(&b, tb, 3);
	merge_two(&a, &b, &merged);
	cr_assert_eq(merged.n_gaps, 4);
	cr_assert_eq(merged.gap_sum, 3 * SEC);
	long double want = 9.0L / 4 * (1 + 2.0L / 27) * 1e18L;
	long double got = (long double)merged.gap_sumsq;
	cr_assert(fabsl(got / want - 1) < 1e-12, "%Lg, not %Lg", got, want);
	summary_destroy(&merged);
	summary_destroy(&a);
	summary_destroy(&b);
}

// Unknown variant names of merged parts: listed in time order, counts added.
Test(summary, parts_keep_their_unknown_variants)
{
	struct bopt_summary a, b, merged;
	summary_init(&a);
	summary_init(&b);
	summary_add(&a, T0, 10, -1, "Zed", 3);
	summary_add(&a, T0 + 1, 10, -1, "Zed", 3);
	summary_add(&b, T0 + 2, 10, -1, "Alpha", 5);
	summary_add(&b, T0 + 3, 10, -1, "Zed", 3);
	summary_flush(&a);
	summary_flush(&b);
	merge_two(&b, &a, &merged);
	cr_assert_eq(merged.n_others, 2);
	cr_assert_str_eq(merged.others[0].name, "Zed");
	cr_assert_eq(merged.others[0].count, 3);
	cr_assert_str_eq(merged.others[1].name, "Alpha");
	cr_assert_eq(merged.others[1].count, 1);
	summary_destroy(&merged);
	summary_destroy(&a);
	summary_destroy(&b);
}

// Sizes of no event are all 0; of one event, that event's size.
Test(summary, sizes_of_none_and_of_one)
{
	struct bopt_summary s;
	struct size_stats z;
	summary_init(&s);
	summary_flush(&s);
	summary_sizes(&s, &z);
	cr_assert(z.mean == 0 && z.p50 == 0 && z.p99 == 0 && z.max == 0);
	summary_add(&s, T0, 300, 0, NULL, 0);
	summary_flush(&s);
	summary_sizes(&s, &z);
	cr_assert_eq(z.mean, 300.0);
	cr_assert_eq(z.p50, 300);
	cr_assert_eq(z.p99, 300);
	cr_assert_eq(z.max, 300);
	summary_destroy(&s);
}

// More unknown names than a summary lists (SUMMARY_MAX_OTHER_VARIANTS): the
// rest are lumped, and merged parts add their lumps once.
Test(summary, parts_add_their_lumped_variants_once)
{
	struct bopt_summary a, b, merged;
	char why[BOPT_ERR_MAX];
	summary_init(&a);
	summary_init(&b);
	for (int i = 0; i < SUMMARY_MAX_OTHER_VARIANTS + 2; i++) {
		char name[16];
		int n = snprintf(name, sizeof(name), "Kind%d", i);
		summary_add(&a, T0 + i, 10, -1, name, (size_t)n);
	}
	summary_add(&b, T0 + SEC, 10, -1, "Kind0", 5);
	summary_flush(&a);
	summary_flush(&b);
	cr_assert_eq(a.other_lumped, 2);
	merge_two(&a, &b, &merged);
	cr_assert_eq(merged.other_lumped, 2);
	cr_assert_eq(merged.others[0].count, 2);
	cr_assert_eq(merged.events, SUMMARY_MAX_OTHER_VARIANTS + 3);
	cr_assert(summary_check(&merged, why), "%s", why);
	summary_destroy(&merged);
	summary_destroy(&a);
	summary_destroy(&b);
}

// A part with one event beyond repair (5 s after 10 s was released): its
// seconds cannot be told from the count series, which holds the late event
// too, so the merged peak is flagged as approximate.
Test(summary, a_late_event_makes_the_merged_peak_approximate)
{
	struct bopt_summary a, b, merged;
	summary_init(&a);
	feed(&a, (const int64_t[]){T0 + 10 * SEC, T0 + 100 * SEC, T0 + 5 * SEC}, 3);
	summary_flush(&a);
	cr_assert_eq(a.late, 1);
	summarise(&b, (const int64_t[]){T0 + 50 * SEC, T0 + 60 * SEC}, 2);
	merge_two(&a, &b, &merged);
	cr_assert(merged.approx_peak);
	cr_assert_eq(merged.late, 1);
	summary_destroy(&merged);
	summary_destroy(&a);
	summary_destroy(&b);
}

// Writes a two-event summary's document with the value of member key, up to
// and including the first `until` after it (its digits when NULL), replaced
// by `with`; the reading must fail with a message containing `want`.
static void expect_doc_refused(const char *key, const char *until, const char *with,
	const char *want)
{
	struct bopt_summary s, back;
	struct summary_meta om;
	char path[] = "/tmp/bopt-doc-XXXXXX", err[BOPT_ERR_MAX] = "", head[64];
	summarise(&s, (const int64_t[]){T0, T0 + 1}, 2);
	write_doc(&s, path, false);
	FILE *f = fopen(path, "r");
	char text[1 << 16];
	size_t n = fread(text, 1, sizeof(text) - 1, f);
	fclose(f);
	text[n] = '\0';
	snprintf(head, sizeof(head), "\"%s\":", key);
	char *at = strstr(text, head);
	cr_assert_not_null(at, "%s", text);
	at += strlen(head);
	char *end = until ? strstr(at, until) : at + strspn(at, "0123456789");
	cr_assert_not_null(end);
	end += until ? strlen(until) : 0;
	memmove(at + strlen(with), end, strlen(end) + 1);
	memcpy(at, with, strlen(with));
	f = fopen(path, "w");
	fputs(text, f);
	fclose(f);
	summary_init(&back);
	cr_assert_not(summary_read_doc(path, &back, &om, err));
	cr_assert(strstr(err, want) != NULL, "%s", err);
	summary_destroy(&back);
	summary_destroy(&s);
	unlink(path);
}

// "sizes" must be an array ([[least, count], ...]); the repair horizon a number.
Test(summary, document_members_of_the_wrong_type)
{
	expect_doc_refused("sizes", "]]", "{}", "field \"sizes\" must be an array");
	expect_doc_refused("max_disorder_ns", NULL, "\"x\"",
		"field \"max_disorder_ns\" must be a finite number");
}

// Input names are kept up to SUMMARY_DOC_NAME_MAX characters, then cut.
Test(summary, input_names_up_to_the_longest)
{
	struct summary_meta m = {0};
	char name[SUMMARY_DOC_NAME_MAX + 2];
	memset(name, 'n', sizeof(name) - 1);
	name[SUMMARY_DOC_NAME_MAX] = '\0';
	summary_meta_add_input(&m, name);
	name[SUMMARY_DOC_NAME_MAX] = 'x';
	name[SUMMARY_DOC_NAME_MAX + 1] = '\0';
	summary_meta_add_input(&m, name);
	cr_assert_eq(m.inputs, 2);
	cr_assert_eq(strlen(m.names[0]), SUMMARY_DOC_NAME_MAX);
	cr_assert_eq(strlen(m.names[1]), SUMMARY_DOC_NAME_MAX);
	cr_assert_eq(m.names[1][SUMMARY_DOC_NAME_MAX - 1], 'n');
}
