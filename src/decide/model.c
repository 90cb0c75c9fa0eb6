#include "decide/model.h"

#include <errno.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "base/fileio.h"
#include "base/input.h"
#include "base/jsonscan.h"
#include "base/serde.h"
#include "base/util.h"

// The model file's version.
#define MODEL_VERSION 1
// The largest model file bopt reads.
#define MODEL_FILE_MAX ((size_t)1 << 30)
// The longest training data line read (a point is a few KiB): a longer one
// is an error rather than a buffer as large as the line.
#define MODEL_DATA_MAX_LINE (16u << 20)

const char *const model_feature_names[MODEL_FEATURES] = {
	"event_rate", "batch_size", "event_size_bytes", "compression_ratio",
	"serialization_overhead", "has_complex_structures", "requires_ordering",
	"pattern_type", "consistency_requirements", "constant",
};

const char *const model_target_names[MODEL_TARGET_COUNT] = {
	[MODEL_LATENCY] = "latency",
	[MODEL_THROUGHPUT] = "throughput",
};

const char *model_source_name(enum model_source s)
{
	switch (s) {
	case MODEL_SOURCE_MODEL:
		return "model";
	case MODEL_SOURCE_SIMILAR:
		return "similar";
	case MODEL_SOURCE_MEASURED:
		break;
	}
	return "measured";
}

void model_init(struct bopt_model *m)
{
	*m = (struct bopt_model){.ridge = MODEL_DEFAULT_RIDGE, .min_points = MODEL_MIN_POINTS};
}

void model_destroy(struct bopt_model *m)
{
	for (size_t i = 0; i < m->npoints; i++)
		data_point_release(&m->points[i]);
	free(m->points);
	model_init(m);
}

void model_add_point(struct bopt_model *m, struct bopt_data_point *pt)
{
	if (m->npoints == m->cap) {
		m->cap = m->cap ? m->cap * 2 : 64;
		m->points = xrealloc(m->points, m->cap * sizeof(*m->points));
	}
	m->points[m->npoints++] = *pt;
	*pt = (struct bopt_data_point){0};
	if (m->npoints > MODEL_HISTORY_CAP && !m->staging) {
		for (size_t i = 0; i < MODEL_HISTORY_DROP; i++)
			data_point_release(&m->points[i]);
		m->npoints -= MODEL_HISTORY_DROP;
		memmove(m->points, m->points + MODEL_HISTORY_DROP, m->npoints * sizeof(*m->points));
		m->dropped += MODEL_HISTORY_DROP;
	}
}

void model_take_points(struct bopt_model *m, struct bopt_model *from)
{
	for (size_t i = 0; i < from->npoints; i++)
		model_add_point(m, &from->points[i]);
	free(from->points);
	from->points = NULL;
	from->npoints = from->cap = 0;
}

static bool blank(const char *s, size_t len)
{
	for (size_t i = 0; i < len; i++)
		if (s[i] != ' ' && s[i] != '\t' && s[i] != '\r')
			return false;
	return true;
}

// One NDJSON line (without its newline) into a point.
static bool parse_line(const char *line, size_t len, struct bopt_data_point *pt, char *err)
{
	*pt = (struct bopt_data_point){0};
	struct serde_parse_error pe;
	cJSON *j = serde_parse(line, len, &pe);
	if (j == NULL)
		return bopt_errf(err, "invalid JSON at column %zu: %s", pe.column, pe.reason);
	bool ok = serde_read_data_point(j, pt, err);
	cJSON_Delete(j);
	return ok;
}

bool model_read_data(struct bopt_model *m, const char *path, size_t *added, char *err)
{
	struct input_lines r;
	const char *line;
	size_t len;
	int rc = -1;
	char why[BOPT_ERR_MAX];
	*added = 0;
	if (!input_lines_open(&r, path, MODEL_DATA_MAX_LINE, err))
		goto out;
	while ((rc = input_lines_next(&r, &line, &len, err)) > 0) {
		if (blank(line, len))
			continue;
		struct bopt_data_point pt;
		if (!parse_line(line, len, &pt, why)) {
			data_point_release(&pt);
			bopt_errf(err, "%s:%llu: %s", r.in.name, (unsigned long long)r.line, why);
			rc = -1;
			break;
		}
		model_add_point(m, &pt);
		++*added;
	}
out:
	input_lines_close(&r);
	return rc == 0;
}

// MLPredictor::extract_features: the codes of the pattern type and the
// consistency level.
static double pattern_code(enum bopt_pattern_type t)
{
	switch (t) {
	case BOPT_REALTIME:
		return 1.0;
	case BOPT_BATCH_ORIENTED:
		return 2.0;
	case BOPT_BURSTY:
		return 3.0;
	default:
		return 0.0;
	}
}

static double consistency_code(enum bopt_consistency c)
{
	switch (c) {
	case BOPT_EXACTLY_ONCE:
		return 3.0;
	case BOPT_AT_LEAST_ONCE:
		return 2.0;
	default:
		return 1.0;
	}
}

void model_features(const struct bopt_pattern *p, double x[MODEL_FEATURES])
{
	const struct bopt_data_characteristics *dc = &p->data_characteristics;
	x[0] = p->event_rate;
	x[1] = (double)p->batch_size;
	x[2] = (double)p->event_size_bytes;
	x[3] = dc->compression_ratio;
	x[4] = dc->serialization_overhead;
	x[5] = dc->has_complex_structures ? 1.0 : 0.0;
	x[6] = dc->requires_ordering ? 1.0 : 0.0;
	x[7] = pattern_code(p->pattern_type);
	x[8] = consistency_code(p->consistency_requirements);
	x[9] = 1.0;
}

// 1 - |a - b| / (a + b + 1), the reference's closeness of two magnitudes.
static double closeness(double a, double b)
{
	return 1.0 - fabs(a - b) / (a + b + 1.0);
}

double model_pattern_similarity(const struct bopt_pattern *a, const struct bopt_pattern *b)
{
	double rate = closeness(a->event_rate, b->event_rate);
	double size = closeness((double)a->event_size_bytes, (double)b->event_size_bytes);
	double type = a->pattern_type == b->pattern_type ? 1.0 : 0.0;
	return (rate + size + type) / 3.0;
}

static double target_value(const struct bopt_data_point *pt, enum model_target t)
{
	return t == MODEL_LATENCY ? pt->latency : pt->throughput;
}

// The indices of a backend's points, oldest first; the caller frees *idx.
static size_t backend_points(const struct bopt_model *m, enum bopt_backend b, size_t **idx)
{
	size_t n = 0;
	*idx = xmalloc((m->npoints ? m->npoints : 1) * sizeof(**idx));
	for (size_t i = 0; i < m->npoints; i++)
		if (m->points[i].backend == b)
			(*idx)[n++] = i;
	return n;
}

// Fits one target on the points idx[0..n) (n > 0, all of one backend); with
// cv, cross-validates too. err names the backend and target.
static bool fit_target(const struct bopt_model *m, const size_t *idx, size_t n,
	enum model_target t, bool cv, struct model_target_fit *out, char *err)
{
	double *x = xmalloc(n * MODEL_FEATURES * sizeof(*x));
	double *y = xmalloc(n * sizeof(*y));
	for (size_t i = 0; i < n; i++) {
		model_features(&m->points[idx[i]].pattern, x + i * MODEL_FEATURES);
		y[i] = target_value(&m->points[idx[i]], t);
	}
	*out = (struct model_target_fit){0};
	char why[BOPT_ERR_MAX];
	bool ok = regress_fit(x, y, n, MODEL_FEATURES, m->ridge, &out->fit, why) &&
		(!cv || regress_cross_validate(x, y, n, MODEL_FEATURES, m->ridge, MODEL_CV_FOLDS,
			&out->cv, why));
	if (!ok)
		bopt_errf(err, "%s %s: %s", backend_name(m->points[idx[0]].backend),
			model_target_names[t], why);
	out->qualified = ok && cv && out->cv.r2 >= MODEL_MIN_CV_R2;
	free(x);
	free(y);
	return ok;
}

bool model_refit(struct bopt_model *m, char *err)
{
	bool ok = true;
	for (int b = 0; b < BOPT_BACKEND_COUNT && ok; b++) {
		struct model_backend *be = &m->backends[b];
		size_t *idx;
		*be = (struct model_backend){.points = backend_points(m, b, &idx)};
		be->fitted = be->points >= m->min_points;
		for (int t = 0; t < MODEL_TARGET_COUNT && be->fitted && ok; t++)
			ok = fit_target(m, idx, be->points, t, true, &be->target[t], err);
		free(idx);
	}
	return ok;
}

// A regression prediction; latency and throughput are never negative. NaN
// when the pattern's features are too large for a finite one.
static double predict_target(const struct regress_fit *fit, const struct bopt_pattern *p)
{
	double x[MODEL_FEATURES];
	model_features(p, x);
	double v = regress_predict(fit, x);
	if (!isfinite(v))
		return NAN;
	return v > 0 ? v : 0;
}

struct similar_mean {
	size_t n;
	double target[MODEL_TARGET_COUNT];
	double reliability;
	const struct bopt_data_point *first; // the reference's source of resource usage
	int64_t newest;                  // latest timestamp among them
};

// The reference's prediction: the mean of the points idx[0..n) whose
// pattern is similar to p, or of all of them when none is (n > 0).
static void similar_mean(const struct bopt_model *m, const size_t *idx, size_t n,
	const struct bopt_pattern *p, struct similar_mean *out)
{
	*out = (struct similar_mean){0};
	for (int pass = 0; pass < 2 && out->n == 0; pass++) {
		for (size_t i = 0; i < n; i++) {
			const struct bopt_data_point *pt = &m->points[idx[i]];
			if (pass == 0 &&
					!(model_pattern_similarity(&pt->pattern, p) > MODEL_SIMILARITY_THRESHOLD))
				continue;
			if (out->n++ == 0) {
				out->first = pt;
				out->newest = pt->timestamp;
			}
			// Running means: finite for any finite values.
			double k = (double)out->n;
			for (int t = 0; t < MODEL_TARGET_COUNT; t++)
				out->target[t] += (target_value(pt, t) - out->target[t]) / k;
			out->reliability += (pt->reliability - out->reliability) / k;
			if (pt->timestamp > out->newest)
				out->newest = pt->timestamp;
		}
	}
}

void model_predict(const struct bopt_model *m, enum bopt_backend b,
	const struct bopt_pattern *p, const struct bopt_performance *measured,
	struct model_prediction *out)
{
	*out = (struct model_prediction){.perf = *measured};
	size_t *idx;
	size_t n = backend_points(m, b, &idx);
	if (n > 0) {
		const struct model_backend *be = &m->backends[b];
		struct similar_mean sm;
		similar_mean(m, idx, n, p, &sm);
		double v[MODEL_TARGET_COUNT];
		out->source = MODEL_SOURCE_SIMILAR;
		out->similar_points = sm.n;
		out->perf.sample_count = sm.n;
		for (int t = 0; t < MODEL_TARGET_COUNT; t++) {
			v[t] = sm.target[t];
			out->target_source[t] = MODEL_SOURCE_SIMILAR;
			double r = be->fitted && be->target[t].qualified ?
				predict_target(&be->target[t].fit, p) : NAN;
			if (!isnan(r)) {
				v[t] = r;
				out->target_source[t] = MODEL_SOURCE_MODEL;
				out->source = MODEL_SOURCE_MODEL;
				out->perf.sample_count = n;
			}
		}
		out->perf.backend_type = b;
		out->perf.measured_latency_p50 = v[MODEL_LATENCY];
		out->perf.measured_latency_p95 = v[MODEL_LATENCY] * MODEL_P95_FACTOR;
		out->perf.measured_latency_p99 = v[MODEL_LATENCY] * MODEL_P99_FACTOR;
		out->perf.measured_throughput = v[MODEL_THROUGHPUT];
		out->perf.reliability_score = sm.reliability;
		out->perf.resource_usage = sm.first->resource_usage;
		out->perf.last_updated = sm.newest;
	}
	free(idx);
}

bool model_evaluate(const struct bopt_model *m, struct model_eval out[BOPT_BACKEND_COUNT],
	char *err)
{
	bool ok = true;
	for (int b = 0; b < BOPT_BACKEND_COUNT && ok; b++) {
		struct model_eval *e = &out[b];
		*e = (struct model_eval){0};
		size_t *idx, *train;
		size_t n = backend_points(m, b, &idx);
		train = xmalloc((n ? n : 1) * sizeof(*train));
		for (size_t i = 0; i < n; i++)
			if (i % MODEL_EVAL_EVERY != MODEL_EVAL_EVERY - 1)
				train[e->train++] = idx[i];
		e->test = n - e->train;
		struct model_target_fit fit[MODEL_TARGET_COUNT];
		for (int t = 0; t < MODEL_TARGET_COUNT && ok; t++) {
			e->target[t].have_regression = e->test > 0 && e->train >= m->min_points;
			if (e->target[t].have_regression)
				ok = fit_target(m, train, e->train, t, false, &fit[t], err);
		}
		for (size_t i = MODEL_EVAL_EVERY - 1; ok && i < n; i += MODEL_EVAL_EVERY) {
			const struct bopt_data_point *pt = &m->points[idx[i]];
			struct similar_mean sm;
			similar_mean(m, train, e->train, &pt->pattern, &sm);
			for (int t = 0; t < MODEL_TARGET_COUNT; t++) {
				struct model_eval_target *et = &e->target[t];
				double actual = target_value(pt, t);
				et->similar_mae += fabs(sm.target[t] - actual) / (double)e->test;
				if (et->have_regression)
					et->regression_mae += fabs(predict_target(&fit[t].fit, &pt->pattern) -
						actual) / (double)e->test;
			}
		}
		for (int t = 0; t < MODEL_TARGET_COUNT && ok; t++)
			if (!isfinite(e->target[t].similar_mae) || !isfinite(e->target[t].regression_mae))
				ok = bopt_errf(err, "%s %s: values too large to evaluate", backend_name(b),
					model_target_names[t]);
		free(idx);
		free(train);
	}
	return ok;
}

static void write_target(struct jw *w, const struct model_target_fit *f)
{
	jw_object_begin(w);
	jw_key(w, "cv_r2");
	jw_double(w, f->cv.r2);
	jw_key(w, "cv_rmse");
	jw_double(w, f->cv.rmse);
	jw_key(w, "qualified");
	jw_bool(w, f->qualified);
	jw_key(w, "intercept");
	jw_double(w, f->fit.intercept);
	jw_key(w, "coefficients");
	jw_array_begin(w);
	for (size_t j = 0; j < MODEL_FEATURES; j++)
		jw_double(w, f->fit.coef[j]);
	jw_array_end(w);
	jw_object_end(w);
}

void model_write_backends(struct jw *w, const struct bopt_model *m)
{
	jw_array_begin(w);
	for (int b = 0; b < BOPT_BACKEND_COUNT; b++) {
		const struct model_backend *be = &m->backends[b];
		if (be->points == 0)
			continue;
		jw_object_begin(w);
		jw_key(w, "backend_type");
		jw_string(w, backend_name(b));
		jw_key(w, "points");
		jw_uint(w, be->points);
		for (int t = 0; t < MODEL_TARGET_COUNT; t++) {
			jw_key(w, model_target_names[t]);
			if (be->fitted)
				write_target(w, &be->target[t]);
			else
				jw_null(w);
		}
		jw_object_end(w);
	}
	jw_array_end(w);
}

void model_write_json(struct jw *w, const struct bopt_model *m)
{
	jw_object_begin(w);
	jw_key(w, "format");
	jw_string(w, MODEL_FORMAT);
	jw_key(w, "version");
	jw_uint(w, MODEL_VERSION);
	jw_key(w, "ridge");
	jw_double(w, m->ridge);
	jw_key(w, "cv_folds");
	jw_uint(w, MODEL_CV_FOLDS);
	jw_key(w, "features");
	jw_array_begin(w);
	for (size_t j = 0; j < MODEL_FEATURES; j++)
		jw_string(w, model_feature_names[j]);
	jw_array_end(w);
	jw_key(w, "backends");
	model_write_backends(w, m);
	jw_key(w, "history");
	jw_array_begin(w);
	for (size_t i = 0; i < m->npoints; i++)
		serde_write_data_point(w, &m->points[i]);
	jw_array_end(w);
	jw_object_end(w);
}

int model_lock(const char *path, char *err)
{
	bool exists;
	char *target = file_replace_target(path, &exists, err);
	if (target == NULL)
		return -1;
	int fd = file_lock_dir(target, err);
	free(target);
	return fd;
}

bool model_save(const struct bopt_model *m, const char *path, char *err)
{
	struct jw w;
	jw_init(&w, false);
	model_write_json(&w, m);
	size_t len;
	char *text = jw_take(&w, &len);
	text = xrealloc(text, len + 2);
	text[len++] = '\n';
	text[len] = '\0';
	bool ok = file_replace_atomic(path, text, len, err);
	free(text);
	jw_release(&w);
	return ok;
}

// Reads the history and settings of a parsed model file into m.
static bool read_model(struct bopt_model *m, const cJSON *doc, const char *name, char *err)
{
	const cJSON *format = cJSON_GetObjectItemCaseSensitive(doc, "format");
	if (!cJSON_IsString(format) || strcmp(format->valuestring, MODEL_FORMAT) != 0)
		return bopt_errf(err, "%s: not a bopt model file (no \"format\":\"%s\")", name,
			MODEL_FORMAT);
	const cJSON *version = cJSON_GetObjectItemCaseSensitive(doc, "version");
	if (!cJSON_IsNumber(version) || version->valuedouble != MODEL_VERSION)
		return bopt_errf(err, "%s: unsupported bopt model version (this bopt reads version %d)",
			name, MODEL_VERSION);
	char why[BOPT_ERR_MAX];
	if (!serde_get_number(doc, "ridge", &m->ridge, why))
		return bopt_errf(err, "%s: %s", name, why);
	if (m->ridge < 0)
		return bopt_errf(err, "%s: field \"ridge\" must not be negative", name);
	const cJSON *history = cJSON_GetObjectItemCaseSensitive(doc, "history");
	if (!cJSON_IsArray(history))
		return bopt_errf(err, "%s: field \"history\" must be an array", name);
	size_t i = 0;
	for (const cJSON *c = history->child; c != NULL; c = c->next, i++) {
		struct bopt_data_point pt;
		if (!serde_read_data_point(c, &pt, why)) {
			data_point_release(&pt);
			return bopt_errf(err, "%s: history[%zu]: %s", name, i, why);
		}
		model_add_point(m, &pt);
	}
	return true;
}

bool model_load(struct bopt_model *m, const char *path, bool *created, char *err)
{
	struct stat st;
	char *text = NULL;
	size_t len;
	cJSON *doc = NULL;
	bool ok = false;
	*created = false;
	if (stat(path, &st) != 0 && errno == ENOENT) {
		*created = true;
		return model_refit(m, err);
	}
	if (!input_slurp(path, MODEL_FILE_MAX, &text, &len, err))
		goto out;
	struct serde_parse_error pe;
	doc = serde_parse(text, len, &pe);
	if (doc == NULL) {
		bopt_errf(err, "%s:%zu: not a bopt model file: invalid JSON at column %zu: %s", path,
			pe.line, pe.column, pe.reason);
		goto out;
	}
	if (!cJSON_IsObject(doc)) {
		bopt_errf(err, "%s: not a bopt model file (not a JSON object)", path);
		goto out;
	}
	ok = read_model(m, doc, path, err) && model_refit(m, err);
out:
	cJSON_Delete(doc);
	free(text);
	return ok;
}

bool model_load_existing(struct bopt_model *m, const char *path, char *err)
{
	bool created;
	if (!model_load(m, path, &created, err))
		return false;
	if (created)
		return bopt_errf(err, "%s: no such model file", path);
	return true;
}
