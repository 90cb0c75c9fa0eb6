#ifndef BOPT_CLI_CONFIG_H
#define BOPT_CLI_CONFIG_H

/*
 * The configuration: the reference's OptimizerConfig fields in their serde
 * shape plus bopt's own defaults, from a JSON file (--config FILE, else
 * $BOPT_CONFIG, else $XDG_CONFIG_HOME/bopt/config.json), the environment
 * (BOPT_<KEY>) and the command line. Precedence: option > environment >
 * file > built-in; each value remembers where it came from. A key is one row
 * of config_keys (config.c). A bopt_config owns its file name and path
 * lists; config_release frees them.
 */

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "base/jsonw.h"
#include "cli/optable.h"
#include "decide/cost.h"
#include "decide/queue.h"
#include "decide/score.h"

enum config_key_id {
	CFG_ENABLE_COST_MODELING,
	CFG_ENABLE_ML_PREDICTION,
	CFG_ENABLE_PATTERN_ANALYSIS,
	CFG_OPTIMIZATION_INTERVAL,
	CFG_MIN_SAMPLES_FOR_PREDICTION,
	CFG_COST_WEIGHT_LATENCY,
	CFG_COST_WEIGHT_THROUGHPUT,
	CFG_COST_WEIGHT_RELIABILITY,
	CFG_COST_WEIGHT_RESOURCE_USAGE,
	CFG_ALPHA,
	CFG_METRICS,
	CFG_HEADROOM,
	CFG_SCORING,
	CFG_PRICES,
	CFG_MAX_DISORDER,
	CFG_PARTITION_BY,
	CFG_KEY_COUNT,
};

enum config_origin_kind {
	CFG_FROM_BUILTIN,
	CFG_FROM_FILE,
	CFG_FROM_ENV,
	CFG_FROM_OPTION,
};

struct config_origin {
	enum config_origin_kind kind;
	size_t line;        // CFG_FROM_FILE
	const char *option; // CFG_FROM_OPTION: "--weights" (static)
};

struct config_paths {
	char **v;
	size_t n;
};

struct bopt_config {
	bool enable_cost_modeling;
	bool enable_ml_prediction;
	bool enable_pattern_analysis;
	int64_t optimization_interval_ns;
	size_t min_samples_for_prediction;
	struct cost_weights weights;
	double alpha;
	struct config_paths metrics;
	double headroom;           // target utilisation at peak, percent (--headroom)
	enum bopt_scoring scoring; // --scoring
	char *prices;              // --prices FILE, or NULL
	int64_t max_disorder_ns;   // --max-disorder
	enum queue_partitioning partition_by; // --partition-by
	char *file; // the configuration file read, or NULL
	struct config_origin origin[CFG_KEY_COUNT];
};

// --config FILE, for the commands that read the configuration.
extern const struct opt config_opt[];

// The built-in values.
void config_init(struct bopt_config *c);
void config_release(struct bopt_config *c);
// Reads the file (path from --config, or NULL to look in the environment
// and the XDG directory) and the BOPT_<KEY> variables over the built-in
// values. err: "FILE:LINE: unknown key 'x'" and the like.
bool config_load(struct bopt_config *c, const char *path, char *err);
// Marks a key as set by a command-line option (after setting its value).
void config_set_by_option(struct bopt_config *c, enum config_key_id k, const char *option);
// The name of the environment variable of a key: "BOPT_" and the key in
// capitals (buf needs 64 bytes).
void config_env_name(enum config_key_id k, char buf[static 64]);

// "key<pad>value" lines, with the origin first when show_origin.
void config_write_text(FILE *out, const struct bopt_config *c, bool show_origin);
// The configuration file's JSON object (every key, serde shape).
void config_write_json(struct jw *w, const struct bopt_config *c);
// Each key's origin: {"kind": "file", "file": ..., "line": ...} and so on.
void config_write_origins(struct jw *w, const struct bopt_config *c);

#endif
