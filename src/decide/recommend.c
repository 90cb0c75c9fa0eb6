#include "decide/recommend.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "decide/capability.h"

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

// The reference's evaluation, exact.
static void evaluate_reference(const struct recommend_input *in,
	const struct metrics_candidate *c, struct recommendation *r)
{
	enum bopt_backend b = c->backend;
	// As the reference: cost from the measured performance, the score from
	// the predicted one.
	cost_calculate(b, in->pattern, &c->perf, &in->weights, &r->cost);
	recommend_predict(in, c, &r->predicted, &r->prediction_source);
	r->source = r->prediction_source;
	score_parts(&r->predicted, &r->cost, in->pattern, &r->parts);
	r->score = score_combine(&r->parts, &in->weights);
	r->confidence = score_confidence(&r->predicted, in->now);
	r->n_strengths = backend_strengths(b, in->pattern, r->strengths);
	r->n_weaknesses = backend_weaknesses(b, in->pattern, r->weaknesses);
	if (metrics_label_durable(c->label))
		r->n_weaknesses = backend_drop_volatile(b, r->weaknesses, r->n_weaknesses);
	r->eligibility.eligible = true;
}

// The smallest cross-validated R2 of the targets the regression predicted.
static double model_r2(const struct bopt_model *m, enum bopt_backend b,
	const struct model_prediction *pred)
{
	double r2 = 1.0;
	for (int t = 0; t < MODEL_TARGET_COUNT; t++)
		if (pred->target_source[t] == MODEL_SOURCE_MODEL)
			r2 = fmin(r2, m->backends[b].target[t].cv.r2);
	return r2;
}

// The performance, its source and the confidence in it (bopt scoring).
static void predict_bopt(const struct recommend_input *in, const struct metrics_candidate *c,
	struct recommendation *r)
{
	enum bopt_backend b = c->backend;
	struct model_prediction pred = {.perf = c->perf, .source = MODEL_SOURCE_MEASURED};
	if (in->model != NULL)
		model_predict(in->model, b, in->pattern, &c->perf, &pred);
	r->predicted = pred.perf;
	switch (pred.source) {
	case MODEL_SOURCE_MODEL:
		r->source = model_source_name(pred.source);
		r->confidence = score_confidence_model(model_r2(in->model, b, &pred),
			in->model->backends[b].points);
		break;
	case MODEL_SOURCE_SIMILAR:
		r->source = model_source_name(pred.source);
		r->confidence = score_confidence_model(SCORE_CONF_SIMILAR_R2, pred.similar_points);
		break;
	default:
		if (c->builtin) {
			r->source = "reference";
			r->confidence = score_confidence_reference(backend_profile_proxy(b));
		} else {
			r->source = model_source_name(MODEL_SOURCE_MEASURED);
			r->confidence = score_confidence_measured(c->evidence,
				score_age_hours(r->predicted.last_updated, in->now));
		}
	}
	r->prediction_source = r->source;
}

const char *recommend_latency_borrowed(const struct recommendation *r)
{
	const struct metrics_candidate *c = r->candidate;
	if (c == NULL || !c->omb || strcmp(r->source, model_source_name(MODEL_SOURCE_MEASURED)) != 0)
		return NULL;
	switch (c->latency_from) {
	case METRICS_LATENCY_BACKEND:
		return "its backend's other configurations' latency runs";
	case METRICS_LATENCY_PROFILE:
		return "the built-in profile (no latency run of this backend)";
	default:
		return NULL;
	}
}

// " (end to end)", " (publish)" or where a borrowed latency came from.
static void latency_note(const struct recommendation *r, char *buf, size_t len)
{
	const char *borrowed = recommend_latency_borrowed(r);
	if (borrowed != NULL)
		snprintf(buf, len, " (%s)", borrowed);
	else if (r->candidate->omb && strcmp(r->source, model_source_name(MODEL_SOURCE_MEASURED)) == 0)
		snprintf(buf, len, " (%s)", r->candidate->figures.has_e2e ? "end to end" : "publish");
	else
		buf[0] = '\0';
}

// bopt's evaluation: requirements, eligibility, graded components.
static void evaluate_bopt(const struct recommend_input *in, const struct metrics_candidate *c,
	struct recommendation *r)
{
	enum bopt_backend b = c->backend;
	const struct requirements *req = in->requirements;
	const struct capability *cap = capability_of(b);
	cost_calculate(b, in->pattern, &c->perf, &in->weights, &r->cost);
	predict_bopt(in, c, r);
	const struct bopt_performance *p = &r->predicted;
	bool builtin = c->builtin && strcmp(r->source, "reference") == 0;
	// With a capacity plan, throughput is what the sized deployment carries.
	r->planned = recommend_plan_at(in, r, 1, &r->plan);
	const struct capacity_plan *plan = r->planned ? &r->plan : NULL;
	double capacity = plan != NULL ? plan->capacity_eps : p->measured_throughput;
	if (plan != NULL)
		r->queued = recommend_queue(in, r, plan, 1, &r->queueing);
	double p99 = recommend_p99(r);
	r->parts = (struct score_parts){
		.latency = score_latency_target(p99, req->latency_target),
		.throughput = score_headroom(req->peak_rate, capacity),
		.reliability = score_reliability(capability_reliability(cap, req->durable, req->guarantee),
			builtin ? 1.0 : p->reliability_score),
		.cost = score_cost(r->cost.total_cost),
	};
	r->score = score_combine(&r->parts, &in->weights);
	char note[64];
	latency_note(r, note, sizeof(note));
	snprintf(r->against[0], RECOMMEND_AGAINST_LEN, "%sp99 %.6g ms%s against a %.6g ms target (%s)",
		r->queued ? "predicted " : "", p99, note, req->latency_target, req->target_from);
	if (plan != NULL)
		snprintf(r->against[1], RECOMMEND_AGAINST_LEN,
			"peak %.6g events/s is %.3g%% of %.6g events/s (%llu %s%s)", req->peak_rate,
			capacity > 0 ? 100.0 * req->peak_rate / capacity : 0.0, capacity,
			(unsigned long long)plan->units, plan->unit, plan->units == 1 ? "" : "s");
	else
		snprintf(r->against[1], RECOMMEND_AGAINST_LEN,
			"peak %.6g events/s is %.3g%% of %.6g events/s", req->peak_rate,
			capacity > 0 ? 100.0 * req->peak_rate / capacity : 0.0, capacity);
	snprintf(r->against[2], RECOMMEND_AGAINST_LEN, "%s%s, %s%s", cap_durability_name(cap->durability),
		cap->durability == CAP_NONE ? "" : cap->fsync ? " (fsync)" : " (no fsync)",
		consistency_name(cap->guarantee), builtin ? "" : ", measured success rate");
	snprintf(r->against[3], RECOMMEND_AGAINST_LEN, "1 / (1 + cost model total %.4g)",
		r->cost.total_cost);
	eligibility_check(b, p99, r->queued, capacity, req, &r->eligibility);
}

bool recommend_plan_at(const struct recommend_input *in, const struct recommendation *r,
	double factor, struct capacity_plan *out)
{
	if (in->load == NULL)
		return false;
	struct capacity_load load = *in->load;
	if (factor != 1)
		capacity_load_scale(&load, factor);
	capacity_plan(r->backend, &load, metrics_candidate_sizing(r->candidate), in->capacity, out);
	return true;
}

bool recommend_queue(const struct recommend_input *in, const struct recommendation *r,
	const struct capacity_plan *plan, double factor, struct queue_prediction *out)
{
	const struct queue_arrivals *a = in->arrivals;
	if (a == NULL || plan->units == 0)
		return false;
	struct queue_model m = {.units = (double)plan->units,
		.unit_eps = plan->capacity_eps / (double)plan->units, .scale = a->scale * factor,
		.keys = a->keys, .n_keys = a->n_keys};
	return queue_predict(a->counts, a->n, a->bin_s, &m, &r->predicted, out);
}

double recommend_p99(const struct recommendation *r)
{
	return r->queued ? r->queueing.latency_ms[QUEUE_P99] : r->predicted.measured_latency_p99;
}

double recommend_cost_relative(double total, double cheapest)
{
	// An ineligible backend may be cheaper than the cheapest eligible one.
	return fmin(1, (cheapest + CAPACITY_COST_FLOOR_USD) / (total + CAPACITY_COST_FLOOR_USD));
}

// With plans, the cost component relative to the cheapest eligible backend
// (known once all are evaluated).
static void cost_by_dollars(const struct recommend_input *in, struct recommendation *r,
	size_t n)
{
	double cheapest = INFINITY, cheapest_all = INFINITY;
	const char *name = NULL, *name_all = NULL;
	for (size_t i = 0; i < n; i++) {
		double t = r[i].plan.total;
		if (t < cheapest_all) {
			cheapest_all = t;
			name_all = backend_name(r[i].backend);
		}
		if (r[i].eligibility.eligible && t < cheapest) {
			cheapest = t;
			name = backend_name(r[i].backend);
		}
	}
	if (name == NULL) {
		cheapest = cheapest_all;
		name = name_all;
	}
	for (size_t i = 0; i < n; i++) {
		double t = r[i].plan.total;
		r[i].parts.cost = recommend_cost_relative(t, cheapest);
		r[i].score = score_combine(&r[i].parts, &in->weights);
		snprintf(r[i].against[3], RECOMMEND_AGAINST_LEN,
			"$%.2f/month; cheapest $%.2f (%s): ($%.2f + %g) / ($%.2f + %g)", t, cheapest,
			name, cheapest, CAPACITY_COST_FLOOR_USD, t, CAPACITY_COST_FLOOR_USD);
	}
}

void recommend_evaluate(const struct recommend_input *in, const struct metrics_candidate *c,
	struct recommendation *r)
{
	*r = (struct recommendation){.backend = c->backend, .candidate = c};
	if (in->scoring == SCORING_REFERENCE)
		evaluate_reference(in, c, r);
	else
		evaluate_bopt(in, c, r);
}

void recommend_facts(enum bopt_backend b, char facts[RECOMMEND_FACTS][ELIGIBLE_NOTE_LEN])
{
	const struct capability *c = capability_of(b);
	snprintf(facts[0], ELIGIBLE_NOTE_LEN, "durability: %s%s", cap_durability_name(c->durability),
		c->durability == CAP_NONE ? "" : c->fsync ? ", fsync before the acknowledgement" :
		c->fsync_setting ? ", acknowledged before fsync" : ", fsync not documented");
	snprintf(facts[1], ELIGIBLE_NOTE_LEN, "delivery: %s (%s)", consistency_name(c->guarantee),
		c->how);
	snprintf(facts[2], ELIGIBLE_NOTE_LEN, "ordering: per %s", cap_ordering_name(c->ordering));
}

size_t recommend_eligible(const struct recommendation *r, size_t n)
{
	size_t k = 0;
	while (k < n && r[k].eligibility.eligible)
		k++;
	return k;
}

int recommend_compare(const void *a, const void *b)
{
	const struct recommendation *x = a, *y = b;
	if (x->eligibility.eligible != y->eligibility.eligible)
		return x->eligibility.eligible ? -1 : 1;
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
	if (in->scoring == SCORING_BOPT && in->load != NULL)
		cost_by_dollars(in, out, n);
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
	size_t all = n;
	n = recommend_eligible(r, n);
	if (n == 0) {
		snprintf(buf, len, "no backend meets the requirements");
		return;
	}
	char first[METRICS_NAME_MAX], second[METRICS_NAME_MAX];
	recommend_name(&r[0], first, sizeof(first));
	int k = snprintf(buf, len, "%s scores %.4f for a %s workload", first, r[0].score,
		pattern_type_name(p->pattern_type));
	if (k < 0 || (size_t)k >= len)
		return;
	if (n == 1) {
		snprintf(buf + k, len - (size_t)k, all == 1 ? ", the only backend evaluated" :
			", the only eligible backend");
	} else {
		recommend_name(&r[1], second, sizeof(second));
		snprintf(buf + k, len - (size_t)k, ", ahead of %s (%.4f)", second, r[1].score);
	}
}
