#include "cli/options.h"

#include <math.h>
#include <string.h>
#include <stdlib.h>

#include "base/timestamp.h"
#include "base/util.h"
#include "cli/diag.h"

const struct opt format_opt[] = {
	{'f', "format", "FMT", "table (default) or json", "table json"},
	OPT_END,
};

const struct opt help_opt[] = {
	{'h', "help", NULL, "show this help", NULL},
	OPT_END,
};

const struct opt workload_opts[] = {
	{'j', "jobs", "N", "worker threads (default: online cores; one fewer\nfor a pipe or gzip)", NULL},
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
