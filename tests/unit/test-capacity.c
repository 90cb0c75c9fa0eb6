#include <criterion/criterion.h>
#include <math.h>

#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "base/util.h"
#include "decide/capacity.h"
#include "decide/eligible.h"
#include "decide/metrics.h"
#include "decide/recommend.h"
#include "tempfile.h"
#include "trace/summary.h"

// Expectations are worked out by hand from the formulas of bopt(1),
// CAPACITY AND PRICES, and the figures of capacity.def and prices.def.
#define EPS 1e-9
#define HOURS 730.0
#define MONTH_S (730.0 * 3600)

static struct price_table prices;

static struct capacity_load load(double eps, double size, double ratio)
{
	return (struct capacity_load){
		.mean_eps = eps, .peak_eps = eps, .mean_bps = eps * size, .peak_bps = eps * size,
		.compression_ratio = ratio, .consumers = 1,
	};
}

static struct capacity_plan plan(enum bopt_backend b, struct capacity_load l, double retention)
{
	struct capacity_options o;
	capacity_options_init(&o, &prices);
	o.retention_days = retention;
	struct capacity_plan p;
	capacity_plan(b, &l, 0, &o, &p);
	return p;
}

static void setup(void)
{
	prices_builtin(&prices);
}

TestSuite(capacity, .init = setup);

// 5,000 records/s of 100 B at 50 %: 5000 / 500 = 10 shards by records,
// 500 kB/s / 500 kB/s = 1 by bytes.
Test(capacity, kinesis_records_bound)
{
	struct capacity_plan p = plan(BOPT_KINESIS, load(5000, 100, 1), -1);
	cr_assert_eq(p.units, 10);
	cr_assert_eq(p.bound, CAP_BOUND_EVENTS);
	cr_assert_float_eq(p.utilisation, 0.5, EPS);
	cr_assert_null(p.node);
	// Provisioned: 10 x $0.015 x 730 h; 5000 x 730 x 3600 PUT units (100 B
	// is one 25 KB unit) at $0.014 a million; 24 h retention is included.
	cr_assert_not(p.on_demand);
	cr_assert_float_eq(p.compute, 10 * 0.015 * HOURS, EPS);
	cr_assert_float_eq(p.requests, 5000 * MONTH_S / 1e6 * 0.014, EPS);
	cr_assert_float_eq(p.compute, 109.5, EPS);
	cr_assert_float_eq(p.requests, 183.96, EPS);
	cr_assert_float_eq(p.storage, 0, EPS);
	cr_assert_float_eq(p.total, 293.46, EPS);
}

// 1,000 records/s of 10,000 B: 2 shards by records, 10 MB/s / 0.5 MB/s = 20
// by bytes; each record is one PUT unit (10,000 B < 25,600 B).
Test(capacity, kinesis_bytes_bound)
{
	struct capacity_plan p = plan(BOPT_KINESIS, load(1000, 10000, 1), -1);
	cr_assert_eq(p.units, 20);
	cr_assert_eq(p.bound, CAP_BOUND_BYTES);
	cr_assert_float_eq(p.utilisation, 0.5, EPS);
	cr_assert_float_eq(p.compute, 20 * 0.015 * HOURS, EPS);
	cr_assert_float_eq(p.requests, 1000 * MONTH_S / 1e6 * 0.014, EPS);
}

// Read: with 3 consumer groups, 3 x 0.8 MB/s / (2 MB/s x 0.5) = 2.4 -> 3
// shards, where writes need 0.8 / 0.5 = 1.6 -> 2.
Test(capacity, kinesis_read_bound)
{
	struct capacity_load l = load(100, 8000, 1);
	l.consumers = 3;
	struct capacity_plan p = plan(BOPT_KINESIS, l, -1);
	cr_assert_eq(p.units, 3);
	cr_assert_eq(p.bound, CAP_BOUND_READ);
	cr_assert_float_eq(p.utilisation, 2.4e6 / 6e6, EPS);
}

// Beyond the included day, Kinesis bills retained GB: 30 days of 1 MB/s
// keep 29 x 86.4 GB beyond 24 h at $0.023.
Test(capacity, kinesis_retention)
{
	struct capacity_plan p = plan(BOPT_KINESIS, load(100, 10000, 1), 30);
	cr_assert_float_eq(p.stored_gb, 30 * 86.4, EPS);
	cr_assert_float_eq(p.storage, 29 * 86.4 * 0.023, EPS);
}

// A --prices file that makes shard-hours dear turns Kinesis on-demand:
// $0.04 x 730 + GB (records rounded up to 1 KB) x ($0.08 + $0.04).
Test(capacity, kinesis_on_demand)
{
	char err[BOPT_ERR_MAX];
	const char *doc = "{\"prices\": {\"kinesis_shard_hour\": 1.0}}";
	cr_assert(prices_parse("p.json", doc, strlen(doc), &prices, err), "%s", err);
	struct capacity_plan p = plan(BOPT_KINESIS, load(10, 100, 1), -1);
	cr_assert(p.on_demand);
	double gb = 10 * MONTH_S * 1024 / 1e9;
	cr_assert_float_eq(p.compute, 0.04 * HOURS, EPS);
	cr_assert_float_eq(p.requests, gb * 0.12, EPS);
	cr_assert_float_eq(p.total, 29.2 + 26.91072 * 0.12, EPS);
	// Retained 3 days: 2 beyond the included one of 1,000 B/s, 0.1728 GB at
	// on-demand's $0.10.
	p = plan(BOPT_KINESIS, load(10, 100, 1), 3);
	cr_assert(p.on_demand);
	cr_assert_float_eq(p.storage, 2 * 86400 * 1000 / 1e9 * 0.10, EPS);
}

// 100,000 events/s of 1,000 B at 50 %: 1e8 / 5e6 = 20 partitions (10 MB/s
// each, the capability matrix's); brokers by events 1e5 / (828836 / 3 x
// 0.5) = 0.72, by bytes 1e8 / (605e6 / 3 x 0.5) = 0.99, by placement
// 20 x 3 / 2000: the minimum 3.
Test(capacity, kafka_small)
{
	struct capacity_plan p = plan(BOPT_KAFKA, load(100000, 1000, 0.5), 0);
	cr_assert_eq(p.units, 20);
	cr_assert_eq(p.nodes, 3);
	cr_assert_eq(p.bound, CAP_BOUND_BYTES);
	cr_assert_float_eq(p.utilisation, 0.5, EPS);
	cr_assert_float_eq(p.compute, 3 * 0.84 * HOURS, EPS);
}

// 1e6 events/s of 1,000 B: 200 partitions; brokers by events 7.24 -> 8, by
// bytes 1e9 / 100.83e6 = 9.92 -> 10. Storage for the default 7 days:
// 1e9 B/s x 86400 x 7 x 0.5 (compressed) x RF 3 = 907,200 GB at $0.10.
Test(capacity, kafka_brokers_and_storage)
{
	struct capacity_plan p = plan(BOPT_KAFKA, load(1e6, 1000, 0.5), -1);
	cr_assert_eq(p.units, 200);
	cr_assert_eq(p.nodes, 10);
	cr_assert_eq(p.bound, CAP_BOUND_BYTES);
	cr_assert_float_eq(p.retention_days, 7, EPS);
	cr_assert_float_eq(p.stored_gb, 907200, 1e-6);
	cr_assert_float_eq(p.compute, 10 * 0.84 * HOURS, EPS);
	cr_assert_float_eq(p.storage, 90720, 1e-6);
	cr_assert_float_eq(p.requests, 0, EPS);
	cr_assert_float_eq(p.total, 6132 + 90720, 1e-6);
	// Partitions run at 1e9 / (200 x 1e7), brokers at 1e9 / (10 x 605e6 / 3).
	cr_assert_float_eq(p.utilisation, 0.5, EPS);
}

// 30 days of 1 MB/s, compressed to a quarter, 3 copies: 1944 GB.
Test(capacity, kafka_retention)
{
	struct capacity_plan p = plan(BOPT_KAFKA, load(1000, 1000, 0.25), 30);
	cr_assert_float_eq(p.stored_gb, 1944, 1e-9);
	cr_assert_float_eq(p.storage, 194.4, 1e-9);
}

// Measured throughput replaces the cited broker figure: 300,000 events/s on
// the minimum 3 brokers is 100,000 a broker; 400,000 at 50 % needs 8.
Test(capacity, measured)
{
	struct capacity_options o;
	capacity_options_init(&o, &prices);
	struct capacity_load l = load(400000, 10, 1);
	struct capacity_plan p;
	capacity_plan(BOPT_KAFKA, &l, 300000, &o, &p);
	cr_assert(p.measured);
	cr_assert_eq(p.nodes, 8);
	cr_assert_eq(p.bound, CAP_BOUND_EVENTS);
	capacity_plan(BOPT_KINESIS, &l, 300000, &o, &p);
	cr_assert_not(p.measured); // quotas, not measurements
	// In-memory has no nodes: a measured 1,000,000 events/s is one process's,
	// and 4,000,000 at 50 % need 4000000 / (1000000 x 0.5) = 8 processes.
	l = load(4000000, 10, 1);
	capacity_plan(BOPT_MEMORY, &l, 1000000, &o, &p);
	cr_assert(p.measured);
	cr_assert_eq(p.units, 8);
	// A measured 0.1 events/s, for 0.5 events/s: 0.5 / (0.1 x 0.5) = 10.
	l = load(0.5, 10, 1);
	capacity_plan(BOPT_MEMORY, &l, 0.1, &o, &p);
	cr_assert_eq(p.units, 10);
	// NATS measured on its 3 servers: 300,000 / 3 = 100,000 a server, each
	// event counted once (the measurement had the replicas): 400,000 at 50 %
	// need 8 servers.
	l = load(400000, 10, 1);
	capacity_plan(BOPT_NATS, &l, 300000, &o, &p);
	cr_assert_eq(p.nodes, 8);
	cr_assert_eq(p.bound, CAP_BOUND_EVENTS);
}

// Pulsar: brokers and at least as many bookies (3 at least); RabbitMQ: nodes
// in threes; Redis: 3 nodes a shard; NATS: R3 loads 3 servers per event.
Test(capacity, node_rules)
{
	// 500,000 events/s at 50 %: 500000 / (358323 / 2 x 0.5) = 5.58 -> 6
	// brokers, 6 bookies; partitions 500000 / 80118.5 = 6.24 -> 7.
	struct capacity_plan p = plan(BOPT_PULSAR, load(500000, 10, 1), -1);
	cr_assert_eq(p.nodes, 6);
	cr_assert_eq(p.companions, 6);
	cr_assert_eq(p.units, 7);
	cr_assert_float_eq(p.compute, 12 * 0.384 * HOURS, EPS);
	p = plan(BOPT_PULSAR, load(10, 10, 1), -1);
	cr_assert_eq(p.nodes, 2);
	cr_assert_eq(p.companions, 3);
	// 100,000 / (70067 x 0.5) = 2.85 -> 3 nodes; 200,000 -> 5.7 -> 6.
	p = plan(BOPT_RABBITMQ, load(200000, 10, 1), -1);
	cr_assert_eq(p.nodes, 6);
	cr_assert_eq(p.units, 5); // 200000 / 40000
	p = plan(BOPT_RABBITMQ, load(150000, 10, 1), -1);
	cr_assert_eq(p.nodes, 6); // 4.28 -> 5 -> a group of 3: 6
	// 100,000 / (41592 x 0.5) = 4.8 -> 5 shards, 15 nodes.
	p = plan(BOPT_REDIS, load(100000, 10, 1), -1);
	cr_assert_eq(p.units, 5);
	cr_assert_eq(p.nodes, 15);
	cr_assert_float_eq(p.compute, 15 * 0.156 * HOURS, EPS);
	cr_assert_float_eq(p.storage, 0, EPS);
	// 300,000 x 3 / (403828 x 0.5) = 4.46 -> 5 servers, 2 streams.
	p = plan(BOPT_NATS, load(300000, 10, 1), -1);
	cr_assert_eq(p.nodes, 5);
	cr_assert_eq(p.units, 2);
	p = plan(BOPT_MEMORY, load(1000, 1000, 1), -1);
	cr_assert_eq(p.units, 1);
	cr_assert_float_eq(p.memory_gb, 1e-3, EPS); // one second of the peak
	cr_assert_float_eq(p.total, 0, EPS);
}

// --scale 10: ten times the shards and the request charges.
Test(capacity, scale)
{
	struct capacity_load l = load(5000, 100, 1);
	capacity_load_scale(&l, 10);
	cr_assert_float_eq(l.peak_eps, 50000, EPS);
	cr_assert_float_eq(l.mean_bps, 5e6, EPS);
	struct capacity_plan p = plan(BOPT_KINESIS, l, -1);
	cr_assert_eq(p.units, 100);
	cr_assert_float_eq(p.compute, 1095, EPS);
	cr_assert_float_eq(p.requests, 1839.6, 1e-9);
}

// Target utilisation: at 100 % the 5,000 records/s need 5 shards.
Test(capacity, utilisation_target)
{
	struct capacity_options o;
	capacity_options_init(&o, &prices);
	o.utilisation = 1;
	struct capacity_load l = load(5000, 100, 1);
	struct capacity_plan p;
	capacity_plan(BOPT_KINESIS, &l, 0, &o, &p);
	cr_assert_eq(p.units, 5);
	cr_assert_float_eq(p.utilisation, 1, EPS);
}

Test(capacity, prices_replace_only_named)
{
	char err[BOPT_ERR_MAX];
	struct price_table before = prices;
	const char *doc = "{\n  \"region\": \"eu-west-1\",\n  \"date\": \"2026-01-01\",\n"
		"  \"prices\": {\"msk_broker_hour\": 1.5, \"ebs_gb_month\": 0}\n}\n";
	cr_assert(prices_parse("p.json", doc, strlen(doc), &prices, err), "%s", err);
	for (int i = 0; i < PRICE_COUNT; i++) {
		if (i == PRICE_MSK_BROKER_HOUR)
			cr_assert_eq(prices.dollars[i], 1.5);
		else if (i == PRICE_EBS_GB_MONTH)
			cr_assert_eq(prices.dollars[i], 0);
		else
			cr_assert_eq(prices.dollars[i], before.dollars[i], "%s", price_key(i));
		cr_assert_eq(prices.replaced[i], i == PRICE_MSK_BROKER_HOUR || i == PRICE_EBS_GB_MONTH);
	}
	cr_assert_str_eq(prices.region, "eu-west-1");
	cr_assert_str_eq(prices.date, "2026-01-01");
	cr_assert_str_eq(prices.origin, "p.json");
	struct capacity_plan p = plan(BOPT_KAFKA, load(10, 10, 1), 0);
	cr_assert_float_eq(p.compute, 3 * 1.5 * HOURS, EPS);
}

Test(capacity, prices_errors)
{
	static const struct {
		const char *doc, *err;
	} cases[] = {
		{"{\n\"prices\": {\n  \"msk_broker_hour\": \"cheap\"\n}}",
			"p.json:3: prices.msk_broker_hour: expected dollars per kafka.m5.2xlarge "
			"broker-hour, a number from 0 to 1e+09"},
		{"{\"prices\": {\"msk_broker_hour\": -1}}",
			"p.json:1: prices.msk_broker_hour: expected dollars per kafka.m5.2xlarge "
			"broker-hour, a number from 0 to 1e+09"},
		{"{\n\n\"prices\": {\"gold\": 1}}",
			"p.json:3: prices.gold: unknown price (bopt(1), PRICES, lists them)"},
		{"{\"prices\": {\"ebs_gb_month\": 1,\n\"ebs_gb_month\": 2}}",
			"p.json:2: prices.ebs_gb_month: given twice"},
		{"{\"currency\": \"EUR\"}",
			"p.json:1: unknown field 'currency' (expected region, date or prices)"},
		{"{\"region\": 3, \"prices\": {}}",
			"p.json:1: region: expected a non-empty string of at most 63 bytes"},
		{"{\"region\": \"x\"}", "p.json:1: no \"prices\" object"},
		{"{\"prices\": [1]}",
			"p.json:1: prices: expected an object of price names and dollars"},
		{"[]", "p.json:1: expected a JSON object with \"prices\""},
		{"{\"prices\": {\n\"ebs_gb_month\": 1,,}}", "p.json:2: invalid JSON: expected '\"'"},
		{"{\"prices\": {}} x", "p.json:1: invalid JSON: text after the object"},
		{"", "p.json:1: invalid JSON: empty document"},
	};
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		char err[BOPT_ERR_MAX] = "";
		struct price_table t = prices;
		cr_assert_not(prices_parse("p.json", cases[i].doc, strlen(cases[i].doc), &t, err),
			"%s", cases[i].doc);
		cr_assert_str_eq(err, cases[i].err, "%s", cases[i].doc);
		cr_assert_eq(memcmp(&t, &prices, sizeof(t)), 0);
	}
}

Test(capacity, prices_read_file)
{
	char err[BOPT_ERR_MAX];
	char *path = temp_file_with(S("{\"prices\": {\"ec2_node_hour\": 0.5}}\n"));
	cr_assert(prices_read(path, &prices, err), "%s", err);
	cr_assert_eq(prices.dollars[PRICE_EC2_NODE_HOUR], 0.5);
	cr_assert_str_eq(prices.date, "undated");
	unlink(path);
	cr_assert_not(prices_read(path, &prices, err));
	free(path);
}

// 10 events in second 0, 2 in second 1, none in 2, 6 in 3.
Test(capacity, interval_rates)
{
	struct bopt_summary s;
	summary_init(&s);
	static const int counts[] = {10, 2, 0, 6};
	const int64_t t0 = 1700000000LL * 1000000000;
	for (int sec = 0; sec < 4; sec++)
		for (int i = 0; i < counts[sec]; i++)
			summary_add(&s, t0 + sec * 1000000000LL + i * 1000000, 10, 0, NULL, 0);
	struct interval_rates r;
	cr_assert(summary_interval_rates(&s, 1, &r));
	cr_assert_eq(r.intervals, 4);
	cr_assert_float_eq(r.interval_s, 1, EPS);
	cr_assert_float_eq(r.peak, 10, EPS);
	cr_assert_float_eq(r.p50, 2, EPS);  // sorted 0 2 6 10: rank 2
	cr_assert_float_eq(r.p99, 10, EPS); // rank 4
	// Two-second intervals (t0 is even): 12 and 6 events.
	cr_assert(summary_interval_rates(&s, 2, &r));
	cr_assert_eq(r.intervals, 2);
	cr_assert_float_eq(r.peak, 6, EPS);
	cr_assert_float_eq(r.p50, 3, EPS);
	summary_reset(&s);
	cr_assert_not(summary_interval_rates(&s, 1, &r));
	summary_destroy(&s);
}

// bopt scoring with capacity plans: every candidate sized for the load as
// capacity_plan sizes it, cost against the cheapest eligible backend's
// dollars plus the floor, throughput from the plan's capacity.
Test(capacity, recommend_with_plans)
{
	cr_assert_float_eq(recommend_cost_relative(300, 100), 110.95 / 310.95, EPS);
	cr_assert_float_eq(recommend_cost_relative(0, 100), 1, EPS); // capped
	struct bopt_pattern p;
	pattern_init_default(&p);
	p.event_rate = 1000;
	p.consistency_requirements = BOPT_AT_LEAST_ONCE;
	struct metrics_set m;
	metrics_init(&m, 0.1);
	metrics_use_profiles(&m, false, 0);
	struct requirement_options ro;
	struct requirements req;
	struct workload_observed none = {0};
	requirement_options_init(&ro);
	requirements_derive(&p, &none, &ro, &req);
	struct capacity_load l = load(1000, 100, 1);
	struct capacity_options o;
	capacity_options_init(&o, &prices);
	const enum bopt_backend bs[2] = {BOPT_KAFKA, BOPT_RABBITMQ};
	struct capacity_plan want[2];
	for (int i = 0; i < 2; i++)
		want[i] = plan(bs[i], l, -1);
	double cheapest = fmin(want[0].total, want[1].total);
	bool only[BOPT_BACKEND_COUNT] = {[BOPT_KAFKA] = true, [BOPT_RABBITMQ] = true};
	struct recommend_input in = {.pattern = &p, .metrics = &m, .only = only,
		.scoring = SCORING_BOPT, .requirements = &req, .load = &l, .capacity = &o};
	cost_weights_default(&in.weights);
	struct recommendation r[BOPT_BACKEND_COUNT];
	cr_assert_eq(recommend_rank(&in, r), 2);
	for (int i = 0; i < 2; i++) {
		const struct capacity_plan *w = &want[r[i].backend == BOPT_KAFKA ? 0 : 1];
		cr_assert(r[i].eligibility.eligible);
		cr_assert(r[i].planned);
		cr_assert_eq(r[i].plan.units, w->units);
		cr_assert_float_eq(r[i].plan.total, w->total, EPS);
		cr_assert_float_eq(r[i].score, score_combine(&r[i].parts, &in.weights), EPS);
		cr_assert_float_eq(r[i].parts.cost, recommend_cost_relative(w->total, cheapest), EPS);
		cr_assert_float_eq(r[i].parts.throughput, score_headroom(1000, w->capacity_eps), EPS);
		char against[RECOMMEND_AGAINST_LEN];
		snprintf(against, sizeof(against), "peak 1000 events/s is %.3g%% of %.6g events/s "
			"(%llu %s%s)", 100000 / w->capacity_eps, w->capacity_eps,
			(unsigned long long)w->units, w->unit, w->units == 1 ? "" : "s");
		cr_assert_str_eq(r[i].against[1], against);
	}
	// Without a load, nothing is planned.
	in.load = NULL;
	cr_assert_eq(recommend_rank(&in, r), 2);
	cr_assert_not(r[0].planned);
	metrics_release(&m);
	pattern_release(&p);
}

// A date of exactly 31 bytes fits; 32 do not (and nothing overflows).
Test(capacity, prices_text_limits)
{
	char err[BOPT_ERR_MAX];
	const char *fits = "{\"date\": \"1234567890123456789012345678901\", \"prices\": {}}";
	cr_assert(prices_parse("p.json", fits, strlen(fits), &prices, err), "%s", err);
	cr_assert_eq(strlen(prices.date), 31);
	const char *over = "{\"date\": \"12345678901234567890123456789012\", \"prices\": {}}";
	cr_assert_not(prices_parse("p.json", over, strlen(over), &prices, err));
	cr_assert_str_eq(err, "p.json:1: date: expected a non-empty string of at most 31 bytes");
}
