#ifndef BOPT_CLI_OPTIONS_H
#define BOPT_CLI_OPTIONS_H

/*
 * What cost and recommend both need: the workload (--pattern FILE or
 * --trace FILE...), backend performance (--metrics FILE..., or the built-in
 * profiles), --alpha, --weights, --backend and --now, as shared getopt_long
 * options (options.c), and their preparation into a recommend_input
 * (evaluation.c, from struct evaluation on). The options own their arrays
 * (evaluation_options_release); an evaluation owns its pattern
 * (evaluation_release, also after a failed evaluation_prepare).
 */

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "base/types.h"
#include "cli/config.h"
#include "cli/optable.h"
#include "decide/capacity.h"
#include "decide/cost.h"
#include "decide/eligible.h"
#include "decide/metrics.h"
#include "decide/recommend.h"
#include "trace/workload.h"

// The codes of long options without a short letter, for every command.
enum {
	OPT_WINDOW = OPT_LONG_FIRST,
	OPT_SKIP_INVALID,
	OPT_NO_PROGRESS,
	OPT_MAX_DISORDER,
	OPT_INTERLEAVE,
	OPT_CONCAT,
	OPT_STRICT,
	OPT_PER_FILE,
	OPT_PATTERN,
	OPT_TRACE,
	OPT_SUMMARY,
	OPT_METRICS,
	OPT_ALPHA,
	OPT_WEIGHTS,
	OPT_NOW,
	OPT_BACKEND,
	OPT_TOP,
	OPT_EXPLAIN,
	OPT_MIN_SCORE,
	OPT_EXPECT,
	OPT_RECORD,
	OPT_LAST,
	OPT_SHOW,
	OPT_EVALUATE,
	OPT_RIDGE,
	OPT_SCORING,
	OPT_ALL_BACKENDS,
	OPT_CONSISTENCY,
	OPT_DURABLE,
	OPT_NO_DURABLE,
	OPT_MAX_P99,
	OPT_MAX_EVENT_SIZE,
	OPT_PLOT,
	OPT_SERIES,
	OPT_BIN,
	OPT_CONFIG,
	OPT_SHOW_ORIGIN,
	OPT_HEADROOM,
	OPT_RETENTION,
	OPT_PEAK_INTERVAL,
	OPT_SCALE,
	OPT_RATE,
	OPT_PRICES,
	OPT_CONSUMERS,
	OPT_PARTITION_BY,
};

// The options of every command that reads a trace (-j, --window, ...).
extern const struct opt workload_opts[];
// The workload and performance options of cost and recommend (--pattern,
// --trace, --metrics, ...); they take workload_opts too.
extern const struct opt evaluation_opts[];
// Sizing and what-if options (--headroom, --retention, --scale, ...);
// evaluation_option handles them.
extern const struct opt capacity_opts[];
// The queueing model's options (--partition-by); evaluation_option handles
// them.
extern const struct opt queueing_opts[];
// -f/--format and -h/--help.
extern const struct opt format_opt[];
extern const struct opt help_opt[];

// Handles one option of workload_opts (ctx: a struct workload_options;
// an opt_parse handler): 1 when it was one, 0 when it is not
// one of them, -1 when its value is bad (the message is printed).
int workload_option(void *ctx, int opt, const char *arg);

struct evaluation_options {
	struct workload_options workload;
	const char *config_path;   // --config
	struct bopt_config config; // after evaluation_begin, with the options applied
	struct cost_weights weights_given; // by --weights; NaN where not
	const char *pattern;
	const char **traces;
	size_t n_traces;
	const char **summaries; // --summary
	size_t n_summaries;
	const char **metrics;
	size_t n_metrics;
	double alpha;
	bool has_alpha; // --alpha given
	struct cost_weights weights;
	bool has_now;
	int64_t now; // ns since the epoch
	bool restricted;
	bool only[BOPT_BACKEND_COUNT];
	enum bopt_scoring scoring; // --scoring
	bool all_backends;         // --all-backends
	bool keep_analysis;        // keep the trace's analysis in the evaluation (report)
	struct capacity_options capacity; // --headroom, --retention (prices: the evaluation's)
	double peak_interval_s; // --peak-interval
	double scale;           // --scale, 1 when not given
	double rate;            // --rate, < 0 when not given
	const char *prices;     // --prices FILE, or NULL
	unsigned consumers;     // --consumers
	enum queue_partitioning partition_by; // --partition-by
	// Given on the command line (else the configuration's value counts).
	bool has_headroom, has_scoring, has_max_disorder, has_partition_by;
};

void evaluation_options_init(struct evaluation_options *o);
void evaluation_options_release(struct evaluation_options *o);
// Handles one option of evaluation_opts or workload_opts (ctx: a struct
// evaluation_options): 1 when it was one, 0 when it is not one of
// them, -1 when its value is bad (the message is printed).
int evaluation_option(void *ctx, int opt, const char *arg);
// After option parsing: checks that exactly one workload source was given
// and no operands are left; prints the problem and returns false.
bool evaluation_options_check(const struct evaluation_options *o, int operands);

// Parses a backend name for an option, printing the error when unknown.
bool evaluation_parse_backend(const char *option, const char *arg, enum bopt_backend *out);

struct evaluation {
	struct bopt_pattern pattern;
	struct workload_observed observed; // when the workload came from a trace
	struct metrics_set metrics;
	bool builtin; // the built-in profiles, nothing measured
	enum bopt_scoring scoring;
	int64_t now;
	// With keep_analysis and a trace: its analysis (its pattern's name moved to pattern).
	struct workload_analysis *analysis;
	struct capacity_load load;    // the workload's rates, after --scale or --rate
	struct interval_rates rates;  // per --peak-interval, when from a trace
	bool have_rates;
	double scaled;                // the factor --scale or --rate applied (1: none)
	// The trace's count series for the queueing model (counts owned,
	// NULL from a pattern); scale is the what-if factor.
	struct queue_arrivals arrivals;
	struct queue_key keys[QUEUE_KEYS_MAX]; // arrivals.keys by --partition-by variant
	struct price_table prices;    // built-in, or with --prices applied
	struct capacity_options capacity; // the options', pointing at prices
};

// Reads the configuration and applies the options over it (weights, alpha,
// metrics, headroom, scoring, prices, max disorder); err holds the message
// on failure.
bool evaluation_configure(struct evaluation_options *o, char *err);
// Reads the workload and the metrics; err holds the message on failure.
bool evaluation_prepare(const struct evaluation_options *o, struct evaluation *e, char *err);
void evaluation_release(struct evaluation *e);
// After option parsing, with the operands left: checks the options
// (evaluation_options_check), configures o, prepares e and fills in. Returns the exit
// status, having printed the problem: BOPT_EXIT_OK, BOPT_EXIT_USAGE or
// BOPT_EXIT_FAILURE. Release e in any case.
int evaluation_begin(struct evaluation_options *o, int operands, struct evaluation *e,
	struct recommend_input *in);

// The plan of one candidate (configuration), sized on its own measured
// throughput, as recommend sizes it.
void evaluation_plan_candidate(const struct evaluation *e, const struct metrics_candidate *c,
	struct capacity_plan *out);
// The plans of every backend, indexed by backend, each sized on the
// backend's highest measured throughput (its cited figures when it was not
// measured); by[b] is the candidate that sized it, or NULL.
void evaluation_plans(const struct evaluation *e, struct capacity_plan plans[BOPT_BACKEND_COUNT],
	const struct metrics_candidate *by[BOPT_BACKEND_COUNT]);
// Writes the "peak" and "load" rows of a capacity table: the workload's.
void evaluation_describe_load(FILE *out, const struct evaluation *e);
// Writes its "sizing" and "prices" rows: the options'.
void evaluation_describe_sizing(FILE *out, const struct evaluation *e);

// Writes the "workload" and "performance" rows that head a table.
void evaluation_describe(FILE *out, const struct evaluation *e);
void evaluation_input(const struct evaluation *e, const struct evaluation_options *o,
	struct recommend_input *in);

// The workload's requirements (bopt scoring): --consistency, --durable,
// --no-durable, --max-p99, --max-event-size.
extern const struct opt requirement_opts[];

struct requirement_args {
	bool has_consistency;
	enum bopt_consistency consistency; // --consistency overrides the pattern's
	struct requirement_options req;
	const char *option; // the last requirement option given, for reference mode
};

void requirement_args_init(struct requirement_args *r);
// Handles one option of requirement_opts (ctx: a struct requirement_args),
// as evaluation_option.
int requirement_option(void *ctx, int opt, const char *arg);
// Requirement options need bopt scoring; prints the problem and returns false.
bool requirement_args_check(const struct requirement_args *r, const struct evaluation_options *o);
// After evaluation_begin: applies --consistency to e's pattern and derives the requirements.
void requirement_apply(const struct requirement_args *r, struct evaluation *e,
	struct requirements *out);

#endif
