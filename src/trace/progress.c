#include "trace/progress.h"

#include <stddef.h>

// Redraw interval and the delay before the first drawing, in seconds.
#define PROGRESS_INTERVAL 0.25
#define PROGRESS_DELAY 0.5

static double since(const struct timespec *a, const struct timespec *b)
{
	return (double)(b->tv_sec - a->tv_sec) + (double)(b->tv_nsec - a->tv_nsec) / 1e9;
}

void progress_begin(struct progress *p, const struct progress_sink *sink, const char *name,
	uint64_t total)
{
	*p = (struct progress){.sink = sink, .name = name, .total = total};
	if (sink != NULL) {
		clock_gettime(CLOCK_MONOTONIC, &p->start);
		p->last = p->start;
	}
}

void progress_update(struct progress *p, uint64_t done)
{
	if (p->sink == NULL)
		return;
	struct timespec now;
	clock_gettime(CLOCK_MONOTONIC, &now);
	double elapsed = since(&p->start, &now);
	if (elapsed < PROGRESS_DELAY || since(&p->last, &now) < PROGRESS_INTERVAL)
		return;
	p->last = now;
	p->sink->draw(p->name, done, p->total, elapsed);
	p->drawn = true;
}

void progress_end(struct progress *p)
{
	if (p->drawn)
		p->sink->clear();
	p->drawn = false;
}
