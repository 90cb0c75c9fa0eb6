/*
 * The SVG writer and the charts' arithmetic: escaping, round steps and
 * ticks, axis rounding, tick labels, value-to-pixel mapping, and the count
 * series re-binned for the rate chart and --series.
 */
#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/util.h"
#include "cli/plot.h"
#include "cli/svg.h"
#include "trace/summary.h"

#define SEC INT64_C(1000000000)
#define T0_S INT64_C(1784451255)
#define T0 (T0_S * SEC)

Test(svg, escapes_markup)
{
	char *buf = NULL;
	size_t len = 0;
	FILE *m = open_memstream(&buf, &len);
	svg_escape(m, "<a & 'b'>\"");
	fclose(m);
	cr_assert_str_eq(buf, "&lt;a &amp; &#39;b&#39;&gt;&quot;");
	free(buf);
}

Test(svg, round_steps)
{
	cr_assert_float_eq(svg_nice_step(0, 1046, 5), 200, 1e-9);  // 209.2 -> 2 x 100
	cr_assert_float_eq(svg_nice_step(0, 1, 6), 0.2, 1e-12);   // 0.167 -> 2 x 0.1
	cr_assert_float_eq(svg_nice_step(0, 7, 5), 1, 1e-12);     // 1.4 -> 1
	cr_assert_float_eq(svg_nice_step(0, 34, 5), 5, 1e-12);    // 6.8 -> 5
	cr_assert_float_eq(svg_nice_step(0, 35, 5), 10, 1e-12);   // 7 -> 10
	cr_assert_float_eq(svg_nice_step(3, 3, 5), 1, 1e-12);     // an empty range
}

Test(svg, ticks_are_whole_multiples)
{
	double t[SVG_TICKS_MAX];
	char label[32];
	size_t n = svg_ticks(0, 1, 0.2, t, SVG_TICKS_MAX);
	cr_assert_eq(n, 6);
	const char *want[] = {"0", "0.2", "0.4", "0.6", "0.8", "1"};
	for (size_t i = 0; i < n; i++) {
		svg_format_number(t[i], label, sizeof(label));
		cr_assert_str_eq(label, want[i]);
	}
	n = svg_ticks(-5, 12, 5, t, SVG_TICKS_MAX);
	cr_assert_eq(n, 4);
	cr_assert_float_eq(t[0], -5, 1e-12);
	cr_assert_float_eq(t[3], 10, 1e-12);
	cr_assert_eq(svg_ticks(0, 100, 1, t, 3), 3);
}

Test(svg, axes_round_outwards)
{
	struct svg_axis a = {.lo = 0, .hi = 1150.6};
	svg_axis_round(&a, 5); // step 200 (230 -> 2 x 100)
	cr_assert_float_eq(a.step, 200, 1e-9);
	cr_assert_float_eq(a.lo, 0, 1e-9);
	cr_assert_float_eq(a.hi, 1200, 1e-9);
	struct svg_axis l = {.scale = SVG_LOG10, .lo = 0.0003, .hi = 42};
	svg_axis_round(&l, 0);
	cr_assert_float_eq(l.lo, 1e-4, 1e-15);
	cr_assert_float_eq(l.hi, 100, 1e-9);
}

static void expect_label(svg_format *f, double v, const char *want)
{
	char buf[32];
	f(v, buf, sizeof(buf));
	cr_assert_str_eq(buf, want, "%g", v);
}

Test(svg, tick_labels)
{
	expect_label(svg_format_number, 1500, "1500");
	expect_label(svg_format_number, 25000, "25k");
	expect_label(svg_format_number, 3e6, "3M");
	expect_label(svg_format_seconds, 1e-8, "10 ns");
	expect_label(svg_format_seconds, 1e-6, "1 \xc2\xb5s");
	expect_label(svg_format_seconds, 0.01, "10 ms");
	expect_label(svg_format_seconds, 100, "100 s");
	expect_label(svg_format_bytes, 250, "250 B");
	expect_label(svg_format_bytes, 1000, "1 kB");
	expect_label(svg_format_bytes, 2.5e6, "2.5 MB");
}

Test(svg, values_to_pixels)
{
	FILE *null = fopen("/dev/null", "w");
	struct svg_chart c;
	svg_chart_begin(&c, null, 960, 360, "t", "title", "desc", false);
	fclose(null);
	// The plot area: 76 .. 936 px across, 56 .. 312 px down.
	c.x = (struct svg_axis){.lo = 0, .hi = 100};
	c.y = (struct svg_axis){.lo = 0, .hi = 10};
	cr_assert_float_eq(svg_x(&c, 50), 76 + 430, 1e-9);
	cr_assert_float_eq(svg_y(&c, 10), 56, 1e-9);
	cr_assert_float_eq(svg_y(&c, 0), 312, 1e-9);
	cr_assert_float_eq(svg_y(&c, 20), 56, 1e-9); // clamped to the area
	c.x = (struct svg_axis){.scale = SVG_LOG10, .lo = 1, .hi = 1000};
	cr_assert_float_eq(svg_x(&c, 10), 76 + 860.0 / 3, 1e-9);
	cr_assert_float_eq(svg_x(&c, 0), 76, 1e-9); // no place on a log axis: the edge
}

static void add(struct bopt_summary *s, int64_t t)
{
	summary_add(s, t, 100, 0, NULL, 0);
}

Test(svg, series_rebinned_by_second)
{
	struct bopt_summary s;
	struct rate_series r;
	char err[BOPT_ERR_MAX];
	summary_init(&s);
	for (int i = 0; i < 3; i++)
		add(&s, T0 + SEC / 2);
	add(&s, T0 + 2 * SEC + SEC / 4);
	add(&s, T0 + 5 * SEC);
	summary_flush(&s);
	cr_assert(rate_series_make(&s.series, SERIES_UNITS_PER_SEC, &r, err), "%s", err);
	uint64_t want[] = {3, 0, 1, 0, 0, 1};
	cr_assert_eq(r.n, 6);
	for (size_t i = 0; i < 6; i++)
		cr_assert_eq(r.counts[i], want[i], "bin %zu", i);
	cr_assert_eq(r.first, T0_S);
	cr_assert_eq(rate_series_start_ns(&r, 0), T0);
	cr_assert_eq(rate_series_start_ns(&r, 5), T0 + 5 * SEC);
	cr_assert_float_eq(rate_series_width_s(&r), 1, 1e-12);
	rate_series_release(&r);
	// Half seconds, aligned to the calendar: the first bin starts at T0 + 0.5 s.
	cr_assert(rate_series_make(&s.series, SERIES_UNITS_PER_SEC / 2, &r, err), "%s", err);
	cr_assert_eq(r.n, 10);
	cr_assert_eq(r.counts[0], 3); // [T0 + 0.5 s, T0 + 1 s)
	cr_assert_eq(r.counts[3], 1); // [T0 + 2 s, T0 + 2.5 s)
	cr_assert_eq(r.counts[9], 1);
	rate_series_release(&r);
	// Five seconds of events: 1 s bins are too few, 1/16 s gives 81 of them.
	cr_assert_eq(rate_series_auto_width(&s.series), 64);
	summary_destroy(&s);
}

Test(svg, series_widths_follow_the_series_bins)
{
	struct bopt_summary s;
	struct rate_series r;
	char err[BOPT_ERR_MAX];
	summary_init(&s);
	// An hour: 3,686,400 units need bins of 64 units to fit in SERIES_CAP.
	add(&s, T0);
	add(&s, T0 + 3600 * SEC);
	summary_flush(&s);
	cr_assert_eq(s.series.shift, 6);
	cr_assert_not(rate_series_make(&s.series, 1000, &r, err));
	cr_assert(strstr(err, "bins of 0.0625 s") != NULL, "%s", err);
	// 3601 one-second bins are too many to draw; 2 s gives 1801; 5 s gives 721.
	cr_assert_eq(rate_series_auto_width(&s.series), 5 * SERIES_UNITS_PER_SEC);
	cr_assert(rate_series_make(&s.series, 60 * SERIES_UNITS_PER_SEC, &r, err), "%s", err);
	uint64_t total = 0;
	for (size_t i = 0; i < r.n; i++)
		total += r.counts[i];
	cr_assert_eq(total, 2);
	rate_series_release(&r);
	summary_destroy(&s);
}
