#ifndef BOPT_JSONW_H
#define BOPT_JSONW_H

/*
 * A JSON writer into a growing buffer, formatted as serde_json writes:
 * floats in shortest round-trip form with a ".0" on whole numbers, and
 * either compact or pretty (two-space indent). The writer owns its buffer;
 * jw_release frees it, jw_take hands it to the caller.
 */

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

struct jw {
	char *buf;
	size_t len, cap;
	bool pretty;
	int depth;
	bool first;   // no member written yet at the current depth
	bool after_key;
};

void jw_init(struct jw *w, bool pretty);
void jw_release(struct jw *w);
// Returns the NUL-terminated text; the writer is left empty.
char *jw_take(struct jw *w, size_t *len);
bool jw_write(struct jw *w, FILE *out);

void jw_object_begin(struct jw *w);
void jw_object_end(struct jw *w);
void jw_array_begin(struct jw *w);
void jw_array_end(struct jw *w);
void jw_key(struct jw *w, const char *key);
void jw_string(struct jw *w, const char *s);
void jw_string_n(struct jw *w, const char *s, size_t len);
// A non-finite value is written as null, as serde_json does.
void jw_double(struct jw *w, double v);
void jw_uint(struct jw *w, uint64_t v);
void jw_int(struct jw *w, int64_t v);
void jw_bool(struct jw *w, bool v);
void jw_null(struct jw *w);
void jw_time(struct jw *w, int64_t ns); // RFC 3339 string

// Formats a double as serde_json does ("100.0", "0.1", "1e-7", "1.5e16").
// buf needs 32 bytes.
void format_double(double v, char buf[static 32]);

#endif
