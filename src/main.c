#include <getopt.h>
#include <stdio.h>
#include <string.h>

#include "base/util.h"
#include "cli/commands.h"

static const struct command {
	const char *name;
	int (*run)(int argc, char *argv[]);
	const char *summary;
} commands[] = {
	// Kept sorted by name.
	{"analyze", cmd_analyze, "characterise the workload of an event trace"},
	{"cost", cmd_cost, "the cost model of each backend for a workload"},
	{"recommend", cmd_recommend, "rank the backends for a workload"},
	{"stats", cmd_stats, "summarise a history of recorded decisions"},
	{"train", cmd_train, "fit the performance model to measured data points"},
};

static const char usage[] =
	"usage: bopt [--version] [--help] COMMAND [OPTIONS] [FILE...]\n"
	"       bopt help COMMAND\n"
	"\n"
	"Recommends a streaming backend for a workload.\n"
	"\n"
	"commands:\n";

static void print_usage(FILE *out)
{
	fputs(usage, out);
	for (size_t i = 0; i < sizeof(commands) / sizeof(commands[0]); i++)
		fprintf(out, "  %-10s %s\n", commands[i].name, commands[i].summary);
	fputs("\nSee bopt COMMAND --help or bopt(1).\n", out);
}

static const struct command *find_command(const char *name)
{
	for (size_t i = 0; i < sizeof(commands) / sizeof(commands[0]); i++)
		if (strcmp(commands[i].name, name) == 0)
			return &commands[i];
	return NULL;
}

int main(int argc, char *argv[])
{
	if (argc < 2) {
		print_usage(stderr);
		return BOPT_EXIT_USAGE;
	}
	const char *name = argv[1];
	if (strcmp(name, "--help") == 0 || strcmp(name, "-h") == 0) {
		print_usage(stdout);
		return finish_stdout(BOPT_EXIT_OK);
	}
	if (strcmp(name, "--version") == 0) {
		printf("bopt %s\n", BOPT_VERSION);
		return finish_stdout(BOPT_EXIT_OK);
	}
	if (strcmp(name, "help") == 0) {
		if (argc < 3) {
			print_usage(stdout);
			return finish_stdout(BOPT_EXIT_OK);
		}
		const struct command *cmd = find_command(argv[2]);
		if (cmd == NULL) {
			bopt_warn("unknown command '%s'", argv[2]);
			return BOPT_EXIT_USAGE;
		}
		char *help_argv[] = {argv[2], "--help", NULL};
		opterr = 0;
		return finish_stdout(cmd->run(2, help_argv));
	}
	opterr = 0; // commands report bad options themselves
	const struct command *cmd = find_command(name);
	if (cmd == NULL) {
		bopt_warn("unknown command '%s'", name);
		print_usage(stderr);
		return BOPT_EXIT_USAGE;
	}
	return finish_stdout(cmd->run(argc - 1, argv + 1));
}
