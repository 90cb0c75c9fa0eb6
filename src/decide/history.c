#include "decide/history.h"

#include <cjson/cJSON.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/fileio.h"
#include "base/input.h"
#include "base/jsonscan.h"
#include "base/serde.h"
#include "base/util.h"
#include "decide/model.h"

void history_decision_init(struct bopt_decision *d, int64_t timestamp,
	const struct bopt_pattern *pattern, const struct bopt_performance *predicted,
	const struct bopt_cost *cost, double confidence, char *reason)
{
	*d = (struct bopt_decision){
		.timestamp = timestamp,
		.selected_backend = predicted->backend_type,
		.workload_pattern = *pattern,
		.predicted_performance = *predicted,
		.cost_model = *cost,
		.confidence = confidence,
		.reason = reason,
	};
	const char *name = pattern->temporal_distribution.name;
	d->workload_pattern.temporal_distribution.name = name ? xstrdup(name) : NULL;
}

void history_decision_release(struct bopt_decision *d)
{
	pattern_release(&d->workload_pattern);
	free(d->reason);
	*d = (struct bopt_decision){0};
}

/* One decision, one line. */

void history_write_decision(struct jw *w, const struct bopt_decision *d)
{
	jw_object_begin(w);
	jw_key(w, "timestamp");
	jw_time(w, d->timestamp);
	jw_key(w, "selected_backend");
	jw_string(w, backend_name(d->selected_backend));
	jw_key(w, "workload_pattern");
	serde_write_pattern(w, &d->workload_pattern);
	jw_key(w, "predicted_performance");
	serde_write_performance(w, &d->predicted_performance);
	jw_key(w, "cost_model");
	serde_write_cost(w, &d->cost_model, d->selected_backend);
	jw_key(w, "confidence");
	jw_double(w, d->confidence);
	jw_key(w, "reason");
	jw_string(w, d->reason ? d->reason : "");
	jw_object_end(w);
}

char *history_format(const struct bopt_decision *d, size_t *len)
{
	struct jw w;
	jw_init(&w, false);
	history_write_decision(&w, d);
	char *text = jw_take(&w, len);
	text = xrealloc(text, *len + 2);
	text[(*len)++] = '\n';
	text[*len] = '\0';
	return text;
}

// The first line of a history is a decision: appending to anything else (a
// model file, a trace) would damage it.
static bool history_head_ok(const char *line, size_t len, char *why)
{
	struct bopt_decision d;
	char reason[BOPT_ERR_MAX];
	enum history_line kind = history_parse_line(line, len, &d, reason);
	history_decision_release(&d);
	if (kind != HISTORY_LINE_INVALID)
		return true;
	struct serde_parse_error pe;
	cJSON *doc = serde_parse(line, len, &pe);
	const cJSON *format = cJSON_GetObjectItemCaseSensitive(doc, "format");
	bool model = cJSON_IsString(format) && strcmp(format->valuestring, MODEL_FORMAT) == 0;
	cJSON_Delete(doc);
	if (model)
		return bopt_errf(why, "a bopt model file, not a decision history");
	return bopt_errf(why, "not a decision history (line 1: %s)", reason);
}

bool history_record(const char *path, const struct bopt_decision *d, char *err)
{
	size_t len;
	char *line = history_format(d, &len);
	// Only what stats can read back goes into a history (no NaN as null,
	// no confidence out of range).
	struct bopt_decision check;
	char why[BOPT_ERR_MAX];
	bool ok = history_parse_line(line, len - 1, &check, why) == HISTORY_LINE_DECISION;
	history_decision_release(&check);
	if (!ok)
		bopt_errf(err, "%s: not recording an invalid decision: %s", path, why);
	else
		ok = file_append_checked(path, line, len, history_head_ok, err);
	free(line);
	return ok;
}

// Adds the name of the object being read to a nested reader's message.
static bool nested_failure(const char *key, char *err)
{
	char why[BOPT_ERR_MAX];
	memcpy(why, err, sizeof(why));
	return bopt_errf(err, "%s: %s", key, why);
}

static bool read_decision(const cJSON *j, struct bopt_decision *d, char *err)
{
	if (!cJSON_IsObject(j))
		return bopt_errf(err, "a decision must be a JSON object");
	if (!serde_get_time(j, "timestamp", &d->timestamp, err) ||
			!serde_get_backend(j, "selected_backend", &d->selected_backend, err))
		return false;
	const cJSON *v = serde_get_object(j, "workload_pattern", err);
	if (v == NULL)
		return false;
	if (!serde_read_pattern(v, &d->workload_pattern, err))
		return nested_failure("workload_pattern", err);
	if ((v = serde_get_object(j, "predicted_performance", err)) == NULL)
		return false;
	if (!serde_read_performance(v, &d->predicted_performance, err))
		return nested_failure("predicted_performance", err);
	if ((v = serde_get_object(j, "cost_model", err)) == NULL)
		return false;
	if (!serde_read_cost(v, &d->cost_model, err))
		return nested_failure("cost_model", err);
	if (!serde_get_number(j, "confidence", &d->confidence, err))
		return false;
	if (d->confidence < 0 || d->confidence > 1)
		return bopt_errf(err, "field \"confidence\" must be from 0 to 1");
	const char *reason = serde_get_string(j, "reason", err);
	if (reason == NULL)
		return false;
	d->reason = xstrdup(reason);
	return true;
}

enum history_line history_parse_line(const char *line, size_t len, struct bopt_decision *d,
	char *err)
{
	*d = (struct bopt_decision){0};
	struct js s;
	js_init(&s, line, len);
	js_skip_ws(&s);
	if (s.p == s.end)
		return HISTORY_LINE_BLANK;
	struct serde_parse_error pe;
	cJSON *doc = serde_parse(line, len, &pe);
	if (doc == NULL) {
		bopt_errf(err, "invalid JSON at column %zu: %s", pe.column, pe.reason);
		return HISTORY_LINE_INVALID;
	}
	bool ok = read_decision(doc, d, err);
	cJSON_Delete(doc);
	return ok ? HISTORY_LINE_DECISION : HISTORY_LINE_INVALID;
}

/* The window and its stats. */

void history_window_init(struct history_window *w, size_t limit)
{
	*w = (struct history_window){.limit = limit > 0 ? limit : 1};
}

void history_window_add(struct history_window *w, const struct bopt_decision *d)
{
	struct history_entry e = {
		.timestamp = d->timestamp,
		.backend = d->selected_backend,
		.confidence = d->confidence,
		.latency_p50 = d->predicted_performance.measured_latency_p50,
		.throughput = d->predicted_performance.measured_throughput,
	};
	if (w->count == w->limit) {
		// Full: the newest replaces the oldest.
		w->ring[w->head] = e;
		w->head = (w->head + 1) % w->limit;
		return;
	}
	// Filling: entries sit in order from ring[0], growing up to limit.
	if (w->count == w->cap) {
		w->cap = w->cap == 0 ? 16 : w->cap * 2;
		if (w->cap > w->limit)
			w->cap = w->limit;
		w->ring = xrealloc(w->ring, w->cap * sizeof(*w->ring));
	}
	w->ring[w->count++] = e;
}

void history_window_release(struct history_window *w)
{
	free(w->ring);
	*w = (struct history_window){0};
}

static const struct history_entry *window_at(const struct history_window *w, size_t k)
{
	return &w->ring[(w->head + k) % w->cap];
}

// Mean predicted p50 and throughput of the n entries from the k-th.
static void group_means(const struct history_window *w, size_t k, size_t n,
	double *latency, double *throughput)
{
	double lat = 0, thr = 0;
	for (size_t i = k; i < k + n; i++) {
		lat += window_at(w, i)->latency_p50;
		thr += window_at(w, i)->throughput;
	}
	*latency = lat / (double)n;
	*throughput = thr / (double)n;
}

// change / base × 100, when base is non-zero and the result finite.
static bool percent_of(double change, double base, double *out)
{
	if (base == 0)
		return false;
	*out = change / base * 100.0;
	return isfinite(*out);
}

void history_window_stats(const struct history_window *w, struct bopt_stats *out)
{
	*out = (struct bopt_stats){.total_decisions = w->count};
	if (w->count == 0)
		return;
	double confidence = 0;
	for (size_t k = 0; k < w->count; k++) {
		const struct history_entry *e = window_at(w, k);
		if (out->backend_usage[e->backend]++ == 0)
			out->active_backends++;
		confidence += e->confidence;
	}
	out->average_confidence = confidence / (double)w->count;
	out->has_last_optimization = true;
	out->last_optimization = window_at(w, w->count - 1)->timestamp;

	// Recent: the last 10; older: the first min(10, n - 10). The reference
	// also computes with an empty older group (NaN); bopt leaves it out.
	if (w->count <= HISTORY_RECENT_COUNT)
		return;
	size_t older_n = w->count - HISTORY_RECENT_COUNT;
	if (older_n > HISTORY_RECENT_COUNT)
		older_n = HISTORY_RECENT_COUNT;
	double old_lat, old_thr, new_lat, new_thr;
	group_means(w, 0, older_n, &old_lat, &old_thr);
	group_means(w, w->count - HISTORY_RECENT_COUNT, HISTORY_RECENT_COUNT, &new_lat, &new_thr);
	out->has_latency_improvement =
		percent_of(old_lat - new_lat, old_lat, &out->latency_improvement_percent);
	out->has_throughput_improvement =
		percent_of(new_thr - old_thr, old_thr, &out->throughput_improvement_percent);
}

/* Reading histories. */

static bool read_history(const char *path, const struct history_read_options *o,
	struct history_window *w, uint64_t *skipped, char *err)
{
	struct input_lines r;
	bool ok = false;
	int rc = -1;
	if (!input_lines_open(&r, path, HISTORY_MAX_LINE, err))
		goto out;
	const char *line;
	size_t len;
	char why[BOPT_ERR_MAX];
	while ((rc = input_lines_next(&r, &line, &len, err)) > 0) {
		struct bopt_decision d;
		enum history_line kind = history_parse_line(line, len, &d, why);
		if (kind == HISTORY_LINE_DECISION)
			history_window_add(w, &d);
		history_decision_release(&d);
		if (kind != HISTORY_LINE_INVALID)
			continue;
		if (r.unterminated && js_is_cut(line, len)) {
			// An append in progress, or killed mid-write (the next one
			// cuts it off): not a decision yet.
			bopt_warn("%s:%llu: ignoring an unfinished last line (an interrupted append)",
				r.in.name, (unsigned long long)r.line);
			continue;
		}
		if (!o->skip_invalid) {
			bopt_errf(err, "%s:%llu: %s", r.in.name, (unsigned long long)r.line, why);
			goto out;
		}
		(*skipped)++;
	}
	ok = rc == 0;
out:
	input_lines_close(&r);
	return ok;
}

bool history_read_stats(char *const *paths, size_t npaths, const struct history_read_options *o,
	struct bopt_stats *out, uint64_t *skipped, char *err)
{
	static char *const stdin_path[] = {"-"};
	if (npaths == 0) {
		paths = stdin_path;
		npaths = 1;
	}
	struct history_window w;
	history_window_init(&w, o->last);
	*skipped = 0;
	bool ok = true;
	for (size_t i = 0; i < npaths && ok; i++)
		ok = read_history(paths[i], o, &w, skipped, err);
	if (ok)
		history_window_stats(&w, out);
	history_window_release(&w);
	return ok;
}

void history_write_stats_members(struct jw *w, const struct bopt_stats *s)
{
	jw_key(w, "total_decisions");
	jw_uint(w, s->total_decisions);
	jw_key(w, "backend_usage");
	jw_object_begin(w);
	for (int b = 0; b < BOPT_BACKEND_COUNT; b++) {
		if (s->backend_usage[b] == 0)
			continue;
		jw_key(w, backend_name((enum bopt_backend)b));
		jw_uint(w, s->backend_usage[b]);
	}
	jw_object_end(w);
	jw_key(w, "average_confidence");
	jw_double(w, s->average_confidence);
	jw_key(w, "performance_improvements");
	jw_object_begin(w);
	if (s->has_latency_improvement) {
		jw_key(w, "latency_improvement_percent");
		jw_double(w, s->latency_improvement_percent);
	}
	if (s->has_throughput_improvement) {
		jw_key(w, "throughput_improvement_percent");
		jw_double(w, s->throughput_improvement_percent);
	}
	jw_object_end(w);
	jw_key(w, "active_backends");
	jw_uint(w, s->active_backends);
	jw_key(w, "last_optimization");
	if (s->has_last_optimization)
		jw_time(w, s->last_optimization);
	else
		jw_null(w);
}
