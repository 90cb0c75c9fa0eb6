#ifndef BOPT_COST_H
#define BOPT_COST_H

/*
 * The reference's CostCalculator: six cost components and their weighted
 * total for one backend, pattern and performance. Pure functions on plain
 * data; nothing allocates.
 */

#include <stdbool.h>

#include "base/types.h"

// calculate_cost: the weight of scaling and maintenance in the total.
#define COST_SCALING_WEIGHT 0.1
#define COST_MAINTENANCE_WEIGHT 0.1

// OptimizerConfig cost weights; the score uses the same four.
struct cost_weights {
	double latency;
	double throughput;
	double reliability;
	double resource;
};

// The largest weight (the cost model must stay finite).
#define COST_WEIGHT_MAX 1e6

// OptimizerConfig::default: 0.3, 0.3, 0.3, 0.1.
void cost_weights_default(struct cost_weights *w);
// Parses "latency=0.4,throughput=0.2,..." over the current values: any
// subset of the four names, each a number from 0 to 1e6, and the four
// may not all be zero. Fails with a message in err.
bool cost_weights_parse(const char *s, struct cost_weights *w, char *err);

double cost_latency(double p50_ms, const struct bopt_pattern *p);
double cost_throughput(double throughput, const struct bopt_pattern *p);
double cost_reliability(double reliability, const struct bopt_pattern *p);
double cost_resource(const struct bopt_resource_usage *u);
double cost_scaling(enum bopt_backend b, const struct bopt_pattern *p);
double cost_maintenance(unsigned setup_complexity);

void cost_calculate(enum bopt_backend b, const struct bopt_pattern *p,
	const struct bopt_performance *perf, const struct cost_weights *w, struct bopt_cost *out);

#endif
