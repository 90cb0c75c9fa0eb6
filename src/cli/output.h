#ifndef BOPT_CLI_OUTPUT_H
#define BOPT_CLI_OUTPUT_H

/*
 * Where a command's output goes and in which machine format. -o FILE
 * collects the output in memory and replaces FILE atomically (gzip when its
 * name ends in .gz) when the
 * command succeeds (or only fails a policy, exit 3); -q discards it. Tables
 * (struct table: named columns, rows of text and number cells) are written
 * as CSV (RFC 4180), NDJSON (one object per row) or Markdown. A table owns
 * copies of its text cells; table_release frees them.
 */

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

#include "base/jsonw.h"
#include "cli/optable.h"

// -o/--output FILE and -q/--quiet.
extern const struct opt output_opts[];
// -f/--format for commands whose output is a table: table, json, ndjson,
// csv, markdown.
extern const struct opt table_format_opt[];
// -f/--format of analyze and merge: table, json, summary.
extern const struct opt analysis_format_opt[];

enum output_format {
	FORMAT_TABLE,
	FORMAT_JSON,
	FORMAT_NDJSON,
	FORMAT_CSV,
	FORMAT_MARKDOWN,
	FORMAT_SUMMARY, // a summary document (trace/summary-io.h)
};

// Parses a -f value among those f->values lists; prints the error and
// returns false otherwise.
bool output_parse_format(const struct opt *f, const char *arg, enum output_format *out);

struct output {
	const char *path; // -o FILE, or NULL
	bool quiet;       // -q
	FILE *mem;        // the memory stream behind -o or -q
	char *buf;
	size_t len;
};

// Handles -o and -q for opt_parse (ctx: a struct output): 1 when opt was
// one of them, else 0.
int output_option(void *ctx, int opt, const char *arg);

// -f/--format for opt_parse: the values f->opt accepts.
struct format_choice {
	const struct opt *opt;     // the -f table (table_format_opt, ...)
	enum output_format format; // FORMAT_TABLE until -f is given
	const char *arg;           // the value given, or NULL
};

// Handles -f (ctx: a struct format_choice): 1 when it was -f, 0 when not,
// -1 when its value is not one of f->opt's (the message printed).
int format_option(void *ctx, int opt, const char *arg);
// The stream to write the output to: standard output, or a memory stream
// with -o or -q. Call once.
FILE *output_stream(struct output *o);
// Ends the output: with -o, writes FILE atomically (as one gzip member when
// FILE ends in .gz) when status is BOPT_EXIT_OK or BOPT_EXIT_POLICY. Returns the exit status, failure when
// the file could not be written (the message printed).
int output_finish(struct output *o, int status);

// Writes the JSON document of w and a newline, and releases w.
void output_json(FILE *out, struct jw *w);
// Begins a versioned JSON document: its object and its first member,
// "schema": name ("bopt.NAME/VERSION", schemas/NAME.schema.json).
void output_json_begin(struct jw *w, const char *name);

struct table_column {
	const char *name;
	bool number;
	const char *format; // printf format of a number in Markdown ("%.4f")
	bool integer;       // a whole number: no ".0" in CSV and NDJSON
};

#define TABLE_TEXT(name) {name, false, NULL, false}
#define TABLE_NUMBER(name, format) {name, true, format, false}
#define TABLE_INTEGER(name) {name, true, "%.0f", true}

union table_cell {
	char *text;
	double number;
};

struct table {
	const struct table_column *cols;
	size_t ncols;
	union table_cell *cells; // row-major
	size_t ncells, cap;
};

void table_init(struct table *t, const struct table_column *cols, size_t ncols);
void table_release(struct table *t);
// Appends the next cell of the current row: text for a text column, a
// number for a number column.
void table_text(struct table *t, const char *s);
void table_number(struct table *t, double v);
// Writes the table as FORMAT_CSV, FORMAT_NDJSON or FORMAT_MARKDOWN.
void table_write(FILE *out, const struct table *t, enum output_format f);

#endif
