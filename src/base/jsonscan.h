#ifndef BOPT_JSONSCAN_H
#define BOPT_JSONSCAN_H

/*
 * A strict, allocation-free JSON scanner over one in-memory text, used on
 * the hot path of trace reading where building a tree per line would cost
 * more than everything else together. It validates as it goes (RFC 8259:
 * grammar, escapes, UTF-8, no control characters in strings) and stops at
 * the first error, leaving its offset and a reason in the scanner.
 */

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

// serde_json's own recursion limit.
#define JS_MAX_DEPTH 128

struct js {
	const char *p, *start, *end;
	int depth;
	const char *error;   // reason, NULL while all is well
	size_t error_offset; // from start
	// The SIMD pre-pass (js_init_indexed): bit i % 64 of special[i / 64] is
	// set where start[i] is '"', '\\', a control character or a byte of a
	// multi-byte UTF-8 sequence (and for the bytes past end in the last
	// word); strings are then bit-scan jumps. NULL: scanned without one.
	// The masks may describe a larger text than the one scanned, from
	// special_base on (start, unless js_init_window): a block's lines share
	// one pre-pass.
	const uint64_t *special;
	size_t special_words;
	const char *special_base;
};

// Mask words for a text of len bytes.
#define JS_INDEX_WORDS(len) (((len) + 63) / 64)

struct js_string {
	const char *p; // raw bytes between the quotes
	size_t len;
	bool escaped;  // contains a backslash: decode with js_string_decode
};

void js_init(struct js *s, const char *text, size_t len);
// As js_init, with the pre-pass written to words (JS_INDEX_WORDS(len) of
// them; with fewer, the text is scanned without it). The masks are the
// caller's and must outlive the scan. AVX2 where the processor has it
// (chosen at run time), else SSE2, else (-DBOPT_NO_SIMD or not x86) a
// portable loop; the scan gives the same answer every way.
void js_init_indexed(struct js *s, const char *text, size_t len, uint64_t *words,
	size_t nwords);
// The pre-pass js_init_indexed makes, into words (JS_INDEX_WORDS(len)).
void js_index(const char *text, size_t len, uint64_t *words);
// As js_init, with masks made by js_index for a text from base that
// holds text[0, len) within its nwords * 64 bytes.
void js_init_window(struct js *s, const char *text, size_t len, const uint64_t *words,
	size_t nwords, const char *base);
// The pre-pass alone (exposed for tests): which of "avx2", "sse2" and
// "scalar" js_init_indexed uses here, and the masks made by one of them
// (NULL: the one chosen).
const char *js_index_kind(void);
void js_index_with(const char *kind, const char *text, size_t len, uint64_t *words);
bool js_fail(struct js *s, const char *reason);
void js_skip_ws(struct js *s);
// Consumes c after optional white space, or fails.
bool js_expect(struct js *s, char c);
// Peeks at the next non-white-space byte; 0 at the end (and at a NUL byte:
// use js_at_end to tell them apart).
char js_peek(struct js *s);
// Skips white space; true when nothing else is left.
bool js_at_end(struct js *s);
bool js_string(struct js *s, struct js_string *out);
bool js_skip_value(struct js *s);

// Iterates an object: call js_object_begin, then js_object_next until it
// returns false (check s->error to tell the end from a failure). Each
// member's value must be consumed (js_skip_value or a nested scan) before
// the next call.
bool js_object_begin(struct js *s);
bool js_object_next(struct js *s, bool *first, struct js_string *key);
// After the last member: consumes the closing brace (js_object_next does).

// True when text is the start of a JSON object or array cut off before its
// end (what a killed appender leaves), as opposed to a whole value or text
// with an error of its own.
bool js_is_cut(const char *text, size_t len);

// Decodes a string into buf (UTF-8); false if it does not fit.
bool js_string_decode(const struct js_string *str, char *buf, size_t size, size_t *len);
// Compares a scanned string with an ASCII literal of len bytes;
// js_string_is takes a string literal. Unescaped keys of 8 to 16 bytes
// compare by length and two 8-byte loads (one at each end).
bool js_string_eq_escaped(const struct js_string *str, const char *lit, size_t len);
static inline uint64_t js_load8(const char *p)
{
	uint64_t v;
	memcpy(&v, p, sizeof(v));
	return v;
}
static inline bool js_string_eq(const struct js_string *str, const char *lit, size_t len)
{
	if (str->escaped)
		return js_string_eq_escaped(str, lit, len);
	if (str->len != len)
		return false;
	if (len >= 8 && len <= 16)
		return js_load8(str->p) == js_load8(lit) &&
			js_load8(str->p + len - 8) == js_load8(lit + len - 8);
	return memcmp(str->p, lit, len) == 0;
}
#define js_string_is(str, lit) js_string_eq((str), (lit), sizeof(lit) - 1)

#endif
