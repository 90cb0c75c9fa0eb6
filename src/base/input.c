// F_SETPIPE_SZ is Linux's.
#define _GNU_SOURCE
#include "base/input.h"

#include <errno.h>
#include <stdint.h>
#include <fcntl.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "base/util.h"

#ifdef BOPT_HAVE_ISAL
#include <isa-l/igzip_lib.h>
#else
#include <zlib.h>
#endif

#define RAW_BUF (256 * 1024)
// What bopt asks of a pipe's buffer (Linux's default upper bound for users):
// a reader that keeps up drains a writer in fewer, larger reads.
#define PIPE_BUF_WANTED (1 << 20)

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

/* Inflating: isa-l or zlib behind one step function. */

struct inflater {
#ifdef BOPT_HAVE_ISAL
	struct inflate_state st;
#else
	z_stream z;
#endif
};

static struct inflater *inflater_new(const char *name, char *err)
{
	struct inflater *f = xcalloc(1, sizeof(*f));
#ifdef BOPT_HAVE_ISAL
	(void)name;
	(void)err;
	isal_inflate_init(&f->st);
	f->st.crc_flag = ISAL_GZIP;
#else
	if (inflateInit2(&f->z, 16 + MAX_WBITS) != Z_OK) {
		free(f);
		bopt_errf(err, "%s: cannot start zlib", name);
		return NULL;
	}
#endif
	return f;
}

static void inflater_end(struct inflater *f)
{
#ifndef BOPT_HAVE_ISAL
	if (f != NULL)
		inflateEnd(&f->z);
#endif
	free(f);
}

static void inflater_reset(struct inflater *f)
{
#ifdef BOPT_HAVE_ISAL
	isal_inflate_reset(&f->st);
	f->st.crc_flag = ISAL_GZIP;
#else
	inflateReset(&f->z);
#endif
}

#ifdef BOPT_HAVE_ISAL
static const char *isal_reason(int rc)
{
	switch (rc) {
	case ISAL_INVALID_BLOCK: return "invalid block type";
	case ISAL_INVALID_SYMBOL: return "invalid code";
	case ISAL_INVALID_LOOKBACK: return "invalid distance too far back";
	case ISAL_INVALID_WRAPPER: return "incorrect header check";
	case ISAL_UNSUPPORTED_METHOD: return "unknown compression method";
	case ISAL_INCORRECT_CHECKSUM: return "incorrect data check";
	case ISAL_NEED_DICT: return "needs a dictionary";
	default: return "inflate failure";
	}
}
#endif

// Inflates from *next_in (*avail_in bytes) into *next_out (*avail_out), moving
// all four on; *end is set when the member (its trailer checked) is done.
static bool inflater_step(struct inflater *f, const char *name, unsigned char **next_in,
	size_t *avail_in, unsigned char **next_out, size_t *avail_out, bool *end, char *err)
{
	size_t in_n = *avail_in > UINT32_MAX ? UINT32_MAX : *avail_in;
	size_t out_n = *avail_out > UINT32_MAX ? UINT32_MAX : *avail_out;
#ifdef BOPT_HAVE_ISAL
	struct inflate_state *st = &f->st;
	st->next_in = *next_in;
	st->avail_in = (uint32_t)in_n;
	st->next_out = *next_out;
	st->avail_out = (uint32_t)out_n;
	int rc = isal_inflate(st);
	size_t left_in = st->avail_in, left_out = st->avail_out;
	*end = st->block_state == ISAL_BLOCK_FINISH;
	const char *reason = rc < 0 || rc == ISAL_NEED_DICT ? isal_reason(rc) : NULL;
#else
	z_stream *z = &f->z;
	z->next_in = *next_in;
	z->avail_in = (uInt)in_n;
	z->next_out = *next_out;
	z->avail_out = (uInt)out_n;
	int rc = inflate(z, Z_NO_FLUSH);
	size_t left_in = z->avail_in, left_out = z->avail_out;
	*end = rc == Z_STREAM_END;
	const char *reason = rc != Z_OK && rc != Z_BUF_ERROR && rc != Z_STREAM_END ?
		(z->msg ? z->msg : "zlib failure") : NULL;
#endif
	*next_in += in_n - left_in;
	*avail_in -= in_n - left_in;
	*next_out += out_n - left_out;
	*avail_out -= out_n - left_out;
	if (reason != NULL)
		return bopt_errf(err, "%s: invalid compressed data: %s", name, reason);
	return true;
}

/* BGZF (bgzip's gzip): every member is at most 64 KiB, inflated and raw,
   and names its own size in an extra field (BC, BSIZE), so members can be
   cut from the stream without inflating them and inflated on several
   threads. This thread reads and queues members in order; the threads
   inflate them; input_read hands their output on in order. A member that
   is not a whole BGZF block (a plain gzip member appended, a cut end,
   trailing text) ends the parallel part: from it on, the stream is read as
   any other gzip data. Plain multi-member gzip has no such sizes (a member
   ends where its deflate data ends, known only by inflating it), so it is
   inflated on one thread. */

#define BGZF_MAX (64 * 1024)
#define BGZF_HEADER 18   // the fixed header with the BC subfield
#define BGZF_SLOTS 16    // members queued or inflated ahead of the reader
#define BGZF_MAX_THREADS 4

// The size of the BGZF member starting at p (n bytes available), or 0 when
// what is there is not the header of one.
static size_t bgzf_member_size(const unsigned char *p, size_t n)
{
	if (n < BGZF_HEADER || p[0] != 0x1f || p[1] != 0x8b || p[2] != 8 || !(p[3] & 4))
		return 0;
	size_t xlen = (size_t)p[10] | (size_t)p[11] << 8;
	if (n < 12 + xlen)
		return 0;
	for (size_t i = 12; i + 4 <= 12 + xlen;) {
		size_t slen = (size_t)p[i + 2] | (size_t)p[i + 3] << 8;
		if (p[i] == 'B' && p[i + 1] == 'C' && slen == 2 && i + 6 <= 12 + xlen) {
			size_t size = ((size_t)p[i + 4] | (size_t)p[i + 5] << 8) + 1;
			return size >= 12 + xlen + 8 ? size : 0; // room for the trailer
		}
		i += 4 + slen;
	}
	return 0;
}

enum bgzf_state { BGZF_FREE, BGZF_QUEUED, BGZF_INFLATING, BGZF_DONE };

struct bgzf_slot {
	enum bgzf_state state;
	unsigned char in[BGZF_MAX];
	size_t in_len;
	char out[BGZF_MAX];
	size_t out_len, out_pos;
	bool failed;
	char error[BOPT_ERR_MAX];
};

struct bgzf {
	const char *name;
	pthread_t threads[BGZF_MAX_THREADS];
	int nthreads;
	pthread_mutex_t lock;
	pthread_cond_t changed;
	struct bgzf_slot *slots; // member seq at seq % BGZF_SLOTS
	// Under lock:
	uint64_t next_inflate; // the next member a thread takes
	bool stop;
	// The reading thread's own:
	uint64_t next_queue, next_out;
	bool tail; // the next member is not BGZF: read the rest one by one
};

// Inflates one whole member into its slot.
static void bgzf_inflate(struct inflater *f, const char *name, struct bgzf_slot *s)
{
	inflater_reset(f);
	unsigned char *next_in = s->in, *next_out = (unsigned char *)s->out;
	size_t avail_in = s->in_len, avail_out = sizeof(s->out);
	bool end = false;
	s->failed = !inflater_step(f, name, &next_in, &avail_in, &next_out, &avail_out, &end,
		s->error);
	if (!s->failed && (!end || avail_in != 0)) {
		s->failed = true;
		bopt_errf(s->error, "%s: invalid compressed data: BGZF block %s", name,
			end ? "longer than its deflate data" : "inflates past 64 KiB or ends early");
	}
	s->out_len = sizeof(s->out) - avail_out;
	s->out_pos = 0;
}

static void *bgzf_run(void *arg)
{
	struct bgzf *b = arg;
	char err[BOPT_ERR_MAX];
	struct inflater *f = inflater_new(b->name, err);
	pthread_mutex_lock(&b->lock);
	for (;;) {
		struct bgzf_slot *s = &b->slots[b->next_inflate % BGZF_SLOTS];
		while (!b->stop && s->state != BGZF_QUEUED) {
			pthread_cond_wait(&b->changed, &b->lock);
			s = &b->slots[b->next_inflate % BGZF_SLOTS];
		}
		if (b->stop)
			break;
		s->state = BGZF_INFLATING;
		b->next_inflate++;
		pthread_mutex_unlock(&b->lock);
		if (f != NULL) {
			bgzf_inflate(f, b->name, s);
		} else {
			s->failed = true;
			memcpy(s->error, err, sizeof(err));
		}
		pthread_mutex_lock(&b->lock);
		s->state = BGZF_DONE;
		pthread_cond_broadcast(&b->changed);
	}
	pthread_mutex_unlock(&b->lock);
	inflater_end(f);
	return NULL;
}

static void bgzf_end(struct bgzf *b)
{
	if (b == NULL)
		return;
	pthread_mutex_lock(&b->lock);
	b->stop = true;
	pthread_cond_broadcast(&b->changed);
	pthread_mutex_unlock(&b->lock);
	for (int i = 0; i < b->nthreads; i++)
		pthread_join(b->threads[i], NULL);
	pthread_cond_destroy(&b->changed);
	pthread_mutex_destroy(&b->lock);
	free(b->slots);
	free(b);
}

// Starts the inflating threads, one per processor (at most
// BGZF_MAX_THREADS); NULL where none could be made (then the input is read
// on one thread).
static struct bgzf *bgzf_start(const char *name)
{
	struct bgzf *b = xcalloc(1, sizeof(*b));
	b->name = name;
	b->slots = xcalloc(BGZF_SLOTS, sizeof(*b->slots));
	pthread_mutex_init(&b->lock, NULL);
	pthread_cond_init(&b->changed, NULL);
	long n = sysconf(_SC_NPROCESSORS_ONLN);
	n = n < 1 ? 1 : n > BGZF_MAX_THREADS ? BGZF_MAX_THREADS : n;
	while (b->nthreads < n && pthread_create(&b->threads[b->nthreads], NULL, bgzf_run, b) == 0)
		b->nthreads++;
	if (b->nthreads == 0) {
		bgzf_end(b);
		return NULL;
	}
	return b;
}

// Makes the raw buffer hold n unread bytes, or all that is left; false on a
// read error.
static bool raw_peek(struct bopt_input *in, size_t n, char *err)
{
	if (in->raw_len - in->raw_pos >= n || in->raw_eof)
		return true;
	memmove(in->raw, in->raw + in->raw_pos, in->raw_len - in->raw_pos);
	in->raw_len -= in->raw_pos;
	in->raw_pos = 0;
	while (in->raw_len < n && !in->raw_eof) {
		ssize_t r = read_fd(in->fd, in->raw + in->raw_len, RAW_BUF - in->raw_len);
		if (r < 0)
			return bopt_errf(err, "%s: %s", in->name, strerror(errno));
		if (r == 0)
			in->raw_eof = true;
		in->raw_len += (size_t)r;
		in->raw_consumed += r;
	}
	return true;
}

// Queues the members that follow, while slots are free.
static bool bgzf_queue(struct bopt_input *in, char *err)
{
	struct bgzf *b = in->bgzf;
	while (!b->tail && b->next_queue - b->next_out < BGZF_SLOTS) {
		struct bgzf_slot *s = &b->slots[b->next_queue % BGZF_SLOTS];
		if (!raw_peek(in, BGZF_MAX, err))
			return false;
		size_t avail = in->raw_len - in->raw_pos;
		if (avail == 0)
			return true; // the end of the input
		size_t size = bgzf_member_size(in->raw + in->raw_pos, avail);
		if (size == 0 || size > avail) {
			b->tail = true;
			return true;
		}
		// The slot is free: its output was handed on (under lock, as a
		// thread wrote it).
		memcpy(s->in, in->raw + in->raw_pos, size);
		s->in_len = size;
		in->raw_pos += size;
		pthread_mutex_lock(&b->lock);
		s->state = BGZF_QUEUED;
		pthread_cond_broadcast(&b->changed);
		pthread_mutex_unlock(&b->lock);
		b->next_queue++;
	}
	return true;
}

static ssize_t read_gzip(struct bopt_input *in, char *buf, size_t n, char *err);

static ssize_t read_bgzf(struct bopt_input *in, char *buf, size_t n, char *err)
{
	struct bgzf *b = in->bgzf;
	size_t got = 0;
	while (got < n) {
		if (!bgzf_queue(in, err))
			return -1;
		if (b->next_out == b->next_queue) {
			if (!b->tail)
				break; // the end of the input
			// The rest, one member after another.
			bgzf_end(b);
			in->bgzf = NULL;
			in->member_done = true;
			ssize_t r = read_gzip(in, buf + got, n - got, err);
			return r < 0 ? -1 : (ssize_t)got + r;
		}
		struct bgzf_slot *s = &b->slots[b->next_out % BGZF_SLOTS];
		pthread_mutex_lock(&b->lock);
		while (s->state != BGZF_DONE)
			pthread_cond_wait(&b->changed, &b->lock);
		pthread_mutex_unlock(&b->lock);
		if (s->failed) {
			memcpy(err, s->error, BOPT_ERR_MAX);
			return -1;
		}
		size_t k = s->out_len - s->out_pos < n - got ? s->out_len - s->out_pos : n - got;
		memcpy(buf + got, s->out + s->out_pos, k);
		s->out_pos += k;
		got += k;
		if (s->out_pos == s->out_len) {
			pthread_mutex_lock(&b->lock);
			s->state = BGZF_FREE;
			pthread_mutex_unlock(&b->lock);
			b->next_out++;
		}
	}
	return (ssize_t)got;
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
#ifdef F_SETPIPE_SZ
	// A hint: where the system refuses, the pipe keeps its size.
	if (S_ISFIFO(st.st_mode) && fcntl(in->fd, F_GETPIPE_SZ) < PIPE_BUF_WANTED)
		(void)fcntl(in->fd, F_SETPIPE_SZ, PIPE_BUF_WANTED);
#endif
	in->raw = xmalloc(RAW_BUF);
	// Peek at the first two bytes for the gzip magic, then at a BGZF header.
	if (!raw_peek(in, 2, err))
		return false;
	in->gzip = in->raw_len >= 2 && in->raw[0] == 0x1f && in->raw[1] == 0x8b;
	if (!in->gzip)
		return true;
	in->inflater = inflater_new(in->name, err);
	if (in->inflater == NULL || !raw_peek(in, BGZF_HEADER, err))
		return false;
	if (bgzf_member_size(in->raw, in->raw_len) > 0)
		in->bgzf = bgzf_start(in->name);
	return true;
}

static ssize_t read_gzip(struct bopt_input *in, char *buf, size_t n, char *err)
{
	unsigned char *out = (unsigned char *)buf;
	size_t avail_out = n;
	while (avail_out > 0) {
		if (!raw_fill(in, err))
			return -1;
		bool no_input = in->raw_pos == in->raw_len; // the end of the file
		if (in->member_done) {
			if (no_input)
				break;
			// Another gzip member follows (as cat a.gz b.gz makes), or
			// text that is none (a short one would pass for a cut header).
			const unsigned char *m = in->raw + in->raw_pos;
			if (m[0] != 0x1f || (in->raw_len - in->raw_pos > 1 && m[1] != 0x8b))
				return bopt_errf(err, "%s: invalid compressed data: "
					"incorrect header check", in->name), -1;
			inflater_reset(in->inflater);
			in->member_done = false;
		}
		unsigned char *next_in = in->raw + in->raw_pos;
		size_t avail_in = in->raw_len - in->raw_pos, before = avail_out;
		if (!inflater_step(in->inflater, in->name, &next_in, &avail_in, &out, &avail_out,
				&in->member_done, err))
			return -1;
		in->raw_pos = in->raw_len - avail_in;
		// At the end of the file, a member cut short gives nothing more.
		if (no_input && !in->member_done && avail_out == before)
			return bopt_errf(err, "%s: unexpected end of compressed data "
				"(truncated gzip file)", in->name), -1;
	}
	return (ssize_t)(n - avail_out);
}

ssize_t input_read(struct bopt_input *in, char *buf, size_t n, char *err)
{
	if (in->bgzf != NULL)
		return read_bgzf(in, buf, n, err);
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
	bgzf_end(in->bgzf);
	inflater_end(in->inflater);
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
	// A plain regular file too large is refused before it is read.
	if (in.regular && !in.gzip && (uint64_t)in.size > max) {
		bopt_errf(err, "%s: larger than %zu MiB", in.name, max >> 20);
		goto out;
	}
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
