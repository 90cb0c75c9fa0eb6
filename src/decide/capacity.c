#include "decide/capacity.h"

#include <math.h>
#include <string.h>

#include "decide/capability.h"

struct capacity_row {
	const char *unit;
	double unit_eps, unit_bps, unit_read_bps;
	const char *node;
	double node_eps, node_bps;
	unsigned node_copies, min_nodes, node_group, nodes_per_unit, units_per_node;
	const char *companion;
	unsigned companion_min, rf;
	bool compresses;
	double retention_days;
	const char *retention_note;
	enum price_id node_price, storage_price;
	const char *offering, *source;
};

// A unit figure the capability matrix defines (capabilities.def).
#define MATRIX (-1.0)

static const struct capacity_row rows[BOPT_BACKEND_COUNT] = {
#define CAPACITY(id, ...) [BOPT_##id] = {__VA_ARGS__},
#include "decide/capacity.def"
#undef CAPACITY
};

// Sizes beyond this are not deployments (and must fit in a uint64_t).
#define CAPACITY_UNITS_MAX 1e15
// An in-process queue holds this much of the peak in flight.
#define CAPACITY_INFLIGHT_SECONDS 1.0

void capacity_load_from_pattern(const struct bopt_pattern *p, struct capacity_load *out)
{
	*out = (struct capacity_load){
		.mean_eps = p->event_rate,
		.peak_eps = p->event_rate,
		.mean_bps = p->event_rate * (double)p->event_size_bytes,
		.peak_bps = p->event_rate * (double)p->event_size_bytes,
		.compression_ratio = p->data_characteristics.compression_ratio,
		.consumers = 1,
	};
}

void capacity_load_scale(struct capacity_load *l, double x)
{
	l->mean_eps *= x;
	l->peak_eps *= x;
	l->mean_bps *= x;
	l->peak_bps *= x;
}

void capacity_options_init(struct capacity_options *o, const struct price_table *prices)
{
	*o = (struct capacity_options){
		.utilisation = CAPACITY_DEFAULT_UTILISATION,
		.retention_days = -1,
		.prices = prices,
	};
}

const char *capacity_bound_name(enum capacity_bound b)
{
	static const char *const names[] = {
		[CAP_BOUND_MINIMUM] = "minimum",
		[CAP_BOUND_EVENTS] = "events/s",
		[CAP_BOUND_BYTES] = "bytes/s",
		[CAP_BOUND_READ] = "read bytes/s",
		[CAP_BOUND_PLACEMENT] = "placement",
	};
	return names[b];
}

// How many of something carrying cap each are needed for load at
// utilisation u: ceil(load / (cap u)); 0 when there is no bound.
static double need(double load, double cap, double u)
{
	if (!(cap > 0) || !(load > 0))
		return 0;
	double n = load / (cap * u);
	// 2.0000000000000004 is 2: the division is not exact.
	return fmin(ceil(n * (1 - 1e-12)), CAPACITY_UNITS_MAX);
}

// Keeps the largest need and what set it (the first of equals).
static void consider(double *best, enum capacity_bound *bound, double n, enum capacity_bound b)
{
	if (n > *best) {
		*best = n;
		*bound = b;
	}
}

static double ratio(double load, double cap)
{
	return cap > 0 ? load / cap : 0;
}

static void size_plan(const struct capacity_row *r, const struct capacity_load *l, double u,
	struct capacity_plan *p)
{
	double units = 1; // a deployment has a unit, whatever the load
	enum capacity_bound ubound = CAP_BOUND_MINIMUM;
	consider(&units, &ubound, need(l->peak_eps, r->unit_eps, u), CAP_BOUND_EVENTS);
	consider(&units, &ubound, need(l->peak_bps, r->unit_bps, u), CAP_BOUND_BYTES);
	consider(&units, &ubound, need(l->consumers * l->peak_bps, r->unit_read_bps, u),
		CAP_BOUND_READ);
	p->units = (uint64_t)units;
	p->bound = ubound;
	p->utilisation = fmax(fmax(ratio(l->peak_eps, units * r->unit_eps),
		ratio(l->peak_bps, units * r->unit_bps)),
		ratio(l->consumers * l->peak_bps, units * r->unit_read_bps));
	if (r->node == NULL)
		return;
	double nodes = r->min_nodes;
	enum capacity_bound nbound = CAP_BOUND_MINIMUM;
	consider(&nodes, &nbound, need(r->node_copies * l->peak_eps, r->node_eps, u),
		CAP_BOUND_EVENTS);
	consider(&nodes, &nbound, need(r->node_copies * l->peak_bps, r->node_bps, u),
		CAP_BOUND_BYTES);
	if (r->units_per_node > 0)
		consider(&nodes, &nbound, ceil(units * r->rf / r->units_per_node),
			CAP_BOUND_PLACEMENT);
	consider(&nodes, &nbound, units * r->nodes_per_unit, ubound);
	nodes = fmin(ceil(fmax(nodes, 1) / r->node_group) * r->node_group, CAPACITY_UNITS_MAX);
	p->nodes = (uint64_t)nodes;
	if (nbound != CAP_BOUND_MINIMUM || ubound == CAP_BOUND_MINIMUM)
		p->bound = nbound;
	p->utilisation = fmax(p->utilisation, fmax(
		ratio(r->node_copies * l->peak_eps, nodes * r->node_eps),
		ratio(r->node_copies * l->peak_bps, nodes * r->node_bps)));
	if (r->companion != NULL) {
		p->companion = r->companion;
		p->companions = (uint64_t)fmax(nodes, r->companion_min);
	}
}

// Kinesis: provisioned shards, or on-demand when that is cheaper.
static void price_kinesis(const struct capacity_load *l, double retained_gb,
	const double *d, struct capacity_plan *p)
{
	double size = l->mean_eps > 0 ? l->mean_bps / l->mean_eps : 0;
	double events = l->mean_eps * CAPACITY_SECONDS_PER_MONTH;
	double put_units = events * fmax(ceil(size / CAPACITY_KINESIS_PUT_UNIT_BYTES), 1);
	double compute = (double)p->units * d[PRICE_KINESIS_SHARD_HOUR] * CAPACITY_HOURS_PER_MONTH;
	double requests = put_units / 1e6 * d[PRICE_KINESIS_PUT_MILLION];
	double storage = retained_gb * d[PRICE_KINESIS_RETENTION_GB_MONTH];

	double od_gb = events * fmax(ceil(size / CAPACITY_KINESIS_OD_RECORD_BYTES), 1) *
		CAPACITY_KINESIS_OD_RECORD_BYTES / CAPACITY_BYTES_PER_GB;
	double od_compute = d[PRICE_KINESIS_OD_STREAM_HOUR] * CAPACITY_HOURS_PER_MONTH;
	double od_requests = od_gb * (d[PRICE_KINESIS_OD_INGEST_GB] +
		l->consumers * d[PRICE_KINESIS_OD_READ_GB]);
	double od_storage = retained_gb * d[PRICE_KINESIS_OD_RETENTION_GB_MONTH];
	if (od_compute + od_requests + od_storage < compute + requests + storage) {
		p->on_demand = true;
		compute = od_compute;
		requests = od_requests;
		storage = od_storage;
	}
	p->compute = compute;
	p->requests = requests;
	p->storage = storage;
}

void capacity_plan(enum bopt_backend b, const struct capacity_load *l, double measured_eps,
	const struct capacity_options *o, struct capacity_plan *out)
{
	struct capacity_row r = rows[b];
	const struct capability *cap = capability_of(b);
	if (r.unit_eps == MATRIX)
		r.unit_eps = cap->unit_rate;
	if (r.unit_bps == MATRIX)
		r.unit_bps = cap->unit_bytes;
	struct capacity_plan p = {
		.backend = b,
		.unit = r.unit,
		.node = r.node,
		.retention_note = r.retention_note,
		.offering = r.offering,
		.source = r.source,
	};
	// A measured throughput is what the measured deployment (at least its
	// minimum nodes) carried, replication included; Kinesis's per-shard
	// figures are quotas, not measurements.
	if (measured_eps > 0 && b != BOPT_KINESIS) {
		p.measured = true;
		if (r.node != NULL && r.node_eps > 0) {
			r.node_eps = measured_eps / (r.min_nodes > 0 ? r.min_nodes : 1);
			r.node_copies = 1;
		} else if (r.node == NULL) {
			r.unit_eps = measured_eps;
		}
	}
	size_plan(&r, l, o->utilisation, &p);

	p.retention_days = o->retention_days >= 0 ? o->retention_days : r.retention_days;
	double day_bytes = l->mean_bps * CAPACITY_SECONDS_PER_DAY;
	double stored = day_bytes * p.retention_days * (r.compresses ? l->compression_ratio : 1) *
		r.rf;
	p.stored_gb = stored / CAPACITY_BYTES_PER_GB;

	const double *d = o->prices->dollars;
	if (b == BOPT_KINESIS) {
		double billed_days = fmax(p.retention_days - CAPACITY_KINESIS_INCLUDED_DAYS, 0);
		price_kinesis(l, day_bytes * billed_days * r.rf / CAPACITY_BYTES_PER_GB, d, &p);
	} else {
		if (r.node_price != PRICE_NONE)
			p.compute = (double)(p.nodes + p.companions) * d[r.node_price] *
				CAPACITY_HOURS_PER_MONTH;
		if (r.storage_price != PRICE_NONE)
			p.storage = p.stored_gb * d[r.storage_price];
	}
	if (r.node == NULL && b != BOPT_KINESIS)
		p.memory_gb = fmax(p.stored_gb,
			l->peak_bps * CAPACITY_INFLIGHT_SECONDS / CAPACITY_BYTES_PER_GB);
	p.total = p.compute + p.storage + p.requests;
	p.capacity_eps = p.utilisation > 0 ? l->peak_eps / p.utilisation : 0;
	*out = p;
}
