#include "cli/commands.h"

#include <string.h>

const struct command bopt_commands[] = {
	// Kept sorted by name.
	{"analyze", cmd_analyze, "characterise the workload of an event trace", &analyze_help},
	{"completion", cmd_completion, "print the completion script for bash, zsh or fish",
		&completion_help},
	{"compare", cmd_compare, "two workloads side by side: sizing, dollars, recommendation",
		&compare_help},
	{"config", cmd_config, "print the effective configuration and where it came from",
		&config_help},
	{"cost", cmd_cost, "the cost model of each backend for a workload", &cost_help},
	{"merge", cmd_merge, "combine summary documents into the analysis of the whole",
		&merge_help},
	{"recommend", cmd_recommend, "rank the backends for a workload", &recommend_help},
	{"report", cmd_report, "an HTML page of the workload's pictures and the decision",
		&report_help},
	{"stats", cmd_stats, "summarise a history of recorded decisions", &stats_help},
	{"train", cmd_train, "fit the performance model to measured data points", &train_help},
};

const size_t bopt_command_count = sizeof(bopt_commands) / sizeof(bopt_commands[0]);

const struct command *command_find(const char *name)
{
	for (size_t i = 0; i < bopt_command_count; i++)
		if (strcmp(bopt_commands[i].name, name) == 0)
			return &bopt_commands[i];
	return NULL;
}
