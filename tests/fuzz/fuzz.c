#define _GNU_SOURCE // memfd_create

#include "fuzz.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

void fuzzfile_open(struct fuzzfile *f, const uint8_t *data, size_t size)
{
	f->fd = memfd_create("bopt-fuzz", MFD_CLOEXEC);
	if (f->fd < 0) {
		perror("memfd_create");
		exit(1);
	}
	for (size_t done = 0; done < size;) {
		ssize_t w = write(f->fd, data + done, size - done);
		if (w <= 0) {
			perror("write");
			exit(1);
		}
		done += (size_t)w;
	}
	snprintf(f->path, sizeof(f->path), "/proc/self/fd/%d", f->fd);
}

void fuzzfile_close(struct fuzzfile *f)
{
	close(f->fd);
	f->fd = -1;
}

void fuzz_fail(const char *what)
{
	fprintf(stderr, "fuzz: %s\n", what);
	abort();
}

void fuzz_check_performance(const struct bopt_performance *p)
{
	const double v[] = {
		p->measured_latency_p50, p->measured_latency_p95, p->measured_latency_p99,
		p->measured_throughput, p->reliability_score, p->cost_per_hour,
		p->scalability_factor, p->resource_usage.cpu_usage_percent,
		p->resource_usage.memory_usage_mb, p->resource_usage.network_usage_mbps,
		p->resource_usage.disk_io_ops_per_sec,
	};
	for (size_t i = 0; i < sizeof(v) / sizeof(v[0]); i++)
		if (!isfinite(v[i]))
			fuzz_fail("a performance figure is not finite");
}

void fuzz_check_no_nul(const uint8_t *data, size_t size, const char *what)
{
	if (memchr(data, '\0', size) != NULL)
		fuzz_fail(what);
}
