#include "decide/omb.h"

#include <ctype.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/serde.h"
#include "base/util.h"
#include "decide/backend.h"
#include "decide/metrics.h"

#define MS_PER_SEC 1000.0
#define BYTES_PER_KIB 1024.0

static const char *const kind_names[] = {
	[OMB_LATENCY_RUN] = "latency run",
	[OMB_THROUGHPUT_RUN] = "throughput run",
	[OMB_SATURATED_RUN] = "saturated run",
};

const char *omb_kind_name(enum omb_kind k)
{
	return kind_names[k];
}

bool omb_is_result(const cJSON *j)
{
	return cJSON_IsObject(j) && cJSON_GetObjectItemCaseSensitive(j, "driver") != NULL;
}

void omb_run_release(struct omb_run *r)
{
	free(r->file);
	free(r->label);
	r->file = r->label = NULL;
}

// The backend of a driver name, by prefix; *rest is what follows it.
static bool driver_backend(const char *driver, enum bopt_backend *out, const char **rest)
{
	for (int b = 0; b < BOPT_BACKEND_COUNT; b++) {
		const char *p = backend_omb_driver((enum bopt_backend)b);
		if (p == NULL)
			continue;
		size_t k = 0;
		while (p[k] && tolower((unsigned char)driver[k]) == p[k])
			k++;
		if (p[k] == '\0') {
			*out = (enum bopt_backend)b;
			*rest = driver + k;
			return true;
		}
	}
	return false;
}

static bool present(const cJSON *j, const char *key)
{
	const cJSON *v = cJSON_GetObjectItemCaseSensitive(j, key);
	return v != NULL && !cJSON_IsNull(v);
}

// A number from 0 to METRICS_VALUE_MAX.
static bool get_figure(const cJSON *j, const char *key, double *out, char *err)
{
	if (!present(j, key))
		return bopt_errf(err, "missing field \"%s\"", key);
	if (!serde_get_number(j, key, out, err))
		return false;
	if (!(*out >= 0 && *out <= METRICS_VALUE_MAX))
		return bopt_errf(err, "field \"%s\" must be from 0 to %g", key, METRICS_VALUE_MAX);
	return true;
}

// The aggregated percentiles of one latency ("Publish" or "EndToEnd").
static bool get_latency(const cJSON *j, const char *what, struct omb_latency *l, char *err)
{
	static const char *const suffix[] = {"50pct", "95pct", "99pct", "999pct"};
	double *v[] = {&l->p50, &l->p95, &l->p99, &l->p999};
	char key[64];
	for (size_t i = 0; i < 4; i++) {
		snprintf(key, sizeof(key), "aggregated%sLatency%s", what, suffix[i]);
		if (i == 3 && !present(j, key)) {
			l->p999 = -1;
			break;
		}
		if (!get_figure(j, key, v[i], err))
			return false;
	}
	return true;
}

// Per-window numbers: their sum, their count and their largest. Backlog
// windows may be negative (consumers ahead of the count); lo says how far.
static bool get_windows(const cJSON *j, const char *key, double lo, double *sum, double *peak,
	uint64_t *count, char *err)
{
	const cJSON *a = cJSON_GetObjectItemCaseSensitive(j, key);
	if (!cJSON_IsArray(a))
		return bopt_errf(err, "field \"%s\" must be an array of numbers", key);
	*sum = 0;
	*peak = lo;
	*count = 0;
	const cJSON *v;
	cJSON_ArrayForEach(v, a) {
		if (!cJSON_IsNumber(v) || !(v->valuedouble >= lo && v->valuedouble <= METRICS_VALUE_MAX))
			return bopt_errf(err, "field \"%s\" must hold numbers from %g to %g", key, lo,
				METRICS_VALUE_MAX);
		*sum += v->valuedouble;
		*peak = fmax(*peak, v->valuedouble);
		(*count)++;
	}
	return true;
}

// The offered rate a workload name states ("100-partitions-200K-rate-...")
// and its message size ("1kb", "100b"), by '-'-separated words.
static void workload_name(const char *name, struct omb_run *r, bool *max_rate)
{
	*max_rate = false;
	while (*name) {
		size_t len = strcspn(name, "-_");
		char *end;
		double v = strtod(name, &end);
		size_t unit = (size_t)(end - name);
		bool number = unit > 0 && isdigit((unsigned char)name[0]) && v > 0 &&
			v <= METRICS_VALUE_MAX;
		const char *u = end;
		size_t ulen = len - (unit < len ? unit : len);
		if (len == 3 && strncmp(name, "max", 3) == 0 && strncmp(name + 3, "-rate", 5) == 0)
			*max_rate = true;
		else if (number && unit <= len && strncmp(name + len, "-rate", 5) == 0) {
			double mult = ulen == 0 ? 1 : ulen == 1 && tolower((unsigned char)*u) == 'k' ?
				1e3 : ulen == 1 && tolower((unsigned char)*u) == 'm' ? 1e6 : 0;
			if (mult > 0) {
				r->has_offered = true;
				r->offered_rate = v * mult;
			}
		} else if (number && !r->size_stated && unit < len) {
			double mult = ulen == 1 && tolower((unsigned char)u[0]) == 'b' ? 1 :
				ulen == 2 && tolower((unsigned char)u[1]) == 'b' ?
				tolower((unsigned char)u[0]) == 'k' ? BYTES_PER_KIB :
				tolower((unsigned char)u[0]) == 'm' ? BYTES_PER_KIB * BYTES_PER_KIB : 0 : 0;
			if (mult > 0) {
				r->size_stated = true;
				r->message_size = v * mult;
			}
		}
		name += len;
		if (*name)
			name++;
	}
}

// The rules of bopt(1) OPENMESSAGING BENCHMARK RESULTS, in order.
static void classify(struct omb_run *r, bool max_rate)
{
	double backlog_s = r->publish_rate > 0 ? r->backlog_peak / r->publish_rate : 0;
	double in_flight = r->publish_rate * r->publish.p50 / MS_PER_SEC;
	r->kind = OMB_SATURATED_RUN;
	if (r->publish_rate > 0 && backlog_s > OMB_BACKLOG_SECONDS_MAX) {
		snprintf(r->why, sizeof(r->why), "backlog peaked at %.0f messages, %.3g s of "
			"publishing, above %g s", r->backlog_peak, backlog_s, OMB_BACKLOG_SECONDS_MAX);
	} else if (r->consume_rate < r->publish_rate * OMB_CONSUME_SHARE_MIN) {
		snprintf(r->why, sizeof(r->why), "consumers kept %.3g%% of the publish rate, below "
			"%g%%", 100 * r->consume_rate / r->publish_rate, 100 * OMB_CONSUME_SHARE_MIN);
	} else if (r->has_e2e && r->e2e.p50 > r->publish.p50 * OMB_E2E_RATIO_MAX &&
			r->e2e.p50 - r->publish.p50 > OMB_E2E_EXCESS_MIN_MS) {
		snprintf(r->why, sizeof(r->why), "end-to-end p50 %.6g ms is %.3gx publish p50, "
			"above %gx", r->e2e.p50, r->e2e.p50 / r->publish.p50, OMB_E2E_RATIO_MAX);
	} else if (r->has_delay && r->delay_p50 > OMB_DELAY_BEHIND_US) {
		r->kind = OMB_THROUGHPUT_RUN;
		snprintf(r->why, sizeof(r->why), "producers ran %.6g us behind schedule, publish "
			"delay p50 above %g us", r->delay_p50, OMB_DELAY_BEHIND_US);
	} else if (r->has_offered &&
			fabs(r->publish_rate - r->offered_rate) <= r->offered_rate * OMB_RATE_TRACK_SHARE) {
		r->kind = OMB_LATENCY_RUN;
		snprintf(r->why, sizeof(r->why), "publish rate %.0f msg/s tracks the offered %.6g "
			"within %g%%", r->publish_rate, r->offered_rate, 100 * OMB_RATE_TRACK_SHARE);
	} else if (max_rate) {
		r->kind = OMB_THROUGHPUT_RUN;
		snprintf(r->why, sizeof(r->why), "the workload is a max-rate one");
	} else {
		r->kind = in_flight > OMB_IN_FLIGHT_MAX ? OMB_THROUGHPUT_RUN : OMB_LATENCY_RUN;
		snprintf(r->why, sizeof(r->why), "%.0f messages in flight, publish rate x publish "
			"p50, %s %g", in_flight, r->kind == OMB_LATENCY_RUN ? "at most" : "above",
			OMB_IN_FLIGHT_MAX);
	}
}

// An optional count (topics, partitions).
static bool get_count(const cJSON *j, const char *key, uint64_t *out, char *err)
{
	*out = 0;
	return !present(j, key) || serde_get_uint(j, key, UINT32_MAX, out, err);
}

static bool get_rates(const cJSON *j, struct omb_run *r, char *err)
{
	double sum, peak, backlog_sum;
	uint64_t n, m = 0, k;
	if (!get_windows(j, "publishRate", 0, &sum, &peak, &r->windows, err))
		return false;
	if (r->windows == 0)
		return bopt_errf(err, "field \"publishRate\" has no windows");
	r->publish_rate = sum / (double)r->windows;
	r->consume_rate = r->publish_rate;
	if (present(j, "consumeRate")) {
		if (!get_windows(j, "consumeRate", 0, &sum, &peak, &n, err))
			return false;
		if (n > 0)
			r->consume_rate = sum / (double)n;
	}
	if (present(j, "backlog") && !get_windows(j, "backlog", -METRICS_VALUE_MAX, &backlog_sum,
			&r->backlog_peak, &m, err))
		return false;
	if (m == 0)
		r->backlog_peak = 0;
	r->reliability = 1.0;
	if (present(j, "publishErrorRate")) {
		double errors;
		if (!get_windows(j, "publishErrorRate", 0, &errors, &peak, &k, err))
			return false;
		double published = r->publish_rate * (double)r->windows;
		if (published > 0)
			r->reliability = errors >= published ? 0.0 : 1.0 - errors / published;
	}
	return true;
}

bool omb_parse(const cJSON *j, struct omb_run *r, char *err)
{
	*r = (struct omb_run){0};
	const cJSON *driver = cJSON_GetObjectItemCaseSensitive(j, "driver");
	if (!cJSON_IsString(driver))
		return bopt_errf(err, "field \"driver\" must be a string");
	const char *rest;
	if (!driver_backend(driver->valuestring, &r->backend, &rest))
		return bopt_errf(err, "unknown driver \"%s\"", driver->valuestring);
	if (!get_latency(j, "Publish", &r->publish, err) || !get_rates(j, r, err) ||
			!get_count(j, "topics", &r->topics, err) ||
			!get_count(j, "partitions", &r->partitions, err))
		return false;
	r->has_e2e = present(j, "aggregatedEndToEndLatency50pct");
	if (r->has_e2e && !get_latency(j, "EndToEnd", &r->e2e, err))
		return false;
	r->has_delay = present(j, "aggregatedPublishDelayLatency50pct");
	if (r->has_delay && !get_figure(j, "aggregatedPublishDelayLatency50pct", &r->delay_p50, err))
		return false;
	if (present(j, "messageSize")) {
		if (!get_figure(j, "messageSize", &r->message_size, err))
			return false;
		if (r->message_size < 1)
			return bopt_errf(err, "field \"messageSize\" must be at least 1");
		r->size_stated = true;
	}
	bool max_rate = false;
	const cJSON *w = cJSON_GetObjectItemCaseSensitive(j, "workload");
	if (cJSON_IsString(w))
		workload_name(w->valuestring, r, &max_rate);
	if (!r->size_stated)
		r->message_size = OMB_STOCK_MESSAGE_BYTES;
	classify(r, max_rate);
	rest += strspn(rest, "-_ ");
	r->label = xstrdup(rest);
	return true;
}

static int cmp_double(double a, double b)
{
	return a < b ? -1 : a > b ? 1 : 0;
}

int omb_run_compare(const struct omb_run *a, const struct omb_run *b)
{
	int c;
	if (a->backend != b->backend)
		return a->backend < b->backend ? -1 : 1;
	if ((c = strcmp(a->label, b->label)) != 0 || (c = strcmp(a->file, b->file)) != 0)
		return c;
	if (a->kind != b->kind)
		return a->kind < b->kind ? -1 : 1;
	if ((c = cmp_double(a->publish_rate, b->publish_rate)) != 0 ||
			(c = cmp_double(a->consume_rate, b->consume_rate)) != 0 ||
			(c = cmp_double(a->publish.p50, b->publish.p50)) != 0 ||
			(c = cmp_double(a->publish.p99, b->publish.p99)) != 0)
		return c;
	return cmp_double((double)a->windows, (double)b->windows);
}

static int compare_ptr(const void *x, const void *y)
{
	return omb_run_compare(*(const struct omb_run *const *)x, *(const struct omb_run *const *)y);
}

// acc += l * w, percentile by percentile (p999 only while every run has it).
static void add_latency(struct omb_latency *acc, const struct omb_latency *l, double w)
{
	acc->p50 += l->p50 * w;
	acc->p95 += l->p95 * w;
	acc->p99 += l->p99 * w;
	acc->p999 = acc->p999 < 0 || l->p999 < 0 ? -1 : acc->p999 + l->p999 * w;
}

static void scale_latency(struct omb_latency *l, double by)
{
	l->p50 *= by;
	l->p95 *= by;
	l->p99 *= by;
	if (l->p999 >= 0)
		l->p999 *= by;
}

void omb_combine(const struct omb_run **runs, size_t n, uint64_t event_size,
	struct omb_figures *f)
{
	*f = (struct omb_figures){.runs = n};
	qsort(runs, n, sizeof(runs[0]), compare_ptr);
	uint64_t e2e_windows = 0;
	double reliability = 0;
	for (size_t i = 0; i < n; i++) {
		const struct omb_run *r = runs[i];
		double w = (double)r->windows;
		double bytes = event_size > 0 ? (double)event_size : r->message_size;
		double scale = r->message_size / bytes;
		f->windows += r->windows;
		reliability += r->reliability * w;
		if (fmax(scale, 1 / scale) > OMB_SIZE_RATIO_FLAG)
			f->size_far = true;
		if (r->kind == OMB_LATENCY_RUN) {
			f->latency_runs++;
			f->latency_windows += r->windows;
			add_latency(&f->publish, &r->publish, w);
			if (r->has_e2e) {
				add_latency(&f->e2e, &r->e2e, w);
				e2e_windows += r->windows;
			}
		}
		// A latency run counts only while no run measured capacity.
		bool capacity = r->kind != OMB_LATENCY_RUN;
		double msgs = r->kind == OMB_SATURATED_RUN ? r->consume_rate : r->publish_rate;
		double events = msgs * scale;
		bool better = f->capacity_from == NULL ||
			(capacity && f->capacity_lower_bound) ||
			(capacity == !f->capacity_lower_bound && events > f->capacity_events);
		if (better) {
			f->capacity_from = r;
			f->capacity_lower_bound = !capacity;
			f->capacity_msgs = msgs;
			f->capacity_events = events;
			f->size_scale = scale;
		}
	}
	if (f->windows > 0)
		f->reliability = reliability / (double)f->windows;
	if (f->latency_windows > 0)
		scale_latency(&f->publish, 1 / (double)f->latency_windows);
	f->has_e2e = e2e_windows > 0;
	if (f->has_e2e)
		scale_latency(&f->e2e, 1 / (double)e2e_windows);
}
