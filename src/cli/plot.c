#include "cli/plot.h"

#include <errno.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "base/fileio.h"
#include "base/timestamp.h"
#include "base/util.h"
#include "cli/svg.h"

const char *const plot_palette[PLOT_PALETTE_SIZE] = {
	"#0072B2", "#E69F00", "#009E73", "#D55E00", "#56B4E9", "#CC79A7", "#F0E442",
};

#define PLOT_WIDTH 960
#define PLOT_HEIGHT 360
#define PLOT_FILL "#cfe3f3"
#define PLOT_MEAN "#009E73"
#define PLOT_PEAK "#D55E00"
#define PLOT_MARK "#222"
#define PLOT_BAR_ROW 26     // px per bar
#define PLOT_BAR_LEFT 170   // px for the row labels

/* The count series, re-binned. */

static int64_t floor_div(int64_t a, int64_t b)
{
	int64_t q = a / b;
	return (a % b != 0 && (a < 0) != (b < 0)) ? q - 1 : q;
}

bool rate_series_make(const struct series *s, int64_t width, struct rate_series *out,
	char *err)
{
	int64_t own = (int64_t)1 << s->shift;
	*out = (struct rate_series){.width = width};
	if (width < own || width % own != 0)
		return bopt_errf(err, "the trace's count series has bins of %g s: the bin width "
			"must be a whole multiple of that", (double)own / SERIES_UNITS_PER_SEC);
	if (s->len == 0)
		return true;
	int64_t k = width / own;
	out->first = floor_div(s->lo, k);
	out->n = (size_t)(floor_div(s->lo + s->len - 1, k) - out->first + 1);
	out->counts = xcalloc(out->n, sizeof(uint64_t));
	for (int64_t b = s->lo; b < s->lo + s->len; b++)
		out->counts[floor_div(b, k) - out->first] += s->bins[(uint64_t)b & (SERIES_CAP - 1)];
	return true;
}

static size_t bins_at(const struct series *s, int64_t width)
{
	int64_t own = (int64_t)1 << s->shift, k = width / own;
	return (size_t)(floor_div(s->lo + s->len - 1, k) - floor_div(s->lo, k) + 1);
}

int64_t rate_series_auto_width(const struct series *s)
{
	int64_t own = (int64_t)1 << s->shift;
	int64_t w = own > SERIES_UNITS_PER_SEC ? own : SERIES_UNITS_PER_SEC;
	if (s->len == 0)
		return w;
	while (w > own && bins_at(s, w) < PLOT_RATE_MIN_POINTS)
		w /= 2;
	// Round widths a reader knows (seconds, minutes, hours), then doublings.
	static const int64_t round_s[] = {2, 5, 10, 15, 30, 60, 120, 300, 600, 900, 1800, 3600,
		7200, 10800, 21600, 43200, 86400};
	for (size_t i = 0; bins_at(s, w) > PLOT_RATE_MAX_POINTS; i++) {
		int64_t next = i < sizeof(round_s) / sizeof(round_s[0]) ?
			round_s[i] * SERIES_UNITS_PER_SEC : 2 * w;
		if (next > w && next % own == 0)
			w = next;
		else if (i >= sizeof(round_s) / sizeof(round_s[0]))
			w *= 2;
	}
	return w;
}

void rate_series_release(struct rate_series *r)
{
	free(r->counts);
	*r = (struct rate_series){0};
}

double rate_series_width_s(const struct rate_series *r)
{
	return (double)r->width / SERIES_UNITS_PER_SEC;
}

int64_t rate_series_start_ns(const struct rate_series *r, size_t i)
{
	// Units of 1/1024 s: ns = units * 10^9 / 1024 = units * 1953125 / 2.
	int64_t units = (r->first + (int64_t)i) * r->width;
	return floor_div(units * 1953125, 2);
}

/* Charts. */

// The unit of a time axis spanning span seconds, and its size in seconds.
static const char *time_unit(double span, double *size)
{
	if (span <= 600) {
		*size = 1;
		return "s";
	}
	if (span <= 36000) {
		*size = 60;
		return "min";
	}
	if (span <= 864000) {
		*size = 3600;
		return "h";
	}
	*size = 86400;
	return "d";
}

// A bracket over [x0, x1] at height y with a label: one period, one batch interval.
static void bracket(FILE *out, double x0, double x1, double y, const char *label)
{
	fprintf(out, "<path d=\"M%.1f %.1f v-6 H%.1f v6\" fill=\"none\" stroke=\"" PLOT_MARK
		"\" stroke-width=\"1.5\"/>\n", x0, y, x1);
	svg_text(out, x0 + 4, y - 10, "start", 12, "%s", label);
}

static void hline(const struct svg_chart *c, double v, const char *colour, const char *dash)
{
	fprintf(c->out, "<line x1=\"%.1f\" y1=\"%.1f\" x2=\"%.1f\" y2=\"%.1f\" stroke=\"%s\" "
		"stroke-width=\"2\" stroke-dasharray=\"%s\"/>\n", c->left, svg_y(c, v), c->right,
		svg_y(c, v), colour, dash);
}

static void vline(const struct svg_chart *c, double v, const char *colour, const char *dash)
{
	fprintf(c->out, "<line x1=\"%.1f\" y1=\"%.1f\" x2=\"%.1f\" y2=\"%.1f\" stroke=\"%s\" "
		"stroke-width=\"2\" stroke-dasharray=\"%s\"/>\n", svg_x(c, v), c->top, svg_x(c, v),
		c->bottom, colour, dash);
}

void plot_rate(FILE *out, const char *id, const struct bopt_summary *s,
	const struct bopt_features *f, bool standalone)
{
	struct rate_series r;
	char err[BOPT_ERR_MAX], start[BOPT_TS_MAX], xlabel[128], desc[512], mean_l[64], peak_l[96];
	char width_l[32];
	rate_series_make(&s->series, rate_series_auto_width(&s->series), &r, err);
	double width_s = rate_series_width_s(&r), unit;
	double span = (double)r.n * width_s;
	const char *u = time_unit(span, &unit);
	uint64_t peak = summary_peak_rate(s), most = 0;
	for (size_t i = 0; i < r.n; i++)
		most = r.counts[i] > most ? r.counts[i] : most;
	ts_format(r.n ? rate_series_start_ns(&r, 0) : 0, start);
	svg_format_seconds(width_s, width_l, sizeof(width_l));
	snprintf(xlabel, sizeof(xlabel), "time since %s (%s); bins of %s", start, u, width_l);
	snprintf(mean_l, sizeof(mean_l), "mean %.4g events/s", f->event_rate);
	snprintf(peak_l, sizeof(peak_l), "peak %llu events in the busiest second",
		(unsigned long long)peak);
	int k = snprintf(desc, sizeof(desc), "Events per second in bins of %g s over %.6g s: "
		"mean %.4g events/s, peak %llu events in one second", width_s, span, f->event_rate,
		(unsigned long long)peak);
	if (f->periodic)
		k += snprintf(desc + k, sizeof(desc) - (size_t)k, "; periodic, period %g s", f->period_s);
	if (f->batches)
		snprintf(desc + k, sizeof(desc) - (size_t)k, "; batches of about %.3g events every %g s",
			f->batch_mean_size, f->batch_interval_s);

	struct svg_chart c;
	svg_chart_begin(&c, out, PLOT_WIDTH, PLOT_HEIGHT, id, "Event rate over time", desc,
		standalone);
	double ymax = (double)most / width_s;
	if ((double)peak > ymax)
		ymax = (double)peak;
	c.x = (struct svg_axis){.lo = 0, .hi = span > 0 ? span / unit : 1, .label = xlabel};
	c.y = (struct svg_axis){.lo = 0, .hi = ymax * 1.1, .label = "events/s"};
	svg_axis_round(&c.x, 8);
	svg_axis_round(&c.y, 5);
	svg_chart_axes(&c);

	// The rate as steps, filled down to zero.
	fprintf(out, "<path d=\"M%.1f %.1f", svg_x(&c, 0), svg_y(&c, 0));
	for (size_t i = 0; i < r.n; i++) {
		double y = svg_y(&c, (double)r.counts[i] / width_s);
		fprintf(out, " V%.1f H%.1f", y, svg_x(&c, (double)(i + 1) * width_s / unit));
	}
	fprintf(out, " V%.1f Z\" fill=\"" PLOT_FILL "\" stroke=\"%s\" stroke-width=\"1\"/>\n",
		svg_y(&c, 0), plot_palette[0]);
	hline(&c, f->event_rate, PLOT_MEAN, "8 4");
	hline(&c, (double)peak, PLOT_PEAK, "2 3");
	double y = c.top + 22;
	char label[96];
	if (f->periodic && f->period_s / unit <= c.x.hi) {
		if (f->period_s >= unit && unit > 1)
			snprintf(label, sizeof(label), "period %g s (%.3g %s)", f->period_s,
				f->period_s / unit, u);
		else
			snprintf(label, sizeof(label), "period %g s", f->period_s);
		bracket(out, svg_x(&c, 0), svg_x(&c, f->period_s / unit), y, label);
		y += 26;
	}
	if (f->batches && f->batch_interval_s / unit <= c.x.hi) {
		snprintf(label, sizeof(label), "a batch of ~%.3g events every %g s", f->batch_mean_size,
			f->batch_interval_s);
		bracket(out, svg_x(&c, 0), svg_x(&c, f->batch_interval_s / unit), y, label);
	}
	const struct svg_legend_item legend[] = {
		{"events/s per bin", PLOT_FILL, plot_palette[0], NULL},
		{mean_l, NULL, PLOT_MEAN, "8 4"},
		{peak_l, NULL, PLOT_PEAK, "2 3"},
	};
	svg_chart_legend(&c, legend, 3);
	svg_chart_end(&c);
	rate_series_release(&r);
}

// Bars between edges[i] and edges[i + 1] of height counts[i].
static void histogram_bars(const struct svg_chart *c, const double *edges, const uint64_t *counts,
	size_t n)
{
	for (size_t i = 0; i < n; i++) {
		if (counts[i] == 0)
			continue;
		double x0 = svg_x(c, edges[i]), x1 = svg_x(c, edges[i + 1]);
		double y = svg_y(c, (double)counts[i]);
		fprintf(c->out, "<rect x=\"%.1f\" y=\"%.1f\" width=\"%.1f\" height=\"%.1f\" fill=\"%s\" "
			"stroke=\"#fff\" stroke-width=\"0.5\"><title>%llu</title></rect>\n", x0, y,
			x1 - x0 > 1 ? x1 - x0 : 1, svg_y(c, 0) - y, plot_palette[0],
			(unsigned long long)counts[i]);
	}
}

static uint64_t most_of(const uint64_t *v, size_t n)
{
	uint64_t m = 0;
	for (size_t i = 0; i < n; i++)
		m = v[i] > m ? v[i] : m;
	return m;
}

#define GAP_COUNT_FLOOR 0.5

void plot_gaps(FILE *out, const char *id, const struct bopt_summary *s,
	const struct bopt_features *f)
{
	// Bin k >= 1 holds gaps in [2^(k-1), 2^k) ns; bin 0 (the same instant) has no place
	// on a log axis and is told in the description.
	double edges[GAP_BINS];
	int lo = 0, hi = 0;
	for (int k = 1; k < GAP_BINS; k++)
		if (s->gap_hist[k]) {
			lo = lo ? lo : k;
			hi = k;
		}
	for (int k = 1; k < GAP_BINS; k++)
		edges[k - 1] = ldexp(1, k - 2) * 1e-9;
	char desc[512];
	if (s->gaps_unbinned)
		snprintf(desc, sizeof(desc), "Time between consecutive events: %llu gaps, mean "
			"%.4g ms; their histogram is not known (merged overlapping summaries)",
			(unsigned long long)s->n_gaps, f->gap_mean_ms);
	else
		snprintf(desc, sizeof(desc), "Time between consecutive events, log scale: %llu "
			"gaps, mean %.4g ms, std dev %.4g ms, CV %.3f; %llu at the same instant (not "
			"drawn)", (unsigned long long)s->n_gaps, f->gap_mean_ms, f->gap_std_ms,
			f->gap_cv, (unsigned long long)s->gap_hist[0]);
	struct svg_chart c;
	svg_chart_begin(&c, out, PLOT_WIDTH, PLOT_HEIGHT, id, "Inter-arrival times", desc, false);
	c.x = (struct svg_axis){.scale = SVG_LOG10, .lo = lo ? edges[lo - 1] : 1e-3,
		.hi = lo ? edges[hi] : 1, .label = "time to the next event (log scale)",
		.format = svg_format_seconds};
	// Counts on a log scale too: the rare long silences matter as much as the
	// common short gaps. A bar of one gap reaches halfway to the first decade.
	c.y = (struct svg_axis){.scale = SVG_LOG10, .lo = 1,
		.hi = (double)most_of(s->gap_hist + 1, GAP_BINS - 1) * 1.5, .label = "gaps (log scale)"};
	svg_axis_round(&c.x, 0);
	svg_axis_round(&c.y, 0);
	c.y.lo = GAP_COUNT_FLOOR;
	svg_chart_axes(&c);
	if (lo) {
		histogram_bars(&c, edges + lo - 1, s->gap_hist + lo, (size_t)(hi - lo + 1));
		vline(&c, f->gap_mean_ms / 1e3, PLOT_MEAN, "8 4");
	}
	if (s->gaps_unbinned)
		svg_text(out, (c.left + c.right) / 2, (c.top + c.bottom) / 2, "middle", 14,
			"not known: the summaries merged overlap in time");
	char mean_l[64];
	snprintf(mean_l, sizeof(mean_l), "mean %.4g ms", f->gap_mean_ms);
	const struct svg_legend_item legend[] = {
		{"gaps per power of two", plot_palette[0], NULL, NULL},
		{mean_l, NULL, PLOT_MEAN, "8 4"},
	};
	svg_chart_legend(&c, legend, 2);
	svg_chart_end(&c);
}

// Sizes within a factor of SIZE_LINEAR_SPAN get a linear axis, in about
// SIZE_LINEAR_BINS bins of a round width; wider spreads get quarter octaves.
#define SIZE_LINEAR_SPAN 4
#define SIZE_LINEAR_BINS 40
#define SIZE_LOG_BINS (4 * 64)

void plot_sizes(FILE *out, const char *id, const struct bopt_summary *s)
{
	struct size_stats st;
	summary_sizes(s, &st);
	uint64_t smallest = 0;
	for (size_t i = 0; i < SIZE_BINS; i++)
		if (s->size_hist[i]) {
			smallest = size_bin_floor(i);
			break;
		}
	bool linear = st.max < SIZE_LINEAR_SPAN * (smallest ? smallest : 1);
	double edges[SIZE_LOG_BINS + 1];
	uint64_t counts[SIZE_LOG_BINS] = {0};
	size_t n;
	double lo, step = 1;
	if (linear) {
		step = ceil(svg_nice_step((double)smallest, (double)st.max + 1, SIZE_LINEAR_BINS));
		lo = floor((double)smallest / step) * step;
		n = (size_t)((double)st.max - lo) / (size_t)step + 1;
		for (size_t i = 0; i <= n; i++)
			edges[i] = lo + (double)i * step;
	} else {
		n = SIZE_LOG_BINS;
		for (size_t i = 0; i <= n; i++)
			edges[i] = exp2((double)i / 4);
		lo = 0;
	}
	uint64_t zero = 0;
	for (size_t i = 0; i < SIZE_BINS; i++) {
		uint64_t v = size_bin_floor(i);
		if (s->size_hist[i] == 0)
			continue;
		if (linear)
			counts[(size_t)(((double)v - lo) / step)] += s->size_hist[i];
		else if (v == 0)
			zero += s->size_hist[i];
		else
			counts[(size_t)floor(4 * log2((double)v))] += s->size_hist[i];
	}
	size_t first = n, last = 0;
	for (size_t i = 0; i < n; i++)
		if (counts[i]) {
			first = first < n ? first : i;
			last = i;
		}
	if (first == n)
		first = 0;
	char desc[512];
	snprintf(desc, sizeof(desc), "Record sizes of %llu events%s: mean %.1f bytes, p50 %llu, "
		"p99 %llu, max %llu%s", (unsigned long long)s->events, linear ? "" : ", log scale",
		st.mean, (unsigned long long)st.p50, (unsigned long long)st.p99,
		(unsigned long long)st.max, zero ? "; empty records not drawn" : "");
	struct svg_chart c;
	svg_chart_begin(&c, out, PLOT_WIDTH, PLOT_HEIGHT, id, "Event sizes", desc, false);
	c.x = (struct svg_axis){.scale = linear ? SVG_LINEAR : SVG_LOG10, .lo = edges[first],
		.hi = edges[last + 1], .label = linear ? "record size" : "record size (log scale)",
		.format = svg_format_bytes};
	c.y = (struct svg_axis){.lo = 0, .hi = (double)most_of(counts, n) * 1.1, .label = "events"};
	svg_axis_round(&c.x, 8);
	svg_axis_round(&c.y, 5);
	svg_chart_axes(&c);
	histogram_bars(&c, edges, counts, n);
	vline(&c, (double)st.p50, PLOT_MEAN, "8 4");
	vline(&c, (double)st.p99, PLOT_PEAK, "2 3");
	char p50[64], p99[64];
	snprintf(p50, sizeof(p50), "p50 %llu B", (unsigned long long)st.p50);
	snprintf(p99, sizeof(p99), "p99 %llu B", (unsigned long long)st.p99);
	const struct svg_legend_item legend[] = {
		{"events per bin", plot_palette[0], NULL, NULL},
		{p50, NULL, PLOT_MEAN, "8 4"},
		{p99, NULL, PLOT_PEAK, "2 3"},
	};
	svg_chart_legend(&c, legend, 3);
	svg_chart_end(&c);
}

void plot_bars(FILE *out, const struct plot_bars *b)
{
	double max = 0;
	for (size_t r = 0; r < b->rows; r++) {
		double t = 0;
		for (size_t k = 0; k < b->k; k++)
			t += b->values[r * b->k + k];
		max = t > max ? t : max;
	}
	if (b->max > max)
		max = b->max;
	struct svg_chart c;
	double height = 56 + 48 + (double)b->rows * PLOT_BAR_ROW + 8;
	svg_chart_begin(&c, out, PLOT_WIDTH, height, b->id, b->title, b->desc, false);
	c.left = PLOT_BAR_LEFT;
	c.right -= 56; // room for the totals
	c.x = (struct svg_axis){.lo = 0, .hi = max > 0 ? max : 1, .label = b->axis_label};
	c.y = (struct svg_axis){.lo = 0, .hi = (double)b->rows, .hidden = true};
	svg_axis_round(&c.x, 6);
	svg_chart_axes(&c);
	for (size_t r = 0; r < b->rows; r++) {
		double y = c.top + (double)r * PLOT_BAR_ROW + 4, x = 0, h = PLOT_BAR_ROW - 8;
		svg_text(out, c.left - 8, y + h / 2 + 4, "end", 12, "%s", b->labels[r]);
		for (size_t k = 0; k < b->k; k++) {
			double v = b->values[r * b->k + k];
			double x0 = svg_x(&c, x), x1 = svg_x(&c, x + v);
			fprintf(out, "<rect x=\"%.1f\" y=\"%.1f\" width=\"%.1f\" height=\"%.1f\" "
				"fill=\"%s\" stroke=\"#fff\"><title>", x0, y, x1 - x0, h,
				plot_palette[k % PLOT_PALETTE_SIZE]);
			svg_escapef(out, "%s%s%g", b->labels[r], b->k > 1 ? " " : "", v);
			if (b->k > 1)
				svg_escapef(out, " (%s)", b->segments[k]);
			fputs("</title></rect>\n", out);
			x += v;
		}
		char total[64];
		snprintf(total, sizeof(total), b->total_fmt, x);
		svg_text(out, svg_x(&c, x) + 6, y + h / 2 + 4, "start", 12, "%s", total);
	}
	if (b->k > 1) {
		struct svg_legend_item legend[PLOT_PALETTE_SIZE];
		size_t n = b->k < PLOT_PALETTE_SIZE ? b->k : PLOT_PALETTE_SIZE;
		for (size_t k = 0; k < n; k++)
			legend[k] = (struct svg_legend_item){b->segments[k], plot_palette[k], NULL, NULL};
		svg_chart_legend(&c, legend, n);
	}
	svg_chart_end(&c);
}

bool plot_write_file(const char *path, void (*draw)(FILE *out, void *arg), void *arg, char *err)
{
	char *buf = NULL;
	size_t len = 0;
	FILE *m = open_memstream(&buf, &len);
	if (m == NULL)
		return bopt_errf(err, "%s: %s", path, strerror(errno));
	draw(m, arg);
	bool ok = fclose(m) == 0;
	if (!ok)
		bopt_errf(err, "%s: %s", path, strerror(errno));
	else
		ok = file_replace_atomic(path, buf, len, err);
	free(buf);
	return ok;
}
