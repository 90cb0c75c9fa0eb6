#include "cli/options.h"

#include <string.h>
#include <stdlib.h>
#include <time.h>

#include "base/timestamp.h"
#include "base/util.h"
#include "cli/commands.h"
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
	OPT_END,
};

const struct opt evaluation_opts[] = {
	{OPT_PATTERN, "pattern", "FILE", "the workload: a WorkloadPattern or analyze -f json output",
		NULL},
	{OPT_TRACE, "trace", "FILE", "the workload: analyse this trace (repeatable, in order)", NULL},
	{OPT_METRICS, "metrics", "[LABEL=]FILE", "metric snapshots or an OMB result, of the\n"
		"configuration LABEL (repeatable; default: the built-in\nreference profiles)", NULL},
	{OPT_ALPHA, "alpha", "A", "smoothing of later snapshots, 0 < A <= 1 (default 0.1)", NULL},
	{OPT_WEIGHTS, "weights", "W", "latency=..,throughput=..,reliability=..,resource=..\n"
		"(default 0.3, 0.3, 0.3, 0.1)", NULL},
	{OPT_BACKEND, "backend", "NAME", "only this backend (repeatable)", backend_name_list},
	{OPT_NOW, "now", "TIME", "the current time, RFC 3339 (for reproducible output)", NULL},
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
		o->trace.progress = false;
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
	*o = (struct evaluation_options){.alpha = METRICS_DEFAULT_ALPHA};
	workload_options_init(&o->workload);
	cost_weights_default(&o->weights);
}

void evaluation_options_release(struct evaluation_options *o)
{
	free(o->traces);
	free(o->metrics);
	o->traces = o->metrics = NULL;
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
	case OPT_METRICS:
		push(&o->metrics, &o->n_metrics, arg);
		return 1;
	case OPT_ALPHA:
		if (!parse_double(arg, &o->alpha) || !(o->alpha > 0 && o->alpha <= 1)) {
			bopt_warn("invalid --alpha '%s' (expected a number above 0, at most 1)", arg);
			return -1;
		}
		return 1;
	case OPT_WEIGHTS:
		if (!cost_weights_parse(arg, &o->weights, err)) {
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
	if ((o->pattern != NULL) == (o->n_traces > 0)) {
		bopt_warn(o->pattern ? "--pattern and --trace exclude each other" :
			"a workload is needed: --pattern FILE or --trace FILE");
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
	char *err)
{
	if (o->pattern != NULL)
		return workload_read_pattern(o->pattern, p, err);
	struct workload_analysis a;
	bool ok = workload_analyse((char *const *)o->traces, o->n_traces, &o->workload, &a, err);
	if (ok) {
		if (a.summary.skipped > 0)
			bopt_warn("skipped %llu invalid line%s", (unsigned long long)a.summary.skipped,
				a.summary.skipped == 1 ? "" : "s");
		*p = a.pattern;
		a.pattern.temporal_distribution.name = NULL; // moved to *p
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

bool evaluation_prepare(const struct evaluation_options *o, struct evaluation *e, char *err)
{
	*e = (struct evaluation){.now = o->has_now ? o->now : current_time()};
	pattern_init_default(&e->pattern);
	metrics_init(&e->metrics, o->alpha);
	if (!read_workload(o, &e->pattern, err))
		return false;
	if (e->pattern.event_rate > METRICS_VALUE_MAX)
		return bopt_errf(err, "an event rate of %g events/s is beyond what bopt models (%g)",
			e->pattern.event_rate, METRICS_VALUE_MAX);
	for (size_t i = 0; i < o->n_metrics; i++) {
		char label[METRICS_LABEL_MAX] = "";
		const char *path = metrics_label(o->metrics[i], label);
		if (!metrics_load(&e->metrics, path, label[0] ? label : NULL, e->now, err))
			return false;
	}
	if (o->n_metrics == 0) {
		metrics_use_profiles(&e->metrics, e->now);
		e->builtin = true;
	}
	if (!metrics_finish(&e->metrics, e->pattern.event_size_bytes, e->now, err))
		return false;
	for (int b = 0; b < BOPT_BACKEND_COUNT; b++) {
		bool have = false;
		for (size_t i = 0; i < e->metrics.n; i++)
			have |= e->metrics.c[i].backend == (enum bopt_backend)b;
		if (o->restricted && o->only[b] && !have)
			return bopt_errf(err, "no metrics for backend %s", backend_name((enum bopt_backend)b));
	}
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
	};
}

int evaluation_begin(const struct evaluation_options *o, int operands, struct evaluation *e,
	struct recommend_input *in)
{
	char err[BOPT_ERR_MAX];
	if (!evaluation_options_check(o, operands))
		return BOPT_EXIT_USAGE;
	if (!evaluation_prepare(o, e, err)) {
		bopt_warn("%s", err);
		return BOPT_EXIT_FAILURE;
	}
	evaluation_input(e, o, in);
	return BOPT_EXIT_OK;
}

static void describe_run(FILE *out, const struct omb_run *r)
{
	report_row(out, "omb run", "%s: %s%s%s%s, %s: %s", r->file, backend_name(r->backend),
		r->label[0] ? " (" : "", r->label, r->label[0] ? ")" : "", omb_kind_name(r->kind),
		r->why);
}

// "p50 3.004, p95 4.1, p99 5.434, p99.9 12 ms"
static void write_latency(char *buf, size_t len, const struct omb_latency *l)
{
	int k = snprintf(buf, len, "p50 %.6g, p95 %.6g, p99 %.6g", l->p50, l->p95, l->p99);
	if (k >= 0 && (size_t)k < len)
		snprintf(buf + k, len - (size_t)k, l->p999 >= 0 ? ", p99.9 %.6g ms" : " ms", l->p999);
}

// Which runs gave a candidate's latency and capacity.
static void describe_figures(FILE *out, const struct metrics_candidate *c, uint64_t event_size)
{
	const struct omb_figures *f = &c->figures;
	const struct omb_run *r = f->capacity_from;
	char name[METRICS_NAME_MAX], e2e[128], pub[128];
	metrics_candidate_name(c, name, sizeof(name));
	write_latency(pub, sizeof(pub), &f->publish);
	write_latency(e2e, sizeof(e2e), &f->e2e);
	if (f->latency_runs == 0)
		report_row(out, name, "latency: no latency run (saturated and throughput runs give "
			"none); the built-in profile's p50 %.6g ms", c->perf.measured_latency_p50);
	else if (f->has_e2e)
		report_row(out, name, "latency: end-to-end %s; publish %s; from %zu latency run%s, "
			"%llu windows", e2e, pub, f->latency_runs, f->latency_runs == 1 ? "" : "s",
			(unsigned long long)f->latency_windows);
	else
		report_row(out, name, "latency: publish %s; from %zu latency run%s, %llu windows", pub,
			f->latency_runs, f->latency_runs == 1 ? "" : "s",
			(unsigned long long)f->latency_windows);
	report_row(out, "", "capacity: %s%.0f msg/s %s %s, %.6g-byte messages%s",
		f->capacity_lower_bound ? "at least " : "", f->capacity_msgs,
		r->kind == OMB_SATURATED_RUN ? "consumed in" : "published in", r->file, r->message_size,
		r->size_stated ? "" : " (assumed: OMB's stock payload)");
	char flag[96] = "";
	if (f->size_far)
		snprintf(flag, sizeof(flag), "; message sizes differ by more than %gx: a rough "
			"comparison", OMB_SIZE_RATIO_FLAG);
	if (event_size > 0 && f->size_scale != 1)
		report_row(out, "", "scaled by bytes/s to %.6g events/s of %llu bytes (x%.4g)%s",
			f->capacity_events, (unsigned long long)event_size, f->size_scale, flag);
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
	size_t n = metrics_count(&e->metrics), backends = 0;
	bool labelled = false;
	for (size_t i = 0; i < n; i++) {
		labelled |= e->metrics.c[i].label[0] != '\0';
		backends += i == 0 || e->metrics.c[i].backend != e->metrics.c[i - 1].backend;
	}
	if (labelled)
		report_row(out, "performance", "measured for %zu candidates of %zu backend%s", n,
			backends, backends == 1 ? "" : "s");
	else
		report_row(out, "performance", "measured for %zu backend%s", n, n == 1 ? "" : "s");
	for (size_t i = 0; i < e->metrics.n_runs; i++)
		describe_run(out, &e->metrics.runs[i]);
	for (size_t i = 0; i < e->metrics.n; i++)
		if (e->metrics.c[i].omb)
			describe_figures(out, &e->metrics.c[i], p->event_size_bytes);
}
