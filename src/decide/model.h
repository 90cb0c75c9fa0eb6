#ifndef BOPT_MODEL_H
#define BOPT_MODEL_H

/*
 * The learned performance predictor (the reference's MLPredictor, made
 * real): a history of PerformanceDataPoint records, a ridge regression per
 * backend and target fitted on the reference's feature vector with k-fold
 * cross-validation, prediction with the reference's similarity fallback, and
 * the model file. A bopt_model owns its points (and each point its pattern
 * and external factors); model_destroy frees everything and accepts a model
 * that model_init set up but nothing else filled.
 */

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "base/jsonw.h"
#include "base/types.h"
#include "decide/regress.h"

// The "format" of a model file.
#define MODEL_FORMAT "bopt-model"
// MLPredictor::add_training_data: at most 10000 points; past that the
// oldest 1000 go.
#define MODEL_HISTORY_CAP 10000
#define MODEL_HISTORY_DROP 1000
// MLPredictor::retrain_models: a backend needs 10 points for a model (the
// default of min_points; the configuration's min_samples_for_prediction).
#define MODEL_MIN_POINTS 10
// bopt: the regression is used only when its cross-validated R2 reaches this.
#define MODEL_MIN_CV_R2 0.5
// MLPredictor::predict_performance: "similar" patterns score above 0.7.
#define MODEL_SIMILARITY_THRESHOLD 0.7
// bopt: k of the k-fold cross-validation.
#define MODEL_CV_FOLDS 5
// bopt's default ridge penalty on standardised features: a numerical one,
// too small to bias a well-determined fit (by about 1e-12 relative), large
// enough to make the system full rank, so that collinear features (ordering
// and consistency both follow from transactions) share their weight.
#define MODEL_DEFAULT_RIDGE 1e-12
// MLPredictor::predict_performance: p95 and p99 from the predicted p50.
#define MODEL_P95_FACTOR 1.5
#define MODEL_P99_FACTOR 2.0
// --evaluate: the held-out share of each backend's points is every fifth.
#define MODEL_EVAL_EVERY 5

// MLPredictor::extract_features: rate, batch size, event size, compression
// ratio, serialization overhead, complex, ordering, pattern code,
// consistency code and a constant 1.
#define MODEL_FEATURES 10
extern const char *const model_feature_names[MODEL_FEATURES];

enum model_target {
	MODEL_LATENCY,    // actual_latency, ms (predicts p50)
	MODEL_THROUGHPUT, // actual_throughput, events/s
	MODEL_TARGET_COUNT,
};
extern const char *const model_target_names[MODEL_TARGET_COUNT];

struct model_target_fit {
	struct regress_fit fit; // on all the backend's points
	struct regress_cv cv;
	bool qualified;         // cv.r2 >= MODEL_MIN_CV_R2
};

struct model_backend {
	size_t points;
	bool fitted; // points >= min_points; targets below are valid
	struct model_target_fit target[MODEL_TARGET_COUNT];
};

struct bopt_model {
	double ridge;
	size_t min_points; // per backend for a regression; MODEL_MIN_POINTS unless configured
	struct bopt_data_point *points; // oldest first
	size_t npoints, cap;
	size_t dropped; // by the history cap since model_init
	bool staging;   // holds points to move into another model: no cap
	struct model_backend backends[BOPT_BACKEND_COUNT]; // valid after model_refit
};

void model_init(struct bopt_model *m);
void model_destroy(struct bopt_model *m);

// Appends a point (the model takes ownership), applying the history cap
// (unless m is staging).
void model_add_point(struct bopt_model *m, struct bopt_data_point *pt);
// Moves every point of from (in order) to the end of m, as model_add_point
// would add them one by one; from is left empty.
void model_take_points(struct bopt_model *m, struct bopt_model *from);

// Reads PerformanceDataPoint NDJSON ("-" is standard input, gzip is
// inflated) and adds its points; *added counts them. err: "FILE:LINE: ...".
bool model_read_data(struct bopt_model *m, const char *path, size_t *added, char *err);

// Fits every backend with enough points and cross-validates it.
bool model_refit(struct bopt_model *m, char *err);

// Loads a model file (history, ridge) and refits; a missing file gives an
// empty model and *created = true. A file that is not a bopt model is an
// error ("FILE: ...").
bool model_load(struct bopt_model *m, const char *path, bool *created, char *err);
// The same for a model that must exist (--show, recommend --model).
bool model_load_existing(struct bopt_model *m, const char *path, char *err);
// The model file's JSON; model_save writes it atomically.
void model_write_json(struct jw *w, const struct bopt_model *m);
bool model_save(const struct bopt_model *m, const char *path, char *err);
// Locks path for a read-modify-write (load, add, save): an exclusive
// flock(2) on the directory of the file path is or links to, which must be
// a regular file or absent. Returns the descriptor for file_unlock, or -1
// with err set.
int model_lock(const char *path, char *err);
// The per-backend summary (the file's "backends" array).
void model_write_backends(struct jw *w, const struct bopt_model *m);

void model_features(const struct bopt_pattern *p, double x[MODEL_FEATURES]);
// MLPredictor::pattern_similarity: 0..1.
double model_pattern_similarity(const struct bopt_pattern *a, const struct bopt_pattern *b);

enum model_source {
	MODEL_SOURCE_MEASURED, // no data for the backend: its measured performance
	MODEL_SOURCE_SIMILAR,  // mean of the similar points (else of all)
	MODEL_SOURCE_MODEL,    // the regression
};
const char *model_source_name(enum model_source s);

struct model_prediction {
	struct bopt_performance perf;
	enum model_source source; // MODEL when either target came from the regression
	enum model_source target_source[MODEL_TARGET_COUNT];
	size_t similar_points;    // points behind the similarity mean (0 for measured)
};

// Predicts a backend's performance for a pattern: p50 and throughput from
// the regression when it qualifies, else the similarity mean; p95 = 1.5 p50,
// p99 = 2 p50; reliability and resource usage from the similarity mean.
// measured supplies the static fields and the answer when the model has no
// data for the backend.
void model_predict(const struct bopt_model *m, enum bopt_backend b,
	const struct bopt_pattern *p, const struct bopt_performance *measured,
	struct model_prediction *out);

struct model_eval_target {
	bool have_regression;     // the training part had min_points points
	double regression_mae;
	double similar_mae;
};

struct model_eval {
	size_t train, test;
	struct model_eval_target target[MODEL_TARGET_COUNT];
};

// Held-out comparison: per backend, its points numbered in history order,
// every MODEL_EVAL_EVERY-th (4, 9, 14, ...) is held out; the regression
// (fitted on the rest, used whatever its R2) and the reference's similarity
// mean (of the rest) predict them. Backends without a held-out point get
// test = 0.
bool model_evaluate(const struct bopt_model *m, struct model_eval out[BOPT_BACKEND_COUNT],
	char *err);

#endif
