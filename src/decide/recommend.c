#include "decide/recommend.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

void recommend_predict(const struct recommend_input *in, enum bopt_backend b,
	struct bopt_performance *out, const char **source)
{
	if (in->model == NULL) {
		*out = in->metrics->perf[b];
		*source = model_source_name(MODEL_SOURCE_MEASURED);
		return;
	}
	struct model_prediction pred;
	model_predict(in->model, b, in->pattern, &in->metrics->perf[b], &pred);
	*out = pred.perf;
	*source = model_source_name(pred.source);
}

void recommend_evaluate(const struct recommend_input *in, enum bopt_backend b,
	struct recommendation *r)
{
	*r = (struct recommendation){.backend = b};
	// As the reference: cost from the measured performance, the score from
	// the predicted one.
	cost_calculate(b, in->pattern, &in->metrics->perf[b], &in->weights, &r->cost);
	recommend_predict(in, b, &r->predicted, &r->prediction_source);
	score_parts(&r->predicted, &r->cost, in->pattern, &r->parts);
	r->score = score_combine(&r->parts, &in->weights);
	r->confidence = score_confidence(&r->predicted, in->now);
	r->n_strengths = backend_strengths(b, in->pattern, r->strengths);
	r->n_weaknesses = backend_weaknesses(b, in->pattern, r->weaknesses);
}

int recommend_compare(const void *a, const void *b)
{
	const struct recommendation *x = a, *y = b;
	bool xnan = isnan(x->score), ynan = isnan(y->score);
	if (xnan != ynan)
		return xnan ? 1 : -1;
	if (!xnan && x->score != y->score)
		return x->score > y->score ? -1 : 1;
	return strcmp(backend_name(x->backend), backend_name(y->backend));
}

size_t recommend_rank(const struct recommend_input *in,
	struct recommendation out[BOPT_BACKEND_COUNT])
{
	size_t n = 0;
	for (int b = 0; b < BOPT_BACKEND_COUNT; b++) {
		if (!in->metrics->have[b] || (in->only != NULL && !in->only[b]))
			continue;
		recommend_evaluate(in, (enum bopt_backend)b, &out[n++]);
	}
	qsort(out, n, sizeof(out[0]), recommend_compare);
	return n;
}

void recommend_reason(const struct recommendation *r, size_t n,
	const struct bopt_pattern *p, char *buf, size_t len)
{
	if (n == 0) {
		snprintf(buf, len, "no backend was evaluated");
		return;
	}
	int k = snprintf(buf, len, "%s scores %.4f for a %s workload", backend_name(r[0].backend),
		r[0].score, pattern_type_name(p->pattern_type));
	if (k < 0 || (size_t)k >= len)
		return;
	if (n == 1)
		snprintf(buf + k, len - (size_t)k, ", the only backend evaluated");
	else
		snprintf(buf + k, len - (size_t)k, ", ahead of %s (%.4f)",
			backend_name(r[1].backend), r[1].score);
}
