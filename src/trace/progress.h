#ifndef BOPT_PROGRESS_H
#define BOPT_PROGRESS_H

/*
 * Progress of long reads: bytes done of a total (when known), reported to a
 * sink that the program provides (cli/diag.c draws a line on standard
 * error) at most a few times a second, and cleared at the end. With no sink
 * nothing is reported. Plain data, nothing to free.
 */

#include <stdbool.h>
#include <stdint.h>
#include <time.h>

struct progress_sink {
	// done and total (0 when unknown) in bytes, elapsed in seconds.
	void (*draw)(const char *name, uint64_t done, uint64_t total, double elapsed);
	// Removes what draw showed.
	void (*clear)(void);
};

struct progress {
	const struct progress_sink *sink;
	const char *name;
	uint64_t total; // bytes, 0 when unknown
	struct timespec start, last;
	bool drawn;
};

void progress_begin(struct progress *p, const struct progress_sink *sink, const char *name,
	uint64_t total);
void progress_update(struct progress *p, uint64_t done);
void progress_end(struct progress *p);

#endif
