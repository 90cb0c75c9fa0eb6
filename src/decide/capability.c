#include "decide/capability.h"

#include <math.h>

// capability_reliability: durability levels and the fsync bonus.
#define CAP_SCORE_LOCAL 0.5
#define CAP_SCORE_REPLICATED 0.75
#define CAP_SCORE_FSYNC 0.25

static const struct capability capabilities[BOPT_BACKEND_COUNT] = {
#define CAPABILITY(b, dur, fs, fss, g, how, gs, ord, lim, lims, hard, urate, ubytes, ret) \
	[b] = {dur, fs, fss, g, how, gs, ord, lim, lims, hard, urate, ubytes, ret},
#include "decide/capabilities.def"
#undef CAPABILITY
};

const struct capability *capability_of(enum bopt_backend b)
{
	return &capabilities[b];
}

const char *cap_durability_name(enum cap_durability d)
{
	static const char *const names[] = {"none", "local disk", "replicated"};
	return names[d];
}

const char *cap_ordering_name(enum cap_ordering o)
{
	static const char *const names[] = {"partition", "shard", "stream", "queue"};
	return names[o];
}

enum bopt_consistency cap_guarantee_needed(enum bopt_consistency c)
{
	switch (c) {
	case BOPT_SESSION:
		return BOPT_AT_LEAST_ONCE;
	case BOPT_STRONG:
		return BOPT_EXACTLY_ONCE;
	default:
		return c;
	}
}

int cap_guarantee_rank(enum bopt_consistency c)
{
	switch (cap_guarantee_needed(c)) {
	case BOPT_AT_MOST_ONCE:
		return 0;
	case BOPT_AT_LEAST_ONCE:
		return 1;
	default:
		return 2;
	}
}

double capability_reliability(const struct capability *c, bool durable,
	enum bopt_consistency need)
{
	double durability = 1.0;
	if (durable) {
		durability = c->durability == CAP_NONE ? 0.0 :
			c->durability == CAP_LOCAL ? CAP_SCORE_LOCAL : CAP_SCORE_REPLICATED;
		if (c->durability != CAP_NONE && c->fsync)
			durability += CAP_SCORE_FSYNC;
	}
	int want = cap_guarantee_rank(need);
	double guarantee = want == 0 ? 1.0 :
		fmin(1.0, (double)cap_guarantee_rank(c->guarantee) / want);
	return (durability + guarantee) / 2.0;
}
