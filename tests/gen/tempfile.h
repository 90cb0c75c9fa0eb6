#ifndef BOPT_TEST_TEMPFILE_H
#define BOPT_TEST_TEMPFILE_H

/*
 * Temporary files for tests: a new file in /tmp holding the given bytes, and
 * a whole file read back. Both end the process on failure. The caller frees
 * the returned path or data (and unlinks the file).
 */

#include <stddef.h>

char *temp_file_with(const char *data, size_t len);
char *slurp_file(const char *path, size_t *len);

// A string literal and its length, NUL bytes included.
#define S(lit) (lit), (sizeof(lit) - 1)

#endif
