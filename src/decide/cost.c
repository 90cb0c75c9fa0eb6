#include "decide/cost.h"

#include <math.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>

#include "base/util.h"
#include "decide/backend.h"

// OptimizerConfig::default cost weights.
#define REF_WEIGHT_LATENCY 0.3
#define REF_WEIGHT_THROUGHPUT 0.3
#define REF_WEIGHT_RELIABILITY 0.3
#define REF_WEIGHT_RESOURCE 0.1

// calculate_latency_cost: p50 divisors per pattern type, and the cap.
#define REF_LATENCY_DIVISOR_REALTIME 10.0
#define REF_LATENCY_DIVISOR_BURSTY 50.0
#define REF_LATENCY_DIVISOR_OTHER 100.0
#define REF_LATENCY_COST_MAX 2.0

// calculate_throughput_cost: headroom over the event rate.
#define REF_THROUGHPUT_HEADROOM 1.5

// calculate_reliability_cost: required reliability and penalty factor.
#define REF_RELIABILITY_EXACTLY_ONCE 0.999
#define REF_RELIABILITY_AT_LEAST_ONCE 0.995
#define REF_RELIABILITY_OTHER 0.99
#define REF_RELIABILITY_PENALTY 10.0

// calculate_resource_cost: scale and weight of cpu %, memory MiB, network Mbps.
#define REF_RESOURCE_CPU_SCALE 100.0
#define REF_RESOURCE_CPU_WEIGHT 0.1
#define REF_RESOURCE_MEMORY_SCALE 1000.0
#define REF_RESOURCE_MEMORY_WEIGHT 0.05
#define REF_RESOURCE_NETWORK_SCALE 100.0
#define REF_RESOURCE_NETWORK_WEIGHT 0.02

// calculate_maintenance_cost divisor.
#define REF_MAINTENANCE_DIVISOR 10.0

void cost_weights_default(struct cost_weights *w)
{
	*w = (struct cost_weights){
		.latency = REF_WEIGHT_LATENCY,
		.throughput = REF_WEIGHT_THROUGHPUT,
		.reliability = REF_WEIGHT_RELIABILITY,
		.resource = REF_WEIGHT_RESOURCE,
	};
}

static double *weight_slot(struct cost_weights *w, const char *name, size_t len)
{
	static const struct {
		const char *name;
		size_t offset;
	} slots[] = {
		{"latency", offsetof(struct cost_weights, latency)},
		{"throughput", offsetof(struct cost_weights, throughput)},
		{"reliability", offsetof(struct cost_weights, reliability)},
		{"resource", offsetof(struct cost_weights, resource)},
	};
	for (size_t i = 0; i < sizeof(slots) / sizeof(slots[0]); i++)
		if (strlen(slots[i].name) == len && memcmp(slots[i].name, name, len) == 0)
			return (double *)((char *)w + slots[i].offset);
	return NULL;
}

bool cost_weights_parse(const char *s, struct cost_weights *w, char *err)
{
	struct cost_weights out = *w, seen = {0};
	char *copy = xstrdup(s);
	bool ok = false;
	char *save = NULL;
	for (char *item = strtok_r(copy, ",", &save); item; item = strtok_r(NULL, ",", &save)) {
		char *eq = strchr(item, '=');
		size_t name_len = eq ? (size_t)(eq - item) : 0;
		double *slot = eq ? weight_slot(&out, item, name_len) : NULL;
		if (slot == NULL) {
			bopt_errf(err, "invalid weight '%s' (expected latency, throughput, "
				"reliability or resource=NUMBER)", item);
			goto out;
		}
		// A weight given twice is a mistake, not a choice of the last.
		double *given = weight_slot(&seen, item, name_len);
		if (*given != 0) {
			bopt_errf(err, "invalid weight '%s': %.*s is given twice", item, (int)name_len,
				item);
			goto out;
		}
		*given = 1;
		if (!parse_double(eq + 1, slot) || *slot < 0 || *slot > COST_WEIGHT_MAX) {
			bopt_errf(err, "invalid weight '%s' (expected a number from 0 to %g)", item,
				COST_WEIGHT_MAX);
			goto out;
		}
	}
	if (out.latency + out.throughput + out.reliability + out.resource <= 0) {
		bopt_errf(err, "the weights must not all be zero");
		goto out;
	}
	*w = out;
	ok = true;
out:
	free(copy);
	return ok;
}

double cost_latency(double p50_ms, const struct bopt_pattern *p)
{
	double divisor = p->pattern_type == BOPT_REALTIME ? REF_LATENCY_DIVISOR_REALTIME :
		p->pattern_type == BOPT_BURSTY ? REF_LATENCY_DIVISOR_BURSTY :
		REF_LATENCY_DIVISOR_OTHER;
	return fmin(p50_ms / divisor, REF_LATENCY_COST_MAX);
}

double cost_throughput(double throughput, const struct bopt_pattern *p)
{
	double required = p->event_rate * REF_THROUGHPUT_HEADROOM;
	// A zero rate requires nothing: throughput < 0 cannot happen.
	return throughput < required ? (required - throughput) / required : 0.0;
}

double cost_reliability(double reliability, const struct bopt_pattern *p)
{
	double required = p->consistency_requirements == BOPT_EXACTLY_ONCE ?
		REF_RELIABILITY_EXACTLY_ONCE :
		p->consistency_requirements == BOPT_AT_LEAST_ONCE ?
		REF_RELIABILITY_AT_LEAST_ONCE : REF_RELIABILITY_OTHER;
	return reliability < required ? (required - reliability) * REF_RELIABILITY_PENALTY : 0.0;
}

double cost_resource(const struct bopt_resource_usage *u)
{
	return u->cpu_usage_percent / REF_RESOURCE_CPU_SCALE * REF_RESOURCE_CPU_WEIGHT +
		u->memory_usage_mb / REF_RESOURCE_MEMORY_SCALE * REF_RESOURCE_MEMORY_WEIGHT +
		u->network_usage_mbps / REF_RESOURCE_NETWORK_SCALE * REF_RESOURCE_NETWORK_WEIGHT;
}

double cost_scaling(enum bopt_backend b, const struct bopt_pattern *p)
{
	bool elastic = p->pattern_type == BOPT_BURSTY || p->pattern_type == BOPT_RANDOM;
	return elastic ? backend_scaling_factor(b) : 0.0;
}

double cost_maintenance(unsigned setup_complexity)
{
	return setup_complexity / REF_MAINTENANCE_DIVISOR;
}

void cost_calculate(enum bopt_backend b, const struct bopt_pattern *p,
	const struct bopt_performance *perf, const struct cost_weights *w, struct bopt_cost *out)
{
	struct bopt_cost c = {
		.latency_cost = cost_latency(perf->measured_latency_p50, p),
		.throughput_cost = cost_throughput(perf->measured_throughput, p),
		.reliability_cost = cost_reliability(perf->reliability_score, p),
		.resource_cost = cost_resource(&perf->resource_usage),
		.scaling_cost = cost_scaling(b, p),
		.maintenance_cost = cost_maintenance(perf->setup_complexity),
	};
	c.total_cost = backend_baseline_cost(b) +
		c.latency_cost * w->latency +
		c.throughput_cost * w->throughput +
		c.reliability_cost * w->reliability +
		c.resource_cost * w->resource +
		c.scaling_cost * COST_SCALING_WEIGHT +
		c.maintenance_cost * COST_MAINTENANCE_WEIGHT;
	*out = c;
}
