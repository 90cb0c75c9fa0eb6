#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/jsonw.h"
#include "base/util.h"
#include "cli/commands.h"
#include "cli/options.h"
#include "cli/output.h"
#include "cli/plan.h"
#include "cli/report.h"
#include "decide/recommend.h"
#include "trace/workload.h"

static opt_groups compare_options = {format_opt, evaluation_opts, capacity_opts, queueing_opts,
	workload_opts, config_opt, help_opt, NULL};

const struct command_help compare_help = {
	.synopsis =
		"usage: bopt compare [OPTIONS] A B\n"
		"\n"
		"Shows two workloads side by side: rate, peak, sizes, pattern, the capacity\n"
		"plan and dollars per month of each backend, and the recommendation for each.\n"
		"A and B are traces or pattern files (a file that reads as a pattern is one).\n"
		"The options apply to both; --pattern and --trace are not taken.\n",
	.groups = compare_options,
};

#define COMPARE_N 2

struct side {
	const char *path;
	bool is_pattern;
	struct evaluation e;
	struct recommendation *ranked; // metrics_count entries
	size_t n_ranked;
	struct capacity_plan plans[BOPT_BACKEND_COUNT];
	const struct metrics_candidate *sized_by[BOPT_BACKEND_COUNT]; // or NULL
	bool planned[BOPT_BACKEND_COUNT];
};

// A pattern when it reads as one; otherwise a trace (then its errors are the
// trace reader's).
static bool is_pattern(const char *path)
{
	struct bopt_pattern p;
	char err[BOPT_ERR_MAX];
	bool ok = workload_read_pattern(path, &p, err);
	pattern_release(&p);
	return ok;
}

static int prepare(const struct evaluation_options *eo, struct side *s)
{
	char err[BOPT_ERR_MAX];
	struct evaluation_options o = *eo;
	s->is_pattern = is_pattern(s->path);
	if (s->is_pattern) {
		o.pattern = s->path;
	} else {
		o.traces = &s->path;
		o.n_traces = 1;
	}
	if (!evaluation_prepare(&o, &s->e, err)) {
		bopt_warn("%s", err);
		return BOPT_EXIT_FAILURE;
	}
	struct recommend_input in;
	struct requirement_options ro;
	struct requirements req;
	evaluation_input(&s->e, &o, &in);
	requirement_options_init(&ro);
	requirements_derive(&s->e.pattern, &s->e.observed, &ro, &req);
	in.requirements = &req;
	evaluation_plans(&s->e, s->plans, s->sized_by);
	s->ranked = xcalloc(metrics_count(&s->e.metrics) + 1, sizeof(*s->ranked));
	s->n_ranked = recommend_rank(&in, s->ranked);
	for (size_t i = 0; i < s->e.metrics.n; i++) {
		enum bopt_backend b = s->e.metrics.c[i].backend;
		s->planned[b] = in.only == NULL || in.only[b];
	}
	return BOPT_EXIT_OK;
}

typedef void cell_fn(char *buf, size_t size, const struct side *s);

// The first column: at least this wide, wider for a configuration's name.
#define COMPARE_KEY_WIDTH 16

static void row(FILE *out, int width, const char *key, cell_fn *cell, const struct side *sides)
{
	fprintf(out, "%-*s", width, key);
	for (int i = 0; i < COMPARE_N; i++) {
		char buf[128];
		cell(buf, sizeof(buf), &sides[i]);
		fprintf(out, i + 1 < COMPARE_N ? "  %-38s" : "  %s", buf);
	}
	fputc('\n', out);
}

static void cell_name(char *buf, size_t size, const struct side *s)
{
	snprintf(buf, size, "%s (%s)", s->path, s->is_pattern ? "pattern" : "trace");
}

static void cell_pattern(char *buf, size_t size, const struct side *s)
{
	snprintf(buf, size, "%s, %s", pattern_type_name(s->e.pattern.pattern_type),
		consistency_name(s->e.pattern.consistency_requirements));
}

static void cell_rate(char *buf, size_t size, const struct side *s)
{
	snprintf(buf, size, "%.6g events/s", s->e.load.mean_eps);
}

static void cell_peak(char *buf, size_t size, const struct side *s)
{
	if (s->e.have_rates)
		snprintf(buf, size, "%.6g events/s over %.6g s", s->e.rates.peak, s->e.rates.interval_s);
	else
		snprintf(buf, size, "%.6g events/s (no peak: the mean)", s->e.load.peak_eps);
}

static void cell_percentiles(char *buf, size_t size, const struct side *s)
{
	if (s->e.have_rates)
		snprintf(buf, size, "%.6g / %.6g events/s", s->e.rates.p50, s->e.rates.p99);
	else
		snprintf(buf, size, "-");
}

static void cell_peak_ratio(char *buf, size_t size, const struct side *s)
{
	const struct capacity_load *l = &s->e.load;
	snprintf(buf, size, "%.3g", l->mean_eps > 0 ? l->peak_eps / l->mean_eps : 1);
}

static void cell_size(char *buf, size_t size, const struct side *s)
{
	snprintf(buf, size, "%llu B, %.6g bytes/s",
		(unsigned long long)s->e.pattern.event_size_bytes, s->e.load.mean_bps);
}

static void cell_recommendation(char *buf, size_t size, const struct side *s)
{
	char name[METRICS_NAME_MAX];
	if (recommend_eligible(s->ranked, s->n_ranked) == 0) {
		snprintf(buf, size, "none eligible");
	} else {
		metrics_candidate_name(s->ranked[0].candidate, name, sizeof(name));
		snprintf(buf, size, "%s (score %.4f)", name, s->ranked[0].score);
	}
}

// The name of backend b's line: "RabbitMQ (classic)" when a configuration
// of several sized it (the same on both sides).
static void plan_name(char *buf, size_t size, const struct side *sides, int b)
{
	const struct metrics_candidate *by = sides[0].sized_by[b];
	if (by != NULL)
		metrics_candidate_name(by, buf, size);
	else
		snprintf(buf, size, "%s", backend_name((enum bopt_backend)b));
}

static void write_table(FILE *out, const struct side *sides)
{
	char name[METRICS_NAME_MAX];
	int width = COMPARE_KEY_WIDTH;
	for (int b = 0; b < BOPT_BACKEND_COUNT; b++) {
		plan_name(name, sizeof(name), sides, b);
		if (sides[0].planned[b] || sides[1].planned[b])
			width = report_widen(width, name);
	}
	row(out, width, "workload", cell_name, sides);
	row(out, width, "pattern", cell_pattern, sides);
	row(out, width, "rate", cell_rate, sides);
	row(out, width, "peak", cell_peak, sides);
	row(out, width, "p50 / p99 rate", cell_percentiles, sides);
	row(out, width, "peak / mean", cell_peak_ratio, sides);
	row(out, width, "event size", cell_size, sides);
	row(out, width, "recommendation", cell_recommendation, sides);
	report_gap(out);
	for (int b = 0; b < BOPT_BACKEND_COUNT; b++) {
		if (!sides[0].planned[b] && !sides[1].planned[b])
			continue;
		plan_name(name, sizeof(name), sides, b);
		fprintf(out, "%-*s", width, name);
		for (int i = 0; i < COMPARE_N; i++) {
			const struct capacity_plan *p = &sides[i].plans[b];
			char buf[160] = "-", size[112];
			if (sides[i].planned[b]) {
				plan_size(size, sizeof(size), p, ", ");
				snprintf(buf, sizeof(buf), "%s, $%.2f/mo", size, p->total);
			}
			fprintf(out, i + 1 < COMPARE_N ? "  %-38s" : "  %s", buf);
		}
		fputc('\n', out);
	}
	report_gap(out);
	evaluation_describe_sizing(out, &sides[0].e);
}

// The version of the JSON document (schemas/compare.schema.json).
#define COMPARE_SCHEMA "bopt.compare/1"

static void write_json(FILE *out, const struct side *sides)
{
	struct jw w;
	jw_init(&w, true);
	output_json_begin(&w, COMPARE_SCHEMA);
	jw_key(&w, "workloads");
	jw_array_begin(&w);
	for (int i = 0; i < COMPARE_N; i++) {
		const struct side *s = &sides[i];
		jw_object_begin(&w);
		jw_key(&w, "workload");
		jw_string(&w, s->path);
		jw_key(&w, "kind");
		jw_string(&w, s->is_pattern ? "pattern" : "trace");
		jw_key(&w, "pattern_type");
		jw_string(&w, pattern_type_name(s->e.pattern.pattern_type));
		jw_key(&w, "event_rate");
		jw_double(&w, s->e.load.mean_eps);
		jw_key(&w, "peak_rate");
		jw_double(&w, s->e.load.peak_eps);
		if (s->e.have_rates) {
			jw_key(&w, "peak_interval_s");
			jw_double(&w, s->e.rates.interval_s);
			jw_key(&w, "rate_p50");
			jw_double(&w, s->e.rates.p50);
			jw_key(&w, "rate_p99");
			jw_double(&w, s->e.rates.p99);
		}
		jw_key(&w, "event_size_bytes");
		jw_uint(&w, s->e.pattern.event_size_bytes);
		jw_key(&w, "recommendation");
		if (recommend_eligible(s->ranked, s->n_ranked) > 0)
			jw_string(&w, backend_name(s->ranked[0].backend));
		else
			jw_null(&w);
		jw_key(&w, "backends");
		jw_array_begin(&w);
		for (int b = 0; b < BOPT_BACKEND_COUNT; b++) {
			if (!s->planned[b])
				continue;
			jw_object_begin(&w);
			jw_key(&w, "backend_type");
			jw_string(&w, backend_name((enum bopt_backend)b));
			if (s->sized_by[b] != NULL && s->sized_by[b]->label[0] != '\0') {
				jw_key(&w, "configuration");
				jw_string(&w, s->sized_by[b]->label);
			}
			jw_key(&w, "capacity");
			plan_write_json(&w, &s->plans[b], &s->e.prices);
			jw_object_end(&w);
		}
		jw_array_end(&w);
		jw_object_end(&w);
	}
	jw_array_end(&w);
	jw_object_end(&w);
	output_json(out, &w);
}

// The workloads are operands, not the evaluation's --pattern or --trace.
static int compare_option(void *ctx, int opt, const char *arg)
{
	(void)ctx;
	(void)arg;
	if (opt != OPT_PATTERN && opt != OPT_TRACE)
		return 0;
	bopt_warn("compare takes its two workloads as operands, not --pattern or --trace");
	return -1;
}

int cmd_compare(int argc, char *argv[])
{
	struct evaluation_options eo;
	struct side sides[COMPARE_N];
	memset(sides, 0, sizeof(sides));
	evaluation_options_init(&eo);
	struct format_choice f = {format_opt, FORMAT_TABLE, NULL};
	const struct opt_handler handlers[] = {
		{format_option, &f}, {compare_option, NULL}, {evaluation_option, &eo},
		OPT_HANDLERS_END,
	};
	int status = opt_parse(argc, argv, &compare_help, handlers);
	if (status != OPT_PARSED)
		goto out;
	status = BOPT_EXIT_USAGE;
	bool json = f.format == FORMAT_JSON;
	if (argc - optind != COMPARE_N) {
		bopt_warn("compare needs two workloads, A and B (traces or pattern files)");
		goto out;
	}
	if (eo.scale != 1 && eo.rate >= 0) {
		bopt_warn("--scale and --rate exclude each other");
		goto out;
	}
	for (int i = 0; i < COMPARE_N; i++) {
		sides[i].path = argv[optind + i];
		if (strcmp(sides[i].path, "-") == 0) {
			bopt_warn("compare reads its workloads from files, not standard input");
			goto out;
		}
	}
	for (int i = 0; i < COMPARE_N; i++) {
		status = prepare(&eo, &sides[i]);
		if (status != BOPT_EXIT_OK)
			goto out;
	}
	if (json)
		write_json(stdout, sides);
	else
		write_table(stdout, sides);
	status = BOPT_EXIT_OK;
out:
	for (int i = 0; i < COMPARE_N; i++) {
		free(sides[i].ranked);
		evaluation_release(&sides[i].e);
	}
	evaluation_options_release(&eo);
	return status;
}
