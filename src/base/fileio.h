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
// untouched and err says why. A symbolic link is followed: the file it names
// is replaced and the link kept. Only a regular file (or nothing) is
// replaced. The new file keeps the old one's mode, and its owner and group
// as far as the caller may set them; a new file gets 0666 less the umask.
// SIGINT, SIGTERM and SIGHUP during the write remove the temporary file.
bool file_replace_atomic(const char *path, const void *data, size_t len, char *err);

// The file file_replace_atomic(path) would replace: path, or the file a
// symbolic link names; *exists says whether it exists. NULL with err set
// when it exists and is not a regular file, or the link cannot be followed.
// The caller frees the result.
char *file_replace_target(const char *path, bool *exists, char *err);

// Takes an exclusive flock(2) on the directory holding path, for a
// read-modify-write of a file replaced by file_replace_atomic (whose inode
// changes, so that a lock on the file itself would not hold). Returns the
// descriptor to pass to file_unlock, or -1 with err set.
int file_lock_dir(const char *path, char *err);
void file_unlock(int fd);

// Appends len bytes (one or more whole lines) to path, creating it (0644)
// when missing; concurrent appenders never interleave. The lines are JSON
// values (NDJSON): a file that ends without a newline, where an appender
// was killed mid-write, first has that remnant cut off (or, when it is a
// whole JSON value, its newline added).
// Whether path names the file open as standard output.
bool file_is_stdout(const char *path);

// A file that is not regular (a pipe, a terminal, a device) is written to
// as it is, without lock, mending or fsync.
bool file_append_locked(const char *path, const void *data, size_t len, char *err);

// Says whether the first line of an existing file (without its newline)
// belongs in the file appended to; false with a reason in why.
typedef bool (*file_head_check)(const char *line, size_t len, char *why);
// file_append_locked, refusing (under the lock) a non-empty regular file
// whose first line check refuses.
bool file_append_checked(const char *path, const void *data, size_t len,
	file_head_check check, char *err);

// Compresses data as one gzip member (no name, no time: the same bytes every
// time). The caller frees *out.
bool gzip_member(const char *data, size_t len, char **out, size_t *out_len, char *err);

#endif
