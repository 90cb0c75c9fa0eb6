#ifndef BOPT_TRACEGEN_H
#define BOPT_TRACEGEN_H

/*
 * A deterministic generator of synthetic arrival processes and oxirs
 * StreamEvent NDJSON lines, for tests and benchmarks. Same seed, same
 * trace. A generator holds no heap memory.
 */

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

enum gen_process {
	GEN_CONSTANT,  // one event every 1/rate s
	GEN_JITTER,    // period 1/rate, each gap scaled by U(1 - jitter, 1 + jitter)
	GEN_POISSON,   // exponential gaps, mean 1/rate
	GEN_ONOFF,     // Poisson at rate during exponential on periods, silent off
	GEN_SINUSOID,  // Poisson with rate(t) = rate (1 + amplitude sin(2 pi t / period))
	GEN_BATCHES,   // batch_size events spaced batch_spread/batch_size every period
};

struct gen_params {
	enum gen_process process;
	double rate;        // events/s (during on periods for GEN_ONOFF)
	double jitter;      // GEN_JITTER
	double on_s, off_s; // GEN_ONOFF mean durations
	double amplitude;   // GEN_SINUSOID, 0..1
	double period_s;    // GEN_SINUSOID, GEN_BATCHES
	unsigned batch_size;
	double batch_spread_s;
	uint64_t seed;
	int64_t start_ns;   // time of the first event
	bool transactions;  // mix in TransactionBegin/Commit
	unsigned disorder;  // swap each event with one up to this many later (0: none)
};

struct gen {
	struct gen_params p;
	uint64_t rng;
	double t;           // seconds since start
	bool on;
	double phase_end;   // end of the current on/off phase
	unsigned in_batch;
	uint64_t count;
};

void gen_init(struct gen *g, const struct gen_params *p);
// The next arrival time, ns since the epoch (non-decreasing).
int64_t gen_next(struct gen *g);
double gen_uniform(struct gen *g); // [0, 1)

// Writes one event line (with its newline) for time t into buf; returns
// its length (at most GEN_LINE_MAX).
#define GEN_LINE_MAX 1024
size_t gen_line(struct gen *g, int64_t t, char *buf);

// Parses "constant", "poisson", ...; false when unknown.
bool gen_process_parse(const char *s, enum gen_process *out);

#endif
