#include "cli/evidence.h"

#include <string.h>

#include "cli/report.h"
#include "decide/backend.h"

static void describe_run(FILE *out, const struct omb_run *r)
{
	report_row(out, "omb run", "%s: %s%s%s%s, %s: %s", r->file, backend_name(r->backend),
		r->label[0] ? " (" : "", r->label, r->label[0] ? ")" : "", omb_kind_name(r->kind),
		r->why);
}

// "p50 3.004, p95 4.1, p99 5.434, p99.9 12 ms"
static void write_latency(char *buf, size_t len, const struct omb_latency *l)
{
	int k = snprintf(buf, len, "p50 %.6g, p95 %.6g, p99 %.6g", l->p50, l->p95, l->p99);
	if (k >= 0 && (size_t)k < len)
		snprintf(buf + k, len - (size_t)k, l->p999 >= 0 ? ", p99.9 %.6g ms" : " ms", l->p999);
}

// Which runs gave a candidate's latency and capacity.
static void describe_figures(FILE *out, const struct metrics_candidate *c, uint64_t event_size)
{
	const struct omb_figures *f = &c->figures;
	const struct omb_run *r = f->capacity_from;
	char name[METRICS_NAME_MAX], e2e[128], pub[128];
	metrics_candidate_name(c, name, sizeof(name));
	if (c->latency_from == METRICS_LATENCY_PROFILE) {
		report_row(out, name, "latency: no latency run of %s (saturated and throughput runs "
			"give none); the built-in profile's p50 %.6g, p99 %.6g ms, not measured end to end",
			backend_name(c->backend), c->perf.measured_latency_p50,
			c->perf.measured_latency_p99);
	} else {
		const struct omb_figures *l = c->latency_from == METRICS_LATENCY_OWN ? f : &c->borrowed;
		char from[96];
		write_latency(pub, sizeof(pub), &l->publish);
		write_latency(e2e, sizeof(e2e), &l->e2e);
		snprintf(from, sizeof(from), "from %zu latency run%s%s, %llu windows", l->latency_runs,
			l->latency_runs == 1 ? "" : "s", c->latency_from == METRICS_LATENCY_OWN ? "" :
			" of its backend's other configurations", (unsigned long long)l->latency_windows);
		if (l->has_e2e)
			report_row(out, name, "latency: end-to-end %s; publish %s; %s", e2e, pub, from);
		else
			report_row(out, name, "latency: publish %s; %s", pub, from);
	}
	report_row(out, "", "capacity: %s%.0f msg/s %s %s, %.6g-byte messages%s",
		f->capacity_lower_bound ? "at least " : "", f->capacity_msgs,
		r->kind == OMB_SATURATED_RUN ? "consumed in" : "published in", r->file, r->message_size,
		r->size_stated ? "" : " (assumed: OMB's stock payload)");
	char flag[96] = "";
	if (f->size_far)
		snprintf(flag, sizeof(flag), "; message sizes differ by more than %gx: a rough "
			"comparison", OMB_SIZE_RATIO_FLAG);
	if (event_size > 0 && f->size_scale != 1)
		report_row(out, "", "scaled by bytes/s to %.6g events/s of %llu bytes (x%.4g)%s",
			f->capacity_events, (unsigned long long)event_size, f->size_scale, flag);
}

void evidence_describe(FILE *out, const struct metrics_set *m, uint64_t event_size)
{
	for (size_t i = 0; i < m->n_runs; i++)
		describe_run(out, &m->runs[i]);
	for (size_t i = 0; i < m->n; i++)
		if (m->c[i].omb)
			describe_figures(out, &m->c[i], event_size);
}

static const char *const latency_from_names[] = {
	[METRICS_LATENCY_OWN] = "latency runs",
	[METRICS_LATENCY_BACKEND] = "other configurations' latency runs",
	[METRICS_LATENCY_PROFILE] = "built-in profile",
};

static void write_percentiles(struct jw *w, bool has, const struct omb_latency *l)
{
	if (!has) {
		jw_null(w);
		return;
	}
	jw_object_begin(w);
	jw_key(w, "p50");
	jw_double(w, l->p50);
	jw_key(w, "p95");
	jw_double(w, l->p95);
	jw_key(w, "p99");
	jw_double(w, l->p99);
	jw_key(w, "p99_9");
	if (l->p999 >= 0)
		jw_double(w, l->p999);
	else
		jw_null(w);
	jw_object_end(w);
}

// Whether run r gave c's latency.
static bool gave_latency(const struct metrics_candidate *c, const struct omb_run *r)
{
	if (r->kind != OMB_LATENCY_RUN || r->backend != c->backend)
		return false;
	return c->latency_from == METRICS_LATENCY_BACKEND ||
		(c->latency_from == METRICS_LATENCY_OWN && strcmp(r->label, c->label) == 0);
}

static void write_run(struct jw *w, const struct omb_run *r)
{
	jw_object_begin(w);
	jw_key(w, "file");
	jw_string(w, r->file);
	jw_key(w, "kind");
	jw_string(w, omb_kind_name(r->kind));
	jw_key(w, "why");
	jw_string(w, r->why);
	jw_key(w, "windows");
	jw_uint(w, r->windows);
	jw_key(w, "publish_rate");
	jw_double(w, r->publish_rate);
	jw_key(w, "consume_rate");
	jw_double(w, r->consume_rate);
	jw_key(w, "message_size");
	jw_double(w, r->message_size);
	jw_key(w, "message_size_stated");
	jw_bool(w, r->size_stated);
	jw_object_end(w);
}

void evidence_write_json(struct jw *w, const struct metrics_set *m,
	const struct metrics_candidate *c)
{
	const struct omb_figures *f = &c->figures;
	const struct omb_figures *l = c->latency_from == METRICS_LATENCY_BACKEND ? &c->borrowed : f;
	bool measured = c->latency_from != METRICS_LATENCY_PROFILE;
	jw_object_begin(w);
	jw_key(w, "runs");
	jw_array_begin(w);
	for (size_t i = 0; i < m->n_runs; i++)
		if (m->runs[i].backend == c->backend && strcmp(m->runs[i].label, c->label) == 0)
			write_run(w, &m->runs[i]);
	jw_array_end(w);
	jw_key(w, "latency");
	jw_object_begin(w);
	jw_key(w, "from");
	jw_string(w, latency_from_names[c->latency_from]);
	jw_key(w, "files");
	jw_array_begin(w);
	for (size_t i = 0; i < m->n_runs; i++)
		if (gave_latency(c, &m->runs[i]))
			jw_string(w, m->runs[i].file);
	jw_array_end(w);
	jw_key(w, "end_to_end_ms");
	write_percentiles(w, measured && l->has_e2e, &l->e2e);
	jw_key(w, "publish_ms");
	write_percentiles(w, measured, &l->publish);
	jw_object_end(w);
	jw_key(w, "capacity");
	jw_object_begin(w);
	jw_key(w, "file");
	jw_string(w, f->capacity_from->file);
	jw_key(w, "kind");
	jw_string(w, omb_kind_name(f->capacity_from->kind));
	jw_key(w, "lower_bound");
	jw_bool(w, f->capacity_lower_bound);
	jw_key(w, "messages_per_sec");
	jw_double(w, f->capacity_msgs);
	jw_key(w, "events_per_sec");
	jw_double(w, f->capacity_events);
	jw_key(w, "size_scale");
	jw_double(w, f->size_scale);
	jw_key(w, "sizes_far_apart");
	jw_bool(w, f->size_far);
	jw_object_end(w);
	jw_object_end(w);
}
