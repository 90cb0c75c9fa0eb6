#include <getopt.h>
#include <stdio.h>
#include <string.h>

#include "base/util.h"
#include "cli/commands.h"
#include "cli/diag.h"

static const char usage[] =
	"usage: bopt [-V | --version] [-h | --help] COMMAND [OPTIONS] [FILE...]\n"
	"       bopt help COMMAND\n"
	"\n"
	"Recommends a streaming backend for a workload.\n"
	"\n"
	"commands:\n";

static void print_usage(FILE *out)
{
	fputs(usage, out);
	for (size_t i = 0; i < bopt_command_count; i++)
		fprintf(out, "  %-11s %s\n", bopt_commands[i].name, bopt_commands[i].summary);
	fputs("\nexamples:\n"
		"  bopt recommend --trace trace.ndjson.gz\n"
		"  bopt help recommend\n"
		"  bopt completion bash > ~/.local/share/bash-completion/completions/bopt\n"
		"\nSee bopt COMMAND --help or bopt(1).\n", out);
}

int main(int argc, char *argv[])
{
	bopt_set_warn_routine(diag_print_warning);
	if (argc < 2) {
		print_usage(stderr);
		return BOPT_EXIT_USAGE;
	}
	const char *name = argv[1];
	if (strcmp(name, "--help") == 0 || strcmp(name, "-h") == 0) {
		print_usage(stdout);
		return finish_stdout(BOPT_EXIT_OK);
	}
	if (strcmp(name, "--version") == 0 || strcmp(name, "-V") == 0) {
		version_write(stdout);
		return finish_stdout(BOPT_EXIT_OK);
	}
	if (strcmp(name, "help") == 0) {
		if (argc < 3) {
			print_usage(stdout);
			return finish_stdout(BOPT_EXIT_OK);
		}
		const struct command *cmd = command_find(argv[2]);
		if (cmd == NULL) {
			bopt_warn("unknown command '%s'", argv[2]);
			return BOPT_EXIT_USAGE;
		}
		char *help_argv[] = {argv[2], "--help", NULL};
		opterr = 0;
		return finish_stdout(cmd->run(2, help_argv));
	}
	opterr = 0; // commands report bad options themselves
	const struct command *cmd = command_find(name);
	if (cmd == NULL) {
		bopt_warn("unknown command '%s'", name);
		print_usage(stderr);
		return BOPT_EXIT_USAGE;
	}
	return finish_stdout(cmd->run(argc - 1, argv + 1));
}
