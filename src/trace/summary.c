#include "trace/summary.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "base/timestamp.h"
#include "base/util.h"


/* The count series. */

static int64_t floor_div(int64_t a, int64_t b)
{
	int64_t q = a / b;
	return (a % b != 0 && (a < 0) != (b < 0)) ? q - 1 : q;
}

// Series unit (1/1024 s) of an instant, rounding down.
static int64_t series_unit(int64_t t)
{
	// The remainder taken directly: sec * BOPT_NS_PER_SEC is below INT64_MIN
	// for instants in the last second before 1677-09-21T00:12:44Z.
	int64_t sec = floor_div(t, BOPT_NS_PER_SEC);
	int64_t frac = t % BOPT_NS_PER_SEC;
	if (frac < 0)
		frac += BOPT_NS_PER_SEC;
	return sec * SERIES_UNITS_PER_SEC + frac * SERIES_UNITS_PER_SEC / BOPT_NS_PER_SEC;
}

#define RING(i) SERIES_SLOT(i)

static void series_coarsen(struct series *s)
{
	int64_t new_lo = s->lo >> 1; // arithmetic shift: floor
	int64_t new_hi = (s->lo + s->len - 1) >> 1;
	for (int64_t b = new_lo; b <= new_hi; b++)
		s->scratch[RING(b)] = 0;
	for (int64_t b = s->lo; b < s->lo + s->len; b++)
		s->scratch[RING(b >> 1)] += s->bins[RING(b)];
	uint64_t *t = s->bins;
	s->bins = s->scratch;
	s->scratch = t;
	s->lo = new_lo;
	s->len = (uint32_t)(new_hi - new_lo + 1);
	s->shift++;
}

// Makes bin b (at the current width) part of the series, coarsening as
// needed; returns its index at the final width.
static int64_t series_reach(struct series *s, int64_t unit)
{
	for (;;) {
		int64_t b = unit >> s->shift;
		if (s->len == 0) {
			s->lo = b;
			s->len = 1;
			s->bins[RING(b)] = 0;
			return b;
		}
		int64_t hi = s->lo + s->len; // exclusive
		if (b >= s->lo && b < hi)
			return b;
		int64_t new_lo = b < s->lo ? b : s->lo;
		int64_t new_hi = b >= hi ? b + 1 : hi;
		if (new_hi - new_lo <= (int64_t)SERIES_CAP) {
			for (int64_t i = new_lo; i < s->lo; i++)
				s->bins[RING(i)] = 0;
			for (int64_t i = hi; i < new_hi; i++)
				s->bins[RING(i)] = 0;
			s->lo = new_lo;
			s->len = (uint32_t)(new_hi - new_lo);
			return b;
		}
		series_coarsen(s);
	}
}

void series_add(struct series *s, int64_t t)
{
	int64_t b = series_reach(s, series_unit(t));
	s->bins[RING(b)]++;
}

static void series_merge(struct series *dst, const struct series *src)
{
	if (src->len == 0)
		return;
	while (dst->shift < src->shift)
		series_coarsen(dst);
	for (int64_t b = src->lo; b < src->lo + src->len; b++) {
		uint64_t c = src->bins[RING(b)];
		if (c == 0)
			continue;
		// The first unit of src's bin b; series_reach may coarsen dst.
		int64_t unit = b * ((int64_t)1 << src->shift);
		int64_t d = series_reach(dst, unit);
		dst->bins[RING(d)] += c;
	}
}

size_t series_aggregate(const struct series *s, int level, uint64_t *out, size_t max)
{
	if (s->len == 0)
		return 0;
	int64_t lo = s->lo >> level, hi = (s->lo + s->len - 1) >> level;
	size_t n = (size_t)(hi - lo + 1);
	if (n > max)
		return 0;
	memset(out, 0, n * sizeof(*out));
	for (int64_t b = s->lo; b < s->lo + s->len; b++)
		out[(b >> level) - lo] += s->bins[RING(b)];
	return n;
}

double series_bin_seconds(const struct series *s)
{
	return ldexp(1.0, s->shift) / SERIES_UNITS_PER_SEC;
}

/* The summary. */

void summary_init(struct bopt_summary *s)
{
	*s = (struct bopt_summary){0};
	s->series.bins = xcalloc(SERIES_CAP, sizeof(uint64_t));
	s->series.scratch = xcalloc(SERIES_CAP, sizeof(uint64_t));
	s->size_hist = xcalloc(SIZE_BINS, sizeof(uint64_t));
	reorder_init(&s->reorder, REORDER_DEFAULT_HORIZON_NS, REORDER_CAP);
	summary_reset(s);
}

void summary_set_horizon(struct bopt_summary *s, int64_t horizon, size_t cap)
{
	s->reorder.horizon = horizon;
	s->reorder.cap = cap;
}

void summary_destroy(struct bopt_summary *s)
{
	free(s->series.bins);
	free(s->series.scratch);
	free(s->size_hist);
	reorder_destroy(&s->reorder);
	free(s->times);
	*s = (struct bopt_summary){0};
}

void summary_begin_block(struct bopt_summary *s)
{
	summary_reset(s);
	s->block = true;
}

void summary_reset(struct bopt_summary *s)
{
	struct bopt_summary keep = *s;
	*s = (struct bopt_summary){
		.series = {.bins = keep.series.bins, .scratch = keep.series.scratch},
		.size_hist = keep.size_hist,
		.reorder = keep.reorder,
		.forward = keep.forward,
		.forward_arg = keep.forward_arg,
		.times = keep.times,
		.times_size = keep.times_size,
		.t_min = INT64_MAX,
		.t_max = INT64_MIN,
	};
	reorder_reset(&s->reorder);
	memset(s->size_hist, 0, SIZE_BINS * sizeof(uint64_t));
}

size_t size_bin(uint64_t size)
{
	if (size < SIZE_EXACT)
		return (size_t)size;
	int octave = 63 - __builtin_clzll(size); // >= SIZE_EXACT_BITS
	uint64_t sub = (size >> (octave - SIZE_SUB_BITS)) & ((1u << SIZE_SUB_BITS) - 1);
	return SIZE_EXACT + (size_t)(octave - SIZE_EXACT_BITS) * (1u << SIZE_SUB_BITS) + (size_t)sub;
}

uint64_t size_bin_floor(size_t bin)
{
	if (bin < SIZE_EXACT)
		return bin;
	size_t k = bin - SIZE_EXACT;
	int octave = SIZE_EXACT_BITS + (int)(k >> SIZE_SUB_BITS);
	uint64_t sub = k & ((1u << SIZE_SUB_BITS) - 1);
	return ((uint64_t)1 << octave) | sub << (octave - SIZE_SUB_BITS);
}

int gap_bin(uint64_t gap)
{
	return gap == 0 ? 0 : 64 - __builtin_clzll(gap);
}

void summary_emit(struct bopt_summary *s, int64_t t)
{
	int64_t sec = floor_div(t, BOPT_NS_PER_SEC);
	if (!s->emitted_any) {
		s->emitted_any = true;
		s->first_emitted = s->hwm = t;
		s->first_sec = s->cur_sec = sec;
		s->first_sec_count = s->cur_sec_count = 1;
		return;
	}
	if (t < s->hwm) {
		s->late++;
		return;
	}
	uint64_t gap = (uint64_t)t - (uint64_t)s->hwm;
	s->hwm = t;
	s->n_gaps++;
	s->gap_sum += gap;
	s->gap_sumsq += (bopt_u128)gap * gap;
	s->gap_hist[gap_bin(gap)]++;
	if (sec == s->cur_sec) {
		s->cur_sec_count++;
	} else {
		if (s->cur_sec_count > s->peak_per_sec)
			s->peak_per_sec = s->cur_sec_count;
		s->cur_sec = sec;
		s->cur_sec_count = 1;
	}
	if (sec == s->first_sec)
		s->first_sec_count = s->cur_sec_count;
}

// Releases what the disorder repair holds that is due (all: everything).
static void release(struct bopt_summary *s, bool all)
{
	int64_t t;
	while (reorder_pop(&s->reorder, all, &t)) {
		summary_emit(s, t);
		if (s->forward)
			s->forward(s->forward_arg, t);
	}
}

// Puts one event's time through the disorder repair.
static void repair(struct bopt_summary *s, int64_t t)
{
	if (!reorder_put(&s->reorder, t)) {
		s->late++;
		return;
	}
	release(s, false);
}

static void add_other_variant(struct bopt_summary *s, const char *name, size_t len,
	uint64_t count)
{
	if (len > SUMMARY_VARIANT_NAME_MAX)
		len = SUMMARY_VARIANT_NAME_MAX;
	for (size_t i = 0; i < s->n_others; i++) {
		if (strlen(s->others[i].name) == len && memcmp(s->others[i].name, name, len) == 0) {
			s->others[i].count += count;
			return;
		}
	}
	if (s->n_others == SUMMARY_MAX_OTHER_VARIANTS) {
		s->other_lumped += count;
		return;
	}
	struct other_variant *o = &s->others[s->n_others++];
	memcpy(o->name, name, len);
	o->name[len] = '\0';
	o->count = count;
}

void summary_add(struct bopt_summary *s, int64_t t, size_t size, int variant,
	const char *name, size_t name_len)
{
	if (s->events == 0)
		s->in_first = t;
	else if (t < s->in_last)
		s->out_of_order++;
	s->in_last = t;
	s->events++;
	s->bytes += size;
	if (variant >= 0)
		s->variant_counts[variant]++;
	else
		add_other_variant(s, name, name_len, 1);
	if (t < s->t_min)
		s->t_min = t;
	if (t > s->t_max)
		s->t_max = t;
	s->size_hist[size_bin(size)]++;
	if (size > s->size_max)
		s->size_max = size;
	series_add(&s->series, t);

	if (s->block) {
		if (s->n_times == s->times_size) {
			s->times_size = s->times_size ? 2 * s->times_size : 4096;
			s->times = xrealloc(s->times, s->times_size * sizeof(*s->times));
		}
		s->times[s->n_times++] = t;
	} else {
		repair(s, t);
	}
}

void summary_flush(struct bopt_summary *s)
{
	release(s, true);
	// The repair's disorder figures move to the summary's own.
	struct reorder *r = &s->reorder;
	s->repaired += r->repaired;
	s->forced += r->forced;
	if (r->max_lateness > s->max_lateness)
		s->max_lateness = r->max_lateness;
	r->repaired = r->forced = 0;
	r->max_lateness = 0;
}

static uint64_t max_u64(uint64_t a, uint64_t b)
{
	return a > b ? a : b;
}

void summary_merge_others(struct bopt_summary *d, const struct bopt_summary *s)
{
	for (size_t i = 0; i < s->n_others; i++)
		add_other_variant(d, s->others[i].name, strlen(s->others[i].name), s->others[i].count);
	d->other_lumped += s->other_lumped;
}

void summary_merge_counts(struct bopt_summary *d, const struct bopt_summary *s)
{
	d->skipped += s->skipped;
	d->outside_window += s->outside_window;
	d->late += s->late;
	d->approx_gaps |= s->approx_gaps;
	d->gaps_unbinned |= s->gaps_unbinned;
	d->approx_peak |= s->approx_peak;
	d->repaired += s->repaired;
	d->forced += s->forced;
	if (s->max_lateness > d->max_lateness)
		d->max_lateness = s->max_lateness;
	if (s->events == 0)
		return;
	if (d->events == 0) {
		d->in_first = s->in_first;
		d->in_last = s->in_last;
	}
	d->out_of_order += s->out_of_order;
	d->events += s->events;
	d->bytes += s->bytes;
	for (int i = 0; i < BOPT_VARIANT_COUNT; i++)
		d->variant_counts[i] += s->variant_counts[i];
	summary_merge_others(d, s);
	if (s->t_min < d->t_min)
		d->t_min = s->t_min;
	if (s->t_max > d->t_max)
		d->t_max = s->t_max;
	for (size_t i = 0; i < SIZE_BINS; i++)
		d->size_hist[i] += s->size_hist[i];
	d->size_max = max_u64(d->size_max, s->size_max);
	d->sample_raw += s->sample_raw;
	d->sample_compressed += s->sample_compressed;
	series_merge(&d->series, &s->series);
}

void summary_merge(struct bopt_summary *d, const struct bopt_summary *s)
{
	// Input order continues across the block boundary.
	if (d->events > 0 && s->events > 0 && s->in_first < d->in_last)
		d->out_of_order++;
	summary_merge_counts(d, s);
	if (s->events > 0)
		d->in_last = s->in_last;
	for (size_t i = 0; i < s->n_times; i++)
		repair(d, s->times[i]);
}

uint64_t summary_peak_rate(const struct bopt_summary *s)
{
	return max_u64(s->peak_per_sec, max_u64(s->first_sec_count, s->cur_sec_count));
}

bool summary_check(const struct bopt_summary *s, char *why)
{
	uint64_t emitted = s->emitted_any ? s->n_gaps + 1 : 0;
	uint64_t binned_gaps = 0;
	for (int i = 0; i < GAP_BINS; i++)
		binned_gaps += s->gap_hist[i];
	if (!s->gaps_unbinned && binned_gaps != s->n_gaps)
		return bopt_errf(why, "%llu gaps but %llu in the gap histogram",
			(unsigned long long)s->n_gaps, (unsigned long long)binned_gaps);
	if (emitted + s->late != s->events)
		return bopt_errf(why, "%llu events read but %llu in order and %llu beyond repair",
			(unsigned long long)s->events, (unsigned long long)emitted,
			(unsigned long long)s->late);
	uint64_t named = s->other_lumped, sized = 0, binned = 0;
	for (int v = 0; v < BOPT_VARIANT_COUNT; v++)
		named += s->variant_counts[v];
	for (size_t i = 0; i < s->n_others; i++)
		named += s->others[i].count;
	for (size_t i = 0; i < SIZE_BINS; i++)
		sized += s->size_hist[i];
	for (int64_t b = s->series.lo; b < s->series.lo + s->series.len; b++)
		binned += s->series.bins[RING(b)];
	if (named != s->events || sized != s->events || binned != s->events)
		return bopt_errf(why, "%llu events read but %llu by variant, %llu by size and "
			"%llu in time", (unsigned long long)s->events, (unsigned long long)named,
			(unsigned long long)sized, (unsigned long long)binned);
	if (s->events == 0)
		return true;
	if (s->t_max < s->t_min)
		return bopt_errf(why, "the last event precedes the first");
	if (!s->emitted_any)
		return true;
	if (s->first_emitted < s->t_min || s->hwm > s->t_max ||
		s->gap_sum != (uint64_t)s->hwm - (uint64_t)s->first_emitted)
		return bopt_errf(why, "the gaps do not add up to the time span");
	// No second can hold fewer than the mean over the seconds the stream touches.
	uint64_t seconds = (uint64_t)(floor_div(s->hwm, BOPT_NS_PER_SEC) -
		floor_div(s->first_emitted, BOPT_NS_PER_SEC)) + 1;
	uint64_t peak = summary_peak_rate(s);
	if (peak > emitted || (bopt_u128)peak * seconds < emitted)
		return bopt_errf(why, "a peak of %llu in one second against %llu events in "
			"%llu seconds", (unsigned long long)peak, (unsigned long long)emitted,
			(unsigned long long)seconds);
	return true;
}

void summary_sizes(const struct bopt_summary *s, struct size_stats *out)
{
	*out = (struct size_stats){.max = s->size_max};
	if (s->events == 0)
		return;
	out->mean = (double)s->bytes / (double)s->events;
	// Nearest rank: the smallest size with at least ceil(p n) records at or below it.
	uint64_t rank50 = (s->events * 50 + 99) / 100;
	uint64_t rank99 = (s->events * 99 + 99) / 100;
	uint64_t seen = 0;
	bool have50 = false;
	for (size_t i = 0; i < SIZE_BINS; i++) {
		seen += s->size_hist[i];
		if (!have50 && seen >= rank50) {
			out->p50 = size_bin_floor(i);
			have50 = true;
		}
		if (seen >= rank99) {
			out->p99 = size_bin_floor(i);
			break;
		}
	}
}


static int compare_u64(const void *a, const void *b)
{
	uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;
	return (x > y) - (x < y);
}

bool summary_interval_rates(const struct bopt_summary *s, double interval_s,
	struct interval_rates *out)
{
	*out = (struct interval_rates){0};
	const struct series *se = &s->series;
	if (se->len == 0 || !(interval_s > 0))
		return false;
	// Whole bins per interval: round the interval up to the series' bin width.
	int64_t width = (int64_t)1 << se->shift;
	int64_t units = (int64_t)ceil(interval_s * SERIES_UNITS_PER_SEC);
	units = (units + width - 1) / width * width;
	int64_t lo = floor_div(se->lo * width, units);
	int64_t hi = floor_div((se->lo + se->len - 1) * width, units);
	size_t n = (size_t)(hi - lo + 1);
	uint64_t *counts = xcalloc(n, sizeof(*counts));
	for (int64_t b = se->lo; b < se->lo + se->len; b++)
		counts[floor_div(b * width, units) - lo] += se->bins[RING(b)];
	qsort(counts, n, sizeof(*counts), compare_u64);
	double secs = (double)units / SERIES_UNITS_PER_SEC;
	// Nearest rank, as summary_sizes.
	*out = (struct interval_rates){
		.interval_s = secs,
		.intervals = n,
		.p50 = (double)counts[(n * 50 + 99) / 100 - 1] / secs,
		.p99 = (double)counts[(n * 99 + 99) / 100 - 1] / secs,
		.peak = (double)counts[n - 1] / secs,
	};
	free(counts);
	return true;
}
