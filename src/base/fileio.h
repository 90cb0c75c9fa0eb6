#ifndef BOPT_FILEIO_H
#define BOPT_FILEIO_H

/*
 * Writing files without ever leaving one half-written: whole-file
 * replacement through a temporary file in the same directory (write, fsync,
 * rename, fsync of the directory), and appends of one record with a single
 * write(2) under an exclusive flock(2). The caller keeps ownership of data.
 */

#include <stdbool.h>
#include <stddef.h>

// Replaces path with exactly len bytes of data; on failure the old file is
// untouched and err says why.
bool file_replace_atomic(const char *path, const void *data, size_t len, char *err);

// Appends len bytes (one or more whole lines) to path, creating it (0644)
// when missing; concurrent appenders never interleave. The lines are JSON
// values (NDJSON): a file that ends without a newline, where an appender
// was killed mid-write, first has that remnant cut off (or, when it is a
// whole JSON value, its newline added).
bool file_append_locked(const char *path, const void *data, size_t len, char *err);

#endif
