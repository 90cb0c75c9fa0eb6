#ifndef BOPT_OPTABLE_H
#define BOPT_OPTABLE_H

/*
 * Options defined once. Each command describes its options in tables of
 * struct opt; the getopt_long strings, the --help text, the option-error
 * message, the manual's check (tests/layout/manpage.sh) and shell
 * completion all derive from them. Tables are constant; an opt_parser is
 * plain data on the caller's stack.
 */

#include <getopt.h>
#include <stdio.h>

struct opt {
	int id;              // what getopt_long returns: the short letter, or an OPT_* code
	const char *name;    // the long name, without "--"
	const char *arg;     // the argument's placeholder in --help; NULL for a flag
	const char *help;    // one or more lines, separated by '\n'
	const char *values;  // the accepted values, space-separated (completion); or NULL
};

// The end of a table.
#define OPT_END {0, NULL, NULL, NULL, NULL}

// A command's option tables, in the order --help lists them, NULL-terminated.
typedef const struct opt *const opt_groups[];

// Long options without a short letter number from here (above any char).
#define OPT_LONG_FIRST 0x100

#define OPT_MAX 64

struct opt_parser {
	struct option longopts[OPT_MAX + 1];
	char shortopts[3 * OPT_MAX + 2];
};

// The short letter of an option, or 0.
int opt_short(const struct opt *o);
// Fills p from the tables: ":" first, so a missing value returns ':'.
void opt_parser_build(struct opt_parser *p, const struct opt *const *groups);
// Writes the option lines of --help ("  -f, --format FMT    ...").
void opt_write_help(FILE *out, const struct opt *const *groups);

struct command_help {
	const char *synopsis;    // "usage: ..." lines and the description, ending in "\n"
	const struct opt *const *groups;
	const char *examples;    // lines after the options, or NULL
};

// The whole --help text of a command.
void command_help_write(FILE *out, const struct command_help *h);
// Reports an unknown option or a missing value after getopt_long returned
// '?' or ':', then the usage, on standard error.
void opt_error(int opt, char *const argv[], const struct command_help *h);

// A group of options and what handles them: handle returns 1 when opt was
// one of the group's (its value kept in ctx), 0 when it is not, -1 when its
// value is bad (the message printed).
struct opt_handler {
	int (*handle)(void *ctx, int opt, const char *arg);
	void *ctx;
};

// The end of a list of handlers.
#define OPT_HANDLERS_END {NULL, NULL}

// What opt_parse returns when every option was taken.
#define OPT_PARSED (-1)

// The option loop of every command: getopt_long over h->groups from
// argv[1]; -h/--help writes the help on standard output; any other option
// goes to the handlers in turn until one takes it, and one that none takes
// (unknown, or its value missing) is opt_error. Returns OPT_PARSED with
// optind at the first operand, else the exit status: BOPT_EXIT_OK after
// --help, BOPT_EXIT_USAGE after a bad option (the message printed).
int opt_parse(int argc, char *argv[], const struct command_help *h,
	const struct opt_handler *handlers);

#endif
