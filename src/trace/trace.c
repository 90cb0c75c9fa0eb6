#include "trace/trace.h"

#include <errno.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <zlib.h>

#include "base/input.h"
#include "base/jsonscan.h"
#include "base/timestamp.h"
#include "base/util.h"
#include "trace/merge.h"
#include "trace/progress.h"

/* One line. */

struct body {
	bool have_ts, have_meta_ts;
	struct js_string ts, meta_ts;
};

// Scans a variant's body, noting its own "timestamp" and metadata.timestamp.
static bool scan_body(struct js *s, struct body *b)
{
	struct js_string key;
	bool first = true;
	if (!js_object_begin(s))
		return false;
	while (js_object_next(s, &first, &key)) {
		char c = js_peek(s);
		if (c == '"' && js_string_is(&key, "timestamp")) {
			if (!js_string(s, &b->ts))
				return false;
			b->have_ts = true;
		} else if (c == '{' && js_string_is(&key, "metadata")) {
			bool mfirst = true;
			struct js_string mkey;
			if (!js_object_begin(s))
				return false;
			while (js_object_next(s, &mfirst, &mkey)) {
				if (js_peek(s) == '"' && js_string_is(&mkey, "timestamp")) {
					if (!js_string(s, &b->meta_ts))
						return false;
					b->have_meta_ts = true;
				} else if (!js_skip_value(s)) {
					return false;
				}
			}
			if (s->error)
				return false;
		} else if (!js_skip_value(s)) {
			return false;
		}
	}
	return s->error == NULL;
}

struct event_scan {
	int members;
	struct js_string key; // the first member's key
	bool key_body;        // its value was an object, scanned into body
	struct body body;
	bool stored;          // an "event_data" object was found and scanned
	int stored_members;
	struct js_string stored_key;
	bool stored_body_ok;
	struct body stored_body;
};

// Scans {"Variant": {...}} counting members; depth 0 also looks for a
// StoredEvent's "event_data".
static bool scan_event(struct js *s, struct event_scan *e, bool top)
{
	struct js_string key;
	bool first = true;
	if (!js_object_begin(s))
		return false;
	while (js_object_next(s, &first, &key)) {
		e->members++;
		char c = js_peek(s);
		if (top && c == '{' && js_string_is(&key, "event_data") && !e->stored) {
			struct event_scan inner = {0};
			if (!scan_event(s, &inner, false))
				return false;
			e->stored = true;
			e->stored_members = inner.members;
			e->stored_key = inner.key;
			e->stored_body_ok = inner.key_body;
			e->stored_body = inner.body;
		} else if (e->members == 1 && c == '{') {
			e->key = key;
			e->key_body = true;
			if (!scan_body(s, &e->body))
				return false;
		} else {
			if (e->members == 1)
				e->key = key;
			if (!js_skip_value(s))
				return false;
		}
	}
	return s->error == NULL;
}

enum trace_line trace_parse_line(const char *line, size_t len, struct trace_event *ev,
	char *err)
{
	struct js s;
	js_init(&s, line, len);
	if (js_at_end(&s))
		return TRACE_LINE_BLANK;
	struct event_scan e = {0};
	if (js_peek(&s) != '{') {
		// Valid JSON of another kind is a shape error, not a syntax error.
		if (js_skip_value(&s) && js_at_end(&s)) {
			bopt_errf(err, "expected an object with exactly one key, the event variant");
			return TRACE_LINE_INVALID;
		}
		if (s.error == NULL)
			js_fail(&s, "trailing characters after the value");
	} else if (scan_event(&s, &e, true)) {
		if (!js_at_end(&s))
			js_fail(&s, "trailing characters after the event");
	}
	if (s.error) {
		bopt_errf(err, "invalid JSON at column %zu: %s", s.error_offset + 1, s.error);
		return TRACE_LINE_INVALID;
	}

	struct js_string key = e.key;
	struct body *body = &e.body;
	bool body_ok = e.key_body;
	int members = e.members;
	if (e.stored) {
		key = e.stored_key;
		body = &e.stored_body;
		body_ok = e.stored_body_ok;
		members = e.stored_members;
	}
	if (members != 1) {
		bopt_errf(err, "expected an object with exactly one key, the event variant "
			"(found %d)", members);
		return TRACE_LINE_INVALID;
	}

	char name[SUMMARY_VARIANT_NAME_MAX];
	size_t name_len = key.len;
	const char *name_p = key.p;
	if (key.escaped) {
		if (!js_string_decode(&key, name, sizeof(name), &name_len)) {
			bopt_errf(err, "variant name longer than %d bytes", SUMMARY_VARIANT_NAME_MAX);
			return TRACE_LINE_INVALID;
		}
		name_p = name;
	}
	if (!body_ok) {
		bopt_errf(err, "the value of variant \"%.*s\" must be an object",
			(int)(name_len > 64 ? 64 : name_len), name_p);
		return TRACE_LINE_INVALID;
	}
	ev->variant = variant_lookup(name_p, name_len);
	ev->name = key.p;
	ev->name_len = key.len;

	// Heartbeat carries its own time; every other variant has metadata's.
	const struct js_string *ts = NULL;
	bool heartbeat = ev->variant == BOPT_V_Heartbeat;
	if (heartbeat && body->have_ts)
		ts = &body->ts;
	else if (body->have_meta_ts)
		ts = &body->meta_ts;
	if (ts == NULL) {
		bopt_errf(err, "missing timestamp (%s)", heartbeat ?
			"Heartbeat.timestamp" : "metadata.timestamp");
		return TRACE_LINE_INVALID;
	}
	char tbuf[64];
	const char *tp = ts->p;
	size_t tlen = ts->len;
	if (ts->escaped) {
		if (!js_string_decode(ts, tbuf, sizeof(tbuf), &tlen))
			tlen = sizeof(tbuf) + 1;
		tp = tbuf;
	}
	enum ts_status st = tlen > sizeof(tbuf) ? TS_MALFORMED : ts_parse_status(tp, tlen, &ev->t);
	if (st != TS_OK) {
		bopt_errf(err, "%s timestamp \"%.*s\"%s", st == TS_MALFORMED ? "malformed" :
			"out-of-range", (int)(ts->len > 48 ? 48 : ts->len), ts->p,
			st == TS_MALFORMED ? "" : " (bopt reads " BOPT_TS_RANGE ")");
		return TRACE_LINE_INVALID;
	}
	return TRACE_LINE_EVENT;
}

/* Blocks. */

struct block_ctx {
	const struct trace_options *o;
	int64_t cutoff; // events before it are outside the window
	z_stream z;     // measures the compression of the block's sample
	bool z_ready;
	unsigned char zout[16384];
	// On failure: the line within the block (1-based) and the reason.
	uint64_t error_line;
	char error[BOPT_ERR_MAX];
};

static void sample_feed(struct block_ctx *c, struct bopt_summary *s, const char *p,
	size_t n, int flush)
{
	c->z.next_in = (unsigned char *)p;
	c->z.avail_in = (uInt)n;
	do {
		c->z.next_out = c->zout;
		c->z.avail_out = sizeof(c->zout);
		deflate(&c->z, flush);
		s->sample_compressed += sizeof(c->zout) - c->z.avail_out;
	} while (c->z.avail_out == 0);
}

static void block_ctx_init(struct block_ctx *c, const struct trace_options *o, int64_t cutoff)
{
	*c = (struct block_ctx){.o = o, .cutoff = cutoff};
	if (deflateInit(&c->z, Z_DEFAULT_COMPRESSION) != Z_OK) {
		bopt_warn("cannot start zlib");
		exit(1);
	}
	c->z_ready = true;
}

static void block_ctx_release(struct block_ctx *c)
{
	if (c->z_ready)
		deflateEnd(&c->z);
	c->z_ready = false;
}

// Summarises the complete lines of one block into s (reset first). Returns
// false on an invalid line unless skipping; *lines counts the block's lines.
static bool block_summarise(struct block_ctx *c, const char *data, size_t len,
	struct bopt_summary *s, uint64_t *lines)
{
	summary_begin_block(s);
	deflateReset(&c->z);
	const char *p = data, *end = data + len;
	uint64_t n = 0;
	bool sampling = true;
	while (p < end) {
		const char *nl = memchr(p, '\n', (size_t)(end - p));
		const char *eol = nl ? nl : end;
		n++;
		size_t size = (size_t)(eol - p);
		if (size > 0 && p[size - 1] == '\r')
			size--;
		struct trace_event ev;
		switch (trace_parse_line(p, size, &ev, c->error)) {
		case TRACE_LINE_BLANK:
			break;
		case TRACE_LINE_INVALID:
			if (!c->o->skip_invalid) {
				c->error_line = n;
				*lines = n;
				return false;
			}
			s->skipped++;
			break;
		case TRACE_LINE_EVENT:
			if (ev.t < c->cutoff) {
				s->outside_window++;
				break;
			}
			summary_add(s, ev.t, size, ev.variant, ev.name, ev.name_len);
			if (sampling && (size_t)(p - data) < COMPRESSION_SAMPLE_BYTES) {
				sample_feed(c, s, p, size, Z_NO_FLUSH);
				sample_feed(c, s, "\n", 1, Z_NO_FLUSH);
				s->sample_raw += size + 1;
			} else {
				sampling = false;
			}
			break;
		}
		p = nl ? nl + 1 : end;
	}
	if (s->sample_raw > 0)
		sample_feed(c, s, NULL, 0, Z_FINISH);
	summary_flush(s);
	*lines = n;
	return true;
}

static uint64_t count_lines(const char *p, size_t n)
{
	uint64_t lines = 0;
	for (const char *end = p + n; (p = memchr(p, '\n', (size_t)(end - p))) != NULL; p++)
		lines++;
	return lines;
}

/* Streams. */

// Reads go no further than needed to end a block, so memory stays small.
#define TRACE_READ_CHUNK (1u << 20)
#define TRACE_LINE_SLACK (64u << 10)

struct reader {
	struct bopt_input in;
	char *buf;
	size_t cap, have;
	bool eof;
	uint64_t base;  // stream offset of buf[0], a line start
	uint64_t line;  // lines before buf[0]
};

static void line_too_long(char *err, const char *name, uint64_t line)
{
	bopt_errf(err, "%s:%llu: line longer than %u MiB", name, (unsigned long long)line,
		TRACE_MAX_LINE >> 20);
}

// Summarises a stream (standard input, a pipe, gzip data) into total.
static bool summarise_stream(struct reader *r, struct block_ctx *c, struct bopt_summary *block,
	struct bopt_summary *total, char *err)
{
	bool ok = false;
	struct progress pr;
	progress_begin(&pr, c->o->progress, r->in.name, r->in.regular ? (uint64_t)r->in.size : 0);
	r->cap = TRACE_BLOCK_SIZE + TRACE_MAX_LINE + 1;
	r->buf = xmalloc(r->cap);
	for (;;) {
		// Block k holds the lines starting in [k B, (k+1) B).
		uint64_t block_end = (r->base / TRACE_BLOCK_SIZE + 1) * TRACE_BLOCK_SIZE;
		size_t target = (size_t)(block_end - r->base);
		const char *nl = NULL;
		size_t scanned = target - 1;
		for (;;) {
			if (r->have > scanned) {
				nl = memchr(r->buf + scanned, '\n', r->have - scanned);
				if (nl)
					break;
				scanned = r->have;
			}
			if (r->eof || r->have == r->cap)
				break;
			size_t want = r->cap - r->have;
			if (want > TRACE_READ_CHUNK)
				want = TRACE_READ_CHUNK;
			ssize_t got = input_read(&r->in, r->buf + r->have, want, err);
			if (got < 0)
				goto out;
			if (got == 0)
				r->eof = true;
			r->have += (size_t)got;
		}
		size_t len;
		if (nl) {
			len = (size_t)(nl - r->buf) + 1;
		} else if (r->eof) {
			len = r->have;
		} else {
			// A line runs past the buffer: find its number.
			line_too_long(err, r->in.name, r->line + 1 + count_lines(r->buf, r->have));
			goto out;
		}
		if (len == 0)
			break;
		uint64_t lines;
		if (!block_summarise(c, r->buf, len, block, &lines)) {
			bopt_errf(err, "%s:%llu: %s", r->in.name,
				(unsigned long long)(r->line + c->error_line), c->error);
			goto out;
		}
		summary_merge(total, block);
		r->line += lines;
		r->base += len;
		memmove(r->buf, r->buf + len, r->have - len);
		r->have -= len;
		progress_update(&pr, (uint64_t)r->in.raw_consumed);
	}
	ok = true;
out:
	progress_end(&pr);
	free(r->buf);
	return ok;
}

/* Regular files, read by worker threads. */

// More threads than this cannot keep memory within bounds (each holds a
// block and two block summaries, about 4 MiB).
#define TRACE_MAX_THREADS 6
// Block summaries per worker: one can wait for its turn to be merged while
// the worker goes on with the next block.
#define TRACE_SLOTS 2
// How often the reading thread wakes to report progress, in ns.
#define PROGRESS_POLL_NS 200000000

// A block summarised by a worker, waiting to be merged in order.
struct slot {
	struct bopt_summary summary;
	bool busy;           // holds a block not merged yet
	uint64_t k;          // its block
	size_t len;          // its bytes
	uint64_t lines;      // its lines
	uint64_t error_line; // within the block, when it failed there
	uint64_t long_line;  // within the block, for a line too long
	bool failed;
	char error[BOPT_ERR_MAX];
};

struct parallel {
	const struct trace_options *o;
	int64_t cutoff;
	const char *name;
	int fd;
	uint64_t size, nblocks;
	struct bopt_summary *total;
	pthread_mutex_t lock;
	pthread_cond_t turn;
	// Under lock:
	uint64_t next_block;   // the next block to claim
	uint64_t merged;       // blocks merged into total, in order
	uint64_t lines_before; // lines of the merged blocks
	uint64_t bytes_done;
	struct slot *ready[TRACE_MAX_THREADS * TRACE_SLOTS]; // block k at k % size
	bool failed;
	char *err;
};

struct worker {
	struct parallel *p;
	pthread_t thread;
	char *buf;
	size_t cap, have;
	uint64_t off; // file offset of buf[0]
	struct block_ctx ctx;
	struct slot slots[TRACE_SLOTS];
};

// Makes buf hold the file from off to at least off + want (less at the end
// of the file); returns the bytes held.
static bool worker_fill(struct worker *w, size_t want, char *err)
{
	if (want > w->p->size - w->off)
		want = (size_t)(w->p->size - w->off);
	if (want > w->cap) {
		w->cap = want;
		w->buf = xrealloc(w->buf, w->cap);
	}
	while (w->have < want) {
		ssize_t r = pread(w->p->fd, w->buf + w->have, want - w->have,
			(off_t)(w->off + w->have));
		if (r < 0 && errno == EINTR)
			continue;
		if (r <= 0)
			return bopt_errf(err, "%s: %s", w->p->name, r < 0 ? strerror(errno) :
				"file shrank while being read");
		w->have += (size_t)r;
	}
	return true;
}

// Finds block k: the lines that start in [k B, (k+1) B). *len is 0 for a
// block in which no line starts.
static bool worker_locate(struct worker *w, uint64_t k, const char **data, size_t *len,
	uint64_t *lines_to_long, char *err)
{
	struct parallel *p = w->p;
	uint64_t start = k * TRACE_BLOCK_SIZE, end = start + TRACE_BLOCK_SIZE;
	*len = 0;
	*lines_to_long = 0;
	w->off = start > 0 ? start - 1 : 0;
	w->have = 0;
	// Enough for the block and, mostly, the end of its last line.
	if (!worker_fill(w, (size_t)(end - w->off) + TRACE_LINE_SLACK, err))
		return false;
	size_t first = 0; // offset in buf of the first line start
	if (start > 0) {
		size_t span = (size_t)(end - 1 - w->off);
		if (span > w->have)
			span = w->have;
		const char *nl = memchr(w->buf, '\n', span);
		if (nl == NULL)
			return true; // a line from an earlier block covers this one
		first = (size_t)(nl - w->buf) + 1;
	}
	// The block ends with the first newline at or after offset end - 1.
	size_t from = (size_t)(end - 1 - w->off);
	for (;;) {
		if (w->have > from) {
			const char *nl = memchr(w->buf + from, '\n', w->have - from);
			if (nl != NULL) {
				*len = (size_t)(nl - w->buf) + 1 - first;
				break;
			}
			from = w->have;
		}
		if (w->off + w->have >= p->size) {
			*len = w->have > first ? w->have - first : 0;
			break;
		}
		if (w->have - first > (size_t)TRACE_BLOCK_SIZE + TRACE_MAX_LINE) {
			*lines_to_long = 1 + count_lines(w->buf + first, w->have - first);
			return bopt_errf(err, "line too long");
		}
		if (!worker_fill(w, w->have + TRACE_READ_CHUNK, err))
			return false;
	}
	*data = w->buf + first;
	return true;
}

#define READY_SIZE (TRACE_MAX_THREADS * TRACE_SLOTS)

// Summarises block k into slot, recording the outcome there.
static void worker_block(struct worker *w, uint64_t k, struct slot *slot)
{
	const char *data = NULL;
	*slot = (struct slot){.summary = slot->summary, .busy = true, .k = k};
	if (!worker_locate(w, k, &data, &slot->len, &slot->long_line, slot->error)) {
		slot->failed = true;
		summary_begin_block(&slot->summary);
	} else if (slot->len == 0) {
		summary_begin_block(&slot->summary);
	} else if (!block_summarise(&w->ctx, data, slot->len, &slot->summary, &slot->lines)) {
		slot->failed = true;
		slot->error_line = w->ctx.error_line;
		snprintf(slot->error, sizeof(slot->error), "%s", w->ctx.error);
	}
}

// Merges the blocks that are ready, in order, freeing their slots. Under lock.
static void merge_ready(struct parallel *p)
{
	struct slot *s;
	while (!p->failed && (s = p->ready[p->merged % READY_SIZE]) != NULL && s->k == p->merged) {
		p->ready[p->merged % READY_SIZE] = NULL;
		if (s->long_line > 0) {
			line_too_long(p->err, p->name, p->lines_before + s->long_line);
			p->failed = true;
		} else if (s->failed && s->error_line == 0) {
			snprintf(p->err, BOPT_ERR_MAX, "%s", s->error);
			p->failed = true;
		} else if (s->failed) {
			bopt_errf(p->err, "%s:%llu: %s", p->name,
				(unsigned long long)(p->lines_before + s->error_line), s->error);
			p->failed = true;
		} else {
			summary_merge(p->total, &s->summary);
			p->lines_before += s->lines;
			p->bytes_done += s->len;
			p->merged++;
		}
		s->busy = false;
	}
}

static struct slot *free_slot(struct worker *w)
{
	for (int i = 0; i < TRACE_SLOTS; i++)
		if (!w->slots[i].busy)
			return &w->slots[i];
	return NULL;
}

static void *worker_run(void *arg)
{
	struct worker *w = arg;
	struct parallel *p = w->p;
	for (;;) {
		pthread_mutex_lock(&p->lock);
		struct slot *slot;
		while ((slot = free_slot(w)) == NULL && !p->failed)
			pthread_cond_wait(&p->turn, &p->lock);
		if (p->failed || p->next_block >= p->nblocks) {
			pthread_mutex_unlock(&p->lock);
			break;
		}
		uint64_t k = p->next_block++;
		slot->busy = true;
		pthread_mutex_unlock(&p->lock);

		worker_block(w, k, slot);

		pthread_mutex_lock(&p->lock);
		p->ready[k % READY_SIZE] = slot;
		merge_ready(p);
		pthread_cond_broadcast(&p->turn);
		pthread_mutex_unlock(&p->lock);
	}
	return NULL;
}

static int thread_count(const struct trace_options *o, uint64_t nblocks)
{
	long n = o->jobs > 0 ? o->jobs : sysconf(_SC_NPROCESSORS_ONLN);
	if (n > TRACE_MAX_THREADS)
		n = TRACE_MAX_THREADS;
	if ((uint64_t)n > nblocks)
		n = (long)nblocks;
	return n < 1 ? 1 : (int)n;
}

static bool summarise_file(struct bopt_input *in, const struct trace_options *o, int64_t cutoff,
	struct bopt_summary *total, char *err)
{
	struct parallel p = {
		.o = o, .cutoff = cutoff, .name = in->name, .fd = in->fd,
		.size = (uint64_t)in->size, .total = total, .err = err,
		.nblocks = ((uint64_t)in->size + TRACE_BLOCK_SIZE - 1) / TRACE_BLOCK_SIZE,
	};
	pthread_mutex_init(&p.lock, NULL);
	pthread_cond_init(&p.turn, NULL);
	int n = thread_count(o, p.nblocks);
	struct worker *w = xcalloc((size_t)n, sizeof(*w));
	int started = 0;
	for (int i = 0; i < n; i++) {
		w[i].p = &p;
		block_ctx_init(&w[i].ctx, o, cutoff);
		for (int j = 0; j < TRACE_SLOTS; j++)
			summary_init(&w[i].slots[j].summary);
		if (pthread_create(&w[i].thread, NULL, worker_run, &w[i]) != 0)
			break;
		started++;
	}
	if (started == 0)
		worker_run(&w[0]); // no thread could be made: do the work here

	struct progress pr;
	progress_begin(&pr, o->progress, in->name, p.size);
	pthread_mutex_lock(&p.lock);
	while (started > 0 && p.merged < p.nblocks && !p.failed) {
		struct timespec until;
		clock_gettime(CLOCK_REALTIME, &until);
		until.tv_nsec += PROGRESS_POLL_NS;
		if (until.tv_nsec >= BOPT_NS_PER_SEC) {
			until.tv_sec++;
			until.tv_nsec -= BOPT_NS_PER_SEC;
		}
		pthread_cond_timedwait(&p.turn, &p.lock, &until);
		uint64_t done = p.bytes_done;
		pthread_mutex_unlock(&p.lock);
		progress_update(&pr, done);
		pthread_mutex_lock(&p.lock);
	}
	pthread_mutex_unlock(&p.lock);
	progress_end(&pr);

	for (int i = 0; i < started; i++)
		pthread_join(w[i].thread, NULL);
	for (int i = 0; i < n; i++) {
		free(w[i].buf);
		for (int j = 0; j < TRACE_SLOTS; j++)
			summary_destroy(&w[i].slots[j].summary);
		block_ctx_release(&w[i].ctx);
	}
	free(w);
	pthread_cond_destroy(&p.turn);
	pthread_mutex_destroy(&p.lock);
	return !p.failed;
}

// Summarises one input into total: regular uncompressed files in parallel,
// anything else as a stream. Both cut the same blocks.
static bool summarise_input(const char *path, struct block_ctx *c, struct bopt_summary *block,
	struct bopt_summary *total, char *err)
{
	struct reader r = {0};
	if (!input_open(&r.in, path, err)) {
		input_close(&r.in);
		return false;
	}
	bool ok = r.in.regular && !r.in.gzip ?
		summarise_file(&r.in, c->o, c->cutoff, total, err) :
		summarise_stream(&r, c, block, total, err);
	input_close(&r.in);
	return ok;
}

bool trace_summarise_input(const char *path, const struct trace_options *o, int64_t cutoff,
	struct bopt_summary *total, char *err)
{
	struct block_ctx c;
	struct bopt_summary block;
	block_ctx_init(&c, o, cutoff);
	summary_init(&block);
	bool ok = summarise_input(path, &c, &block, total, err);
	summary_destroy(&block);
	block_ctx_release(&c);
	return ok;
}

static bool summarise_all(char *const *paths, size_t npaths, const struct trace_options *o,
	int64_t cutoff, struct bopt_summary *out, struct bopt_summary *files, char *err)
{
	if (!o->concat && (npaths > 1 || files != NULL))
		return merge_summarise(paths, npaths, o, cutoff, out, files, err);
	summary_set_horizon(out, o->max_disorder_ns, REORDER_CAP);
	struct block_ctx c;
	struct bopt_summary block;
	block_ctx_init(&c, o, cutoff);
	summary_init(&block);
	bool ok = true;
	for (size_t i = 0; i < npaths && ok; i++)
		ok = summarise_input(paths[i], &c, &block, out, err);
	summary_destroy(&block);
	block_ctx_release(&c);
	summary_flush(out);
	return ok;
}

bool trace_summarise(char *const *paths, size_t npaths, const struct trace_options *o,
	struct bopt_summary *out, struct bopt_summary *files, char *err)
{
	static char *const stdin_path[] = {"-"};
	if (npaths == 0) {
		paths = stdin_path;
		npaths = 1;
	}
	int64_t cutoff = INT64_MIN;
	if (o->has_window) {
		// The window ends at the trace's last event: a first pass finds it,
		// in order (the latest time does not depend on it).
		for (size_t i = 0; i < npaths; i++)
			if (strcmp(paths[i], "-") == 0)
				return bopt_errf(err, "--window needs files: standard input "
					"cannot be read twice");
		struct trace_options first = *o;
		first.concat = true;
		struct bopt_summary whole;
		summary_init(&whole);
		bool ok = summarise_all(paths, npaths, &first, INT64_MIN, &whole, NULL, err);
		if (ok && whole.events > 0 && whole.t_max >= INT64_MIN + o->window_ns)
			cutoff = whole.t_max - o->window_ns;
		summary_destroy(&whole);
		if (!ok)
			return false;
	}
	return summarise_all(paths, npaths, o, cutoff, out, files, err);
}
