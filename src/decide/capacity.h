#ifndef BOPT_CAPACITY_H
#define BOPT_CAPACITY_H

/*
 * Capacity planning: how many units (shards, partitions, queues, ...) and
 * nodes each backend needs for a workload's peak at a target utilisation,
 * the storage a retention period takes, and what it costs a month, from the
 * capacities of capacity.def and the prices of prices.def (or a --prices
 * file). Plain data; nothing allocates, and every string is static.
 */

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "base/types.h"

// Hours in a month, as AWS's monthly figures count them.
#define CAPACITY_HOURS_PER_MONTH 730.0
#define CAPACITY_SECONDS_PER_MONTH (CAPACITY_HOURS_PER_MONTH * 3600.0)
#define CAPACITY_SECONDS_PER_DAY 86400.0
// Prices are per decimal GB.
#define CAPACITY_BYTES_PER_GB 1e9
// Kinesis counts PUT payload units of 25 KB, and on-demand bills records
// rounded up to 1 KB (the Kinesis pricing page).
#define CAPACITY_KINESIS_PUT_UNIT_BYTES (25.0 * 1024)
#define CAPACITY_KINESIS_OD_RECORD_BYTES 1024.0
// Retention that Kinesis includes in its shard or stream hours.
#define CAPACITY_KINESIS_INCLUDED_DAYS 1.0
// The cost component of bopt scoring compares monthly totals plus this:
// one provisioned Kinesis shard for a month at the built-in price (0.015 x
// 730), the least a paid deployment costs, so that a free in-process queue
// does not zero every other backend's component.
#define CAPACITY_COST_FLOOR_USD 10.95
// The default target utilisation (--headroom): provision twice the peak.
#define CAPACITY_DEFAULT_UTILISATION 0.5

// The region and date of the built-in table (prices.def).
#define PRICES_BUILTIN_REGION "us-east-1"
#define PRICES_BUILTIN_DATE "2024-07-01"

enum price_id {
#define PRICE(id, key, dollars, unit, source) PRICE_##id,
#include "decide/prices.def"
#undef PRICE
	PRICE_COUNT,
	PRICE_NONE = PRICE_COUNT,
};

struct price_table {
	double dollars[PRICE_COUNT];
	bool replaced[PRICE_COUNT]; // from a --prices file
	const char *origin;         // "built-in" or the --prices file's name
	char region[64];            // "us-east-1"
	char date[32];              // when the prices held, "2024-07-01"
};

// The built-in table: us-east-1, 2024-07-01.
void prices_builtin(struct price_table *t);
// Replaces the prices a --prices file names (bopt(1), PRICES FILE). The
// file must outlive t (origin points at its name). Fails with
// "FILE:LINE: ..." naming the field; t is unchanged then.
bool prices_read(const char *path, struct price_table *t, char *err);
// Reads prices from text (the file's contents); name is for messages.
bool prices_parse(const char *name, const char *text, size_t len, struct price_table *t,
	char *err);
const char *price_key(enum price_id id);
const char *price_unit(enum price_id id);
const char *price_source(enum price_id id);

// What a workload asks of a backend.
struct capacity_load {
	double mean_eps, peak_eps;  // events/s
	double mean_bps, peak_bps;  // bytes/s
	double compression_ratio;   // compressed / raw
	unsigned consumers;         // consumer groups reading every event
	bool peak_measured;         // peak from a trace; else peak = mean
};

// The load of a bare pattern: its rate and event size, peak = mean.
void capacity_load_from_pattern(const struct bopt_pattern *p, struct capacity_load *out);
// Multiplies every rate by x (--scale, --rate).
void capacity_load_scale(struct capacity_load *l, double x);

struct capacity_options {
	double utilisation;     // target at peak, 0 < u <= 1
	double retention_days;  // < 0: each backend's default
	const struct price_table *prices;
};

void capacity_options_init(struct capacity_options *o, const struct price_table *prices);

enum capacity_bound {
	CAP_BOUND_MINIMUM,     // the least a deployment has
	CAP_BOUND_EVENTS,      // events/s
	CAP_BOUND_BYTES,       // bytes/s written
	CAP_BOUND_READ,        // bytes/s read
	CAP_BOUND_PLACEMENT,   // unit replicas per node
};

struct capacity_plan {
	enum bopt_backend backend;
	const char *unit;         // "partition", "shard", ...
	uint64_t units;
	const char *node;         // "broker", ...; NULL when none
	uint64_t nodes;
	const char *companion;    // "bookie" or NULL
	uint64_t companions;
	enum capacity_bound bound; // what sets the size
	double utilisation;        // at peak, of the provisioned capacity
	bool measured;             // node capacity from measured throughput
	double retention_days;
	const char *retention_note;
	double stored_gb;          // the retention's bytes, compressed, x RF
	double memory_gb;          // in-process: what the process holds
	double compute, storage, requests, total; // $/month
	const char *offering;
	const char *source;        // the capacity figures' sources
	bool on_demand;            // Kinesis: on-demand is cheaper
	double capacity_eps;       // events/s the plan carries at full utilisation
};

// Sizes and prices backend b for the load. measured_eps > 0 is a measured
// throughput of the backend (events/s), taken as what its minimum
// deployment carries in place of the cited node (or unit) figure.
void capacity_plan(enum bopt_backend b, const struct capacity_load *l, double measured_eps,
	const struct capacity_options *o, struct capacity_plan *out);

const char *capacity_bound_name(enum capacity_bound b);

#endif
