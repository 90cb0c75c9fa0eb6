#include "decisiongen.h"

#include <stdlib.h>
#include <string.h>

#include "timestamp.h"
#include "util.h"

void decisiongen(uint64_t i, size_t pad, struct bopt_decision *d)
{
	*d = (struct bopt_decision){0};
	enum bopt_backend b = (enum bopt_backend)(i % BOPT_BACKEND_COUNT);
	d->timestamp = DECISIONGEN_BASE + (int64_t)i * BOPT_NS_PER_SEC;
	d->selected_backend = b;
	pattern_init_default(&d->workload_pattern);

	struct bopt_performance *p = &d->predicted_performance;
	p->backend_type = b;
	p->measured_latency_p50 = 2000.0 - (double)i;
	p->measured_latency_p95 = 1.5 * p->measured_latency_p50;
	p->measured_latency_p99 = 2.0 * p->measured_latency_p50;
	p->measured_throughput = 1000.0 + 10.0 * (double)i;
	p->reliability_score = 0.99;
	p->resource_usage.cpu_usage_percent = 25.0;
	p->resource_usage.memory_usage_mb = 512.0;
	p->resource_usage.connection_count = 4;
	p->cost_per_hour = 0.1;
	p->setup_complexity = 5;
	p->scalability_factor = 1.0;
	p->last_updated = d->timestamp;
	p->sample_count = i;

	d->cost_model = (struct bopt_cost){
		.total_cost = 0.75,
		.latency_cost = 0.5,
		.maintenance_cost = 0.5,
	};
	d->confidence = 0.25 * (double)(i % 5);

	char *reason = history_reason(b, 0.5, true,
		(enum bopt_backend)((i + 1) % BOPT_BACKEND_COUNT), 0.25);
	if (pad > 0) {
		size_t n = strlen(reason);
		reason = xrealloc(reason, n + pad + 1);
		memset(reason + n, '.', pad);
		reason[n + pad] = '\0';
	}
	d->reason = reason;
}
