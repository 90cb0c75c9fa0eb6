#include "base/util.h"

#include <errno.h>
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static bopt_warn_routine *warn_routine;

void bopt_set_warn_routine(bopt_warn_routine *fn)
{
	warn_routine = fn;
}

void bopt_warn(const char *fmt, ...)
{
	if (warn_routine == NULL)
		return;
	char msg[BOPT_ERR_MAX];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	warn_routine(msg);
}

bool bopt_errf(char *err, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(err, BOPT_ERR_MAX, fmt, ap);
	va_end(ap);
	return false;
}

static void *check_alloc(void *p)
{
	if (p == NULL) {
		bopt_warn("out of memory");
		exit(1);
	}
	return p;
}

void *xmalloc(size_t size)
{
	return check_alloc(malloc(size ? size : 1));
}

void *xcalloc(size_t n, size_t size)
{
	return check_alloc(calloc(n ? n : 1, size ? size : 1));
}

void *xrealloc(void *ptr, size_t size)
{
	return check_alloc(realloc(ptr, size ? size : 1));
}

char *xstrdup(const char *s)
{
	return check_alloc(strdup(s));
}

bool parse_double(const char *s, double *out)
{
	char *end;
	errno = 0;
	double v = strtod(s, &end);
	if (end == s || *end != '\0' || errno == ERANGE || !isfinite(v))
		return false;
	*out = v;
	return true;
}

bool parse_size(const char *s, size_t *out)
{
	if (*s < '0' || *s > '9')
		return false;
	char *end;
	errno = 0;
	unsigned long long v = strtoull(s, &end, 10);
	if (*end != '\0' || errno == ERANGE || v > (unsigned long long)SIZE_MAX)
		return false;
	*out = (size_t)v;
	return true;
}

bool parse_duration(const char *s, long long *ns)
{
	static const struct {
		const char *suffix;
		double scale; // nanoseconds per unit
	} units[] = {
		{"", 1e9}, {"ms", 1e6}, {"s", 1e9}, {"m", 60e9},
		{"h", 3600e9}, {"d", 86400e9},
	};
	char *end;
	errno = 0;
	double v = strtod(s, &end);
	if (end == s || errno == ERANGE || !isfinite(v) || v <= 0)
		return false;
	for (size_t i = 0; i < sizeof(units) / sizeof(units[0]); i++) {
		if (strcmp(end, units[i].suffix) == 0) {
			double total = v * units[i].scale;
			if (total >= 9.2e18)
				return false;
			*ns = (long long)total;
			return *ns > 0;
		}
	}
	return false;
}
