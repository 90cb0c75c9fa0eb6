#include <cjson/cJSON.h>
#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "base/serde.h"
#include "base/timestamp.h"
#include "base/util.h"
#include "decide/backend.h"
#include "decide/metrics.h"
#include "tempfile.h"

// Expectations are worked out by hand from SPEC 2.2.
#define EPS 1e-12
#define T(s) parse_time(s)

static int64_t parse_time(const char *s)
{
	int64_t ns;
	cr_assert(ts_parse(s, strlen(s), &ns));
	return ns;
}

static bool parse_line(const char *text, struct metrics_snapshot *s, char *err)
{
	cJSON *j = cJSON_Parse(text);
	cr_assert_not_null(j, "%s", text);
	bool ok = metrics_parse_line(j, s, err);
	cJSON_Delete(j);
	return ok;
}

static void fold(struct metrics_set *m, const char *text, int64_t now)
{
	struct metrics_snapshot s;
	char err[BOPT_ERR_MAX];
	cr_assert(parse_line(text, &s, err), "%s: %s", text, err);
	metrics_fold(m, &s, now);
}

Test(metrics, monitoring_first_initialises_then_ewma)
{
	struct metrics_set m;
	metrics_init(&m, 0.1);
	int64_t now = T("2026-07-19T12:00:00Z");
	fold(&m, "{\"backend_type\":\"kafka\",\"metrics\":{\"producer_average_latency_ms\":4.0,"
		"\"producer_throughput_eps\":50000.0,\"success_rate\":99.5,"
		"\"system_cpu_usage_percent\":40.0,\"system_memory_usage_bytes\":524288000,"
		"\"backend_connections_active\":12,\"last_updated\":\"2026-07-19T10:00:00Z\"}}", now);
	cr_assert_not_null(metrics_find(&m, BOPT_KAFKA, ""));
	const struct bopt_performance *p = &metrics_find(&m, BOPT_KAFKA, "")->perf;
	cr_assert_eq(metrics_count(&m), 1);
	cr_assert_eq(p->measured_latency_p50, 4.0);
	cr_assert_eq(p->measured_latency_p95, 6.0);  // 1.5 x p50
	cr_assert_eq(p->measured_latency_p99, 8.0);  // 2 x p50
	cr_assert_eq(p->measured_throughput, 50000.0);
	cr_assert_float_eq(p->reliability_score, 0.995, EPS); // a percentage
	cr_assert_eq(p->resource_usage.cpu_usage_percent, 40.0);
	cr_assert_eq(p->resource_usage.memory_usage_mb, 500.0); // bytes / 2^20
	cr_assert_eq(p->resource_usage.connection_count, 12);
	cr_assert_eq(p->resource_usage.network_usage_mbps, 1.0); // the reference default
	cr_assert_eq(p->setup_complexity, 5);
	cr_assert_eq(p->last_updated, T("2026-07-19T10:00:00Z"));
	cr_assert_eq(p->sample_count, 1);

	// A fraction, no resources, no time.
	fold(&m, "{\"backend_type\":\"Kafka\",\"metrics\":{\"producer_average_latency_ms\":14.0,"
		"\"producer_throughput_eps\":40000.0,\"success_rate\":0.9}}", now);
	cr_assert_float_eq(p->measured_latency_p50, 5.0, EPS);    // 0.1*14 + 0.9*4
	cr_assert_float_eq(p->measured_latency_p95, 7.5, EPS);    // 0.1*21 + 0.9*6
	cr_assert_float_eq(p->measured_latency_p99, 10.0, EPS);   // 0.1*28 + 0.9*8
	cr_assert_float_eq(p->measured_throughput, 49000.0, 1e-9); // 4000 + 45000
	cr_assert_float_eq(p->reliability_score, 0.9855, EPS);    // 0.09 + 0.8955
	cr_assert_eq(p->resource_usage.cpu_usage_percent, 40.0);  // kept
	cr_assert_eq(p->last_updated, now);
	cr_assert_eq(p->sample_count, 2);
	metrics_release(&m);
}

Test(metrics, success_rate_fraction_or_percentage)
{
	const char *forms[] = {"1.0", "0.5", "50", "100", "0"};
	const double want[] = {1.0, 0.5, 0.5, 1.0, 0.0};
	for (size_t i = 0; i < 5; i++) {
		char line[256];
		snprintf(line, sizeof(line), "{\"backend_type\":\"Nats\",\"metrics\":{"
			"\"producer_average_latency_ms\":1,\"producer_throughput_eps\":1,"
			"\"success_rate\":%s}}", forms[i]);
		struct metrics_snapshot s;
		char err[BOPT_ERR_MAX];
		cr_assert(parse_line(line, &s, err), "%s", err);
		cr_assert_float_eq(s.reliability, want[i], EPS, "%s", forms[i]);
	}
}

Test(metrics, observability_shape)
{
	struct metrics_snapshot s;
	char err[BOPT_ERR_MAX];
	cr_assert(parse_line("{\"backend_type\":\"Pulsar\",\"metrics\":{\"avg_latency_ms\":3.0,"
		"\"p95_latency_ms\":7.0,\"events_per_second\":1200.0,\"error_rate_percent\":0.2,"
		"\"cpu_usage_percent\":20.0,\"memory_usage_mb\":64.0,\"active_connections\":4,"
		"\"timestamp\":\"2026-07-19T11:30:00Z\"}}", &s, err), "%s", err);
	cr_assert_eq(s.backend, BOPT_PULSAR);
	cr_assert_not(s.whole);
	cr_assert_eq(s.p50, 3.0);
	cr_assert_eq(s.p95, 7.0);
	cr_assert_eq(s.p99, 6.0); // absent: 2 x p50
	cr_assert_eq(s.throughput, 1200.0);
	cr_assert_float_eq(s.reliability, 0.998, EPS);
	cr_assert(s.has_cpu && s.has_memory && s.has_connections && s.has_time);
	cr_assert_eq(s.memory_mb, 64.0);
	cr_assert_eq(s.connections, 4);
	cr_assert_eq(s.time, T("2026-07-19T11:30:00Z"));
}

Test(metrics, whole_performance_replaces_the_state)
{
	struct metrics_set m;
	metrics_init(&m, 0.1);
	fold(&m, "{\"backend_type\":\"Redis\",\"metrics\":{\"avg_latency_ms\":50.0,"
		"\"events_per_second\":10.0}}", 0);
	fold(&m, "{\"backend_type\":\"Redis\",\"measured_latency_p50\":0.5,"
		"\"measured_latency_p95\":0.9,\"measured_latency_p99\":1.5,"
		"\"measured_throughput\":120000.0,\"reliability_score\":0.98,\"resource_usage\":"
		"{\"cpu_usage_percent\":30.0,\"memory_usage_mb\":2048.0,\"network_usage_mbps\":50.0,"
		"\"disk_io_ops_per_sec\":0.0,\"connection_count\":8},\"cost_per_hour\":0.1,"
		"\"setup_complexity\":3,\"scalability_factor\":1.0,"
		"\"last_updated\":\"2026-07-18T12:00:00Z\",\"sample_count\":500}", 0);
	const struct bopt_performance *p = &metrics_find(&m, BOPT_REDIS, "")->perf;
	cr_assert_eq(p->measured_latency_p50, 0.5);
	cr_assert_eq(p->measured_throughput, 120000.0);
	cr_assert_eq(p->setup_complexity, 3);
	cr_assert_eq(p->sample_count, 500);
	cr_assert_eq(p->resource_usage.network_usage_mbps, 50.0);
	metrics_release(&m);
}

Test(metrics, bad_lines)
{
	const struct {
		const char *line, *err;
	} cases[] = {
		{"[1]", "a metric snapshot must be a JSON object"},
		{"{\"metrics\":{}}", "missing field \"backend_type\""},
		{"{\"backend_type\":\"Artemis\",\"metrics\":{}}", "unknown backend \"Artemis\""},
		{"{\"backend_type\":\"Kafka\"}", "missing field \"metrics\""},
		{"{\"backend_type\":\"Kafka\",\"metrics\":{\"x\":1}}",
			"field \"metrics\" has neither \"producer_average_latency_ms\" nor \"avg_latency_ms\""},
		{"{\"backend_type\":\"Kafka\",\"metrics\":{\"producer_average_latency_ms\":1}}",
			"missing field \"producer_throughput_eps\""},
		{"{\"backend_type\":\"Kafka\",\"metrics\":{\"producer_average_latency_ms\":1,"
			"\"producer_throughput_eps\":-1}}",
			"field \"producer_throughput_eps\" must not be negative"},
		{"{\"backend_type\":\"Kafka\",\"metrics\":{\"avg_latency_ms\":1,"
			"\"events_per_second\":1,\"error_rate_percent\":101}}",
			"field \"error_rate_percent\" must be from 0 to 100"},
		{"{\"backend_type\":\"Kafka\",\"metrics\":{\"avg_latency_ms\":\"1\","
			"\"events_per_second\":1}}", "field \"avg_latency_ms\" must be a finite number"},
		{"{\"backend_type\":\"Kafka\",\"metrics\":{\"avg_latency_ms\":1,"
			"\"events_per_second\":1,\"timestamp\":\"yesterday\"}}",
			"field \"timestamp\" must be an RFC 3339 timestamp"},
	};
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		struct metrics_snapshot s;
		char err[BOPT_ERR_MAX] = "";
		cr_assert_not(parse_line(cases[i].line, &s, err), "%s", cases[i].line);
		cr_assert_str_eq(err, cases[i].err);
	}
}

static char *write_temp(const char *text)
{
	char *path = xstrdup("/tmp/bopt-test-metrics-XXXXXX");
	int fd = mkstemp(path);
	cr_assert(fd >= 0);
	cr_assert_eq(write(fd, text, strlen(text)), (ssize_t)strlen(text));
	close(fd);
	return path;
}

Test(metrics, load_names_file_and_line)
{
	char *path = write_temp(
		"{\"backend_type\":\"Nats\",\"metrics\":{\"avg_latency_ms\":1,\"events_per_second\":5}}\r\n"
		"\n"
		"   \n"
		"{\"backend_type\":\"Nats\",\"metrics\":{\"avg_latency_ms\":1,}}\n");
	struct metrics_set m;
	metrics_init(&m, 0.1);
	char err[BOPT_ERR_MAX], want[BOPT_ERR_MAX];
	cr_assert_not(metrics_load(&m, path, NULL, 0, err));
	snprintf(want, sizeof(want), "%s:4: invalid JSON at column 54: expected '\"'", path);
	cr_assert_str_eq(err, want);
	metrics_release(&m);
	unlink(path);
	free(path);
}

Test(metrics, omb_and_lines_of_one_candidate_conflict)
{
	char *omb = write_temp("{\n  \"driver\" : \"Pulsar\",\n  \"publishRate\" : [ 10.0, 30.0 ],\n"
		"  \"aggregatedPublishLatency50pct\" : 3.0,\n"
		"  \"aggregatedPublishLatency95pct\" : 4.0,\n"
		"  \"aggregatedPublishLatency99pct\" : 9.0\n}\n");
	char *lines = write_temp("{\"backend_type\":\"Pulsar\",\"metrics\":{\"avg_latency_ms\":13,"
		"\"events_per_second\":120}}\n");
	struct metrics_set m;
	metrics_init(&m, 0.5);
	char err[BOPT_ERR_MAX], want[BOPT_ERR_MAX];
	cr_assert(metrics_load(&m, omb, NULL, 7, err), "%s", err);
	cr_assert(metrics_load(&m, lines, NULL, 7, err), "%s", err);
	cr_assert_not(metrics_finish(&m, 0, false, 7, err));
	snprintf(want, sizeof(want), "%s: Pulsar has both metric snapshots and OpenMessaging "
		"Benchmark results; label one of them (--metrics LABEL=FILE)", omb);
	cr_assert_str_eq(err, want);
	metrics_release(&m);

	// Labelled apart, they are two candidates: the OMB run (a latency run,
	// 0.06 messages in flight) and the snapshot.
	metrics_init(&m, 0.5);
	cr_assert(metrics_load(&m, omb, "bench", 7, err), "%s", err);
	cr_assert(metrics_load(&m, lines, NULL, 7, err), "%s", err);
	cr_assert(metrics_finish(&m, 0, false, 7, err), "%s", err);
	cr_assert_eq(metrics_count(&m), 2);
	cr_assert_str_eq(m.c[0].label, "");
	cr_assert_str_eq(m.c[1].label, "bench");
	cr_assert_eq(m.c[0].perf.measured_latency_p50, 13.0);
	const struct bopt_performance *p = &m.c[1].perf;
	cr_assert_eq(p->measured_latency_p50, 3.0);
	cr_assert_eq(p->measured_latency_p99, 9.0);
	cr_assert_eq(p->measured_throughput, 20.0); // at least the latency run's rate
	cr_assert_eq(p->sample_count, 2);           // windows
	cr_assert_eq(p->last_updated, 7);
	char name[METRICS_NAME_MAX];
	metrics_candidate_name(&m.c[1], name, sizeof(name));
	cr_assert_str_eq(name, "Pulsar (bench)");
	metrics_release(&m);
	unlink(omb);
	unlink(lines);
	free(omb);
	free(lines);
}

Test(metrics, nul_byte_does_not_end_the_file)
{
	static const char text[] =
		"{\"backend_type\":\"Kafka\",\"metrics\":{\"producer_average_latency_ms\":1.0,"
		"\"producer_throughput_eps\":10.0,\"success_rate\":1.0}}\n"
		"\0{\"garbage\"\n";
	char *path = temp_file_with(text, sizeof(text) - 1);
	struct metrics_set m;
	char err[BOPT_ERR_MAX], want[BOPT_ERR_MAX];
	metrics_init(&m, METRICS_DEFAULT_ALPHA);
	cr_assert_not(metrics_load(&m, path, NULL, 0, err));
	snprintf(want, sizeof(want), "%s:2: invalid JSON at column 1: NUL byte", path);
	cr_assert_str_eq(err, want);
	metrics_release(&m);
	unlink(path);
	free(path);
}

// A performance line may carry the largest count; a snapshot folded on top
// keeps it there instead of wrapping to a handful of samples.
Test(metrics, sample_count_saturates)
{
	struct metrics_set m;
	metrics_init(&m, 0.1);
	fold(&m, "{\"backend_type\":\"Redis\",\"measured_latency_p50\":0.5,"
		"\"measured_latency_p95\":0.9,\"measured_latency_p99\":1.5,"
		"\"measured_throughput\":120000.0,\"reliability_score\":0.98,\"resource_usage\":"
		"{\"cpu_usage_percent\":30.0,\"memory_usage_mb\":2048.0,\"network_usage_mbps\":50.0,"
		"\"disk_io_ops_per_sec\":0.0,\"connection_count\":8},\"cost_per_hour\":0.1,"
		"\"setup_complexity\":3,\"scalability_factor\":1.0,"
		"\"last_updated\":\"2026-07-18T12:00:00Z\",\"sample_count\":18446744073709551615}", 0);
	cr_assert_eq(metrics_find(&m, BOPT_REDIS, "")->perf.sample_count, UINT64_MAX);
	fold(&m, "{\"backend_type\":\"Redis\",\"metrics\":{\"avg_latency_ms\":50.0,"
		"\"events_per_second\":10.0}}", 0);
	cr_assert_eq(metrics_find(&m, BOPT_REDIS, "")->perf.sample_count, UINT64_MAX);
	metrics_release(&m);
}

// Whole numbers arrive as doubles: every text from 2^64 - 1024 up to 2^64
// rounds to 2^64 and reads as the largest u64; the next double above 2^64
// (2^64 + 4096) is refused, and so is 2^64 where the maximum is lower.
Test(metrics, u64_fields_near_two_to_the_64)
{
	static const struct {
		const char *text;
		uint64_t max;
		bool ok;
		uint64_t want;
	} cases[] = {
		{"{\"n\":18446744073709551615}", UINT64_MAX, true, UINT64_MAX},
		{"{\"n\":18446744073709550592}", UINT64_MAX, true, UINT64_MAX},
		{"{\"n\":18446744073709549568}", UINT64_MAX, true, UINT64_C(18446744073709549568)},
		{"{\"n\":18446744073709555712}", UINT64_MAX, false, 0},
		{"{\"n\":18446744073709551615}", UINT32_MAX, false, 0},
		{"{\"n\":4294967295}", UINT32_MAX, true, UINT32_MAX},
		{"{\"n\":4294967296}", UINT32_MAX, false, 0},
	};
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		cJSON *j = cJSON_Parse(cases[i].text);
		uint64_t got = 0;
		char err[BOPT_ERR_MAX];
		bool ok = serde_get_uint(j, "n", cases[i].max, &got, err);
		cJSON_Delete(j);
		cr_assert_eq(ok, cases[i].ok, "%s", cases[i].text);
		if (ok)
			cr_assert_eq(got, cases[i].want, "%s", cases[i].text);
		else
			cr_assert(strstr(err, "must be a whole number") != NULL, "%s", err);
	}
}

// Candidates after metrics_finish: a throughput-only configuration takes the
// latency of its backend's latency runs in other configurations; a backend
// with no latency run keeps the profile's; a run given twice counts once;
// --all-backends adds built-in candidates for the backends with none.
Test(metrics, borrowed_latency_dedupe_and_profiles)
{
	// A latency run: 100 msg/s x p50 2 ms = 0.2 messages in flight.
	char *lat = write_temp("{\"driver\":\"Kafka\",\"publishRate\":[100,100],"
		"\"consumeRate\":[100,100],\"aggregatedPublishLatency50pct\":2,"
		"\"aggregatedPublishLatency95pct\":3,\"aggregatedPublishLatency99pct\":4,"
		"\"aggregatedEndToEndLatency50pct\":5,\"aggregatedEndToEndLatency95pct\":6,"
		"\"aggregatedEndToEndLatency99pct\":7}");
	// Throughput runs: max-rate workloads, capacity the mean publish rate.
	char *thr = write_temp("{\"driver\":\"Kafka\",\"workload\":\"1-topic-max-rate\","
		"\"publishRate\":[1000,3000,2000],\"consumeRate\":[1000,3000,2000],"
		"\"aggregatedPublishLatency50pct\":1,\"aggregatedPublishLatency95pct\":2,"
		"\"aggregatedPublishLatency99pct\":3}");
	char *pulsar = write_temp("{\"driver\":\"Pulsar\",\"workload\":\"max-rate\","
		"\"publishRate\":[500],\"aggregatedPublishLatency50pct\":1,"
		"\"aggregatedPublishLatency95pct\":2,\"aggregatedPublishLatency99pct\":3}");
	struct metrics_set m;
	char err[BOPT_ERR_MAX];
	metrics_init(&m, 0.1);
	metrics_dedupe(&m);
	cr_assert(metrics_load(&m, lat, "a", 7, err), "%s", err);
	cr_assert(metrics_load(&m, thr, "b", 7, err), "%s", err);
	cr_assert(metrics_load(&m, thr, "b", 7, err), "%s", err);
	cr_assert(metrics_load(&m, pulsar, NULL, 7, err), "%s", err);
	cr_assert(metrics_finish(&m, 0, false, 7, err), "%s", err);
	cr_assert_eq(m.n_runs, 3); // the second thr is dropped
	cr_assert_eq(metrics_count(&m), 3);

	const struct metrics_candidate *a = metrics_find(&m, BOPT_KAFKA, "a");
	const struct metrics_candidate *b = metrics_find(&m, BOPT_KAFKA, "b");
	const struct metrics_candidate *c = metrics_find(&m, BOPT_PULSAR, "");
	cr_assert(a && b && c);
	cr_assert_eq(a->latency_from, METRICS_LATENCY_OWN);
	cr_assert_eq(a->perf.measured_latency_p50, 5.0); // end to end
	cr_assert_eq(a->perf.measured_latency_p99, 7.0);
	cr_assert_eq(a->evidence, 2);
	cr_assert_eq(b->latency_from, METRICS_LATENCY_BACKEND);
	cr_assert_eq(b->perf.measured_latency_p50, 5.0);
	cr_assert_eq(b->perf.measured_latency_p95, 6.0);
	cr_assert_eq(b->perf.measured_latency_p99, 7.0);
	cr_assert_eq(b->borrowed.latency_runs, 1);
	cr_assert_eq(b->perf.measured_throughput, 2000.0);
	cr_assert_eq(b->evidence, 3); // its own windows, once
	struct bopt_performance profile;
	backend_profile(BOPT_PULSAR, false, 7, &profile);
	cr_assert_eq(c->latency_from, METRICS_LATENCY_PROFILE);
	cr_assert_eq(c->perf.measured_latency_p50, profile.measured_latency_p50);
	cr_assert_eq(c->perf.measured_latency_p99, profile.measured_latency_p99);
	cr_assert_eq(c->perf.measured_throughput, 500.0);

	metrics_use_profiles(&m, false, 7);
	cr_assert_eq(metrics_count(&m), 3 + BOPT_BACKEND_COUNT - 2);
	size_t builtin = 0;
	for (size_t i = 0; i < m.n; i++) {
		builtin += m.c[i].builtin;
		cr_assert_eq(m.c[i].builtin, m.c[i].backend != BOPT_KAFKA &&
			m.c[i].backend != BOPT_PULSAR);
		if (i > 0)
			cr_assert(m.c[i - 1].backend <= m.c[i].backend);
	}
	cr_assert_eq(builtin, BOPT_BACKEND_COUNT - 2);
	metrics_release(&m);
	char *paths[] = {lat, thr, pulsar};
	for (int i = 0; i < 3; i++) {
		unlink(paths[i]);
		free(paths[i]);
	}
}

// A whole performance record: 0 is allowed for every figure and 1e15
// (METRICS_VALUE_MAX) is the largest; below 0 or above it, each is refused.
static bool whole_line(const double v[9], char *err)
{
	char line[1024];
	struct metrics_snapshot s;
	snprintf(line, sizeof(line), "{\"backend_type\":\"Redis\",\"measured_latency_p50\":%.17g,"
		"\"measured_latency_p95\":%.17g,\"measured_latency_p99\":%.17g,"
		"\"measured_throughput\":%.17g,\"reliability_score\":%.17g,\"resource_usage\":"
		"{\"cpu_usage_percent\":%.17g,\"memory_usage_mb\":%.17g,\"network_usage_mbps\":%.17g,"
		"\"disk_io_ops_per_sec\":%.17g,\"connection_count\":8},\"cost_per_hour\":0.1,"
		"\"setup_complexity\":3,\"scalability_factor\":1.0,"
		"\"last_updated\":\"2026-07-18T12:00:00Z\",\"sample_count\":500}",
		v[0], v[1], v[2], v[3], v[4], v[5], v[6], v[7], v[8]);
	return parse_line(line, &s, err);
}

Test(metrics, whole_performance_bounds)
{
	static const char *const negative[9] = {
		"latencies must not be negative", "latencies must not be negative",
		"latencies must not be negative",
		"field \"measured_throughput\" must not be negative",
		"field \"reliability_score\" must be from 0 to 1",
		"resource usage must not be negative", "resource usage must not be negative",
		"resource usage must not be negative", "resource usage must not be negative",
	};
	char err[BOPT_ERR_MAX] = "";
	double v[9] = {0};
	cr_assert(whole_line(v, err), "%s", err);
	for (int i = 0; i < 9; i++)
		v[i] = i == 4 ? 1 : METRICS_VALUE_MAX;
	cr_assert(whole_line(v, err), "%s", err);
	for (int i = 0; i < 9; i++) {
		double w[9] = {0};
		w[i] = -0.5;
		cr_assert_not(whole_line(w, err), "figure %d", i);
		cr_assert_str_eq(err, negative[i], "figure %d", i);
		if (i == 4) {
			w[i] = 1.5;
			cr_assert_not(whole_line(w, err));
			cr_assert_str_eq(err, negative[i]);
			continue;
		}
		w[i] = METRICS_VALUE_MAX * (1 + 1e-15);
		cr_assert_not(whole_line(w, err), "figure %d", i);
		cr_assert_str_eq(err, "figures must be at most 1e+15", "figure %d", i);
	}
}
