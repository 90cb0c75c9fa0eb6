#include "decide/score.h"

#include <math.h>

#include "base/timestamp.h"

// calculate_backend_score: RealTime p99 bands (ms) and their scores.
#define REF_REALTIME_P99_FAST 10.0
#define REF_REALTIME_P99_OK 50.0
#define REF_REALTIME_SCORE_FAST 1.0
#define REF_REALTIME_SCORE_OK 0.7
#define REF_REALTIME_SCORE_SLOW 0.3
// Otherwise min(1, REF_LATENCY_SCALE / (p50 + 1)).
#define REF_LATENCY_SCALE 100.0
// BatchOriented: min(thr / rate, REF_BATCH_CAP) / REF_BATCH_CAP; otherwise
// min(thr / (rate * REF_THROUGHPUT_MARGIN), 1).
#define REF_BATCH_CAP 2.0
#define REF_THROUGHPUT_MARGIN 1.2

// calculate_confidence.
#define REF_CONFIDENCE_SAMPLES 1000.0
#define REF_CONFIDENCE_DAY_HOURS 24.0
#define REF_CONFIDENCE_RECENCY_MIN 0.1

#define NS_PER_HOUR (INT64_C(3600) * BOPT_NS_PER_SEC)

double score_latency(const struct bopt_performance *perf, const struct bopt_pattern *p)
{
	if (p->pattern_type == BOPT_REALTIME) {
		double p99 = perf->measured_latency_p99;
		return p99 < REF_REALTIME_P99_FAST ? REF_REALTIME_SCORE_FAST :
			p99 < REF_REALTIME_P99_OK ? REF_REALTIME_SCORE_OK : REF_REALTIME_SCORE_SLOW;
	}
	return fmin(1.0, REF_LATENCY_SCALE / (perf->measured_latency_p50 + 1.0));
}

double score_throughput(double throughput, const struct bopt_pattern *p)
{
	if (p->event_rate <= 0)
		return 1.0;
	if (p->pattern_type == BOPT_BATCH_ORIENTED)
		return fmin(throughput / p->event_rate, REF_BATCH_CAP) / REF_BATCH_CAP;
	return fmin(throughput / (p->event_rate * REF_THROUGHPUT_MARGIN), 1.0);
}

double score_cost(double total_cost)
{
	return 1.0 / (total_cost + 1.0);
}

void score_parts(const struct bopt_performance *perf, const struct bopt_cost *cost,
	const struct bopt_pattern *p, struct score_parts *out)
{
	*out = (struct score_parts){
		.latency = score_latency(perf, p),
		.throughput = score_throughput(perf->measured_throughput, p),
		.reliability = perf->reliability_score,
		.cost = score_cost(cost->total_cost),
	};
}

double score_combine(const struct score_parts *s, const struct cost_weights *w)
{
	return (s->latency * w->latency + s->throughput * w->throughput +
			s->reliability * w->reliability + s->cost * w->resource) /
		(w->latency + w->throughput + w->reliability + w->resource);
}

int64_t score_age_hours(int64_t last_updated, int64_t now)
{
	if (now <= last_updated)
		return 0;
	// Both lie in the int64 range, so the difference fits in uint64.
	return (int64_t)(((uint64_t)now - (uint64_t)last_updated) / (uint64_t)NS_PER_HOUR);
}

double score_confidence(const struct bopt_performance *perf, int64_t now)
{
	double samples = fmin((double)perf->sample_count / REF_CONFIDENCE_SAMPLES, 1.0);
	double age = (double)score_age_hours(perf->last_updated, now);
	double recency = fmax(REF_CONFIDENCE_RECENCY_MIN,
		1.0 / (age / REF_CONFIDENCE_DAY_HOURS + 1.0));
	return (samples + recency) / 2.0;
}

// score_headroom: full marks up to this utilisation, none from 1.
#define SCORE_HEADROOM_FULL 0.5

double score_latency_target(double p99_ms, double target_ms)
{
	return target_ms / (target_ms + fmax(p99_ms, 0.0));
}

double score_headroom(double peak, double capacity)
{
	if (peak <= 0)
		return 1.0;
	if (!(capacity > 0))
		return 0.0;
	double u = peak / capacity;
	if (u <= SCORE_HEADROOM_FULL)
		return 1.0;
	return u >= 1.0 ? 0.0 : (1.0 - u) / (1.0 - SCORE_HEADROOM_FULL);
}

double score_reliability(double capability, double measured)
{
	return capability * fmin(fmax(measured, 0.0), 1.0);
}

double score_confidence_reference(bool proxy)
{
	return proxy ? SCORE_CONF_REFERENCE_PROXY : SCORE_CONF_REFERENCE;
}

double score_confidence_measured(uint64_t evidence, int64_t age_hours)
{
	double n = (double)evidence;
	return n / (n + SCORE_CONF_EVIDENCE_HALF) *
		exp2(-(double)age_hours / SCORE_CONF_HALF_LIFE_HOURS);
}

double score_confidence_model(double r2, size_t points)
{
	double n = (double)points;
	return fmax(r2, 0.0) * n / (n + SCORE_CONF_EVIDENCE_HALF);
}
