#ifndef BOPT_SERDE_H
#define BOPT_SERDE_H

/*
 * The oxirs JSON shapes, exactly as serde_json writes them: the one place
 * that knows the field names. Writers append to a struct jw; readers take a
 * parsed cJSON value, fill the caller's struct and, on failure, leave a
 * message in err (BOPT_ERR_MAX bytes) naming the field. A pattern filled by
 * serde_read_pattern is released with pattern_release, even on failure.
 */

#include <cjson/cJSON.h>
#include <stdbool.h>

#include "base/jsonw.h"
#include "base/types.h"

void serde_write_pattern(struct jw *w, const struct bopt_pattern *p);
void serde_write_resource_usage(struct jw *w, const struct bopt_resource_usage *r);
void serde_write_performance(struct jw *w, const struct bopt_performance *p);
// Writes the CostModel fields followed by "backend_type".
void serde_write_cost(struct jw *w, const struct bopt_cost *c, enum bopt_backend b);
// The same members without the braces, for an object that adds its own.
void serde_write_cost_members(struct jw *w, const struct bopt_cost *c, enum bopt_backend b);
void serde_write_data_point(struct jw *w, const struct bopt_data_point *d);

bool serde_read_pattern(const cJSON *j, struct bopt_pattern *p, char *err);
bool serde_read_resource_usage(const cJSON *j, struct bopt_resource_usage *r, char *err);
bool serde_read_performance(const cJSON *j, struct bopt_performance *p, char *err);
bool serde_read_cost(const cJSON *j, struct bopt_cost *c, char *err);
// Also checks that latency and throughput are not negative and reliability
// is from 0 to 1. The caller releases *d with data_point_release, even on
// failure.
bool serde_read_data_point(const cJSON *j, struct bopt_data_point *d, char *err);

// Where a JSON text is invalid: line and column (1-based, in bytes) and
// the reason, e.g. "expected ':'".
struct serde_parse_error {
	size_t line, column;
	const char *reason;
};

// Parses JSON text of len bytes that must hold exactly one value (white
// space aside), validated strictly as trace lines are (RFC 8259, UTF-8,
// nesting at most 128 deep). Returns the tree, or NULL with *e filled.
cJSON *serde_parse(const char *text, size_t len, struct serde_parse_error *e);

// Field helpers for other readers: each fails with "missing field" or
// "field ... must be ..." in err.
bool serde_get_number(const cJSON *obj, const char *key, double *out, char *err);
bool serde_get_uint(const cJSON *obj, const char *key, uint64_t max, uint64_t *out, char *err);
bool serde_get_bool(const cJSON *obj, const char *key, bool *out, char *err);
bool serde_get_time(const cJSON *obj, const char *key, int64_t *ns, char *err);
bool serde_get_backend(const cJSON *obj, const char *key, enum bopt_backend *out, char *err);
const cJSON *serde_get_object(const cJSON *obj, const char *key, char *err);
// The string value of key (owned by obj), or NULL.
const char *serde_get_string(const cJSON *obj, const char *key, char *err);

#endif
