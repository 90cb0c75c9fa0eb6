#ifndef BOPT_PROGRESS_H
#define BOPT_PROGRESS_H

/*
 * A progress line on standard error for long reads: bytes done, the
 * percentage and ETA when the total is known, and the throughput. Drawn at
 * most a few times a second and erased at the end; a disabled progress
 * prints nothing. Plain data, nothing to free.
 */

#include <stdbool.h>
#include <stdint.h>
#include <time.h>

struct progress {
	bool enabled;
	const char *name;
	uint64_t total; // bytes, 0 when unknown
	struct timespec start, last;
	bool drawn;
};

void progress_begin(struct progress *p, bool enabled, const char *name, uint64_t total);
void progress_update(struct progress *p, uint64_t done);
void progress_end(struct progress *p);

#endif
