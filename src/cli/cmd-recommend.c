#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/jsonw.h"
#include "base/util.h"
#include "cli/commands.h"
#include "cli/options.h"
#include "cli/report.h"
#include "decide/history.h"
#include "decide/recommend.h"

static const struct opt recommend_opts[] = {
	{OPT_TOP, "top", "N", "show only the best N", NULL},
	{OPT_EXPLAIN, "explain", NULL, "show each score component and its weight", NULL},
	{OPT_MIN_SCORE, "min-score", "X", "exit 3 when the best score is below X", NULL},
	{OPT_EXPECT, "expect", "NAME", "exit 3 when the best backend is not NAME", backend_name_list},
	{'m', "model", "FILE", "predict performance with a model made by bopt train", NULL},
	{OPT_RECORD, "record", "FILE", "append the top choice to the decision history FILE", NULL},
	OPT_END,
};

static opt_groups recommend_options = {
	format_opt, recommend_opts, evaluation_opts, workload_opts, help_opt, NULL,
};

const struct command_help recommend_help = {
	.synopsis =
		"usage: bopt recommend (--pattern FILE | --trace FILE...) [OPTIONS]\n"
		"\n"
		"Ranks the backends for the workload by the reference's score: latency,\n"
		"throughput, reliability and cost, weighted.\n",
	.groups = recommend_options,
};

struct recommend_options {
	bool json;
	bool explain;
	size_t top; // 0: all
	bool has_min_score;
	double min_score;
	bool has_expect;
	enum bopt_backend expect;
	const char *record; // --record HISTORY
	const char *model;  // --model MODEL
};

static const char *const component_names[] = {"latency", "throughput", "reliability", "cost"};

// The score components of r with their weights, in component_names order.
static void components(const struct recommendation *r, const struct cost_weights *w,
	double score[4], double weight[4])
{
	score[0] = r->parts.latency;
	score[1] = r->parts.throughput;
	score[2] = r->parts.reliability;
	score[3] = r->parts.cost;
	weight[0] = w->latency;
	weight[1] = w->throughput;
	weight[2] = w->reliability;
	weight[3] = w->resource;
}

static void write_notes(FILE *out, const char *mark, const char *const *notes, size_t n)
{
	if (n == 0)
		return;
	fprintf(out, "      %s ", mark);
	for (size_t i = 0; i < n; i++)
		fprintf(out, "%s%s", i ? ", " : "", notes[i]);
	fputc('\n', out);
}

static void write_table(FILE *out, const struct evaluation *e, const struct recommend_input *in,
	const struct recommendation *r, size_t n, size_t shown, bool explain)
{
	char reason[256];
	recommend_reason(r, n, in->pattern, reason, sizeof(reason));
	evaluation_describe(out, e);
	if (in->model != NULL)
		report_row(out, "model", "%zu training points (each row's source says what was used)",
			in->model->npoints);
	report_row(out, "recommendation", "%s", reason);
	report_gap(out);
	char name[METRICS_NAME_MAX];
	int width = REPORT_NAME_WIDTH;
	for (size_t i = 0; i < shown; i++) {
		recommend_name(&r[i], name, sizeof(name));
		width = (int)strlen(name) > width ? (int)strlen(name) : width;
	}
	fprintf(out, "%-4s  %-*s  %6s  %9s  %10s  %6s  %10s  %s\n", "rank", width, "backend",
		"score", "p50 ms", "events/s", "cost", "confidence", "source");
	for (size_t i = 0; i < shown; i++) {
		recommend_name(&r[i], name, sizeof(name));
		fprintf(out, "%-4zu  %-*s  %6.4f  %9.6g  %10.6g  %6.4f  %10.3f  %s\n", i + 1, width,
			name, r[i].score, r[i].predicted.measured_latency_p50,
			r[i].predicted.measured_throughput, r[i].cost.total_cost, r[i].confidence,
			r[i].prediction_source);
		write_notes(out, "+", r[i].strengths, r[i].n_strengths);
		write_notes(out, "-", r[i].weaknesses, r[i].n_weaknesses);
		if (explain) {
			double score[4], weight[4];
			components(&r[i], &in->weights, score, weight);
			fputs("      =", out);
			for (int k = 0; k < 4; k++)
				fprintf(out, "%s %s %.4f x %g", k ? "," : "", component_names[k],
					score[k], weight[k]);
			fputc('\n', out);
		}
	}
}

static void write_string_array(struct jw *w, const char *const *v, size_t n)
{
	jw_array_begin(w);
	for (size_t i = 0; i < n; i++)
		jw_string(w, v[i]);
	jw_array_end(w);
}

static void write_json(FILE *out, const struct recommend_input *in,
	const struct recommendation *r, size_t shown, bool explain)
{
	struct jw w;
	jw_init(&w, true);
	jw_array_begin(&w);
	for (size_t i = 0; i < shown; i++) {
		jw_object_begin(&w);
		jw_key(&w, "rank");
		jw_uint(&w, i + 1);
		jw_key(&w, "backend_type");
		jw_string(&w, backend_name(r[i].backend));
		if (r[i].candidate->label[0] != '\0') {
			jw_key(&w, "configuration");
			jw_string(&w, r[i].candidate->label);
		}
		jw_key(&w, "score");
		jw_double(&w, r[i].score);
		jw_key(&w, "predicted_latency");
		jw_double(&w, r[i].predicted.measured_latency_p50);
		jw_key(&w, "predicted_throughput");
		jw_double(&w, r[i].predicted.measured_throughput);
		jw_key(&w, "predicted_cost");
		jw_double(&w, r[i].cost.total_cost);
		jw_key(&w, "confidence");
		jw_double(&w, r[i].confidence);
		jw_key(&w, "strengths");
		write_string_array(&w, r[i].strengths, r[i].n_strengths);
		jw_key(&w, "weaknesses");
		write_string_array(&w, r[i].weaknesses, r[i].n_weaknesses);
		jw_key(&w, "prediction_source");
		jw_string(&w, r[i].prediction_source);
		if (explain) {
			double score[4], weight[4];
			components(&r[i], &in->weights, score, weight);
			jw_key(&w, "score_components");
			jw_object_begin(&w);
			for (int k = 0; k < 4; k++) {
				jw_key(&w, component_names[k]);
				jw_object_begin(&w);
				jw_key(&w, "score");
				jw_double(&w, score[k]);
				jw_key(&w, "weight");
				jw_double(&w, weight[k]);
				jw_object_end(&w);
			}
			jw_object_end(&w);
		}
		jw_object_end(&w);
	}
	jw_array_end(&w);
	jw_write(&w, out);
	fputc('\n', out);
	jw_release(&w);
}

// The CI policies of --min-score and --expect on the full ranking.
// Appends the top choice to the history file as an OptimizationDecision.
static bool record_decision(const char *path, const struct recommend_input *in,
	const struct recommendation *r, size_t n)
{
	if (n == 0) {
		bopt_warn("%s: nothing recorded: no backend was evaluated", path);
		return false;
	}
	char reason[256], err[BOPT_ERR_MAX];
	recommend_reason(r, n, in->pattern, reason, sizeof(reason));
	struct bopt_decision d;
	history_decision_init(&d, in->now, in->pattern, &r[0].predicted, &r[0].cost,
		r[0].confidence, xstrdup(reason));
	bool ok = history_record(path, &d, err);
	if (!ok)
		bopt_warn("%s", err);
	history_decision_release(&d);
	return ok;
}

static int check_policies(const struct recommend_options *ro, const struct recommendation *r,
	size_t n)
{
	int status = BOPT_EXIT_OK;
	if (ro->has_min_score && (n == 0 || !(r[0].score >= ro->min_score))) {
		bopt_warn("best score %.4f is below --min-score %g", n ? r[0].score : 0.0,
			ro->min_score);
		status = BOPT_EXIT_POLICY;
	}
	if (ro->has_expect && (n == 0 || r[0].backend != ro->expect)) {
		bopt_warn("best backend is %s, not %s (--expect)",
			n ? backend_name(r[0].backend) : "none", backend_name(ro->expect));
		status = BOPT_EXIT_POLICY;
	}
	return status;
}

// Handles one option of recommend's own: 1 when it was one, 0 when not,
// -1 when its value is bad (printed).
static int recommend_option(struct recommend_options *ro, int opt, const char *arg)
{
	switch (opt) {
	case OPT_TOP:
		if (!parse_size(arg, &ro->top) || ro->top < 1) {
			bopt_warn("invalid --top '%s' (expected a whole number from 1)", arg);
			return -1;
		}
		return 1;
	case OPT_EXPLAIN:
		ro->explain = true;
		return 1;
	case OPT_MIN_SCORE:
		if (!parse_double(arg, &ro->min_score)) {
			bopt_warn("invalid --min-score '%s' (expected a number)", arg);
			return -1;
		}
		ro->has_min_score = true;
		return 1;
	case OPT_EXPECT:
		if (!evaluation_parse_backend("--expect", arg, &ro->expect))
			return -1;
		ro->has_expect = true;
		return 1;
	case OPT_RECORD:
		ro->record = arg;
		return 1;
	case 'm':
		ro->model = arg;
		return 1;
	default:
		return 0;
	}
}

int cmd_recommend(int argc, char *argv[])
{
	struct evaluation_options eo;
	struct evaluation e = {0};
	struct recommend_options ro = {0};
	struct recommendation *r = NULL;
	struct bopt_model model;
	model_init(&model);
	evaluation_options_init(&eo);
	int status = BOPT_EXIT_USAGE;
	int opt;
	struct opt_parser op;
	opt_parser_build(&op, recommend_options);
	optind = 0;
	while ((opt = getopt_long(argc, argv, op.shortopts, op.longopts, NULL)) != -1) {
		switch (opt) {
		case 'f':
			if (!report_parse_format(optarg, &ro.json))
				goto out;
			break;
		case 'h':
			command_help_write(stdout, &recommend_help);
			status = BOPT_EXIT_OK;
			goto out;
		default: {
			int done = recommend_option(&ro, opt, optarg);
			if (done == 0)
				done = evaluation_option(&eo, opt, optarg);
			if (done == 1)
				continue;
			if (done == 0)
				opt_error(opt, argv, &recommend_help);
			goto out;
		}
		}
	}
	struct recommend_input in;
	status = evaluation_begin(&eo, argc - optind, &e, &in);
	if (status != BOPT_EXIT_OK)
		goto out;
	if (ro.model != NULL) {
		char err[BOPT_ERR_MAX];
		if (!model_load_existing(&model, ro.model, err)) {
			bopt_warn("%s", err);
			status = BOPT_EXIT_FAILURE;
			goto out;
		}
		in.model = &model;
	}
	r = xcalloc(metrics_count(&e.metrics) + 1, sizeof(*r));
	size_t n = recommend_rank(&in, r);
	size_t shown = ro.top && ro.top < n ? ro.top : n;
	if (ro.json)
		write_json(stdout, &in, r, shown, ro.explain);
	else
		write_table(stdout, &e, &in, r, n, shown, ro.explain);
	if (ro.record != NULL && !record_decision(ro.record, &in, r, n)) {
		status = BOPT_EXIT_FAILURE;
		goto out;
	}
	status = check_policies(&ro, r, n);
out:
	free(r);
	model_destroy(&model);
	evaluation_release(&e);
	evaluation_options_release(&eo);
	return status;
}
