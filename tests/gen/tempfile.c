#include "tempfile.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static void fail(const char *what)
{
	perror(what);
	exit(1);
}

char *temp_file_with(const char *data, size_t len)
{
	char *path = strdup("/tmp/bopt-test-XXXXXX");
	int fd = path ? mkstemp(path) : -1;
	if (fd < 0)
		fail("mkstemp");
	if (write(fd, data, len) != (ssize_t)len)
		fail("write");
	close(fd);
	return path;
}

char *slurp_file(const char *path, size_t *len)
{
	FILE *f = fopen(path, "rb");
	if (f == NULL)
		fail(path);
	size_t cap = 4096, n = 0;
	char *buf = malloc(cap);
	size_t got;
	while (buf != NULL && (got = fread(buf + n, 1, cap - n, f)) > 0) {
		n += got;
		if (n == cap)
			buf = realloc(buf, cap *= 2);
	}
	if (buf == NULL || ferror(f))
		fail(path);
	fclose(f);
	*len = n;
	return buf;
}
