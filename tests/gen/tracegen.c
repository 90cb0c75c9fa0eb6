#include "tracegen.h"

#include <math.h>
#include <stdio.h>
#include <string.h>

#include "base/timestamp.h"

static uint64_t splitmix(uint64_t *s)
{
	uint64_t z = (*s += UINT64_C(0x9e3779b97f4a7c15));
	z = (z ^ (z >> 30)) * UINT64_C(0xbf58476d1ce4e5b9);
	z = (z ^ (z >> 27)) * UINT64_C(0x94d049bb133111eb);
	return z ^ (z >> 31);
}

double gen_uniform(struct gen *g)
{
	return (double)(splitmix(&g->rng) >> 11) * 0x1.0p-53;
}

static double exponential(struct gen *g, double mean)
{
	return -log(1.0 - gen_uniform(g)) * mean;
}

void gen_init(struct gen *g, const struct gen_params *p)
{
	*g = (struct gen){.p = *p, .rng = p->seed};
	if (p->process == GEN_ONOFF) {
		g->on = true;
		g->phase_end = exponential(g, p->on_s);
	}
}

static double next_seconds(struct gen *g)
{
	const struct gen_params *p = &g->p;
	if (g->count == 0)
		return 0;
	switch (p->process) {
	case GEN_CONSTANT:
		return (double)g->count / p->rate;
	case GEN_JITTER:
		return g->t + (1 + p->jitter * (2 * gen_uniform(g) - 1)) / p->rate;
	case GEN_POISSON:
		return g->t + exponential(g, 1 / p->rate);
	case GEN_ONOFF: {
		double t = g->t;
		for (;;) {
			if (g->on) {
				double next = t + exponential(g, 1 / p->rate);
				if (next < g->phase_end)
					return next;
				t = g->phase_end;
				g->on = false;
				g->phase_end = t + exponential(g, p->off_s);
			} else {
				t = g->phase_end;
				g->on = true;
				g->phase_end = t + exponential(g, p->on_s);
			}
		}
	}
	case GEN_SINUSOID: {
		// Thinning: candidates at the peak rate, kept with rate(t)/peak.
		double peak = p->rate * (1 + p->amplitude), t = g->t;
		for (;;) {
			t += exponential(g, 1 / peak);
			double r = p->rate * (1 + p->amplitude * sin(2 * M_PI * t / p->period_s));
			if (gen_uniform(g) * peak < r)
				return t;
		}
	}
	case GEN_BATCHES: {
		uint64_t batch = g->count / p->batch_size;
		unsigned i = (unsigned)(g->count % p->batch_size);
		double start = (double)batch * p->period_s;
		return start + (double)i * p->batch_spread_s / p->batch_size;
	}
	}
	return g->t;
}

int64_t gen_next(struct gen *g)
{
	g->t = next_seconds(g);
	g->count++;
	return g->p.start_ns + (int64_t)llround(g->t * 1e9);
}

bool gen_process_parse(const char *s, enum gen_process *out)
{
	static const char *const names[] = {"constant", "jitter", "poisson", "onoff",
		"sinusoid", "batches"};
	for (size_t i = 0; i < sizeof(names) / sizeof(names[0]); i++) {
		if (strcmp(s, names[i]) == 0) {
			*out = (enum gen_process)i;
			return true;
		}
	}
	return false;
}

size_t gen_line(struct gen *g, int64_t t, char *buf)
{
	char ts[BOPT_TS_MAX];
	ts_format(t, ts);
	uint64_t id = splitmix(&g->rng);
	uint64_t r = id % 100;
	unsigned subj = (unsigned)(id >> 40) % 100000, obj = (unsigned)(id >> 20) % 1000;
	char meta[320];
	snprintf(meta, sizeof(meta),
		"\"metadata\":{\"event_id\":\"%08x-%04x-4%03x-a%03x-%012llx\",\"timestamp\":\"%s\","
		"\"source\":\"producer-%u\",\"user\":null,\"context\":null,\"caused_by\":null,"
		"\"version\":\"1.0\",\"properties\":{},\"checksum\":null}",
		(unsigned)(id >> 32), (unsigned)(id >> 16) & 0xffff, (unsigned)(id >> 4) & 0xfff,
		(unsigned)id & 0xfff, (unsigned long long)(id & 0xffffffffffffULL), ts,
		(unsigned)(id % 7));
	int n;
	if (g->p.transactions && r < 4) {
		n = snprintf(buf, GEN_LINE_MAX, "{\"%s\":{\"transaction_id\":\"tx-%u\",%s%s}}\n",
			r < 2 ? "TransactionBegin" : "TransactionCommit", subj,
			r < 2 ? "\"isolation_level\":\"Serializable\"," : "", meta);
	} else if (r < 6) {
		n = snprintf(buf, GEN_LINE_MAX, "{\"Heartbeat\":{\"timestamp\":\"%s\","
			"\"source\":\"node-%u\",%s}}\n", ts, obj % 5, meta);
	} else {
		n = snprintf(buf, GEN_LINE_MAX, "{\"%s\":{\"subject\":\"http://example.org/resource/%u\","
			"\"predicate\":\"http://example.org/vocab#p%u\",\"object\":\"\\\"value %u\\\"\","
			"\"graph\":null,%s}}\n", r < 80 ? "TripleAdded" : "TripleRemoved",
			subj, obj % 50, obj, meta);
	}
	return (size_t)n;
}
