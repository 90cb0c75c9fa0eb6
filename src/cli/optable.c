#include "cli/optable.h"

#include <ctype.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include "base/util.h"
#include "cli/commands.h"

// Where the description of an option starts in --help.
#define HELP_COLUMN 22

int opt_short(const struct opt *o)
{
	return o->id > 0 && o->id < OPT_LONG_FIRST && isalnum(o->id) ? o->id : 0;
}

void opt_parser_build(struct opt_parser *p, const struct opt *const *groups)
{
	size_t n = 0, k = 0;
	p->shortopts[k++] = ':';
	for (; *groups != NULL; groups++) {
		for (const struct opt *o = *groups; o->name != NULL; o++) {
			if (n == OPT_MAX)
				abort(); // a table outgrew OPT_MAX
			p->longopts[n++] = (struct option){o->name,
				o->arg ? required_argument : no_argument, NULL, o->id};
			int c = opt_short(o);
			if (c != 0) {
				p->shortopts[k++] = (char)c;
				if (o->arg)
					p->shortopts[k++] = ':';
			}
		}
	}
	p->longopts[n] = (struct option){0};
	p->shortopts[k] = '\0';
}

static void write_lines(FILE *out, const char *text, int column)
{
	for (bool first = true; *text != '\0'; first = false) {
		size_t len = strcspn(text, "\n");
		if (!first)
			fprintf(out, "%*s", column, "");
		fprintf(out, "%.*s\n", (int)len, text);
		text += len + (text[len] == '\n');
	}
}

void opt_write_help(FILE *out, const struct opt *const *groups)
{
	for (; *groups != NULL; groups++) {
		for (const struct opt *o = *groups; o->name != NULL; o++) {
			int c = opt_short(o);
			int w = c ? fprintf(out, "  -%c, --%s", c, o->name) :
				fprintf(out, "      --%s", o->name);
			if (o->arg)
				w += fprintf(out, " %s", o->arg);
			if (w + 2 > HELP_COLUMN)
				fprintf(out, "\n%*s", HELP_COLUMN, "");
			else
				fprintf(out, "%*s", HELP_COLUMN - w, "");
			write_lines(out, o->help, HELP_COLUMN);
		}
	}
}

void command_help_write(FILE *out, const struct command_help *h)
{
	fputs(h->synopsis, out);
	fputs("\noptions:\n", out);
	opt_write_help(out, h->groups);
	if (h->examples != NULL) {
		fputs("\nexamples:\n", out);
		fputs(h->examples, out);
	}
}

void opt_error(int opt, char *const argv[], const struct command_help *h)
{
	// A long option names itself in argv (up to any '='); a short one is optopt.
	const char *arg = argv[optind - 1];
	int len = (int)strcspn(arg, "=");
	char shortopt[3] = {'-', (char)optopt, '\0'};
	if (strncmp(arg, "--", 2) != 0) {
		arg = shortopt;
		len = 2;
	}
	if (opt == ':')
		bopt_warn("option '%.*s' needs a value", len, arg);
	else
		bopt_warn("unknown option '%.*s'", len, arg);
	command_help_write(stderr, h);
}

int opt_parse(int argc, char *argv[], const struct command_help *h,
	const struct opt_handler *handlers)
{
	struct opt_parser p;
	opt_parser_build(&p, h->groups);
	optind = 0;
	int opt;
	while ((opt = getopt_long(argc, argv, p.shortopts, p.longopts, NULL)) != -1) {
		if (opt == 'h') {
			command_help_write(stdout, h);
			return BOPT_EXIT_OK;
		}
		int done = 0;
		for (const struct opt_handler *g = handlers; done == 0 && g->handle != NULL; g++)
			done = g->handle(g->ctx, opt, optarg);
		if (done == 0)
			opt_error(opt, argv, h);
		if (done != 1)
			return BOPT_EXIT_USAGE;
	}
	return OPT_PARSED;
}
