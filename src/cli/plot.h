#ifndef BOPT_PLOT_H
#define BOPT_PLOT_H

/*
 * The workload's pictures, as SVG onto a stream (cli/svg.h): the rate over
 * time from the summary's count series, the inter-arrival and event-size
 * histograms, and horizontal (stacked) bar charts for variants and scores.
 * A rate_series owns its counts (rate_series_release).
 */

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "trace/classify.h"
#include "trace/summary.h"

// The most bins the rate chart draws: one second each up to a quarter of
// an hour, about a px each at 1280 px.
#define PLOT_RATE_MAX_POINTS 1000
// Below this many bins of one second, the chart takes finer ones.
#define PLOT_RATE_MIN_POINTS 60

// The count series re-binned: bin i covers [(first + i) width, (first + i + 1) width)
// since the epoch, in series units (1/1024 s, SERIES_UNITS_PER_SEC).
struct rate_series {
	int64_t width; // series units
	int64_t first;
	size_t n;
	uint64_t *counts;
};

// Re-bins s into bins of width series units; false when width is not a
// whole number of the series' own bins (then err says which widths work).
bool rate_series_make(const struct series *s, int64_t width, struct rate_series *out,
	char *err);
// A width for the chart: one second (or the series' own bins if coarser),
// finer for short traces, coarser to stay within PLOT_RATE_MAX_POINTS.
int64_t rate_series_auto_width(const struct series *s);
void rate_series_release(struct rate_series *r);
double rate_series_width_s(const struct rate_series *r);
// The start of bin i, ns since the epoch.
int64_t rate_series_start_ns(const struct rate_series *r, size_t i);

// Each chart: id keeps element ids unique on a page; standalone adds the
// XML declaration for a lone .svg file.
void plot_rate(FILE *out, const char *id, const struct bopt_summary *s,
	const struct bopt_features *f, bool standalone);
void plot_gaps(FILE *out, const char *id, const struct bopt_summary *s,
	const struct bopt_features *f);
void plot_sizes(FILE *out, const char *id, const struct bopt_summary *s);

// Horizontal bars: rows labelled on the left, each cut into k segments
// (values[row * k + seg]) with the legend names; the total is written at
// the end of each bar with total_fmt.
struct plot_bars {
	const char *id, *title, *desc, *axis_label;
	size_t rows, k;
	const char *const *labels;   // rows
	const char *const *segments; // k names, for the legend (k > 1)
	const double *values;        // rows * k
	double max;                  // the axis's end; 0: from the data
	const char *total_fmt;       // printf of one double, e.g. "%.4f"
};
void plot_bars(FILE *out, const struct plot_bars *b);

// Okabe-Ito colours: told apart also by people with colour vision deficiency.
extern const char *const plot_palette[];
#define PLOT_PALETTE_SIZE 7

// Writes the picture that draw makes into path, atomically.
bool plot_write_file(const char *path, void (*draw)(FILE *out, void *arg), void *arg, char *err);

#endif
