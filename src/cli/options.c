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

int workload_option(struct workload_options *o, int opt, const char *arg)
{
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
		.weights_given = {NAN, NAN, NAN, NAN}};
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

int evaluation_option(struct evaluation_options *o, int opt, const char *arg)
{
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
	case OPT_SCORING:
		if (strcmp(arg, "bopt") != 0 && strcmp(arg, "reference") != 0) {
			bopt_warn("invalid --scoring '%s' (expected bopt or reference)", arg);
			return -1;
		}
		o->scoring = arg[0] == 'r' ? SCORING_REFERENCE : SCORING_BOPT;
		return 1;
	case OPT_ALL_BACKENDS:
		o->all_backends = true;
		return 1;
	default:
		return workload_option(&o->workload, opt, arg);
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
	return true;
}

static int64_t current_time(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_REALTIME, &ts);
	return (int64_t)ts.tv_sec * BOPT_NS_PER_SEC + ts.tv_nsec;
}

static bool read_workload(const struct evaluation_options *o, struct bopt_pattern *p,
	struct workload_observed *obs, char *err)
{
	if (o->pattern != NULL)
		return workload_read_pattern(o->pattern, p, err);
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
		*p = a.pattern;
		a.pattern.temporal_distribution.name = NULL; // moved to *p
		struct size_stats sizes;
		summary_sizes(&a.summary, &sizes);
		*obs = (struct workload_observed){
			.have = true,
			.size_mean = sizes.mean,
			.size_p99 = sizes.p99,
			.size_max = sizes.max,
			.peak_rate = (double)summary_peak_rate(&a.summary),
		};
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
	return true;
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
	if (!read_workload(o, &e->pattern, &e->observed, err))
		return false;
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
