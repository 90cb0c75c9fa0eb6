#include <getopt.h>
#include <stdio.h>

#include "base/util.h"
#include "cli/commands.h"
#include "cli/options.h"
#include "cli/output.h"
#include "trace/workload.h"

static opt_groups merge_options = {analysis_format_opt, output_opts, help_opt, NULL};

const struct command_help merge_help = {
	.synopsis =
		"usage: bopt merge [OPTIONS] SUMMARY...\n"
		"\n"
		"Combines summary documents (bopt analyze -f summary, plain or gzip; - is\n"
		"stdin) into what bopt analyze prints for all their events: exactly for\n"
		"shards that follow one another in time, with the inter-arrival spread\n"
		"(and a coarse peak) estimated and flagged for overlapping ones.\n",
	.groups = merge_options,
	.examples =
		"  parallel bopt analyze -f summary -o {.}.sum {} ::: shards/*.ndjson.gz\n"
		"  bopt merge shards/*.sum\n",
};

int cmd_merge(int argc, char *argv[])
{
	struct output o = {0};
	struct format_choice f = {analysis_format_opt, FORMAT_TABLE, NULL};
	const struct opt_handler handlers[] = {
		{format_option, &f}, {output_option, &o}, OPT_HANDLERS_END,
	};
	int parsed = opt_parse(argc, argv, &merge_help, handlers);
	if (parsed != OPT_PARSED)
		return parsed;
	enum output_format format = f.format;
	if (optind == argc) {
		bopt_warn("no summary documents to merge");
		command_help_write(stderr, &merge_help);
		return BOPT_EXIT_USAGE;
	}

	struct workload_options wo;
	workload_options_init(&wo);
	struct workload_analysis a;
	struct summary_meta m;
	char err[BOPT_ERR_MAX];
	int status;
	if (!workload_from_summaries(argv + optind, (size_t)(argc - optind), &wo, &a, &m, err)) {
		bopt_warn("%s", err);
		status = BOPT_EXIT_FAILURE;
		goto out;
	}
	if (a.warning[0])
		bopt_warn("%s", a.warning);
	wo.trace.max_disorder_ns = m.horizon_ns;
	analysis_output(output_stream(&o), &a, &wo, &m, format);
	status = BOPT_EXIT_OK;
out:
	workload_release(&a);
	return output_finish(&o, status);
}
