#include "decide/metrics.h"

#include <math.h>
#include <stdlib.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>

#include "base/input.h"
#include "base/jsonscan.h"
#include "base/serde.h"
#include "base/util.h"
#include "decide/backend.h"

// Metric files are small: snapshots, or one benchmark result.
#define METRICS_FILE_MAX (64u << 20)
// monitoring::StreamingMetrics memory is in bytes.
#define BYTES_PER_MIB 1048576.0
// A success rate above this is a percentage (the oxirs default is 100.0).
#define SUCCESS_RATE_FRACTION_MAX 1.0
#define PERCENT 100.0

// Configuration labels that name a durable setup.
static const char *const durable_words[] = {"mirrored", "quorum", "durable", "persistent",
	"replicated"};

void metrics_init(struct metrics_set *m, double alpha)
{
	*m = (struct metrics_set){.alpha = alpha};
}

void metrics_release(struct metrics_set *m)
{
	for (size_t i = 0; i < m->n; i++)
		free(m->c[i].label);
	for (size_t i = 0; i < m->n_runs; i++)
		omb_run_release(&m->runs[i]);
	free(m->c);
	free(m->runs);
	free(m->seen);
	metrics_init(m, m->alpha);
}

size_t metrics_count(const struct metrics_set *m)
{
	return m->n;
}

struct metrics_candidate *metrics_find(const struct metrics_set *m, enum bopt_backend b,
	const char *label)
{
	for (size_t i = 0; i < m->n; i++)
		if (m->c[i].backend == b && strcmp(m->c[i].label, label) == 0)
			return &m->c[i];
	return NULL;
}

// The candidate of b and label, added (its perf zeroed) when new.
static struct metrics_candidate *candidate(struct metrics_set *m, enum bopt_backend b,
	const char *label, bool *added)
{
	struct metrics_candidate *c = metrics_find(m, b, label);
	*added = c == NULL;
	if (c != NULL)
		return c;
	m->c = xrealloc(m->c, (m->n + 1) * sizeof(m->c[0]));
	c = &m->c[m->n++];
	*c = (struct metrics_candidate){.backend = b, .label = xstrdup(label)};
	return c;
}

bool metrics_has_backend(const struct metrics_set *m, enum bopt_backend b)
{
	for (size_t i = 0; i < m->n; i++)
		if (m->c[i].backend == b)
			return true;
	return false;
}

void metrics_candidate_name(const struct metrics_candidate *c, char *buf, size_t len)
{
	if (c->label[0] == '\0')
		snprintf(buf, len, "%s", backend_name(c->backend));
	else
		snprintf(buf, len, "%s (%s)", backend_name(c->backend), c->label);
}

double metrics_candidate_sizing(const struct metrics_candidate *c)
{
	return c->builtin ? 0 : c->perf.measured_throughput;
}

bool metrics_label_durable(const char *label)
{
	for (size_t i = 0; i < sizeof(durable_words) / sizeof(durable_words[0]); i++) {
		size_t k = strlen(durable_words[i]);
		for (const char *p = label; *p; p++)
			if (strncasecmp(p, durable_words[i], k) == 0)
				return true;
	}
	return false;
}

// An optional field (absent or null is None); present, it must be a finite
// number from lo to hi.
static bool opt_number(const cJSON *obj, const char *key, double lo, double hi,
	double *out, bool *has, char *err)
{
	const cJSON *v = cJSON_GetObjectItemCaseSensitive(obj, key);
	*has = v != NULL && !cJSON_IsNull(v);
	if (!*has)
		return true;
	if (!serde_get_number(obj, key, out, err))
		return false;
	if (hi == METRICS_VALUE_MAX && *out < lo)
		return bopt_errf(err, "field \"%s\" must not be negative", key);
	if (*out < lo || *out > hi)
		return bopt_errf(err, "field \"%s\" must be from %g to %g", key, lo, hi);
	return true;
}

static bool req_number(const cJSON *obj, const char *key, double *out, char *err)
{
	bool has;
	if (!opt_number(obj, key, 0, METRICS_VALUE_MAX, out, &has, err))
		return false;
	return has || bopt_errf(err, "missing field \"%s\"", key);
}

static bool opt_time(const cJSON *obj, const char *key, struct metrics_snapshot *s, char *err)
{
	const cJSON *v = cJSON_GetObjectItemCaseSensitive(obj, key);
	s->has_time = v != NULL && !cJSON_IsNull(v);
	return !s->has_time || serde_get_time(obj, key, &s->time, err);
}

static bool opt_connections(const cJSON *obj, const char *key, struct metrics_snapshot *s,
	char *err)
{
	const cJSON *v = cJSON_GetObjectItemCaseSensitive(obj, key);
	uint64_t n;
	s->has_connections = v != NULL && !cJSON_IsNull(v);
	if (!s->has_connections)
		return true;
	if (!serde_get_uint(obj, key, UINT32_MAX, &n, err))
		return false;
	s->connections = (uint32_t)n;
	return true;
}

// p95/p99 from the snapshot where it has them (keys may be NULL), else
// derived from p50.
static bool tail_latencies(const cJSON *obj, const char *p95_key, const char *p99_key,
	struct metrics_snapshot *s, char *err)
{
	bool has95 = false, has99 = false;
	if (p95_key != NULL && !opt_number(obj, p95_key, 0, METRICS_VALUE_MAX, &s->p95, &has95, err))
		return false;
	if (p99_key != NULL && !opt_number(obj, p99_key, 0, METRICS_VALUE_MAX, &s->p99, &has99, err))
		return false;
	if (!has95)
		s->p95 = s->p50 * METRICS_P95_FACTOR;
	if (!has99)
		s->p99 = s->p50 * METRICS_P99_FACTOR;
	return true;
}

// monitoring::StreamingMetrics.
static bool parse_monitoring(const cJSON *m, struct metrics_snapshot *s, char *err)
{
	double rate, bytes;
	bool has_rate;
	if (!req_number(m, "producer_average_latency_ms", &s->p50, err) ||
			!req_number(m, "producer_throughput_eps", &s->throughput, err) ||
			!tail_latencies(m, NULL, NULL, s, err) ||
			!opt_number(m, "success_rate", 0, PERCENT, &rate, &has_rate, err) ||
			!opt_number(m, "system_cpu_usage_percent", 0, METRICS_VALUE_MAX, &s->cpu_percent,
				&s->has_cpu, err) ||
			!opt_number(m, "system_memory_usage_bytes", 0, METRICS_VALUE_MAX, &bytes,
				&s->has_memory, err) ||
			!opt_connections(m, "backend_connections_active", s, err) ||
			!opt_time(m, "last_updated", s, err))
		return false;
	if (!has_rate)
		s->reliability = 1.0;
	else
		s->reliability = rate > SUCCESS_RATE_FRACTION_MAX ? rate / PERCENT : rate;
	s->memory_mb = s->has_memory ? bytes / BYTES_PER_MIB : 0;
	return true;
}

// observability::StreamingMetrics.
static bool parse_observability(const cJSON *m, struct metrics_snapshot *s, char *err)
{
	double errors;
	bool has_errors;
	if (!req_number(m, "avg_latency_ms", &s->p50, err) ||
			!req_number(m, "events_per_second", &s->throughput, err) ||
			!tail_latencies(m, "p95_latency_ms", "p99_latency_ms", s, err) ||
			!opt_number(m, "error_rate_percent", 0, PERCENT, &errors, &has_errors, err) ||
			!opt_number(m, "cpu_usage_percent", 0, METRICS_VALUE_MAX, &s->cpu_percent,
				&s->has_cpu, err) ||
			!opt_number(m, "memory_usage_mb", 0, METRICS_VALUE_MAX, &s->memory_mb,
				&s->has_memory, err) ||
			!opt_connections(m, "active_connections", s, err) ||
			!opt_time(m, "timestamp", s, err))
		return false;
	s->reliability = has_errors ? 1.0 - errors / PERCENT : 1.0;
	return true;
}

static bool check_performance(const struct bopt_performance *p, char *err)
{
	const struct bopt_resource_usage *u = &p->resource_usage;
	const double figures[] = {p->measured_latency_p50, p->measured_latency_p95,
		p->measured_latency_p99, p->measured_throughput, u->cpu_usage_percent,
		u->memory_usage_mb, u->network_usage_mbps, u->disk_io_ops_per_sec};
	for (size_t i = 0; i < sizeof(figures) / sizeof(figures[0]); i++)
		if (figures[i] > METRICS_VALUE_MAX)
			return bopt_errf(err, "figures must be at most %g", METRICS_VALUE_MAX);
	if (p->measured_latency_p50 < 0 || p->measured_latency_p95 < 0 ||
			p->measured_latency_p99 < 0)
		return bopt_errf(err, "latencies must not be negative");
	if (p->measured_throughput < 0)
		return bopt_errf(err, "field \"measured_throughput\" must not be negative");
	if (p->reliability_score < 0 || p->reliability_score > 1)
		return bopt_errf(err, "field \"reliability_score\" must be from 0 to 1");
	if (u->cpu_usage_percent < 0 || u->memory_usage_mb < 0 || u->network_usage_mbps < 0 ||
			u->disk_io_ops_per_sec < 0)
		return bopt_errf(err, "resource usage must not be negative");
	return true;
}

bool metrics_parse_line(const cJSON *j, struct metrics_snapshot *s, char *err)
{
	*s = (struct metrics_snapshot){.samples = 1};
	if (!cJSON_IsObject(j))
		return bopt_errf(err, "a metric snapshot must be a JSON object");
	if (!serde_get_backend(j, "backend_type", &s->backend, err))
		return false;
	if (cJSON_GetObjectItemCaseSensitive(j, "measured_latency_p50") != NULL) {
		s->whole = true;
		return serde_read_performance(j, &s->perf, err) && check_performance(&s->perf, err);
	}
	const cJSON *m = serde_get_object(j, "metrics", err);
	if (m == NULL)
		return false;
	if (cJSON_GetObjectItemCaseSensitive(m, "producer_average_latency_ms") != NULL)
		return parse_monitoring(m, s, err);
	if (cJSON_GetObjectItemCaseSensitive(m, "avg_latency_ms") != NULL)
		return parse_observability(m, s, err);
	return bopt_errf(err, "field \"metrics\" has neither \"producer_average_latency_ms\" "
		"nor \"avg_latency_ms\"");
}

static double ewma(double alpha, double sample, double estimate)
{
	return alpha * sample + (1.0 - alpha) * estimate;
}

void metrics_dedupe(struct metrics_set *m)
{
	m->dedupe = true;
}

// FNV-1a, 64 bits.
#define FNV_OFFSET UINT64_C(14695981039346656037)
#define FNV_PRIME UINT64_C(1099511628211)

static uint64_t hash_double(uint64_t h, double v)
{
	unsigned char c[sizeof(v)];
	memcpy(c, &v, sizeof(v));
	for (size_t i = 0; i < sizeof(c); i++)
		h = (h ^ c[i]) * FNV_PRIME;
	return h;
}

static uint64_t hash_doubles(uint64_t h, const double *v, size_t n)
{
	for (size_t i = 0; i < n; i++)
		h = hash_double(h, v[i]);
	return h;
}

// Every value of a snapshot, so that only an identical one hashes alike.
static uint64_t snapshot_hash(const struct metrics_snapshot *s)
{
	uint64_t h = hash_double(FNV_OFFSET, (double)s->backend);
	for (const char *l = s->label ? s->label : ""; *l; l++)
		h = (h ^ (unsigned char)*l) * FNV_PRIME;
	if (s->whole) {
		const struct bopt_performance *p = &s->perf;
		const double v[] = {p->measured_latency_p50, p->measured_latency_p95,
			p->measured_latency_p99, p->measured_throughput, p->reliability_score,
			p->resource_usage.cpu_usage_percent, p->resource_usage.memory_usage_mb,
			p->resource_usage.network_usage_mbps, p->resource_usage.disk_io_ops_per_sec,
			p->resource_usage.connection_count, p->cost_per_hour, p->setup_complexity,
			p->scalability_factor, (double)p->last_updated, (double)p->sample_count};
		return hash_doubles(hash_double(h, 1.0), v, sizeof(v) / sizeof(v[0]));
	}
	const double v[] = {s->p50, s->p95, s->p99, s->throughput, s->reliability,
		s->has_cpu ? s->cpu_percent : -1.0, s->has_memory ? s->memory_mb : -1.0,
		s->has_connections ? (double)s->connections : -1.0,
		s->has_time ? (double)s->time : -1.0, (double)s->samples};
	return hash_doubles(h, v, sizeof(v) / sizeof(v[0]));
}

static void seen_insert(uint64_t *set, size_t cap, uint64_t h)
{
	size_t i = (size_t)h & (cap - 1);
	while (set[i] != 0 && set[i] != h)
		i = (i + 1) & (cap - 1);
	set[i] = h;
}

// Records the snapshot's hash in an open-addressing set (0 marks a free
// slot, kept at most half full); false when it was there before.
static bool snapshot_new(struct metrics_set *m, const struct metrics_snapshot *s)
{
	uint64_t h = snapshot_hash(s);
	h += h == 0;
	if (2 * (m->n_seen + 1) > m->cap_seen) {
		size_t cap = m->cap_seen ? 2 * m->cap_seen : 64;
		uint64_t *set = xcalloc(cap, sizeof(*set));
		for (size_t i = 0; i < m->cap_seen; i++)
			if (m->seen[i] != 0)
				seen_insert(set, cap, m->seen[i]);
		free(m->seen);
		m->seen = set;
		m->cap_seen = cap;
	}
	size_t i = (size_t)h & (m->cap_seen - 1);
	while (m->seen[i] != 0) {
		if (m->seen[i] == h)
			return false;
		i = (i + 1) & (m->cap_seen - 1);
	}
	m->seen[i] = h;
	m->n_seen++;
	return true;
}

void metrics_fold(struct metrics_set *m, const struct metrics_snapshot *s, int64_t now)
{
	if (m->dedupe && !snapshot_new(m, s))
		return;
	bool first;
	struct metrics_candidate *c = candidate(m, s->backend, s->label ? s->label : "", &first);
	struct bopt_performance *p = &c->perf;
	c->evidence += s->samples;
	if (s->whole) {
		*p = s->perf;
		return;
	}
	if (first) {
		backend_prior(s->backend, now, p);
		p->measured_latency_p50 = s->p50;
		p->measured_latency_p95 = s->p95;
		p->measured_latency_p99 = s->p99;
		p->measured_throughput = s->throughput;
		p->reliability_score = s->reliability;
	} else {
		p->measured_latency_p50 = ewma(m->alpha, s->p50, p->measured_latency_p50);
		p->measured_latency_p95 = ewma(m->alpha, s->p95, p->measured_latency_p95);
		p->measured_latency_p99 = ewma(m->alpha, s->p99, p->measured_latency_p99);
		p->measured_throughput = ewma(m->alpha, s->throughput, p->measured_throughput);
		p->reliability_score = ewma(m->alpha, s->reliability, p->reliability_score);
	}
	if (s->has_cpu)
		p->resource_usage.cpu_usage_percent = s->cpu_percent;
	if (s->has_memory)
		p->resource_usage.memory_usage_mb = s->memory_mb;
	if (s->has_connections)
		p->resource_usage.connection_count = s->connections;
	p->last_updated = s->has_time ? s->time : now;
	// Saturating: a performance line may already carry the largest count.
	p->sample_count = s->samples > UINT64_MAX - p->sample_count ? UINT64_MAX :
		p->sample_count + s->samples;
}

static bool load_lines(struct metrics_set *m, const char *name, const char *label,
	const char *text, size_t text_len, int64_t now, char *err)
{
	struct input_lines r;
	const char *line;
	size_t len;
	char why[BOPT_ERR_MAX];
	input_lines_open_memory(&r, name, text, text_len);
	// Lines are cut by length, not at a NUL byte: the scanner rejects one.
	while (input_lines_next(&r, &line, &len, err) > 0) {
		struct js scan;
		js_init(&scan, line, len);
		if (js_at_end(&scan))
			continue;
		unsigned long long lineno = (unsigned long long)r.line;
		struct serde_parse_error pe;
		cJSON *j = serde_parse(line, len, &pe);
		if (j == NULL)
			return bopt_errf(err, "%s:%llu: invalid JSON at column %zu: %s", name, lineno,
				pe.column, pe.reason);
		struct metrics_snapshot s;
		bool ok = metrics_parse_line(j, &s, why);
		cJSON_Delete(j);
		if (!ok)
			return bopt_errf(err, "%s:%llu: %s", name, lineno, why);
		s.label = label;
		metrics_fold(m, &s, now);
	}
	input_lines_close(&r);
	return true;
}

// Whether the text reads as NDJSON: its first line that is not blank holds
// one whole JSON value, or every line is blank.
static bool first_line_is_value(const char *text, size_t len)
{
	const char *line = text, *end = text + len;
	for (;;) {
		const char *nl = memchr(line, '\n', (size_t)(end - line));
		struct js scan;
		js_init(&scan, line, (size_t)((nl ? nl : end) - line));
		if (!js_at_end(&scan))
			return js_skip_value(&scan) && js_at_end(&scan);
		if (nl == NULL)
			return true;
		line = nl + 1;
	}
}

// Keeps one OMB result for metrics_finish.
static bool load_omb(struct metrics_set *m, const char *name, const char *label,
	const cJSON *doc, char *err)
{
	struct omb_run r;
	char why[BOPT_ERR_MAX];
	if (!omb_parse(doc, &r, why)) {
		omb_run_release(&r);
		return bopt_errf(err, "%s: OpenMessaging Benchmark result: %s", name, why);
	}
	r.file = xstrdup(name);
	if (label != NULL) {
		free(r.label);
		r.label = xstrdup(label);
	}
	m->runs = xrealloc(m->runs, (m->n_runs + 1) * sizeof(m->runs[0]));
	m->runs[m->n_runs++] = r;
	return true;
}

bool metrics_load(struct metrics_set *m, const char *path, const char *label, int64_t now,
	char *err)
{
	char *text = NULL;
	size_t len;
	const char *name = input_display_name(path);
	if (!input_slurp(path, METRICS_FILE_MAX, &text, &len, err))
		return false;
	bool ok;
	// One OpenMessaging Benchmark result, or NDJSON (which fails as one
	// document, or is a single line). A document that fails although its
	// first line is no JSON value of its own is reported as a document.
	struct serde_parse_error pe;
	cJSON *doc = serde_parse(text, len, &pe);
	if (doc == NULL && !first_line_is_value(text, len)) {
		ok = bopt_errf(err, "%s:%zu: invalid JSON at column %zu: %s", name, pe.line,
			pe.column, pe.reason);
	} else if (omb_is_result(doc)) {
		ok = load_omb(m, name, label, doc, err);
	} else {
		ok = load_lines(m, name, label, text, len, now, err);
	}
	cJSON_Delete(doc);
	free(text);
	return ok;
}

static int compare_candidates(const void *a, const void *b)
{
	const struct metrics_candidate *x = a, *y = b;
	if (x->backend != y->backend)
		return x->backend < y->backend ? -1 : 1;
	return strcmp(x->label, y->label);
}

static void sort_candidates(struct metrics_set *m)
{
	if (m->n > 0) // qsort wants a non-null base
		qsort(m->c, m->n, sizeof(m->c[0]), compare_candidates);
}

void metrics_use_profiles(struct metrics_set *m, bool reference, int64_t now)
{
	bool added;
	for (int b = 0; b < BOPT_BACKEND_COUNT; b++) {
		if (metrics_has_backend(m, (enum bopt_backend)b))
			continue;
		struct metrics_candidate *c = candidate(m, (enum bopt_backend)b, "", &added);
		backend_profile((enum bopt_backend)b, reference, now, &c->perf);
		c->builtin = true;
	}
	sort_candidates(m);
}

// The latency of an OMB candidate: end to end where measured, else publish.
static void omb_latency_into(const struct omb_figures *f, struct bopt_performance *p)
{
	const struct omb_latency *l = f->has_e2e ? &f->e2e : &f->publish;
	p->measured_latency_p50 = l->p50;
	p->measured_latency_p95 = l->p95;
	p->measured_latency_p99 = l->p99;
}

// The performance of an OMB candidate from its combined figures on the
// built-in profile: its own latency runs' latency (else the profile's until
// metrics_finish borrows); capacity in events of the workload's size.
static void omb_performance(struct metrics_candidate *c, bool reference, int64_t now)
{
	const struct omb_figures *f = &c->figures;
	struct bopt_performance *p = &c->perf;
	backend_profile(c->backend, reference, now, p);
	c->latency_from = METRICS_LATENCY_PROFILE;
	if (f->latency_runs > 0) {
		omb_latency_into(f, p);
		c->latency_from = METRICS_LATENCY_OWN;
	}
	p->measured_throughput = fmin(f->capacity_events, METRICS_VALUE_MAX);
	p->reliability_score = f->reliability;
	p->sample_count = f->windows;
	c->evidence = f->windows;
}

// A candidate without latency runs of its own takes the latency runs of its
// backend's other configurations, combined, so that it is compared end to
// end like them rather than with the profile's figure.
static void borrow_latency(struct metrics_set *m, struct metrics_candidate *c,
	const struct omb_run **set, uint64_t event_size)
{
	size_t n = 0;
	for (size_t i = 0; i < m->n_runs; i++)
		if (m->runs[i].backend == c->backend && m->runs[i].kind == OMB_LATENCY_RUN)
			set[n++] = &m->runs[i];
	if (n == 0)
		return;
	omb_combine(set, n, event_size, &c->borrowed);
	omb_latency_into(&c->borrowed, &c->perf);
	c->latency_from = METRICS_LATENCY_BACKEND;
}

static int compare_runs(const void *a, const void *b)
{
	return omb_run_compare(a, b);
}

// Sorts the runs and drops those equal to the one before (a file given twice).
static void sort_runs(struct metrics_set *m)
{
	if (m->n_runs == 0)
		return;
	qsort(m->runs, m->n_runs, sizeof(m->runs[0]), compare_runs);
	size_t k = 1;
	for (size_t i = 1; i < m->n_runs; i++) {
		if (omb_run_compare(&m->runs[i], &m->runs[k - 1]) == 0)
			omb_run_release(&m->runs[i]);
		else
			m->runs[k++] = m->runs[i];
	}
	m->n_runs = k;
}

bool metrics_finish(struct metrics_set *m, uint64_t event_size, bool reference, int64_t now,
	char *err)
{
	sort_runs(m);
	const struct omb_run **set = xcalloc(m->n_runs + 1, sizeof(*set));
	bool ok = true;
	// Runs are sorted by backend and label: each candidate's are adjacent.
	for (size_t i = 0, j; ok && i < m->n_runs; i = j) {
		for (j = i; j < m->n_runs && m->runs[j].backend == m->runs[i].backend &&
				strcmp(m->runs[j].label, m->runs[i].label) == 0; j++)
			set[j - i] = &m->runs[j];
		bool added;
		struct metrics_candidate *c = candidate(m, m->runs[i].backend, m->runs[i].label, &added);
		if (!added) {
			char name[METRICS_NAME_MAX];
			metrics_candidate_name(c, name, sizeof(name));
			ok = bopt_errf(err, "%s: %s has both metric snapshots and OpenMessaging Benchmark "
				"results; label one of them (--metrics LABEL=FILE)", m->runs[i].file, name);
			break;
		}
		c->omb = true;
		omb_combine(set, j - i, event_size, &c->figures);
		omb_performance(c, reference, now);
	}
	for (size_t i = 0; ok && i < m->n; i++)
		if (m->c[i].omb && m->c[i].latency_from == METRICS_LATENCY_PROFILE)
			borrow_latency(m, &m->c[i], set, event_size);
	free(set);
	sort_candidates(m);
	return ok;
}
