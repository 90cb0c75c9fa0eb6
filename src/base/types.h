#ifndef BOPT_TYPES_H
#define BOPT_TYPES_H

/*
 * The oxirs-stream data types bopt reads and writes (WorkloadPattern,
 * BackendPerformance, CostModel, ...), as plain C values. A pattern owns the
 * name of a Custom distribution; pattern_release frees it. A data point owns
 * its pattern and factors; data_point_release frees them. Everything else
 * here is plain data.
 */

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

enum bopt_backend {
#define BACKEND(id, name, driver, baseline, scaling) BOPT_##id,
#include "base/backends.def"
#undef BACKEND
	BOPT_BACKEND_COUNT,
};



enum bopt_pattern_type {
	BOPT_STEADY,
	BOPT_BURSTY,
	BOPT_SEASONAL,
	BOPT_RANDOM,
	BOPT_REALTIME,
	BOPT_BATCH_ORIENTED,
	BOPT_PATTERN_TYPE_COUNT,
};

enum bopt_dist_kind {
	BOPT_DIST_UNIFORM,
	BOPT_DIST_NORMAL,
	BOPT_DIST_EXPONENTIAL,
	BOPT_DIST_POISSON,
	BOPT_DIST_CUSTOM,
};

enum bopt_consistency {
	BOPT_AT_MOST_ONCE,
	BOPT_AT_LEAST_ONCE,
	BOPT_EXACTLY_ONCE,
	BOPT_SESSION,
	BOPT_STRONG,
	BOPT_CONSISTENCY_COUNT,
};

struct bopt_distribution {
	enum bopt_dist_kind kind;
	double mean, std_dev; // Normal: inter-arrival gap, ms
	double lambda;        // Exponential: 1/mean gap (per ms); Poisson: events/s
	char *name;           // Custom: owned
};

struct bopt_data_characteristics {
	double compression_ratio;      // compressed / raw
	double serialization_overhead;
	bool has_complex_structures;
	bool requires_ordering;
	bool has_time_windows;
	bool requires_deduplication;
};

struct bopt_pattern {
	enum bopt_pattern_type pattern_type;
	double event_rate; // events/s
	uint32_t batch_size;
	uint64_t event_size_bytes;
	struct bopt_distribution temporal_distribution;
	struct bopt_data_characteristics data_characteristics;
	enum bopt_consistency consistency_requirements;
};

struct bopt_resource_usage {
	double cpu_usage_percent;
	double memory_usage_mb;
	double network_usage_mbps;
	double disk_io_ops_per_sec;
	uint32_t connection_count;
};

struct bopt_performance {
	enum bopt_backend backend_type;
	double measured_latency_p50; // ms
	double measured_latency_p95; // ms
	double measured_latency_p99; // ms
	double measured_throughput;  // events/s
	double reliability_score;    // 0..1
	struct bopt_resource_usage resource_usage;
	double cost_per_hour;
	uint8_t setup_complexity;
	double scalability_factor;
	int64_t last_updated; // ns since the epoch
	uint64_t sample_count;
};

struct bopt_cost {
	double total_cost;
	double latency_cost;
	double throughput_cost;
	double reliability_cost;
	double resource_cost;
	double scaling_cost;
	double maintenance_cost;
};

// One external factor of a data point: a named number.
struct bopt_factor {
	char *name; // owned
	double value;
};

// A PerformanceDataPoint (training data). It owns its pattern's strings and
// its factors: data_point_release.
struct bopt_data_point {
	int64_t timestamp; // ns since the epoch
	enum bopt_backend backend;
	struct bopt_pattern pattern;
	double latency;     // actual_latency, ms
	double throughput;  // actual_throughput, events/s
	double reliability; // actual_reliability, 0..1
	struct bopt_resource_usage resource_usage;
	struct bopt_factor *factors; // external_factors, in file order
	size_t nfactors;
};

// Reference constants of the data characteristics (PatternAnalyzer).
#define BOPT_REF_COMPRESSION_RATIO 0.7    // assumed when nothing is measured
#define BOPT_REF_SERIALIZATION_OVERHEAD 0.1

// The serde names ("Kafka", "BatchOriented", "AtLeastOnce", ...).
const char *backend_name(enum bopt_backend b);
// The names of all backends, in order, each followed by a space.
extern const char backend_name_list[];
// The prefix of OpenMessaging Benchmark driver names for b, or NULL.
const char *backend_omb_driver(enum bopt_backend b);
const char *pattern_type_name(enum bopt_pattern_type t);
const char *consistency_name(enum bopt_consistency c);
// Parse a serde name; backends in any letter case.
bool backend_parse(const char *s, enum bopt_backend *out);
bool pattern_type_parse(const char *s, enum bopt_pattern_type *out);
bool consistency_parse(const char *s, enum bopt_consistency *out);

// The reference's WorkloadPattern::default().
void pattern_init_default(struct bopt_pattern *p);
void pattern_release(struct bopt_pattern *p);
// Frees what a data point owns; accepts a zeroed or half-read one.
void data_point_release(struct bopt_data_point *d);

#endif
