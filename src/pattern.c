#include "pattern.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "timestamp.h"
#include "util.h"

const char *const bopt_variant_names[BOPT_VARIANT_COUNT] = {
#define NAME(name) #name,
	BOPT_VARIANTS(NAME)
#undef NAME
};

static const unsigned char variant_lens[BOPT_VARIANT_COUNT] = {
#define LEN(name) sizeof(#name) - 1,
	BOPT_VARIANTS(LEN)
#undef LEN
};

int variant_lookup(const char *name, size_t len)
{
	int lo = 0, hi = BOPT_VARIANT_COUNT - 1;
	while (lo <= hi) {
		int mid = (lo + hi) / 2;
		const char *v = bopt_variant_names[mid];
		size_t vlen = variant_lens[mid];
		int c = memcmp(name, v, len < vlen ? len : vlen);
		if (c == 0)
			c = len < vlen ? -1 : len > vlen;
		if (c == 0)
			return mid;
		if (c < 0)
			hi = mid - 1;
		else
			lo = mid + 1;
	}
	return -1;
}

// Reference: PatternAnalyzer::is_complex_event and requires_ordering.
bool variant_is_complex(int v)
{
	return v == BOPT_V_SparqlUpdate || v == BOPT_V_SchemaChanged || v == BOPT_V_QueryCompleted;
}

bool variant_is_transactional(int v)
{
	return v == BOPT_V_TransactionBegin || v == BOPT_V_TransactionCommit ||
		v == BOPT_V_TransactionAbort;
}

/* The count series. */

static int64_t floor_div(int64_t a, int64_t b)
{
	int64_t q = a / b;
	return (a % b != 0 && (a < 0) != (b < 0)) ? q - 1 : q;
}

// Series unit (1/1024 s) of an instant, rounding down.
static int64_t series_unit(int64_t t)
{
	int64_t sec = floor_div(t, BOPT_NS_PER_SEC);
	int64_t frac = t - sec * BOPT_NS_PER_SEC;
	return sec * SERIES_UNITS_PER_SEC + frac * SERIES_UNITS_PER_SEC / BOPT_NS_PER_SEC;
}

#define RING(i) ((size_t)((uint64_t)(i) & (SERIES_CAP - 1)))

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

/* The summary. */

void summary_init(struct bopt_summary *s)
{
	*s = (struct bopt_summary){0};
	s->series.bins = xcalloc(SERIES_CAP, sizeof(uint64_t));
	s->series.scratch = xcalloc(SERIES_CAP, sizeof(uint64_t));
	s->size_hist = xcalloc(SIZE_BINS, sizeof(uint64_t));
	s->reorder = xmalloc(REORDER_SPAN * sizeof(int64_t));
	summary_reset(s);
}

void summary_destroy(struct bopt_summary *s)
{
	free(s->series.bins);
	free(s->series.scratch);
	free(s->size_hist);
	free(s->reorder);
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
		.lo = REORDER_WINDOW,
		.hi = REORDER_WINDOW,
		.t_min = INT64_MAX,
		.t_max = INT64_MIN,
	};
	memset(s->size_hist, 0, SIZE_BINS * sizeof(uint64_t));
}

static size_t size_bin(uint64_t size)
{
	if (size < SIZE_EXACT)
		return (size_t)size;
	int octave = 63 - __builtin_clzll(size); // >= SIZE_EXACT_BITS
	uint64_t sub = (size >> (octave - SIZE_SUB_BITS)) & ((1u << SIZE_SUB_BITS) - 1);
	return SIZE_EXACT + (size_t)(octave - SIZE_EXACT_BITS) * (1u << SIZE_SUB_BITS) + (size_t)sub;
}

static uint64_t size_bin_floor(size_t bin)
{
	if (bin < SIZE_EXACT)
		return bin;
	size_t k = bin - SIZE_EXACT;
	int octave = SIZE_EXACT_BITS + (int)(k >> SIZE_SUB_BITS);
	uint64_t sub = k & ((1u << SIZE_SUB_BITS) - 1);
	return ((uint64_t)1 << octave) | sub << (octave - SIZE_SUB_BITS);
}

// An event leaving the reorder buffer, in time order unless it is late.
static void emit(struct bopt_summary *s, int64_t t)
{
	if (s->block && s->head_len < SUMMARY_HEAD) {
		s->head[s->head_len++] = t;
		return;
	}
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

// Moves the held-back times to the middle third of the buffer; returns by
// how much they moved.
static ptrdiff_t reorder_recenter(struct bopt_summary *s)
{
	ptrdiff_t delta = (ptrdiff_t)REORDER_WINDOW - (ptrdiff_t)s->lo;
	memmove(s->reorder + REORDER_WINDOW, s->reorder + s->lo, (s->hi - s->lo) * sizeof(int64_t));
	s->lo = REORDER_WINDOW;
	s->hi = (size_t)((ptrdiff_t)s->hi + delta);
	return delta;
}

// Holds t back in order, shifting the fewer neighbours: O(1) for in-order
// or reversed input, and for small disorder O(displacement).
static void reorder_put(struct bopt_summary *s, int64_t t)
{
	if (s->lo == s->hi || t >= s->reorder[s->hi - 1]) {
		if (s->hi == REORDER_SPAN)
			reorder_recenter(s);
		s->reorder[s->hi++] = t;
		return;
	}
	size_t a = s->lo, b = s->hi; // first element greater than t
	while (a < b) {
		size_t mid = a + (b - a) / 2;
		if (s->reorder[mid] <= t)
			a = mid + 1;
		else
			b = mid;
	}
	size_t pos = a;
	if (pos - s->lo < s->hi - pos) {
		if (s->lo == 0)
			pos = (size_t)((ptrdiff_t)pos + reorder_recenter(s));
		memmove(s->reorder + s->lo - 1, s->reorder + s->lo, (pos - s->lo) * sizeof(int64_t));
		s->lo--;
		s->reorder[pos - 1] = t;
	} else {
		if (s->hi == REORDER_SPAN)
			pos = (size_t)((ptrdiff_t)pos + reorder_recenter(s));
		memmove(s->reorder + pos + 1, s->reorder + pos, (s->hi - pos) * sizeof(int64_t));
		s->hi++;
		s->reorder[pos] = t;
	}
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

	if (s->hi - s->lo == REORDER_WINDOW) {
		if (t <= s->reorder[s->lo]) {
			emit(s, t);
			return;
		}
		emit(s, s->reorder[s->lo++]);
	}
	reorder_put(s, t);
}

void summary_flush(struct bopt_summary *s)
{
	while (s->lo < s->hi)
		emit(s, s->reorder[s->lo++]);
}

static uint64_t max_u64(uint64_t a, uint64_t b)
{
	return a > b ? a : b;
}

void summary_merge(struct bopt_summary *d, const struct bopt_summary *s)
{
	d->skipped += s->skipped;
	d->outside_window += s->outside_window;
	if (s->events == 0)
		return;

	if (d->events == 0)
		d->in_first = s->in_first;
	else if (s->in_first < d->in_last)
		d->out_of_order++;
	d->in_last = s->in_last;
	d->out_of_order += s->out_of_order;
	d->events += s->events;
	d->bytes += s->bytes;
	for (int i = 0; i < BOPT_VARIANT_COUNT; i++)
		d->variant_counts[i] += s->variant_counts[i];
	for (size_t i = 0; i < s->n_others; i++)
		add_other_variant(d, s->others[i].name, strlen(s->others[i].name), s->others[i].count);
	d->other_lumped += s->other_lumped;
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

	// The repaired stream continues across the block boundary: first the
	// events s held back, as if they had followed d's directly.
	for (size_t i = 0; i < s->head_len; i++)
		emit(d, s->head[i]);
	d->late += s->late;
	if (!s->emitted_any)
		return;
	if (!d->emitted_any) {
		d->emitted_any = s->emitted_any;
		d->first_emitted = s->first_emitted;
		d->hwm = s->hwm;
		d->n_gaps = s->n_gaps;
		d->gap_sum = s->gap_sum;
		d->gap_sumsq = s->gap_sumsq;
		d->first_sec = s->first_sec;
		d->first_sec_count = s->first_sec_count;
		d->cur_sec = s->cur_sec;
		d->cur_sec_count = s->cur_sec_count;
		d->peak_per_sec = s->peak_per_sec;
		return;
	}
	if (s->first_emitted < d->hwm) {
		// Its first event is late here; its own gaps still count.
		d->late++;
	} else {
		uint64_t gap = (uint64_t)s->first_emitted - (uint64_t)d->hwm;
		d->n_gaps++;
		d->gap_sum += gap;
		d->gap_sumsq += (bopt_u128)gap * gap;
	}
	d->n_gaps += s->n_gaps;
	d->gap_sum += s->gap_sum;
	d->gap_sumsq += s->gap_sumsq;
	if (s->hwm > d->hwm)
		d->hwm = s->hwm;

	d->peak_per_sec = max_u64(max_u64(d->peak_per_sec, s->peak_per_sec),
		max_u64(d->cur_sec_count, s->cur_sec_count));
	if (s->first_sec == d->cur_sec) {
		uint64_t joined = d->cur_sec_count + s->first_sec_count;
		d->peak_per_sec = max_u64(d->peak_per_sec, joined);
		if (d->first_sec == d->cur_sec)
			d->first_sec_count = joined;
		if (s->cur_sec == s->first_sec) {
			d->cur_sec_count = joined;
			return;
		}
	}
	d->cur_sec = s->cur_sec;
	d->cur_sec_count = s->cur_sec_count;
}

uint64_t summary_peak_rate(const struct bopt_summary *s)
{
	return max_u64(s->peak_per_sec, max_u64(s->first_sec_count, s->cur_sec_count));
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

/* Classification. */

// Reference (PatternAnalyzer): fewer events than this give Uniform.
#define REF_MIN_EVENTS 10
// Reference bands of the inter-arrival coefficient of variation.
#define REF_CV_UNIFORM 0.1
#define REF_CV_NORMAL 0.5
// Reference rate thresholds, events/s (classify_pattern_type and
// estimate_optimal_batch_size).
#define REF_RATE_VERY_HIGH 10000.0
#define REF_RATE_HIGH 1000.0
#define REF_RATE_MODERATE 100.0

// bopt's own thresholds for the classes the reference cannot produce.
#define CV_RANDOM_MIN 0.7      // memoryless: gap CV near 1 ...
#define CV_BURSTY_MIN 1.5      // ... over-dispersed: well above 1
#define IDC_BURSTY_MIN 2.0     // index of dispersion of counts well above 1
#define IDC_WINDOW_EVENTS 8.0  // events expected per count window
#define IDC_MIN_WINDOWS 16
#define SEASONAL_MIN_IDC 1.6   // the rate must vary beyond Poisson noise
#define SEASONAL_MIN_ACF 0.3   // autocorrelation at the period
#define SEASONAL_MIN_CYCLES 3  // periods the trace must span
#define ACF_MIN_BINS 128
#define ACF_MAX_BINS 4096
#define BATCH_MIN_GAP_CV 1.2
#define BATCH_MIN_EMPTY 0.5    // share of empty count windows
#define BATCH_MIN_CLUSTERS 4
#define BATCH_MIN_SIZE 3.0     // events per batch
#define BATCH_MAX_CV 0.25      // of batch sizes and of batch intervals

struct level {
	uint64_t *c; // counts, partial first and last windows dropped
	size_t n;
	double width_s;
};

static bool level_get(const struct bopt_summary *s, int j, uint64_t *buf, struct level *l)
{
	size_t n = series_aggregate(&s->series, j, buf, SERIES_CAP);
	if (n < 3)
		return false;
	l->c = buf + 1;
	l->n = n - 2;
	l->width_s = ldexp(1.0, s->series.shift + j) / SERIES_UNITS_PER_SEC;
	return true;
}

static void moments(const uint64_t *c, size_t n, double *mean, double *var)
{
	double sum = 0, sq = 0;
	for (size_t i = 0; i < n; i++)
		sum += (double)c[i];
	*mean = sum / (double)n;
	for (size_t i = 0; i < n; i++)
		sq += ((double)c[i] - *mean) * ((double)c[i] - *mean);
	*var = sq / (double)n;
}

static int max_level(const struct bopt_summary *s)
{
	int j = 0;
	while (j < 62 && ((s->series.len - 1) >> j) > 0)
		j++;
	return j;
}

static void find_idc(const struct bopt_summary *s, double rate, uint64_t *buf,
	struct bopt_features *f)
{
	int best = -1;
	for (int j = 0; j <= max_level(s); j++) {
		struct level l;
		if (!level_get(s, j, buf, &l) || l.n < IDC_MIN_WINDOWS)
			break;
		best = j;
		if (l.width_s * rate >= IDC_WINDOW_EVENTS)
			break;
	}
	struct level l;
	if (best < 0 || !level_get(s, best, buf, &l))
		return;
	double mean, var;
	moments(l.c, l.n, &mean, &var);
	if (mean <= 0)
		return;
	f->have_idc = true;
	f->idc = var / mean;
	f->idc_window_s = l.width_s;
}

static void find_period(const struct bopt_summary *s, uint64_t *buf, struct bopt_features *f)
{
	for (int j = 0; j <= max_level(s); j++) {
		struct level l;
		if (!level_get(s, j, buf, &l) || l.n < ACF_MIN_BINS)
			break;
		if (l.n > ACF_MAX_BINS)
			continue;
		double mean, var;
		moments(l.c, l.n, &mean, &var);
		if (mean <= 0 || var / mean < SEASONAL_MIN_IDC)
			continue;
		size_t max_lag = l.n / SEASONAL_MIN_CYCLES;
		bool dipped = false;
		for (size_t k = 1; k <= max_lag; k++) {
			double acc = 0;
			for (size_t i = 0; i + k < l.n; i++)
				acc += ((double)l.c[i] - mean) * ((double)l.c[i + k] - mean);
			double r = acc / (var * (double)l.n);
			if (r < 0)
				dipped = true;
			else if (dipped && r >= SEASONAL_MIN_ACF && r > f->period_acf) {
				f->periodic = true;
				f->period_acf = r;
				f->period_s = (double)k * l.width_s;
			}
		}
	}
}

static double cv_of(double sum, double sumsq, double n)
{
	double mean = sum / n;
	double var = sumsq / n - mean * mean;
	return mean > 0 && var > 0 ? sqrt(var) / mean : 0;
}

static void find_batches(const struct bopt_summary *s, uint64_t *buf, struct bopt_features *f)
{
	for (int j = 0; j <= max_level(s); j++) {
		struct level l;
		if (!level_get(s, j, buf, &l) || l.n < IDC_MIN_WINDOWS)
			break;
		size_t empty = 0;
		for (size_t i = 0; i < l.n; i++)
			empty += l.c[i] == 0;
		if ((double)empty < BATCH_MIN_EMPTY * (double)l.n)
			continue;
		// Runs of non-empty windows; those touching either end may be cut.
		double k = 0, size_sum = 0, size_sq = 0, iv_sum = 0, iv_sq = 0;
		size_t prev_start = 0;
		for (size_t i = 0; i < l.n;) {
			if (l.c[i] == 0) {
				i++;
				continue;
			}
			size_t start = i;
			double size = 0;
			while (i < l.n && l.c[i] != 0)
				size += (double)l.c[i++];
			if (start == 0 || i == l.n)
				continue;
			if (k > 0) {
				double iv = (double)(start - prev_start);
				iv_sum += iv;
				iv_sq += iv * iv;
			}
			prev_start = start;
			k++;
			size_sum += size;
			size_sq += size * size;
		}
		if (k < BATCH_MIN_CLUSTERS || size_sum / k < BATCH_MIN_SIZE ||
				cv_of(size_sum, size_sq, k) > BATCH_MAX_CV ||
				cv_of(iv_sum, iv_sq, k - 1) > BATCH_MAX_CV)
			continue;
		f->batches = true;
		f->batch_mean_size = size_sum / k;
		f->batch_interval_s = iv_sum / (k - 1) * l.width_s;
		return;
	}
}

// Reference: estimate_optimal_batch_size.
static uint32_t batch_size_for_rate(double rate)
{
	return rate > REF_RATE_VERY_HIGH ? 1000 : rate > REF_RATE_HIGH ? 500 :
		rate > REF_RATE_MODERATE ? 100 : 10;
}

// Reference: classify_pattern_type for a Uniform distribution.
static enum bopt_pattern_type type_for_regular(double rate)
{
	return rate > REF_RATE_VERY_HIGH ? BOPT_BATCH_ORIENTED :
		rate > REF_RATE_MODERATE ? BOPT_STEADY : BOPT_REALTIME;
}

void summary_classify(const struct bopt_summary *s, const struct classify_options *o,
	struct bopt_pattern *p, struct bopt_features *f)
{
	pattern_init_default(p);
	*f = (struct bopt_features){0};
	uint64_t n = s->events;
	double span = n > 0 ? (double)((uint64_t)s->t_max - (uint64_t)s->t_min) / 1e9 : 0;
	f->span_seconds = span;
	double rate = n >= 2 && span > 0 ? (double)(n - 1) / span : (double)n / o->window_seconds;
	f->event_rate = rate;
	p->event_rate = rate;
	p->batch_size = batch_size_for_rate(rate);
	p->event_size_bytes = n > 0 ? s->bytes / n : 0;

	bool complex = false, ordering = false;
	for (int v = 0; v < BOPT_VARIANT_COUNT; v++) {
		if (s->variant_counts[v] == 0)
			continue;
		complex |= variant_is_complex(v);
		ordering |= variant_is_transactional(v);
	}
	struct bopt_data_characteristics *dc = &p->data_characteristics;
	dc->has_complex_structures = complex;
	dc->requires_ordering = ordering;
	if (s->sample_raw > 0)
		dc->compression_ratio = (double)s->sample_compressed / (double)s->sample_raw;
	p->consistency_requirements = ordering ? BOPT_EXACTLY_ONCE : BOPT_AT_LEAST_ONCE;

	if (s->n_gaps > 0) {
		long double g = (long double)s->n_gaps;
		long double mean = (long double)s->gap_sum / g;
		long double var = (long double)s->gap_sumsq / g - mean * mean;
		if (var < 0)
			var = 0;
		f->gap_mean_ms = (double)(mean / 1e6L);
		f->gap_std_ms = (double)(sqrtl(var) / 1e6L);
		f->gap_cv = mean > 0 ? (double)(sqrtl(var) / mean) : 0;
	}

	struct bopt_distribution *d = &p->temporal_distribution;
	if (n < REF_MIN_EVENTS) {
		d->kind = BOPT_DIST_UNIFORM;
		p->pattern_type = type_for_regular(rate);
		f->reason = "fewer than 10 events: uniform by the reference's rule";
		return;
	}
	double cv = f->gap_cv;
	if (cv < REF_CV_UNIFORM) {
		d->kind = BOPT_DIST_UNIFORM;
	} else if (cv < REF_CV_NORMAL) {
		d->kind = BOPT_DIST_NORMAL;
		d->mean = f->gap_mean_ms;
		d->std_dev = f->gap_std_ms;
	} else {
		d->kind = BOPT_DIST_EXPONENTIAL;
		d->lambda = f->gap_mean_ms > 0 ? 1.0 / f->gap_mean_ms : 0;
	}

	uint64_t *buf = xmalloc(SERIES_CAP * sizeof(uint64_t));
	find_idc(s, rate, buf, f);
	find_period(s, buf, f);
	if (cv > BATCH_MIN_GAP_CV)
		find_batches(s, buf, f);
	free(buf);

	if (f->batches) {
		p->pattern_type = BOPT_BATCH_ORIENTED;
		f->reason = "clusters of similar size at regular intervals";
	} else if (f->periodic) {
		p->pattern_type = BOPT_SEASONAL;
		f->reason = "the event rate follows a periodic cycle";
	} else if (cv < REF_CV_UNIFORM) {
		p->pattern_type = type_for_regular(rate);
		f->reason = "regular arrivals (gap CV < 0.1): by rate, as the reference";
	} else if ((f->have_idc && f->idc > IDC_BURSTY_MIN) || cv > CV_BURSTY_MIN) {
		p->pattern_type = BOPT_BURSTY;
		f->reason = "over-dispersed arrivals: irregular bursts and silences";
	} else if (cv >= CV_RANDOM_MIN) {
		p->pattern_type = BOPT_RANDOM;
		d->kind = BOPT_DIST_POISSON;
		d->lambda = rate;
		f->reason = "memoryless arrivals: gap CV and count dispersion near 1";
	} else {
		p->pattern_type = BOPT_STEADY;
		f->reason = "mildly varying arrivals";
	}
}
