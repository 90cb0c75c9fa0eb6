#include "trace/reorder.h"

#include <stdlib.h>
#include <string.h>

#include "base/util.h"

#define REORDER_INITIAL 1024

void reorder_init(struct reorder *r, int64_t horizon, size_t cap)
{
	*r = (struct reorder){.horizon = horizon, .cap = cap};
}

void reorder_destroy(struct reorder *r)
{
	free(r->run);
	free(r->heap);
	*r = (struct reorder){0};
}

void reorder_reset(struct reorder *r)
{
	struct reorder keep = *r;
	*r = (struct reorder){
		.horizon = keep.horizon, .cap = keep.cap,
		.run = keep.run, .run_size = keep.run_size,
		.heap = keep.heap, .heap_size = keep.heap_size,
	};
}

static void run_push(struct reorder *r, int64_t t)
{
	if (r->run_len == r->run_size) {
		size_t size = r->run_size ? 2 * r->run_size : REORDER_INITIAL;
		int64_t *run = xmalloc(size * sizeof(*run));
		// Unwrap: the oldest first.
		size_t first = r->run_size - r->run_head;
		if (first > r->run_len)
			first = r->run_len;
		if (r->run_len > 0) {
			memcpy(run, r->run + r->run_head, first * sizeof(*run));
			memcpy(run + first, r->run, (r->run_len - first) * sizeof(*run));
		}
		free(r->run);
		r->run = run;
		r->run_size = size;
		r->run_head = 0;
	}
	r->run[(r->run_head + r->run_len++) & (r->run_size - 1)] = t;
}

static void heap_push(struct reorder *r, int64_t t)
{
	if (r->heap_len == r->heap_size) {
		r->heap_size = r->heap_size ? 2 * r->heap_size : REORDER_INITIAL;
		r->heap = xrealloc(r->heap, r->heap_size * sizeof(*r->heap));
	}
	size_t i = r->heap_len++;
	while (i > 0) {
		size_t parent = (i - 1) / 2;
		if (r->heap[parent] <= t)
			break;
		r->heap[i] = r->heap[parent];
		i = parent;
	}
	r->heap[i] = t;
}

static void heap_pop(struct reorder *r)
{
	int64_t t = r->heap[--r->heap_len];
	size_t n = r->heap_len, i = 0;
	for (;;) {
		size_t c = 2 * i + 1;
		if (c >= n)
			break;
		if (c + 1 < n && r->heap[c + 1] < r->heap[c])
			c++;
		if (t <= r->heap[c])
			break;
		r->heap[i] = r->heap[c];
		i = c;
	}
	if (n > 0)
		r->heap[i] = t;
}

bool reorder_put(struct reorder *r, int64_t t)
{
	if (!r->any || t >= r->in_max) {
		r->any = true;
		r->in_max = t;
		run_push(r, t);
		return true;
	}
	int64_t behind = (int64_t)((uint64_t)r->in_max - (uint64_t)t);
	if (behind > r->max_lateness)
		r->max_lateness = behind;
	if (r->released_any && t < r->released) {
		r->late++;
		return false;
	}
	r->repaired++;
	heap_push(r, t);
	return true;
}

bool reorder_pop(struct reorder *r, bool all, int64_t *t)
{
	size_t held = r->run_len + r->heap_len;
	if (held == 0)
		return false;
	bool from_run = r->heap_len == 0 ||
		(r->run_len > 0 && r->run[r->run_head] <= r->heap[0]);
	int64_t oldest = from_run ? r->run[r->run_head] : r->heap[0];
	// oldest <= in_max: the difference fits in 64 bits unsigned.
	bool due = (uint64_t)r->in_max - (uint64_t)oldest >= (uint64_t)r->horizon;
	if (!all && !due) {
		if (held <= r->cap)
			return false;
		r->forced++;
	}
	if (from_run) {
		r->run_head = (r->run_head + 1) & (r->run_size - 1);
		r->run_len--;
	} else {
		heap_pop(r);
	}
	r->released_any = true;
	r->released = oldest;
	*t = oldest;
	return true;
}
