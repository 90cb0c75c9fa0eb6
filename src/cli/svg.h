#ifndef BOPT_SVG_H
#define BOPT_SVG_H

/*
 * Hand-written SVG, as systemd-analyze plot writes it: escaping, round tick
 * steps, and charts drawn as data -> coordinates -> elements onto a stream.
 * Styling is by presentation attributes (no CSS), so a lone .svg looks the
 * same in a browser, an image viewer or a wiki. Nothing here allocates.
 */

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

#include "base/util.h"

#define SVG_TICKS_MAX 24
#define SVG_FONT "font-family=\"sans-serif\""

// Writes s with &, <, >, " and ' escaped (XML text and attribute values).
void svg_escape(FILE *out, const char *s);
// Formats, then writes the result escaped.
void svg_escapef(FILE *out, const char *fmt, ...) BOPT_PRINTF(2, 3);

// A round step (1, 2 or 5 x 10^k) that cuts [lo, hi] into about target parts.
double svg_nice_step(double lo, double hi, int target);
// The multiples of step in [lo, hi] (at most max); returns how many.
size_t svg_ticks(double lo, double hi, double step, double *out, size_t max);

enum svg_scale { SVG_LINEAR, SVG_LOG10 };

// Writes a tick label for the value v.
typedef void svg_format(double v, char *buf, size_t n);
void svg_format_number(double v, char *buf, size_t n); // %g, thousands plain
void svg_format_seconds(double v, char *buf, size_t n); // 1 µs, 10 ms, 1 s, 100 s
void svg_format_bytes(double v, char *buf, size_t n);   // 1 B, 10 kB, 1 MB

struct svg_axis {
	enum svg_scale scale;
	double lo, hi;      // the data range shown (log: both above 0)
	const char *label;  // with its unit; NULL: none
	svg_format *format; // tick labels; NULL: svg_format_number
	bool hidden;        // no ticks (the caller labels it, e.g. categories)
	double step;        // linear: the tick step (svg_axis_round); 0: about 6 ticks
};

// Widens a linear axis to round ticks (about target of them) and a log
// axis to whole decades.
void svg_axis_round(struct svg_axis *a, int target);

struct svg_chart {
	FILE *out;
	double width, height;             // px
	double left, top, right, bottom;  // the plot area's edges, px from the top left
	struct svg_axis x, y;
};

// Where a value lands, px.
double svg_x(const struct svg_chart *c, double v);
double svg_y(const struct svg_chart *c, double v);

// Opens <svg> (standalone: with the XML declaration and xmlns) with an
// accessible <title> and <desc> (id makes their ids unique on a page), the
// title drawn on top and the plot area laid out.
void svg_chart_begin(struct svg_chart *c, FILE *out, double width, double height,
	const char *id, const char *title, const char *desc, bool standalone);
// Draws the frame, the grid, the ticks and their labels, the axis labels.
void svg_chart_axes(const struct svg_chart *c);

// A legend entry: a swatch drawn as the series is (fill, or stroke with a dash).
struct svg_legend_item {
	const char *label;
	const char *fill;   // NULL: a line
	const char *stroke;
	const char *dash;   // stroke-dasharray or NULL
};
// Draws the legend in a row below the title, right-aligned.
void svg_chart_legend(const struct svg_chart *c, const struct svg_legend_item *items, size_t n);
void svg_chart_end(const struct svg_chart *c);

// A text element at (x, y) with anchor start|middle|end, escaped.
void svg_text(FILE *out, double x, double y, const char *anchor, int size, const char *fmt, ...)
	BOPT_PRINTF(6, 7);

#endif
