#include <getopt.h>
#include <stdio.h>
#include <string.h>

#include "base/jsonw.h"
#include "base/timestamp.h"
#include "base/util.h"
#include "cli/commands.h"
#include "cli/options.h"
#include "cli/output.h"
#include "cli/report.h"
#include "decide/history.h"

static const struct opt stats_opts[] = {
	{OPT_LAST, "last", "N", "only the last N decisions (default 1000)", NULL},
	{OPT_SKIP_INVALID, "skip-invalid", NULL,
		"count invalid lines instead of stopping at the first", NULL},
	OPT_END,
};

// The version of the JSON document (schemas/stats.schema.json): the serde
// OptimizationStats with "schema" added.
#define STATS_SCHEMA "bopt.stats/1"

static opt_groups stats_options = {table_format_opt, stats_opts, output_opts, help_opt, NULL};

const struct command_help stats_help = {
	.synopsis =
		"usage: bopt stats [OPTIONS] [HISTORY...]\n"
		"\n"
		"Summarises a decision history written by bopt recommend --record (several\n"
		"files are read in order as one history; none or - is stdin).\n",
	.groups = stats_options,
	.examples =
		"  bopt stats decisions.ndjson\n"
		"  bopt stats --last 100 -f json decisions.ndjson.gz | jq .backend_usage\n",
};

// The rows of -f csv, ndjson and markdown: the backend usage, one row per
// backend chosen (schemas/stats-row.schema.json).
static const struct table_column usage_columns[] = {
	TABLE_TEXT("backend_type"),
	TABLE_INTEGER("decisions"),
	TABLE_NUMBER("share", "%.4f"),
};

static void write_rows(FILE *out, const struct bopt_stats *s, enum output_format f)
{
	struct table t;
	table_init(&t, usage_columns, sizeof(usage_columns) / sizeof(*usage_columns));
	for (int b = 0; b < BOPT_BACKEND_COUNT; b++) {
		if (s->backend_usage[b] == 0)
			continue;
		table_text(&t, backend_name((enum bopt_backend)b));
		table_number(&t, (double)s->backend_usage[b]);
		table_number(&t, (double)s->backend_usage[b] / (double)s->total_decisions);
	}
	table_write(out, &t, f);
	table_release(&t);
}

static void write_improvement(FILE *out, const char *what, bool has, double percent)
{
	if (has)
		fprintf(out, "  %-*s %+.6g%%\n", REPORT_KEY_WIDTH - 3, what, percent);
	else
		fprintf(out, "  %-*s n/a\n", REPORT_KEY_WIDTH - 3, what);
}

static void write_table(FILE *out, const struct bopt_stats *s, size_t last)
{
	char ts[BOPT_TS_MAX];
	report_row(out, "decisions", "%llu (window: the last %zu)",
		(unsigned long long)s->total_decisions, last);
	if (s->has_last_optimization)
		ts_format(s->last_optimization, ts);
	report_row(out, "last optimization", "%s", s->has_last_optimization ? ts : "none");
	report_row(out, "average confidence", "%.6g", s->average_confidence);
	report_row(out, "active backends", "%llu", (unsigned long long)s->active_backends);
	report_gap(out);
	if (s->total_decisions > HISTORY_RECENT_COUNT) {
		uint64_t older = s->total_decisions - HISTORY_RECENT_COUNT;
		if (older > HISTORY_RECENT_COUNT)
			older = HISTORY_RECENT_COUNT;
		fprintf(out, "improvements (last %d against the first %llu)\n", HISTORY_RECENT_COUNT,
			(unsigned long long)older);
		write_improvement(out, "latency", s->has_latency_improvement,
			s->latency_improvement_percent);
		write_improvement(out, "throughput", s->has_throughput_improvement,
			s->throughput_improvement_percent);
	} else {
		fprintf(out, "improvements (needs more than %d decisions)\n", HISTORY_RECENT_COUNT);
	}
	report_gap(out);
	fputs("backend usage\n", out);
	if (s->total_decisions == 0)
		fputs("  none\n", out);
	for (int b = 0; b < BOPT_BACKEND_COUNT; b++)
		if (s->backend_usage[b])
			fprintf(out, "  %-*s %llu\n", REPORT_KEY_WIDTH - 3,
				backend_name((enum bopt_backend)b),
				(unsigned long long)s->backend_usage[b]);
}

static int stats_option(void *ctx, int opt, const char *arg)
{
	struct history_read_options *o = ctx;
	switch (opt) {
	case OPT_LAST:
		if (!parse_size(arg, &o->last) || o->last == 0) {
			bopt_warn("invalid --last '%s' (expected a whole number of at least 1)", arg);
			return -1;
		}
		return 1;
	case OPT_SKIP_INVALID:
		o->skip_invalid = true;
		return 1;
	default:
		return 0;
	}
}

int cmd_stats(int argc, char *argv[])
{
	struct history_read_options o = {.last = HISTORY_DEFAULT_WINDOW};
	struct output output = {0};
	struct format_choice f = {table_format_opt, FORMAT_TABLE, NULL};
	const struct opt_handler handlers[] = {
		{format_option, &f}, {stats_option, &o}, {output_option, &output},
		OPT_HANDLERS_END,
	};
	int parsed = opt_parse(argc, argv, &stats_help, handlers);
	if (parsed != OPT_PARSED)
		return parsed;

	struct bopt_stats s;
	uint64_t skipped;
	char err[BOPT_ERR_MAX];
	if (!history_read_stats(argv + optind, (size_t)(argc - optind), &o, &s, &skipped, err)) {
		bopt_warn("%s", err);
		return BOPT_EXIT_FAILURE;
	}
	if (skipped > 0)
		bopt_warn("skipped %llu invalid line%s", (unsigned long long)skipped,
			skipped == 1 ? "" : "s");
	FILE *out = output_stream(&output);
	if (f.format == FORMAT_JSON) {
		struct jw w;
		jw_init(&w, true);
		output_json_begin(&w, STATS_SCHEMA);
		history_write_stats_members(&w, &s);
		jw_object_end(&w);
		output_json(out, &w);
	} else if (f.format == FORMAT_TABLE) {
		write_table(out, &s, o.last);
	} else {
		write_rows(out, &s, f.format);
	}
	return output_finish(&output, BOPT_EXIT_OK);
}
