#include <criterion/criterion.h>

#include "base/util.h"
#include "decide/backend.h"
#include "decide/cost.h"

// Expectations are worked out by hand from the reference formulas (SPEC 3.2).
#define EPS 1e-12

static struct bopt_pattern pattern(enum bopt_pattern_type t, double rate, enum bopt_consistency c)
{
	struct bopt_pattern p;
	pattern_init_default(&p);
	p.pattern_type = t;
	p.event_rate = rate;
	p.consistency_requirements = c;
	return p;
}

Test(cost, default_weights)
{
	struct cost_weights w;
	cost_weights_default(&w);
	cr_assert_eq(w.latency, 0.3);
	cr_assert_eq(w.throughput, 0.3);
	cr_assert_eq(w.reliability, 0.3);
	cr_assert_eq(w.resource, 0.1);
}

Test(cost, weights_parse)
{
	struct cost_weights w;
	char err[BOPT_ERR_MAX];
	cost_weights_default(&w);
	cr_assert(cost_weights_parse("latency=0.5,resource=0", &w, err));
	cr_assert_eq(w.latency, 0.5);
	cr_assert_eq(w.throughput, 0.3);
	cr_assert_eq(w.reliability, 0.3);
	cr_assert_eq(w.resource, 0.0);
	const char *bad[] = {"speed=1", "latency=-1", "latency=2e6", "latency=", "latency", "latency=1x",
		"latency=0,throughput=0,reliability=0,resource=0"};
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		struct cost_weights before = w;
		cr_assert_not(cost_weights_parse(bad[i], &w, err), "%s", bad[i]);
		cr_assert_eq(w.latency, before.latency, "unchanged after %s", bad[i]);
	}
	cr_assert_str_eq(err, "the weights must not all be zero");

	// Each weight alone is enough; each named twice, at the top of the
	// range and the messages, exactly.
	const char *alone[] = {"latency=1,throughput=0,reliability=0,resource=0",
		"latency=0,throughput=1,reliability=0,resource=0",
		"latency=0,throughput=0,reliability=1,resource=0",
		"latency=0,throughput=0,reliability=0,resource=1"};
	for (size_t i = 0; i < 4; i++) {
		cr_assert(cost_weights_parse(alone[i], &w, err), "%s: %s", alone[i], err);
		double got[] = {w.latency, w.throughput, w.reliability, w.resource};
		for (size_t k = 0; k < 4; k++)
			cr_assert_eq(got[k], k == i ? 1.0 : 0.0, "%s", alone[i]);
	}
	cr_assert(cost_weights_parse("resource=1e6", &w, err));
	cr_assert_eq(w.resource, 1e6);
	cr_assert_not(cost_weights_parse("throughput=1,throughput=2", &w, err));
	cr_assert_str_eq(err, "invalid weight 'throughput=2': throughput is given twice");
	cr_assert_not(cost_weights_parse("lat=1", &w, err));
	cr_assert_str_eq(err, "invalid weight 'lat=1' (expected latency, throughput, "
		"reliability or resource=NUMBER)");
	cr_assert_not(cost_weights_parse("latencyx=1", &w, err));
	cr_assert_not(cost_weights_parse("reliability=1000001", &w, err));
	cr_assert_str_eq(err, "invalid weight 'reliability=1000001' (expected a number from 0 "
		"to 1e+06)");
}

Test(cost, latency_per_pattern_type)
{
	struct bopt_pattern p = pattern(BOPT_REALTIME, 100, BOPT_AT_LEAST_ONCE);
	cr_assert_float_eq(cost_latency(5, &p), 0.5, EPS);
	cr_assert_float_eq(cost_latency(30, &p), 2.0, EPS); // 3.0 capped
	p.pattern_type = BOPT_BURSTY;
	cr_assert_float_eq(cost_latency(30, &p), 0.6, EPS);
	cr_assert_float_eq(cost_latency(200, &p), 2.0, EPS); // 4.0 capped
	enum bopt_pattern_type others[] = {BOPT_STEADY, BOPT_SEASONAL, BOPT_RANDOM,
		BOPT_BATCH_ORIENTED};
	for (size_t i = 0; i < 4; i++) {
		p.pattern_type = others[i];
		cr_assert_float_eq(cost_latency(30, &p), 0.3, EPS);
		cr_assert_float_eq(cost_latency(500, &p), 2.0, EPS);
	}
	cr_assert_eq(cost_latency(0, &p), 0.0);
}

Test(cost, throughput_below_and_above_requirement)
{
	struct bopt_pattern p = pattern(BOPT_STEADY, 1000, BOPT_AT_LEAST_ONCE);
	// required = 1.5 * 1000 = 1500
	cr_assert_float_eq(cost_throughput(600, &p), 0.6, EPS);
	cr_assert_float_eq(cost_throughput(0, &p), 1.0, EPS);
	cr_assert_eq(cost_throughput(1500, &p), 0.0);
	cr_assert_eq(cost_throughput(2000, &p), 0.0);
	p.event_rate = 0;
	cr_assert_eq(cost_throughput(0, &p), 0.0);
}

Test(cost, reliability_per_consistency_level)
{
	struct bopt_pattern p = pattern(BOPT_STEADY, 1000, BOPT_EXACTLY_ONCE);
	cr_assert_float_eq(cost_reliability(0.99, &p), 0.09, EPS); // (0.999 - 0.99) * 10
	cr_assert_eq(cost_reliability(0.999, &p), 0.0);
	cr_assert_eq(cost_reliability(0.9995, &p), 0.0);
	p.consistency_requirements = BOPT_AT_LEAST_ONCE;
	cr_assert_float_eq(cost_reliability(0.99, &p), 0.05, EPS); // (0.995 - 0.99) * 10
	cr_assert_eq(cost_reliability(0.996, &p), 0.0);
	enum bopt_consistency others[] = {BOPT_AT_MOST_ONCE, BOPT_SESSION, BOPT_STRONG};
	for (size_t i = 0; i < 3; i++) {
		p.consistency_requirements = others[i];
		cr_assert_float_eq(cost_reliability(0.98, &p), 0.1, EPS); // (0.99 - 0.98) * 10
		cr_assert_eq(cost_reliability(0.99, &p), 0.0);
		cr_assert_float_eq(cost_reliability(0.0, &p), 9.9, EPS);
	}
}

Test(cost, resource_and_maintenance)
{
	struct bopt_resource_usage u = {.cpu_usage_percent = 50, .memory_usage_mb = 2000,
		.network_usage_mbps = 25, .disk_io_ops_per_sec = 1e6, .connection_count = 99};
	// 0.5 * 0.1 + 2 * 0.05 + 0.25 * 0.02; disk and connections do not count
	cr_assert_float_eq(cost_resource(&u), 0.155, EPS);
	cr_assert_float_eq(cost_maintenance(5), 0.5, EPS);
	cr_assert_float_eq(cost_maintenance(3), 0.3, EPS);
	cr_assert_eq(cost_maintenance(0), 0.0);
}

Test(cost, baselines_and_scaling_per_backend)
{
	const double baseline[BOPT_BACKEND_COUNT] = {
		[BOPT_KAFKA] = 0.5, [BOPT_NATS] = 0.2, [BOPT_REDIS] = 0.1, [BOPT_KINESIS] = 0.8,
		[BOPT_PULSAR] = 0.4, [BOPT_RABBITMQ] = 1.0, [BOPT_MEMORY] = 0.0,
	};
	const double factor[BOPT_BACKEND_COUNT] = {
		[BOPT_KAFKA] = 0.5, [BOPT_NATS] = 0.3, [BOPT_REDIS] = 0.3, [BOPT_KINESIS] = 0.1,
		[BOPT_PULSAR] = 0.3, [BOPT_RABBITMQ] = 0.3, [BOPT_MEMORY] = 1.0,
	};
	struct bopt_pattern p = pattern(BOPT_BURSTY, 1000, BOPT_AT_LEAST_ONCE);
	for (int b = 0; b < BOPT_BACKEND_COUNT; b++) {
		cr_assert_eq(backend_baseline_cost(b), baseline[b], "%s", backend_name(b));
		for (int t = 0; t < BOPT_PATTERN_TYPE_COUNT; t++) {
			p.pattern_type = t;
			double want = t == BOPT_BURSTY || t == BOPT_RANDOM ? factor[b] : 0.0;
			cr_assert_eq(cost_scaling(b, &p), want, "%s %s", backend_name(b),
				pattern_type_name(t));
		}
	}
}

Test(cost, total_is_the_weighted_sum)
{
	struct bopt_pattern p = pattern(BOPT_RANDOM, 1000, BOPT_AT_LEAST_ONCE);
	struct bopt_performance perf;
	backend_prior(BOPT_KINESIS, 0, &perf);
	perf.measured_latency_p50 = 20;
	perf.measured_throughput = 600;
	perf.reliability_score = 0.99;
	perf.resource_usage.cpu_usage_percent = 50;
	perf.resource_usage.memory_usage_mb = 2000;
	perf.resource_usage.network_usage_mbps = 25;
	struct cost_weights w;
	cost_weights_default(&w);
	struct bopt_cost c;
	cost_calculate(BOPT_KINESIS, &p, &perf, &w, &c);
	cr_assert_float_eq(c.latency_cost, 0.2, EPS);
	cr_assert_float_eq(c.throughput_cost, 0.6, EPS);
	cr_assert_float_eq(c.reliability_cost, 0.05, EPS);
	cr_assert_float_eq(c.resource_cost, 0.155, EPS);
	cr_assert_float_eq(c.scaling_cost, 0.1, EPS);
	cr_assert_float_eq(c.maintenance_cost, 0.5, EPS);
	// 0.8 + 0.3*0.2 + 0.3*0.6 + 0.3*0.05 + 0.1*0.155 + 0.1*0.1 + 0.1*0.5
	cr_assert_float_eq(c.total_cost, 1.1305, EPS);

	w = (struct cost_weights){.latency = 1, .throughput = 0, .reliability = 0, .resource = 2};
	cost_calculate(BOPT_KINESIS, &p, &perf, &w, &c);
	// 0.8 + 0.2 + 2*0.155 + 0.01 + 0.05
	cr_assert_float_eq(c.total_cost, 1.37, EPS);
}

Test(cost, prior_is_the_reference_new)
{
	struct bopt_performance p;
	backend_prior(BOPT_NATS, 42, &p);
	cr_assert_eq(p.backend_type, BOPT_NATS);
	cr_assert_eq(p.measured_latency_p50, 100.0);
	cr_assert_eq(p.measured_latency_p95, 200.0);
	cr_assert_eq(p.measured_latency_p99, 500.0);
	cr_assert_eq(p.measured_throughput, 1000.0);
	cr_assert_eq(p.reliability_score, 0.99);
	cr_assert_eq(p.resource_usage.cpu_usage_percent, 10.0);
	cr_assert_eq(p.resource_usage.memory_usage_mb, 100.0);
	cr_assert_eq(p.resource_usage.network_usage_mbps, 1.0);
	cr_assert_eq(p.resource_usage.disk_io_ops_per_sec, 100.0);
	cr_assert_eq(p.resource_usage.connection_count, 10);
	cr_assert_eq(p.cost_per_hour, 0.1);
	cr_assert_eq(p.setup_complexity, 5);
	cr_assert_eq(p.scalability_factor, 1.0);
	cr_assert_eq(p.last_updated, 42);
	cr_assert_eq(p.sample_count, 0);
}

Test(cost, builtin_profiles)
{
	struct bopt_performance p;
	backend_profile(BOPT_KAFKA, true, 7, &p);
	cr_assert_eq(p.measured_latency_p50, 2.146);
	cr_assert_eq(p.measured_latency_p99, 4.349);
	cr_assert_eq(p.measured_throughput, 605000.0);
	cr_assert_eq(p.sample_count, 0);
	cr_assert_eq(p.last_updated, 7);
	backend_profile(BOPT_RABBITMQ, true, 7, &p);
	cr_assert_eq(p.measured_latency_p95, 0.788);
	cr_assert_eq(p.measured_throughput, 38000.0);
	backend_profile(BOPT_REDIS, true, 7, &p);
	cr_assert_eq(p.measured_latency_p50, 100.0); // no public figure: the prior
}
