#include "trace/progress.h"

#include <stdio.h>

// Redraw interval and the delay before the first drawing, in seconds.
#define PROGRESS_INTERVAL 0.25
#define PROGRESS_DELAY 0.5

static double since(const struct timespec *a, const struct timespec *b)
{
	return (double)(b->tv_sec - a->tv_sec) + (double)(b->tv_nsec - a->tv_nsec) / 1e9;
}

void progress_begin(struct progress *p, bool enabled, const char *name, uint64_t total)
{
	*p = (struct progress){.enabled = enabled, .name = name, .total = total};
	if (enabled) {
		clock_gettime(CLOCK_MONOTONIC, &p->start);
		p->last = p->start;
	}
}

void progress_update(struct progress *p, uint64_t done)
{
	if (!p->enabled)
		return;
	struct timespec now;
	clock_gettime(CLOCK_MONOTONIC, &now);
	double elapsed = since(&p->start, &now);
	if (elapsed < PROGRESS_DELAY || since(&p->last, &now) < PROGRESS_INTERVAL)
		return;
	p->last = now;
	double mib = (double)done / (1 << 20), rate = mib / elapsed;
	if (p->total > 0) {
		double total = (double)p->total / (1 << 20);
		double eta = rate > 0 ? (total - mib) / rate : 0;
		fprintf(stderr, "\rbopt: %s: %.0f of %.0f MiB (%.0f%%), %.0f MiB/s, ETA %.0f s\033[K",
			p->name, mib, total, 100 * mib / (total > 0 ? total : 1), rate, eta);
	} else {
		fprintf(stderr, "\rbopt: %s: %.0f MiB, %.0f MiB/s\033[K", p->name, mib, rate);
	}
	fflush(stderr);
	p->drawn = true;
}

void progress_end(struct progress *p)
{
	if (p->drawn) {
		fputs("\r\033[K", stderr);
		fflush(stderr);
	}
	p->drawn = false;
}
