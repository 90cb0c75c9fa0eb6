#include <criterion/criterion.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "base/input.h"
#include "base/timestamp.h"
#include "base/util.h"
#include "decide/history.h"
#include "decisiongen.h"
#include "tempfile.h"

/* Helpers. */

static char *temp_path(void)
{
	char *path = strdup("/tmp/bopt-test-history-XXXXXX");
	int fd = mkstemp(path);
	cr_assert(fd >= 0);
	close(fd);
	return path;
}

static void write_text(const char *path, const char *text)
{
	FILE *f = fopen(path, "w");
	cr_assert_not_null(f);
	fputs(text, f);
	cr_assert_eq(fclose(f), 0);
}

// Writes generated decisions 0..n-1 (decisiongen.h) as a history file.
static char *generated_history(uint64_t n)
{
	char *path = temp_path();
	FILE *f = fopen(path, "w");
	cr_assert_not_null(f);
	for (uint64_t i = 0; i < n; i++) {
		struct bopt_decision d;
		size_t len;
		decisiongen(i, 0, &d);
		char *line = history_format(&d, &len);
		cr_assert_eq(fwrite(line, 1, len, f), len);
		free(line);
		history_decision_release(&d);
	}
	cr_assert_eq(fclose(f), 0);
	return path;
}

static void read_stats(const char *path, size_t last, bool skip, struct bopt_stats *s,
	uint64_t *skipped)
{
	struct history_read_options o = {.last = last, .skip_invalid = skip};
	char err[BOPT_ERR_MAX] = "";
	char *paths[] = {(char *)path};
	cr_assert(history_read_stats(paths, 1, &o, s, skipped, err), "%s", err);
}

// Hand-computed stats of a window of generated decisions.
struct expected {
	uint64_t n;      // decisions in the file
	size_t last;     // --last
	uint64_t total;
	uint64_t usage[BOPT_BACKEND_COUNT]; // Kafka Nats Redis Kinesis Pulsar RabbitMQ Memory
	double confidence;
	bool has_improvements;
	double latency, throughput;
	uint64_t active;
	int64_t last_index; // index of the last decision, -1: none
};

static void expect_stats(const struct bopt_stats *s, const struct expected *e)
{
	cr_expect_eq(s->total_decisions, e->total, "n=%llu: total", (unsigned long long)e->n);
	for (int b = 0; b < BOPT_BACKEND_COUNT; b++)
		cr_expect_eq(s->backend_usage[b], e->usage[b], "n=%llu: usage of %s",
			(unsigned long long)e->n, backend_name((enum bopt_backend)b));
	cr_expect_eq(s->average_confidence, e->confidence, "n=%llu: confidence %.17g",
		(unsigned long long)e->n, s->average_confidence);
	cr_expect_eq(s->has_latency_improvement, e->has_improvements, "n=%llu", (unsigned long long)e->n);
	cr_expect_eq(s->has_throughput_improvement, e->has_improvements, "n=%llu", (unsigned long long)e->n);
	if (e->has_improvements) {
		cr_expect_eq(s->latency_improvement_percent, e->latency, "n=%llu: latency %.17g",
			(unsigned long long)e->n, s->latency_improvement_percent);
		cr_expect_eq(s->throughput_improvement_percent, e->throughput, "n=%llu: throughput %.17g",
			(unsigned long long)e->n, s->throughput_improvement_percent);
	}
	cr_expect_eq(s->active_backends, e->active, "n=%llu: active", (unsigned long long)e->n);
	cr_expect_eq(s->has_last_optimization, e->last_index >= 0, "n=%llu", (unsigned long long)e->n);
	if (e->last_index >= 0)
		cr_expect_eq(s->last_optimization, DECISIONGEN_BASE + e->last_index * BOPT_NS_PER_SEC,
			"n=%llu: last", (unsigned long long)e->n);
}

/*
 * Decision i: backend i % 7, p50 2000 - i, throughput 1000 + 10 i,
 * confidence 0.25 (i % 5). Improvements: recent = the last 10 of the
 * window, older = its first min(10, n - 10); latency (older - recent) /
 * older x 100, throughput (recent - older) / older x 100. Where a quotient
 * has no exact binary value the literal is the nearest double to the
 * formula evaluated in that order, and the exact fraction is given.
 */
static const struct expected expected_counts[] = {
	{.n = 0, .last = 1000, .total = 0, .confidence = 0.0, .active = 0, .last_index = -1},
	// i = 0: Kafka, confidence 0.
	{.n = 1, .last = 1000, .total = 1, .usage = {1}, .confidence = 0.0, .active = 1,
		.last_index = 0},
	// i % 5 over 0..8 sums to 16: 0.25 x 16 / 9 = 4/9. Fewer than 10: no improvements.
	{.n = 9, .last = 1000, .total = 9, .usage = {2, 2, 1, 1, 1, 1, 1},
		.confidence = 4.0 / 9.0, .active = 7, .last_index = 8},
	// 0.25 x 20 / 10. Exactly 10: the older group is empty (the reference's NaN).
	{.n = 10, .last = 1000, .total = 10, .usage = {2, 2, 2, 1, 1, 1, 1},
		.confidence = 0.5, .active = 7, .last_index = 9},
	// 0.25 x 20 / 11 = 5/11. Older {i = 0}: p50 2000, thr 1000; recent i = 1..10:
	// p50 1994.5, thr 1055. Latency 5.5/2000 x 100 = 0.275; throughput 55/1000 x 100 = 5.5.
	{.n = 11, .last = 1000, .total = 11, .usage = {2, 2, 2, 2, 1, 1, 1},
		.confidence = 5.0 / 11.0, .has_improvements = true,
		.latency = 0.27499999999999997, .throughput = 5.5, .active = 7, .last_index = 10},
	// 0.25 x 40 / 20. Older i = 0..9: p50 1995.5, thr 1045; recent i = 10..19:
	// p50 1985.5, thr 1145. Latency 10/1995.5 x 100, throughput 100/1045 x 100.
	{.n = 20, .last = 1000, .total = 20, .usage = {3, 3, 3, 3, 3, 3, 2},
		.confidence = 0.5, .has_improvements = true,
		.latency = 0.5011275369581559, .throughput = 9.569377990430622, .active = 7,
		.last_index = 19},
	// Window i = 500..1499: 1000 = 142 x 7 + 6 starting at 500 % 7 = 3, so
	// only Redis (residue 2) has 142. Confidence: 200 cycles of 0..4, 0.5.
	// Older i = 500..509: p50 1495.5, thr 6045; recent i = 1490..1499: p50
	// 505.5, thr 15945. Latency 990/1495.5 x 100, throughput 9900/6045 x 100.
	{.n = 1500, .last = 1000, .total = 1000, .usage = {143, 143, 142, 143, 143, 143, 143},
		.confidence = 0.5, .has_improvements = true,
		.latency = 66.1985957873621, .throughput = 163.77171215880892, .active = 7,
		.last_index = 1499},
	// --last 5 of 20: i = 15..19, backends 1..5 only.
	{.n = 20, .last = 5, .total = 5, .usage = {0, 1, 1, 1, 1, 1, 0},
		.confidence = 0.5, .active = 5, .last_index = 19},
	// --last 15 of 20: i = 5..19. Older i = 5..9: p50 1993, thr 1070; recent
	// as for 20. Latency 7.5/1993 x 100, throughput 75/1070 x 100.
	{.n = 20, .last = 15, .total = 15, .usage = {2, 2, 2, 2, 2, 3, 2},
		.confidence = 0.5, .has_improvements = true,
		.latency = 0.3763171098845961, .throughput = 7.009345794392523, .active = 7,
		.last_index = 19},
};

/* Stats. */

Test(history, stats_at_0_1_9_10_11_20_1500_decisions)
{
	for (size_t k = 0; k < sizeof(expected_counts) / sizeof(expected_counts[0]); k++) {
		const struct expected *e = &expected_counts[k];
		char *path = generated_history(e->n);
		struct bopt_stats s;
		uint64_t skipped;
		read_stats(path, e->last, false, &s, &skipped);
		cr_expect_eq(skipped, 0);
		expect_stats(&s, e);
		unlink(path);
		free(path);
	}
}

Test(history, window_keeps_at_most_last_entries)
{
	struct history_window w;
	history_window_init(&w, 1000);
	for (uint64_t i = 0; i < 1500; i++) {
		struct bopt_decision d;
		decisiongen(i, 0, &d);
		history_window_add(&w, &d);
		history_decision_release(&d);
		if (i == 8)
			cr_expect_eq(w.cap, 16, "the ring grows with the decisions");
	}
	cr_expect_eq(w.cap, 1000);
	cr_expect_eq(w.count, 1000);
	struct bopt_stats s;
	history_window_stats(&w, &s);
	expect_stats(&s, &expected_counts[6]);
	history_window_release(&w);
}

// Adds a decision with the given p50 and throughput to the window.
static void add_performance(struct history_window *w, double p50, double throughput)
{
	struct bopt_decision d;
	decisiongen(0, 0, &d);
	d.predicted_performance.measured_latency_p50 = p50;
	d.predicted_performance.measured_throughput = throughput;
	history_window_add(w, &d);
	history_decision_release(&d);
}

Test(history, improvements_need_a_nonzero_older_mean)
{
	struct history_window w;
	history_window_init(&w, 1000);
	// Older (the first): p50 0 and throughput 5; recent: p50 4, throughput 0.
	add_performance(&w, 0, 5);
	for (int i = 0; i < 10; i++)
		add_performance(&w, 4, 0);
	struct bopt_stats s;
	history_window_stats(&w, &s);
	cr_expect_not(s.has_latency_improvement);
	cr_expect(s.has_throughput_improvement);
	cr_expect_eq(s.throughput_improvement_percent, -100.0); // (0 - 5) / 5 x 100
	history_window_release(&w);

	// Means that overflow give no improvement rather than inf or NaN.
	history_window_init(&w, 1000);
	add_performance(&w, 1e-300, 1e-300);
	for (int i = 0; i < 10; i++)
		add_performance(&w, 1e300, 1e300);
	history_window_stats(&w, &s);
	cr_expect_not(s.has_latency_improvement);
	cr_expect_not(s.has_throughput_improvement);
	history_window_release(&w);
}

Test(history, last_optimization_is_the_last_line)
{
	// The reference takes history.last(), not the latest time.
	char *path = temp_path();
	struct bopt_decision d;
	FILE *f = fopen(path, "w");
	cr_assert_not_null(f);
	for (uint64_t i = 5; i-- > 2;) {
		size_t len;
		decisiongen(i, 0, &d);
		char *line = history_format(&d, &len);
		fwrite(line, 1, len, f);
		free(line);
		history_decision_release(&d);
	}
	fclose(f);
	struct bopt_stats s;
	uint64_t skipped;
	read_stats(path, 1000, false, &s, &skipped);
	cr_expect_eq(s.last_optimization, DECISIONGEN_BASE + 2 * BOPT_NS_PER_SEC);
	unlink(path);
	free(path);
}

/* The serde shapes. */

static const char decision_3[] =
	"{\"timestamp\":\"2026-07-19T08:00:03Z\",\"selected_backend\":\"Kinesis\","
	"\"workload_pattern\":{\"pattern_type\":\"Steady\",\"event_rate\":100.0,\"batch_size\":100,"
	"\"event_size_bytes\":1024,\"temporal_distribution\":\"Uniform\","
	"\"data_characteristics\":{\"compression_ratio\":0.7,\"serialization_overhead\":0.1,"
	"\"has_complex_structures\":false,\"requires_ordering\":false,\"has_time_windows\":false,"
	"\"requires_deduplication\":true},\"consistency_requirements\":\"AtLeastOnce\"},"
	"\"predicted_performance\":{\"backend_type\":\"Kinesis\",\"measured_latency_p50\":1997.0,"
	"\"measured_latency_p95\":2995.5,\"measured_latency_p99\":3994.0,"
	"\"measured_throughput\":1030.0,\"reliability_score\":0.99,"
	"\"resource_usage\":{\"cpu_usage_percent\":25.0,\"memory_usage_mb\":512.0,"
	"\"network_usage_mbps\":0.0,\"disk_io_ops_per_sec\":0.0,\"connection_count\":4},"
	"\"cost_per_hour\":0.1,\"setup_complexity\":5,\"scalability_factor\":1.0,"
	"\"last_updated\":\"2026-07-19T08:00:03Z\",\"sample_count\":3},"
	"\"cost_model\":{\"total_cost\":0.75,\"latency_cost\":0.5,\"throughput_cost\":0.0,"
	"\"reliability_cost\":0.0,\"resource_cost\":0.0,\"scaling_cost\":0.0,"
	"\"maintenance_cost\":0.5,\"backend_type\":\"Kinesis\"},\"confidence\":0.75,"
	"\"reason\":\"Kinesis scores 0.5000 for a Steady workload, ahead of Pulsar (0.2500)\"}\n";

Test(history, decision_line_is_the_serde_shape)
{
	struct bopt_decision d, back;
	size_t len;
	decisiongen(3, 0, &d);
	char *line = history_format(&d, &len);
	cr_expect_str_eq(line, decision_3);
	cr_expect_eq(len, strlen(decision_3));

	char err[BOPT_ERR_MAX];
	cr_assert_eq(history_parse_line(line, len - 1, &back, err), HISTORY_LINE_DECISION, "%s", err);
	cr_expect_eq(back.timestamp, d.timestamp);
	cr_expect_eq(back.selected_backend, BOPT_KINESIS);
	cr_expect_eq(back.workload_pattern.event_rate, 100.0);
	cr_expect_eq(back.predicted_performance.measured_latency_p50, 1997.0);
	cr_expect_eq(back.predicted_performance.measured_throughput, 1030.0);
	cr_expect_eq(back.cost_model.total_cost, 0.75);
	cr_expect_eq(back.confidence, 0.75);
	cr_expect_str_eq(back.reason, d.reason);
	history_decision_release(&back);
	history_decision_release(&d);
	free(line);
}

Test(history, stats_json_shape)
{
	struct history_window w;
	struct bopt_stats s;
	struct jw jw;
	history_window_init(&w, 1000);
	history_window_stats(&w, &s);
	jw_init(&jw, false);
	jw_object_begin(&jw);
	history_write_stats_members(&jw, &s);
	jw_object_end(&jw);
	char *text = jw_take(&jw, NULL);
	cr_expect_str_eq(text, "{\"total_decisions\":0,\"backend_usage\":{},"
		"\"average_confidence\":0.0,\"performance_improvements\":{},"
		"\"active_backends\":0,\"last_optimization\":null}");
	free(text);

	for (uint64_t i = 0; i < 20; i++) {
		struct bopt_decision d;
		decisiongen(i, 0, &d);
		history_window_add(&w, &d);
		history_decision_release(&d);
	}
	history_window_stats(&w, &s);
	jw_object_begin(&jw);
	history_write_stats_members(&jw, &s);
	jw_object_end(&jw);
	text = jw_take(&jw, NULL);
	cr_expect_str_eq(text, "{\"total_decisions\":20,\"backend_usage\":{\"Kafka\":3,"
		"\"Nats\":3,\"Redis\":3,\"Kinesis\":3,\"Pulsar\":3,\"RabbitMQ\":3,\"Memory\":2},"
		"\"average_confidence\":0.5,\"performance_improvements\":{"
		"\"latency_improvement_percent\":0.5011275369581559,"
		"\"throughput_improvement_percent\":9.569377990430622},"
		"\"active_backends\":7,\"last_optimization\":\"2026-07-19T08:00:19Z\"}");
	free(text);
	history_window_release(&w);
}

/* Invalid lines. */

static void expect_invalid(const char *line, const char *why)
{
	struct bopt_decision d;
	char err[BOPT_ERR_MAX] = "";
	cr_expect_eq(history_parse_line(line, strlen(line), &d, err), HISTORY_LINE_INVALID,
		"%s", line);
	cr_expect_str_eq(err, why, "%s", line);
	history_decision_release(&d);
}

// decision_3 without its newline, with `from` replaced by `to`.
static char *edited_decision(const char *from, const char *to)
{
	const char *at = strstr(decision_3, from);
	cr_assert_not_null(at, "%s", from);
	size_t head = (size_t)(at - decision_3);
	size_t tail = strlen(at + strlen(from)) - 1; // without the newline
	char *s = malloc(head + strlen(to) + tail + 1);
	memcpy(s, decision_3, head);
	strcpy(s + head, to);
	strncat(s, at + strlen(from), tail);
	return s;
}

static void expect_invalid_edit(const char *from, const char *to, const char *why)
{
	char *line = edited_decision(from, to);
	expect_invalid(line, why);
	free(line);
}

Test(history, invalid_lines_say_why)
{
	struct bopt_decision d;
	char err[BOPT_ERR_MAX];
	cr_expect_eq(history_parse_line("", 0, &d, err), HISTORY_LINE_BLANK);
	cr_expect_eq(history_parse_line(" \t ", 3, &d, err), HISTORY_LINE_BLANK);

	expect_invalid("{\"timestamp\":", "invalid JSON at column 14: unexpected end of line");
	expect_invalid("{} {}", "invalid JSON at column 4: trailing characters after the value");
	expect_invalid("[1]", "a decision must be a JSON object");
	expect_invalid("{}", "missing field \"timestamp\"");
	expect_invalid_edit("\"Kinesis\",\"workload", "\"Kafkaesque\",\"workload",
		"unknown backend \"Kafkaesque\"");
	expect_invalid_edit("\"event_rate\":100.0,", "",
		"workload_pattern: missing field \"event_rate\"");
	expect_invalid_edit("\"measured_throughput\":1030.0", "\"measured_throughput\":\"fast\"",
		"predicted_performance: field \"measured_throughput\" must be a finite number");
	expect_invalid_edit("\"total_cost\":0.75,", "",
		"cost_model: missing field \"total_cost\"");
	expect_invalid_edit("\"confidence\":0.75", "\"confidence\":1.5",
		"field \"confidence\" must be from 0 to 1");
	expect_invalid_edit("\"confidence\":0.75", "\"confidence\":null",
		"field \"confidence\" must be a finite number");
	expect_invalid_edit("\"reason\":\"Kinesis scores 0.5000 for a Steady workload, ahead of "
		"Pulsar (0.2500)\"", "\"reason\":7", "field \"reason\" must be a string");
	expect_invalid_edit("\"2026-07-19T08:00:03Z\",\"selected", "\"yesterday\",\"selected",
		"field \"timestamp\" must be an RFC 3339 timestamp");
	// Each part of a decision, missing or of the wrong kind.
	expect_invalid_edit("\"workload_pattern\"", "\"pattern\"",
		"missing field \"workload_pattern\"");
	expect_invalid_edit("\"workload_pattern\":{", "\"workload_pattern\":7,\"w\":{",
		"field \"workload_pattern\" must be an object");
	expect_invalid_edit("\"workload_pattern\":{\"pattern_type\":\"Steady\",",
		"\"workload_pattern\":{", "workload_pattern: missing field \"pattern_type\"");
	expect_invalid_edit("\"predicted_performance\"", "\"performance\"",
		"missing field \"predicted_performance\"");
	expect_invalid_edit("\"cost_model\"", "\"model\"", "missing field \"cost_model\"");
	expect_invalid_edit("\"selected_backend\"", "\"backend\"",
		"missing field \"selected_backend\"");
	expect_invalid_edit("\"reason\"", "\"why\"", "missing field \"reason\"");
	expect_invalid_edit("\"confidence\":0.75", "\"confidence\":-0.01",
		"field \"confidence\" must be from 0 to 1");
	// Both ends of the confidence range are valid.
	const char *ends[] = {"\"confidence\":0", "\"confidence\":1"};
	for (size_t i = 0; i < 2; i++) {
		char *line = edited_decision("\"confidence\":0.75", ends[i]);
		cr_expect_eq(history_parse_line(line, strlen(line), &d, err), HISTORY_LINE_DECISION,
			"%s: %s", ends[i], err);
		cr_expect_eq(d.confidence, (double)i);
		history_decision_release(&d);
		free(line);
	}
}

Test(history, corrupt_line_is_an_error_or_a_counted_skip)
{
	char *path = temp_path();
	char *good = generated_history(3);
	char *text = NULL;
	size_t len;
	char err[BOPT_ERR_MAX];
	cr_assert(input_slurp(good, 1 << 20, &text, &len, err));
	// A torn line between the 2nd and 3rd decision (line 3 of 4).
	char *third = strchr(strchr(text, '\n') + 1, '\n') + 1;
	FILE *f = fopen(path, "w");
	fwrite(text, 1, (size_t)(third - text), f);
	fputs("{\"timestamp\":\"2026-07-19T08:00:0\n", f);
	fputs(third, f);
	fclose(f);

	struct history_read_options o = {.last = 1000};
	struct bopt_stats s;
	uint64_t skipped;
	char *paths[] = {path};
	cr_expect_not(history_read_stats(paths, 1, &o, &s, &skipped, err));
	char want[BOPT_ERR_MAX];
	snprintf(want, sizeof(want), "%s:3: invalid JSON at column 33: unterminated string",
		path);
	cr_expect_str_eq(err, want);

	read_stats(path, 1000, true, &s, &skipped);
	cr_expect_eq(skipped, 1);
	cr_expect_eq(s.total_decisions, 3);
	cr_expect_eq(s.last_optimization, DECISIONGEN_BASE + 2 * BOPT_NS_PER_SEC);
	free(text);
	unlink(good);
	unlink(path);
	free(good);
	free(path);
}

/* Recording. */

Test(history, record_creates_then_appends)
{
	char *path = temp_path();
	unlink(path);
	char err[BOPT_ERR_MAX];
	struct bopt_decision d;
	for (uint64_t i = 3; i < 5; i++) {
		decisiongen(i, 0, &d);
		cr_assert(history_record(path, &d, err), "%s", err);
		history_decision_release(&d);
	}
	struct stat st;
	cr_assert_eq(stat(path, &st), 0);
	mode_t mask = umask(0);
	umask(mask);
	cr_expect_eq(st.st_mode & 0777, 0644 & ~mask);

	char *text;
	size_t len;
	cr_assert(input_slurp(path, 1 << 20, &text, &len, err));
	cr_expect_eq(strncmp(text, decision_3, strlen(decision_3)), 0);
	struct bopt_stats s;
	uint64_t skipped;
	read_stats(path, 1000, false, &s, &skipped);
	cr_expect_eq(s.total_decisions, 2);
	cr_expect_eq(s.backend_usage[BOPT_KINESIS], 1);
	cr_expect_eq(s.backend_usage[BOPT_PULSAR], 1);

	// A decision that could not be read back is refused; the file stays.
	decisiongen(5, 0, &d);
	d.confidence = NAN;
	cr_expect_not(history_record(path, &d, err));
	char want[BOPT_ERR_MAX];
	snprintf(want, sizeof(want), "%s: not recording an invalid decision: "
		"field \"confidence\" must be a finite number", path);
	cr_expect_str_eq(err, want);
	history_decision_release(&d);
	char *after;
	size_t after_len;
	cr_assert(input_slurp(path, 1 << 20, &after, &after_len, err));
	cr_expect_eq(after_len, len);
	free(after);
	free(text);

	decisiongen(5, 0, &d);
	cr_expect_not(history_record("/nonexistent-dir/history", &d, err));
	cr_expect_str_eq(err, "/nonexistent-dir/history: No such file or directory");
	history_decision_release(&d);
	unlink(path);
	free(path);
}

/* The line reader. */

Test(history, lines_reader)
{
	char *path = temp_path();
	write_text(path, "one\r\n\ntwo\nthree");
	struct input_lines r;
	char err[BOPT_ERR_MAX];
	cr_assert(input_lines_open(&r, path, 8, err));
	static const char *const want[] = {"one", "", "two", "three"};
	const char *line;
	size_t len;
	for (int i = 0; i < 4; i++) {
		cr_assert_eq(input_lines_next(&r, &line, &len, err), 1);
		cr_expect_eq(len, strlen(want[i]));
		cr_expect_eq(memcmp(line, want[i], len), 0);
		cr_expect_eq(r.line, (uint64_t)i + 1);
	}
	cr_expect_eq(input_lines_next(&r, &line, &len, err), 0);
	input_lines_close(&r);

	// A line of exactly the maximum passes; one byte more fails.
	write_text(path, "12345678\n123456789\n");
	cr_assert(input_lines_open(&r, path, 8, err));
	cr_expect_eq(input_lines_next(&r, &line, &len, err), 1);
	cr_expect_eq(len, 8);
	cr_expect_eq(input_lines_next(&r, &line, &len, err), -1);
	char expect[BOPT_ERR_MAX];
	snprintf(expect, sizeof(expect), "%s:2: line longer than 8 bytes", path);
	cr_expect_str_eq(err, expect);
	input_lines_close(&r);
	unlink(path);
	free(path);
}

Test(history, decision_owns_a_copy_of_the_pattern)
{
	struct bopt_pattern pattern;
	pattern_init_default(&pattern);
	pattern.temporal_distribution = (struct bopt_distribution){
		.kind = BOPT_DIST_CUSTOM,
		.name = strdup("diurnal"),
	};
	struct bopt_performance perf = {.backend_type = BOPT_NATS, .reliability_score = 1.0};
	struct bopt_cost cost = {.total_cost = 0.2};
	struct bopt_decision d, back;
	history_decision_init(&d, 0, &pattern, &perf, &cost, 1.0, strdup("because"));
	pattern_release(&pattern);

	cr_expect_eq(d.selected_backend, BOPT_NATS);
	size_t len;
	char *line = history_format(&d, &len);
	cr_expect_neq(strstr(line, "\"temporal_distribution\":{\"Custom\":"
		"{\"distribution_name\":\"diurnal\"}}"), NULL, "%s", line);
	char err[BOPT_ERR_MAX];
	cr_assert_eq(history_parse_line(line, len - 1, &back, err), HISTORY_LINE_DECISION, "%s", err);
	cr_expect_str_eq(back.workload_pattern.temporal_distribution.name, "diurnal");
	cr_expect_str_eq(back.reason, "because");
	cr_expect_eq(back.timestamp, 0);
	history_decision_release(&back);
	history_decision_release(&d);
	free(line);
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
	char *path = temp_file_with(text, 2 * len + 100);
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
