#include "decide/recommend.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

void recommend_predict(const struct recommend_input *in, const struct metrics_candidate *c,
	struct bopt_performance *out, const char **source)
{
	if (in->model == NULL) {
		*out = c->perf;
		*source = model_source_name(MODEL_SOURCE_MEASURED);
		return;
	}
	struct model_prediction pred;
	model_predict(in->model, c->backend, in->pattern, &c->perf, &pred);
	*out = pred.perf;
	*source = model_source_name(pred.source);
}

void recommend_evaluate(const struct recommend_input *in, const struct metrics_candidate *c,
	struct recommendation *r)
{
	enum bopt_backend b = c->backend;
	*r = (struct recommendation){.backend = b, .candidate = c};
	// As the reference: cost from the measured performance, the score from
	// the predicted one.
	cost_calculate(b, in->pattern, &c->perf, &in->weights, &r->cost);
	recommend_predict(in, c, &r->predicted, &r->prediction_source);
	score_parts(&r->predicted, &r->cost, in->pattern, &r->parts);
	r->score = score_combine(&r->parts, &in->weights);
	r->confidence = score_confidence(&r->predicted, in->now);
	r->n_strengths = backend_strengths(b, in->pattern, r->strengths);
	r->n_weaknesses = backend_weaknesses(b, in->pattern, r->weaknesses);
	if (metrics_label_durable(c->label))
		r->n_weaknesses = backend_drop_volatile(b, r->weaknesses, r->n_weaknesses);
}

int recommend_compare(const void *a, const void *b)
{
	const struct recommendation *x = a, *y = b;
	bool xnan = isnan(x->score), ynan = isnan(y->score);
	if (xnan != ynan)
		return xnan ? 1 : -1;
	if (!xnan && x->score != y->score)
		return x->score > y->score ? -1 : 1;
	int c = strcmp(backend_name(x->backend), backend_name(y->backend));
	return c != 0 || x->candidate == NULL || y->candidate == NULL ? c :
		strcmp(x->candidate->label, y->candidate->label);
}

size_t recommend_rank(const struct recommend_input *in, struct recommendation *out)
{
	size_t n = 0;
	for (size_t i = 0; i < in->metrics->n; i++) {
		const struct metrics_candidate *c = &in->metrics->c[i];
		if (in->only != NULL && !in->only[c->backend])
			continue;
		recommend_evaluate(in, c, &out[n++]);
	}
	qsort(out, n, sizeof(out[0]), recommend_compare);
	return n;
}

void recommend_name(const struct recommendation *r, char *buf, size_t len)
{
	if (r->candidate != NULL)
		metrics_candidate_name(r->candidate, buf, len);
	else
		snprintf(buf, len, "%s", backend_name(r->backend));
}

void recommend_reason(const struct recommendation *r, size_t n,
	const struct bopt_pattern *p, char *buf, size_t len)
{
	if (n == 0) {
		snprintf(buf, len, "no backend was evaluated");
		return;
	}
	char first[METRICS_NAME_MAX], second[METRICS_NAME_MAX];
	recommend_name(&r[0], first, sizeof(first));
	int k = snprintf(buf, len, "%s scores %.4f for a %s workload", first, r[0].score,
		pattern_type_name(p->pattern_type));
	if (k < 0 || (size_t)k >= len)
		return;
	if (n == 1)
		snprintf(buf + k, len - (size_t)k, ", the only backend evaluated");
	else {
		recommend_name(&r[1], second, sizeof(second));
		snprintf(buf + k, len - (size_t)k, ", ahead of %s (%.4f)", second, r[1].score);
	}
}
