// Issue 7: what hostile input found, one test per fix. Expected values come
// from the RFC 3339 and JSON rules, worked out by hand (the instants with
// Python's datetime).
#include <criterion/criterion.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "base/fileio.h"
#include "base/input.h"
#include "base/jsonscan.h"
#include "base/serde.h"
#include "base/timestamp.h"
#include "base/util.h"
#include "decide/history.h"
#include "decide/metrics.h"
#include "trace/trace.h"

/* Helpers. */

static char *temp_with(const char *data, size_t len)
{
	char *path = strdup("/tmp/bopt-test-harden-XXXXXX");
	int fd = mkstemp(path);
	cr_assert(fd >= 0);
	cr_assert_eq(write(fd, data, len), (ssize_t)len);
	close(fd);
	return path;
}

static char *slurp(const char *path, size_t *len)
{
	FILE *f = fopen(path, "rb");
	cr_assert_not_null(f);
	static char buf[65536];
	*len = fread(buf, 1, sizeof(buf), f);
	fclose(f);
	return buf;
}

#define S(lit) (lit), (sizeof(lit) - 1)

/* Timestamps: out of range is not malformed. */

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

/* NUL bytes are not the end of a line. */

Test(jsonscan, nul_is_not_the_end)
{
	struct js s;
	js_init(&s, S(" \t\r\n"));
	cr_assert(js_at_end(&s));
	js_init(&s, S(" \0 "));
	cr_assert_eq(js_peek(&s), 0);
	cr_assert_not(js_at_end(&s));
	cr_assert_not(js_skip_value(&s));
	cr_assert_str_eq(s.error, "NUL byte");
	cr_assert_eq(s.error_offset, 1);
}

Test(jsonscan, nesting_error_names_the_bracket)
{
	char text[200];
	memset(text, '[', 129);
	struct js s;
	js_init(&s, text, 129);
	cr_assert_not(js_skip_value(&s));
	// The 129th '[' (offset 128) opens level 129.
	cr_assert_eq(s.error_offset, 128);
}

Test(jsonscan, cut_values)
{
	cr_assert(js_is_cut(S("{\"a\":tr")));
	cr_assert(js_is_cut(S("{\"a\":\"x")));
	cr_assert(js_is_cut(S("{\"a\":[1,2")));
	cr_assert(js_is_cut(S("{\"a\":1.5e")));
	cr_assert(js_is_cut(S("{\"a\":\"\\u00")));
	cr_assert(js_is_cut(S("{\"a\":\"\xc3")));
	cr_assert(js_is_cut(S("[")));
	cr_assert_not(js_is_cut(S("{\"a\":1}")));
	cr_assert_not(js_is_cut(S("")));
	cr_assert_not(js_is_cut(S("not json at all")));
	cr_assert_not(js_is_cut(S("{\"a\" 1, \"b\": 2, \"c\": 3")));
}

Test(trace, nul_line_is_invalid)
{
	struct trace_event ev;
	char err[BOPT_ERR_MAX];
	cr_assert_eq(trace_parse_line(S("\0"), &ev, err), TRACE_LINE_INVALID);
	cr_assert_str_eq(err, "invalid JSON at column 1: NUL byte");
	cr_assert_eq(trace_parse_line(S("  \0"), &ev, err), TRACE_LINE_INVALID);
	cr_assert_str_eq(err, "invalid JSON at column 3: NUL byte");
	cr_assert_eq(trace_parse_line(S("{\"Heartbeat\":{\"timestamp\":"
		"\"2026-07-19T08:54:00Z\"}}\0"), &ev, err), TRACE_LINE_INVALID);
	cr_assert_str_eq(err, "invalid JSON at column 51: trailing characters after the event");
	cr_assert_eq(trace_parse_line(S(" \t\r"), &ev, err), TRACE_LINE_BLANK);
}

/* Whole documents. */

// Parses TEXT, expecting failure: checks the line and the description.
static void doc_fails(const char *text, size_t len, size_t line, const char *description)
{
	struct serde_parse_error e;
	char buf[BOPT_ERR_MAX];
	cr_assert_null(serde_parse(text, len, &e));
	snprintf(buf, sizeof(buf), "invalid JSON at column %zu: %s", e.column, e.reason);
	cr_assert_eq(e.line, line, "line %zu for %s", e.line, description);
	cr_assert_str_eq(buf, description);
}

Test(serde, document_must_end_after_its_value)
{
	struct serde_parse_error e;
	cJSON *doc = serde_parse(S("{\"a\":1}\n  \n"), &e);
	cr_assert_not_null(doc);
	cJSON_Delete(doc);
	doc_fails(S("{\"a\":1} x"), 1, "invalid JSON at column 9: trailing characters after the value");
	doc_fails(S("{\"a\":1}\n\n\0garbage"), 3,
		"invalid JSON at column 1: trailing characters after the value");
	doc_fails(S("{\"a\":1,\n\"b\":}\n{}"), 2, "invalid JSON at column 5: expected a value");
}

Test(serde, document_is_checked_strictly)
{
	// What cJSON lets through: a NUL byte, a raw tab and invalid UTF-8 in
	// a string, 200 levels of nesting.
	doc_fails(S("{\n\"driver\":\"Kafka\0x\"}"), 2,
		"invalid JSON at column 16: NUL byte in string");
	doc_fails(S("{\"a\":\"\t\"}"), 1, "invalid JSON at column 7: control character in string");
	doc_fails(S("{\"a\":\"\xff\"}"), 1, "invalid JSON at column 7: invalid UTF-8");
	char deep[400];
	memset(deep, '[', 200);
	memset(deep + 200, ']', 200);
	doc_fails(deep, sizeof(deep), 1, "invalid JSON at column 129: nesting deeper than 128 levels");
}

Test(serde, negative_zero_reads_as_zero)
{
	cJSON *j = cJSON_Parse("{\"a\":-0,\"b\":-0.0,\"c\":-0e5}");
	char err[BOPT_ERR_MAX];
	const char *keys[] = {"a", "b", "c"};
	for (int i = 0; i < 3; i++) {
		double v = 1;
		cr_assert(serde_get_number(j, keys[i], &v, err));
		cr_assert_eq(v, 0.0);
		cr_assert_not(signbit(v), "%s read as -0", keys[i]);
	}
	cJSON_Delete(j);
}

Test(metrics, nul_byte_does_not_end_the_file)
{
	static const char text[] =
		"{\"backend_type\":\"Kafka\",\"metrics\":{\"producer_average_latency_ms\":1.0,"
		"\"producer_throughput_eps\":10.0,\"success_rate\":1.0}}\n"
		"\0{\"garbage\"\n";
	char *path = temp_with(text, sizeof(text) - 1);
	struct metrics_set m;
	char err[BOPT_ERR_MAX], want[BOPT_ERR_MAX];
	metrics_init(&m, METRICS_DEFAULT_ALPHA);
	cr_assert_not(metrics_load(&m, path, NULL, 0, err));
	snprintf(want, sizeof(want), "%s:2: invalid JSON at column 1: NUL byte", path);
	cr_assert_str_eq(err, want);
	unlink(path);
	free(path);
}

/* Appends after a killed appender. */

static void append_and_expect(const char *before, size_t before_len, const char *after,
	size_t after_len)
{
	char *path = temp_with(before, before_len);
	char err[BOPT_ERR_MAX];
	cr_assert(file_append_locked(path, S("{\"n\":2}\n"), err), "%s", err);
	size_t len;
	const char *got = slurp(path, &len);
	cr_assert_eq(len, after_len, "%zu bytes, wanted %zu", len, after_len);
	cr_assert_eq(memcmp(got, after, len), 0);
	unlink(path);
	free(path);
}

Test(fileio, append_cuts_off_a_killed_record)
{
	append_and_expect(S("{\"n\":1}\n{\"n\":1.2,\"x\":\"ab"), S("{\"n\":1}\n{\"n\":2}\n"));
	append_and_expect(S("{\"n\":1,\"x\":tr"), S("{\"n\":2}\n"));
}

Test(fileio, append_ends_a_whole_last_line)
{
	append_and_expect(S("{\"n\":1}\n{\"n\":1.5}"), S("{\"n\":1}\n{\"n\":1.5}\n{\"n\":2}\n"));
	append_and_expect(S(""), S("{\"n\":2}\n"));
	append_and_expect(S("{\"n\":1}\r\n"), S("{\"n\":1}\r\n{\"n\":2}\n"));
}

Test(fileio, append_refuses_a_file_it_did_not_write)
{
	static const char text[] = "{\"n\":1}\nthis is not json";
	char *path = temp_with(text, sizeof(text) - 1);
	char err[BOPT_ERR_MAX], want[BOPT_ERR_MAX];
	cr_assert_not(file_append_locked(path, S("{\"n\":2}\n"), err));
	snprintf(want, sizeof(want), "%s: ends in an unfinished line that is not JSON; "
		"not appending", path);
	cr_assert_str_eq(err, want);
	size_t len;
	const char *got = slurp(path, &len);
	cr_assert_eq(len, sizeof(text) - 1);
	cr_assert_eq(memcmp(got, text, len), 0);
	unlink(path);
	free(path);
}

Test(history, stats_ignore_an_unfinished_last_line)
{
	// Two whole decisions read back from history_format, then the first
	// 100 bytes of a third, as a killed appender leaves them.
	struct bopt_decision d;
	struct bopt_pattern p;
	struct bopt_performance perf = {.backend_type = BOPT_KAFKA, .measured_latency_p50 = 5,
		.measured_throughput = 100, .reliability_score = 1};
	struct bopt_cost cost = {0};
	pattern_init_default(&p);
	history_decision_init(&d, 0, &p, &perf, &cost, 0.5, xstrdup("why"));
	size_t len;
	char *line = history_format(&d, &len);
	cr_assert_gt(len, 100);
	char *text = xmalloc(3 * len);
	memcpy(text, line, len);
	memcpy(text + len, line, len);
	memcpy(text + 2 * len, line, 100);
	char *path = temp_with(text, 2 * len + 100);
	struct history_read_options o = {.last = HISTORY_DEFAULT_WINDOW};
	struct bopt_stats st;
	uint64_t skipped;
	char err[BOPT_ERR_MAX];
	char *paths[] = {path};
	cr_assert(history_read_stats(paths, 1, &o, &st, &skipped, err), "%s", err);
	cr_assert_eq(st.total_decisions, 2);
	cr_assert_eq(skipped, 0);
	// An unfinished line that is not the last is an error as before.
	memcpy(text + len, line, 100);
	memcpy(text + len + 100, "\n", 1);
	memcpy(text + len + 101, line, len);
	FILE *f = fopen(path, "wb");
	fwrite(text, 1, 2 * len + 101, f);
	fclose(f);
	cr_assert_not(history_read_stats(paths, 1, &o, &st, &skipped, err));
	unlink(path);
	free(path);
	free(text);
	free(line);
	history_decision_release(&d);
	pattern_release(&p);
}
