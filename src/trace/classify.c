#include "trace/classify.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "base/util.h"

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

bool summary_descending(const struct bopt_summary *s)
{
	return s->events >= 2 && s->out_of_order == s->events - 1;
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
