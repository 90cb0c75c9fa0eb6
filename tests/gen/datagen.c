#include "datagen.h"

#include <math.h>

#include "base/jsonw.h"
#include "base/serde.h"
#include "base/timestamp.h"

// Order: rate, batch, size, compression, serialization overhead, complex,
// ordering, pattern code, consistency code, constant.
const struct datagen_relation datagen_latency = {
	.intercept = 2.0,
	.coef = {0.0005, 0.003, 0.002, 4.0, 0.0, 3.0, 5.0, 1.5, 0.8, 0.0},
};

const struct datagen_relation datagen_throughput = {
	.intercept = 20000.0,
	.coef = {0.8, -2.0, -1.5, 500.0, 0.0, -300.0, -800.0, 200.0, -400.0, 0.0},
};

static const uint32_t batch_sizes[] = {10, 100, 500, 1000};

void datagen_init(struct datagen *g, const struct datagen_params *p)
{
	*g = (struct datagen){.p = *p};
	gen_init(&g->rng, &(struct gen_params){.seed = p->seed, .rate = 1});
	if (g->p.relation[MODEL_LATENCY] == NULL)
		g->p.relation[MODEL_LATENCY] = &datagen_latency;
	if (g->p.relation[MODEL_THROUGHPUT] == NULL)
		g->p.relation[MODEL_THROUGHPUT] = &datagen_throughput;
}

static unsigned pick(struct datagen *g, unsigned n)
{
	return (unsigned)(gen_uniform(&g->rng) * n);
}

static double uniform(struct datagen *g, double lo, double hi)
{
	return lo + (hi - lo) * gen_uniform(&g->rng);
}

// A standard normal deviate (Box-Muller).
static double normal(struct datagen *g)
{
	double u = 1.0 - gen_uniform(&g->rng), v = gen_uniform(&g->rng);
	return sqrt(-2.0 * log(u)) * cos(2.0 * M_PI * v);
}

double datagen_truth(const struct datagen_relation *r, const struct bopt_pattern *p)
{
	double x[MODEL_FEATURES];
	model_features(p, x);
	double y = r->intercept;
	for (int j = 0; j < MODEL_FEATURES; j++)
		y += r->coef[j] * x[j];
	return y;
}

void datagen_next(struct datagen *g, struct bopt_data_point *pt)
{
	*pt = (struct bopt_data_point){
		.timestamp = g->p.start_ns + (int64_t)g->count++ * BOPT_NS_PER_SEC,
		.backend = g->p.backend,
		.reliability = uniform(g, 0.99, 1.0),
		.resource_usage = {.cpu_usage_percent = uniform(g, 5, 80),
			.memory_usage_mb = uniform(g, 100, 2000), .network_usage_mbps = 10,
			.disk_io_ops_per_sec = 100, .connection_count = 10},
	};
	struct bopt_pattern *p = &pt->pattern;
	pattern_init_default(p);
	p->pattern_type = (enum bopt_pattern_type)pick(g, BOPT_PATTERN_TYPE_COUNT);
	p->event_rate = uniform(g, 10, 20000);
	p->batch_size = batch_sizes[pick(g, sizeof(batch_sizes) / sizeof(batch_sizes[0]))];
	p->event_size_bytes = 100 + pick(g, 3900);
	p->data_characteristics.compression_ratio = uniform(g, 0.3, 0.9);
	p->data_characteristics.has_complex_structures = pick(g, 2);
	p->data_characteristics.requires_ordering = pick(g, 2);
	if (g->p.collinear)
		p->consistency_requirements = p->data_characteristics.requires_ordering ?
			BOPT_EXACTLY_ONCE : BOPT_AT_LEAST_ONCE;
	else
		p->consistency_requirements = (enum bopt_consistency)pick(g, BOPT_CONSISTENCY_COUNT);
	double y[MODEL_TARGET_COUNT];
	for (int t = 0; t < MODEL_TARGET_COUNT; t++) {
		y[t] = datagen_truth(g->p.relation[t], p);
		if (g->p.noise[t] > 0)
			y[t] += g->p.noise[t] * normal(g);
		if (y[t] < 0)
			y[t] = 0;
	}
	pt->latency = y[MODEL_LATENCY];
	pt->throughput = y[MODEL_THROUGHPUT];
}

void datagen_write_point(FILE *f, const struct bopt_data_point *pt)
{
	struct jw w;
	jw_init(&w, false);
	serde_write_data_point(&w, pt);
	jw_write(&w, f);
	fputc('\n', f);
	jw_release(&w);
}

void datagen_fill(struct bopt_model *m, const struct datagen_params *p, size_t n)
{
	struct datagen g;
	datagen_init(&g, p);
	for (size_t i = 0; i < n; i++) {
		struct bopt_data_point pt;
		datagen_next(&g, &pt);
		model_add_point(m, &pt);
	}
}
