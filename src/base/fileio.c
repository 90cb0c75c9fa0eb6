#include "base/fileio.h"

#include <errno.h>
#include <fcntl.h>
#include <libgen.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>
#include <zlib.h>

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

char *file_replace_target(const char *path, bool *exists, char *err)
{
	struct stat st;
	*exists = false;
	if (lstat(path, &st) != 0) {
		if (errno == ENOENT)
			return xstrdup(path);
		bopt_errf(err, "%s: %s", path, strerror(errno));
		return NULL;
	}
	bool link = S_ISLNK(st.st_mode);
	if (link && stat(path, &st) != 0) {
		bopt_errf(err, "%s: cannot follow the symbolic link: %s", path, strerror(errno));
		return NULL;
	}
	if (!S_ISREG(st.st_mode)) {
		bopt_errf(err, "%s: not a regular file; bopt replaces only regular files", path);
		return NULL;
	}
	// A link: replace the file it names and keep the link.
	char *target = link ? realpath(path, NULL) : NULL;
	if (link && target == NULL) {
		bopt_errf(err, "%s: cannot follow the symbolic link: %s", path, strerror(errno));
		return NULL;
	}
	*exists = true;
	return target ? target : xstrdup(path);
}

int file_lock_dir(const char *path, char *err)
{
	char *copy = xstrdup(path);
	const char *dir = dirname(copy);
	int fd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	int rc = -1;
	if (fd >= 0) {
		do
			rc = flock(fd, LOCK_EX);
		while (rc != 0 && errno == EINTR);
	}
	if (rc != 0) {
		bopt_errf(err, "%s: cannot lock the directory %s: %s", path, dir, strerror(errno));
		if (fd >= 0)
			close(fd);
		fd = -1;
	}
	free(copy);
	return fd;
}

void file_unlock(int fd)
{
	if (fd >= 0)
		close(fd);
}

// The temporary file of the replacement in progress, removed by
// cleanup_signal when SIGINT, SIGTERM or SIGHUP ends the process.
static const int cleanup_signals[] = {SIGINT, SIGTERM, SIGHUP};
#define CLEANUP_SIGNAL_COUNT (sizeof(cleanup_signals) / sizeof(cleanup_signals[0]))
static char *volatile cleanup_path;

static void cleanup_signal(int sig)
{
	char *tmp = cleanup_path;
	if (tmp != NULL)
		unlink(tmp);
	signal(sig, SIG_DFL);
	raise(sig);
}

static void cleanup_arm(char *tmp, struct sigaction old[CLEANUP_SIGNAL_COUNT])
{
	struct sigaction sa = {.sa_handler = cleanup_signal};
	sigemptyset(&sa.sa_mask);
	cleanup_path = tmp;
	for (size_t i = 0; i < CLEANUP_SIGNAL_COUNT; i++) {
		sigaction(cleanup_signals[i], NULL, &old[i]);
		// A signal ignored by whoever started bopt stays ignored.
		if (old[i].sa_handler != SIG_IGN)
			sigaction(cleanup_signals[i], &sa, NULL);
	}
}

static void cleanup_disarm(const struct sigaction old[CLEANUP_SIGNAL_COUNT])
{
	for (size_t i = 0; i < CLEANUP_SIGNAL_COUNT; i++)
		sigaction(cleanup_signals[i], &old[i], NULL);
	cleanup_path = NULL;
}

// The mode of a new file: 0666 less the umask, as open(2) would give it.
static mode_t new_file_mode(void)
{
	mode_t mask = umask(0);
	umask(mask);
	return 0666 & ~mask;
}

// Gives the file open on fd the owner and group of st, or failing that the
// group; when neither is permitted the file stays the caller's, as any
// editor's would.
static void keep_owner(int fd, const struct stat *st)
{
	if (st->st_uid == geteuid() && st->st_gid == getegid())
		return;
	if (fchown(fd, st->st_uid, st->st_gid) == 0)
		return;
	if (fchown(fd, (uid_t)-1, st->st_gid) != 0)
		return;
}

bool file_replace_atomic(const char *path, const void *data, size_t len, char *err)
{
	bool exists, ok = false;
	char *target = file_replace_target(path, &exists, err);
	if (target == NULL)
		return false;
	size_t n = strlen(target) + 16;
	char *tmp = xmalloc(n);
	snprintf(tmp, n, "%s.XXXXXX", target);
	struct sigaction old[CLEANUP_SIGNAL_COUNT];
	sigset_t block, saved;
	sigemptyset(&block);
	for (size_t i = 0; i < CLEANUP_SIGNAL_COUNT; i++)
		sigaddset(&block, cleanup_signals[i]);
	// No signal between creating the temporary file and arming its cleanup.
	sigprocmask(SIG_BLOCK, &block, &saved);
	int fd = mkstemp(tmp);
	if (fd >= 0)
		cleanup_arm(tmp, old);
	sigprocmask(SIG_SETMASK, &saved, NULL);
	if (fd < 0) {
		bopt_errf(err, "%s: cannot create a temporary file: %s", target, strerror(errno));
		goto out;
	}
	// An existing file keeps its mode, owner and group (the owner when the
	// caller may set it: root); a new one gets 0666 less the umask.
	struct stat st;
	mode_t mode = new_file_mode();
	if (exists && stat(target, &st) == 0) {
		mode = st.st_mode & 07777;
		keep_owner(fd, &st);
	}
	if (fchmod(fd, mode) != 0 || !write_all(fd, data, len) || fsync(fd) != 0) {
		bopt_errf(err, "%s: %s", tmp, strerror(errno));
		close(fd);
		unlink(tmp);
		goto disarm;
	}
	if (close(fd) != 0 || rename(tmp, target) != 0) {
		bopt_errf(err, "%s: %s", target, strerror(errno));
		unlink(tmp);
		goto disarm;
	}
	fsync_dir_of(target);
	ok = true;
disarm:
	cleanup_disarm(old);
out:
	free(tmp);
	free(target);
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
	// A blank remnant (a lone "\r" of a CRLF line cut short) ends with a
	// newline like a whole value.
	bool whole = js_at_end(&scan) || (js_skip_value(&scan) && js_at_end(&scan));
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

// The first line of the file (up to TAIL_MAX bytes) passed to check.
static bool check_head(int fd, const char *path, off_t size, file_head_check check,
	char *err)
{
	char *buf = NULL;
	size_t len = 0;
	bool ok = false;
	char why[BOPT_ERR_MAX];
	for (;;) {
		size_t n = size - (off_t)len < TAIL_CHUNK ? (size_t)(size - (off_t)len) : TAIL_CHUNK;
		buf = xrealloc(buf, len + n + 1);
		if (!read_at(fd, buf + len, n, (off_t)len)) {
			bopt_errf(err, "%s: %s", path, strerror(errno));
			goto out;
		}
		char *nl = memchr(buf + len, '\n', n);
		len += n;
		if (nl != NULL) {
			len = (size_t)(nl - buf);
			break;
		}
		if ((off_t)len == size)
			break;
		if (len > TAIL_MAX) {
			bopt_errf(err, "%s: not appending: line 1 is longer than %u MiB", path,
				TAIL_MAX >> 20);
			goto out;
		}
	}
	ok = check(buf, len, why);
	if (!ok)
		bopt_errf(err, "%s: not appending: %s", path, why);
out:
	free(buf);
	return ok;
}

bool file_is_stdout(const char *path)
{
	struct stat a, b;
	return stat(path, &a) == 0 && fstat(STDOUT_FILENO, &b) == 0 && a.st_dev == b.st_dev &&
		a.st_ino == b.st_ino;
}

bool file_append_locked(const char *path, const void *data, size_t len, char *err)
{
	return file_append_checked(path, data, len, NULL, err);
}

bool file_append_checked(const char *path, const void *data, size_t len,
	file_head_check check, char *err)
{
	int fd = open(path, O_RDWR | O_APPEND | O_CREAT | O_CLOEXEC, 0644);
	if (fd < 0)
		return bopt_errf(err, "%s: %s", path, strerror(errno));
	bool ok = false;
	struct stat st;
	if (fstat(fd, &st) != 0) {
		bopt_errf(err, "%s: %s", path, strerror(errno));
		goto out;
	}
	// A pipe, a terminal or a device (--record /dev/stdout) takes the record
	// as it is: there is nothing to lock, mend, check or sync.
	bool regular = S_ISREG(st.st_mode);
	int rc = 0;
	while (regular && (rc = flock(fd, LOCK_EX)) != 0 && errno == EINTR)
		;
	if (rc != 0) {
		bopt_errf(err, "%s: cannot lock: %s", path, strerror(errno));
		goto out;
	}
	// One write(2) of the whole record; O_APPEND puts it at the end. A
	// short write (a full disk) is cut back off, so no partial line stays.
	// The size is taken again under the lock.
	if (regular && fstat(fd, &st) != 0) {
		bopt_errf(err, "%s: %s", path, strerror(errno));
		goto out;
	}
	if (regular && !mend_tail(fd, path, &st.st_size, err))
		goto out;
	if (regular && check != NULL && st.st_size > 0 &&
			!check_head(fd, path, st.st_size, check, err))
		goto out;
	ssize_t w;
	do
		w = write(fd, data, len);
	while (w < 0 && errno == EINTR);
	if (w < 0 || (size_t)w != len) {
		bopt_errf(err, "%s: %s", path, w < 0 ? strerror(errno) : "short write");
		if (regular && w > 0 && ftruncate(fd, st.st_size) != 0)
			bopt_warn("%s: cannot undo a partial write: %s", path, strerror(errno));
		goto out;
	}
	if (regular && fsync(fd) != 0) {
		bopt_errf(err, "%s: %s", path, strerror(errno));
		goto out;
	}
	ok = true;
out:
	close(fd); // releases the lock
	return ok;
}

bool gzip_member(const char *data, size_t len, char **out, size_t *out_len, char *err)
{
	z_stream z = {0};
	if (deflateInit2(&z, Z_BEST_COMPRESSION, Z_DEFLATED, 15 + 16, 8, Z_DEFAULT_STRATEGY) != Z_OK)
		return bopt_errf(err, "cannot start gzip compression");
	size_t cap = deflateBound(&z, (uLong)len);
	*out = xmalloc(cap);
	z.next_in = (Bytef *)data;
	z.avail_in = (uInt)len;
	z.next_out = (Bytef *)*out;
	z.avail_out = (uInt)cap;
	int rc = deflate(&z, Z_FINISH);
	*out_len = z.total_out;
	deflateEnd(&z);
	if (rc != Z_STREAM_END) {
		free(*out);
		*out = NULL;
		return bopt_errf(err, "gzip compression failed");
	}
	return true;
}
