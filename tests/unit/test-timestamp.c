#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/timestamp.h"
#include "tempfile.h"

// Every text parsed here also goes through ts_parse_memo, whose memo runs
// on from one call to the next (as over a trace's lines): the same status
// and instant, whatever minute came before.
static struct ts_memo memo;

static void same_with_memo(const char *s, size_t len)
{
	int64_t a = 1, b = 2;
	enum ts_status want = ts_parse_status(s, len, &a);
	cr_assert_eq(ts_parse_memo(&memo, s, len, &b), want, "memo: %s", s);
	if (want == TS_OK)
		cr_assert_eq(a, b, "memo: %s", s);
}

static int64_t parse_ok(const char *s)
{
	int64_t ns = 0;
	cr_assert(ts_parse(s, strlen(s), &ns), "should parse: %s", s);
	same_with_memo(s, strlen(s));
	return ns;
}

static void parse_bad(const char *s)
{
	int64_t ns;
	cr_assert_not(ts_parse(s, strlen(s), &ns), "should not parse: %s", s);
	same_with_memo(s, strlen(s));
}

// A memo holding a minute: texts that share it and differ after it (a bad
// second, fraction or zone; a leap second), then a new minute.
Test(timestamp, memo_agrees_within_a_minute)
{
	static const char *const run[] = {
		"2026-07-19T08:54:15Z", "2026-07-19T08:54:16.5Z", "2026-07-19T08:54:60.25Z",
		"2026-07-19T08:54:61Z", "2026-07-19T08:54:1xZ", "2026-07-19T08:54:15.Z",
		"2026-07-19T08:54:15.1234567890Z", "2026-07-19T08:54:15+01:00",
		"2026-07-19T08:54:15+01:0", "2026-07-19T08:54:15", "2026-07-19T08:54-15Z",
		"2026-07-19T08:54:15Zjunk", "2026-07-19T08:55:00Z", "2026-07-19T08:54:59.999999999Z",
		"2026-02-30T08:54:15Z", "2026-07-19T08:54:15z", "2262-04-11T23:47:16.854775807Z",
		"2262-04-11T23:47:16.854775808Z", "1677-09-21T00:12:43.145224191Z",
	};
	for (size_t i = 0; i < sizeof(run) / sizeof(run[0]); i++)
		same_with_memo(run[i], strlen(run[i]));
}

Test(timestamp, epoch_and_known_instants)
{
	cr_assert_eq(parse_ok("1970-01-01T00:00:00Z"), 0);
	// date -u -d 2026-07-19T08:54:15Z +%s = 1784451255
	cr_assert_eq(parse_ok("2026-07-19T08:54:15Z"), INT64_C(1784451255) * 1000000000);
	cr_assert_eq(parse_ok("2026-07-19T08:54:15.123456789Z"),
		INT64_C(1784451255) * 1000000000 + 123456789);
	cr_assert_eq(parse_ok("1969-12-31T23:59:59.999999999Z"), -1);
}

Test(timestamp, fraction_digits_zero_to_nine)
{
	const char *forms[] = {
		"2000-01-01T00:00:00Z", "2000-01-01T00:00:00.5Z",
		"2000-01-01T00:00:00.12Z", "2000-01-01T00:00:00.123Z",
		"2000-01-01T00:00:00.1234Z", "2000-01-01T00:00:00.12345Z",
		"2000-01-01T00:00:00.123456Z", "2000-01-01T00:00:00.1234567Z",
		"2000-01-01T00:00:00.12345678Z", "2000-01-01T00:00:00.123456789Z",
	};
	const int64_t frac[] = {0, 500000000, 120000000, 123000000, 123400000,
		123450000, 123456000, 123456700, 123456780, 123456789};
	const int64_t base = INT64_C(946684800) * 1000000000;
	for (size_t i = 0; i < sizeof(forms) / sizeof(forms[0]); i++)
		cr_assert_eq(parse_ok(forms[i]), base + frac[i], "%s", forms[i]);
	parse_bad("2000-01-01T00:00:00.1234567890Z");
	parse_bad("2000-01-01T00:00:00.Z");
}

Test(timestamp, offsets_and_separators)
{
	int64_t utc = parse_ok("2026-03-01T10:00:00Z");
	cr_assert_eq(parse_ok("2026-03-01T12:30:00+02:30"), utc);
	cr_assert_eq(parse_ok("2026-03-01T04:01:00-05:59"), utc);
	cr_assert_eq(parse_ok("2026-03-01t10:00:00z"), utc);
	cr_assert_eq(parse_ok("2026-03-01 10:00:00+00:00"), utc);
	cr_assert_eq(parse_ok("2026-03-01T10:00:00-00:00"), utc);
	cr_assert_eq(parse_ok("2026-03-02T09:59:00+23:59"), utc);
	cr_assert_eq(parse_ok("2026-02-28T10:01:00-23:59"), utc);
	parse_bad("2026-03-01T10:00:00+24:00");
	parse_bad("2026-03-01T10:00:00+02:60");
	parse_bad("2026-03-01T10:00:00+0200");
	parse_bad("2026-03-01T10:00:00");
	parse_bad("2026-03-01T10:00:00 Z");
}

Test(timestamp, leap_days)
{
	cr_assert_eq(parse_ok("2024-03-01T00:00:00Z") - parse_ok("2024-02-28T00:00:00Z"),
		INT64_C(2) * 86400 * 1000000000);
	parse_ok("2000-02-29T00:00:00Z");
	parse_bad("1900-02-29T00:00:00Z");
	parse_bad("2023-02-29T00:00:00Z");
	parse_bad("2100-02-29T00:00:00Z");
	parse_ok("2096-02-29T23:59:59Z");
	parse_bad("2024-04-31T00:00:00Z");
}

// The last day of every month parses; the day after it does not.
Test(timestamp, month_lengths)
{
	const unsigned common[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
	const int years[] = {2026, 2024};
	char text[32];
	for (int k = 0; k < 2; k++) {
		for (unsigned m = 1; m <= 12; m++) {
			unsigned last = common[m - 1] + (k == 1 && m == 2);
			snprintf(text, sizeof(text), "%d-%02u-%02uT12:00:00Z", years[k], m, last);
			int64_t ns = parse_ok(text);
			snprintf(text, sizeof(text), "%d-%02u-%02uT12:00:00Z", years[k], m, last + 1);
			parse_bad(text);
			// The next day is the first of the next month, 86400 s later.
			snprintf(text, sizeof(text), "%d-%02u-01T12:00:00Z", years[k] + (m == 12),
				m % 12 + 1);
			cr_assert_eq(parse_ok(text) - ns, INT64_C(86400) * 1000000000, "%s", text);
		}
	}
}

Test(timestamp, malformed)
{
	// A time without its zone, with or without a fraction.
	parse_bad("2026-03-01T10:00:00.5");
	parse_bad("2026-03-01T10:00:00.123456789");
	parse_bad("2026-03-01T10:00:00X");
	const char *bad[] = {
		"", "2026", "2026-07-19", "2026-07-19T08:54Z", "26-07-19T08:54:15Z",
		"2026-7-19T08:54:15Z", "2026-07-19X08:54:15Z", "2026-13-01T00:00:00Z",
		"2026-00-01T00:00:00Z", "2026-01-00T00:00:00Z", "2026-01-01T24:00:00Z",
		"2026-01-01T00:60:00Z", "2026-01-01T00:00:61Z", "2026-01-01T00:00:00Zjunk",
		"2026-01-01T00:00:00.12a4Z", "+2026-01-01T00:00:00Z", "2026-01-01T00:00:00+1:00",
	};
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
		parse_bad(bad[i]);
}

Test(timestamp, range_limits)
{
	cr_assert_eq(parse_ok("2262-04-11T23:47:16.854775807Z"), INT64_MAX);
	parse_bad("2262-04-11T23:47:16.854775808Z");
	cr_assert_eq(parse_ok("1677-09-21T00:12:43.145224192Z"), INT64_MIN);
	parse_bad("1677-09-21T00:12:43.145224191Z");
	parse_bad("0001-01-01T00:00:00Z");
	parse_bad("9999-12-31T23:59:59Z");
}

Test(timestamp, independent_of_tz)
{
	setenv("TZ", "Pacific/Kiritimati", 1);
	cr_assert_eq(parse_ok("1970-01-01T00:00:00Z"), 0);
	char buf[BOPT_TS_MAX];
	ts_format(0, buf);
	cr_assert_str_eq(buf, "1970-01-01T00:00:00Z");
	unsetenv("TZ");
}

Test(timestamp, leap_second_is_next_minute)
{
	cr_assert_eq(parse_ok("2016-12-31T23:59:60Z"), parse_ok("2017-01-01T00:00:00Z"));
}

Test(timestamp, format_auto_fraction)
{
	char buf[BOPT_TS_MAX];
	struct {
		const char *in, *out;
	} cases[] = {
		{"2026-07-19T08:54:15Z", "2026-07-19T08:54:15Z"},
		{"2026-07-19T08:54:15.5Z", "2026-07-19T08:54:15.500Z"},
		{"2026-07-19T08:54:15.000123Z", "2026-07-19T08:54:15.000123Z"},
		{"2026-07-19T08:54:15.1234567Z", "2026-07-19T08:54:15.123456700Z"},
		{"1969-12-31T23:59:59.999999999Z", "1969-12-31T23:59:59.999999999Z"},
		{"2026-07-19T10:54:15+02:00", "2026-07-19T08:54:15Z"},
		{"1677-09-21T00:12:43.145224192Z", "1677-09-21T00:12:43.145224192Z"},
		{"2262-04-11T23:47:16.854775807Z", "2262-04-11T23:47:16.854775807Z"},
	};
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		ts_format(parse_ok(cases[i].in), buf);
		cr_assert_str_eq(buf, cases[i].out);
	}
}

Test(timestamp, civil_round_trip)
{
	// Every day of five 400-year eras (each century's last day included),
	// then a wider range by weeks.
	for (int64_t z = -2 * 146097; z <= 3 * 146097; z++) {
		int64_t y;
		unsigned m, d;
		civil_from_days(z, &y, &m, &d);
		cr_assert_eq(days_from_civil(y, m, d), z);
		if (m == 1 && d == 1)
			continue;
		int64_t py;
		unsigned pm, pd;
		civil_from_days(z - 1, &py, &pm, &pd);
		cr_assert(py == y && (pm == m ? pd + 1 == d : pm + 1 == m && d == 1),
			"%lld: %lld-%u-%u after %lld-%u-%u", (long long)z, (long long)y, m, d,
			(long long)py, pm, pd);
	}
	for (int64_t z = -800000; z <= 800000; z += 7) {
		int64_t y;
		unsigned m, d;
		civil_from_days(z, &y, &m, &d);
		cr_assert_eq(days_from_civil(y, m, d), z);
	}
}

Test(timestamp, range_ends_exactly)
{
	int64_t ns;
	// INT64_MAX ns after the epoch is 2262-04-11T23:47:16.854775807Z.
	cr_assert_eq(ts_parse_status(S("2262-04-11T23:47:16.854775807Z"), &ns), TS_OK);
	cr_assert_eq(ns, INT64_MAX);
	cr_assert_eq(ts_parse_status(S("2262-04-11T23:47:16.854775808Z"), &ns), TS_OUT_OF_RANGE);
	// INT64_MIN is 1677-09-21T00:12:43.145224192Z.
	cr_assert_eq(ts_parse_status(S("1677-09-21T00:12:43.145224192Z"), &ns), TS_OK);
	cr_assert_eq(ns, INT64_MIN);
	cr_assert_eq(ts_parse_status(S("1677-09-21T00:12:43.145224191Z"), &ns), TS_OUT_OF_RANGE);
}

Test(timestamp, years_1_and_9999_are_out_of_range)
{
	int64_t ns;
	cr_assert_eq(ts_parse_status(S("0001-01-01T00:00:00Z"), &ns), TS_OUT_OF_RANGE);
	cr_assert_eq(ts_parse_status(S("9999-12-31T23:59:59.999999999Z"), &ns), TS_OUT_OF_RANGE);
	cr_assert_eq(ts_parse_status(S("9999-12-31T23:59:60Z"), &ns), TS_OUT_OF_RANGE);
	cr_assert_not(ts_parse(S("0001-01-01T00:00:00Z"), &ns));
	// Malformed stays malformed.
	cr_assert_eq(ts_parse_status(S("2026-02-30T00:00:00Z"), &ns), TS_MALFORMED);
	cr_assert_eq(ts_parse_status(S("2026-07-19T08:54:00+24:00"), &ns), TS_MALFORMED);
	cr_assert_eq(ts_parse_status(S("2026-07-19T08:54:00+23:60"), &ns), TS_MALFORMED);
}

Test(timestamp, offsets_of_23_59)
{
	int64_t ns;
	// 08:54 at +23:59 is 08:55 of the day before in UTC; at -23:59, 08:53
	// of the day after.
	cr_assert_eq(ts_parse_status(S("2026-07-19T08:54:00+23:59"), &ns), TS_OK);
	cr_assert_eq(ns, INT64_C(1784364900000000000));
	cr_assert_eq(ts_parse_status(S("2026-07-19T08:54:00-23:59"), &ns), TS_OK);
	cr_assert_eq(ns, INT64_C(1784537580000000000));
}

// A leap second is the first instant of the next minute whatever its
// fraction, so that it never lands after the events that follow it.
// date -u -d 2017-01-01T00:00:00Z +%s = 1483228800
Test(timestamp, leap_second_fraction_is_dropped)
{
	int64_t next_minute = INT64_C(1483228800) * 1000000000;
	cr_assert_eq(parse_ok("2016-12-31T23:59:60Z"), next_minute);
	cr_assert_eq(parse_ok("2016-12-31T23:59:60.5Z"), next_minute);
	cr_assert_eq(parse_ok("2016-12-31T23:59:60.999999999Z"), next_minute);
	cr_assert_lt(parse_ok("2016-12-31T23:59:60.5Z"), parse_ok("2017-01-01T00:00:00.2Z"));
}
