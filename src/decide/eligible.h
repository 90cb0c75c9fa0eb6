#ifndef BOPT_ELIGIBLE_H
#define BOPT_ELIGIBLE_H

/*
 * What the workload requires (consistency, durability, ordering, the largest
 * event, the peak rate, a latency bound) and whether a backend can meet it:
 * hard requirements make a backend ineligible, soft limits (a default that a
 * setting raises) leave a caveat. Plain data; strings in an eligibility are
 * its own buffers.
 */

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "base/types.h"

// The latency target (p99, ms) of a workload that is not RealTime, without
// --max-p99: bopt's choice, the point where the latency component is 0.5.
#define REQUIRE_DEFAULT_P99_MS 100.0

// What the trace showed, when the workload came from one.
struct workload_observed {
	bool have;
	double size_mean;           // bytes
	uint64_t size_p99, size_max; // bytes
	double peak_rate;           // events in the busiest second
};

// From the options: --durable / --no-durable, --max-p99, --max-event-size.
struct requirement_options {
	int durable;             // -1: by the consistency level; 0 no; 1 yes
	double max_p99;          // ms; 0: no bound
	uint64_t max_event_size; // bytes; 0: from the workload
};

struct requirements {
	enum bopt_consistency consistency;
	enum bopt_consistency guarantee; // the delivery guarantee it needs
	bool durable;
	const char *durable_from; // the consistency name, "--durable" or "--no-durable"
	bool ordering;
	uint64_t event_p99, event_max; // bytes
	const char *event_from;        // "trace", "--max-event-size" or "pattern"
	double peak_rate;              // events/s
	double peak_bytes;             // bytes/s
	const char *peak_from;         // "trace" or "pattern"
	double max_p99;                // ms; 0: no bound
	double latency_target;         // ms of p99
	const char *target_from;       // "RealTime", "--max-p99" or "default"
};

void requirement_options_init(struct requirement_options *o);
// The requirements of pattern p (and obs when the workload came from a trace).
void requirements_derive(const struct bopt_pattern *p, const struct workload_observed *obs,
	const struct requirement_options *o, struct requirements *r);

#define ELIGIBLE_NOTES_MAX 6
#define ELIGIBLE_NOTE_LEN 160

struct eligibility {
	bool eligible;
	char reasons[ELIGIBLE_NOTES_MAX][ELIGIBLE_NOTE_LEN]; // why not eligible
	size_t n_reasons;
	char caveats[ELIGIBLE_NOTES_MAX][ELIGIBLE_NOTE_LEN]; // eligible, but mind
	size_t n_caveats;
};

// Judges backend b with p99 latency p99_ms (predicted by the queueing
// model, or measured/profiled) and capacity throughput (events/s) against r.
void eligibility_check(enum bopt_backend b, double p99_ms, bool predicted, double throughput,
	const struct requirements *r, struct eligibility *out);

#endif
