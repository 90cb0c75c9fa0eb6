#ifndef BOPT_UTIL_H
#define BOPT_UTIL_H

/*
 * Small shared helpers: error buffers, warnings, allocation wrappers that end
 * the process on exhaustion, and number parsers. Callers own what x* returns.
 * The library prints nothing itself: a warning goes to the routine that the
 * program installed (cli/diag.c prints "bopt: MSG" on stderr), or nowhere.
 */

#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>

#define BOPT_ERR_MAX 512

// BOPT_FLATTEN: every call inside the function inlined where it can be (a
// hot loop over a scanner whose state then lives in registers).
#if defined(__GNUC__)
#define BOPT_PRINTF(a, b) __attribute__((format(printf, a, b)))
#define BOPT_FLATTEN __attribute__((flatten))
#else
#define BOPT_PRINTF(a, b)
#define BOPT_FLATTEN
#endif

typedef void bopt_warn_routine(const char *msg);
void bopt_set_warn_routine(bopt_warn_routine *fn);
// Formats a warning (a message without the "bopt: " prefix) and hands it to
// the installed routine.
void bopt_warn(const char *fmt, ...) BOPT_PRINTF(1, 2);
// Formats into an error buffer of BOPT_ERR_MAX bytes; returns false so that
// "return bopt_errf(err, ...)" reads naturally in parsers.
bool bopt_errf(char *err, const char *fmt, ...) BOPT_PRINTF(2, 3);

void *xmalloc(size_t size);
void *xcalloc(size_t n, size_t size);
void *xrealloc(void *ptr, size_t size);
char *xstrdup(const char *s);

// Parses a whole string as a finite double / a non-negative integer.
bool parse_double(const char *s, double *out);
bool parse_size(const char *s, size_t *out);
// Parses a duration such as "90", "90s", "15m", "2h", "1d", "500ms" into
// nanoseconds (a plain number is seconds).
bool parse_duration(const char *s, long long *ns);

#endif
