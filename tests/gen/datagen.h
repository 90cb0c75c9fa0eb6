#ifndef BOPT_DATAGEN_H
#define BOPT_DATAGEN_H

/*
 * A deterministic generator of synthetic PerformanceDataPoint records whose
 * latency and throughput follow a known linear relation of the reference's
 * features, plus optional Gaussian noise. Same seed, same points. The
 * generator holds no heap memory; the points it fills are the caller's
 * (data_point_release).
 */

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "decide/model.h"
#include "tracegen.h"

// y = intercept + sum coef[j] x[j], x the features of model_features.
struct datagen_relation {
	double intercept;
	double coef[MODEL_FEATURES];
};

// The relations the generator uses unless told otherwise.
extern const struct datagen_relation datagen_latency, datagen_throughput;

struct datagen_params {
	uint64_t seed;
	enum bopt_backend backend;
	double noise[MODEL_TARGET_COUNT]; // standard deviation per target
	bool collinear; // consistency follows ordering, as bopt analyze derives both
	const struct datagen_relation *relation[MODEL_TARGET_COUNT]; // NULL: the defaults
	int64_t start_ns; // time of the first point; one point per second
};

struct datagen {
	struct datagen_params p;
	struct gen rng;
	uint64_t count;
};

void datagen_init(struct datagen *g, const struct datagen_params *p);
// Fills the next point; its targets are clamped at 0.
void datagen_next(struct datagen *g, struct bopt_data_point *pt);
// Adds n generated points to a model.
void datagen_fill(struct bopt_model *m, const struct datagen_params *p, size_t n);
// Writes the point as one NDJSON line.
void datagen_write_point(FILE *f, const struct bopt_data_point *pt);
// The relation's value for a pattern, without noise.
double datagen_truth(const struct datagen_relation *r, const struct bopt_pattern *p);

#endif
