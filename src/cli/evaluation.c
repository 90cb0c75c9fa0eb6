/*
 * The evaluation: the workload (a pattern, traces or summaries) read and
 * analysed, the metrics, the what-if scale, and the recommend input wired
 * from them (load, sizing options, arrivals). options.c parses the options
 * it starts from; the declarations are in cli/options.h.
 */
#include "cli/options.h"

#include <string.h>
#include <stdlib.h>
#include <time.h>

#include "base/timestamp.h"
#include "base/util.h"
#include "cli/commands.h"
#include "cli/evidence.h"
#include "cli/report.h"

static int64_t current_time(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_REALTIME, &ts);
	return (int64_t)ts.tv_sec * BOPT_NS_PER_SEC + ts.tv_nsec;
}

// Keyed by variant: each variant a key, with its share of the events (the
// unknown names beyond those kept by name, one key "(other)").
_Static_assert(BOPT_VARIANT_COUNT + SUMMARY_MAX_OTHER_VARIANTS + 1 <= QUEUE_KEYS_MAX,
	"every variant of a summary is a key");

static void variant_keys(const struct bopt_summary *s, struct evaluation *e)
{
	size_t n = 0;
	double total = (double)s->other_lumped;
	for (size_t i = 0; i < BOPT_VARIANT_COUNT; i++)
		total += (double)s->variant_counts[i];
	for (size_t i = 0; i < s->n_others; i++)
		total += (double)s->others[i].count;
	if (!(total > 0))
		return;
	for (size_t i = 0; i < BOPT_VARIANT_COUNT; i++)
		if (s->variant_counts[i] > 0)
			e->keys[n++] = (struct queue_key){queue_key_hash(bopt_variant_names[i]),
				(double)s->variant_counts[i] / total};
	for (size_t i = 0; i < s->n_others; i++)
		e->keys[n++] = (struct queue_key){queue_key_hash(s->others[i].name),
			(double)s->others[i].count / total};
	if (s->other_lumped > 0)
		e->keys[n++] = (struct queue_key){queue_key_hash("(other)"),
			(double)s->other_lumped / total};
	e->arrivals.keys = e->keys;
	e->arrivals.n_keys = n;
}

// The load of an analysed trace: its mean rate and bytes, and its peak
// over --peak-interval (bytes at the peak at the mean event size); its
// arrivals for the queueing model.
static void trace_load(const struct workload_analysis *a, const struct evaluation_options *o,
	struct evaluation *e)
{
	double interval_s = o->peak_interval_s;
	capacity_load_from_pattern(&a->pattern, &e->load);
	const struct bopt_summary *s = &a->summary;
	if (s->events == 0)
		return;
	double size = (double)s->bytes / (double)s->events;
	e->load.mean_bps = e->load.mean_eps * size;
	e->have_rates = summary_interval_rates(s, interval_s, &e->rates);
	uint64_t *counts = xmalloc(SERIES_CAP * sizeof(*counts));
	e->arrivals = (struct queue_arrivals){.counts = counts, .scale = 1,
		.n = series_aggregate(&s->series, 0, counts, SERIES_CAP),
		.bin_s = series_bin_seconds(&s->series)};
	if (o->partition_by == QUEUE_BY_VARIANT)
		variant_keys(s, e);
	if (e->have_rates) {
		e->load.peak_eps = e->rates.peak;
		e->load.peak_bps = e->rates.peak * size;
		e->load.peak_measured = true;
	}
}

static bool read_workload(const struct evaluation_options *o, struct evaluation *e, char *err)
{
	if (o->pattern != NULL) {
		if (!workload_read_pattern(o->pattern, &e->pattern, err))
			return false;
		capacity_load_from_pattern(&e->pattern, &e->load);
		return true;
	}
	struct workload_analysis a;
	struct summary_meta m;
	bool ok = o->n_summaries > 0 ?
		workload_from_summaries((char *const *)o->summaries, o->n_summaries, &o->workload,
			&a, &m, err) :
		workload_analyse((char *const *)o->traces, o->n_traces, &o->workload, &a, err);
	if (ok) {
		if (a.summary.skipped > 0)
			bopt_warn("skipped %llu invalid line%s", (unsigned long long)a.summary.skipped,
				a.summary.skipped == 1 ? "" : "s");
		if (a.warning[0])
			bopt_warn("%s", a.warning);
		trace_load(&a, o, e);
		e->pattern = a.pattern;
		a.pattern.temporal_distribution.name = NULL; // moved to e->pattern
		struct size_stats sizes;
		summary_sizes(&a.summary, &sizes);
		e->observed = (struct workload_observed){
			.have = true,
			.size_mean = sizes.mean,
			.size_p99 = sizes.p99,
			.size_max = sizes.max,
			.peak_rate = (double)summary_peak_rate(&a.summary),
		};
		if (o->keep_analysis) {
			e->analysis = xmalloc(sizeof(*e->analysis));
			*e->analysis = a;
			return true;
		}
	}
	workload_release(&a);
	return ok;
}

// Splits "LABEL=FILE": a label is 1 to METRICS_LABEL_MAX - 1 letters, digits
// or "._+-" before the first '='; anything else is a file name.
static const char *metrics_label(const char *arg, char label[METRICS_LABEL_MAX])
{
	size_t n = strspn(arg, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789._+-");
	if (n == 0 || n >= METRICS_LABEL_MAX || arg[n] != '=')
		return arg;
	memcpy(label, arg, n);
	label[n] = '\0';
	return arg + n + 1;
}

// --scale and --rate: every rate of the workload, peaks keeping their ratio
// to the mean (a bare pattern at rate 0 has no ratio: it takes the rate).
static void apply_what_if(const struct evaluation_options *o, struct evaluation *e)
{
	e->scaled = o->scale;
	if (o->rate >= 0) {
		if (e->pattern.event_rate > 0) {
			e->scaled = o->rate / e->pattern.event_rate;
		} else {
			e->pattern.event_rate = o->rate;
			capacity_load_from_pattern(&e->pattern, &e->load);
			e->scaled = 1;
			return;
		}
	}
	e->pattern.event_rate *= e->scaled;
	e->arrivals.scale = e->scaled;
	capacity_load_scale(&e->load, e->scaled);
	if (e->have_rates) {
		e->rates.p50 *= e->scaled;
		e->rates.p99 *= e->scaled;
		e->rates.peak *= e->scaled;
	}
}

bool evaluation_prepare(const struct evaluation_options *o, struct evaluation *e, char *err)
{
	*e = (struct evaluation){.now = o->has_now ? o->now : current_time(),
		.scoring = o->scoring};
	pattern_init_default(&e->pattern);
	metrics_init(&e->metrics, o->alpha);
	bool reference = o->scoring == SCORING_REFERENCE;
	// bopt counts evidence: the same snapshot given twice counts once.
	if (!reference)
		metrics_dedupe(&e->metrics);
	if (!read_workload(o, e, err))
		return false;
	apply_what_if(o, e);
	e->load.consumers = o->consumers;
	if (e->observed.have)
		e->observed.peak_rate = e->load.peak_eps; // over --peak-interval, what-if applied
	prices_builtin(&e->prices);
	if (o->prices != NULL && !prices_read(o->prices, &e->prices, err))
		return false;
	e->capacity = o->capacity;
	e->capacity.prices = &e->prices;
	if (e->pattern.event_rate > METRICS_VALUE_MAX) {
		// Shortest round-trip form: a rate just past the limit must not
		// print as the limit itself (%g gives 1e+15 for 1.000001e15).
		char rate[32];
		format_double(e->pattern.event_rate, rate);
		return bopt_errf(err, "an event rate of %s events/s is beyond what bopt models "
			"(at most %g)", rate, METRICS_VALUE_MAX);
	}
	for (size_t i = 0; i < o->n_metrics; i++) {
		char label[METRICS_LABEL_MAX] = "";
		const char *path = metrics_label(o->metrics[i], label);
		if (!metrics_load(&e->metrics, path, label[0] ? label : NULL, e->now, err))
			return false;
	}
	if (!metrics_finish(&e->metrics, e->pattern.event_size_bytes, reference, e->now, err))
		return false;
	if (o->n_metrics == 0 || o->all_backends)
		metrics_use_profiles(&e->metrics, reference, e->now);
	e->builtin = o->n_metrics == 0;
	for (int b = 0; b < BOPT_BACKEND_COUNT; b++)
		if (o->restricted && o->only[b] && !metrics_has_backend(&e->metrics,
				(enum bopt_backend)b))
			return bopt_errf(err, "no metrics for backend %s", backend_name((enum bopt_backend)b));
	if (metrics_count(&e->metrics) == 0)
		return bopt_errf(err, "no metric snapshots in the --metrics files");
	return true;
}

void evaluation_release(struct evaluation *e)
{
	pattern_release(&e->pattern);
	metrics_release(&e->metrics);
	if (e->analysis != NULL)
		workload_release(e->analysis);
	free(e->analysis);
	e->analysis = NULL;
	free((void *)e->arrivals.counts);
	e->arrivals.counts = NULL;
}

void evaluation_input(const struct evaluation *e, const struct evaluation_options *o,
	struct recommend_input *in)
{
	*in = (struct recommend_input){
		.pattern = &e->pattern,
		.metrics = &e->metrics,
		.only = o->restricted ? o->only : NULL,
		.weights = o->weights,
		.now = e->now,
		.scoring = e->scoring,
	};
	// bopt scoring sizes every candidate for the load and, from a trace,
	// predicts its latency under the trace's arrivals.
	if (e->scoring == SCORING_BOPT) {
		in->load = &e->load;
		in->capacity = &e->capacity;
		if (e->arrivals.counts != NULL)
			in->arrivals = &e->arrivals;
	}
}

int evaluation_begin(struct evaluation_options *o, int operands, struct evaluation *e,
	struct recommend_input *in)
{
	char err[BOPT_ERR_MAX];
	if (!evaluation_options_check(o, operands))
		return BOPT_EXIT_USAGE;
	if (!evaluation_configure(o, err) || !evaluation_prepare(o, e, err)) {
		bopt_warn("%s", err);
		return BOPT_EXIT_FAILURE;
	}
	evaluation_input(e, o, in);
	// Without arrivals to queue, --partition-by changes nothing: say so.
	if (o->has_partition_by && in->arrivals == NULL)
		bopt_warn("--partition-by has no effect: %s", e->scoring == SCORING_REFERENCE ?
			"--scoring reference does not predict queueing" :
			"a pattern has no arrivals to queue");
	return BOPT_EXIT_OK;
}

void evaluation_describe(FILE *out, const struct evaluation *e)
{
	const struct bopt_pattern *p = &e->pattern;
	report_row(out, "workload", "%s, %.6g events/s, %llu-byte events, %s",
		pattern_type_name(p->pattern_type), p->event_rate,
		(unsigned long long)p->event_size_bytes, consistency_name(p->consistency_requirements));
	if (e->builtin) {
		report_row(out, "performance", "built-in reference profiles (nothing measured)");
		return;
	}
	size_t n = 0, builtin = 0, backends = 0;
	bool labelled = false;
	for (size_t i = 0; i < e->metrics.n; i++) {
		const struct metrics_candidate *c = &e->metrics.c[i];
		if (c->builtin) {
			builtin++;
			continue;
		}
		n++;
		labelled |= c->label[0] != '\0';
		backends += i == 0 || c->backend != e->metrics.c[i - 1].backend;
	}
	char measured[64];
	if (labelled)
		snprintf(measured, sizeof(measured), "%zu candidates of %zu backend%s", n, backends,
			backends == 1 ? "" : "s");
	else
		snprintf(measured, sizeof(measured), "%zu backend%s", n, n == 1 ? "" : "s");
	if (e->scoring == SCORING_REFERENCE || (builtin == 0 && backends == BOPT_BACKEND_COUNT))
		report_row(out, "performance", "measured for %s", measured);
	else if (builtin > 0)
		report_row(out, "performance", "measured for %s, built-in reference profiles for %zu "
			"(--all-backends)", measured, builtin);
	else
		report_row(out, "performance", "measured for %s; the other %d are not ranked "
			"(--all-backends ranks them)", measured, BOPT_BACKEND_COUNT - (int)backends);
	evidence_describe(out, &e->metrics, p->event_size_bytes);
}

static const struct metrics_candidate *evaluation_plan(const struct evaluation *e,
	enum bopt_backend b, struct capacity_plan *out)
{
	// Plans are per backend: with several measured configurations, the
	// highest measured throughput sizes it.
	double measured = 0;
	const struct metrics_candidate *by = NULL;
	for (size_t i = 0; i < e->metrics.n; i++) {
		const struct metrics_candidate *c = &e->metrics.c[i];
		if (c->backend == b && metrics_candidate_sizing(c) > measured) {
			measured = metrics_candidate_sizing(c);
			by = c;
		}
	}
	capacity_plan(b, &e->load, measured, &e->capacity, out);
	return by;
}

void evaluation_plan_candidate(const struct evaluation *e, const struct metrics_candidate *c,
	struct capacity_plan *out)
{
	capacity_plan(c->backend, &e->load, metrics_candidate_sizing(c), &e->capacity, out);
}

void evaluation_plans(const struct evaluation *e, struct capacity_plan plans[BOPT_BACKEND_COUNT],
	const struct metrics_candidate *by[BOPT_BACKEND_COUNT])
{
	for (int b = 0; b < BOPT_BACKEND_COUNT; b++)
		by[b] = evaluation_plan(e, (enum bopt_backend)b, &plans[b]);
}

void evaluation_describe_load(FILE *out, const struct evaluation *e)
{
	const struct capacity_load *l = &e->load;
	char what_if[64] = "";
	if (e->scaled != 1)
		snprintf(what_if, sizeof(what_if), ", x %.6g (what if)", e->scaled);
	if (e->have_rates) {
		const struct interval_rates *r = &e->rates;
		report_row(out, "peak", "%.6g events/s over %.6g s intervals (p50 %.6g, p99 %.6g; "
			"%.3g x the mean), from the trace%s", r->peak, r->interval_s, r->p50, r->p99,
			l->mean_eps > 0 ? r->peak / l->mean_eps : 0, what_if);
	} else {
		report_row(out, "peak", "%.6g events/s: a pattern has no peak, so the mean%s",
			l->peak_eps, what_if);
	}
	report_row(out, "load", "%.6g bytes/s mean, %.6g bytes/s at peak, compression ratio %.3g",
		l->mean_bps, l->peak_bps, l->compression_ratio);
}

void evaluation_describe_sizing(FILE *out, const struct evaluation *e)
{
	char retention[64] = "each backend's default";
	if (e->capacity.retention_days >= 0)
		snprintf(retention, sizeof(retention), "%.6g days", e->capacity.retention_days);
	report_row(out, "sizing", "for %.6g%% utilisation at peak; retention %s",
		e->capacity.utilisation * 100, retention);
	const struct price_table *t = &e->prices;
	size_t replaced = 0;
	for (int i = 0; i < PRICE_COUNT; i++)
		replaced += t->replaced[i];
	if (replaced == 0)
		report_row(out, "prices", "built-in, %s, %s (AWS list prices via Infracost)",
			t->region, t->date);
	else
		report_row(out, "prices", "%zu from %s (%s, %s), the rest built-in (%s, %s)",
			replaced, t->origin, t->region, t->date, PRICES_BUILTIN_REGION,
			PRICES_BUILTIN_DATE);
}
