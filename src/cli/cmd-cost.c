#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/jsonw.h"
#include "base/serde.h"
#include "base/util.h"
#include "cli/commands.h"
#include "cli/options.h"
#include "cli/output.h"
#include "cli/plan.h"
#include "cli/report.h"
#include "decide/backend.h"
#include "decide/cost.h"

static opt_groups cost_options = {
	table_format_opt, evaluation_opts, capacity_opts, workload_opts, config_opt, output_opts,
	help_opt, NULL,
};

const struct command_help cost_help = {
	.synopsis =
		"usage: bopt cost (--pattern FILE | --trace FILE...) [OPTIONS]\n"
		"\n"
		"Prints the reference's cost model (six components and the weighted total)\n"
		"of each backend for the workload, then its capacity plan: units and nodes\n"
		"for the peak at the target utilisation, storage for the retention and\n"
		"dollars per month.\n",
	.groups = cost_options,
	.examples =
		"  bopt cost --trace trace.ndjson.gz\n"
		"  bopt cost --pattern p.json --metrics kafka.ndjson -f csv -o cost.csv\n"
		"  bopt cost --trace t.ndjson --weights latency=0.6,resource=0.4 -f markdown\n",
};

struct backend_cost {
	const struct metrics_candidate *candidate;
	struct bopt_cost cost;
	struct capacity_plan plan;
};

// The cost of every candidate of a selected backend, in backend order; out
// holds metrics_count entries.
static size_t cost_all(const struct evaluation *e, const struct recommend_input *in,
	struct backend_cost *out)
{
	size_t n = 0;
	for (size_t i = 0; i < e->metrics.n; i++) {
		const struct metrics_candidate *c = &e->metrics.c[i];
		if (in->only != NULL && !in->only[c->backend])
			continue;
		out[n].candidate = c;
		cost_calculate(c->backend, in->pattern, &c->perf, &in->weights, &out[n].cost);
		evaluation_plan_candidate(e, c, &out[n].plan);
		n++;
	}
	return n;
}

// The width of the backend column: the longest candidate name.
static int name_width(const struct backend_cost *bc, size_t n)
{
	char name[METRICS_NAME_MAX];
	int width = REPORT_NAME_WIDTH;
	for (size_t i = 0; i < n; i++) {
		metrics_candidate_name(bc[i].candidate, name, sizeof(name));
		width = report_widen(width, name);
	}
	return width;
}

// bopt: the baseline and each component weighted as in the total, so that
// the row adds up.
static void write_weighted(FILE *out, const struct recommend_input *in,
	const struct backend_cost *bc, size_t n)
{
	const struct cost_weights *w = &in->weights;
	char name[METRICS_NAME_MAX];
	int width = name_width(bc, n);
	fprintf(out, "%-*s  %7s  %8s  %7s  %10s  %11s  %8s  %7s  %11s\n", width, "backend", "total",
		"baseline", "latency", "throughput", "reliability", "resource", "scaling",
		"maintenance");
	for (size_t i = 0; i < n; i++) {
		const struct bopt_cost *c = &bc[i].cost;
		enum bopt_backend b = bc[i].candidate->backend;
		metrics_candidate_name(bc[i].candidate, name, sizeof(name));
		fprintf(out, "%-*s  %7.4f  %8.4f  %7.4f  %10.4f  %11.4f  %8.4f  %7.4f  %11.4f\n",
			width, name, c->total_cost, backend_baseline_cost(b),
			c->latency_cost * w->latency, c->throughput_cost * w->throughput,
			c->reliability_cost * w->reliability, c->resource_cost * w->resource,
			c->scaling_cost * COST_SCALING_WEIGHT, c->maintenance_cost * COST_MAINTENANCE_WEIGHT);
	}
	fprintf(out, "\neach column is weighted as in the total, which is their sum "
		"(--scoring reference: the unweighted components)\n");
}

// The capacity plans (bopt scoring; the reference's table stands alone).
static void write_plans(FILE *out, const struct evaluation *e, const struct backend_cost *bc,
	size_t n)
{
	report_gap(out);
	evaluation_describe_load(out, e);
	evaluation_describe_sizing(out, e);
	report_gap(out);
	struct plan_row *rows = xcalloc(n > 0 ? n : 1, sizeof(*rows));
	for (size_t i = 0; i < n; i++) {
		metrics_candidate_name(bc[i].candidate, rows[i].name, sizeof(rows[i].name));
		rows[i].plan = &bc[i].plan;
	}
	plan_write_table(out, rows, n);
	free(rows);
}

static void write_table(FILE *out, const struct evaluation *e, const struct recommend_input *in,
	const struct backend_cost *bc, size_t n)
{
	evaluation_describe(out, e);
	report_gap(out);
	if (in->scoring != SCORING_REFERENCE) {
		write_weighted(out, in, bc, n);
		write_plans(out, e, bc, n);
		return;
	}
	char name[METRICS_NAME_MAX];
	int width = name_width(bc, n);
	fprintf(out, "%-*s  %7s  %7s  %10s  %11s  %8s  %7s  %11s\n", width, "backend", "total",
		"latency", "throughput", "reliability", "resource", "scaling", "maintenance");
	for (size_t i = 0; i < n; i++) {
		const struct bopt_cost *c = &bc[i].cost;
		metrics_candidate_name(bc[i].candidate, name, sizeof(name));
		fprintf(out, "%-*s  %7.4f  %7.4f  %10.4f  %11.4f  %8.4f  %7.4f  %11.4f\n", width,
			name, c->total_cost, c->latency_cost,
			c->throughput_cost, c->reliability_cost, c->resource_cost, c->scaling_cost,
			c->maintenance_cost);
	}
}

static const struct table_column cost_columns[] = {
	TABLE_TEXT("backend_type"),
	TABLE_TEXT("configuration"),
	TABLE_NUMBER("total_cost", "%.4f"),
	TABLE_NUMBER("latency_cost", "%.4f"),
	TABLE_NUMBER("throughput_cost", "%.4f"),
	TABLE_NUMBER("reliability_cost", "%.4f"),
	TABLE_NUMBER("resource_cost", "%.4f"),
	TABLE_NUMBER("scaling_cost", "%.4f"),
	TABLE_NUMBER("maintenance_cost", "%.4f"),
};

// CSV, NDJSON or Markdown: one row per backend, the CostModel's fields.
static void write_rows(FILE *out, const struct backend_cost *bc, size_t n,
	enum output_format f)
{
	struct table t;
	table_init(&t, cost_columns, sizeof(cost_columns) / sizeof(*cost_columns));
	for (size_t i = 0; i < n; i++) {
		const struct bopt_cost *c = &bc[i].cost;
		table_text(&t, backend_name(bc[i].candidate->backend));
		table_text(&t, bc[i].candidate->label);
		table_number(&t, c->total_cost);
		table_number(&t, c->latency_cost);
		table_number(&t, c->throughput_cost);
		table_number(&t, c->reliability_cost);
		table_number(&t, c->resource_cost);
		table_number(&t, c->scaling_cost);
		table_number(&t, c->maintenance_cost);
	}
	table_write(out, &t, f);
	table_release(&t);
}

// The version of the JSON document of bopt scoring (schemas/cost.schema.json);
// --scoring reference writes the reference's bare array of CostModel.
#define COST_SCHEMA "bopt.cost/1"

static void write_json(FILE *out, const struct evaluation *e, const struct backend_cost *bc,
	size_t n)
{
	struct jw w;
	bool reference = e->scoring == SCORING_REFERENCE;
	jw_init(&w, true);
	if (!reference) {
		output_json_begin(&w, COST_SCHEMA);
		jw_key(&w, "backends");
	}
	jw_array_begin(&w);
	for (size_t i = 0; i < n; i++) {
		jw_object_begin(&w);
		serde_write_cost_members(&w, &bc[i].cost, bc[i].candidate->backend);
		if (bc[i].candidate->label[0] != '\0') {
			jw_key(&w, "configuration");
			jw_string(&w, bc[i].candidate->label);
		}
		if (!reference) {
			jw_key(&w, "capacity");
			plan_write_json(&w, &bc[i].plan, &e->prices);
		}
		jw_object_end(&w);
	}
	jw_array_end(&w);
	if (!reference)
		jw_object_end(&w);
	output_json(out, &w);
}

int cmd_cost(int argc, char *argv[])
{
	struct evaluation_options eo;
	struct evaluation e = {0};
	struct backend_cost *bc = NULL;
	evaluation_options_init(&eo);
	struct format_choice f = {table_format_opt, FORMAT_TABLE, NULL};
	struct output o = {0};
	const struct opt_handler handlers[] = {
		{format_option, &f}, {output_option, &o}, {evaluation_option, &eo},
		OPT_HANDLERS_END,
	};
	int status = opt_parse(argc, argv, &cost_help, handlers);
	if (status != OPT_PARSED)
		goto out;
	enum output_format format = f.format;
	struct recommend_input in;
	if (o.quiet)
		eo.workload.trace.progress = NULL;
	status = evaluation_begin(&eo, argc - optind, &e, &in);
	if (status != BOPT_EXIT_OK)
		goto out;
	bc = xcalloc(metrics_count(&e.metrics) + 1, sizeof(*bc));
	size_t n = cost_all(&e, &in, bc);
	FILE *out = output_stream(&o);
	if (format == FORMAT_JSON)
		write_json(out, &e, bc, n);
	else if (format == FORMAT_TABLE)
		write_table(out, &e, &in, bc, n);
	else
		write_rows(out, bc, n, format);
	status = BOPT_EXIT_OK;
out:
	status = output_finish(&o, status);
	free(bc);
	evaluation_release(&e);
	evaluation_options_release(&eo);
	return status;
}
