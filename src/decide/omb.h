#ifndef BOPT_OMB_H
#define BOPT_OMB_H

/*
 * OpenMessaging Benchmark result files read as a benchmark engineer reads
 * them: each file is classified as a latency run (latency at its offered
 * rate), a throughput run (capacity) or a saturated run (capacity = the
 * sustained consume rate, no latency figure), and the runs of one candidate
 * (backend plus configuration label) combine as a set, independent of their
 * order. An omb_run owns its file and label strings (omb_run_release); the
 * figures of a combination point into the runs they came from.
 */

#include <cjson/cJSON.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "base/types.h"

// Saturation: a backlog of more than this many seconds of the mean publish
// rate waited unconsumed at some window.
#define OMB_BACKLOG_SECONDS_MAX 1.0
// Saturation: consumers kept below this share of the mean publish rate.
#define OMB_CONSUME_SHARE_MIN 0.95
// Saturation: end-to-end p50 above this multiple of publish p50, and more
// than OMB_E2E_EXCESS_MIN_MS above it.
#define OMB_E2E_RATIO_MAX 10.0
#define OMB_E2E_EXCESS_MIN_MS 100.0
// Throughput run: producers more than this far behind their schedule
// (aggregatedPublishDelayLatency50pct, newer files), in microseconds.
#define OMB_DELAY_BEHIND_US 10000.0
// Latency run: the mean publish rate within this share of the offered rate
// named by the workload ("200K-rate").
#define OMB_RATE_TRACK_SHARE 0.05
// Otherwise: more messages in flight than this (Little's law: mean publish
// rate x publish p50) means producers filled their pending windows, a
// max-rate run; fewer, a rate-limited latency run.
#define OMB_IN_FLIGHT_MAX 5000.0
// The payload of OMB's stock workloads (payload/payload-1Kb.data), assumed
// when a file states no message size.
#define OMB_STOCK_MESSAGE_BYTES 1024.0
// Message sizes further apart than this factor are flagged.
#define OMB_SIZE_RATIO_FLAG 4.0

enum omb_kind {
	OMB_LATENCY_RUN,
	OMB_THROUGHPUT_RUN,
	OMB_SATURATED_RUN,
};

struct omb_latency {
	double p50, p95, p99, p999; // ms; p999 < 0 when the file has none
};

struct omb_run {
	char *file;  // the name as given (owned)
	char *label; // configuration label, "" for none (owned)
	enum bopt_backend backend;
	enum omb_kind kind;
	char why[160]; // the rule that decided kind, with its figures
	double publish_rate, consume_rate; // mean msg/s over the windows
	bool has_offered;
	double offered_rate;  // msg/s named by the workload
	double backlog_peak;  // messages
	struct omb_latency publish;
	bool has_e2e;
	struct omb_latency e2e;
	bool has_delay;
	double delay_p50; // us
	double message_size; // bytes
	bool size_stated;    // else OMB_STOCK_MESSAGE_BYTES, assumed
	uint64_t topics, partitions; // 0 when not stated
	double reliability; // 1 - publish errors / published
	uint64_t windows;
};

const char *omb_kind_name(enum omb_kind k);

// True when the document is an OpenMessaging Benchmark result (an object
// with "driver").
bool omb_is_result(const cJSON *j);
// Parses and classifies one result; the label is the driver name past the
// backend ("Kafka-exactly-once" -> "exactly-once") and file is NULL: the
// caller sets both. Fails with the reason in err.
bool omb_parse(const cJSON *j, struct omb_run *r, char *err);
void omb_run_release(struct omb_run *r);

// The figures of one candidate's runs combined.
struct omb_figures {
	size_t runs;
	uint64_t windows;
	double reliability; // window-weighted mean
	// Latency: window-weighted means over the latency runs.
	size_t latency_runs;
	uint64_t latency_windows;
	bool has_e2e;
	struct omb_latency e2e, publish;
	// Capacity: the most events/s of event_size bytes any throughput or
	// saturated run sustained (published; consumed when saturated), or,
	// with none, the most a latency run published (a lower bound).
	bool capacity_lower_bound;
	const struct omb_run *capacity_from;
	double capacity_msgs;   // msg/s of capacity_from
	double capacity_events; // events/s of event_size bytes
	double size_scale;      // capacity_from's message size / event_size
	bool size_far;          // some run's size differs by more than OMB_SIZE_RATIO_FLAG
};

// Combines the runs (pointers, reordered into a canonical order so that the
// result does not depend on the order given) for events of event_size
// bytes (0: no scaling).
void omb_combine(const struct omb_run **runs, size_t n, uint64_t event_size,
	struct omb_figures *f);

// qsort order of runs: backend, label, file, then their figures.
int omb_run_compare(const struct omb_run *a, const struct omb_run *b);

#endif
