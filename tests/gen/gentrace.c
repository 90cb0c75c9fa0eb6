/*
 * bopt-gentrace: writes a synthetic oxirs StreamEvent NDJSON trace.
 *
 *   bopt-gentrace [-p PROCESS] [-r RATE] [-n EVENTS | -b BYTES] [-s SEED] ...
 */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/timestamp.h"
#include "tracegen.h"

static const char usage[] =
	"usage: bopt-gentrace [OPTIONS]\n"
	"  -p, --process P     constant, jitter, poisson (default), onoff, sinusoid, batches\n"
	"  -r, --rate R        events/s (default 1000)\n"
	"  -n, --events N      number of events (default 100000)\n"
	"  -b, --bytes B       write events until B bytes (overrides -n)\n"
	"  -s, --seed S        random seed (default 1)\n"
	"      --jitter J      relative gap jitter for jitter (default 0.3)\n"
	"      --on S --off S  mean on/off durations for onoff (default 2, 4)\n"
	"      --amplitude A   for sinusoid (default 0.8)\n"
	"      --period S      for sinusoid and batches (default 60, 10)\n"
	"      --batch N       events per batch (default 500)\n"
	"      --spread S      duration of a batch (default 0.05)\n"
	"      --transactions  mix in transaction events\n"
	"      --disorder K    displace events by up to K places\n"
	"      --shuffle S     shuffle the lines within windows of S seconds (the\n"
	"                      same lines as without it, in another order)\n";

// Lines of one shuffle window, written in a random order (an RNG of its
// own, so that the lines are those written without --shuffle).
struct shuffle {
	int64_t width, end; // ns; the current window ends at end
	uint64_t rng;
	char *text;
	size_t used, size;
	size_t *start; // line i is text[start[i], start[i + 1])
	size_t n, cap;
};

static void shuffle_write(struct shuffle *sh)
{
	for (size_t i = sh->n; i > 1; i--) {
		sh->rng = sh->rng * 6364136223846793005ULL + 1442695040888963407ULL;
		size_t j = (size_t)((sh->rng >> 33) % i);
		size_t a = sh->start[i - 1];
		sh->start[i - 1] = sh->start[j];
		sh->start[j] = a;
	}
	for (size_t i = 0; i < sh->n; i++) {
		const char *line = sh->text + sh->start[i];
		fwrite(line, 1, (size_t)(strchr(line, '\n') - line) + 1, stdout);
	}
	sh->n = 0;
	sh->used = 0;
}

static void shuffle_add(struct shuffle *sh, int64_t t, const char *line, size_t len)
{
	if (t >= sh->end) {
		shuffle_write(sh);
		while (t >= sh->end)
			sh->end += sh->width;
	}
	if (sh->used + len > sh->size) {
		sh->size = 2 * (sh->used + len);
		sh->text = realloc(sh->text, sh->size);
	}
	if (sh->n == sh->cap) {
		sh->cap = sh->cap ? 2 * sh->cap : 1024;
		sh->start = realloc(sh->start, sh->cap * sizeof(*sh->start));
	}
	if (sh->text == NULL || sh->start == NULL) {
		fputs("bopt-gentrace: out of memory\n", stderr);
		exit(1);
	}
	memcpy(sh->text + sh->used, line, len);
	sh->start[sh->n++] = sh->used;
	sh->used += len;
}

int main(int argc, char *argv[])
{
	struct gen_params p = {
		.process = GEN_POISSON, .rate = 1000, .jitter = 0.3, .on_s = 2, .off_s = 4,
		.amplitude = 0.8, .batch_size = 500, .batch_spread_s = 0.05, .seed = 1,
		.start_ns = INT64_C(1784451255) * BOPT_NS_PER_SEC,
	};
	double period = -1, shuffle_s = 0;
	unsigned long long events = 100000, bytes = 0;
	static const struct option longopts[] = {
		{"process", required_argument, NULL, 'p'}, {"rate", required_argument, NULL, 'r'},
		{"events", required_argument, NULL, 'n'}, {"bytes", required_argument, NULL, 'b'},
		{"seed", required_argument, NULL, 's'}, {"jitter", required_argument, NULL, 1},
		{"on", required_argument, NULL, 2}, {"off", required_argument, NULL, 3},
		{"amplitude", required_argument, NULL, 4}, {"period", required_argument, NULL, 5},
		{"batch", required_argument, NULL, 6}, {"spread", required_argument, NULL, 7},
		{"transactions", no_argument, NULL, 8}, {"disorder", required_argument, NULL, 9},
		{"shuffle", required_argument, NULL, 10},
		{"help", no_argument, NULL, 'h'}, {0},
	};
	int opt;
	while ((opt = getopt_long(argc, argv, "p:r:n:b:s:h", longopts, NULL)) != -1) {
		switch (opt) {
		case 'p':
			if (!gen_process_parse(optarg, &p.process)) {
				fprintf(stderr, "bopt-gentrace: unknown process '%s'\n", optarg);
				return 2;
			}
			break;
		case 'r': p.rate = atof(optarg); break;
		case 'n': events = strtoull(optarg, NULL, 10); break;
		case 'b': bytes = strtoull(optarg, NULL, 10); break;
		case 's': p.seed = strtoull(optarg, NULL, 10); break;
		case 1: p.jitter = atof(optarg); break;
		case 2: p.on_s = atof(optarg); break;
		case 3: p.off_s = atof(optarg); break;
		case 4: p.amplitude = atof(optarg); break;
		case 5: period = atof(optarg); break;
		case 6: p.batch_size = (unsigned)atoi(optarg); break;
		case 7: p.batch_spread_s = atof(optarg); break;
		case 8: p.transactions = true; break;
		case 9: p.disorder = (unsigned)atoi(optarg); break;
		case 10: shuffle_s = atof(optarg); break;
		case 'h': fputs(usage, stdout); return 0;
		default: fputs(usage, stderr); return 2;
		}
	}
	p.period_s = period > 0 ? period : p.process == GEN_BATCHES ? 10 : 60;

	struct gen g;
	gen_init(&g, &p);
	static char out[1 << 20];
	size_t used = 0;
	unsigned long long written = 0;
	// A small ring displaces events to make disorder, deterministically.
	enum { RING = 64 };
	int64_t ring[RING];
	unsigned k = p.disorder < RING ? p.disorder : RING - 1;
	unsigned filled = 0;
	struct shuffle sh = {.width = (int64_t)(shuffle_s * 1e9), .end = p.start_ns,
		.rng = p.seed};
	if (shuffle_s > 0) {
		for (unsigned long long i = 0; bytes ? written < bytes : i < events; i++) {
			int64_t t = gen_next(&g);
			size_t n = gen_line(&g, t, out);
			shuffle_add(&sh, t, out, n);
			written += n;
		}
		shuffle_write(&sh);
		free(sh.text);
		free(sh.start);
		return fflush(stdout) == 0 ? 0 : 1;
	}
	for (unsigned long long i = 0; bytes ? written < bytes : i < events; i++) {
		int64_t t = gen_next(&g);
		if (k > 0) {
			ring[filled % RING] = t;
			filled++;
			if (filled <= k)
				continue;
			unsigned pick = (unsigned)(gen_uniform(&g) * (k + 1));
			unsigned oldest = (filled - k - 1) % RING;
			unsigned slot = (oldest + pick) % RING;
			int64_t tmp = ring[oldest];
			ring[oldest] = ring[slot];
			ring[slot] = tmp;
			t = ring[oldest];
		}
		if (used + GEN_LINE_MAX > sizeof(out)) {
			fwrite(out, 1, used, stdout);
			used = 0;
		}
		size_t n = gen_line(&g, t, out + used);
		used += n;
		written += n;
	}
	// Release what the disorder ring still holds, in order.
	for (unsigned i = filled > k ? filled - k : 0; i < filled; i++) {
		if (used + GEN_LINE_MAX > sizeof(out)) {
			fwrite(out, 1, used, stdout);
			used = 0;
		}
		used += gen_line(&g, ring[i % RING], out + used);
	}
	fwrite(out, 1, used, stdout);
	return fflush(stdout) == 0 ? 0 : 1;
}
