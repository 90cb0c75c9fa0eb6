#include "base/fileio.h"

#include <errno.h>
#include <fcntl.h>
#include <libgen.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

#include "base/jsonscan.h"
#include "base/util.h"

static bool write_all(int fd, const char *p, size_t len)
{
	while (len > 0) {
		ssize_t w = write(fd, p, len);
		if (w < 0) {
			if (errno == EINTR)
				continue;
			return false;
		}
		p += w;
		len -= (size_t)w;
	}
	return true;
}

static void fsync_dir_of(const char *path)
{
	char *copy = xstrdup(path);
	int fd = open(dirname(copy), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (fd >= 0) {
		fsync(fd);
		close(fd);
	}
	free(copy);
}

bool file_replace_atomic(const char *path, const void *data, size_t len, char *err)
{
	size_t n = strlen(path) + 16;
	char *tmp = xmalloc(n);
	snprintf(tmp, n, "%s.XXXXXX", path);
	bool ok = false;
	int fd = mkstemp(tmp);
	if (fd < 0) {
		bopt_errf(err, "%s: cannot create a temporary file: %s", path, strerror(errno));
		goto out;
	}
	// Keep the mode of the file being replaced, else 0644.
	struct stat st;
	mode_t mode = stat(path, &st) == 0 ? st.st_mode & 07777 : 0644;
	if (fchmod(fd, mode) != 0 || !write_all(fd, data, len) || fsync(fd) != 0) {
		bopt_errf(err, "%s: %s", tmp, strerror(errno));
		close(fd);
		unlink(tmp);
		goto out;
	}
	if (close(fd) != 0 || rename(tmp, path) != 0) {
		bopt_errf(err, "%s: %s", path, strerror(errno));
		unlink(tmp);
		goto out;
	}
	fsync_dir_of(path);
	ok = true;
out:
	free(tmp);
	return ok;
}

// Reads len bytes at off; false on a read error or a short file.
static bool read_at(int fd, char *buf, size_t len, off_t off)
{
	while (len > 0) {
		ssize_t r = pread(fd, buf, len, off);
		if (r < 0 && errno == EINTR)
			continue;
		if (r <= 0)
			return false;
		buf += r;
		len -= (size_t)r;
		off += r;
	}
	return true;
}

// Bytes read at a time, from the end, looking for the last newline.
#define TAIL_CHUNK 65536
// The longest unfinished last line mend_tail looks at.
#define TAIL_MAX (16u << 20)

// Mends the end of a file that appenders write whole NDJSON lines to.
// SIGKILL can cut a write(2) short between pages, leaving the start of a
// JSON value and no newline: that remnant is cut off. A last line that is a
// whole value (written without its newline) gets its newline. Anything else
// is not touched, and the append is refused. *size is the file's size,
// updated.
static bool mend_tail(int fd, const char *path, off_t *size, char *err)
{
	char c;
	if (*size == 0)
		return true;
	if (!read_at(fd, &c, 1, *size - 1))
		return bopt_errf(err, "%s: %s", path, strerror(errno));
	if (c == '\n')
		return true;
	// Where the last line starts: after the last newline, or at 0.
	char *buf = xmalloc(TAIL_CHUNK);
	off_t start = *size;
	bool found = false, ok = false;
	while (start > 0 && !found && *size - start <= (off_t)TAIL_MAX) {
		size_t n = start < TAIL_CHUNK ? (size_t)start : TAIL_CHUNK;
		if (!read_at(fd, buf, n, start - (off_t)n)) {
			bopt_errf(err, "%s: %s", path, strerror(errno));
			goto out;
		}
		size_t i = n;
		while (i > 0 && buf[i - 1] != '\n')
			i--;
		start -= (off_t)(n - i);
		found = i > 0;
	}
	size_t tail_len = (size_t)(*size - start);
	if (tail_len > TAIL_MAX) {
		bopt_errf(err, "%s: ends in an unfinished line longer than %u MiB; not appending",
			path, TAIL_MAX >> 20);
		goto out;
	}
	buf = xrealloc(buf, tail_len);
	if (!read_at(fd, buf, tail_len, start)) {
		bopt_errf(err, "%s: %s", path, strerror(errno));
		goto out;
	}
	struct js scan;
	js_init(&scan, buf, tail_len);
	bool whole = js_skip_value(&scan) && js_at_end(&scan);
	if (whole) {
		ok = write(fd, "\n", 1) == 1;
		*size += ok;
	} else if (js_is_cut(buf, tail_len)) {
		ok = ftruncate(fd, start) == 0;
		if (ok)
			*size = start;
	} else {
		bopt_errf(err, "%s: ends in an unfinished line that is not JSON; not appending", path);
		goto out;
	}
	if (!ok)
		bopt_errf(err, "%s: cannot mend the unfinished last line: %s", path, strerror(errno));
out:
	free(buf);
	return ok;
}

bool file_append_locked(const char *path, const void *data, size_t len, char *err)
{
	int fd = open(path, O_RDWR | O_APPEND | O_CREAT | O_CLOEXEC, 0644);
	if (fd < 0)
		return bopt_errf(err, "%s: %s", path, strerror(errno));
	bool ok = false;
	int rc;
	do
		rc = flock(fd, LOCK_EX);
	while (rc != 0 && errno == EINTR);
	if (rc != 0) {
		bopt_errf(err, "%s: cannot lock: %s", path, strerror(errno));
		goto out;
	}
	// One write(2) of the whole record; O_APPEND puts it at the end. A
	// short write (a full disk) is cut back off, so no partial line stays.
	struct stat st;
	if (fstat(fd, &st) != 0) {
		bopt_errf(err, "%s: %s", path, strerror(errno));
		goto out;
	}
	if (!mend_tail(fd, path, &st.st_size, err))
		goto out;
	ssize_t w;
	do
		w = write(fd, data, len);
	while (w < 0 && errno == EINTR);
	if (w < 0 || (size_t)w != len) {
		bopt_errf(err, "%s: %s", path, w < 0 ? strerror(errno) : "short write");
		if (w > 0 && ftruncate(fd, st.st_size) != 0)
			bopt_warn("%s: cannot undo a partial write: %s", path, strerror(errno));
		goto out;
	}
	if (fsync(fd) != 0) {
		bopt_errf(err, "%s: %s", path, strerror(errno));
		goto out;
	}
	ok = true;
out:
	close(fd); // releases the lock
	return ok;
}
