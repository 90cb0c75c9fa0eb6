// The bench's non-validating floor, built by bench.sh: what reading a trace
// costs with no JSON parsing at all. Per line: memchr for its end, memmem
// for "timestamp", and an SSE2 check that the line is ASCII. Prints the
// lines, the hits and the non-ASCII lines so the work cannot be skipped.
//
//   floor TRACE
#define _GNU_SOURCE
#include <emmintrin.h>
#include <fcntl.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define CHUNK (2u << 20)

static bool ascii(const char *p, size_t n)
{
	__m128i any = _mm_setzero_si128();
	size_t i = 0;
	for (; i + 16 <= n; i += 16)
		any = _mm_or_si128(any, _mm_loadu_si128((const __m128i *)(const void *)(p + i)));
	unsigned char tail = 0;
	for (; i < n; i++)
		tail |= (unsigned char)p[i];
	return _mm_movemask_epi8(any) == 0 && tail < 0x80;
}

int main(int argc, char **argv)
{
	if (argc != 2) {
		fprintf(stderr, "usage: floor TRACE\n");
		return 2;
	}
	int fd = open(argv[1], O_RDONLY);
	if (fd < 0) {
		perror(argv[1]);
		return 1;
	}
	char *buf = malloc(2 * CHUNK);
	size_t have = 0;
	uint64_t lines = 0, hits = 0, wide = 0;
	for (;;) {
		ssize_t r = read(fd, buf + have, 2 * CHUNK - have);
		if (r < 0) {
			perror(argv[1]);
			return 1;
		}
		have += (size_t)r;
		char *p = buf, *end = buf + have, *nl;
		while ((nl = memchr(p, '\n', (size_t)(end - p))) != NULL ||
				(r == 0 && p < end)) {
			char *eol = nl ? nl : end;
			lines++;
			hits += memmem(p, (size_t)(eol - p), "\"timestamp\"", 11) != NULL;
			wide += !ascii(p, (size_t)(eol - p));
			p = nl ? nl + 1 : end;
		}
		if (r == 0)
			break;
		have = (size_t)(end - p);
		memmove(buf, p, have);
	}
	printf("%llu lines, %llu with a timestamp, %llu not ASCII\n", (unsigned long long)lines,
		(unsigned long long)hits, (unsigned long long)wide);
	free(buf);
	close(fd);
	return 0;
}
