#include "cli/svg.h"

#include <math.h>
#include <stdarg.h>
#include <string.h>

// The layout of a chart, px: title, legend row, then the plot area inside
// margins wide enough for the tick labels and the axis labels.
#define SVG_TITLE_Y 20
#define SVG_LEGEND_Y 40
#define SVG_MARGIN_TOP 56
#define SVG_MARGIN_LEFT 76
#define SVG_MARGIN_RIGHT 24
#define SVG_MARGIN_BOTTOM 48
#define SVG_TICK_LEN 5
#define SVG_TICK_TARGET 6
#define SVG_LABEL_SIZE 12
#define SVG_TITLE_SIZE 15

#define SVG_INK "#222"
#define SVG_GRID "#ddd"

void svg_escape(FILE *out, const char *s)
{
	for (; *s; s++) {
		switch (*s) {
		case '&': fputs("&amp;", out); break;
		case '<': fputs("&lt;", out); break;
		case '>': fputs("&gt;", out); break;
		case '"': fputs("&quot;", out); break;
		case '\'': fputs("&#39;", out); break;
		default: fputc(*s, out);
		}
	}
}

void svg_escapef(FILE *out, const char *fmt, ...)
{
	char buf[1024];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(buf, sizeof(buf), fmt, ap);
	va_end(ap);
	svg_escape(out, buf);
}

void svg_text(FILE *out, double x, double y, const char *anchor, int size, const char *fmt, ...)
{
	char buf[1024];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(buf, sizeof(buf), fmt, ap);
	va_end(ap);
	fprintf(out, "<text x=\"%.1f\" y=\"%.1f\" text-anchor=\"%s\" font-size=\"%d\" "
		SVG_FONT " fill=\"" SVG_INK "\">", x, y, anchor, size);
	svg_escape(out, buf);
	fputs("</text>\n", out);
}

double svg_nice_step(double lo, double hi, int target)
{
	double range = hi - lo;
	if (!(range > 0) || !isfinite(range))
		return 1;
	double rough = range / target;
	double mag = pow(10, floor(log10(rough)));
	double norm = rough / mag;
	double step = norm < 1.5 ? 1 : norm < 3 ? 2 : norm < 7 ? 5 : 10;
	return step * mag;
}

size_t svg_ticks(double lo, double hi, double step, double *out, size_t max)
{
	size_t n = 0;
	if (!(step > 0))
		return 0;
	// Whole multiples, so that 0.1 * 3 prints as 0.3 and the ends are exact.
	double k0 = ceil(lo / step - 1e-9), k1 = floor(hi / step + 1e-9);
	for (double k = k0; k <= k1 && n < max; k++)
		out[n++] = k * step == 0 ? 0 : k * step;
	return n;
}

void svg_format_number(double v, char *buf, size_t n)
{
	double a = fabs(v);
	if (a >= 1e9)
		snprintf(buf, n, "%gG", v / 1e9);
	else if (a >= 1e6)
		snprintf(buf, n, "%gM", v / 1e6);
	else if (a >= 1e4)
		snprintf(buf, n, "%gk", v / 1e3);
	else
		snprintf(buf, n, "%g", v);
}

void svg_format_seconds(double v, char *buf, size_t n)
{
	if (v == 0)
		snprintf(buf, n, "0");
	else if (v < 1e-6)
		snprintf(buf, n, "%g ns", v * 1e9);
	else if (v < 1e-3)
		snprintf(buf, n, "%g \xc2\xb5s", v * 1e6);
	else if (v < 1)
		snprintf(buf, n, "%g ms", v * 1e3);
	else
		snprintf(buf, n, "%g s", v);
}

void svg_format_bytes(double v, char *buf, size_t n)
{
	if (v < 1e3)
		snprintf(buf, n, "%g B", v);
	else if (v < 1e6)
		snprintf(buf, n, "%g kB", v / 1e3);
	else if (v < 1e9)
		snprintf(buf, n, "%g MB", v / 1e6);
	else
		snprintf(buf, n, "%g GB", v / 1e9);
}

void svg_axis_round(struct svg_axis *a, int target)
{
	if (a->scale == SVG_LOG10) {
		a->lo = pow(10, floor(log10(a->lo) + 1e-9));
		a->hi = pow(10, ceil(log10(a->hi) - 1e-9));
		if (a->hi <= a->lo)
			a->hi = a->lo * 10;
		return;
	}
	if (!(a->hi > a->lo))
		a->hi = a->lo + 1;
	a->step = svg_nice_step(a->lo, a->hi, target);
	a->lo = floor(a->lo / a->step + 1e-9) * a->step;
	a->hi = ceil(a->hi / a->step - 1e-9) * a->step;
}

static double axis_fraction(const struct svg_axis *a, double v)
{
	double f;
	if (a->scale == SVG_LOG10)
		f = v > 0 ? (log10(v) - log10(a->lo)) / (log10(a->hi) - log10(a->lo)) : 0;
	else
		f = (v - a->lo) / (a->hi - a->lo);
	if (!isfinite(f))
		return 0;
	return f < 0 ? 0 : f > 1 ? 1 : f;
}

double svg_x(const struct svg_chart *c, double v)
{
	return c->left + axis_fraction(&c->x, v) * (c->right - c->left);
}

double svg_y(const struct svg_chart *c, double v)
{
	return c->bottom - axis_fraction(&c->y, v) * (c->bottom - c->top);
}

void svg_chart_begin(struct svg_chart *c, FILE *out, double width, double height,
	const char *id, const char *title, const char *desc, bool standalone)
{
	c->out = out;
	c->width = width;
	c->height = height;
	c->left = SVG_MARGIN_LEFT;
	c->top = SVG_MARGIN_TOP;
	c->right = width - SVG_MARGIN_RIGHT;
	c->bottom = height - SVG_MARGIN_BOTTOM;
	if (standalone)
		fputs("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n", out);
	fprintf(out, "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"%g\" height=\"%g\" "
		"viewBox=\"0 0 %g %g\" role=\"img\" aria-labelledby=\"%s-title %s-desc\">\n",
		width, height, width, height, id, id);
	fprintf(out, "<title id=\"%s-title\">", id);
	svg_escape(out, title);
	fprintf(out, "</title>\n<desc id=\"%s-desc\">", id);
	svg_escape(out, desc);
	fputs("</desc>\n", out);
	fprintf(out, "<rect width=\"%g\" height=\"%g\" fill=\"#fff\"/>\n", width, height);
	fprintf(out, "<text x=\"%d\" y=\"%d\" font-size=\"%d\" font-weight=\"bold\" " SVG_FONT
		" fill=\"" SVG_INK "\">", SVG_MARGIN_LEFT, SVG_TITLE_Y, SVG_TITLE_SIZE);
	svg_escape(out, title);
	fputs("</text>\n", out);
}

static void axis_ticks(const struct svg_axis *a, double *t, size_t *n)
{
	*n = 0;
	if (a->hidden)
		return;
	if (a->scale == SVG_LOG10) {
		for (double d = ceil(log10(a->lo) - 1e-9); d <= log10(a->hi) + 1e-9 &&
			*n < SVG_TICKS_MAX; d++)
			t[(*n)++] = pow(10, d);
		return;
	}
	double step = a->step > 0 ? a->step : svg_nice_step(a->lo, a->hi, SVG_TICK_TARGET);
	*n = svg_ticks(a->lo, a->hi, step, t, SVG_TICKS_MAX);
}

void svg_chart_axes(const struct svg_chart *c)
{
	FILE *out = c->out;
	double t[SVG_TICKS_MAX];
	size_t n;
	char label[64];

	fputs("<g class=\"axes\">\n", out);
	axis_ticks(&c->y, t, &n);
	for (size_t i = 0; i < n; i++) {
		double y = svg_y(c, t[i]);
		fprintf(out, "<line x1=\"%.1f\" y1=\"%.1f\" x2=\"%.1f\" y2=\"%.1f\" stroke=\""
			SVG_GRID "\"/>\n", c->left, y, c->right, y);
		fprintf(out, "<line x1=\"%.1f\" y1=\"%.1f\" x2=\"%.1f\" y2=\"%.1f\" stroke=\""
			SVG_INK "\"/>\n", c->left - SVG_TICK_LEN, y, c->left, y);
		(c->y.format ? c->y.format : svg_format_number)(t[i], label, sizeof(label));
		svg_text(out, c->left - SVG_TICK_LEN - 3, y + 4, "end", SVG_LABEL_SIZE, "%s", label);
	}
	axis_ticks(&c->x, t, &n);
	for (size_t i = 0; i < n; i++) {
		double x = svg_x(c, t[i]);
		fprintf(out, "<line x1=\"%.1f\" y1=\"%.1f\" x2=\"%.1f\" y2=\"%.1f\" stroke=\""
			SVG_GRID "\"/>\n", x, c->top, x, c->bottom);
		fprintf(out, "<line x1=\"%.1f\" y1=\"%.1f\" x2=\"%.1f\" y2=\"%.1f\" stroke=\""
			SVG_INK "\"/>\n", x, c->bottom, x, c->bottom + SVG_TICK_LEN);
		(c->x.format ? c->x.format : svg_format_number)(t[i], label, sizeof(label));
		svg_text(out, x, c->bottom + SVG_TICK_LEN + 13, "middle", SVG_LABEL_SIZE, "%s", label);
	}
	fprintf(out, "<rect x=\"%.1f\" y=\"%.1f\" width=\"%.1f\" height=\"%.1f\" fill=\"none\" "
		"stroke=\"" SVG_INK "\"/>\n", c->left, c->top, c->right - c->left, c->bottom - c->top);
	if (c->x.label)
		svg_text(out, (c->left + c->right) / 2, c->height - 8, "middle", SVG_LABEL_SIZE,
			"%s", c->x.label);
	if (c->y.label) {
		double x = 16, y = (c->top + c->bottom) / 2;
		fprintf(out, "<text transform=\"translate(%.1f %.1f) rotate(-90)\" text-anchor=\"middle\" "
			"font-size=\"%d\" " SVG_FONT " fill=\"" SVG_INK "\">", x, y, SVG_LABEL_SIZE);
		svg_escape(out, c->y.label);
		fputs("</text>\n", out);
	}
	fputs("</g>\n", out);
}

void svg_chart_legend(const struct svg_chart *c, const struct svg_legend_item *items, size_t n)
{
	// Right-aligned: lay out from the right edge, roughly 7 px per character.
	double x = c->right;
	FILE *out = c->out;
	fputs("<g class=\"legend\">\n", out);
	for (size_t i = n; i-- > 0;) {
		const struct svg_legend_item *it = &items[i];
		x -= 7.0 * (double)strlen(it->label);
		svg_text(out, x, SVG_LEGEND_Y + 4, "start", SVG_LABEL_SIZE, "%s", it->label);
		x -= 26;
		if (it->fill)
			fprintf(out, "<rect x=\"%.1f\" y=\"%d\" width=\"18\" height=\"10\" fill=\"%s\" "
				"stroke=\"%s\"/>\n", x, SVG_LEGEND_Y - 5, it->fill,
				it->stroke ? it->stroke : it->fill);
		else
			fprintf(out, "<line x1=\"%.1f\" y1=\"%d\" x2=\"%.1f\" y2=\"%d\" stroke=\"%s\" "
				"stroke-width=\"2\"%s%s%s/>\n", x, SVG_LEGEND_Y, x + 18, SVG_LEGEND_Y,
				it->stroke, it->dash ? " stroke-dasharray=\"" : "",
				it->dash ? it->dash : "", it->dash ? "\"" : "");
		x -= 14;
	}
	fputs("</g>\n", out);
}

void svg_chart_end(const struct svg_chart *c)
{
	fputs("</svg>\n", c->out);
}
