#ifndef BOPT_REORDER_H
#define BOPT_REORDER_H

/*
 * The disorder repair: event times go in in input order and come out in
 * time order, as long as no event is more than the horizon behind the
 * latest time put in before it. An event is held until the latest time put
 * in is at least the horizon past it (or, beyond the memory cap, until it is
 * the oldest of too many); an event behind one already released is beyond
 * repair. In-order times wait in a FIFO (O(1) each), out-of-order ones in a
 * binary heap (O(log n) each).
 *
 * A reorder owns its two arrays: reorder_init, reorder_destroy (also of a
 * zeroed one).
 */

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

// --max-disorder's default: producers with clocks seconds apart are common.
#define REORDER_DEFAULT_HORIZON_NS (INT64_C(10) * 1000000000)
// Times held at most, over all the inputs of one analysis: 2^22 events,
// 32 MiB in the FIFO or the heap, 64 MiB at worst with both at their most.
#define REORDER_CAP (1u << 22)

struct reorder {
	int64_t horizon; // ns
	size_t cap;      // times held at most

	int64_t *run;    // FIFO ring of in-order times, run_size a power of two
	size_t run_size, run_head, run_len;
	int64_t *heap;   // min-heap of times that came in out of order
	size_t heap_size, heap_len;

	bool any;             // a time was put in
	int64_t in_max;       // the latest time put in (the watermark)
	bool released_any;
	int64_t released;     // the latest time released

	// Disorder seen.
	uint64_t repaired;     // came in behind the watermark, put in place
	uint64_t late;         // came in behind a released time: beyond repair
	uint64_t forced;       // released early because of the cap
	int64_t max_lateness;  // ns: the most any time was behind the watermark
};

void reorder_init(struct reorder *r, int64_t horizon, size_t cap);
void reorder_destroy(struct reorder *r);
// Empties it, keeping its arrays, horizon and cap.
void reorder_reset(struct reorder *r);

// Puts t in; false when it is beyond repair (then it is not held).
bool reorder_put(struct reorder *r, int64_t t);
// Takes the oldest time held if it is due (all: whatever its time).
bool reorder_pop(struct reorder *r, bool all, int64_t *t);

#endif
