#ifndef BOPT_FUZZ_H
#define BOPT_FUZZ_H

/*
 * Shared by the libFuzzer harnesses. Parsers that read a path get the fuzz
 * input through an anonymous memory file whose /proc/self/fd path they open
 * like any other; the caller owns the file (fuzzfile_close). Checks that
 * find a bug end the process with abort(), which libFuzzer reports.
 */

#include <stddef.h>
#include <stdint.h>

#include "base/types.h"

struct fuzzfile {
	int fd;
	char path[32]; // "/proc/self/fd/N"
};

// Ends the process when the memory file cannot be made (not a finding).
void fuzzfile_open(struct fuzzfile *f, const uint8_t *data, size_t size);
void fuzzfile_close(struct fuzzfile *f);

// Ends the process with a message and abort(): a finding.
void fuzz_fail(const char *what);
// Fails when an input with a NUL byte was accepted: no format bopt reads
// allows one (what names what was accepted).
void fuzz_check_no_nul(const uint8_t *data, size_t size, const char *what);
// Fails unless every number of the performance is finite.
void fuzz_check_performance(const struct bopt_performance *p);

#endif
