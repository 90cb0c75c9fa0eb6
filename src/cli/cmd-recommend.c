#include <getopt.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/fileio.h"
#include "base/jsonw.h"
#include "base/serde.h"
#include "base/util.h"
#include "cli/commands.h"
#include "cli/evidence.h"
#include "cli/options.h"
#include "cli/output.h"
#include "cli/plan.h"
#include "cli/report.h"
#include "decide/history.h"
#include "decide/recommend.h"

static const struct opt recommend_opts[] = {
	{OPT_TOP, "top", "N", "show only the best N", NULL},
	{OPT_EXPLAIN, "explain", NULL, "show each score component and its weight", NULL},
	{OPT_MIN_SCORE, "min-score", "X", "exit 3 when the best score is below X", NULL},
	{OPT_EXPECT, "expect", "NAME", "exit 3 when the best backend is not NAME", backend_name_list},
	{'m', "model", "FILE", "predict performance with a model made by bopt train", NULL},
	{OPT_RECORD, "record", "FILE", "append the top choice to the decision history FILE", NULL},
	OPT_END,
};

static opt_groups recommend_options = {
	table_format_opt, recommend_opts, requirement_opts, evaluation_opts, capacity_opts, queueing_opts,
	workload_opts, config_opt, output_opts, help_opt, NULL,
};

const struct command_help recommend_help = {
	.synopsis =
		"usage: bopt recommend (--pattern FILE | --trace FILE...) [OPTIONS]\n"
		"\n"
		"Ranks the backends that meet the workload's requirements by latency against\n"
		"a target, headroom at the peak rate, reliability and cost, weighted; lists\n"
		"the others with the reasons. --scoring reference gives the reference's score.\n",
	.groups = recommend_options,
	.examples =
		"  bopt recommend --trace trace.ndjson.gz\n"
		"  bopt recommend --pattern p.json --metrics omb-result.json --explain\n"
		"  bopt recommend --trace t.ndjson --expect Kafka --min-score 0.8 -q   # CI gate\n"
		"  bopt recommend --trace t.ndjson -f markdown >> $GITHUB_STEP_SUMMARY\n",
};

struct recommend_options {
	enum output_format format;
	bool explain;
	size_t top; // 0: all
	bool has_min_score;
	double min_score;
	bool has_expect;
	enum bopt_backend expect;
	const char *record; // --record HISTORY
	const char *model;  // --model MODEL
	struct requirement_args reqs;
};

// The version of recommend -f json's document (bopt scoring).
#define RECOMMEND_SCHEMA "bopt.recommend/2"

static const char *const component_names[] = {"latency", "throughput", "reliability", "cost"};

// The score components of r with their weights, in component_names order.
static void components(const struct recommendation *r, const struct cost_weights *w,
	double score[4], double weight[4])
{
	score[0] = r->parts.latency;
	score[1] = r->parts.throughput;
	score[2] = r->parts.reliability;
	score[3] = r->parts.cost;
	weight[0] = w->latency;
	weight[1] = w->throughput;
	weight[2] = w->reliability;
	weight[3] = w->resource;
}

static void write_notes(FILE *out, const char *mark, const char *const *notes, size_t n)
{
	if (n == 0)
		return;
	fprintf(out, "      %s ", mark);
	for (size_t i = 0; i < n; i++)
		fprintf(out, "%s%s", i ? ", " : "", notes[i]);
	fputc('\n', out);
}

// The width of the backend column: the longest candidate name.
static int name_width(const struct recommendation *r, size_t n)
{
	char name[METRICS_NAME_MAX];
	int width = REPORT_NAME_WIDTH;
	for (size_t i = 0; i < n; i++) {
		recommend_name(&r[i], name, sizeof(name));
		width = report_widen(width, name);
	}
	return width;
}

static void write_table(FILE *out, const struct evaluation *e, const struct recommend_input *in,
	const struct recommendation *r, size_t n, size_t shown, bool explain)
{
	char reason[256];
	recommend_reason(r, n, in->pattern, reason, sizeof(reason));
	evaluation_describe(out, e);
	if (in->model != NULL)
		report_row(out, "model", "%zu training points (each row's source says what was used)",
			in->model->npoints);
	report_row(out, "recommendation", "%s", reason);
	report_gap(out);
	char name[METRICS_NAME_MAX];
	int width = name_width(r, shown);
	fprintf(out, "%-4s  %-*s  %6s  %9s  %10s  %6s  %10s  %s\n", "rank", width, "backend",
		"score", "p50 ms", "events/s", "cost", "confidence", "source");
	for (size_t i = 0; i < shown; i++) {
		recommend_name(&r[i], name, sizeof(name));
		fprintf(out, "%-4zu  %-*s  %6.4f  %9.6g  %10.6g  %6.4f  %10.3f  %s\n", i + 1, width,
			name, r[i].score, r[i].predicted.measured_latency_p50,
			r[i].predicted.measured_throughput, r[i].cost.total_cost, r[i].confidence,
			r[i].prediction_source);
		write_notes(out, "+", r[i].strengths, r[i].n_strengths);
		write_notes(out, "-", r[i].weaknesses, r[i].n_weaknesses);
		if (recommend_latency_borrowed(&r[i]) != NULL)
			fprintf(out, "      latency from %s\n", recommend_latency_borrowed(&r[i]));
		if (explain) {
			double score[4], weight[4];
			components(&r[i], &in->weights, score, weight);
			fputs("      =", out);
			for (int k = 0; k < 4; k++)
				fprintf(out, "%s %s %.4f x %g", k ? "," : "", component_names[k],
					score[k], weight[k]);
			fputc('\n', out);
		}
	}
}

static void write_string_array(struct jw *w, const char *const *v, size_t n)
{
	jw_array_begin(w);
	for (size_t i = 0; i < n; i++)
		jw_string(w, v[i]);
	jw_array_end(w);
}

static void write_json(FILE *out, const struct recommend_input *in,
	const struct recommendation *r, size_t shown, bool explain)
{
	struct jw w;
	jw_init(&w, true);
	jw_array_begin(&w);
	for (size_t i = 0; i < shown; i++) {
		jw_object_begin(&w);
		jw_key(&w, "rank");
		jw_uint(&w, i + 1);
		jw_key(&w, "backend_type");
		jw_string(&w, backend_name(r[i].backend));
		if (r[i].candidate->label[0] != '\0') {
			jw_key(&w, "configuration");
			jw_string(&w, r[i].candidate->label);
		}
		jw_key(&w, "score");
		jw_double(&w, r[i].score);
		jw_key(&w, "predicted_latency");
		jw_double(&w, r[i].predicted.measured_latency_p50);
		jw_key(&w, "predicted_throughput");
		jw_double(&w, r[i].predicted.measured_throughput);
		jw_key(&w, "predicted_cost");
		jw_double(&w, r[i].cost.total_cost);
		jw_key(&w, "confidence");
		jw_double(&w, r[i].confidence);
		jw_key(&w, "strengths");
		write_string_array(&w, r[i].strengths, r[i].n_strengths);
		jw_key(&w, "weaknesses");
		write_string_array(&w, r[i].weaknesses, r[i].n_weaknesses);
		jw_key(&w, "prediction_source");
		jw_string(&w, r[i].prediction_source);
		if (explain) {
			double score[4], weight[4];
			components(&r[i], &in->weights, score, weight);
			jw_key(&w, "score_components");
			jw_object_begin(&w);
			for (int k = 0; k < 4; k++) {
				jw_key(&w, component_names[k]);
				jw_object_begin(&w);
				jw_key(&w, "score");
				jw_double(&w, score[k]);
				jw_key(&w, "weight");
				jw_double(&w, weight[k]);
				jw_object_end(&w);
			}
			jw_object_end(&w);
		}
		jw_object_end(&w);
	}
	jw_array_end(&w);
	jw_write(&w, out);
	fputc('\n', out);
	jw_release(&w);
}


static const char *const scoring_names[] = {"bopt", "reference"};

static void write_requirements(FILE *out, const struct requirements *q)
{
	report_row(out, "requirements", "%s delivery, %s%s", consistency_name(q->guarantee),
		q->durable ? "durable storage" : "no durable storage", q->ordering ? ", ordering" : "");
	report_row(out, "", "events up to %llu bytes (p99 %llu, %s); peak %.6g events/s, "
		"%.6g bytes/s (%s)", (unsigned long long)q->event_max,
		(unsigned long long)q->event_p99, q->event_from, q->peak_rate, q->peak_bytes,
		q->peak_from);
	if (q->max_p99 > 0)
		report_row(out, "latency", "p99 at most %.6g ms (--max-p99); target %.6g ms (%s)",
			q->max_p99, q->latency_target, q->target_from);
	else
		report_row(out, "latency", "target p99 %.6g ms (%s)", q->latency_target,
			q->target_from);
}

static void write_lines(FILE *out, const char *mark, const char (*notes)[ELIGIBLE_NOTE_LEN],
	size_t n)
{
	for (size_t i = 0; i < n; i++)
		fprintf(out, "      %s %s\n", mark, notes[i]);
}

// --explain: what the predicted latency assumed (bopt(1), QUEUEING).
static void write_queueing(FILE *out, const struct queue_prediction *q,
	const struct queue_arrivals *a)
{
	const struct queue_result *r = &q->queue;
	if (a->keys != NULL)
		fprintf(out, "      ~ keyed by variant: events reach %.6g of %.6g unit%s; the busiest "
			"takes %.3g%% of them\n", r->units_used, r->units, r->units == 1 ? "" : "s",
			100 * r->busiest_share);
	fprintf(out, "      ~ queueing: utilisation %.3g%% (%.3g%% in the busiest %.6g ms window); "
		"%.3g%% of events wait; the wait is %.3g%% of the predicted p99\n",
		100 * r->utilisation, 100 * r->utilisation_peak, r->bin_s * 1e3,
		100 * r->waiting_share, 100 * q->queueing_share);
	fputs("      ~ predicted", out);
	for (int k = 0; k < QUEUE_QUANTILES; k++)
		fprintf(out, "%s %s %.6g ms", k ? "," : "", queue_quantile_names[k],
			q->latency_ms[k]);
	fprintf(out, " (unloaded p99 %.6g ms + wait %.6g ms)\n", q->unloaded_ms[QUEUE_P99],
		r->wait[QUEUE_P99] * 1e3);
}

static void write_bopt_row(FILE *out, const struct recommend_input *in,
	const struct recommendation *r, const char *rank, int width, bool explain)
{
	char facts[RECOMMEND_FACTS][ELIGIBLE_NOTE_LEN], name[METRICS_NAME_MAX];
	recommend_name(r, name, sizeof(name));
	const struct capacity_plan *p = &r->plan;
	char util[16], peak[24] = "";
	snprintf(util, sizeof(util), "%.1f%%", p->utilisation * 100);
	if (in->arrivals != NULL)
		snprintf(peak, sizeof(peak), "  %11s", "-");
	if (r->queued)
		snprintf(peak, sizeof(peak), "  %11.6g", r->queueing.latency_ms[QUEUE_P99]);
	fprintf(out, "%-4s  %-*s  %6.4f  %9.6g  %9.6g%s  %10.6g  %10.2f  %6s  %10.3f  %s\n", rank,
		width, name, r->score, r->predicted.measured_latency_p50,
		r->predicted.measured_latency_p99, peak, r->predicted.measured_throughput, p->total,
		util, r->confidence, r->source);
	recommend_facts(r->backend, facts);
	fprintf(out, "      + %s; %s; %s\n", facts[0], facts[1], facts[2]);
	char size[112];
	plan_size(size, sizeof(size), p, " on ");
	fprintf(out, "      $ %s (%s), $%.2f compute + $%.2f storage + $%.2f requests a month\n",
		size, capacity_bound_name(p->bound), p->compute, p->storage, p->requests);
	write_lines(out, "x", r->eligibility.reasons, r->eligibility.n_reasons);
	write_lines(out, "!", r->eligibility.caveats, r->eligibility.n_caveats);
	if (strcmp(r->source, "reference") == 0)
		fprintf(out, "      from %s\n", backend_profile_source(r->backend));
	if (recommend_latency_borrowed(r) != NULL)
		fprintf(out, "      latency from %s\n", recommend_latency_borrowed(r));
	if (explain) {
		double score[4], weight[4];
		components(r, &in->weights, score, weight);
		for (int k = 0; k < 4; k++)
			fprintf(out, "      = %-11s %.4f x %-4g %s\n", component_names[k], score[k],
				weight[k], r->against[k]);
		if (r->queued)
			write_queueing(out, &r->queueing, in->arrivals);
	}
}

static void write_bopt_table(FILE *out, const struct evaluation *e,
	const struct recommend_input *in, const struct recommendation *r, size_t n, size_t shown,
	bool explain)
{
	char reason[256], rank[24];
	size_t eligible = recommend_eligible(r, n);
	recommend_reason(r, n, in->pattern, reason, sizeof(reason));
	evaluation_describe(out, e);
	write_requirements(out, in->requirements);
	if (in->model != NULL)
		report_row(out, "model", "%zu training points (each row's source says what was used)",
			in->model->npoints);
	report_row(out, "scoring", "bopt (--scoring reference gives the reference's)");
	evaluation_describe_load(out, e);
	evaluation_describe_sizing(out, e);
	report_row(out, "recommendation", "%s", reason);
	report_gap(out);
	int width = name_width(r, n);
	char peak[24] = "";
	if (in->arrivals != NULL)
		snprintf(peak, sizeof(peak), "  %11s", "p99 at peak");
	fprintf(out, "%-4s  %-*s  %6s  %9s  %9s%s  %10s  %10s  %6s  %10s  %s\n", "rank", width,
		"backend", "score", "p50 ms", "p99 ms", peak, "events/s", "$/month", "util", "confidence",
		"source");
	for (size_t i = 0; i < shown; i++) {
		snprintf(rank, sizeof(rank), "%zu", i + 1);
		write_bopt_row(out, in, &r[i], rank, width, explain);
	}
	if (eligible == n)
		return;
	report_gap(out);
	fprintf(out, "not eligible\n");
	for (size_t i = eligible; i < n; i++)
		write_bopt_row(out, in, &r[i], "-", width, explain);
}

static void write_notes_json(struct jw *w, const char (*notes)[ELIGIBLE_NOTE_LEN], size_t n)
{
	for (size_t i = 0; i < n; i++)
		jw_string(w, notes[i]);
}

// The predicted latency of one recommendation and what it assumed.
static void write_queueing_json(struct jw *w, const struct queue_prediction *q,
	const struct queue_arrivals *a)
{
	const struct queue_result *r = &q->queue;
	const char *const keys[] = {"latency_ms", "unloaded_ms", "wait_ms"};
	jw_object_begin(w);
	for (int k = 0; k < 3; k++) {
		jw_key(w, keys[k]);
		jw_object_begin(w);
		for (int i = 0; i < QUEUE_QUANTILES; i++) {
			jw_key(w, queue_quantile_names[i]);
			jw_double(w, k == 0 ? q->latency_ms[i] : k == 1 ? q->unloaded_ms[i] :
				r->wait[i] * 1e3);
		}
		jw_object_end(w);
	}
	const char *const names[] = {"utilisation", "utilisation_peak", "waiting_share",
		"queueing_share", "bin_seconds", "scale", "busiest_share"};
	const double values[] = {r->utilisation, r->utilisation_peak, r->waiting_share,
		q->queueing_share, r->bin_s, a->scale, r->busiest_share};
	for (size_t k = 0; k < sizeof(values) / sizeof(*values); k++) {
		jw_key(w, names[k]);
		jw_double(w, values[k]);
	}
	jw_key(w, "units_used");
	jw_uint(w, (uint64_t)r->units_used);
	jw_key(w, "partition_by");
	jw_string(w, queue_partitioning_name(a->keys != NULL ? QUEUE_BY_VARIANT : QUEUE_ROUND_ROBIN));
	jw_object_end(w);
}

static void write_bopt_recommendation(struct jw *w, const struct metrics_set *m,
	const struct recommend_input *in, const struct price_table *prices,
	const struct recommendation *r, size_t rank)
{
	char facts[RECOMMEND_FACTS][ELIGIBLE_NOTE_LEN];
	double score[4], weight[4];
	jw_object_begin(w);
	if (rank > 0) {
		jw_key(w, "rank");
		jw_uint(w, rank);
	}
	jw_key(w, "backend_type");
	jw_string(w, backend_name(r->backend));
	if (r->candidate->label[0] != '\0') {
		jw_key(w, "configuration");
		jw_string(w, r->candidate->label);
	}
	jw_key(w, "score");
	jw_double(w, r->score);
	jw_key(w, "predicted_latency");
	jw_double(w, r->predicted.measured_latency_p50);
	jw_key(w, "predicted_latency_p99");
	jw_double(w, r->predicted.measured_latency_p99);
	jw_key(w, "predicted_throughput");
	jw_double(w, r->predicted.measured_throughput);
	jw_key(w, "predicted_cost");
	jw_double(w, r->cost.total_cost);
	jw_key(w, "confidence");
	jw_double(w, r->confidence);
	recommend_facts(r->backend, facts);
	jw_key(w, "strengths");
	jw_array_begin(w);
	write_notes_json(w, (const char (*)[ELIGIBLE_NOTE_LEN])facts, RECOMMEND_FACTS);
	jw_array_end(w);
	jw_key(w, "weaknesses");
	jw_array_begin(w);
	write_notes_json(w, r->eligibility.caveats, r->eligibility.n_caveats);
	jw_array_end(w);
	jw_key(w, "prediction_source");
	jw_string(w, r->prediction_source);
	jw_key(w, "source");
	jw_string(w, r->source);
	if (strcmp(r->source, "reference") == 0) {
		jw_key(w, "profile");
		jw_string(w, backend_profile_source(r->backend));
	}
	if (r->candidate->omb) {
		jw_key(w, "omb");
		evidence_write_json(w, m, r->candidate);
	}
	jw_key(w, "eligible");
	jw_bool(w, r->eligibility.eligible);
	jw_key(w, "reasons");
	jw_array_begin(w);
	write_notes_json(w, r->eligibility.reasons, r->eligibility.n_reasons);
	jw_array_end(w);
	jw_key(w, "capacity");
	plan_write_json(w, &r->plan, prices);
	jw_key(w, "queueing");
	if (r->queued)
		write_queueing_json(w, &r->queueing, in->arrivals);
	else
		jw_null(w);
	jw_key(w, "components");
	jw_object_begin(w);
	components(r, &in->weights, score, weight);
	for (int k = 0; k < 4; k++) {
		jw_key(w, component_names[k]);
		jw_object_begin(w);
		jw_key(w, "score");
		jw_double(w, score[k]);
		jw_key(w, "weight");
		jw_double(w, weight[k]);
		jw_key(w, "against");
		jw_string(w, r->against[k]);
		jw_object_end(w);
	}
	jw_object_end(w);
	jw_object_end(w);
}

static void write_requirements_json(struct jw *w, const struct requirements *q)
{
	jw_object_begin(w);
	jw_key(w, "consistency");
	jw_string(w, consistency_name(q->consistency));
	jw_key(w, "guarantee");
	jw_string(w, consistency_name(q->guarantee));
	jw_key(w, "durable");
	jw_bool(w, q->durable);
	jw_key(w, "durable_from");
	jw_string(w, q->durable_from);
	jw_key(w, "ordering");
	jw_bool(w, q->ordering);
	jw_key(w, "event_p99_bytes");
	jw_uint(w, q->event_p99);
	jw_key(w, "event_max_bytes");
	jw_uint(w, q->event_max);
	jw_key(w, "event_from");
	jw_string(w, q->event_from);
	jw_key(w, "peak_events_per_sec");
	jw_double(w, q->peak_rate);
	jw_key(w, "peak_bytes_per_sec");
	jw_double(w, q->peak_bytes);
	jw_key(w, "peak_from");
	jw_string(w, q->peak_from);
	jw_key(w, "max_p99_ms");
	if (q->max_p99 > 0)
		jw_double(w, q->max_p99);
	else
		jw_null(w);
	jw_key(w, "latency_target_ms");
	jw_double(w, q->latency_target);
	jw_key(w, "latency_target_from");
	jw_string(w, q->target_from);
	jw_object_end(w);
}

static void write_bopt_json(FILE *out, const struct evaluation *e,
	const struct recommend_input *in, const struct recommendation *r, size_t n, size_t shown)
{
	struct jw w;
	size_t eligible = recommend_eligible(r, n);
	jw_init(&w, true);
	jw_object_begin(&w);
	jw_key(&w, "schema");
	jw_string(&w, RECOMMEND_SCHEMA);
	jw_key(&w, "workload");
	serde_write_pattern(&w, in->pattern);
	jw_key(&w, "requirements");
	write_requirements_json(&w, in->requirements);
	jw_key(&w, "performance");
	jw_object_begin(&w);
	const char *kinds[] = {"measured", "reference"};
	for (int k = 0; k < 2; k++) {
		jw_key(&w, kinds[k]);
		jw_array_begin(&w);
		for (size_t i = 0; i < e->metrics.n; i++) {
			const struct metrics_candidate *c = &e->metrics.c[i];
			// Backends once each: a backend's candidates are adjacent.
			if (c->builtin == (k == 1) && (i == 0 || e->metrics.c[i - 1].backend != c->backend))
				jw_string(&w, backend_name(c->backend));
		}
		jw_array_end(&w);
	}
	jw_object_end(&w);
	jw_key(&w, "scoring");
	jw_string(&w, scoring_names[in->scoring]);
	jw_key(&w, "recommendations");
	jw_array_begin(&w);
	for (size_t i = 0; i < shown; i++)
		write_bopt_recommendation(&w, &e->metrics, in, &e->prices, &r[i], i + 1);
	jw_array_end(&w);
	jw_key(&w, "ineligible");
	jw_array_begin(&w);
	for (size_t i = eligible; i < n; i++)
		write_bopt_recommendation(&w, &e->metrics, in, &e->prices, &r[i], 0);
	jw_array_end(&w);
	jw_object_end(&w);
	jw_write(&w, out);
	fputc('\n', out);
	jw_release(&w);
}

// The columns of the CSV, NDJSON and Markdown rows; write_rows fills them
// in this order.
static const struct table_column row_columns[] = {
	TABLE_INTEGER("rank"),
	TABLE_TEXT("backend_type"),
	TABLE_TEXT("configuration"),
	TABLE_NUMBER("score", "%.4f"),
	TABLE_NUMBER("predicted_latency", "%.6g"),
	TABLE_NUMBER("p99_at_peak", "%.6g"),
	TABLE_NUMBER("predicted_throughput", "%.6g"),
	TABLE_NUMBER("predicted_cost", "%.4f"),
	TABLE_NUMBER("confidence", "%.3f"),
	TABLE_TEXT("prediction_source"),
	TABLE_TEXT("strengths"),
	TABLE_TEXT("weaknesses"),
};

// The notes joined by "; ".
static void table_notes(struct table *t, const char *const *notes, size_t n)
{
	size_t len = 1;
	for (size_t i = 0; i < n; i++)
		len += strlen(notes[i]) + 2;
	char *s = xmalloc(len);
	s[0] = '\0';
	for (size_t i = 0; i < n; i++)
		strcat(strcat(s, i ? "; " : ""), notes[i]);
	table_text(t, s);
	free(s);
}

// The rows of the ranking (bopt scoring: the eligible backends shown, with
// their facts as strengths and their caveats as weaknesses).
static void write_rows(FILE *out, const struct recommend_input *in,
	const struct recommendation *r, size_t shown, enum output_format f)
{
	struct table t;
	table_init(&t, row_columns, sizeof(row_columns) / sizeof(*row_columns));
	for (size_t i = 0; i < shown; i++) {
		char facts[RECOMMEND_FACTS][ELIGIBLE_NOTE_LEN];
		const char *strengths[RECOMMEND_FACTS], *caveats[ELIGIBLE_NOTES_MAX];
		const char *const *s = r[i].strengths, *const *w = r[i].weaknesses;
		size_t ns = r[i].n_strengths, nw = r[i].n_weaknesses;
		if (in->scoring != SCORING_REFERENCE) {
			recommend_facts(r[i].backend, facts);
			for (size_t k = 0; k < RECOMMEND_FACTS; k++)
				strengths[k] = facts[k];
			for (size_t k = 0; k < r[i].eligibility.n_caveats; k++)
				caveats[k] = r[i].eligibility.caveats[k];
			s = strengths;
			ns = RECOMMEND_FACTS;
			w = caveats;
			nw = r[i].eligibility.n_caveats;
		}
		table_number(&t, (double)(i + 1));
		table_text(&t, backend_name(r[i].backend));
		table_text(&t, r[i].candidate->label);
		table_number(&t, r[i].score);
		table_number(&t, r[i].predicted.measured_latency_p50);
		// Predicted by the queueing model; none (NaN: empty, null) without a trace.
		table_number(&t, r[i].queued ? r[i].queueing.latency_ms[QUEUE_P99] : NAN);
		table_number(&t, r[i].predicted.measured_throughput);
		table_number(&t, r[i].cost.total_cost);
		table_number(&t, r[i].confidence);
		table_text(&t, r[i].prediction_source);
		table_notes(&t, s, ns);
		table_notes(&t, w, nw);
	}
	table_write(out, &t, f);
	table_release(&t);
}

// The CI policies of --min-score and --expect on the full ranking.
// Appends the top choice to the history file as an OptimizationDecision.
static bool record_decision(const char *path, const struct recommend_input *in,
	const struct recommendation *r, size_t n)
{
	if (n == 0) {
		bopt_warn("%s: nothing recorded: no backend was evaluated", path);
		return false;
	}
	if (recommend_eligible(r, n) == 0) {
		bopt_warn("%s: nothing recorded: no backend meets the requirements", path);
		return false;
	}
	char reason[256], err[BOPT_ERR_MAX];
	recommend_reason(r, n, in->pattern, reason, sizeof(reason));
	struct bopt_decision d;
	history_decision_init(&d, in->now, in->pattern, &r[0].predicted, &r[0].cost,
		r[0].confidence, xstrdup(reason));
	bool ok = history_record(path, &d, err);
	if (!ok)
		bopt_warn("%s", err);
	history_decision_release(&d);
	return ok;
}

// The CI policies of --min-score and --expect on the full ranking.
static int check_policies(const struct recommend_options *ro, const struct recommendation *r,
	size_t n)
{
	int status = BOPT_EXIT_OK;
	if (n > 0 && recommend_eligible(r, n) == 0) {
		bopt_warn("no backend meets the requirements");
		return BOPT_EXIT_POLICY;
	}
	if (ro->has_min_score && (n == 0 || !(r[0].score >= ro->min_score))) {
		bopt_warn("best score %.4f is below --min-score %g", n ? r[0].score : 0.0,
			ro->min_score);
		status = BOPT_EXIT_POLICY;
	}
	if (ro->has_expect && (n == 0 || r[0].backend != ro->expect)) {
		bopt_warn("best backend is %s, not %s (--expect)",
			n ? backend_name(r[0].backend) : "none", backend_name(ro->expect));
		status = BOPT_EXIT_POLICY;
	}
	return status;
}

// Handles one option of recommend's own: 1 when it was one, 0 when not,
// -1 when its value is bad (printed).
static int recommend_option(void *ctx, int opt, const char *arg)
{
	struct recommend_options *ro = ctx;
	switch (opt) {
	case OPT_TOP:
		if (!parse_size(arg, &ro->top) || ro->top < 1) {
			bopt_warn("invalid --top '%s' (expected a whole number from 1)", arg);
			return -1;
		}
		return 1;
	case OPT_EXPLAIN:
		ro->explain = true;
		return 1;
	case OPT_MIN_SCORE:
		if (!parse_double(arg, &ro->min_score)) {
			bopt_warn("invalid --min-score '%s' (expected a number)", arg);
			return -1;
		}
		ro->has_min_score = true;
		return 1;
	case OPT_EXPECT:
		if (!evaluation_parse_backend("--expect", arg, &ro->expect))
			return -1;
		ro->has_expect = true;
		return 1;
	case OPT_RECORD:
		ro->record = arg;
		return 1;
	case 'm':
		ro->model = arg;
		return 1;
	default:
		return requirement_option(&ro->reqs, opt, arg);
	}
}

int cmd_recommend(int argc, char *argv[])
{
	struct evaluation_options eo;
	struct evaluation e = {0};
	struct recommend_options ro = {0};
	struct recommendation *r = NULL;
	struct requirements req;
	requirement_args_init(&ro.reqs);
	struct bopt_model model;
	model_init(&model);
	evaluation_options_init(&eo);
	struct output o = {0};
	struct format_choice f = {table_format_opt, FORMAT_TABLE, NULL};
	const struct opt_handler handlers[] = {
		{format_option, &f}, {output_option, &o}, {recommend_option, &ro},
		{evaluation_option, &eo}, OPT_HANDLERS_END,
	};
	int status = opt_parse(argc, argv, &recommend_help, handlers);
	if (status != OPT_PARSED)
		goto out;
	status = BOPT_EXIT_USAGE;
	ro.format = f.format;
	struct recommend_input in;
	if (o.quiet)
		eo.workload.trace.progress = NULL;
	status = evaluation_begin(&eo, argc - optind, &e, &in);
	if (status != BOPT_EXIT_OK)
		goto out;
	// After evaluation_begin: the configuration may set the scoring.
	if (!requirement_args_check(&ro.reqs, &eo)) {
		status = BOPT_EXIT_USAGE;
		goto out;
	}
	requirement_apply(&ro.reqs, &e, &req);
	in.requirements = &req;
	if (ro.model != NULL) {
		char err[BOPT_ERR_MAX];
		model.min_points = eo.config.min_samples_for_prediction;
		if (!model_load_existing(&model, ro.model, err)) {
			bopt_warn("%s", err);
			status = BOPT_EXIT_FAILURE;
			goto out;
		}
		in.model = &model;
	}
	r = xcalloc(metrics_count(&e.metrics) + 1, sizeof(*r));
	size_t n = recommend_rank(&in, r);
	// Record before printing: a reader that goes away (SIGPIPE once the
	// output outgrows the stdout buffer) must not lose the decision. When
	// the history is standard output itself (--record /dev/stdout), the
	// table goes out first and the record follows it.
	bool record_last = ro.record != NULL && file_is_stdout(ro.record);
	bool recorded = ro.record == NULL || record_last || record_decision(ro.record, &in, r, n);
	size_t shown;
	FILE *out = output_stream(&o);
	if (in.scoring == SCORING_REFERENCE) {
		shown = ro.top && ro.top < n ? ro.top : n;
		if (ro.format == FORMAT_JSON)
			write_json(out, &in, r, shown, ro.explain);
		else if (ro.format == FORMAT_TABLE)
			write_table(out, &e, &in, r, n, shown, ro.explain);
	} else {
		size_t eligible = recommend_eligible(r, n);
		shown = ro.top && ro.top < eligible ? ro.top : eligible;
		if (ro.format == FORMAT_JSON)
			write_bopt_json(out, &e, &in, r, n, shown);
		else if (ro.format == FORMAT_TABLE)
			write_bopt_table(out, &e, &in, r, n, shown, ro.explain);
	}
	if (ro.format != FORMAT_JSON && ro.format != FORMAT_TABLE)
		write_rows(out, &in, r, shown, ro.format);
	if (record_last) {
		fflush(out);
		recorded = record_decision(ro.record, &in, r, n);
	}
	if (!recorded) {
		status = BOPT_EXIT_FAILURE;
		goto out;
	}
	status = check_policies(&ro, r, n);
out:
	status = output_finish(&o, status);
	free(r);
	model_destroy(&model);
	evaluation_release(&e);
	evaluation_options_release(&eo);
	return status;
}
