#include "trace/shards.h"

#include <stdlib.h>
#include <string.h>

#include "base/input.h"
#include "base/types.h"
#include "base/util.h"
#include "trace/classify.h"

// One part: its scalar figures (no buffers) and what its document says.
struct shard {
	const char *path; // the document's, as given
	struct bopt_summary s;
	struct summary_meta m;
};

// Time order; ties broken by content so that any argument order gives one result.
static int by_time(const void *a, const void *b)
{
	const struct shard *x = a, *y = b;
	const struct bopt_summary *s = &x->s, *t = &y->s;
	if (s->t_min != t->t_min)
		return s->t_min < t->t_min ? -1 : 1;
	if (s->t_max != t->t_max)
		return s->t_max < t->t_max ? -1 : 1;
	if (s->events != t->events)
		return s->events < t->events ? -1 : 1;
	if (s->bytes != t->bytes)
		return s->bytes < t->bytes ? -1 : 1;
	const char *p = x->m.n_names ? x->m.names[0] : "";
	const char *q = y->m.n_names ? y->m.names[0] : "";
	return strcmp(p, q);
}

static uint64_t max_u64(uint64_t a, uint64_t b)
{
	return a > b ? a : b;
}

// Appends the repaired stream of s, which starts at or after d's ends:
// what one pass over both would have counted.
static void join(struct bopt_summary *d, const struct bopt_summary *s)
{
	if (!d->emitted_any) {
		d->emitted_any = true;
		d->first_emitted = s->first_emitted;
		d->hwm = s->hwm;
		d->n_gaps = s->n_gaps;
		d->gap_sum = s->gap_sum;
		d->gap_sumsq = s->gap_sumsq;
		memcpy(d->gap_hist, s->gap_hist, sizeof(d->gap_hist));
		d->first_sec = s->first_sec;
		d->first_sec_count = s->first_sec_count;
		d->cur_sec = s->cur_sec;
		d->cur_sec_count = s->cur_sec_count;
		d->peak_per_sec = s->peak_per_sec;
		return;
	}
	uint64_t gap = (uint64_t)s->first_emitted - (uint64_t)d->hwm;
	d->n_gaps += s->n_gaps + 1;
	d->gap_sum += s->gap_sum + gap;
	d->gap_sumsq += s->gap_sumsq + (bopt_u128)gap * gap;
	for (int b = 0; b < GAP_BINS; b++)
		d->gap_hist[b] += s->gap_hist[b];
	d->gap_hist[gap_bin(gap)]++;
	d->hwm = s->hwm;
	// peak_per_sec: the fullest second but the last, as summary_emit keeps it.
	uint64_t peak = max_u64(d->peak_per_sec, s->peak_per_sec);
	bool d_one = d->first_sec == d->cur_sec, s_one = s->first_sec == s->cur_sec;
	if (d->cur_sec == s->first_sec) { // one second across the boundary
		uint64_t c = d->cur_sec_count + s->first_sec_count;
		if (d_one)
			d->first_sec_count = c;
		if (s_one) {
			d->cur_sec_count = c;
		} else {
			peak = max_u64(peak, c);
			d->cur_sec_count = s->cur_sec_count;
		}
	} else {
		peak = max_u64(peak, d->cur_sec_count);
		d->cur_sec_count = s->cur_sec_count;
	}
	d->cur_sec = s->cur_sec;
	d->peak_per_sec = peak;
}

// The count of second sec from the parts that know it (their first or last).
static uint64_t known_second(const struct shard *p, size_t n, int64_t sec)
{
	uint64_t c = 0;
	for (size_t i = 0; i < n; i++) {
		const struct bopt_summary *s = &p[i].s;
		if (s->first_sec == sec)
			c += s->first_sec_count;
		else if (s->cur_sec == sec)
			c += s->cur_sec_count;
	}
	return c;
}

// The per-second figures of the superposition.
static void superpose_seconds(struct bopt_summary *d, const struct shard *p, size_t n)
{
	bool late = false;
	uint64_t sum_peaks = 0;
	for (size_t i = 0; i < n; i++) {
		late |= p[i].s.late > 0;
		sum_peaks += summary_peak_rate(&p[i].s);
	}
	const struct series *se = &d->series;
	uint64_t *sec = xmalloc(SERIES_CAP * sizeof(*sec));
	if (se->shift <= 10 && !late) {
		// Bins nest in seconds: the series counts every second exactly.
		size_t k = series_aggregate(se, 10 - se->shift, sec, SERIES_CAP);
		uint64_t peak = 0;
		for (size_t i = 0; i < k; i++)
			peak = max_u64(peak, sec[i]);
		d->peak_per_sec = peak;
		d->first_sec_count = sec[0];
		d->cur_sec_count = sec[k - 1];
	} else {
		// A bin of a second or more holds at least the fullest second in it.
		size_t k = series_aggregate(se, 0, sec, SERIES_CAP);
		uint64_t most = 0;
		for (size_t i = 0; i < k; i++)
			most = max_u64(most, sec[i]);
		d->first_sec_count = known_second(p, n, d->first_sec);
		d->cur_sec_count = known_second(p, n, d->cur_sec);
		d->peak_per_sec = max_u64(sum_peaks < most ? sum_peaks : most,
			max_u64(d->first_sec_count, d->cur_sec_count));
		d->approx_peak = true;
	}
	free(sec);
}

// The superposed gaps' squared CV: the merged count series' index of
// dispersion where it is measured, else the parts' CV^2 weighted by gaps.
static long double superposed_cv2(const struct bopt_summary *d, const struct shard *p, size_t n)
{
	struct bopt_pattern pat;
	struct bopt_features f;
	pattern_init_default(&pat);
	summary_classify(d, &(struct classify_options){.window_seconds = 3600}, &pat, &f);
	pattern_release(&pat);
	if (f.have_idc)
		return f.idc;
	long double sum = 0, weight = 0;
	for (size_t i = 0; i < n; i++) {
		const struct bopt_summary *s = &p[i].s;
		if (s->n_gaps == 0 || s->gap_sum == 0)
			continue;
		long double g = (long double)s->n_gaps, mean = (long double)s->gap_sum / g;
		long double var = (long double)s->gap_sumsq / g - mean * mean;
		sum += g * (var > 0 ? var : 0) / (mean * mean);
		weight += g;
	}
	return weight > 0 ? sum / weight : 1;
}

// The repaired stream of overlapping parts: exact but for the squared gaps
// (and the peak when the series cannot tell seconds apart).
static void superpose(struct bopt_summary *d, const struct shard *p, size_t n)
{
	uint64_t emitted = 0;
	d->first_emitted = INT64_MAX;
	d->hwm = INT64_MIN;
	d->first_sec = INT64_MAX;
	d->cur_sec = INT64_MIN;
	for (size_t i = 0; i < n; i++) {
		const struct bopt_summary *s = &p[i].s;
		emitted += s->n_gaps + 1;
		if (s->first_emitted < d->first_emitted)
			d->first_emitted = s->first_emitted;
		if (s->hwm > d->hwm)
			d->hwm = s->hwm;
		if (s->first_sec < d->first_sec)
			d->first_sec = s->first_sec;
		if (s->cur_sec > d->cur_sec)
			d->cur_sec = s->cur_sec;
	}
	d->emitted_any = true;
	d->n_gaps = emitted - 1;
	d->gap_sum = (uint64_t)d->hwm - (uint64_t)d->first_emitted;
	superpose_seconds(d, p, n);
	d->approx_gaps = true;
	d->gaps_unbinned = true; // which gaps the interleaving makes is not known
	memset(d->gap_hist, 0, sizeof(d->gap_hist));
	d->gap_sumsq = 0;
	if (d->n_gaps == 0)
		return;
	// Mean exact; sum of squares n mean^2 (1 + CV^2), within what the gaps allow:
	// at least all equal, at most all in one.
	bopt_u128 sq = (bopt_u128)d->gap_sum * d->gap_sum;
	bopt_u128 least = sq / d->n_gaps + (sq % d->n_gaps != 0);
	long double est = (long double)sq / (long double)d->n_gaps *
		(1 + superposed_cv2(d, p, n));
	bopt_u128 v = est >= (long double)sq ? sq : (bopt_u128)est;
	d->gap_sumsq = v < least ? least : v;
}

void shards_begin(struct shards *sh, struct bopt_summary *out)
{
	*sh = (struct shards){.out = out};
	summary_init(&sh->scratch);
}

bool shards_add(struct shards *sh, const char *path, char *err)
{
	struct bopt_summary *s = &sh->scratch;
	summary_reset(s);
	if (sh->n == sh->cap) {
		sh->cap = sh->cap ? 2 * sh->cap : 16;
		sh->parts = xrealloc(sh->parts, sh->cap * sizeof(*sh->parts));
	}
	struct shard *p = &sh->parts[sh->n];
	if (!summary_read_doc(path, s, &p->m, err))
		return false;
	sh->n++;
	p->path = input_display_name(path);
	p->s = *s;
	// The copy keeps no buffers (they are the scratch summary's).
	p->s.series.bins = p->s.series.scratch = NULL;
	p->s.size_hist = NULL;
	p->s.reorder = (struct reorder){0};
	p->s.times = NULL;
	// Everything but the unknown variant names adds up in any order.
	s->n_others = 0;
	s->other_lumped = 0;
	summary_merge_counts(sh->out, s);
	return true;
}

bool shards_end(struct shards *sh, struct summary_meta *om, char *err)
{
	struct bopt_summary *out = sh->out;
	struct shard *p = sh->parts;
	size_t n = sh->n;
	*om = (struct summary_meta){0};
	if (n == 0)
		return bopt_errf(err, "no summaries to merge");
	for (size_t i = 1; i < n; i++)
		if (p[i].m.horizon_ns != p[0].m.horizon_ns)
			return bopt_errf(err, "%s and %s were repaired with different --max-disorder "
				"(%.6g s and %.6g s): analyse them alike", p[0].path,
				p[i].path, (double)p[0].m.horizon_ns / 1e9,
				(double)p[i].m.horizon_ns / 1e9);
	om->horizon_ns = p[0].m.horizon_ns;
	qsort(p, n, sizeof(*p), by_time);

	bool disjoint = true;
	int64_t end = p[0].s.t_max;
	for (size_t i = 1; i < n; i++) {
		if (p[i].s.t_min < end)
			disjoint = false;
		if (p[i].s.t_max > end)
			end = p[i].s.t_max;
	}
	// Input order: the parts one after another.
	out->in_first = p[0].s.in_first;
	out->in_last = p[n - 1].s.in_last;
	for (size_t i = 0; i < n; i++) {
		const struct summary_meta *m = &p[i].m;
		for (size_t j = 0; j < m->n_names && om->n_names < SUMMARY_DOC_NAMES; j++)
			memcpy(om->names[om->n_names++], m->names[j], sizeof(m->names[j]));
		om->inputs += m->inputs;
		summary_merge_others(out, &p[i].s);
		if (disjoint)
			join(out, &p[i].s);
	}
	if (!disjoint)
		superpose(out, p, n);
	return true;
}

void shards_release(struct shards *sh)
{
	summary_destroy(&sh->scratch);
	free(sh->parts);
	*sh = (struct shards){0};
}
