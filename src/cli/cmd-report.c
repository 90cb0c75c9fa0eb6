#include <getopt.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/sha256.h"
#include "base/timestamp.h"
#include "base/util.h"
#include "cli/commands.h"
#include "cli/config.h"
#include "cli/options.h"
#include "cli/output.h"
#include "cli/plan.h"
#include "cli/plot.h"
#include "cli/report.h"
#include "cli/svg.h"
#include "decide/recommend.h"

static opt_groups report_options = {
	requirement_opts, evaluation_opts, capacity_opts, queueing_opts, workload_opts, config_opt, output_opts,
	help_opt, NULL,
};

const struct command_help report_help = {
	.synopsis =
		"usage: bopt report (--pattern FILE | --trace FILE... | --summary FILE...)\n"
		"                   [-o FILE] [OPTIONS]\n"
		"\n"
		"Writes one self-contained HTML page for a capacity review: the workload's\n"
		"pictures (rate over time, inter-arrival times, event sizes, variants), the\n"
		"ranking as recommend makes it with each score's components, the backends\n"
		"that are not eligible and why, and where every input came from.\n",
	.groups = report_options,
	.examples =
		"  bopt report --trace trace.ndjson.gz -o report.html\n"
		"  bopt report --trace t.ndjson --metrics omb-result.json --max-p99 20 -o review.html\n",
};

// The page's style: readable at 1280 px, and on paper (no backgrounds lost,
// no chart cut across pages).
static const char page_style[] =
	"body{font-family:sans-serif;color:#222;max-width:1000px;margin:1.5em auto;"
	"padding:0 1em;line-height:1.4}\n"
	"h1{font-size:1.6em;margin-bottom:.2em}h2{border-bottom:2px solid #0072B2;"
	"padding-bottom:.1em;margin-top:1.6em}\n"
	"table{border-collapse:collapse;margin:.6em 0}th,td{padding:.15em .7em;"
	"border-bottom:1px solid #ddd;text-align:left;vertical-align:top}\n"
	"td.n,th.n{text-align:right;font-variant-numeric:tabular-nums}\n"
	"figure{margin:1em 0}svg{max-width:100%;height:auto}\n"
	".verdict{font-size:1.15em;background:#eef5fb;padding:.6em .8em;"
	"border-left:4px solid #0072B2}\n"
	".note{color:#555;font-size:.9em}code{font-size:.9em;word-break:break-all}\n"
	"@media print{body{max-width:none;margin:0}figure,table,section{break-inside:avoid}"
	".verdict{-webkit-print-color-adjust:exact;print-color-adjust:exact}}\n";

static const char *const component_names[] = {"latency", "throughput", "reliability", "cost"};

#define esc svg_escape

// A row of a key-value table, the value escaped.
static void kv(FILE *out, const char *key, const char *fmt, ...) BOPT_PRINTF(3, 4);
static void kv(FILE *out, const char *key, const char *fmt, ...)
{
	char buf[1024];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(buf, sizeof(buf), fmt, ap);
	va_end(ap);
	fputs("<tr><th>", out);
	esc(out, key);
	fputs("</th><td>", out);
	esc(out, buf);
	fputs("</td></tr>\n", out);
}

static void write_workload_table(FILE *out, const struct evaluation *e)
{
	const struct bopt_pattern *p = &e->pattern;
	fputs("<table>\n", out);
	kv(out, "pattern", "%s", pattern_type_name(p->pattern_type));
	kv(out, "event rate", "%.6g events/s", p->event_rate);
	kv(out, "event size", "%llu bytes", (unsigned long long)p->event_size_bytes);
	kv(out, "consistency", "%s", consistency_name(p->consistency_requirements));
	const struct workload_analysis *a = e->analysis;
	if (a != NULL) {
		const struct bopt_summary *s = &a->summary;
		const struct bopt_features *f = &a->features;
		char t1[BOPT_TS_MAX], t2[BOPT_TS_MAX];
		ts_format(s->t_min, t1);
		ts_format(s->t_max, t2);
		kv(out, "why", "%s", f->reason);
		kv(out, "events", "%llu (%llu bytes)", (unsigned long long)s->events,
			(unsigned long long)s->bytes);
		kv(out, "time span", "%s .. %s (%.6g s)", t1, t2, f->span_seconds);
		kv(out, "peak rate", "%llu events in one second",
			(unsigned long long)summary_peak_rate(s));
		kv(out, "inter-arrival", "mean %.6g ms, std dev %.6g ms, CV %.3f", f->gap_mean_ms,
			f->gap_std_ms, f->gap_cv);
		if (f->periodic)
			kv(out, "periodicity", "%.6g s (autocorrelation %.2f)", f->period_s,
				f->period_acf);
		if (f->batches)
			kv(out, "batches", "%.6g events every %.6g s", f->batch_mean_size,
				f->batch_interval_s);
		if (s->out_of_order)
			kv(out, "out of order", "%llu (%llu repaired, %llu beyond repair)",
				(unsigned long long)s->out_of_order, (unsigned long long)s->repaired,
				(unsigned long long)s->late);
	}
	fputs("</table>\n", out);
}

static void write_variants(FILE *out, const struct bopt_summary *s)
{
	const char *labels[BOPT_VARIANT_COUNT + SUMMARY_MAX_OTHER_VARIANTS + 1];
	double values[BOPT_VARIANT_COUNT + SUMMARY_MAX_OTHER_VARIANTS + 1];
	size_t n = 0;
	for (int v = 0; v < BOPT_VARIANT_COUNT; v++)
		if (s->variant_counts[v]) {
			labels[n] = bopt_variant_names[v];
			values[n++] = (double)s->variant_counts[v];
		}
	for (size_t i = 0; i < s->n_others; i++) {
		labels[n] = s->others[i].name;
		values[n++] = (double)s->others[i].count;
	}
	if (s->other_lumped) {
		labels[n] = "(other)";
		values[n++] = (double)s->other_lumped;
	}
	char desc[160];
	snprintf(desc, sizeof(desc), "Events of each variant, %zu variants, %llu events in all", n,
		(unsigned long long)s->events);
	const struct plot_bars b = {
		.id = "variants", .title = "Event variants", .desc = desc, .axis_label = "events",
		.rows = n, .k = 1, .labels = labels, .values = values, .total_fmt = "%.0f",
	};
	plot_bars(out, &b);
}

static void write_workload(FILE *out, const struct evaluation *e)
{
	fputs("<section id=\"workload\">\n<h2>Workload</h2>\n", out);
	write_workload_table(out, e);
	const struct workload_analysis *a = e->analysis;
	if (a == NULL) {
		fputs("<p class=\"note\">The workload came from a pattern file: there is no trace "
			"to draw. Give <code>--trace</code> for the pictures.</p>\n</section>\n", out);
		return;
	}
	fputs("<figure>\n", out);
	plot_rate(out, "rate", &a->summary, &a->features, false);
	fputs("</figure>\n<figure>\n", out);
	plot_gaps(out, "gaps", &a->summary, &a->features);
	fputs("</figure>\n<figure>\n", out);
	plot_sizes(out, "sizes", &a->summary);
	fputs("</figure>\n<figure>\n", out);
	write_variants(out, &a->summary);
	fputs("</figure>\n</section>\n", out);
}

static void write_requirements(FILE *out, const struct requirements *q)
{
	fputs("<table>\n", out);
	kv(out, "delivery", "%s (%s)", consistency_name(q->guarantee),
		consistency_name(q->consistency));
	kv(out, "durable storage", "%s (from %s)", q->durable ? "required" : "not required",
		q->durable_from);
	kv(out, "ordering", "%s", q->ordering ? "required" : "not required");
	kv(out, "largest event", "%llu bytes, p99 %llu (from %s)",
		(unsigned long long)q->event_max, (unsigned long long)q->event_p99, q->event_from);
	kv(out, "peak", "%.6g events/s, %.6g bytes/s (from %s)", q->peak_rate, q->peak_bytes,
		q->peak_from);
	if (q->max_p99 > 0)
		kv(out, "latency", "p99 at most %.6g ms (--max-p99)", q->max_p99);
	else
		kv(out, "latency", "target p99 %.6g ms (from %s)", q->latency_target,
			q->target_from);
	fputs("</table>\n", out);
}

static void write_score_chart(FILE *out, const struct recommend_input *in,
	const struct recommendation *r, size_t eligible)
{
	const struct cost_weights *w = &in->weights;
	double weight[4] = {w->latency, w->throughput, w->reliability, w->resource};
	double sum = weight[0] + weight[1] + weight[2] + weight[3];
	const char *labels[BOPT_BACKEND_COUNT];
	double values[BOPT_BACKEND_COUNT * 4];
	char names[4][48];
	const char *segments[4];
	for (int k = 0; k < 4; k++) {
		snprintf(names[k], sizeof(names[k]), "%s (weight %g)", component_names[k], weight[k]);
		segments[k] = names[k];
	}
	for (size_t i = 0; i < eligible; i++) {
		double part[4] = {r[i].parts.latency, r[i].parts.throughput, r[i].parts.reliability,
			r[i].parts.cost};
		labels[i] = backend_name(r[i].backend);
		for (int k = 0; k < 4; k++)
			values[i * 4 + (size_t)k] = part[k] * weight[k] / sum;
	}
	const struct plot_bars b = {
		.id = "scores", .title = "Score of each eligible backend, by component",
		.desc = "Stacked bars: each component's score times its weight over the sum of the "
			"weights; the bar's length is the backend's score (1 is best)",
		.axis_label = "score (weighted components)", .rows = eligible, .k = 4,
		.labels = labels, .segments = segments, .values = values, .max = 1,
		.total_fmt = "%.4f",
	};
	plot_bars(out, &b);
}

static void write_ranking(FILE *out, const struct recommendation *r, size_t eligible)
{
	fputs("<table>\n<tr><th class=\"n\">rank</th><th>backend</th><th class=\"n\">score</th>"
		"<th class=\"n\">p50 ms</th><th class=\"n\">p99 ms</th><th class=\"n\">events/s</th>"
		"<th class=\"n\">confidence</th><th>source</th><th>mind</th></tr>\n", out);
	for (size_t i = 0; i < eligible; i++) {
		fprintf(out, "<tr><td class=\"n\">%zu</td><td>%s</td><td class=\"n\">%.4f</td>"
			"<td class=\"n\">%.6g</td><td class=\"n\">%.6g</td><td class=\"n\">%.6g</td>"
			"<td class=\"n\">%.3f</td><td>", i + 1, backend_name(r[i].backend), r[i].score,
			r[i].predicted.measured_latency_p50, r[i].predicted.measured_latency_p99,
			r[i].predicted.measured_throughput, r[i].confidence);
		esc(out, r[i].source);
		if (strcmp(r[i].source, "reference") == 0) {
			fputs(": ", out);
			esc(out, backend_profile_source(r[i].backend));
		}
		fputs("</td><td>", out);
		for (size_t k = 0; k < r[i].eligibility.n_caveats; k++) {
			fputs(k ? "; " : "", out);
			esc(out, r[i].eligibility.caveats[k]);
		}
		fputs("</td></tr>\n", out);
	}
	fputs("</table>\n", out);
}

// Which backends were measured and which stand on built-in profiles.
static void write_evidence(FILE *out, const struct evaluation *e)
{
	char measured[512] = "", reference[160] = "";
	size_t nm = 0, nr = 0;
	bool seen[BOPT_BACKEND_COUNT] = {0};
	for (size_t i = 0; i < e->metrics.n; i++) {
		const struct metrics_candidate *c = &e->metrics.c[i];
		char name[METRICS_NAME_MAX];
		metrics_candidate_name(c, name, sizeof(name));
		char *list = c->builtin ? reference : measured;
		size_t size = c->builtin ? sizeof(reference) : sizeof(measured);
		size_t *n = c->builtin ? &nr : &nm;
		size_t len = strlen(list);
		snprintf(list + len, size - len, "%s%s", (*n)++ ? ", " : "", name);
		seen[c->backend] = true;
	}
	int backends = 0;
	for (int b = 0; b < BOPT_BACKEND_COUNT; b++)
		backends += seen[b];
	fputs("<table>\n", out);
	kv(out, "measured", "%s", nm ? measured : "none (no --metrics)");
	if (nr)
		kv(out, "reference profiles", "%s (published figures, cited in the source column)",
			reference);
	if (backends < BOPT_BACKEND_COUNT)
		kv(out, "not ranked", "%d backends without metrics (--all-backends ranks them)",
			BOPT_BACKEND_COUNT - backends);
	fputs("</table>\n", out);
}

static void write_decision(FILE *out, const struct evaluation *e,
	const struct recommend_input *in, const struct recommendation *r, size_t n)
{
	size_t eligible = recommend_eligible(r, n);
	fputs("<section id=\"decision\">\n<h2>Decision</h2>\n<h3>Requirements</h3>\n", out);
	write_requirements(out, in->requirements);
	fputs("<h3>Performance evidence</h3>\n", out);
	write_evidence(out, e);
	fputs("<h3>Ranking</h3>\n", out);
	if (eligible > 0) {
		fputs("<figure>\n", out);
		write_score_chart(out, in, r, eligible);
		fputs("</figure>\n", out);
		write_ranking(out, r, eligible);
	} else {
		fputs("<p><strong>No backend meets the requirements.</strong></p>\n", out);
	}
	if (eligible < n) {
		fputs("<h3>Not eligible</h3>\n<table>\n<tr><th>backend</th><th>why not</th></tr>\n",
			out);
		for (size_t i = eligible; i < n; i++) {
			fprintf(out, "<tr><td>%s</td><td>", backend_name(r[i].backend));
			for (size_t k = 0; k < r[i].eligibility.n_reasons; k++) {
				fputs(k ? "; " : "", out);
				esc(out, r[i].eligibility.reasons[k]);
			}
			fputs("</td></tr>\n", out);
		}
		fputs("</table>\n", out);
	}
	fputs("</section>\n", out);
}

// Sizing, dollars a month and utilisation at peak of each eligible backend,
// in ranking order (issue 11's plans: decide/capacity.h).
static void write_capacity(FILE *out, const struct evaluation *e,
	const struct recommend_input *in, const struct recommendation *r, size_t eligible)
{
	if (in->load == NULL || eligible == 0)
		return;
	const struct capacity_load *l = &e->load;
	fputs("<section id=\"capacity\">\n<h2>Capacity and cost</h2>\n<table>\n", out);
	if (e->have_rates)
		kv(out, "peak", "%.6g events/s over %.6g s intervals (p99 %.6g), from the trace",
			e->rates.peak, e->rates.interval_s, e->rates.p99);
	else
		kv(out, "peak", "%.6g events/s: a pattern has no peak, so the mean", l->peak_eps);
	kv(out, "load", "%.6g bytes/s mean, %.6g bytes/s at peak", l->mean_bps, l->peak_bps);
	if (e->scaled != 1)
		kv(out, "what if", "rates x %.6g (--scale or --rate)", e->scaled);
	fputs("</table>\n", out);
	const char *labels[BOPT_BACKEND_COUNT];
	double values[BOPT_BACKEND_COUNT * 3];
	static const char *const parts[] = {"compute", "storage", "requests"};
	for (size_t i = 0; i < eligible; i++) {
		const struct capacity_plan *p = &r[i].plan;
		labels[i] = backend_name(r[i].backend);
		values[i * 3] = p->compute;
		values[i * 3 + 1] = p->storage;
		values[i * 3 + 2] = p->requests;
	}
	const struct plot_bars b = {
		.id = "dollars", .title = "Dollars a month of each eligible backend",
		.desc = "Stacked bars: compute, storage and requests, US dollars a month at the "
			"cited prices, sized for the peak at the target utilisation",
		.axis_label = "US$ a month", .rows = eligible, .k = 3, .labels = labels,
		.segments = parts, .values = values, .total_fmt = "$%.2f",
	};
	fputs("<figure>\n", out);
	plot_bars(out, &b);
	fputs("</figure>\n<table>\n<tr><th>backend</th><th>size</th><th>set by</th>"
		"<th class=\"n\">utilisation at peak</th><th class=\"n\">$ a month</th>"
		"<th>offering</th><th>figures from</th></tr>\n", out);
	for (size_t i = 0; i < eligible; i++) {
		const struct capacity_plan *p = &r[i].plan;
		char size[112];
		plan_size(size, sizeof(size), p, " on ");
		fprintf(out, "<tr><td>%s</td><td>", backend_name(r[i].backend));
		esc(out, size);
		fputs("</td><td>", out);
		esc(out, capacity_bound_name(p->bound));
		fprintf(out, "</td><td class=\"n\">%.1f%%</td><td class=\"n\">%.2f</td><td>",
			p->utilisation * 100, p->total);
		esc(out, p->offering ? p->offering : "");
		fputs("</td><td>", out);
		esc(out, p->source ? p->source : "");
		fputs("</td></tr>\n", out);
	}
	fputs("</table>\n</section>\n", out);
}

// The what-if factors on the rate the latency chart sweeps, and how many
// of the top candidates it draws.
static const double sweep_factors[] = {0.5, 1, 2, 5, 10, 20, 50, 100};
#define SWEEP_FACTORS (sizeof(sweep_factors) / sizeof(*sweep_factors))
#define SWEEP_TOP 3

// The predicted p99 of the top eligible candidates as the rate grows, each
// re-sized at every step as recommend --scale would (see bopt(1), QUEUEING).
static void write_latency_sweep(FILE *out, const struct evaluation *e,
	const struct recommend_input *in, const struct recommendation *r, size_t eligible)
{
	if (in->load == NULL || in->arrivals == NULL || eligible == 0)
		return;
	size_t top = eligible < SWEEP_TOP ? eligible : SWEEP_TOP;
	double x[SWEEP_FACTORS], y[SWEEP_TOP][SWEEP_FACTORS];
	uint64_t units[SWEEP_TOP][SWEEP_FACTORS];
	char names[SWEEP_TOP][METRICS_NAME_MAX];
	struct plot_series series[SWEEP_TOP];
	for (size_t k = 0; k < SWEEP_FACTORS; k++)
		x[k] = e->scaled * sweep_factors[k];
	for (size_t i = 0; i < top; i++) {
		for (size_t k = 0; k < SWEEP_FACTORS; k++) {
			struct capacity_plan plan;
			struct queue_prediction q;
			recommend_plan_at(in, &r[i], sweep_factors[k], &plan);
			bool ok = recommend_queue(in, &r[i], &plan, sweep_factors[k], &q);
			y[i][k] = ok ? q.latency_ms[QUEUE_P99] : NAN;
			units[i][k] = plan.units;
		}
		recommend_name(&r[i], names[i], sizeof(names[i]));
		series[i] = (struct plot_series){names[i], SWEEP_FACTORS, x, y[i]};
	}
	fputs("<section id=\"latency\">\n<h2>Latency under load</h2>\n<p>The p99 the queueing "
		"model predicts for the trace's own arrivals at each rate, with the backend sized "
		"for that rate as <code>recommend --scale</code> sizes it (bopt(1), QUEUEING).</p>\n",
		out);
	const struct requirements *req = in->requirements;
	char ref[96], desc[160];
	snprintf(ref, sizeof(ref), "target %.6g ms (%s)", req->latency_target, req->target_from);
	snprintf(desc, sizeof(desc), "Predicted p99 latency, ms, of the top %zu eligible "
		"backends at %.6g to %.6g times the trace's rate, log scales", top, x[0],
		x[SWEEP_FACTORS - 1]);
	const struct plot_lines p = {
		.id = "sweep", .title = "Predicted p99 latency against the rate", .desc = desc,
		.x_label = "rate, times the trace's (log scale)",
		.y_label = "predicted p99, ms (log scale)", .n = top, .series = series,
		.ref_y = req->latency_target, .ref_label = ref,
	};
	fputs("<figure>\n", out);
	plot_lines(out, &p);
	fputs("</figure>\n<table>\n<tr><th>backend</th>", out);
	for (size_t k = 0; k < SWEEP_FACTORS; k++)
		fprintf(out, "<th class=\"n\">x %.6g</th>", x[k]);
	fputs("</tr>\n", out);
	for (size_t i = 0; i < top; i++) {
		fputs("<tr><td>", out);
		esc(out, names[i]);
		fputs("</td>", out);
		for (size_t k = 0; k < SWEEP_FACTORS; k++)
			if (isfinite(y[i][k])) {
				char size[48];
				plan_count(size, sizeof(size), units[i][k], r[i].plan.unit);
				fprintf(out, "<td class=\"n\">%.6g ms (%s)</td>", y[i][k], size);
			} else
				fputs("<td class=\"n\">-</td>", out);
		fputs("</tr>\n", out);
	}
	fputs("</table>\n<p class=\"note\">Each cell: predicted p99 (units of the plan at that "
		"rate).</p>\n</section>\n", out);
}

// One input file: its role, name, size and SHA-256. Standard input cannot be
// read again, so it is not hashed.
struct input {
	const char *role, *path;
	bool hashed;
	uint64_t bytes;
	char hex[SHA256_HEX_LEN + 1];
};

// Hashes every input before the page is drawn, so that a file that cannot be
// read again fails the command before anything is written. *out is freed by the caller.
static bool hash_inputs(const struct evaluation_options *o, struct input **out, size_t *n,
	char *err)
{
	size_t total = (o->pattern != NULL) + o->n_traces + o->n_summaries + o->n_metrics, k = 0;
	struct input *v = xcalloc(total ? total : 1, sizeof(*v));
	*out = v;
	*n = total;
	if (o->pattern != NULL)
		v[k++] = (struct input){.role = "pattern", .path = o->pattern};
	for (size_t i = 0; i < o->n_traces; i++)
		v[k++] = (struct input){.role = "trace", .path = o->traces[i]};
	for (size_t i = 0; i < o->n_summaries; i++)
		v[k++] = (struct input){.role = "summary", .path = o->summaries[i]};
	for (size_t i = 0; i < o->n_metrics; i++)
		v[k++] = (struct input){.role = "metrics", .path = o->metrics[i]};
	for (size_t i = 0; i < total; i++) {
		v[i].hashed = strcmp(v[i].path, "-") != 0;
		if (v[i].hashed && !sha256_file(v[i].path, v[i].hex, &v[i].bytes, err))
			return false;
	}
	return true;
}

// Writes arg as a shell word: quoted when it holds anything but safe characters.
static void write_word(FILE *out, const char *arg)
{
	bool plain = *arg != '\0';
	for (const char *c = arg; *c && plain; c++)
		plain = strchr("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789"
			"-_./:=,+@%", *c) != NULL;
	if (plain) {
		esc(out, arg);
		return;
	}
	fputc('\'', out);
	for (const char *c = arg; *c; c++) {
		char one[2] = {*c, '\0'};
		esc(out, *c == '\'' ? "'\\''" : one);
	}
	fputc('\'', out);
}

struct page {
	const struct evaluation_options *o;
	const struct evaluation *e;
	const struct recommend_input *in;
	const struct recommendation *r;
	size_t n;
	const struct input *inputs;
	size_t n_inputs;
	int argc;
	char **argv;
};

static void write_provenance(FILE *out, const struct page *pg)
{
	const struct evaluation_options *o = pg->o;
	const struct evaluation *e = pg->e;
	char now[BOPT_TS_MAX];
	fputs("<section id=\"provenance\">\n<h2>Provenance</h2>\n<table>\n<tr><th>input</th>"
		"<th>file</th><th class=\"n\">bytes</th><th>SHA-256</th></tr>\n", out);
	for (size_t i = 0; i < pg->n_inputs; i++) {
		const struct input *v = &pg->inputs[i];
		fputs("<tr><td>", out);
		esc(out, v->role);
		fputs("</td><td><code>", out);
		esc(out, v->path);
		if (v->hashed)
			fprintf(out, "</code></td><td class=\"n\">%llu</td><td><code>%s</code></td>"
				"</tr>\n", (unsigned long long)v->bytes, v->hex);
		else
			fputs("</code></td><td class=\"n\"></td><td>standard input, not hashed</td>"
				"</tr>\n", out);
	}
	fputs("</table>\n<p class=\"note\">SHA-256 as sha256sum(1) prints it.</p>\n", out);
	if (e->builtin)
		fputs("<p class=\"note\">No metrics were given: every backend's performance is its "
			"built-in reference profile, cited in the ranking's source column; "
			"confidence says how far to trust each.</p>\n", out);
	fputs("<table>\n", out);
	kv(out, "bopt", "%s", BOPT_VERSION);
	fputs("<tr><th>command</th><td><code>bopt", out);
	for (int i = 0; i < pg->argc; i++) {
		fputc(' ', out);
		write_word(out, pg->argv[i]);
	}
	fputs("</code></td></tr>\n", out);
	ts_format(e->now, now);
	kv(out, "time", "%s%s", now, o->has_now ? " (--now)" : "");
	fputs("</table>\n</section>\n", out);
}

static void draw_page(FILE *out, void *arg)
{
	struct page *pg = arg;
	char reason[256];
	recommend_reason(pg->r, pg->n, pg->in->pattern, reason, sizeof(reason));
	fprintf(out, "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\"/>\n"
		"<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\"/>\n"
		"<meta name=\"generator\" content=\"bopt %s\"/>\n<title>bopt report: ", BOPT_VERSION);
	esc(out, reason);
	fprintf(out, "</title>\n<style>\n%s</style>\n</head>\n<body>\n<h1>bopt report</h1>\n"
		"<p class=\"verdict\">", page_style);
	esc(out, reason);
	fputs("</p>\n", out);
	write_workload(out, pg->e);
	write_decision(out, pg->e, pg->in, pg->r, pg->n);
	write_capacity(out, pg->e, pg->in, pg->r, recommend_eligible(pg->r, pg->n));
	write_latency_sweep(out, pg->e, pg->in, pg->r, recommend_eligible(pg->r, pg->n));
	write_provenance(out, pg);
	fputs("</body>\n</html>\n", out);
}

int cmd_report(int argc, char *argv[])
{
	struct evaluation_options eo;
	struct evaluation e = {0};
	struct requirement_args reqs;
	struct requirements req;
	struct output o = {0};
	struct input *inputs = NULL;
	size_t n_inputs = 0;
	struct recommendation *r = NULL;
	requirement_args_init(&reqs);
	evaluation_options_init(&eo);
	eo.keep_analysis = true;
	const struct opt_handler handlers[] = {
		{output_option, &o}, {requirement_option, &reqs}, {evaluation_option, &eo},
		OPT_HANDLERS_END,
	};
	int status = opt_parse(argc, argv, &report_help, handlers);
	if (status != OPT_PARSED)
		goto out;
	status = BOPT_EXIT_USAGE;
	struct recommend_input in;
	if (o.quiet)
		eo.workload.trace.progress = NULL;
	status = evaluation_begin(&eo, argc - optind, &e, &in);
	if (status != BOPT_EXIT_OK)
		goto out;
	// After evaluation_begin: the configuration may set the scoring.
	if (!requirement_args_check(&reqs, &eo)) {
		status = BOPT_EXIT_USAGE;
		goto out;
	}
	requirement_apply(&reqs, &e, &req);
	in.requirements = &req;
	char err[BOPT_ERR_MAX];
	if (!hash_inputs(&eo, &inputs, &n_inputs, err)) {
		bopt_warn("%s", err);
		status = BOPT_EXIT_FAILURE;
		goto out;
	}
	r = xcalloc(metrics_count(&e.metrics) + 1, sizeof(*r));
	struct page pg = {.o = &eo, .e = &e, .in = &in, .r = r, .inputs = inputs,
		.n_inputs = n_inputs, .argc = argc, .argv = argv};
	pg.n = recommend_rank(&in, r);
	draw_page(output_stream(&o), &pg);
out:
	free(r);
	free(inputs);
	evaluation_release(&e);
	evaluation_options_release(&eo);
	return output_finish(&o, status);
}
