#include "trace/trace.h"

#include <errno.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>
#include <zlib.h>

#include "base/input.h"
#include "base/timestamp.h"
#include "base/util.h"
#include "trace/line.h"
#include "trace/merge.h"
#include "trace/progress.h"

/* Blocks. */

struct block_ctx {
	const struct trace_options *o;
	int64_t cutoff; // events before it are outside the window
	z_stream z;     // measures the compression of the block's sample
	bool z_ready;
	unsigned char zout[16384];
	struct line_window window; // the pre-pass over the block's lines
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

// Summarises the complete lines of block k into s (reset first). Returns
// false on an invalid line unless skipping; *lines counts the block's lines.
static bool block_summarise(struct block_ctx *c, uint64_t k, const char *data, size_t len,
	struct bopt_summary *s, uint64_t *lines)
{
	summary_begin_block(s);
	deflateReset(&c->z);
	c->window.base = NULL;
	const char *p = data, *end = data + len;
	uint64_t n = 0;
	bool sampling = k % COMPRESSION_SAMPLE_EVERY == 0;
	while (p < end) {
		const char *nl = memchr(p, '\n', (size_t)(end - p));
		const char *eol = nl ? nl : end;
		n++;
		size_t size = (size_t)(eol - p);
		if (size > 0 && p[size - 1] == '\r')
			size--;
		struct trace_event ev;
		switch (trace_parse_block_line(&c->window, p, size, end, &ev, c->error)) {
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

/* Reading in blocks. */

// Reads go no further than needed to end a block, so memory stays small.
#define TRACE_READ_CHUNK (1u << 20)
#define TRACE_LINE_SLACK (64u << 10)

static void line_too_long(char *err, const char *name, uint64_t line)
{
	bopt_errf(err, "%s:%llu: line longer than %u MiB", name, (unsigned long long)line,
		TRACE_MAX_LINE >> 20);
}

/* Worker threads: regular files are read by the workers themselves; streams
   (standard input, pipes, gzip) by this thread, which hands whole blocks to
   them. */

// More threads than this cannot keep memory within bounds (each holds a
// block and two block summaries, about 4 MiB).
#define TRACE_MAX_THREADS 6
// Block summaries per worker: one can wait for its turn to be merged while
// the worker goes on with the next block.
#define TRACE_SLOTS 2
// How often the reading thread wakes to report progress, in ns.
#define PROGRESS_POLL_NS 200000000
// Stream blocks in memory beyond one per worker: the one being read and one
// waiting for a worker.
#define TRACE_SPARE_CHUNKS 2

// A block summarised by a worker, waiting to be merged in order.
struct slot {
	struct bopt_summary summary;
	bool busy;           // holds a block not merged yet
	uint64_t k;          // its place in the merge order
	size_t len;          // its bytes
	uint64_t lines;      // its lines
	uint64_t error_line; // within the block, when it failed there
	uint64_t long_line;  // within the block, for a line too long
	bool failed;
	char error[BOPT_ERR_MAX];
};

// A block read from a stream, on its way to a worker; or where the stream
// failed, which is reported in its turn.
struct chunk {
	char *buf;
	size_t cap, have; // buf holds have bytes: the block's len, then the next's start
	size_t len;
	uint64_t seq;       // its place in the merge order
	uint64_t block;     // the block it is (for the compression sample)
	uint64_t long_line; // a line too long starts here (within the chunk)
	bool failed;
	char error[BOPT_ERR_MAX];
	struct chunk *next;
};

struct parallel {
	const struct trace_options *o;
	int64_t cutoff;
	const char *name;
	int fd;
	uint64_t size;
	bool stream;
	struct bopt_summary *total;
	pthread_mutex_t lock;
	pthread_cond_t turn;
	// Under lock:
	uint64_t nblocks;      // blocks to merge (for a stream: known at its end)
	uint64_t next_block;   // the next block to claim (files)
	struct chunk *queue, **queue_end; // blocks read, in order (streams)
	struct chunk *spare;   // chunks free for reading into
	bool stream_done;      // nothing more will be queued
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

// Summarises the slot's block (data, slot->len bytes) unless finding it
// failed, recording the outcome there.
static void slot_summarise(struct worker *w, struct slot *slot, uint64_t block,
	const char *data)
{
	if (slot->failed || slot->len == 0) {
		summary_begin_block(&slot->summary);
	} else if (!block_summarise(&w->ctx, block, data, slot->len, &slot->summary,
			&slot->lines)) {
		slot->failed = true;
		slot->error_line = w->ctx.error_line;
		snprintf(slot->error, sizeof(slot->error), "%s", w->ctx.error);
	}
}

// Summarises block k of the file into slot.
static void worker_block(struct worker *w, uint64_t k, struct slot *slot)
{
	const char *data = NULL;
	*slot = (struct slot){.summary = slot->summary, .busy = true, .k = k};
	slot->failed = !worker_locate(w, k, &data, &slot->len, &slot->long_line, slot->error);
	slot_summarise(w, slot, k, data);
}

// Summarises a chunk read from the stream into slot.
static void worker_chunk(struct worker *w, const struct chunk *c, struct slot *slot)
{
	*slot = (struct slot){.summary = slot->summary, .busy = true, .k = c->seq,
		.len = c->len, .long_line = c->long_line, .failed = c->failed};
	memcpy(slot->error, c->error, sizeof(slot->error));
	slot_summarise(w, slot, c->block, c->buf);
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

// Whether a worker knows what to do next: claim a block, or stop. Under lock.
static bool work_known(const struct parallel *p)
{
	return p->failed || !p->stream || p->queue != NULL || p->stream_done;
}

// Summarises blocks until there are none left; or, unless wait, until none
// is ready to be taken.
static void work(struct worker *w, bool wait)
{
	struct parallel *p = w->p;
	pthread_mutex_lock(&p->lock);
	for (;;) {
		struct slot *slot;
		while (wait && ((slot = free_slot(w)) == NULL || !work_known(p)) && !p->failed)
			pthread_cond_wait(&p->turn, &p->lock);
		if (!wait && ((slot = free_slot(w)) == NULL || !work_known(p)))
			break;
		if (p->failed || (p->stream ? p->queue == NULL : p->next_block >= p->nblocks))
			break;
		struct chunk *c = NULL;
		uint64_t k;
		if (p->stream) {
			c = p->queue;
			p->queue = c->next;
			if (p->queue == NULL)
				p->queue_end = &p->queue;
			k = c->seq;
		} else {
			k = p->next_block++;
		}
		slot->busy = true;
		pthread_mutex_unlock(&p->lock);

		if (c != NULL)
			worker_chunk(w, c, slot);
		else
			worker_block(w, k, slot);

		pthread_mutex_lock(&p->lock);
		if (c != NULL) {
			c->next = p->spare;
			p->spare = c;
		}
		p->ready[k % READY_SIZE] = slot;
		merge_ready(p);
		pthread_cond_broadcast(&p->turn);
	}
	pthread_mutex_unlock(&p->lock);
}

static void *worker_run(void *arg)
{
	work(arg, true);
	return NULL;
}

// Workers: --jobs, else one per online core; for a stream one fewer, as
// its reading (and inflating) thread keeps a core busy (measured on 2
// cores: 1 worker beat 2 for gzip, BGZF and piped input, by 4 to 11 %).
static int thread_count(const struct trace_options *o, uint64_t nblocks, bool stream)
{
	long n = o->jobs > 0 ? o->jobs : sysconf(_SC_NPROCESSORS_ONLN) - (stream ? 1 : 0);
	if (n > TRACE_MAX_THREADS)
		n = TRACE_MAX_THREADS;
	if ((uint64_t)n > nblocks)
		n = (long)nblocks;
	return n < 1 ? 1 : (int)n;
}

// Starts n workers (at least one is made, though maybe no thread: then the
// caller works with w[0]); returns the workers, *started the threads.
static struct worker *workers_start(struct parallel *p, int n, int *started)
{
	pthread_mutex_init(&p->lock, NULL);
	pthread_cond_init(&p->turn, NULL);
	struct worker *w = xcalloc((size_t)n, sizeof(*w));
	*started = 0;
	for (int i = 0; i < n; i++) {
		w[i].p = p;
		block_ctx_init(&w[i].ctx, p->o, p->cutoff);
		for (int j = 0; j < TRACE_SLOTS; j++)
			summary_init(&w[i].slots[j].summary);
		if (pthread_create(&w[i].thread, NULL, worker_run, &w[i]) != 0)
			break;
		(*started)++;
	}
	return w;
}

static void workers_end(struct parallel *p, struct worker *w, int n, int started)
{
	for (int i = 0; i < started; i++)
		pthread_join(w[i].thread, NULL);
	for (int i = 0; i < n; i++) {
		free(w[i].buf);
		for (int j = 0; j < TRACE_SLOTS; j++)
			summary_destroy(&w[i].slots[j].summary);
		block_ctx_release(&w[i].ctx);
	}
	free(w);
	pthread_cond_destroy(&p->turn);
	pthread_mutex_destroy(&p->lock);
}

static bool summarise_file(struct bopt_input *in, const struct trace_options *o, int64_t cutoff,
	struct bopt_summary *total, char *err)
{
	struct parallel p = {
		.o = o, .cutoff = cutoff, .name = in->name, .fd = in->fd,
		.size = (uint64_t)in->size, .total = total, .err = err,
		.nblocks = ((uint64_t)in->size + TRACE_BLOCK_SIZE - 1) / TRACE_BLOCK_SIZE,
	};
	int started, n = thread_count(o, p.nblocks, false);
	struct worker *w = workers_start(&p, n, &started);
	if (started == 0)
		work(&w[0], true); // no thread could be made: do the work here

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
	workers_end(&p, w, n, started);
	return !p.failed;
}

// Takes a chunk to read into, waiting for one while all are in use; NULL
// once the work has failed.
static struct chunk *chunk_take(struct parallel *p, int *allocated, int max)
{
	pthread_mutex_lock(&p->lock);
	while (p->spare == NULL && *allocated == max && !p->failed)
		pthread_cond_wait(&p->turn, &p->lock);
	struct chunk *c = NULL;
	if (!p->failed && p->spare != NULL) {
		c = p->spare;
		p->spare = c->next;
	} else if (!p->failed) {
		c = xcalloc(1, sizeof(*c));
		(*allocated)++;
	}
	pthread_mutex_unlock(&p->lock);
	return c;
}

// Reads into c, after the carry bytes already there, the lines that start
// in the block of stream offset base (a line start): up to the first
// newline at or after the block's end. *eof is set at the end of the input.
static void chunk_read(struct bopt_input *in, struct chunk *c, uint64_t base, bool *eof)
{
	size_t target = (size_t)((base / TRACE_BLOCK_SIZE + 1) * TRACE_BLOCK_SIZE - base);
	size_t scanned = target - 1;
	for (;;) {
		if (c->have > scanned) {
			const char *nl = memchr(c->buf + scanned, '\n', c->have - scanned);
			if (nl != NULL) {
				c->len = (size_t)(nl - c->buf) + 1;
				return;
			}
			scanned = c->have;
		}
		if (*eof) {
			c->len = c->have;
			return;
		}
		if (c->have == (size_t)TRACE_BLOCK_SIZE + TRACE_MAX_LINE + 1) {
			// A line runs past the buffer: find its number.
			c->long_line = 1 + count_lines(c->buf, c->have);
			return;
		}
		// Up to the block's end, then a little at a time.
		size_t want = c->have < target ? target - c->have : TRACE_LINE_SLACK;
		if (c->have + want > c->cap) {
			c->cap = c->have + want < TRACE_BLOCK_SIZE + TRACE_LINE_SLACK ?
				TRACE_BLOCK_SIZE + TRACE_LINE_SLACK : c->have + want;
			if (c->cap > (size_t)TRACE_BLOCK_SIZE + TRACE_MAX_LINE + 1)
				c->cap = (size_t)TRACE_BLOCK_SIZE + TRACE_MAX_LINE + 1;
			c->buf = xrealloc(c->buf, c->cap);
			want = c->cap - c->have;
		}
		ssize_t got = input_read(in, c->buf + c->have, want, c->error);
		if (got < 0) {
			c->failed = true;
			return;
		}
		if (got == 0)
			*eof = true;
		c->have += (size_t)got;
	}
}

// Summarises a stream (standard input, a pipe, gzip data) into total: this
// thread reads (and inflates) blocks, the workers summarise them.
static bool summarise_stream(struct bopt_input *in, const struct trace_options *o,
	int64_t cutoff, struct bopt_summary *total, char *err)
{
	struct parallel p = {
		.o = o, .cutoff = cutoff, .name = in->name, .stream = true,
		.total = total, .err = err, .nblocks = UINT64_MAX,
	};
	p.queue_end = &p.queue;
	int started, n = thread_count(o, UINT64_MAX, true), allocated = 0;
	struct worker *w = workers_start(&p, n, &started);
	struct progress pr;
	progress_begin(&pr, o->progress, in->name, in->regular ? (uint64_t)in->size : 0);
	uint64_t base = 0, seq = 0;
	const char *carry = NULL;
	size_t carry_len = 0;
	bool eof = false, stop = false;
	while (!stop) {
		struct chunk *c = chunk_take(&p, &allocated, n + TRACE_SPARE_CHUNKS);
		if (c == NULL)
			break;
		// The start of this block, read with the last one (or c itself,
		// when its worker is done with it).
		if (c->cap < carry_len) {
			c->cap = carry_len;
			c->buf = xrealloc(c->buf, c->cap);
		}
		if (carry_len > 0)
			memmove(c->buf, carry, carry_len);
		c->have = carry_len;
		c->len = 0;
		c->long_line = 0;
		c->failed = false;
		chunk_read(in, c, base, &eof);
		c->seq = seq;
		c->block = base / TRACE_BLOCK_SIZE;
		stop = c->failed || c->long_line > 0 || c->len == 0;
		carry = c->buf + c->len;
		carry_len = c->have - c->len;
		base += c->len;
		pthread_mutex_lock(&p.lock);
		if (c->len == 0 && !c->failed && c->long_line == 0) {
			c->next = p.spare;
			p.spare = c;
		} else {
			c->next = NULL;
			*p.queue_end = c;
			p.queue_end = &c->next;
			seq++;
		}
		if (stop) {
			p.stream_done = true;
			p.nblocks = seq;
		}
		pthread_cond_broadcast(&p.turn);
		pthread_mutex_unlock(&p.lock);
		if (started == 0)
			work(&w[0], false); // no thread could be made: do the work here
		progress_update(&pr, (uint64_t)in->raw_consumed);
	}
	pthread_mutex_lock(&p.lock);
	p.stream_done = true;
	p.nblocks = seq;
	pthread_cond_broadcast(&p.turn);
	while (started > 0 && p.merged < p.nblocks && !p.failed)
		pthread_cond_wait(&p.turn, &p.lock);
	pthread_mutex_unlock(&p.lock);
	progress_end(&pr);
	workers_end(&p, w, n, started);
	for (struct chunk *c = p.queue, *next; c != NULL; c = next) {
		next = c->next;
		free(c->buf);
		free(c);
	}
	for (struct chunk *c = p.spare, *next; c != NULL; c = next) {
		next = c->next;
		free(c->buf);
		free(c);
	}
	return !p.failed;
}

// Summarises one input into total: regular uncompressed files in parallel,
// anything else as a stream. Both cut the same blocks.
static bool summarise_input(const char *path, const struct trace_options *o, int64_t cutoff,
	struct bopt_summary *total, char *err)
{
	struct bopt_input in;
	bool ok = input_open(&in, path, err);
	if (ok)
		ok = in.regular && !in.gzip ? summarise_file(&in, o, cutoff, total, err) :
			summarise_stream(&in, o, cutoff, total, err);
	input_close(&in);
	return ok;
}

bool trace_summarise_input(const char *path, const struct trace_options *o, int64_t cutoff,
	struct bopt_summary *total, char *err)
{
	return summarise_input(path, o, cutoff, total, err);
}

static bool summarise_all(char *const *paths, size_t npaths, const struct trace_options *o,
	int64_t cutoff, struct bopt_summary *out, struct bopt_summary *files, char *err)
{
	if (!o->concat && (npaths > 1 || files != NULL))
		return merge_summarise(paths, npaths, o, cutoff, out, files, err);
	summary_set_horizon(out, o->max_disorder_ns, REORDER_CAP);
	bool ok = true;
	for (size_t i = 0; i < npaths && ok; i++)
		ok = summarise_input(paths[i], o, cutoff, out, err);
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
		// So can no pipe (<(zcat t.gz)), terminal or device.
		for (size_t i = 0; i < npaths; i++) {
			struct stat st;
			if (stat(paths[i], &st) == 0 && !S_ISREG(st.st_mode) && !S_ISDIR(st.st_mode))
				return bopt_errf(err, "--window needs files: %s is not a regular file "
					"and cannot be read twice", paths[i]);
		}
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
