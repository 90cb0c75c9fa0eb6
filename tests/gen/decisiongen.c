#include "decisiongen.h"

#include <stdlib.h>
#include <stdio.h>
#include <string.h>

#include "base/timestamp.h"
#include "base/util.h"

void decisiongen(uint64_t i, size_t pad, struct bopt_decision *d)
{
	enum bopt_backend b = (enum bopt_backend)(i % BOPT_BACKEND_COUNT);
	int64_t t = DECISIONGEN_BASE + (int64_t)i * BOPT_NS_PER_SEC;
	struct bopt_pattern pattern;
	pattern_init_default(&pattern);

	double p50 = 2000.0 - (double)i;
	struct bopt_performance perf = {
		.backend_type = b,
		.measured_latency_p50 = p50,
		.measured_latency_p95 = 1.5 * p50,
		.measured_latency_p99 = 2.0 * p50,
		.measured_throughput = 1000.0 + 10.0 * (double)i,
		.reliability_score = 0.99,
		.resource_usage = {
			.cpu_usage_percent = 25.0,
			.memory_usage_mb = 512.0,
			.connection_count = 4,
		},
		.cost_per_hour = 0.1,
		.setup_complexity = 5,
		.scalability_factor = 1.0,
		.last_updated = t,
		.sample_count = i,
	};
	struct bopt_cost cost = {
		.total_cost = 0.75,
		.latency_cost = 0.5,
		.maintenance_cost = 0.5,
	};

	char head[96];
	int n = snprintf(head, sizeof(head), "%s scores 0.5000 for a Steady workload, ahead of %s (0.2500)",
		backend_name(b), backend_name((enum bopt_backend)((i + 1) % BOPT_BACKEND_COUNT)));
	char *reason = xmalloc((size_t)n + pad + 1);
	memcpy(reason, head, (size_t)n);
	memset(reason + n, '.', pad);
	reason[(size_t)n + pad] = '\0';
	history_decision_init(d, t, &pattern, &perf, &cost, 0.25 * (double)(i % 5), reason);
}
