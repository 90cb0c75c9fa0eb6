#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/jsonw.h"
#include "base/serde.h"
#include "base/util.h"
#include "cli/commands.h"
#include "cli/options.h"
#include "cli/report.h"
#include "decide/cost.h"

static opt_groups cost_options = {format_opt, evaluation_opts, workload_opts, help_opt, NULL};

const struct command_help cost_help = {
	.synopsis =
		"usage: bopt cost (--pattern FILE | --trace FILE...) [OPTIONS]\n"
		"\n"
		"Prints the reference's cost model (six components and the weighted total)\n"
		"of each backend for the workload.\n",
	.groups = cost_options,
};

struct backend_cost {
	const struct metrics_candidate *candidate;
	struct bopt_cost cost;
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
		n++;
	}
	return n;
}

static void write_table(FILE *out, const struct evaluation *e,
	const struct backend_cost *bc, size_t n)
{
	evaluation_describe(out, e);
	report_gap(out);
	char name[METRICS_NAME_MAX];
	int width = REPORT_NAME_WIDTH;
	for (size_t i = 0; i < n; i++) {
		metrics_candidate_name(bc[i].candidate, name, sizeof(name));
		width = (int)strlen(name) > width ? (int)strlen(name) : width;
	}
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

static void write_json(FILE *out, const struct backend_cost *bc, size_t n)
{
	struct jw w;
	jw_init(&w, true);
	jw_array_begin(&w);
	for (size_t i = 0; i < n; i++)
		serde_write_cost(&w, &bc[i].cost, bc[i].candidate->backend);
	jw_array_end(&w);
	jw_write(&w, out);
	fputc('\n', out);
	jw_release(&w);
}

int cmd_cost(int argc, char *argv[])
{
	struct evaluation_options eo;
	struct evaluation e = {0};
	struct backend_cost *bc = NULL;
	evaluation_options_init(&eo);
	bool json = false;
	int status = BOPT_EXIT_USAGE;
	int opt;
	struct opt_parser op;
	opt_parser_build(&op, cost_options);
	optind = 0;
	while ((opt = getopt_long(argc, argv, op.shortopts, op.longopts, NULL)) != -1) {
		switch (opt) {
		case 'f':
			if (!report_parse_format(optarg, &json))
				goto out;
			break;
		case 'h':
			command_help_write(stdout, &cost_help);
			status = BOPT_EXIT_OK;
			goto out;
		default:
			switch (evaluation_option(&eo, opt, optarg)) {
			case 1:
				continue;
			case -1:
				goto out;
			}
			opt_error(opt, argv, &cost_help);
			goto out;
		}
	}
	struct recommend_input in;
	status = evaluation_begin(&eo, argc - optind, &e, &in);
	if (status != BOPT_EXIT_OK)
		goto out;
	bc = xcalloc(metrics_count(&e.metrics) + 1, sizeof(*bc));
	size_t n = cost_all(&e, &in, bc);
	if (json)
		write_json(stdout, bc, n);
	else
		write_table(stdout, &e, bc, n);
	status = BOPT_EXIT_OK;
out:
	free(bc);
	evaluation_release(&e);
	evaluation_options_release(&eo);
	return status;
}
