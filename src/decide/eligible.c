#include "decide/eligible.h"

#include <stdarg.h>
#include <stdio.h>

#include "base/util.h"
#include "decide/capability.h"

// calculate_backend_score's RealTime band: p99 under 10 ms scores full.
#define REQUIRE_REALTIME_P99_MS 10.0

void requirement_options_init(struct requirement_options *o)
{
	*o = (struct requirement_options){.durable = -1};
}

void requirements_derive(const struct bopt_pattern *p, const struct workload_observed *obs,
	const struct requirement_options *o, struct requirements *r)
{
	enum bopt_consistency c = p->consistency_requirements;
	*r = (struct requirements){
		.consistency = c,
		.guarantee = cap_guarantee_needed(c),
		.durable = o->durable < 0 ? cap_guarantee_rank(c) >= 1 : o->durable == 1,
		.durable_from = o->durable < 0 ? consistency_name(c) :
			o->durable ? "--durable" : "--no-durable",
		.ordering = p->data_characteristics.requires_ordering,
		.max_p99 = o->max_p99,
	};
	if (o->max_event_size > 0) {
		r->event_p99 = r->event_max = o->max_event_size;
		r->event_from = "--max-event-size";
	} else if (obs != NULL && obs->have) {
		r->event_p99 = obs->size_p99;
		r->event_max = obs->size_max;
		r->event_from = "trace";
	} else {
		r->event_p99 = r->event_max = p->event_size_bytes;
		r->event_from = "pattern";
	}
	if (obs != NULL && obs->have) {
		r->peak_rate = obs->peak_rate;
		r->peak_bytes = obs->peak_rate * obs->size_mean;
		r->peak_from = "trace";
	} else {
		r->peak_rate = p->event_rate;
		r->peak_bytes = p->event_rate * (double)p->event_size_bytes;
		r->peak_from = "pattern";
	}
	if (p->pattern_type == BOPT_REALTIME) {
		r->latency_target = REQUIRE_REALTIME_P99_MS;
		r->target_from = "RealTime";
	} else if (o->max_p99 > 0) {
		r->latency_target = o->max_p99;
		r->target_from = "--max-p99";
	} else {
		r->latency_target = REQUIRE_DEFAULT_P99_MS;
		r->target_from = "default";
	}
	// A bound tighter than the RealTime target is the target.
	if (o->max_p99 > 0 && o->max_p99 < r->latency_target) {
		r->latency_target = o->max_p99;
		r->target_from = "--max-p99";
	}
}

static void add(char notes[][ELIGIBLE_NOTE_LEN], size_t *n, const char *fmt, ...)
	BOPT_PRINTF(3, 4);

static void add(char notes[][ELIGIBLE_NOTE_LEN], size_t *n, const char *fmt, ...)
{
	if (*n >= ELIGIBLE_NOTES_MAX)
		return;
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(notes[(*n)++], ELIGIBLE_NOTE_LEN, fmt, ap);
	va_end(ap);
}

#define REASON(...) add(out->reasons, &out->n_reasons, __VA_ARGS__)
#define CAVEAT(...) add(out->caveats, &out->n_caveats, __VA_ARGS__)

// Utilisation above which the peak no longer fits one partition/shard/queue.
#define ELIGIBLE_UNIT_FULL 1.0

void eligibility_check(enum bopt_backend b, double p99_ms, bool predicted, double throughput,
	const struct requirements *r, struct eligibility *out)
{
	const struct capability *c = capability_of(b);
	*out = (struct eligibility){0};
	if (cap_guarantee_rank(c->guarantee) < cap_guarantee_rank(r->guarantee))
		REASON("delivery is %s at best: %s%s%s", consistency_name(c->guarantee),
			consistency_name(r->consistency), r->consistency == r->guarantee ?
			" is required" : " requires ", r->consistency == r->guarantee ? "" :
			consistency_name(r->guarantee));
	if (r->durable && c->durability == CAP_NONE)
		REASON("no persistence: %s requires durable storage", r->durable_from);
	unsigned long long ev = r->event_max;
	if (c->hard_limit > 0 && r->event_max > c->hard_limit)
		REASON("an event of %llu bytes exceeds the hard limit of %llu bytes", ev,
			(unsigned long long)c->hard_limit);
	else if (c->limit > 0 && r->event_max > c->limit)
		CAVEAT("an event of %llu bytes exceeds the default limit of %llu bytes: raise %s",
			ev, (unsigned long long)c->limit, c->limit_setting);
	if (r->max_p99 > 0 && p99_ms > r->max_p99)
		REASON("%sp99 %.6g ms is above --max-p99 %.6g ms", predicted ? "predicted " : "",
			p99_ms, r->max_p99);
	// The guarantee required is the backend's strongest, which needs
	// settings that are off by default.
	if (c->guarantee_setting != NULL && r->guarantee != BOPT_AT_MOST_ONCE &&
			cap_guarantee_rank(c->guarantee) == cap_guarantee_rank(r->guarantee))
		CAVEAT("%s only with settings off by default (set %s)",
			consistency_name(c->guarantee), c->guarantee_setting);
	if (r->durable && c->durability != CAP_NONE && !c->fsync)
		CAVEAT(c->fsync_setting ? "acknowledged before fsync by default (set %s)" :
			"fsync before the acknowledgement is not documented%s", c->fsync_setting ?
			c->fsync_setting : "");
	if (r->peak_rate > throughput)
		CAVEAT("peak %.6g events/s exceeds this profile's %.6g events/s: size it out",
			r->peak_rate, throughput);
	if (c->unit_rate > 0 && r->peak_rate > c->unit_rate * ELIGIBLE_UNIT_FULL)
		CAVEAT("peak %.6g events/s exceeds one %s's %.6g records/s: spread over several",
			r->peak_rate, cap_ordering_name(c->ordering), c->unit_rate);
	else if (c->unit_bytes > 0 && r->peak_bytes > c->unit_bytes * ELIGIBLE_UNIT_FULL)
		CAVEAT("peak %.6g bytes/s exceeds one %s's %.6g bytes/s: spread over several",
			r->peak_bytes, cap_ordering_name(c->ordering), c->unit_bytes);
	out->eligible = out->n_reasons == 0;
}
