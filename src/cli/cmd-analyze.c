#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <zlib.h>

#include "base/fileio.h"
#include "base/input.h"
#include "base/jsonw.h"
#include "base/serde.h"
#include "base/timestamp.h"
#include "base/util.h"
#include "cli/commands.h"
#include "cli/diag.h"
#include "cli/options.h"
#include "cli/output.h"
#include "cli/plot.h"
#include "cli/report.h"
#include "trace/workload.h"

// The versions of the JSON documents (schemas/analyze.schema.json,
// schemas/series.schema.json); merge -f json writes ANALYZE_SCHEMA too.
#define ANALYZE_SCHEMA "bopt.analyze/1"
#define SERIES_SCHEMA "bopt.series/1"

static const struct opt analyze_opts[] = {
	{OPT_PER_FILE, "per-file", NULL, "also each file's own figures", NULL},
	{OPT_PLOT, "plot", "FILE", "also draw the event rate over time as SVG into FILE\n"
		"(- : to standard output, instead of the table)", NULL},
	{OPT_SERIES, "series", NULL, "print the count series (events per bin) instead;\n"
		"-f csv for spreadsheets and Grafana", NULL},
	{OPT_BIN, "bin", "D", "the bin width of --series (default 1s; a multiple of\n"
		"the series' own bins, 1/1024 s for traces under 18 hours)", NULL},
	OPT_END,
};

// -f: analysis_format_opt's, and with --series also CSV, NDJSON and Markdown rows.
static const struct opt analyze_format_opt[] = {
	{'f', "format", "FMT", "table (default), json or summary (a document for bopt\n"
		"merge); with --series also csv, ndjson or markdown",
		"table json summary csv ndjson markdown"},
	OPT_END,
};

static opt_groups analyze_options = {
	analyze_format_opt, analyze_opts, workload_opts, config_opt, output_opts, help_opt, NULL,
};

const struct command_help analyze_help = {
	.synopsis =
		"usage: bopt analyze [OPTIONS] [TRACE...]\n"
		"\n"
		"Characterises the workload of an oxirs StreamEvent NDJSON trace (plain or\n"
		"gzip; several files are merged by event time into one trace; none or - is\n"
		"stdin). -f summary writes a summary document that bopt merge combines.\n",
	.groups = analyze_options,
	.examples =
		"  bopt analyze trace.ndjson.gz\n"
		"  zcat day-*.ndjson.gz | bopt analyze --window 15m -f json -o pattern.json\n"
		"  bopt analyze -j 2 --skip-invalid a.ndjson b.ndjson\n",
};

// The trace block: what was observed in the trace, or in one file of it.
static void write_trace_json(struct jw *w, const char *file, const struct bopt_summary *s,
	const struct bopt_features *f, const struct workload_options *o)
{
	struct size_stats sz;
	summary_sizes(s, &sz);

	jw_object_begin(w);
	if (file) {
		jw_key(w, "file");
		jw_string(w, file);
	}
	jw_key(w, "events");
	jw_uint(w, s->events);
	jw_key(w, "bytes");
	jw_uint(w, s->bytes);
	jw_key(w, "first_timestamp");
	jw_time(w, s->t_min);
	jw_key(w, "last_timestamp");
	jw_time(w, s->t_max);
	jw_key(w, "span_seconds");
	jw_double(w, f->span_seconds);
	jw_key(w, "variants");
	jw_object_begin(w);
	for (int v = 0; v < BOPT_VARIANT_COUNT; v++) {
		if (s->variant_counts[v] == 0)
			continue;
		jw_key(w, bopt_variant_names[v]);
		jw_uint(w, s->variant_counts[v]);
	}
	for (size_t i = 0; i < s->n_others; i++) {
		jw_key(w, s->others[i].name);
		jw_uint(w, s->others[i].count);
	}
	if (s->other_lumped > 0) {
		jw_key(w, "(other)");
		jw_uint(w, s->other_lumped);
	}
	jw_object_end(w);
	jw_key(w, "inter_arrival_ms");
	jw_object_begin(w);
	jw_key(w, "mean");
	jw_double(w, f->gap_mean_ms);
	jw_key(w, "std_dev");
	jw_double(w, f->gap_std_ms);
	jw_key(w, "cv");
	jw_double(w, f->gap_cv);
	jw_object_end(w);
	jw_key(w, "index_of_dispersion");
	if (f->have_idc) {
		jw_object_begin(w);
		jw_key(w, "value");
		jw_double(w, f->idc);
		jw_key(w, "window_seconds");
		jw_double(w, f->idc_window_s);
		jw_object_end(w);
	} else {
		jw_null(w);
	}
	jw_key(w, "peak_rate");
	jw_uint(w, summary_peak_rate(s));
	jw_key(w, "event_size");
	jw_object_begin(w);
	jw_key(w, "mean");
	jw_double(w, sz.mean);
	jw_key(w, "p50");
	jw_uint(w, sz.p50);
	jw_key(w, "p99");
	jw_uint(w, sz.p99);
	jw_key(w, "max");
	jw_uint(w, sz.max);
	jw_object_end(w);
	jw_key(w, "periodicity");
	if (f->periodic) {
		jw_object_begin(w);
		jw_key(w, "period_seconds");
		jw_double(w, f->period_s);
		jw_key(w, "autocorrelation");
		jw_double(w, f->period_acf);
		jw_object_end(w);
	} else {
		jw_null(w);
	}
	jw_key(w, "batches");
	if (f->batches) {
		jw_object_begin(w);
		jw_key(w, "mean_size");
		jw_double(w, f->batch_mean_size);
		jw_key(w, "interval_seconds");
		jw_double(w, f->batch_interval_s);
		jw_object_end(w);
	} else {
		jw_null(w);
	}
	jw_key(w, "classification");
	jw_string(w, f->reason);
	jw_key(w, "out_of_order");
	jw_uint(w, s->out_of_order);
	jw_key(w, "late");
	jw_uint(w, s->late);
	jw_key(w, "skipped");
	jw_uint(w, s->skipped);
	jw_key(w, "outside_window");
	jw_uint(w, s->outside_window);
	jw_key(w, "disorder");
	jw_object_begin(w);
	jw_key(w, "horizon_seconds");
	jw_double(w, (double)o->trace.max_disorder_ns / 1e9);
	jw_key(w, "max_lateness_seconds");
	jw_double(w, (double)s->max_lateness / 1e9);
	jw_key(w, "repaired");
	jw_uint(w, s->repaired);
	jw_key(w, "beyond_repair");
	jw_uint(w, s->late);
	jw_key(w, "released_early");
	jw_uint(w, s->forced);
	jw_object_end(w);
	// Only a merge of overlapping summaries estimates figures.
	if (s->approx_gaps || s->approx_peak) {
		jw_key(w, "approximate");
		jw_array_begin(w);
		if (s->approx_gaps)
			jw_string(w, "inter_arrival_ms");
		if (s->approx_peak)
			jw_string(w, "peak_rate");
		jw_array_end(w);
	}
	jw_object_end(w);
}

static void describe_distribution(const struct bopt_distribution *d, char *buf, size_t n)
{
	switch (d->kind) {
	case BOPT_DIST_UNIFORM:
		snprintf(buf, n, "Uniform");
		break;
	case BOPT_DIST_NORMAL:
		snprintf(buf, n, "Normal (gap mean %.6g ms, std dev %.6g ms)", d->mean, d->std_dev);
		break;
	case BOPT_DIST_EXPONENTIAL:
		snprintf(buf, n, "Exponential (lambda %.6g per ms)", d->lambda);
		break;
	case BOPT_DIST_POISSON:
		snprintf(buf, n, "Poisson (lambda %.6g events/s)", d->lambda);
		break;
	case BOPT_DIST_CUSTOM:
		snprintf(buf, n, "Custom (%s)", d->name ? d->name : "");
		break;
	}
}

static void write_table(FILE *out, const struct workload_analysis *a,
	const struct workload_options *o)
{
	const struct bopt_pattern *p = &a->pattern;
	const struct bopt_summary *s = &a->summary;
	const struct bopt_features *f = &a->features;
	char buf[160], t1[BOPT_TS_MAX], t2[BOPT_TS_MAX];
	struct size_stats sz;
	summary_sizes(s, &sz);

	report_row(out, "pattern", "%s", pattern_type_name(p->pattern_type));
	report_row(out, "why", "%s", f->reason);
	report_row(out, "event rate", "%.6g events/s", p->event_rate);
	describe_distribution(&p->temporal_distribution, buf, sizeof(buf));
	report_row(out, "distribution", "%s", buf);
	report_row(out, "batch size", "%u", (unsigned)p->batch_size);
	report_row(out, "event size", "%llu bytes", (unsigned long long)p->event_size_bytes);
	report_row(out, "compression ratio", "%.3f", p->data_characteristics.compression_ratio);
	report_row(out, "complex events", "%s", p->data_characteristics.has_complex_structures ? "yes" : "no");
	report_row(out, "requires ordering", "%s", p->data_characteristics.requires_ordering ? "yes" : "no");
	report_row(out, "consistency", "%s", consistency_name(p->consistency_requirements));
	report_gap(out);
	ts_format(s->t_min, t1);
	ts_format(s->t_max, t2);
	report_row(out, "events", "%llu (%llu bytes)", (unsigned long long)s->events,
		(unsigned long long)s->bytes);
	report_row(out, "time span", "%s .. %s (%.6g s)", t1, t2, f->span_seconds);
	report_row(out, "inter-arrival", "mean %.6g ms, std dev %.6g ms, CV %.3f%s",
		f->gap_mean_ms, f->gap_std_ms, f->gap_cv,
		s->approx_gaps ? " (std dev estimated: overlapping summaries)" : "");
	if (f->have_idc)
		report_row(out, "count dispersion", "%.3f (windows of %.6g s)", f->idc, f->idc_window_s);
	if (f->periodic)
		report_row(out, "periodicity", "%.6g s (autocorrelation %.2f)", f->period_s, f->period_acf);
	if (f->batches)
		report_row(out, "batches", "%.6g events every %.6g s", f->batch_mean_size, f->batch_interval_s);
	uint64_t peak = summary_peak_rate(s);
	report_row(out, "peak rate", "%llu event%s in one second%s", (unsigned long long)peak,
		peak == 1 ? "" : "s", s->approx_peak ? " (at most: overlapping summaries)" : "");
	report_row(out, "record size", "mean %.1f, p50 %llu, p99 %llu, max %llu bytes", sz.mean,
		(unsigned long long)sz.p50, (unsigned long long)sz.p99, (unsigned long long)sz.max);
	report_row(out, "out of order", "%llu (%llu beyond repair)",
		(unsigned long long)s->out_of_order, (unsigned long long)s->late);
	if (s->repaired > 0 || s->late > 0)
		report_row(out, "disorder", "up to %.6g s behind, %llu repaired, %llu beyond "
			"repair (horizon %.6g s)", (double)s->max_lateness / 1e9,
			(unsigned long long)s->repaired, (unsigned long long)s->late,
			(double)o->trace.max_disorder_ns / 1e9);
	if (s->forced > 0)
		report_row(out, "released early", "%llu events (memory cap)",
			(unsigned long long)s->forced);
	if (s->skipped)
		report_row(out, "skipped", "%llu invalid lines", (unsigned long long)s->skipped);
	if (s->outside_window)
		report_row(out, "outside window", "%llu events", (unsigned long long)s->outside_window);
	report_gap(out);
	fputs("variants\n", out);
	for (int v = 0; v < BOPT_VARIANT_COUNT; v++)
		if (s->variant_counts[v])
			fprintf(out, "  %-*s %llu\n", REPORT_KEY_WIDTH - 3, bopt_variant_names[v],
				(unsigned long long)s->variant_counts[v]);
	for (size_t i = 0; i < s->n_others; i++)
		fprintf(out, "  %-*s %llu\n", REPORT_KEY_WIDTH - 3, s->others[i].name,
			(unsigned long long)s->others[i].count);
	if (s->other_lumped)
		fprintf(out, "  %-*s %llu\n", REPORT_KEY_WIDTH - 3, "(other)",
			(unsigned long long)s->other_lumped);
}

// The columns of --series as CSV, NDJSON or Markdown rows.
static const struct table_column series_columns[] = {
	TABLE_TEXT("time"),
	TABLE_NUMBER("offset_seconds", "%.10g"),
	TABLE_INTEGER("events"),
	TABLE_NUMBER("events_per_second", "%.10g"),
};

// The count series, one row per bin (--series).
static void write_series(FILE *out, const struct rate_series *r, enum output_format format)
{
	double w = rate_series_width_s(r);
	char t[BOPT_TS_MAX];
	struct jw j;
	struct table rows;
	table_init(&rows, series_columns, sizeof(series_columns) / sizeof(*series_columns));
	if (format == FORMAT_JSON) {
		jw_init(&j, true);
		output_json_begin(&j, SERIES_SCHEMA);
		jw_key(&j, "bin_seconds");
		jw_double(&j, w);
		jw_key(&j, "bins");
		jw_array_begin(&j);
	} else if (format == FORMAT_TABLE) {
		fprintf(out, "%-32s %14s %12s %14s\n", "time", "offset s", "events", "events/s");
	}
	for (size_t i = 0; i < r->n; i++) {
		ts_format(rate_series_start_ns(r, i), t);
		double offset = (double)i * w, rate = (double)r->counts[i] / w;
		if (format == FORMAT_JSON) {
			jw_object_begin(&j);
			jw_key(&j, "time");
			jw_string(&j, t);
			jw_key(&j, "offset_seconds");
			jw_double(&j, offset);
			jw_key(&j, "events");
			jw_uint(&j, r->counts[i]);
			jw_key(&j, "events_per_second");
			jw_double(&j, rate);
			jw_object_end(&j);
		} else if (format == FORMAT_TABLE) {
			fprintf(out, "%-32s %14.10g %12llu %14.10g\n", t, offset,
				(unsigned long long)r->counts[i], rate);
		} else {
			table_text(&rows, t);
			table_number(&rows, offset);
			table_number(&rows, (double)r->counts[i]);
			table_number(&rows, rate);
		}
	}
	if (format == FORMAT_JSON) {
		jw_array_end(&j);
		jw_object_end(&j);
		output_json(out, &j);
	} else if (format != FORMAT_TABLE) {
		table_write(out, &rows, format);
	}
	table_release(&rows);
}

static void draw_rate(FILE *out, void *arg)
{
	const struct workload_analysis *a = arg;
	plot_rate(out, "rate", &a->summary, &a->features, true);
}

// Parses --bin into series units (1/1024 s), printing the error.
static bool parse_bin(const char *arg, int64_t *units)
{
	long long ns;
	if (!parse_duration(arg, &ns) || ns <= 0 || ns > (long long)1e9 * 86400 * 366 ||
		(ns * SERIES_UNITS_PER_SEC) % BOPT_NS_PER_SEC != 0) {
		bopt_warn("invalid --bin '%s' (expected a duration such as 1s, 500ms, 1m: a whole "
			"number of 1/1024 s)", arg);
		return false;
	}
	*units = ns * SERIES_UNITS_PER_SEC / BOPT_NS_PER_SEC;
	return true;
}

// One line per file: its own figures (--per-file).
static void write_files_table(FILE *out, const struct workload_analysis *a)
{
	report_gap(out);
	fprintf(out, "%-24s %12s %12s %12s %10s %12s %10s\n", "file", "events", "span s",
		"events/s", "peak/s", "out of order", "late");
	for (size_t i = 0; i < a->nfiles; i++) {
		const struct workload_file *f = &a->files[i];
		fprintf(out, "%-24s %12llu %12.6g %12.6g %10llu %12llu %10llu\n", f->path,
			(unsigned long long)f->summary.events, f->features.span_seconds,
			f->features.event_rate, (unsigned long long)summary_peak_rate(&f->summary),
			(unsigned long long)f->summary.out_of_order,
			(unsigned long long)f->summary.late);
	}
}

void analysis_output(FILE *out, const struct workload_analysis *a,
	const struct workload_options *wo, const struct summary_meta *m, int format)
{
	if (format == FORMAT_TABLE) {
		write_table(out, a, wo);
		if (a->files)
			write_files_table(out, a);
		return;
	}
	struct jw w;
	jw_init(&w, format == FORMAT_JSON);
	if (format == FORMAT_SUMMARY) {
		summary_write_doc(&w, &a->summary, m);
	} else {
		output_json_begin(&w, ANALYZE_SCHEMA);
		jw_key(&w, "pattern");
		serde_write_pattern(&w, &a->pattern);
		jw_key(&w, "trace");
		write_trace_json(&w, NULL, &a->summary, &a->features, wo);
		if (a->files) {
			jw_key(&w, "files");
			jw_array_begin(&w);
			for (size_t i = 0; i < a->nfiles; i++)
				write_trace_json(&w, a->files[i].path, &a->files[i].summary,
					&a->files[i].features, wo);
			jw_array_end(&w);
		}
		jw_object_end(&w);
	}
	output_json(out, &w);
}

// analyze's own options.
struct analyze_args {
	struct workload_options *wo; // --per-file
	bool series;
	const char *plot;
	int64_t bin;
	const char *config_path;   // --config
	bool has_max_disorder;     // else the configuration's max_disorder
};

static int analyze_option(void *ctx, int opt, const char *arg)
{
	struct analyze_args *aa = ctx;
	switch (opt) {
	case OPT_PER_FILE:
		aa->wo->per_file = true;
		return 1;
	case OPT_PLOT:
		aa->plot = arg;
		return 1;
	case OPT_SERIES:
		aa->series = true;
		return 1;
	case OPT_BIN:
		return parse_bin(arg, &aa->bin) ? 1 : -1;
	case OPT_CONFIG:
		aa->config_path = arg;
		return 1;
	case OPT_MAX_DISORDER:
		aa->has_max_disorder = true;
		return 0; // workload_option reads the value
	default:
		return 0;
	}
}

int cmd_analyze(int argc, char *argv[])
{
	struct workload_options wo;
	workload_options_init(&wo);
	wo.trace.progress = diag_progress_sink();
	struct output o = {0};
	struct format_choice f = {analyze_format_opt, FORMAT_TABLE, NULL};
	struct analyze_args aa = {.wo = &wo, .bin = SERIES_UNITS_PER_SEC};
	const struct opt_handler handlers[] = {
		{format_option, &f}, {analyze_option, &aa}, {output_option, &o},
		{workload_option, &wo}, OPT_HANDLERS_END,
	};
	int parsed = opt_parse(argc, argv, &analyze_help, handlers);
	if (parsed != OPT_PARSED)
		return parsed;
	enum output_format format = f.format;
	const char *format_arg = f.arg, *plot = aa.plot;
	bool series = aa.series;
	int64_t bin = aa.bin;

	if (wo.per_file && (wo.trace.concat || format == FORMAT_SUMMARY)) {
		bopt_warn(wo.trace.concat ? "--per-file needs the files merged by time, not --concat" :
			"--per-file has no place in a summary document (make one per file)");
		command_help_write(stderr, &analyze_help);
		return BOPT_EXIT_USAGE;
	}

	bool rows = format == FORMAT_CSV || format == FORMAT_NDJSON || format == FORMAT_MARKDOWN;
	if (rows && !series) {
		bopt_warn("-f %s is for the count series: add --series", format_arg);
		return BOPT_EXIT_USAGE;
	}
	if (format == FORMAT_SUMMARY && series) {
		bopt_warn("-f summary is a document for bopt merge, not the count series");
		return BOPT_EXIT_USAGE;
	}
	if (plot != NULL && strcmp(plot, "-") == 0 && (series || format_arg != NULL)) {
		bopt_warn("--plot - makes the SVG the output: not with %s",
			series ? "--series" : "-f");
		return BOPT_EXIT_USAGE;
	}
	struct workload_analysis a;
	struct rate_series r = {0};
	char err[BOPT_ERR_MAX];
	struct bopt_config config;
	config_init(&config);
	bool configured = config_load(&config, aa.config_path, err);
	if (configured && !aa.has_max_disorder)
		wo.trace.max_disorder_ns = config.max_disorder_ns;
	config_release(&config);
	if (!configured) {
		bopt_warn("%s", err);
		return BOPT_EXIT_FAILURE;
	}
	int status = BOPT_EXIT_OK;
	if (o.quiet)
		wo.trace.progress = NULL;
	char *const *paths = argv + optind;
	size_t npaths = (size_t)(argc - optind);
	if (!workload_analyse(paths, npaths, &wo, &a, err)) {
		bopt_warn("%s", err);
		status = BOPT_EXIT_FAILURE;
		goto out;
	}
	if (a.summary.skipped > 0)
		bopt_warn("skipped %llu invalid line%s", (unsigned long long)a.summary.skipped,
			a.summary.skipped == 1 ? "" : "s");
	if (a.warning[0])
		bopt_warn("%s", a.warning);
	FILE *out = output_stream(&o);
	if (plot != NULL && strcmp(plot, "-") == 0) {
		draw_rate(out, &a);
		goto out;
	}
	if (plot != NULL && !plot_write_file(plot, draw_rate, &a, err)) {
		bopt_warn("%s", err);
		status = BOPT_EXIT_FAILURE;
		goto out;
	}
	if (series) {
		if (!rate_series_make(&a.summary.series, bin, &r, err)) {
			bopt_warn("--bin: %s", err);
			status = BOPT_EXIT_FAILURE;
			goto out;
		}
		write_series(out, &r, format);
		goto out;
	}
	struct summary_meta m = {.horizon_ns = wo.trace.max_disorder_ns};
	for (size_t i = 0; i < npaths; i++)
		summary_meta_add_input(&m, input_display_name(paths[i]));
	if (npaths == 0)
		summary_meta_add_input(&m, input_display_name("-"));
	analysis_output(out, &a, &wo, &m, format);
out:
	rate_series_release(&r);
	workload_release(&a);
	return output_finish(&o, status);
}
