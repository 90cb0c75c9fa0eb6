#ifndef BOPT_COMMANDS_H
#define BOPT_COMMANDS_H

/*
 * One entry point per subcommand, each in src/cmd-NAME.c. A command parses
 * its own options and returns the process exit status: 0 success, 1 bad
 * input or failure, 2 usage error, 3 a command-line policy not met.
 */

enum {
	BOPT_EXIT_OK = 0,
	BOPT_EXIT_FAILURE = 1,
	BOPT_EXIT_USAGE = 2,
	BOPT_EXIT_POLICY = 3,
};

int cmd_analyze(int argc, char *argv[]);
int cmd_cost(int argc, char *argv[]);
int cmd_recommend(int argc, char *argv[]);
int cmd_stats(int argc, char *argv[]);
int cmd_train(int argc, char *argv[]);

#endif
