/*
 * bopt-gendata: writes synthetic PerformanceDataPoint NDJSON following the
 * known relation of datagen.c, for bopt train.
 *
 *   bopt-gendata [-n POINTS] [-s SEED] [-B BACKEND]... [--noise-latency SD]
 *                [--noise-throughput SD] [--collinear]
 */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>

#include "base/timestamp.h"
#include "datagen.h"

static const char usage[] =
	"usage: bopt-gendata [OPTIONS]\n"
	"  -n, --points N            points per backend (default 100)\n"
	"  -s, --seed S              random seed (default 1)\n"
	"  -B, --backend B           a backend (repeatable; default Kafka)\n"
	"      --noise-latency SD    latency noise, ms (default 0)\n"
	"      --noise-throughput SD throughput noise, events/s (default 0)\n"
	"      --collinear           consistency follows ordering\n";

int main(int argc, char *argv[])
{
	struct datagen_params p = {.seed = 1,
		.start_ns = INT64_C(1784451255) * BOPT_NS_PER_SEC};
	enum bopt_backend backends[BOPT_BACKEND_COUNT];
	size_t nbackends = 0;
	unsigned long points = 100;
	static const struct option longopts[] = {
		{"points", required_argument, NULL, 'n'}, {"seed", required_argument, NULL, 's'},
		{"backend", required_argument, NULL, 'B'},
		{"noise-latency", required_argument, NULL, 1},
		{"noise-throughput", required_argument, NULL, 2},
		{"collinear", no_argument, NULL, 3}, {"help", no_argument, NULL, 'h'}, {0},
	};
	int opt;
	while ((opt = getopt_long(argc, argv, "n:s:B:h", longopts, NULL)) != -1) {
		switch (opt) {
		case 'n': points = strtoul(optarg, NULL, 10); break;
		case 's': p.seed = strtoull(optarg, NULL, 10); break;
		case 'B':
			if (nbackends == BOPT_BACKEND_COUNT || !backend_parse(optarg, &backends[nbackends])) {
				fprintf(stderr, "bopt-gendata: bad backend '%s'\n", optarg);
				return 2;
			}
			nbackends++;
			break;
		case 1: p.noise[MODEL_LATENCY] = atof(optarg); break;
		case 2: p.noise[MODEL_THROUGHPUT] = atof(optarg); break;
		case 3: p.collinear = true; break;
		case 'h': fputs(usage, stdout); return 0;
		default: fputs(usage, stderr); return 2;
		}
	}
	if (nbackends == 0)
		backends[nbackends++] = BOPT_KAFKA;
	struct datagen g[BOPT_BACKEND_COUNT];
	for (size_t b = 0; b < nbackends; b++) {
		p.backend = backends[b];
		datagen_init(&g[b], &p);
		p.seed++;
	}
	// Interleaved: one point of each backend in turn.
	for (unsigned long i = 0; i < points; i++) {
		for (size_t b = 0; b < nbackends; b++) {
			struct bopt_data_point pt;
			datagen_next(&g[b], &pt);
			datagen_write_point(stdout, &pt);
			data_point_release(&pt);
		}
	}
	return fflush(stdout) == 0 && !ferror(stdout) ? 0 : 1;
}
