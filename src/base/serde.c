#include "base/serde.h"

#include <math.h>
#include <string.h>

#include "base/jsonscan.h"
#include "base/timestamp.h"
#include "base/util.h"

static void write_distribution(struct jw *w, const struct bopt_distribution *d)
{
	switch (d->kind) {
	case BOPT_DIST_UNIFORM:
		jw_string(w, "Uniform");
		return;
	case BOPT_DIST_NORMAL:
		jw_object_begin(w);
		jw_key(w, "Normal");
		jw_object_begin(w);
		jw_key(w, "mean");
		jw_double(w, d->mean);
		jw_key(w, "std_dev");
		jw_double(w, d->std_dev);
		jw_object_end(w);
		jw_object_end(w);
		return;
	case BOPT_DIST_EXPONENTIAL:
	case BOPT_DIST_POISSON:
		jw_object_begin(w);
		jw_key(w, d->kind == BOPT_DIST_POISSON ? "Poisson" : "Exponential");
		jw_object_begin(w);
		jw_key(w, "lambda");
		jw_double(w, d->lambda);
		jw_object_end(w);
		jw_object_end(w);
		return;
	case BOPT_DIST_CUSTOM:
		jw_object_begin(w);
		jw_key(w, "Custom");
		jw_object_begin(w);
		jw_key(w, "distribution_name");
		jw_string(w, d->name ? d->name : "");
		jw_object_end(w);
		jw_object_end(w);
		return;
	}
}

void serde_write_pattern(struct jw *w, const struct bopt_pattern *p)
{
	const struct bopt_data_characteristics *dc = &p->data_characteristics;
	jw_object_begin(w);
	jw_key(w, "pattern_type");
	jw_string(w, pattern_type_name(p->pattern_type));
	jw_key(w, "event_rate");
	jw_double(w, p->event_rate);
	jw_key(w, "batch_size");
	jw_uint(w, p->batch_size);
	jw_key(w, "event_size_bytes");
	jw_uint(w, p->event_size_bytes);
	jw_key(w, "temporal_distribution");
	write_distribution(w, &p->temporal_distribution);
	jw_key(w, "data_characteristics");
	jw_object_begin(w);
	jw_key(w, "compression_ratio");
	jw_double(w, dc->compression_ratio);
	jw_key(w, "serialization_overhead");
	jw_double(w, dc->serialization_overhead);
	jw_key(w, "has_complex_structures");
	jw_bool(w, dc->has_complex_structures);
	jw_key(w, "requires_ordering");
	jw_bool(w, dc->requires_ordering);
	jw_key(w, "has_time_windows");
	jw_bool(w, dc->has_time_windows);
	jw_key(w, "requires_deduplication");
	jw_bool(w, dc->requires_deduplication);
	jw_object_end(w);
	jw_key(w, "consistency_requirements");
	jw_string(w, consistency_name(p->consistency_requirements));
	jw_object_end(w);
}

void serde_write_resource_usage(struct jw *w, const struct bopt_resource_usage *r)
{
	jw_object_begin(w);
	jw_key(w, "cpu_usage_percent");
	jw_double(w, r->cpu_usage_percent);
	jw_key(w, "memory_usage_mb");
	jw_double(w, r->memory_usage_mb);
	jw_key(w, "network_usage_mbps");
	jw_double(w, r->network_usage_mbps);
	jw_key(w, "disk_io_ops_per_sec");
	jw_double(w, r->disk_io_ops_per_sec);
	jw_key(w, "connection_count");
	jw_uint(w, r->connection_count);
	jw_object_end(w);
}

void serde_write_performance(struct jw *w, const struct bopt_performance *p)
{
	jw_object_begin(w);
	jw_key(w, "backend_type");
	jw_string(w, backend_name(p->backend_type));
	jw_key(w, "measured_latency_p50");
	jw_double(w, p->measured_latency_p50);
	jw_key(w, "measured_latency_p95");
	jw_double(w, p->measured_latency_p95);
	jw_key(w, "measured_latency_p99");
	jw_double(w, p->measured_latency_p99);
	jw_key(w, "measured_throughput");
	jw_double(w, p->measured_throughput);
	jw_key(w, "reliability_score");
	jw_double(w, p->reliability_score);
	jw_key(w, "resource_usage");
	serde_write_resource_usage(w, &p->resource_usage);
	jw_key(w, "cost_per_hour");
	jw_double(w, p->cost_per_hour);
	jw_key(w, "setup_complexity");
	jw_uint(w, p->setup_complexity);
	jw_key(w, "scalability_factor");
	jw_double(w, p->scalability_factor);
	jw_key(w, "last_updated");
	jw_time(w, p->last_updated);
	jw_key(w, "sample_count");
	jw_uint(w, p->sample_count);
	jw_object_end(w);
}

void serde_write_cost(struct jw *w, const struct bopt_cost *c, enum bopt_backend b)
{
	jw_object_begin(w);
	serde_write_cost_members(w, c, b);
	jw_object_end(w);
}

void serde_write_cost_members(struct jw *w, const struct bopt_cost *c, enum bopt_backend b)
{
	jw_key(w, "total_cost");
	jw_double(w, c->total_cost);
	jw_key(w, "latency_cost");
	jw_double(w, c->latency_cost);
	jw_key(w, "throughput_cost");
	jw_double(w, c->throughput_cost);
	jw_key(w, "reliability_cost");
	jw_double(w, c->reliability_cost);
	jw_key(w, "resource_cost");
	jw_double(w, c->resource_cost);
	jw_key(w, "scaling_cost");
	jw_double(w, c->scaling_cost);
	jw_key(w, "maintenance_cost");
	jw_double(w, c->maintenance_cost);
	jw_key(w, "backend_type");
	jw_string(w, backend_name(b));
}

static const cJSON *field(const cJSON *obj, const char *key, char *err)
{
	const cJSON *v = cJSON_GetObjectItemCaseSensitive(obj, key);
	if (v == NULL)
		bopt_errf(err, "missing field \"%s\"", key);
	return v;
}

bool serde_get_number(const cJSON *obj, const char *key, double *out, char *err)
{
	const cJSON *v = field(obj, key, err);
	if (v == NULL)
		return false;
	if (!cJSON_IsNumber(v) || !isfinite(v->valuedouble))
		return bopt_errf(err, "field \"%s\" must be a finite number", key);
	*out = v->valuedouble + 0.0; // -0 reads as 0: no figure here has a sign of zero
	return true;
}

bool serde_get_uint(const cJSON *obj, const char *key, uint64_t max, uint64_t *out, char *err)
{
	double d;
	if (!serde_get_number(obj, key, &d, err))
		return false;
	// JSON numbers arrive as doubles: 2^64 - 1 itself, and every whole
	// number from 2^64 - 1024, rounds to 2^64, which reads as the largest
	// u64 (a value that could be 2^64 - 1 is not refused).
	const double two64 = 18446744073709551616.0;
	if (d < 0 || d != floor(d) || d > two64 || (d < two64 && (uint64_t)d > max) ||
			(d == two64 && max != UINT64_MAX))
		return bopt_errf(err, "field \"%s\" must be a whole number from 0 to %llu",
			key, (unsigned long long)max);
	*out = d == two64 ? UINT64_MAX : (uint64_t)d;
	return true;
}

bool serde_get_bool(const cJSON *obj, const char *key, bool *out, char *err)
{
	const cJSON *v = field(obj, key, err);
	if (v == NULL)
		return false;
	if (!cJSON_IsBool(v))
		return bopt_errf(err, "field \"%s\" must be true or false", key);
	*out = cJSON_IsTrue(v);
	return true;
}

bool serde_get_time(const cJSON *obj, const char *key, int64_t *ns, char *err)
{
	const cJSON *v = field(obj, key, err);
	if (v == NULL)
		return false;
	enum ts_status st = cJSON_IsString(v) ?
		ts_parse_status(v->valuestring, strlen(v->valuestring), ns) : TS_MALFORMED;
	if (st == TS_OUT_OF_RANGE)
		return bopt_errf(err, "field \"%s\" is out of range (bopt reads " BOPT_TS_RANGE ")",
			key);
	if (st != TS_OK)
		return bopt_errf(err, "field \"%s\" must be an RFC 3339 timestamp", key);
	return true;
}

bool serde_get_backend(const cJSON *obj, const char *key, enum bopt_backend *out, char *err)
{
	const cJSON *v = field(obj, key, err);
	if (v == NULL)
		return false;
	if (!cJSON_IsString(v))
		return bopt_errf(err, "field \"%s\" must be a backend name", key);
	if (!backend_parse(v->valuestring, out))
		return bopt_errf(err, "unknown backend \"%s\"", v->valuestring);
	return true;
}

const cJSON *serde_get_object(const cJSON *obj, const char *key, char *err)
{
	const cJSON *v = field(obj, key, err);
	if (v != NULL && !cJSON_IsObject(v)) {
		bopt_errf(err, "field \"%s\" must be an object", key);
		return NULL;
	}
	return v;
}

const char *serde_get_string(const cJSON *obj, const char *key, char *err)
{
	const cJSON *v = field(obj, key, err);
	if (v != NULL && !cJSON_IsString(v)) {
		bopt_errf(err, "field \"%s\" must be a string", key);
		return NULL;
	}
	return v ? v->valuestring : NULL;
}

static bool read_enum_string(const cJSON *obj, const char *key, const char **s, char *err)
{
	const cJSON *v = field(obj, key, err);
	if (v == NULL)
		return false;
	if (!cJSON_IsString(v))
		return bopt_errf(err, "field \"%s\" must be a string", key);
	*s = v->valuestring;
	return true;
}

// An externally tagged enum: "Uniform" or {"Normal": {...}}.
static bool read_distribution(const cJSON *obj, struct bopt_distribution *d, char *err)
{
	const cJSON *v = field(obj, "temporal_distribution", err);
	if (v == NULL)
		return false;
	if (cJSON_IsString(v) && strcmp(v->valuestring, "Uniform") == 0) {
		d->kind = BOPT_DIST_UNIFORM;
		return true;
	}
	if (!cJSON_IsObject(v) || v->child == NULL || v->child->next != NULL ||
			!cJSON_IsObject(v->child))
		return bopt_errf(err, "field \"temporal_distribution\" must be \"Uniform\" "
			"or an object with one of Normal, Exponential, Poisson, Custom");
	const cJSON *body = v->child;
	const char *tag = body->string;
	if (strcmp(tag, "Normal") == 0) {
		d->kind = BOPT_DIST_NORMAL;
		return serde_get_number(body, "mean", &d->mean, err) &&
			serde_get_number(body, "std_dev", &d->std_dev, err);
	}
	if (strcmp(tag, "Exponential") == 0 || strcmp(tag, "Poisson") == 0) {
		d->kind = tag[0] == 'P' ? BOPT_DIST_POISSON : BOPT_DIST_EXPONENTIAL;
		return serde_get_number(body, "lambda", &d->lambda, err);
	}
	if (strcmp(tag, "Custom") == 0) {
		const char *name;
		if (!read_enum_string(body, "distribution_name", &name, err))
			return false;
		d->kind = BOPT_DIST_CUSTOM;
		d->name = xstrdup(name);
		return true;
	}
	return bopt_errf(err, "unknown temporal distribution \"%s\"", tag);
}

bool serde_read_pattern(const cJSON *j, struct bopt_pattern *p, char *err)
{
	*p = (struct bopt_pattern){0};
	if (!cJSON_IsObject(j))
		return bopt_errf(err, "a workload pattern must be a JSON object");
	const char *s = NULL;
	if (!read_enum_string(j, "pattern_type", &s, err))
		return false;
	if (!pattern_type_parse(s, &p->pattern_type))
		return bopt_errf(err, "unknown pattern_type \"%s\"", s);
	uint64_t batch;
	if (!serde_get_number(j, "event_rate", &p->event_rate, err) ||
			!serde_get_uint(j, "batch_size", UINT32_MAX, &batch, err) ||
			!serde_get_uint(j, "event_size_bytes", UINT64_MAX, &p->event_size_bytes, err) ||
			!read_distribution(j, &p->temporal_distribution, err))
		return false;
	p->batch_size = (uint32_t)batch;
	if (p->event_rate < 0)
		return bopt_errf(err, "field \"event_rate\" must not be negative");

	const cJSON *dc = serde_get_object(j, "data_characteristics", err);
	struct bopt_data_characteristics *c = &p->data_characteristics;
	if (dc == NULL ||
			!serde_get_number(dc, "compression_ratio", &c->compression_ratio, err) ||
			!serde_get_number(dc, "serialization_overhead", &c->serialization_overhead, err) ||
			!serde_get_bool(dc, "has_complex_structures", &c->has_complex_structures, err) ||
			!serde_get_bool(dc, "requires_ordering", &c->requires_ordering, err) ||
			!serde_get_bool(dc, "has_time_windows", &c->has_time_windows, err) ||
			!serde_get_bool(dc, "requires_deduplication", &c->requires_deduplication, err))
		return false;

	if (!read_enum_string(j, "consistency_requirements", &s, err))
		return false;
	if (!consistency_parse(s, &p->consistency_requirements))
		return bopt_errf(err, "unknown consistency_requirements \"%s\"", s);
	return true;
}

bool serde_read_resource_usage(const cJSON *j, struct bopt_resource_usage *r, char *err)
{
	uint64_t conns;
	if (!cJSON_IsObject(j))
		return bopt_errf(err, "resource usage must be a JSON object");
	if (!serde_get_number(j, "cpu_usage_percent", &r->cpu_usage_percent, err) ||
			!serde_get_number(j, "memory_usage_mb", &r->memory_usage_mb, err) ||
			!serde_get_number(j, "network_usage_mbps", &r->network_usage_mbps, err) ||
			!serde_get_number(j, "disk_io_ops_per_sec", &r->disk_io_ops_per_sec, err) ||
			!serde_get_uint(j, "connection_count", UINT32_MAX, &conns, err))
		return false;
	r->connection_count = (uint32_t)conns;
	return true;
}

bool serde_read_performance(const cJSON *j, struct bopt_performance *p, char *err)
{
	*p = (struct bopt_performance){0};
	if (!cJSON_IsObject(j))
		return bopt_errf(err, "a backend performance must be a JSON object");
	uint64_t complexity;
	const cJSON *ru;
	if (!serde_get_backend(j, "backend_type", &p->backend_type, err) ||
			!serde_get_number(j, "measured_latency_p50", &p->measured_latency_p50, err) ||
			!serde_get_number(j, "measured_latency_p95", &p->measured_latency_p95, err) ||
			!serde_get_number(j, "measured_latency_p99", &p->measured_latency_p99, err) ||
			!serde_get_number(j, "measured_throughput", &p->measured_throughput, err) ||
			!serde_get_number(j, "reliability_score", &p->reliability_score, err) ||
			(ru = serde_get_object(j, "resource_usage", err)) == NULL ||
			!serde_read_resource_usage(ru, &p->resource_usage, err) ||
			!serde_get_number(j, "cost_per_hour", &p->cost_per_hour, err) ||
			!serde_get_uint(j, "setup_complexity", UINT8_MAX, &complexity, err) ||
			!serde_get_number(j, "scalability_factor", &p->scalability_factor, err) ||
			!serde_get_time(j, "last_updated", &p->last_updated, err) ||
			!serde_get_uint(j, "sample_count", UINT64_MAX, &p->sample_count, err))
		return false;
	p->setup_complexity = (uint8_t)complexity;
	return true;
}

bool serde_read_cost(const cJSON *j, struct bopt_cost *c, char *err)
{
	if (!cJSON_IsObject(j))
		return bopt_errf(err, "a cost model must be a JSON object");
	return serde_get_number(j, "total_cost", &c->total_cost, err) &&
		serde_get_number(j, "latency_cost", &c->latency_cost, err) &&
		serde_get_number(j, "throughput_cost", &c->throughput_cost, err) &&
		serde_get_number(j, "reliability_cost", &c->reliability_cost, err) &&
		serde_get_number(j, "resource_cost", &c->resource_cost, err) &&
		serde_get_number(j, "scaling_cost", &c->scaling_cost, err) &&
		serde_get_number(j, "maintenance_cost", &c->maintenance_cost, err);
}

void serde_write_data_point(struct jw *w, const struct bopt_data_point *d)
{
	jw_object_begin(w);
	jw_key(w, "timestamp");
	jw_time(w, d->timestamp);
	jw_key(w, "backend_type");
	jw_string(w, backend_name(d->backend));
	jw_key(w, "workload_pattern");
	serde_write_pattern(w, &d->pattern);
	jw_key(w, "actual_latency");
	jw_double(w, d->latency);
	jw_key(w, "actual_throughput");
	jw_double(w, d->throughput);
	jw_key(w, "actual_reliability");
	jw_double(w, d->reliability);
	jw_key(w, "resource_usage");
	serde_write_resource_usage(w, &d->resource_usage);
	jw_key(w, "external_factors");
	jw_object_begin(w);
	for (size_t i = 0; i < d->nfactors; i++) {
		jw_key(w, d->factors[i].name);
		jw_double(w, d->factors[i].value);
	}
	jw_object_end(w);
	jw_object_end(w);
}

static bool read_factors(const cJSON *ef, struct bopt_data_point *d, char *err)
{
	size_t n = 0;
	for (const cJSON *c = ef->child; c != NULL; c = c->next)
		n++;
	d->factors = xcalloc(n ? n : 1, sizeof(*d->factors));
	for (const cJSON *c = ef->child; c != NULL; c = c->next) {
		if (!cJSON_IsNumber(c) || !isfinite(c->valuedouble))
			return bopt_errf(err, "external_factors: field \"%s\" must be a finite number",
				c->string);
		d->factors[d->nfactors].name = xstrdup(c->string);
		d->factors[d->nfactors++].value = c->valuedouble + 0.0; // -0 reads as 0
	}
	return true;
}

bool serde_read_data_point(const cJSON *j, struct bopt_data_point *d, char *err)
{
	*d = (struct bopt_data_point){0};
	if (!cJSON_IsObject(j))
		return bopt_errf(err, "expected a PerformanceDataPoint object");
	char why[BOPT_ERR_MAX];
	const cJSON *wp, *ru, *ef;
	if (!serde_get_time(j, "timestamp", &d->timestamp, err) ||
			!serde_get_backend(j, "backend_type", &d->backend, err) ||
			(wp = serde_get_object(j, "workload_pattern", err)) == NULL)
		return false;
	if (!serde_read_pattern(wp, &d->pattern, why))
		return bopt_errf(err, "workload_pattern: %s", why);
	if (!serde_get_number(j, "actual_latency", &d->latency, err) ||
			!serde_get_number(j, "actual_throughput", &d->throughput, err) ||
			!serde_get_number(j, "actual_reliability", &d->reliability, err) ||
			(ru = serde_get_object(j, "resource_usage", err)) == NULL)
		return false;
	if (!serde_read_resource_usage(ru, &d->resource_usage, why))
		return bopt_errf(err, "resource_usage: %s", why);
	if ((ef = serde_get_object(j, "external_factors", err)) == NULL ||
			!read_factors(ef, d, err))
		return false;
	if (d->latency < 0)
		return bopt_errf(err, "field \"actual_latency\" must not be negative");
	if (d->throughput < 0)
		return bopt_errf(err, "field \"actual_throughput\" must not be negative");
	if (d->reliability < 0 || d->reliability > 1)
		return bopt_errf(err, "field \"actual_reliability\" must be from 0 to 1");
	return true;
}

cJSON *serde_parse(const char *text, size_t len, struct serde_parse_error *e)
{
	// The strict scanner says where and why; cJSON builds the tree.
	struct js s;
	js_init(&s, text, len);
	if (js_skip_value(&s) && !js_at_end(&s))
		js_fail(&s, "trailing characters after the value");
	cJSON *doc = NULL;
	if (s.error == NULL) {
		doc = cJSON_ParseWithLength(text, len);
		if (doc == NULL)
			js_fail(&s, "not accepted by the JSON parser");
	}
	if (doc == NULL) {
		*e = (struct serde_parse_error){.line = 1, .column = 1, .reason = s.error};
		for (size_t i = 0; i < s.error_offset; i++) {
			if (text[i] == '\n') {
				e->line++;
				e->column = 1;
			} else {
				e->column++;
			}
		}
	}
	return doc;
}
