#include "cli/config.h"

#include <cjson/cJSON.h>
#include <ctype.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "base/input.h"
#include "base/jsonscan.h"
#include "base/serde.h"
#include "base/timestamp.h"
#include "base/util.h"
#include "cli/options.h"
#include "decide/metrics.h"
#include "decide/capacity.h"
#include "decide/model.h"
#include "trace/reorder.h"

#define CONFIG_FILE_MAX (1u << 20)

const struct opt config_opt[] = {
	{OPT_CONFIG, "config", "FILE", "read the configuration from FILE (default: $BOPT_CONFIG,\n"
		"else $XDG_CONFIG_HOME/bopt/config.json)", NULL},
	OPT_END,
};

enum config_type {
	T_BOOL,     // true or false
	T_DURATION, // serde's Duration: {"secs": N, "nanos": N}
	T_COUNT,    // a whole number from min to max
	T_NUMBER,   // a number from min (excluded when above_min) to max
	T_PATHS,    // an array of file names
	T_PATH,     // a file name, or null
	T_CHOICE,   // one of values, stored as its index (an enum)
};

struct config_key {
	const char *key;
	enum config_type type;
	size_t offset; // of the value in struct bopt_config
	double min, max;
	bool above_min;
	const char *values; // T_CHOICE: the names, space-separated, in enum order
};

#define KEY(name, kind, field) \
	{.key = (name), .type = (kind), .offset = offsetof(struct bopt_config, field)}
#define RANGE(name, kind, field, lo, hi, above) \
	{.key = (name), .type = (kind), .offset = offsetof(struct bopt_config, field), \
		.min = (lo), .max = (hi), .above_min = (above)}

// One row per key, in config_key_id order: the file's key (and so the
// environment variable), how its value is read and where it goes.
static const struct config_key keys[CFG_KEY_COUNT] = {
	[CFG_ENABLE_COST_MODELING] = KEY("enable_cost_modeling", T_BOOL, enable_cost_modeling),
	[CFG_ENABLE_ML_PREDICTION] = KEY("enable_ml_prediction", T_BOOL, enable_ml_prediction),
	[CFG_ENABLE_PATTERN_ANALYSIS] = KEY("enable_pattern_analysis", T_BOOL,
		enable_pattern_analysis),
	[CFG_OPTIMIZATION_INTERVAL] = KEY("optimization_interval", T_DURATION,
		optimization_interval_ns),
	[CFG_MIN_SAMPLES_FOR_PREDICTION] = RANGE("min_samples_for_prediction", T_COUNT,
		min_samples_for_prediction, MODEL_CV_FOLDS, MODEL_HISTORY_CAP, false),
	[CFG_COST_WEIGHT_LATENCY] = RANGE("cost_weight_latency", T_NUMBER, weights.latency, 0,
		COST_WEIGHT_MAX, false),
	[CFG_COST_WEIGHT_THROUGHPUT] = RANGE("cost_weight_throughput", T_NUMBER,
		weights.throughput, 0, COST_WEIGHT_MAX, false),
	[CFG_COST_WEIGHT_RELIABILITY] = RANGE("cost_weight_reliability", T_NUMBER,
		weights.reliability, 0, COST_WEIGHT_MAX, false),
	[CFG_COST_WEIGHT_RESOURCE_USAGE] = RANGE("cost_weight_resource_usage", T_NUMBER,
		weights.resource, 0, COST_WEIGHT_MAX, false),
	[CFG_ALPHA] = RANGE("alpha", T_NUMBER, alpha, 0, 1, true),
	[CFG_METRICS] = KEY("metrics", T_PATHS, metrics),
	[CFG_HEADROOM] = RANGE("headroom", T_NUMBER, headroom, 0, 100, true),
	[CFG_SCORING] = {.key = "scoring", .type = T_CHOICE,
		.offset = offsetof(struct bopt_config, scoring), .values = "bopt reference"},
	[CFG_PRICES] = KEY("prices", T_PATH, prices),
	[CFG_MAX_DISORDER] = KEY("max_disorder", T_DURATION, max_disorder_ns),
	[CFG_PARTITION_BY] = {.key = "partition_by", .type = T_CHOICE,
		.offset = offsetof(struct bopt_config, partition_by), .values = "round-robin variant"},
};

// serde's Duration: at most this many seconds fit bopt's nanoseconds.
#define DURATION_SECS_MAX (INT64_MAX / BOPT_NS_PER_SEC - 1)

#define SLOT(c, k, type) ((type *)((char *)(c) + keys[k].offset))

void config_init(struct bopt_config *c)
{
	// OptimizerConfig::default, and bopt's own defaults.
	*c = (struct bopt_config){
		.enable_cost_modeling = true,
		.enable_ml_prediction = true,
		.enable_pattern_analysis = true,
		.optimization_interval_ns = 300 * BOPT_NS_PER_SEC,
		.min_samples_for_prediction = MODEL_MIN_POINTS,
		.alpha = METRICS_DEFAULT_ALPHA,
		.headroom = CAPACITY_DEFAULT_UTILISATION * 100,
		.scoring = SCORING_BOPT,
		.max_disorder_ns = REORDER_DEFAULT_HORIZON_NS,
	};
	cost_weights_default(&c->weights);
}

static void paths_release(struct config_paths *p)
{
	for (size_t i = 0; i < p->n; i++)
		free(p->v[i]);
	free(p->v);
	*p = (struct config_paths){0};
}

static void paths_push(struct config_paths *p, const char *s, size_t len)
{
	p->v = xrealloc(p->v, (p->n + 1) * sizeof(*p->v));
	char *copy = xmalloc(len + 1);
	memcpy(copy, s, len);
	copy[len] = '\0';
	p->v[p->n++] = copy;
}

void config_release(struct bopt_config *c)
{
	paths_release(&c->metrics);
	free(c->prices);
	c->prices = NULL;
	free(c->file);
	c->file = NULL;
}

void config_env_name(enum config_key_id k, char buf[static 64])
{
	size_t n = (size_t)snprintf(buf, 64, "BOPT_%s", keys[k].key);
	for (size_t i = 0; i < n && i < 63; i++)
		buf[i] = (char)toupper((unsigned char)buf[i]);
}

void config_set_by_option(struct bopt_config *c, enum config_key_id k, const char *option)
{
	c->origin[k] = (struct config_origin){.kind = CFG_FROM_OPTION, .option = option};
}

// What a value of the key must be, for messages.
static void expected(enum config_key_id k, bool env, char *buf, size_t size)
{
	const struct config_key *d = &keys[k];
	switch (d->type) {
	case T_BOOL:
		snprintf(buf, size, "true or false");
		break;
	case T_DURATION:
		snprintf(buf, size, env ? "0 or a duration such as 300s or 5m" :
			"{\"secs\": N, \"nanos\": N}, nanos below 1000000000");
		break;
	case T_COUNT:
		snprintf(buf, size, "a whole number from %g to %g", d->min, d->max);
		break;
	case T_NUMBER:
		snprintf(buf, size, "a number %s %g, at most %g", d->above_min ? "above" : "from",
			d->min, d->max);
		break;
	case T_PATHS:
		snprintf(buf, size, env ? "file names separated by ':'" :
			"an array of file names");
		break;
	case T_PATH:
		snprintf(buf, size, env ? "a file name" : "a file name or null");
		break;
	case T_CHOICE:
		snprintf(buf, size, "one of: %s", d->values);
		break;
	}
}

static bool in_range(const struct config_key *d, double v)
{
	return isfinite(v) && (d->above_min ? v > d->min : v >= d->min) && v <= d->max;
}

// Sets a T_PATH key: a copy of s, or NULL.
static void set_path(struct bopt_config *c, enum config_key_id k, const char *s)
{
	char **slot = SLOT(c, k, char *);
	free(*slot);
	*slot = s ? xstrdup(s) : NULL;
}

// Sets a T_CHOICE key to the index of s among its values; false when s is
// none of them.
static bool set_choice(struct bopt_config *c, enum config_key_id k, const char *s)
{
	size_t len = strlen(s);
	int i = 0;
	for (const char *v = keys[k].values; *v != '\0'; i++) {
		size_t w = strcspn(v, " ");
		if (w == len && memcmp(v, s, len) == 0) {
			*SLOT(c, k, int) = i;
			return true;
		}
		v += w + (v[w] == ' ');
	}
	return false;
}

// The name of a T_CHOICE key's value (buf needs 64 bytes).
static const char *choice_name(const struct bopt_config *c, enum config_key_id k, char *buf)
{
	const char *v = keys[k].values;
	for (int i = *SLOT(c, k, const int); i > 0 && *v != '\0'; i--)
		v += strcspn(v, " ") + (v[strcspn(v, " ")] == ' ');
	snprintf(buf, 64, "%.*s", (int)strcspn(v, " "), v);
	return buf;
}

// Sets key k from a JSON value; false when the value does not fit.
static bool set_json(struct bopt_config *c, enum config_key_id k, const cJSON *v)
{
	const struct config_key *d = &keys[k];
	switch (d->type) {
	case T_BOOL:
		if (!cJSON_IsBool(v))
			return false;
		*SLOT(c, k, bool) = cJSON_IsTrue(v);
		return true;
	case T_DURATION: {
		const cJSON *secs = cJSON_GetObjectItemCaseSensitive(v, "secs");
		const cJSON *nanos = cJSON_GetObjectItemCaseSensitive(v, "nanos");
		if (!cJSON_IsObject(v) || cJSON_GetArraySize(v) != 2 || !cJSON_IsNumber(secs) ||
				!cJSON_IsNumber(nanos))
			return false;
		double s = secs->valuedouble, n = nanos->valuedouble;
		if (!(s >= 0 && s <= (double)DURATION_SECS_MAX && s == floor(s) && n >= 0 &&
				n < BOPT_NS_PER_SEC && n == floor(n)))
			return false;
		*SLOT(c, k, int64_t) = (int64_t)s * BOPT_NS_PER_SEC + (int64_t)n;
		return true;
	}
	case T_COUNT:
		if (!cJSON_IsNumber(v) || !in_range(d, v->valuedouble) ||
				v->valuedouble != floor(v->valuedouble))
			return false;
		*SLOT(c, k, size_t) = (size_t)v->valuedouble;
		return true;
	case T_NUMBER:
		if (!cJSON_IsNumber(v) || !in_range(d, v->valuedouble))
			return false;
		*SLOT(c, k, double) = v->valuedouble;
		return true;
	case T_PATHS: {
		if (!cJSON_IsArray(v))
			return false;
		const cJSON *e;
		cJSON_ArrayForEach(e, v)
			if (!cJSON_IsString(e) || e->valuestring[0] == '\0')
				return false;
		struct config_paths *p = SLOT(c, k, struct config_paths);
		paths_release(p);
		cJSON_ArrayForEach(e, v)
			paths_push(p, e->valuestring, strlen(e->valuestring));
		return true;
	}
	case T_PATH:
		if (!cJSON_IsNull(v) && !(cJSON_IsString(v) && v->valuestring[0] != '\0'))
			return false;
		set_path(c, k, cJSON_IsNull(v) ? NULL : v->valuestring);
		return true;
	case T_CHOICE:
		return cJSON_IsString(v) && set_choice(c, k, v->valuestring);
	}
	return false;
}

// Sets key k from the text of an environment variable.
static bool set_text(struct bopt_config *c, enum config_key_id k, const char *s)
{
	const struct config_key *d = &keys[k];
	double v;
	size_t n;
	long long ns;
	switch (d->type) {
	case T_BOOL:
		if (strcmp(s, "true") != 0 && strcmp(s, "false") != 0)
			return false;
		*SLOT(c, k, bool) = s[0] == 't';
		return true;
	case T_DURATION:
		if (strcmp(s, "0") == 0)
			ns = 0; // as --max-disorder 0
		else if (!parse_duration(s, &ns) || ns < 0)
			return false;
		*SLOT(c, k, int64_t) = ns;
		return true;
	case T_COUNT:
		if (!parse_size(s, &n) || !in_range(d, (double)n))
			return false;
		*SLOT(c, k, size_t) = n;
		return true;
	case T_NUMBER:
		if (!parse_double(s, &v) || !in_range(d, v))
			return false;
		*SLOT(c, k, double) = v;
		return true;
	case T_PATHS: {
		struct config_paths *p = SLOT(c, k, struct config_paths);
		paths_release(p);
		for (const char *q = s; *q != '\0';) {
			size_t len = strcspn(q, ":");
			if (len > 0)
				paths_push(p, q, len);
			q += len + (q[len] == ':');
		}
		return true;
	}
	case T_PATH:
		if (s[0] == '\0')
			return false;
		set_path(c, k, s);
		return true;
	case T_CHOICE:
		return set_choice(c, k, s);
	}
	return false;
}

static int key_find(const char *name, size_t len)
{
	for (int k = 0; k < CFG_KEY_COUNT; k++)
		if (strlen(keys[k].key) == len && memcmp(keys[k].key, name, len) == 0)
			return k;
	return -1;
}

static size_t line_at(const char *text, const char *p)
{
	size_t line = 1;
	for (const char *q = text; q < p; q++)
		line += *q == '\n';
	return line;
}

// The line of each top-level key (0: absent); an unknown or repeated key
// is an error.
static bool key_lines(const char *name, const char *text, size_t len,
	size_t line[CFG_KEY_COUNT], char *err)
{
	struct js s;
	js_init(&s, text, len);
	if (js_peek(&s) != '{')
		return bopt_errf(err, "%s:%zu: the configuration must be a JSON object", name,
			line_at(text, s.p));
	js_object_begin(&s);
	bool first = true;
	struct js_string key;
	while (js_object_next(&s, &first, &key)) {
		size_t at = line_at(text, key.p);
		char buf[128];
		size_t klen = 0;
		int k = js_string_decode(&key, buf, sizeof(buf), &klen) ? key_find(buf, klen) : -1;
		if (k < 0)
			return bopt_errf(err, "%s:%zu: unknown key '%.*s'", name, at,
				(int)(key.len < 64 ? key.len : 64), key.p);
		if (line[k] != 0)
			return bopt_errf(err, "%s:%zu: key '%s' given twice (first on line %zu)", name,
				at, keys[k].key, line[k]);
		line[k] = at;
		js_skip_value(&s);
	}
	return true; // serde_parse has validated the text
}

static bool load_file(struct bopt_config *c, const char *path, char *err)
{
	char *text = NULL;
	size_t len;
	cJSON *doc = NULL;
	bool ok = false;
	const char *name = strcmp(path, "-") == 0 ? "<stdin>" : path;
	if (!input_slurp(path, CONFIG_FILE_MAX, &text, &len, err))
		goto out;
	struct serde_parse_error pe;
	doc = serde_parse(text, len, &pe);
	if (doc == NULL) {
		bopt_errf(err, "%s:%zu: invalid JSON at column %zu: %s", name, pe.line, pe.column,
			pe.reason);
		goto out;
	}
	size_t line[CFG_KEY_COUNT] = {0};
	if (!key_lines(name, text, len, line, err))
		goto out;
	for (int k = 0; k < CFG_KEY_COUNT; k++) {
		if (line[k] == 0)
			continue;
		const cJSON *v = cJSON_GetObjectItemCaseSensitive(doc, keys[k].key);
		if (!set_json(c, (enum config_key_id)k, v)) {
			char want[128];
			expected((enum config_key_id)k, false, want, sizeof(want));
			bopt_errf(err, "%s:%zu: invalid %s (expected %s)", name, line[k], keys[k].key,
				want);
			goto out;
		}
		c->origin[k] = (struct config_origin){.kind = CFG_FROM_FILE, .line = line[k]};
	}
	c->file = xstrdup(name);
	ok = true;
out:
	cJSON_Delete(doc);
	free(text);
	return ok;
}

static bool load_env(struct bopt_config *c, char *err)
{
	for (int k = 0; k < CFG_KEY_COUNT; k++) {
		char env[64];
		config_env_name((enum config_key_id)k, env);
		const char *s = getenv(env);
		if (s == NULL)
			continue;
		if (!set_text(c, (enum config_key_id)k, s)) {
			char want[128];
			expected((enum config_key_id)k, true, want, sizeof(want));
			return bopt_errf(err, "invalid %s '%s' (expected %s)", env, s, want);
		}
		c->origin[k] = (struct config_origin){.kind = CFG_FROM_ENV};
	}
	return true;
}

// $XDG_CONFIG_HOME/bopt/config.json, else ~/.config/bopt/config.json, when
// it exists; NULL otherwise. The caller frees it.
static char *default_file(void)
{
	const char *xdg = getenv("XDG_CONFIG_HOME"), *home = getenv("HOME");
	const char *dir = xdg && xdg[0] == '/' ? xdg : home && home[0] ? home : NULL;
	if (dir == NULL)
		return NULL;
	const char *sub = dir == xdg ? "/bopt/config.json" : "/.config/bopt/config.json";
	char *path = xmalloc(strlen(dir) + strlen(sub) + 1);
	strcat(strcpy(path, dir), sub);
	if (access(path, F_OK) != 0) {
		free(path);
		return NULL;
	}
	return path; // present: reading it may still fail, and says why
}

bool config_load(struct bopt_config *c, const char *path, char *err)
{
	const char *env = getenv("BOPT_CONFIG");
	char *found = NULL;
	if (path == NULL && env != NULL && env[0] != '\0')
		path = env;
	if (path == NULL)
		path = found = default_file();
	bool ok = (path == NULL || load_file(c, path, err)) && load_env(c, err);
	free(found);
	const struct cost_weights *w = &c->weights;
	if (ok && !(w->latency + w->throughput + w->reliability + w->resource > 0))
		ok = bopt_errf(err, "%s: the cost weights must not all be zero",
			c->file ? c->file : "the environment");
	return ok;
}

// The value as text (JSON for paths).
static void value_text(const struct bopt_config *c, enum config_key_id k, char *buf,
	size_t size)
{
	switch (keys[k].type) {
	case T_BOOL:
		snprintf(buf, size, "%s", *SLOT(c, k, const bool) ? "true" : "false");
		return;
	case T_DURATION: {
		int64_t ns = *SLOT(c, k, const int64_t);
		if (ns % BOPT_NS_PER_SEC == 0)
			snprintf(buf, size, "%llds", (long long)(ns / BOPT_NS_PER_SEC));
		else
			snprintf(buf, size, "%lld.%09llds", (long long)(ns / BOPT_NS_PER_SEC),
				(long long)(ns % BOPT_NS_PER_SEC));
		return;
	}
	case T_COUNT:
		snprintf(buf, size, "%zu", *SLOT(c, k, const size_t));
		return;
	case T_NUMBER:
		format_double(*SLOT(c, k, const double), buf);
		return;
	case T_PATHS: {
		const struct config_paths *p = SLOT(c, k, const struct config_paths);
		size_t n = 0;
		buf[0] = '\0';
		for (size_t i = 0; i < p->n && n < size; i++)
			n += (size_t)snprintf(buf + n, size - n, "%s%s", i ? ":" : "", p->v[i]);
		return;
	}
	case T_PATH: {
		const char *p = *SLOT(c, k, char *const);
		snprintf(buf, size, "%s", p ? p : "");
		return;
	}
	case T_CHOICE: {
		char name[64];
		snprintf(buf, size, "%s", choice_name(c, k, name));
		return;
	}
	}
}

static void origin_text(const struct bopt_config *c, enum config_key_id k, char *buf,
	size_t size)
{
	const struct config_origin *o = &c->origin[k];
	char env[64];
	switch (o->kind) {
	case CFG_FROM_BUILTIN:
		snprintf(buf, size, "built-in");
		return;
	case CFG_FROM_FILE:
		snprintf(buf, size, "file:%s:%zu", c->file, o->line);
		return;
	case CFG_FROM_ENV:
		config_env_name(k, env);
		snprintf(buf, size, "env:%s", env);
		return;
	case CFG_FROM_OPTION:
		snprintf(buf, size, "option:%s", o->option);
		return;
	}
}

void config_write_text(FILE *out, const struct bopt_config *c, bool show_origin)
{
	for (int k = 0; k < CFG_KEY_COUNT; k++) {
		char value[4096], origin[4096];
		value_text(c, (enum config_key_id)k, value, sizeof(value));
		if (show_origin) {
			origin_text(c, (enum config_key_id)k, origin, sizeof(origin));
			fprintf(out, "%s\t", origin);
		}
		fprintf(out, "%s=%s\n", keys[k].key, value);
	}
}

void config_write_json(struct jw *w, const struct bopt_config *c)
{
	jw_object_begin(w);
	for (int k = 0; k < CFG_KEY_COUNT; k++) {
		jw_key(w, keys[k].key);
		switch (keys[k].type) {
		case T_BOOL:
			jw_bool(w, *SLOT(c, k, const bool));
			break;
		case T_DURATION: {
			int64_t ns = *SLOT(c, k, const int64_t);
			jw_object_begin(w);
			jw_key(w, "secs");
			jw_uint(w, (uint64_t)(ns / BOPT_NS_PER_SEC));
			jw_key(w, "nanos");
			jw_uint(w, (uint64_t)(ns % BOPT_NS_PER_SEC));
			jw_object_end(w);
			break;
		}
		case T_COUNT:
			jw_uint(w, *SLOT(c, k, const size_t));
			break;
		case T_NUMBER:
			jw_double(w, *SLOT(c, k, const double));
			break;
		case T_PATHS: {
			const struct config_paths *p = SLOT(c, k, const struct config_paths);
			jw_array_begin(w);
			for (size_t i = 0; i < p->n; i++)
				jw_string(w, p->v[i]);
			jw_array_end(w);
			break;
		}
		case T_PATH: {
			const char *p = *SLOT(c, k, char *const);
			if (p)
				jw_string(w, p);
			else
				jw_null(w);
			break;
		}
		case T_CHOICE: {
			char name[64];
			jw_string(w, choice_name(c, k, name));
			break;
		}
		}
	}
	jw_object_end(w);
}

static const char *const origin_kinds[] = {"built-in", "file", "env", "option"};

void config_write_origins(struct jw *w, const struct bopt_config *c)
{
	jw_object_begin(w);
	for (int k = 0; k < CFG_KEY_COUNT; k++) {
		const struct config_origin *o = &c->origin[k];
		char env[64];
		jw_key(w, keys[k].key);
		jw_object_begin(w);
		jw_key(w, "kind");
		jw_string(w, origin_kinds[o->kind]);
		switch (o->kind) {
		case CFG_FROM_BUILTIN:
			break;
		case CFG_FROM_FILE:
			jw_key(w, "file");
			jw_string(w, c->file);
			jw_key(w, "line");
			jw_uint(w, o->line);
			break;
		case CFG_FROM_ENV:
			config_env_name((enum config_key_id)k, env);
			jw_key(w, "variable");
			jw_string(w, env);
			break;
		case CFG_FROM_OPTION:
			jw_key(w, "option");
			jw_string(w, o->option);
			break;
		}
		jw_object_end(w);
	}
	jw_object_end(w);
}
