#include "cli/options.h"

#include <string.h>
#include <stdlib.h>
#include <time.h>

#include "base/jsonw.h"
#include "base/timestamp.h"
#include "base/util.h"
#include "cli/commands.h"
#include "cli/report.h"

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
	bopt_warn("invalid %s '%s' (expected Kafka, Nats, Redis, Kinesis, Pulsar, RabbitMQ "
		"or Memory)", option, arg);
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

bool evaluation_prepare(const struct evaluation_options *o, struct evaluation *e, char *err)
{
	*e = (struct evaluation){.now = o->has_now ? o->now : current_time()};
	pattern_init_default(&e->pattern);
	metrics_init(&e->metrics, o->alpha);
	if (!read_workload(o, &e->pattern, err))
		return false;
	if (e->pattern.event_rate > METRICS_VALUE_MAX) {
		// Shortest round-trip form: a rate just past the limit must not
		// print as the limit itself (%g gives 1e+15 for 1.000001e15).
		char rate[32];
		format_double(e->pattern.event_rate, rate);
		return bopt_errf(err, "an event rate of %s events/s is beyond what bopt models "
			"(at most %g)", rate, METRICS_VALUE_MAX);
	}
	for (size_t i = 0; i < o->n_metrics; i++)
		if (!metrics_load(&e->metrics, o->metrics[i], e->now, err))
			return false;
	if (o->n_metrics == 0) {
		metrics_use_profiles(&e->metrics, e->now);
		e->builtin = true;
	}
	for (int b = 0; b < BOPT_BACKEND_COUNT; b++)
		if (o->restricted && o->only[b] && !e->metrics.have[b])
			return bopt_errf(err, "no metrics for backend %s", backend_name((enum bopt_backend)b));
	if (metrics_count(&e->metrics) == 0)
		return bopt_errf(err, "no metric snapshots in the --metrics files");
	return true;
}

void evaluation_release(struct evaluation *e)
{
	pattern_release(&e->pattern);
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
	size_t n = metrics_count(&e->metrics);
	report_row(out, "performance", "measured for %zu backend%s", n, n == 1 ? "" : "s");
}
