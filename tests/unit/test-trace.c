/*
 * Trace lines: the variant, the event time, StoredEvent unwrapping and
 * every kind of invalid line with its reason and column.
 */
#define _GNU_SOURCE // RTLD_NEXT
#include <criterion/criterion.h>
#include <dlfcn.h>
#include <errno.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <zlib.h>

#include "base/timestamp.h"
#include "base/util.h"
#include "trace/merge.h"
#include "trace/trace.h"
#include "tempfile.h"
#include "tracegen.h"

#define META "\"metadata\":{\"event_id\":\"e1\",\"timestamp\":\"2026-07-19T08:54:15.5Z\"," \
	"\"source\":\"s\",\"user\":null,\"properties\":{\"a\":\"b\"},\"checksum\":null}"
#define T_META (INT64_C(1784451255) * 1000000000 + 500000000)

// Each line is parsed alone and as the middle line of a block (with the
// pre-pass shared by the block's lines): the same answer both ways.
static enum trace_line parse(const char *line, struct trace_event *ev, char *err)
{
	size_t len = strlen(line);
	enum trace_line got = trace_parse_line(line, len, ev, err);
	static const char before[] = "{\"a\":\"\\\"\"}\n", after[] = "\n\"x";
	char *block = xmalloc(sizeof(before) + len + sizeof(after));
	memcpy(block, before, sizeof(before) - 1);
	memcpy(block + sizeof(before) - 1, line, len);
	memcpy(block + sizeof(before) - 1 + len, after, sizeof(after) - 1);
	const char *in = block + sizeof(before) - 1;
	struct line_window w = {0};
	struct trace_event bev;
	char berr[BOPT_ERR_MAX] = "";
	const char *text_end = in + len + sizeof(after) - 1;
	// The line before, first: its window covers this line from an offset.
	cr_assert_eq(trace_parse_block_line(&w, block, sizeof(before) - 2, text_end, &bev, berr),
		TRACE_LINE_INVALID);
	cr_assert_eq(w.base, block);
	cr_assert_eq(trace_parse_block_line(&w, in, len, text_end, &bev, berr), got, "%s", line);
	if (got == TRACE_LINE_EVENT) {
		cr_assert_eq(bev.t, ev->t, "%s", line);
		cr_assert_eq(bev.variant, ev->variant, "%s", line);
	} else if (got == TRACE_LINE_INVALID) {
		cr_assert_str_eq(berr, err, "%s", line);
	}
	free(block);
	return got;
}

static void valid(const char *line, const char *variant, int64_t t)
{
	struct trace_event ev;
	char err[BOPT_ERR_MAX] = "";
	cr_assert_eq(parse(line, &ev, err), TRACE_LINE_EVENT, "%s: %s", line, err);
	cr_assert_eq(ev.t, t, "%s", line);
	if (variant != NULL) {
		cr_assert_geq(ev.variant, 0);
		cr_assert_str_eq(bopt_variant_names[ev.variant], variant);
	} else {
		cr_assert_eq(ev.variant, -1);
	}
}

static void invalid(const char *line, const char *reason)
{
	struct trace_event ev;
	char err[BOPT_ERR_MAX] = "";
	cr_assert_eq(parse(line, &ev, err), TRACE_LINE_INVALID, "accepted: %s", line);
	cr_assert_str_eq(err, reason, "for %s", line);
}

Test(trace, stream_events)
{
	valid("{\"TripleAdded\":{\"subject\":\"s\",\"predicate\":\"p\",\"object\":\"o\","
		"\"graph\":null," META "}}", "TripleAdded", T_META);
	valid("  {\"TransactionBegin\":{\"transaction_id\":\"tx\",\"isolation_level\":null,"
		META "}}  \r", "TransactionBegin", T_META);
	// Heartbeat's own timestamp wins over metadata's.
	valid("{\"Heartbeat\":{\"timestamp\":\"2026-07-19T08:54:16Z\",\"source\":\"n\"," META "}}",
		"Heartbeat", INT64_C(1784451256) * 1000000000);
	valid("{\"Heartbeat\":{\"source\":\"n\"," META "}}", "Heartbeat", T_META);
	// A "timestamp" elsewhere is not the event time.
	valid("{\"GraphCreated\":{\"timestamp\":\"2000-01-01T00:00:00Z\"," META "}}",
		"GraphCreated", T_META);
	valid("{\"SomethingNew\":{" META "}}", NULL, T_META);
	// Escaped keys and values are decoded.
	valid("{\"Triple\\u0041dded\":{\"metadata\":{\"time\\u0073tamp\":"
		"\"2026-07-19T08:54:15.5\\u005a\"}}}", "TripleAdded", T_META);
	valid("{\"ErrorOccurred\":{\"error_message\":\"\\ud83d\\ude00 \xc3\xa9\\n\",\"n\":[1,-2.5e+3,"
		"true,false,null,{}],\"x\":{\"y\":[]}," META "}}", "ErrorOccurred", T_META);
}

Test(trace, stored_events_are_unwrapped)
{
	valid("{\"event_id\":\"e\",\"sequence_number\":7,\"stream_id\":\"s\",\"event_data\":"
		"{\"QuadAdded\":{\"graph\":\"g\"," META "}},\"stored_at\":\"2030-01-01T00:00:00Z\"}",
		"QuadAdded", T_META);
	invalid("{\"event_id\":\"e\",\"event_data\":{\"A\":{" META "},\"B\":{}}}",
		"expected an object with exactly one key, the event variant (found 2)");
}

Test(trace, blank_lines)
{
	struct trace_event ev;
	char err[BOPT_ERR_MAX];
	cr_assert_eq(trace_parse_line("", 0, &ev, err), TRACE_LINE_BLANK);
	cr_assert_eq(parse(" \t \r", &ev, err), TRACE_LINE_BLANK);
}

Test(trace, invalid_json_names_the_column)
{
	invalid("{\"TripleAdded\" {}}", "invalid JSON at column 16: expected ':'");
	invalid("{\"TripleAdded\":{" META "}", "invalid JSON at column 147: unexpected end of line");
	invalid("[1,2]", "expected an object with exactly one key, the event variant");
	invalid("[1,2", "invalid JSON at column 5: unexpected end of line");
	invalid("42 x", "invalid JSON at column 4: trailing characters after the value");
	invalid("{\"A\":{\"x\":tru}}", "invalid JSON at column 11: expected a value");
	invalid("{\"A\":{\"x\":01}}", "invalid JSON at column 12: expected ',' or '}'");
	invalid("{\"A\":{\"x\":1.}}", "invalid JSON at column 13: invalid number");
	invalid("{\"A\":{\"x\":\"a\\qb\"}}", "invalid JSON at column 13: invalid escape in string");
	invalid("{\"A\":{\"x\":\"\\ud800\"}}", "invalid JSON at column 12: unpaired surrogate in string");
	invalid("{\"A\":{\"x\":\"a\tb\"}}", "invalid JSON at column 13: control character in string");
	invalid("{\"A\":{\"x\":\"\xff\"}}", "invalid JSON at column 12: invalid UTF-8");
	invalid("{\"A\":{\"x\":\"\xc0\xaf\"}}", "invalid JSON at column 12: invalid UTF-8");
	invalid("{\"A\":{\"x\":\"\xed\xa0\x80\"}}", "invalid JSON at column 12: invalid UTF-8");
	invalid("{\"A\":{}} x", "invalid JSON at column 10: trailing characters after the event");
	invalid("{\"A\":{\"x\":[1 2]}}", "invalid JSON at column 14: expected ',' or ']'");
	invalid("{\"A\":{\"x\":\"open}}", "invalid JSON at column 18: unterminated string");
	char nul[] = "{\"A\":{\"x\":\"a\0b\"}}";
	struct trace_event ev;
	char err[BOPT_ERR_MAX];
	cr_assert_eq(trace_parse_line(nul, sizeof(nul) - 1, &ev, err), TRACE_LINE_INVALID);
	cr_assert_str_eq(err, "invalid JSON at column 13: NUL byte in string");
}

static void nested_arrays(char *line, int depth)
{
	size_t n = (size_t)sprintf(line, "{\"A\":{\"x\":");
	for (int i = 0; i < depth; i++)
		line[n++] = '[';
	for (int i = 0; i < depth; i++)
		line[n++] = ']';
	strcpy(line + n, "," META "}}");
}

Test(trace, nesting_limit)
{
	// The event object and its body are two levels: 126 arrays reach 128.
	char line[2048];
	nested_arrays(line, 126);
	valid(line, NULL, T_META);
	// The first '[' stands at column 11, the 127th at column 11 + 126.
	nested_arrays(line, 127);
	invalid(line, "invalid JSON at column 137: nesting deeper than 128 levels");
}

Test(trace, shape_errors)
{
	invalid("{}", "expected an object with exactly one key, the event variant (found 0)");
	invalid("{\"A\":{" META "},\"B\":{" META "}}",
		"expected an object with exactly one key, the event variant (found 2)");
	invalid("{\"TripleAdded\":[1]}", "the value of variant \"TripleAdded\" must be an object");
	invalid("{\"TripleAdded\":{\"subject\":\"s\"}}", "missing timestamp (metadata.timestamp)");
	invalid("{\"Heartbeat\":{\"source\":\"s\"}}", "missing timestamp (Heartbeat.timestamp)");
	invalid("{\"TripleAdded\":{\"metadata\":{\"timestamp\":1784451255}}}",
		"missing timestamp (metadata.timestamp)");
	invalid("{\"TripleAdded\":{\"metadata\":{\"timestamp\":\"2026-02-30T00:00:00Z\"}}}",
		"malformed timestamp \"2026-02-30T00:00:00Z\"");
	invalid("{\"TripleAdded\":{\"metadata\":{\"timestamp\":\"0001-01-01T00:00:00Z\"}}}",
		"out-of-range timestamp \"0001-01-01T00:00:00Z\" (bopt reads 1677-09-21 to 2262-04-11)");
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

// pthread_create, failing on demand: bopt's own calls resolve to this one.
static bool threads_fail;

int pthread_create(pthread_t *t, const pthread_attr_t *a, void *(*f)(void *), void *arg)
{
	int (*real)(pthread_t *, const pthread_attr_t *, void *(*)(void *), void *);
	if (threads_fail)
		return EAGAIN;
	*(void **)&real = dlsym(RTLD_NEXT, "pthread_create");
	return real(t, a, f, arg);
}

// A generated trace of several blocks, plain and gzipped.
static void write_trace(char *plain, char *gz, unsigned blocks)
{
	struct gen g;
	gen_init(&g, &(struct gen_params){.process = GEN_POISSON, .rate = 1000, .seed = 7,
		.start_ns = INT64_C(1784451255000000000)});
	FILE *f = fdopen(mkstemp(plain), "w");
	gzFile z = gzdopen(mkstemp(gz), "wb1");
	char line[GEN_LINE_MAX];
	size_t total = 0;
	while (total < blocks * TRACE_BLOCK_SIZE) {
		size_t n = gen_line(&g, gen_next(&g), line);
		fwrite(line, 1, n, f);
		gzwrite(z, line, (unsigned)n);
		total += n;
	}
	fclose(f);
	gzclose(z);
}

static void summarise(const char *path, int jobs, struct bopt_summary *s)
{
	char err[BOPT_ERR_MAX] = "";
	char *paths[] = {(char *)path};
	struct trace_options o = {.jobs = jobs};
	summary_init(s);
	cr_assert(trace_summarise(paths, 1, &o, s, NULL, err), "%s", err);
}

// No worker thread can be made: the reading thread does the work itself,
// with the same result, for a file (read by blocks) and for gzip (streamed).
Test(trace, without_threads_the_caller_does_the_work)
{
	char plain[] = "/tmp/bopt-trace-XXXXXX", gz[] = "/tmp/bopt-trace-gz-XXXXXX";
	write_trace(plain, gz, 3);
	const char *paths[] = {plain, gz};
	for (int i = 0; i < 2; i++) {
		struct bopt_summary want, got;
		threads_fail = false;
		summarise(paths[i], 3, &want);
		threads_fail = true;
		summarise(paths[i], 3, &got);
		threads_fail = false;
		cr_assert_gt(want.events, 10000);
		cr_assert_eq(got.events, want.events, "%s", paths[i]);
		cr_assert_eq(got.bytes, want.bytes);
		cr_assert_eq(got.t_min, want.t_min);
		cr_assert_eq(got.t_max, want.t_max);
		cr_assert_eq(got.gap_sum, want.gap_sum);
		cr_assert_eq(memcmp(got.variant_counts, want.variant_counts,
			sizeof(want.variant_counts)), 0);
		summary_destroy(&want);
		summary_destroy(&got);
	}
	unlink(plain);
	unlink(gz);
}

// Block boundaries: a line that starts just before, exactly at or just
// after a block's first byte is counted once, whoever reads the blocks.
Test(trace, lines_at_block_boundaries_count_once)
{
	for (int delta = -1; delta <= 1; delta++) {
		char path[] = "/tmp/bopt-trace-XXXXXX";
		FILE *f = fdopen(mkstemp(path), "w");
		struct gen g;
		gen_init(&g, &(struct gen_params){.process = GEN_CONSTANT, .rate = 100, .seed = 3,
			.start_ns = INT64_C(1784451255000000000)});
		char line[GEN_LINE_MAX];
		uint64_t lines = 0, at = 0, target = TRACE_BLOCK_SIZE + (uint64_t)(int64_t)delta;
		while (at < 2 * (uint64_t)TRACE_BLOCK_SIZE + 5000) {
			size_t n = gen_line(&g, gen_next(&g), line);
			if (at < target && at + n + GEN_LINE_MAX > target) {
				// Pad this line with spaces so that the next starts at target.
				size_t pad = (size_t)(target - at) - n;
				fwrite(line, 1, n - 1, f);
				for (size_t i = 0; i < pad; i++)
					fputc(' ', f);
				fputc('\n', f);
				at = target;
			} else {
				fwrite(line, 1, n, f);
				at += n;
			}
			lines++;
		}
		fclose(f);
		for (int jobs = 1; jobs <= 2; jobs++) {
			struct bopt_summary s;
			summarise(path, jobs, &s);
			cr_assert_eq(s.events, lines, "delta %d, %d jobs: %llu events of %llu lines",
				delta, jobs, (unsigned long long)s.events, (unsigned long long)lines);
			summary_destroy(&s);
		}
		unlink(path);
	}
}

// More jobs than bopt runs threads (TRACE_MAX_THREADS, 6), on more blocks
// than the threads can hold at once: the same summary as one thread.
Test(trace, jobs_beyond_the_thread_cap, .timeout = 30)
{
	char plain[] = "/tmp/bopt-trace-XXXXXX", gz[] = "/tmp/bopt-trace-gz-XXXXXX";
	write_trace(plain, gz, 16);
	unlink(gz);
	struct bopt_summary one, many;
	summarise(plain, 1, &one);
	summarise(plain, 64, &many);
	cr_assert_eq(many.events, one.events);
	cr_assert_eq(many.bytes, one.bytes);
	cr_assert_eq(many.gap_sum, one.gap_sum);
	cr_assert_eq(many.out_of_order, one.out_of_order);
	summary_destroy(&one);
	summary_destroy(&many);
	unlink(plain);
}

// Several files are read by a thread each: when none can be made, the
// merge says which file it could not start, and nothing is left running.
Test(trace, merge_without_threads_names_the_file)
{
	char a[] = "/tmp/bopt-trace-XXXXXX", gz[] = "/tmp/bopt-trace-gz-XXXXXX";
	write_trace(a, gz, 1);
	char *paths[] = {a, gz};
	char err[BOPT_ERR_MAX] = "", want[BOPT_ERR_MAX];
	struct bopt_summary s;
	struct trace_options o = {.jobs = 1};
	summary_init(&s);
	threads_fail = true;
	cr_assert_not(trace_summarise(paths, 2, &o, &s, NULL, err));
	threads_fail = false;
	snprintf(want, sizeof(want), "cannot start a thread to read %s", a);
	cr_assert_str_eq(err, want);
	summary_destroy(&s);
	summary_init(&s);
	cr_assert(trace_summarise(paths, 2, &o, &s, NULL, err), "%s", err);
	cr_assert_gt(s.events, 1000);
	summary_destroy(&s);
	unlink(a);
	unlink(gz);
}

// Five files, event i of a trace in file i % 5, given out of time order
// (the earliest event is in the fourth file named), each holding several
// of the merge's chunks (MERGE_CHUNK times) so that chunks queue up: the
// merge emits every time in order, as the single file does.
Test(trace, merge_of_five_interleaved_files_is_the_single_file, .timeout = 60)
{
	enum { FILES = 5, EVENTS = FILES * 6 * MERGE_CHUNK };
	static const int order[FILES] = {3, 1, 4, 0, 2};
	char whole[] = "/tmp/bopt-merge-XXXXXX", part[FILES][32];
	FILE *fw = fdopen(mkstemp(whole), "w"), *fp[FILES];
	for (int k = 0; k < FILES; k++) {
		snprintf(part[k], sizeof(part[k]), "/tmp/bopt-merge-%d-XXXXXX", k);
		fp[k] = fdopen(mkstemp(part[k]), "w");
	}
	// Times strictly increasing with uneven gaps: 1 ms plus (i * 7919) % 500 us.
	int64_t us = 0;
	for (int i = 0; i < EVENTS; i++) {
		us += 1000 + (i * 7919) % 500;
		char line[96];
		int n = snprintf(line, sizeof(line),
			"{\"Heartbeat\":{\"timestamp\":\"2026-07-19T08:%02d:%02d.%06dZ\"}}\n",
			(int)(us / 60000000), (int)(us / 1000000 % 60), (int)(us % 1000000));
		fwrite(line, 1, (size_t)n, fw);
		fwrite(line, 1, (size_t)n, fp[i % FILES]);
	}
	fclose(fw);
	char *paths[FILES];
	for (int k = 0; k < FILES; k++) {
		fclose(fp[k]);
		paths[k] = part[order[k]];
	}
	struct bopt_summary one, merged;
	summarise(whole, 1, &one);
	char err[BOPT_ERR_MAX] = "";
	struct trace_options o = {.jobs = 2};
	summary_init(&merged);
	cr_assert(trace_summarise(paths, FILES, &o, &merged, NULL, err), "%s", err);
	cr_assert_eq(one.events, EVENTS);
	cr_assert_eq(merged.events, EVENTS);
	cr_assert_eq(merged.out_of_order, 0);
	cr_assert_eq(merged.late, 0);
	cr_assert_eq(merged.n_gaps, EVENTS - 1);
	cr_assert_eq(merged.t_min, one.t_min);
	cr_assert_eq(merged.t_max, one.t_max);
	cr_assert_eq(merged.gap_sum, one.gap_sum);
	cr_assert_eq(merged.gap_sum, (uint64_t)(us - 1000) * 1000); // the first gap is 1 ms
	cr_assert_eq(memcmp(merged.gap_hist, one.gap_hist, sizeof(one.gap_hist)), 0);
	summary_destroy(&one);
	summary_destroy(&merged);
	unlink(whole);
	for (int k = 0; k < FILES; k++)
		unlink(part[k]);
}

// A stream (gzip) whose first line runs past the longest line: the error
// names the file and line 1, also when no complete line came before it.
Test(trace, stream_starting_with_a_line_too_long, .timeout = 60)
{
	char gz[] = "/tmp/bopt-trace-long-XXXXXX";
	gzFile z = gzdopen(mkstemp(gz), "wb1");
	size_t chunk = 1 << 20;
	char *x = malloc(chunk);
	memset(x, 'x', chunk);
	for (size_t done = 0; done < TRACE_BLOCK_SIZE + TRACE_MAX_LINE + chunk; done += chunk)
		gzwrite(z, x, (unsigned)chunk);
	gzclose(z);
	free(x);
	char *paths[] = {gz};
	char err[BOPT_ERR_MAX] = "", want[BOPT_ERR_MAX];
	struct trace_options o = {.jobs = 2};
	struct bopt_summary s;
	summary_init(&s);
	cr_assert_not(trace_summarise(paths, 1, &o, &s, NULL, err));
	snprintf(want, sizeof(want), "%s:1: line longer than 16 MiB", gz);
	cr_assert_str_eq(err, want);
	summary_destroy(&s);
	unlink(gz);
}

// --window reads its inputs twice: standard input and what is not a regular
// file (here a character device) are refused, naming it.
Test(trace, window_needs_regular_files)
{
	char *dev[] = {"/dev/null"}, *in[] = {"-"};
	char err[BOPT_ERR_MAX] = "";
	struct trace_options o = {.jobs = 1, .has_window = true,
		.window_ns = 10 * INT64_C(1000000000)};
	struct bopt_summary s;
	summary_init(&s);
	cr_assert_not(trace_summarise(dev, 1, &o, &s, NULL, err));
	cr_assert_str_eq(err, "--window needs files: /dev/null is not a regular file and "
		"cannot be read twice");
	cr_assert_not(trace_summarise(in, 1, &o, &s, NULL, err));
	cr_assert_str_eq(err, "--window needs files: standard input cannot be read twice");
	summary_destroy(&s);
}

// clock_gettime, with the monotonic clock running a second a call on
// demand, so that the progress line is drawn at the first chance (after
// its half-second delay) however fast the reading is.
static bool fast_clock;
static long clock_calls;

int clock_gettime(clockid_t id, struct timespec *ts)
{
	int (*real)(clockid_t, struct timespec *);
	*(void **)&real = dlsym(RTLD_NEXT, "clock_gettime");
	int rc = real(id, ts);
	if (fast_clock && id == CLOCK_MONOTONIC)
		ts->tv_sec += ++clock_calls;
	return rc;
}

static int draws, clears;

static void count_draw(const char *name, uint64_t done, uint64_t total, double elapsed)
{
	(void)name, (void)done, (void)total, (void)elapsed;
	draws++;
}

static void count_clear(void)
{
	clears++;
}

// Every progress line drawn is cleared at the end, for a file read by
// blocks and for a gzip stream. (Whether one is drawn at all depends on the
// workers still being busy when the reading thread first looks.)
Test(trace, progress_drawn_is_cleared, .timeout = 60)
{
	static const struct progress_sink sink = {count_draw, count_clear};
	char plain[] = "/tmp/bopt-trace-XXXXXX", gz[] = "/tmp/bopt-trace-gz-XXXXXX";
	write_trace(plain, gz, 16);
	const char *paths[] = {plain, gz};
	for (int i = 0; i < 2; i++) {
		char err[BOPT_ERR_MAX] = "";
		char *p[] = {(char *)paths[i]};
		struct trace_options o = {.jobs = 1, .progress = &sink};
		struct bopt_summary s;
		summary_init(&s);
		draws = clears = 0;
		fast_clock = true;
		bool ok = trace_summarise(p, 1, &o, &s, NULL, err);
		fast_clock = false;
		cr_assert(ok, "%s", err);
		cr_assert_eq(clears, draws > 0, "%s: %d drawn, %d cleared", paths[i], draws, clears);
		summary_destroy(&s);
	}
	unlink(plain);
	unlink(gz);
}
