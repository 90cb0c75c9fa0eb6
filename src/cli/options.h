#ifndef BOPT_EVALUATION_H
#define BOPT_EVALUATION_H

/*
 * What cost and recommend both need: the workload (--pattern FILE or
 * --trace FILE...), backend performance (--metrics FILE..., or the built-in
 * profiles), --alpha, --weights, --backend and --now, as shared getopt_long
 * options, and their preparation into a recommend_input. The options own
 * their arrays (evaluation_options_release); an evaluation owns its pattern
 * (evaluation_release, also after a failed evaluation_prepare).
 */

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "base/types.h"
#include "decide/cost.h"
#include "decide/metrics.h"
#include "decide/recommend.h"
#include "trace/workload.h"

enum {
	OPT_PATTERN = OPT_WORKLOAD_LAST,
	OPT_TRACE,
	OPT_METRICS,
	OPT_ALPHA,
	OPT_WEIGHTS,
	OPT_NOW,
	OPT_BACKEND,
	OPT_EVALUATION_LAST, // commands number their own long options from here
};

#define EVALUATION_LONG_OPTIONS \
	WORKLOAD_LONG_OPTIONS, \
	{"pattern", required_argument, NULL, OPT_PATTERN}, \
	{"trace", required_argument, NULL, OPT_TRACE}, \
	{"metrics", required_argument, NULL, OPT_METRICS}, \
	{"alpha", required_argument, NULL, OPT_ALPHA}, \
	{"weights", required_argument, NULL, OPT_WEIGHTS}, \
	{"now", required_argument, NULL, OPT_NOW}, \
	{"backend", required_argument, NULL, OPT_BACKEND}

#define EVALUATION_OPTIONS_HELP \
	"      --pattern FILE  the workload: a WorkloadPattern or analyze -f json output\n" \
	"      --trace FILE    the workload: analyse this trace (repeatable, in order)\n" \
	"      --metrics FILE  metric snapshots or an OMB result (repeatable; default:\n" \
	"                      the built-in reference profiles)\n" \
	"      --alpha A       smoothing of later snapshots, 0 < A <= 1 (default 0.1)\n" \
	"      --weights W     latency=..,throughput=..,reliability=..,resource=..\n" \
	"                      (default 0.3, 0.3, 0.3, 0.1)\n" \
	"      --backend NAME  only this backend (repeatable)\n" \
	"      --now TIME      the current time, RFC 3339 (for reproducible output)\n" \
	WORKLOAD_OPTIONS_HELP

// Short options of the shared ones.
#define EVALUATION_SHORT_OPTIONS "j:"

struct evaluation_options {
	struct workload_options workload;
	const char *pattern;
	const char **traces;
	size_t n_traces;
	const char **metrics;
	size_t n_metrics;
	double alpha;
	struct cost_weights weights;
	bool has_now;
	int64_t now; // ns since the epoch
	bool restricted;
	bool only[BOPT_BACKEND_COUNT];
};

void evaluation_options_init(struct evaluation_options *o);
void evaluation_options_release(struct evaluation_options *o);
// Handles one shared option: 1 when it was one, 0 when it is not one of
// them, -1 when its value is bad (the message is printed).
int evaluation_option(struct evaluation_options *o, int opt, const char *arg);
// After option parsing: checks that exactly one workload source was given
// and no operands are left; prints the problem and returns false.
bool evaluation_options_check(const struct evaluation_options *o, int operands);

// Parses a backend name for an option, printing the error when unknown.
bool evaluation_parse_backend(const char *option, const char *arg, enum bopt_backend *out);

struct evaluation {
	struct bopt_pattern pattern;
	struct metrics_set metrics;
	bool builtin; // the built-in profiles, nothing measured
	int64_t now;
};

// Reads the workload and the metrics; err holds the message on failure.
bool evaluation_prepare(const struct evaluation_options *o, struct evaluation *e, char *err);
void evaluation_release(struct evaluation *e);
// After option parsing, with the operands left: checks the options
// (evaluation_options_check), prepares e and fills in. Returns the exit
// status, having printed the problem: BOPT_EXIT_OK, BOPT_EXIT_USAGE or
// BOPT_EXIT_FAILURE. Release e in any case.
int evaluation_begin(const struct evaluation_options *o, int operands, struct evaluation *e,
	struct recommend_input *in);

// Writes the "workload" and "performance" rows that head a table.
void evaluation_describe(FILE *out, const struct evaluation *e);
void evaluation_input(const struct evaluation *e, const struct evaluation_options *o,
	struct recommend_input *in);

#endif
