#include <cjson/cJSON.h>
#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/util.h"
#include "decide/omb.h"

// Expectations are worked out by hand from bopt(1), OpenMessaging
// Benchmark results.
#define EPS 1e-9

// A result with the given driver, workload and extra members; publish
// latency p50 1, p95 2, p99 3 ms unless extra overrides them.
static bool parse(const char *driver, const char *workload, const char *extra,
	struct omb_run *r, char *err)
{
	char text[2048];
	snprintf(text, sizeof(text), "{\"driver\":\"%s\",\"workload\":\"%s\",%s}", driver,
		workload, extra);
	cJSON *j = cJSON_Parse(text);
	cr_assert_not_null(j, "%s", text);
	cr_assert(omb_is_result(j));
	// Latency members go first so that extra may repeat them: cJSON takes
	// the first of equal keys, so add the defaults only when absent.
	const char *keys[] = {"aggregatedPublishLatency50pct", "aggregatedPublishLatency95pct",
		"aggregatedPublishLatency99pct"};
	for (int i = 0; i < 3; i++)
		if (cJSON_GetObjectItemCaseSensitive(j, keys[i]) == NULL)
			cJSON_AddNumberToObject(j, keys[i], i + 1);
	bool ok = omb_parse(j, r, err);
	cJSON_Delete(j);
	return ok;
}

static void must_parse(const char *driver, const char *workload, const char *extra,
	struct omb_run *r)
{
	char err[BOPT_ERR_MAX];
	cr_assert(parse(driver, workload, extra, r, err), "%s", err);
}

Test(omb, latency_run_tracks_the_offered_rate)
{
	struct omb_run r;
	must_parse("Kafka", "1-topic-200K-rate", "\"publishRate\":[196000,204000],"
		"\"consumeRate\":[200000,200000],\"backlog\":[-10,30]", &r);
	cr_assert_eq(r.backend, BOPT_KAFKA);
	cr_assert_str_eq(r.label, "");
	cr_assert_eq(r.kind, OMB_LATENCY_RUN);
	cr_assert_eq(r.publish_rate, 200000.0);
	cr_assert_eq(r.offered_rate, 200000.0);
	cr_assert_eq(r.backlog_peak, 30.0);
	cr_assert_eq(r.windows, 2);
	cr_assert_eq(r.publish.p999, -1.0); // not in the file
	cr_assert_not(r.size_stated);
	cr_assert_eq(r.message_size, OMB_STOCK_MESSAGE_BYTES);
	cr_assert_str_eq(r.why, "publish rate 200000 msg/s tracks the offered 200000 within 5%");
	omb_run_release(&r);

	// 5% off is still tracking; beyond it, messages in flight decide:
	// 189000 x 1 ms = 189 in flight.
	must_parse("Kafka", "200K-rate", "\"publishRate\":[190000]", &r);
	cr_assert_eq(r.kind, OMB_LATENCY_RUN);
	omb_run_release(&r);
	must_parse("Kafka", "200K-rate", "\"publishRate\":[189000]", &r);
	cr_assert_eq(r.kind, OMB_LATENCY_RUN);
	cr_assert_str_eq(r.why, "189 messages in flight, publish rate x publish p50, at most 5000");
	omb_run_release(&r);
}

Test(omb, throughput_runs)
{
	struct omb_run r;
	// 600000 msg/s x 10 ms = 6000 in flight.
	must_parse("Pulsar", "1000K-rate", "\"publishRate\":[600000],"
		"\"aggregatedPublishLatency50pct\":10", &r);
	cr_assert_eq(r.kind, OMB_THROUGHPUT_RUN);
	cr_assert_str_eq(r.why, "6000 messages in flight, publish rate x publish p50, above 5000");
	omb_run_release(&r);
	// Exactly 5000 is a latency run.
	must_parse("Pulsar", "x", "\"publishRate\":[500000],"
		"\"aggregatedPublishLatency50pct\":10", &r);
	cr_assert_eq(r.kind, OMB_LATENCY_RUN);
	omb_run_release(&r);
	must_parse("RabbitMQ-quorum", "max-rate-1kb", "\"publishRate\":[1000]", &r);
	cr_assert_eq(r.kind, OMB_THROUGHPUT_RUN);
	cr_assert_str_eq(r.label, "quorum");
	cr_assert(r.size_stated);
	cr_assert_eq(r.message_size, 1024.0);
	omb_run_release(&r);
	// Newer files: producers behind schedule, even at the offered rate.
	must_parse("Kafka", "100b-200K-rate", "\"publishRate\":[200000],"
		"\"aggregatedPublishDelayLatency50pct\":10001,\"messageSize\":512", &r);
	cr_assert_eq(r.kind, OMB_THROUGHPUT_RUN);
	cr_assert_eq(r.message_size, 512.0); // messageSize before the name
	omb_run_release(&r);
	must_parse("Kafka", "100b-200K-rate", "\"publishRate\":[200000],"
		"\"aggregatedPublishDelayLatency50pct\":10000", &r);
	cr_assert_eq(r.kind, OMB_LATENCY_RUN);
	cr_assert_eq(r.message_size, 100.0);
	omb_run_release(&r);
}

Test(omb, saturated_runs)
{
	struct omb_run r;
	// Backlog 1001 messages at 1000 msg/s: 1.001 s.
	must_parse("Kafka", "1K-rate", "\"publishRate\":[1000],\"backlog\":[0,1001]", &r);
	cr_assert_eq(r.kind, OMB_SATURATED_RUN);
	cr_assert_str_eq(r.why, "backlog peaked at 1001 messages, 1 s of publishing, above 1 s");
	omb_run_release(&r);
	must_parse("Kafka", "1K-rate", "\"publishRate\":[1000],\"backlog\":[1000]", &r);
	cr_assert_eq(r.kind, OMB_LATENCY_RUN);
	omb_run_release(&r);
	must_parse("Kafka", "1K-rate", "\"publishRate\":[1000],\"consumeRate\":[949]", &r);
	cr_assert_eq(r.kind, OMB_SATURATED_RUN);
	cr_assert_str_eq(r.why, "consumers kept 94.9% of the publish rate, below 95%");
	omb_run_release(&r);
	// End to end 11x publish and 110 ms above it.
	must_parse("Kafka", "1K-rate", "\"publishRate\":[1000],\"aggregatedPublishLatency50pct\":11,"
		"\"aggregatedEndToEndLatency50pct\":121,\"aggregatedEndToEndLatency95pct\":130,"
		"\"aggregatedEndToEndLatency99pct\":140,\"aggregatedEndToEndLatency999pct\":150", &r);
	cr_assert_eq(r.kind, OMB_SATURATED_RUN);
	cr_assert_eq(r.e2e.p999, 150.0);
	omb_run_release(&r);
	// 11x but only 50 ms above: not saturated.
	must_parse("Kafka", "1K-rate", "\"publishRate\":[1000],\"aggregatedPublishLatency50pct\":5,"
		"\"aggregatedEndToEndLatency50pct\":55,\"aggregatedEndToEndLatency95pct\":60,"
		"\"aggregatedEndToEndLatency99pct\":70", &r);
	cr_assert_eq(r.kind, OMB_LATENCY_RUN);
	omb_run_release(&r);
}

Test(omb, bad_results)
{
	struct omb_run r;
	char err[BOPT_ERR_MAX];
	cr_assert_not(parse("Kafka", "w", "\"publishRate\":[]", &r, err));
	cr_assert_str_eq(err, "field \"publishRate\" has no windows");
	omb_run_release(&r);
	cr_assert_not(parse("Kafka", "w", "\"publishRate\":[1],\"messageSize\":0", &r, err));
	cr_assert_str_eq(err, "field \"messageSize\" must be at least 1");
	omb_run_release(&r);
	cr_assert_not(parse("Kafka", "w", "\"publishRate\":[1],\"backlog\":[\"x\"]", &r, err));
	cr_assert_str_eq(err, "field \"backlog\" must hold numbers from -1e+15 to 1e+15");
	omb_run_release(&r);
	cr_assert_not(parse("Kafka", "w", "\"publishRate\":[1],"
		"\"aggregatedEndToEndLatency50pct\":1", &r, err));
	cr_assert_str_eq(err, "missing field \"aggregatedEndToEndLatency95pct\"");
	omb_run_release(&r);
	cr_assert_not(parse("Artemis", "w", "\"publishRate\":[1]", &r, err));
	cr_assert_str_eq(err, "unknown driver \"Artemis\"");
	omb_run_release(&r);
}

// Two latency runs (60 and 20 windows) and a throughput run, combined in
// every order.
Test(omb, combination_is_a_set)
{
	struct omb_run runs[3];
	must_parse("Kafka", "100K-rate", "\"publishRate\":[100000,100000,100000],"
		"\"publishErrorRate\":[0,0,30]", &runs[0]);
	must_parse("Kafka", "200K-rate", "\"publishRate\":[200000],"
		"\"aggregatedPublishLatency50pct\":5,\"aggregatedPublishLatency95pct\":6,"
		"\"aggregatedPublishLatency99pct\":7", &runs[1]);
	must_parse("Kafka", "max-rate", "\"publishRate\":[600000]", &runs[2]);
	runs[0].file = xstrdup("a.json");
	runs[1].file = xstrdup("b.json");
	runs[2].file = xstrdup("c.json");
	static const int orders[6][3] = {{0, 1, 2}, {0, 2, 1}, {1, 0, 2}, {1, 2, 0}, {2, 0, 1},
		{2, 1, 0}};
	struct omb_figures first;
	for (int k = 0; k < 6; k++) {
		const struct omb_run *set[3];
		for (int i = 0; i < 3; i++)
			set[i] = &runs[orders[k][i]];
		struct omb_figures f;
		omb_combine(set, 3, 256, &f);
		if (k == 0)
			first = f;
		// Bit for bit: the same sums in the same order.
		cr_assert(f.capacity_from == first.capacity_from && f.windows == first.windows &&
			f.publish.p50 == first.publish.p50 && f.publish.p95 == first.publish.p95 &&
			f.publish.p99 == first.publish.p99 && f.reliability == first.reliability &&
			f.capacity_events == first.capacity_events, "order %d", k);
	}
	cr_assert_eq(first.runs, 3);
	cr_assert_eq(first.windows, 5);
	cr_assert_eq(first.latency_runs, 2);
	cr_assert_eq(first.latency_windows, 4);
	// p50 (3 x 1 + 1 x 5) / 4 = 2, p99 (3 x 3 + 7) / 4 = 4.
	cr_assert_float_eq(first.publish.p50, 2.0, EPS);
	cr_assert_float_eq(first.publish.p99, 4.0, EPS);
	cr_assert_not(first.has_e2e);
	// 30 errors of 300000 published in 3 windows: 0.9999 there, 1 elsewhere;
	// (3 x 0.9999 + 1 + 1) / 5.
	cr_assert_float_eq(first.reliability, (3 * 0.9999 + 2) / 5, EPS);
	// 600000 msg/s of 1024 bytes = 2400000 events/s of 256 bytes.
	cr_assert_eq(first.capacity_from, &runs[2]);
	cr_assert_not(first.capacity_lower_bound);
	cr_assert_float_eq(first.capacity_events, 2400000.0, EPS);
	cr_assert_float_eq(first.size_scale, 4.0, EPS);
	cr_assert_not(first.size_far); // 4x is not more than 4x

	// Without the throughput run: at least the larger latency run's rate.
	const struct omb_run *two[2] = {&runs[1], &runs[0]};
	omb_combine(two, 2, 100, &first);
	cr_assert(first.capacity_lower_bound);
	cr_assert_eq(first.capacity_from, &runs[1]);
	cr_assert_float_eq(first.capacity_events, 2048000.0, EPS); // 200000 x 1024 / 100
	cr_assert(first.size_far);
	for (int i = 0; i < 3; i++)
		omb_run_release(&runs[i]);
}

// A backlog of one window is its own peak; an empty backlog peaks at 0.
Test(omb, backlog_of_one_window_or_none)
{
	struct omb_run r;
	must_parse("Kafka", "1K-rate", "\"publishRate\":[1000],\"backlog\":[1001]", &r);
	cr_assert_eq(r.backlog_peak, 1001.0);
	cr_assert_eq(r.kind, OMB_SATURATED_RUN);
	cr_assert_str_eq(r.why, "backlog peaked at 1001 messages, 1 s of publishing, above 1 s");
	omb_run_release(&r);
	must_parse("Kafka", "1K-rate", "\"publishRate\":[1000],\"backlog\":[]", &r);
	cr_assert_eq(r.backlog_peak, 0.0);
	cr_assert_eq(r.kind, OMB_LATENCY_RUN);
	omb_run_release(&r);
}

// Reliability from publish errors: 1 - errors / published messages; with
// nothing published there is nothing to fail, so 1.
Test(omb, reliability_from_publish_errors)
{
	struct omb_run r;
	must_parse("Kafka", "w", "\"publishRate\":[1000,3000],\"publishErrorRate\":[10,30]", &r);
	cr_assert_float_eq(r.reliability, 1.0 - 40.0 / 4000.0, EPS);
	omb_run_release(&r);
	must_parse("Kafka", "w", "\"publishRate\":[10],\"publishErrorRate\":[20]", &r);
	cr_assert_eq(r.reliability, 0.0);
	omb_run_release(&r);
	must_parse("Kafka", "w", "\"publishRate\":[0,0],\"publishErrorRate\":[5,0]", &r);
	cr_assert_eq(r.reliability, 1.0);
	omb_run_release(&r);
}
