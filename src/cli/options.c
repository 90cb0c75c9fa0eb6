#include "cli/options.h"

#include <math.h>
#include <string.h>
#include <stdlib.h>
#include <time.h>

#include "base/jsonw.h"
#include "base/timestamp.h"
#include "base/util.h"
#include "cli/commands.h"
#include "cli/diag.h"
#include "cli/evidence.h"
#include "cli/report.h"

const struct opt format_opt[] = {
	{'f', "format", "FMT", "table (default) or json", "table json"},
	OPT_END,
};

const struct opt help_opt[] = {
	{'h', "help", NULL, "show this help", NULL},
	OPT_END,
};

const struct opt workload_opts[] = {
	{'j', "jobs", "N", "worker threads for regular files (default: online cores)", NULL},
	{OPT_WINDOW, "window", "D", "analyse only the last D of the trace (e.g. 90s, 15m, 2h, 1d)",
		NULL},
	{OPT_SKIP_INVALID, "skip-invalid", NULL,
		"count invalid lines instead of stopping at the first", NULL},
	{OPT_NO_PROGRESS, "no-progress", NULL, "never show a progress line on standard error",
		NULL},
	{OPT_MAX_DISORDER, "max-disorder", "D",
		"repair disorder up to D behind (default 10s; 0: none)", NULL},
	{OPT_INTERLEAVE, "interleave", NULL, "merge several files by event time (the default)",
		NULL},
	{OPT_CONCAT, "concat", NULL, "read several files in order as one stream", NULL},
	{OPT_STRICT, "strict", NULL, "fail when disorder defeats the repair", NULL},
	OPT_END,
};

const struct opt evaluation_opts[] = {
	{OPT_PATTERN, "pattern", "FILE", "the workload: a WorkloadPattern or analyze -f json output",
		NULL},
	{OPT_TRACE, "trace", "FILE", "the workload: analyse this trace (repeatable, in order)", NULL},
	{OPT_SUMMARY, "summary", "FILE", "the workload: these summary documents merged (repeatable)",
		NULL},
	{OPT_METRICS, "metrics", "[LABEL=]FILE", "metric snapshots or an OMB result, of the\n"
		"configuration LABEL (repeatable; default: the built-in\nreference profiles)", NULL},
	{OPT_ALPHA, "alpha", "A", "smoothing of later snapshots, 0 < A <= 1 (default 0.1)", NULL},
	{OPT_WEIGHTS, "weights", "W", "latency=..,throughput=..,reliability=..,resource=..\n"
		"(default 0.3, 0.3, 0.3, 0.1)", NULL},
	{OPT_BACKEND, "backend", "NAME", "only this backend (repeatable)", backend_name_list},
	{OPT_NOW, "now", "TIME", "the current time, RFC 3339 (for reproducible output)", NULL},
	{OPT_SCORING, "scoring", "MODE", "bopt (default) or reference: the reference's exact\n"
		"score, confidence, profiles and measured-only ranking", "bopt reference"},
	{OPT_ALL_BACKENDS, "all-backends", NULL, "with --metrics, also rank the backends not\n"
		"measured, by their built-in profiles", NULL},
	OPT_END,
};

const struct opt capacity_opts[] = {
	{OPT_HEADROOM, "headroom", "PCT", "target utilisation at peak, percent (default 50:\n"
		"provision twice the peak)", NULL},
	{OPT_RETENTION, "retention", "D", "keep events for D (e.g. 30d; default: each backend's)",
		NULL},
	{OPT_PEAK_INTERVAL, "peak-interval", "D", "measure the peak over intervals of D (default 1s)",
		"1s 10s 1m"},
	{OPT_SCALE, "scale", "X", "what if: multiply the workload's rate by X", NULL},
	{OPT_RATE, "rate", "R", "what if: set the workload's rate to R events/s", NULL},
	{OPT_CONSUMERS, "consumers", "N", "consumer groups reading every event (default 1)", NULL},
	{OPT_PRICES, "prices", "FILE", "replace built-in prices (JSON; see bopt(1), PRICES FILE)",
		NULL},
	OPT_END,
};

const struct opt queueing_opts[] = {
	{OPT_PARTITION_BY, "partition-by", "HOW", "how the queueing model spreads events over\n"
		"units: round-robin (default) or variant (keyed by event type)", "round-robin variant"},
	OPT_END,
};

int workload_option(void *ctx, int opt, const char *arg)
{
	struct workload_options *o = ctx;
	long long ns;
	size_t jobs;
	switch (opt) {
	case OPT_WINDOW:
		if (!parse_duration(arg, &ns)) {
			bopt_warn("invalid --window '%s' (expected a duration such as 90s, 15m, 2h)", arg);
			return -1;
		}
		o->trace.has_window = true;
		o->trace.window_ns = ns;
		o->classify.window_seconds = (double)ns / 1e9;
		return 1;
	case OPT_SKIP_INVALID:
		o->trace.skip_invalid = true;
		return 1;
	case OPT_NO_PROGRESS:
		o->trace.progress = NULL;
		return 1;
	case OPT_MAX_DISORDER:
		if (strcmp(arg, "0") == 0) {
			ns = 0;
		} else if (!parse_duration(arg, &ns)) {
			bopt_warn("invalid --max-disorder '%s' (expected a duration such as 10s, "
				"500ms, 2m, or 0)", arg);
			return -1;
		}
		o->trace.max_disorder_ns = ns;
		return 1;
	case OPT_INTERLEAVE:
	case OPT_CONCAT:
		o->trace.concat = opt == OPT_CONCAT;
		return 1;
	case OPT_STRICT:
		o->strict = true;
		return 1;
	case 'j':
		if (!parse_size(arg, &jobs) || jobs < 1 || jobs > 256) {
			bopt_warn("invalid --jobs '%s' (expected 1 to 256)", arg);
			return -1;
		}
		o->trace.jobs = (int)jobs;
		return 1;
	default:
		return 0;
	}
}

void evaluation_options_init(struct evaluation_options *o)
{
	*o = (struct evaluation_options){.alpha = METRICS_DEFAULT_ALPHA,
		.weights_given = {NAN, NAN, NAN, NAN}, .peak_interval_s = 1, .scale = 1, .rate = -1,
		.consumers = 1};
	capacity_options_init(&o->capacity, NULL);
	workload_options_init(&o->workload);
	o->workload.trace.progress = diag_progress_sink();
	config_init(&o->config);
	cost_weights_default(&o->weights);
}

void evaluation_options_release(struct evaluation_options *o)
{
	free(o->traces);
	free(o->summaries);
	free(o->metrics);
	o->traces = o->summaries = o->metrics = NULL;
	config_release(&o->config);
}

static void push(const char ***list, size_t *n, const char *arg)
{
	*list = xrealloc(*list, (*n + 1) * sizeof(**list));
	(*list)[(*n)++] = arg;
}

bool evaluation_parse_backend(const char *option, const char *arg, enum bopt_backend *out)
{
	if (backend_parse(arg, out))
		return true;
	// "Kafka, Nats, ... or Memory"
	char names[256] = "";
	for (int b = 0; b < BOPT_BACKEND_COUNT; b++) {
		strcat(names, b == 0 ? "" : b + 1 < BOPT_BACKEND_COUNT ? ", " : " or ");
		strcat(names, backend_name((enum bopt_backend)b));
	}
	bopt_warn("invalid %s '%s' (expected %s)", option, arg, names);
	return false;
}

// The most --scale multiplies by, and the highest --rate.
#define SCALE_MAX 1e9
#define RATE_MAX 1e12
// --peak-interval: from a second to a day.
#define PEAK_INTERVAL_MIN_S 1.0
#define PEAK_INTERVAL_MAX_S 86400.0
// Kinesis allows 20 enhanced fan-out consumers a stream; beyond a thousand
// groups is a typing error.
#define CONSUMERS_MAX 1000

static bool parse_percent(const char *arg, double *out)
{
	char buf[64];
	size_t n = strlen(arg);
	if (n == 0 || n >= sizeof(buf))
		return false;
	memcpy(buf, arg, n + 1);
	if (buf[n - 1] == '%')
		buf[n - 1] = '\0';
	return parse_double(buf, out);
}

// The sizing and what-if options: 1, 0 or -1 as evaluation_option.
static int capacity_option(struct evaluation_options *o, int opt, const char *arg)
{
	long long ns;
	double v;
	size_t n;
	switch (opt) {
	case OPT_HEADROOM:
		if (!parse_percent(arg, &v) || !(v > 0 && v <= 100)) {
			bopt_warn("invalid --headroom '%s' (expected a target utilisation in percent, "
				"above 0, at most 100)", arg);
			return -1;
		}
		o->capacity.utilisation = v / 100;
		o->has_headroom = true;
		return 1;
	case OPT_RETENTION:
		if (strcmp(arg, "0") == 0) {
			o->capacity.retention_days = 0;
			return 1;
		}
		if (!parse_duration(arg, &ns)) {
			bopt_warn("invalid --retention '%s' (expected 0 or a duration such as 12h, 30d)",
				arg);
			return -1;
		}
		o->capacity.retention_days = (double)ns / 1e9 / CAPACITY_SECONDS_PER_DAY;
		return 1;
	case OPT_PEAK_INTERVAL:
		if (!parse_duration(arg, &ns) || (double)ns / 1e9 < PEAK_INTERVAL_MIN_S ||
			(double)ns / 1e9 > PEAK_INTERVAL_MAX_S) {
			bopt_warn("invalid --peak-interval '%s' (expected a duration from 1s to 1d, "
				"such as 1s, 10s, 1m)", arg);
			return -1;
		}
		o->peak_interval_s = (double)ns / 1e9;
		return 1;
	case OPT_SCALE:
		if (!parse_double(arg, &v) || !(v > 0 && v <= SCALE_MAX)) {
			bopt_warn("invalid --scale '%s' (expected a number above 0, at most %g)", arg,
				SCALE_MAX);
			return -1;
		}
		o->scale = v;
		return 1;
	case OPT_CONSUMERS:
		if (!parse_size(arg, &n) || n < 1 || n > CONSUMERS_MAX) {
			bopt_warn("invalid --consumers '%s' (expected 1 to %d)", arg, CONSUMERS_MAX);
			return -1;
		}
		o->consumers = (unsigned)n;
		return 1;
	case OPT_PARTITION_BY:
		if (!queue_partitioning_parse(arg, &o->partition_by)) {
			bopt_warn("invalid --partition-by '%s' (expected round-robin or variant)", arg);
			return -1;
		}
		o->has_partition_by = true;
		return 1;
	case OPT_RATE:
		if (!parse_double(arg, &v) || !(v >= 0 && v <= RATE_MAX)) {
			bopt_warn("invalid --rate '%s' (expected events/s from 0 to %g)", arg, RATE_MAX);
			return -1;
		}
		o->rate = v;
		return 1;
	default:
		return 0;
	}
}

int evaluation_option(void *ctx, int opt, const char *arg)
{
	struct evaluation_options *o = ctx;
	char err[BOPT_ERR_MAX];
	enum bopt_backend b;
	switch (opt) {
	case OPT_PATTERN:
		o->pattern = arg;
		return 1;
	case OPT_TRACE:
		push(&o->traces, &o->n_traces, arg);
		return 1;
	case OPT_SUMMARY:
		push(&o->summaries, &o->n_summaries, arg);
		return 1;
	case OPT_METRICS:
		push(&o->metrics, &o->n_metrics, arg);
		return 1;
	case OPT_CONFIG:
		o->config_path = arg;
		return 1;
	case OPT_ALPHA:
		if (!parse_double(arg, &o->alpha) || !(o->alpha > 0 && o->alpha <= 1)) {
			bopt_warn("invalid --alpha '%s' (expected a number above 0, at most 1)", arg);
			return -1;
		}
		o->has_alpha = true;
		return 1;
	case OPT_WEIGHTS:
		// Over NaN, so that the names given show; the sum is checked with
		// the configuration's weights (evaluation_configure).
		if (!cost_weights_parse(arg, &o->weights_given, err)) {
			bopt_warn("%s", err);
			return -1;
		}
		return 1;
	case OPT_NOW:
		if (!ts_parse(arg, strlen(arg), &o->now)) {
			bopt_warn("invalid --now '%s' (expected an RFC 3339 time such as "
				"2026-07-19T08:54:15Z)", arg);
			return -1;
		}
		o->has_now = true;
		return 1;
	case OPT_BACKEND:
		if (!evaluation_parse_backend("--backend", arg, &b))
			return -1;
		o->restricted = true;
		o->only[b] = true;
		return 1;
	case OPT_PRICES:
		o->prices = arg;
		return 1;
	case OPT_SCORING:
		if (strcmp(arg, "bopt") != 0 && strcmp(arg, "reference") != 0) {
			bopt_warn("invalid --scoring '%s' (expected bopt or reference)", arg);
			return -1;
		}
		o->scoring = arg[0] == 'r' ? SCORING_REFERENCE : SCORING_BOPT;
		o->has_scoring = true;
		return 1;
	case OPT_ALL_BACKENDS:
		o->all_backends = true;
		return 1;
	default:
	{
		int r = capacity_option(o, opt, arg);
		if (r == 0 && opt == OPT_MAX_DISORDER)
			o->has_max_disorder = true;
		return r != 0 ? r : workload_option(&o->workload, opt, arg);
	}
	}
}

bool evaluation_options_check(const struct evaluation_options *o, int operands)
{
	if (operands > 0) {
		bopt_warn("unexpected argument (give traces with --trace, patterns with --pattern)");
		return false;
	}
	int sources = (o->pattern != NULL) + (o->n_traces > 0) + (o->n_summaries > 0);
	if (sources != 1) {
		bopt_warn(sources > 1 ? "--pattern, --trace and --summary exclude each other" :
			"a workload is needed: --pattern FILE, --trace FILE or --summary FILE");
		return false;
	}
	if (o->scale != 1 && o->rate >= 0) {
		bopt_warn("--scale and --rate exclude each other");
		return false;
	}
	return true;
}

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

bool evaluation_configure(struct evaluation_options *o, char *err)
{
	struct bopt_config *c = &o->config;
	if (!config_load(c, o->config_path, err))
		return false;
	double *given[] = {&o->weights_given.latency, &o->weights_given.throughput,
		&o->weights_given.reliability, &o->weights_given.resource};
	double *slot[] = {&c->weights.latency, &c->weights.throughput, &c->weights.reliability,
		&c->weights.resource};
	for (int i = 0; i < 4; i++) {
		if (isnan(*given[i]))
			continue;
		*slot[i] = *given[i];
		config_set_by_option(c, (enum config_key_id)(CFG_COST_WEIGHT_LATENCY + i), "--weights");
	}
	const struct cost_weights *w = &c->weights;
	if (!(w->latency + w->throughput + w->reliability + w->resource > 0))
		return bopt_errf(err, "the weights must not all be zero");
	o->weights = *w;
	if (o->has_alpha) {
		c->alpha = o->alpha;
		config_set_by_option(c, CFG_ALPHA, "--alpha");
	}
	o->alpha = c->alpha;
	if (o->n_metrics > 0)
		config_set_by_option(c, CFG_METRICS, "--metrics");
	else
		for (size_t i = 0; i < c->metrics.n; i++)
			push(&o->metrics, &o->n_metrics, c->metrics.v[i]);
	// bopt's own defaults: the option's value when given (the configuration
	// then shows it), else the configuration's.
	if (o->has_headroom) {
		c->headroom = o->capacity.utilisation * 100;
		config_set_by_option(c, CFG_HEADROOM, "--headroom");
	} else {
		o->capacity.utilisation = c->headroom / 100;
	}
	if (o->has_scoring) {
		c->scoring = o->scoring;
		config_set_by_option(c, CFG_SCORING, "--scoring");
	} else {
		o->scoring = c->scoring;
	}
	if (o->prices != NULL) {
		free(c->prices);
		c->prices = xstrdup(o->prices);
		config_set_by_option(c, CFG_PRICES, "--prices");
	} else {
		o->prices = c->prices;
	}
	if (o->has_max_disorder) {
		c->max_disorder_ns = o->workload.trace.max_disorder_ns;
		config_set_by_option(c, CFG_MAX_DISORDER, "--max-disorder");
	} else {
		o->workload.trace.max_disorder_ns = c->max_disorder_ns;
	}
	if (o->has_partition_by) {
		c->partition_by = o->partition_by;
		config_set_by_option(c, CFG_PARTITION_BY, "--partition-by");
	} else {
		o->partition_by = c->partition_by;
	}
	return true;
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

// The workload's requirements (bopt scoring).
const struct opt requirement_opts[] = {
	{OPT_CONSISTENCY, "consistency", "LEVEL", "the consistency the workload requires\n"
		"(overrides the pattern's)", "AtMostOnce AtLeastOnce ExactlyOnce Session Strong"},
	{OPT_DURABLE, "durable", NULL, "require durable storage (default: from AtLeastOnce up)",
		NULL},
	{OPT_NO_DURABLE, "no-durable", NULL, "do not require durable storage", NULL},
	{OPT_MAX_P99, "max-p99", "MS", "the p99 latency bound, ms: a backend above it is\n"
		"ineligible; also the latency target", NULL},
	{OPT_MAX_EVENT_SIZE, "max-event-size", "BYTES", "the largest event (default: from the\n"
		"trace, or the pattern's event size)", NULL},
	OPT_END,
};

void requirement_args_init(struct requirement_args *r)
{
	*r = (struct requirement_args){0};
	requirement_options_init(&r->req);
}

int requirement_option(void *ctx, int opt, const char *arg)
{
	struct requirement_args *ro = ctx;
	switch (opt) {
	case OPT_CONSISTENCY:
		if (!consistency_parse(arg, &ro->consistency)) {
			bopt_warn("invalid --consistency '%s' (expected AtMostOnce, AtLeastOnce, "
				"ExactlyOnce, Session or Strong)", arg);
			return -1;
		}
		ro->has_consistency = true;
		return 1;
	case OPT_DURABLE:
	case OPT_NO_DURABLE:
		ro->req.durable = opt == OPT_DURABLE;
		ro->option = opt == OPT_DURABLE ? "--durable" : "--no-durable";
		return 1;
	case OPT_MAX_P99:
		if (!parse_double(arg, &ro->req.max_p99) || !(ro->req.max_p99 > 0) ||
			ro->req.max_p99 > METRICS_VALUE_MAX) {
			bopt_warn("invalid --max-p99 '%s' (expected a number of ms above 0)", arg);
			return -1;
		}
		ro->option = "--max-p99";
		return 1;
	case OPT_MAX_EVENT_SIZE: {
		size_t v;
		if (!parse_size(arg, &v) || v < 1) {
			bopt_warn("invalid --max-event-size '%s' (expected a whole number of bytes "
				"from 1)", arg);
			return -1;
		}
		ro->req.max_event_size = v;
		ro->option = "--max-event-size";
		return 1;
	}
	default:
		return 0;
	}
}

bool requirement_args_check(const struct requirement_args *r, const struct evaluation_options *o)
{
	if (o->scoring == SCORING_REFERENCE && r->option != NULL) {
		bopt_warn("%s needs bopt scoring (not --scoring reference)", r->option);
		return false;
	}
	return true;
}

void requirement_apply(const struct requirement_args *r, struct evaluation *e,
	struct requirements *out)
{
	if (r->has_consistency)
		e->pattern.consistency_requirements = r->consistency;
	requirements_derive(&e->pattern, &e->observed, &r->req, out);
}

void evaluation_plan(const struct evaluation *e, enum bopt_backend b, struct capacity_plan *out)
{
	// Plans are per backend: with several measured configurations, the
	// highest measured throughput sizes it.
	double measured = 0;
	for (size_t i = 0; i < e->metrics.n; i++) {
		const struct metrics_candidate *c = &e->metrics.c[i];
		if (c->backend == b && !c->builtin && c->perf.measured_throughput > measured)
			measured = c->perf.measured_throughput;
	}
	capacity_plan(b, &e->load, measured, &e->capacity, out);
}

void evaluation_plans(const struct evaluation *e, struct capacity_plan plans[BOPT_BACKEND_COUNT])
{
	for (int b = 0; b < BOPT_BACKEND_COUNT; b++)
		evaluation_plan(e, (enum bopt_backend)b, &plans[b]);
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
