#ifndef BOPT_COMMANDS_H
#define BOPT_COMMANDS_H

/*
 * The subcommands: one entry point per command, each in src/cli/cmd-NAME.c,
 * and the sorted table that main.c dispatches on. A command parses its own
 * options and returns the process exit status: 0 success, 1 bad input or
 * failure, 2 usage error, 3 a command-line policy not met. Everything here
 * is constant.
 */

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

#include "cli/optable.h"

enum {
	BOPT_EXIT_OK = 0,
	BOPT_EXIT_FAILURE = 1,
	BOPT_EXIT_USAGE = 2,
	BOPT_EXIT_POLICY = 3,
};

int cmd_analyze(int argc, char *argv[]);
int cmd_compare(int argc, char *argv[]);
int cmd_completion(int argc, char *argv[]);
int cmd_config(int argc, char *argv[]);
int cmd_cost(int argc, char *argv[]);
int cmd_merge(int argc, char *argv[]);
int cmd_recommend(int argc, char *argv[]);
int cmd_report(int argc, char *argv[]);
int cmd_stats(int argc, char *argv[]);
int cmd_train(int argc, char *argv[]);

extern const struct command_help analyze_help, compare_help, completion_help, config_help,
	cost_help, merge_help, recommend_help, report_help, stats_help, train_help;

struct workload_analysis;
struct workload_options;
struct summary_meta;
// Writes what analyze and merge print to out: a table, JSON, or a summary
// document (format FORMAT_TABLE, FORMAT_JSON or FORMAT_SUMMARY).
void analysis_output(FILE *out, const struct workload_analysis *a,
	const struct workload_options *wo, const struct summary_meta *m, int format);

struct command {
	const char *name;
	int (*run)(int argc, char *argv[]);
	const char *summary;
	const struct command_help *help;
};

// "bopt VERSION", the build's features and its libraries' versions.
void version_write(FILE *out);

// Sorted by name.
extern const struct command bopt_commands[];
extern const size_t bopt_command_count;

// The command of that name, or NULL.
const struct command *command_find(const char *name);

#endif
