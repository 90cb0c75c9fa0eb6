#include "base/input.h"

#include <errno.h>
#include <stdint.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "base/util.h"

#define RAW_BUF (256 * 1024)

static ssize_t read_fd(int fd, void *buf, size_t n)
{
	ssize_t r;
	do
		r = read(fd, buf, n);
	while (r < 0 && errno == EINTR);
	return r;
}

// Refills the raw buffer; false on a read error.
static bool raw_fill(struct bopt_input *in, char *err)
{
	if (in->raw_pos < in->raw_len || in->raw_eof)
		return true;
	ssize_t r = read_fd(in->fd, in->raw, RAW_BUF);
	if (r < 0)
		return bopt_errf(err, "%s: %s", in->name, strerror(errno));
	in->raw_pos = 0;
	in->raw_len = (size_t)r;
	in->raw_consumed += r;
	if (r == 0)
		in->raw_eof = true;
	return true;
}

const char *input_display_name(const char *path)
{
	return strcmp(path, "-") == 0 ? "<stdin>" : path;
}

bool input_open(struct bopt_input *in, const char *path, char *err)
{
	*in = (struct bopt_input){.fd = -1};
	if (strcmp(path, "-") == 0) {
		in->name = input_display_name(path);
		in->fd = STDIN_FILENO;
		in->is_stdin = true;
	} else {
		in->name = path;
		in->fd = open(path, O_RDONLY | O_CLOEXEC);
		if (in->fd < 0)
			return bopt_errf(err, "%s: %s", path, strerror(errno));
	}
	struct stat st;
	if (fstat(in->fd, &st) != 0)
		return bopt_errf(err, "%s: %s", in->name, strerror(errno));
	if (S_ISDIR(st.st_mode))
		return bopt_errf(err, "%s: is a directory", in->name);
	in->regular = S_ISREG(st.st_mode);
	in->size = st.st_size;
	in->raw = xmalloc(RAW_BUF);
	// Peek at the first two bytes for the gzip magic.
	while (in->raw_len < 2 && !in->raw_eof) {
		ssize_t r = read_fd(in->fd, in->raw + in->raw_len, RAW_BUF - in->raw_len);
		if (r < 0)
			return bopt_errf(err, "%s: %s", in->name, strerror(errno));
		if (r == 0)
			in->raw_eof = true;
		in->raw_len += (size_t)r;
		in->raw_consumed += r;
	}
	in->gzip = in->raw_len >= 2 && in->raw[0] == 0x1f && in->raw[1] == 0x8b;
	if (in->gzip) {
		if (inflateInit2(&in->z, 16 + MAX_WBITS) != Z_OK)
			return bopt_errf(err, "%s: cannot start zlib", in->name);
		in->z_ready = true;
	}
	return true;
}

static ssize_t read_gzip(struct bopt_input *in, char *buf, size_t n, char *err)
{
	in->z.next_out = (unsigned char *)buf;
	in->z.avail_out = (uInt)(n > UINT32_MAX ? UINT32_MAX : n);
	while (in->z.avail_out > 0) {
		if (!raw_fill(in, err))
			return -1;
		if (in->raw_pos == in->raw_len) {
			if (!in->z_member_done)
				return bopt_errf(err, "%s: unexpected end of compressed data "
					"(truncated gzip file)", in->name), -1;
			break;
		}
		if (in->z_member_done) {
			// Another gzip member follows (as cat a.gz b.gz makes).
			if (inflateReset(&in->z) != Z_OK)
				return bopt_errf(err, "%s: zlib failure", in->name), -1;
			in->z_member_done = false;
		}
		in->z.next_in = in->raw + in->raw_pos;
		in->z.avail_in = (uInt)(in->raw_len - in->raw_pos);
		int rc = inflate(&in->z, Z_NO_FLUSH);
		in->raw_pos = in->raw_len - in->z.avail_in;
		if (rc == Z_STREAM_END) {
			in->z_member_done = true;
		} else if (rc != Z_OK && rc != Z_BUF_ERROR) {
			return bopt_errf(err, "%s: invalid compressed data%s%s", in->name,
				in->z.msg ? ": " : "", in->z.msg ? in->z.msg : ""), -1;
		}
	}
	return (ssize_t)(n - in->z.avail_out);
}

ssize_t input_read(struct bopt_input *in, char *buf, size_t n, char *err)
{
	if (in->gzip)
		return read_gzip(in, buf, n, err);
	if (in->raw_pos < in->raw_len) {
		size_t k = in->raw_len - in->raw_pos;
		if (k > n)
			k = n;
		memcpy(buf, in->raw + in->raw_pos, k);
		in->raw_pos += k;
		return (ssize_t)k;
	}
	if (in->raw_eof)
		return 0;
	ssize_t r = read_fd(in->fd, buf, n);
	if (r < 0)
		return bopt_errf(err, "%s: %s", in->name, strerror(errno)), -1;
	in->raw_consumed += r;
	return r;
}

void input_close(struct bopt_input *in)
{
	if (in->z_ready)
		inflateEnd(&in->z);
	if (in->fd >= 0 && !in->is_stdin)
		close(in->fd);
	free(in->raw);
	*in = (struct bopt_input){.fd = -1};
}

bool input_slurp(const char *path, size_t max, char **data, size_t *len, char *err)
{
	struct bopt_input in;
	char *buf = NULL;
	size_t n = 0, cap = 0;
	bool ok = false;
	if (!input_open(&in, path, err))
		goto out;
	for (;;) {
		if (cap - n < 65536) {
			cap = cap ? cap * 2 : 65536;
			buf = xrealloc(buf, cap + 1);
		}
		ssize_t r = input_read(&in, buf + n, cap - n, err);
		if (r < 0)
			goto out;
		if (r == 0)
			break;
		n += (size_t)r;
		if (n > max) {
			bopt_errf(err, "%s: larger than %zu MiB", in.name, max >> 20);
			goto out;
		}
	}
	buf[n] = '\0';
	*data = buf;
	*len = n;
	buf = NULL;
	ok = true;
out:
	free(buf);
	input_close(&in);
	return ok;
}

#define LINES_INITIAL_BUF (64 * 1024)

bool input_lines_open(struct input_lines *r, const char *path, size_t max_line, char *err)
{
	*r = (struct input_lines){.max_line = max_line};
	if (!input_open(&r->in, path, err))
		return false;
	r->cap = max_line + 1 < LINES_INITIAL_BUF ? max_line + 1 : LINES_INITIAL_BUF;
	r->buf = xmalloc(r->cap);
	return true;
}

void input_lines_open_memory(struct input_lines *r, const char *name, const char *text,
	size_t len)
{
	// Everything is read: the buffer is only ever read, never refilled.
	*r = (struct input_lines){.in = {.name = name, .fd = -1}, .buf = (char *)text,
		.cap = len, .max_line = len, .have = len, .eof = true, .borrowed = true};
}

int input_lines_next(struct input_lines *r, const char **line, size_t *len, char *err)
{
	for (;;) {
		char *p = r->buf + r->start;
		size_t avail = r->have - r->start;
		char *nl = memchr(p + r->scanned, '\n', avail - r->scanned);
		if (nl != NULL || (r->eof && avail > 0)) {
			size_t n = nl ? (size_t)(nl - p) : avail;
			r->start += nl ? n + 1 : n;
			r->scanned = 0;
			r->line++;
			r->unterminated = nl == NULL;
			if (n > 0 && p[n - 1] == '\r')
				n--;
			*line = p;
			*len = n;
			return 1;
		}
		if (r->eof)
			return 0;
		r->scanned = avail;
		if (avail > r->max_line) {
			bool mib = r->max_line % (1u << 20) == 0;
			return bopt_errf(err, "%s:%llu: line longer than %zu %s", r->in.name,
				(unsigned long long)r->line + 1, mib ? r->max_line >> 20 : r->max_line,
				mib ? "MiB" : "bytes"), -1;
		}
		// Make room: move the partial line to the front, then grow.
		if (r->start > 0) {
			memmove(r->buf, p, avail);
			r->start = 0;
			r->have = avail;
		}
		if (r->have == r->cap) {
			r->cap = r->cap * 2 < r->max_line + 1 ? r->cap * 2 : r->max_line + 1;
			r->buf = xrealloc(r->buf, r->cap);
		}
		ssize_t got = input_read(&r->in, r->buf + r->have, r->cap - r->have, err);
		if (got < 0)
			return -1;
		if (got == 0)
			r->eof = true;
		r->have += (size_t)got;
	}
}

void input_lines_close(struct input_lines *r)
{
	if (!r->borrowed) {
		input_close(&r->in);
		free(r->buf);
	}
	*r = (struct input_lines){.in.fd = -1};
}
