#include "fileio.h"

#include <errno.h>
#include <fcntl.h>
#include <libgen.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

#include "util.h"

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

bool file_append_locked(const char *path, const void *data, size_t len, char *err)
{
	int fd = open(path, O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC, 0644);
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
