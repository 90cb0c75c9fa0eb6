#include "base/types.h"

#include <stdlib.h>
#include <string.h>
#include <strings.h>

static const char *const backend_names[BOPT_BACKEND_COUNT] = {
#define BACKEND(id, name, driver, baseline, scaling) [BOPT_##id] = name,
#include "base/backends.def"
#undef BACKEND
};

const char backend_name_list[] =
#define BACKEND(id, name, driver, baseline, scaling) name " "
#include "base/backends.def"
#undef BACKEND
	;

static const char *const backend_drivers[BOPT_BACKEND_COUNT] = {
#define BACKEND(id, name, driver, baseline, scaling) [BOPT_##id] = driver,
#include "base/backends.def"
#undef BACKEND
};

static const char *const pattern_type_names[BOPT_PATTERN_TYPE_COUNT] = {
	[BOPT_STEADY] = "Steady",
	[BOPT_BURSTY] = "Bursty",
	[BOPT_SEASONAL] = "Seasonal",
	[BOPT_RANDOM] = "Random",
	[BOPT_REALTIME] = "RealTime",
	[BOPT_BATCH_ORIENTED] = "BatchOriented",
};

static const char *const consistency_names[BOPT_CONSISTENCY_COUNT] = {
	[BOPT_AT_MOST_ONCE] = "AtMostOnce",
	[BOPT_AT_LEAST_ONCE] = "AtLeastOnce",
	[BOPT_EXACTLY_ONCE] = "ExactlyOnce",
	[BOPT_SESSION] = "Session",
	[BOPT_STRONG] = "Strong",
};

const char *backend_name(enum bopt_backend b)
{
	return backend_names[b];
}

const char *backend_omb_driver(enum bopt_backend b)
{
	return backend_drivers[b];
}

const char *pattern_type_name(enum bopt_pattern_type t)
{
	return pattern_type_names[t];
}

const char *consistency_name(enum bopt_consistency c)
{
	return consistency_names[c];
}

static bool lookup(const char *const *names, int count, const char *s,
		int (*cmp)(const char *, const char *), int *out)
{
	for (int i = 0; i < count; i++) {
		if (cmp(names[i], s) == 0) {
			*out = i;
			return true;
		}
	}
	return false;
}

bool backend_parse(const char *s, enum bopt_backend *out)
{
	int i;
	if (!lookup(backend_names, BOPT_BACKEND_COUNT, s, strcasecmp, &i))
		return false;
	*out = (enum bopt_backend)i;
	return true;
}

bool pattern_type_parse(const char *s, enum bopt_pattern_type *out)
{
	int i;
	if (!lookup(pattern_type_names, BOPT_PATTERN_TYPE_COUNT, s, strcmp, &i))
		return false;
	*out = (enum bopt_pattern_type)i;
	return true;
}

bool consistency_parse(const char *s, enum bopt_consistency *out)
{
	int i;
	if (!lookup(consistency_names, BOPT_CONSISTENCY_COUNT, s, strcmp, &i))
		return false;
	*out = (enum bopt_consistency)i;
	return true;
}

void pattern_init_default(struct bopt_pattern *p)
{
	*p = (struct bopt_pattern){
		.pattern_type = BOPT_STEADY,
		.event_rate = 100.0,
		.batch_size = 100,
		.event_size_bytes = 1024,
		.temporal_distribution = {.kind = BOPT_DIST_UNIFORM},
		.data_characteristics = {
			.compression_ratio = BOPT_REF_COMPRESSION_RATIO,
			.serialization_overhead = BOPT_REF_SERIALIZATION_OVERHEAD,
			.requires_deduplication = true,
		},
		.consistency_requirements = BOPT_AT_LEAST_ONCE,
	};
}

void pattern_release(struct bopt_pattern *p)
{
	free(p->temporal_distribution.name);
	p->temporal_distribution.name = NULL;
}

void data_point_release(struct bopt_data_point *d)
{
	pattern_release(&d->pattern);
	for (size_t i = 0; i < d->nfactors; i++)
		free(d->factors[i].name);
	free(d->factors);
	d->factors = NULL;
	d->nfactors = 0;
}
