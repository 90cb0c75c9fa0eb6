#include "decide/backend.h"

#include <stdbool.h>

// BackendPerformance::new.
#define REF_PRIOR_P50 100.0        // ms
#define REF_PRIOR_P95 200.0        // ms
#define REF_PRIOR_P99 500.0        // ms
#define REF_PRIOR_THROUGHPUT 1000.0 // events/s
#define REF_PRIOR_RELIABILITY 0.99
#define REF_COST_PER_HOUR 0.1
#define REF_SETUP_COMPLEXITY 5
#define REF_SCALABILITY_FACTOR 1.0

// ResourceUsage::default.
#define REF_USAGE_CPU_PERCENT 10.0
#define REF_USAGE_MEMORY_MB 100.0
#define REF_USAGE_NETWORK_MBPS 1.0
#define REF_USAGE_DISK_IOPS 100.0
#define REF_USAGE_CONNECTIONS 10

// analyze_weaknesses: NATS beyond this rate, Redis beyond this event size.
#define REF_NATS_EXTREME_RATE 100000.0 // events/s
#define REF_REDIS_LARGE_EVENT 1000000  // bytes

// The weakness a durable configuration of RabbitMQ (mirrored or quorum
// queues) does not have.
static const char rabbitmq_volatile[] = "Memory-based by default";

static const double baselines[BOPT_BACKEND_COUNT] = {
#define BACKEND(id, name, driver, baseline, scaling) [BOPT_##id] = baseline,
#include "base/backends.def"
#undef BACKEND
};

static const double scaling_factors[BOPT_BACKEND_COUNT] = {
#define BACKEND(id, name, driver, baseline, scaling) [BOPT_##id] = scaling,
#include "base/backends.def"
#undef BACKEND
};

double backend_baseline_cost(enum bopt_backend b)
{
	return baselines[b];
}

double backend_scaling_factor(enum bopt_backend b)
{
	return scaling_factors[b];
}

// A list of notes: the fixed ones of a backend, then conditional ones.
struct notes {
	const char **v;
	size_t n;
};

static void note(struct notes *ns, const char *s)
{
	if (ns->n < BACKEND_NOTES_MAX)
		ns->v[ns->n++] = s;
}

size_t backend_strengths(enum bopt_backend b, const struct bopt_pattern *p,
	const char *notes[BACKEND_NOTES_MAX])
{
	struct notes ns = {notes, 0};
	switch (b) {
	case BOPT_KAFKA:
		note(&ns, "High throughput");
		note(&ns, "Strong durability");
		note(&ns, "Excellent ordering guarantees");
		if (p->consistency_requirements == BOPT_EXACTLY_ONCE)
			note(&ns, "Exactly-once semantics");
		break;
	case BOPT_NATS:
		note(&ns, "Low latency");
		note(&ns, "Simple setup");
		note(&ns, "Built-in clustering");
		if (p->pattern_type == BOPT_REALTIME)
			note(&ns, "Real-time performance");
		break;
	case BOPT_REDIS:
		note(&ns, "In-memory speed");
		note(&ns, "Low latency");
		note(&ns, "Rich data structures");
		break;
	case BOPT_KINESIS:
		note(&ns, "AWS native integration");
		note(&ns, "Auto-scaling");
		note(&ns, "Pay-per-use model");
		break;
	case BOPT_PULSAR:
		note(&ns, "Multi-tenancy");
		note(&ns, "Geo-replication");
		note(&ns, "Unified messaging");
		break;
	case BOPT_RABBITMQ:
		note(&ns, "Mature and stable");
		note(&ns, "Rich routing capabilities");
		note(&ns, "Strong reliability guarantees");
		if (p->consistency_requirements == BOPT_AT_LEAST_ONCE)
			note(&ns, "Persistent message delivery");
		break;
	case BOPT_MEMORY:
		note(&ns, "Zero latency");
		note(&ns, "Perfect for testing");
		break;
	default:
		break;
	}
	return ns.n;
}

size_t backend_weaknesses(enum bopt_backend b, const struct bopt_pattern *p,
	const char *notes[BACKEND_NOTES_MAX])
{
	struct notes ns = {notes, 0};
	switch (b) {
	case BOPT_KAFKA:
		note(&ns, "Complex setup");
		note(&ns, "Higher resource usage");
		if (p->pattern_type == BOPT_REALTIME)
			note(&ns, "Higher latency than NATS");
		break;
	case BOPT_NATS:
		if (p->consistency_requirements == BOPT_STRONG)
			note(&ns, "Limited durability options");
		if (p->event_rate > REF_NATS_EXTREME_RATE)
			note(&ns, "May not handle extreme throughput");
		break;
	case BOPT_REDIS:
		note(&ns, "Memory-bound");
		note(&ns, "Limited durability");
		if (p->event_size_bytes > REF_REDIS_LARGE_EVENT)
			note(&ns, "Not suitable for large events");
		break;
	case BOPT_KINESIS:
		note(&ns, "AWS vendor lock-in");
		note(&ns, "Cost can scale quickly");
		note(&ns, "Regional limitations");
		break;
	case BOPT_PULSAR:
		note(&ns, "Newer ecosystem");
		note(&ns, "Complex architecture");
		break;
	case BOPT_RABBITMQ:
		note(&ns, "Lower throughput than Kafka");
		note(&ns, rabbitmq_volatile);
		if (p->pattern_type == BOPT_BATCH_ORIENTED)
			note(&ns, "Not optimized for batch processing");
		break;
	case BOPT_MEMORY:
		note(&ns, "No persistence");
		note(&ns, "Single node only");
		note(&ns, "Memory limitations");
		break;
	default:
		break;
	}
	return ns.n;
}

size_t backend_drop_volatile(enum bopt_backend b, const char *notes[BACKEND_NOTES_MAX],
	size_t n)
{
	size_t k = 0;
	for (size_t i = 0; i < n; i++)
		if (!(b == BOPT_RABBITMQ && notes[i] == rabbitmq_volatile))
			notes[k++] = notes[i];
	return k;
}

void backend_prior(enum bopt_backend b, int64_t now, struct bopt_performance *p)
{
	*p = (struct bopt_performance){
		.backend_type = b,
		.measured_latency_p50 = REF_PRIOR_P50,
		.measured_latency_p95 = REF_PRIOR_P95,
		.measured_latency_p99 = REF_PRIOR_P99,
		.measured_throughput = REF_PRIOR_THROUGHPUT,
		.reliability_score = REF_PRIOR_RELIABILITY,
		.resource_usage = {
			.cpu_usage_percent = REF_USAGE_CPU_PERCENT,
			.memory_usage_mb = REF_USAGE_MEMORY_MB,
			.network_usage_mbps = REF_USAGE_NETWORK_MBPS,
			.disk_io_ops_per_sec = REF_USAGE_DISK_IOPS,
			.connection_count = REF_USAGE_CONNECTIONS,
		},
		.cost_per_hour = REF_COST_PER_HOUR,
		.setup_complexity = REF_SETUP_COMPLEXITY,
		.scalability_factor = REF_SCALABILITY_FACTOR,
		.last_updated = now,
		.sample_count = 0,
	};
}

struct profile {
	double p50, p95, p99; // ms
	double throughput;    // events/s
	double ref[4];        // --scoring reference: p50, p95, p99, throughput; SAME
	bool proxy;
	const char *source;
};

static const struct profile profiles[BOPT_BACKEND_COUNT] = {
#define PROFILE(b, p50, p95, p99, thr, r50, r95, r99, rthr, proxy, source) \
	[b] = {p50, p95, p99, thr, {r50, r95, r99, rthr}, proxy, source},
#include "decide/profiles.def"
#undef PROFILE
};

// The reference-mode figure: f itself when the row says SAME (negative).
static double ref_figure(double ref, double f)
{
	return ref < 0 ? f : ref;
}

void backend_profile(enum bopt_backend b, bool reference, int64_t now,
	struct bopt_performance *p)
{
	const struct profile *f = &profiles[b];
	backend_prior(b, now, p);
	p->measured_latency_p50 = reference ? ref_figure(f->ref[0], f->p50) : f->p50;
	p->measured_latency_p95 = reference ? ref_figure(f->ref[1], f->p95) : f->p95;
	p->measured_latency_p99 = reference ? ref_figure(f->ref[2], f->p99) : f->p99;
	p->measured_throughput = reference ? ref_figure(f->ref[3], f->throughput) : f->throughput;
}

const char *backend_profile_source(enum bopt_backend b)
{
	return profiles[b].source;
}

bool backend_profile_proxy(enum bopt_backend b)
{
	return profiles[b].proxy;
}
