#include "base/jsonscan.h"

#include <stdint.h>
#include <string.h>

// True for bytes that end the fast path inside a string: '"', '\\', control
// characters and every byte of a multi-byte UTF-8 sequence.
static inline bool string_special(unsigned char c)
{
	return c < 0x20 || c == '"' || c == '\\' || c >= 0x80;
}

// x86 gets SSE2 (every x86-64 has it) and AVX2 where the processor has it,
// chosen at run time: bopt is built without -march. -DBOPT_NO_SIMD leaves
// the portable loops, as on other processors.
#if !defined(BOPT_NO_SIMD) && defined(__SSE2__) && (defined(__x86_64__) || defined(__i386__))
#define JS_X86 1
#include <immintrin.h>
#endif

// Skips the bytes that need no attention inside a string, 16 at a time
// where SSE2 is there (for texts scanned without the pre-pass).
static inline const char *skip_plain(const char *p, const char *end)
{
#ifdef JS_X86
	const __m128i quote = _mm_set1_epi8('"'), backslash = _mm_set1_epi8('\\');
	const __m128i space = _mm_set1_epi8(0x20);
	while (end - p >= 16) {
		__m128i v = _mm_loadu_si128((const __m128i *)(const void *)p);
		// Signed: bytes >= 0x80 are negative, so one compare finds them
		// together with the control characters.
		__m128i special = _mm_or_si128(_mm_cmplt_epi8(v, space),
			_mm_or_si128(_mm_cmpeq_epi8(v, quote), _mm_cmpeq_epi8(v, backslash)));
		int mask = _mm_movemask_epi8(special);
		if (mask != 0)
			return p + __builtin_ctz((unsigned)mask);
		p += 16;
	}
#endif
	while (p < end && !string_special((unsigned char)*p))
		p++;
	return p;
}

/* The pre-pass: one 64-bit mask of string_special bytes per 64 bytes of
   text. The last word is made from a copy padded with NUL bytes, which are
   special: a scan for the end of a string stops at the text's end. */

// Fills words[0, JS_INDEX_WORDS(len)) with word(64 bytes) for each 64 bytes.
#define INDEX_TEXT(word, text, len, words) do { \
	size_t full_ = (len) / 64; \
	for (size_t i_ = 0; i_ < full_; i_++) \
		(words)[i_] = word((text) + i_ * 64); \
	if ((len) % 64 != 0) { \
		char pad_[64] = {0}; \
		memcpy(pad_, (text) + full_ * 64, (len) % 64); \
		(words)[full_] = word(pad_); \
	} \
} while (0)

static uint64_t special_word_scalar(const char *p)
{
	uint64_t m = 0;
	for (unsigned i = 0; i < 64; i++)
		m |= (uint64_t)string_special((unsigned char)p[i]) << i;
	return m;
}

static void index_scalar(const char *text, size_t len, uint64_t *words)
{
	INDEX_TEXT(special_word_scalar, text, len, words);
}

#ifdef JS_X86
static inline uint64_t special16_sse2(const char *p)
{
	__m128i v = _mm_loadu_si128((const __m128i *)(const void *)p);
	__m128i special = _mm_or_si128(_mm_cmplt_epi8(v, _mm_set1_epi8(0x20)),
		_mm_or_si128(_mm_cmpeq_epi8(v, _mm_set1_epi8('"')),
			_mm_cmpeq_epi8(v, _mm_set1_epi8('\\'))));
	return (uint64_t)(unsigned)_mm_movemask_epi8(special);
}

static inline uint64_t special_word_sse2(const char *p)
{
	return special16_sse2(p) | special16_sse2(p + 16) << 16 |
		special16_sse2(p + 32) << 32 | special16_sse2(p + 48) << 48;
}

static void index_sse2(const char *text, size_t len, uint64_t *words)
{
	INDEX_TEXT(special_word_sse2, text, len, words);
}

__attribute__((target("avx2")))
static inline uint64_t special32_avx2(const char *p)
{
	__m256i v = _mm256_loadu_si256((const __m256i *)(const void *)p);
	__m256i special = _mm256_or_si256(_mm256_cmpgt_epi8(_mm256_set1_epi8(0x20), v),
		_mm256_or_si256(_mm256_cmpeq_epi8(v, _mm256_set1_epi8('"')),
			_mm256_cmpeq_epi8(v, _mm256_set1_epi8('\\'))));
	return (uint64_t)(uint32_t)_mm256_movemask_epi8(special);
}

__attribute__((target("avx2")))
static inline uint64_t special_word_avx2(const char *p)
{
	return special32_avx2(p) | special32_avx2(p + 32) << 32;
}

__attribute__((target("avx2")))
static void index_avx2(const char *text, size_t len, uint64_t *words)
{
	INDEX_TEXT(special_word_avx2, text, len, words);
}
#endif

const char *js_index_kind(void)
{
#ifdef JS_X86
	return __builtin_cpu_supports("avx2") ? "avx2" : "sse2";
#else
	return "scalar";
#endif
}

void js_index_with(const char *kind, const char *text, size_t len, uint64_t *words)
{
	if (kind == NULL)
		kind = js_index_kind();
#ifdef JS_X86
	if (strcmp(kind, "avx2") == 0 && __builtin_cpu_supports("avx2")) {
		index_avx2(text, len, words);
		return;
	}
	if (strcmp(kind, "sse2") == 0) {
		index_sse2(text, len, words);
		return;
	}
#endif
	index_scalar(text, len, words);
}

void js_index(const char *text, size_t len, uint64_t *words)
{
#ifdef JS_X86
	if (__builtin_cpu_supports("avx2"))
		index_avx2(text, len, words);
	else
		index_sse2(text, len, words);
#else
	index_scalar(text, len, words);
#endif
}

void js_init_indexed(struct js *s, const char *text, size_t len, uint64_t *words,
	size_t nwords)
{
	if (nwords < JS_INDEX_WORDS(len)) {
		js_init(s, text, len);
		return;
	}
	js_index(text, len, words);
	js_init_window(s, text, len, words, JS_INDEX_WORDS(len), text);
}

void js_init_window(struct js *s, const char *text, size_t len, const uint64_t *words,
	size_t nwords, const char *base)
{
	js_init(s, text, len);
	s->special = words;
	s->special_words = nwords;
	s->special_base = base;
}

// The first special byte at or after p (end if none): a bit scan.
static inline const char *next_special(const struct js *s, const char *p)
{
	if (p >= s->end)
		return s->end;
	size_t i = (size_t)(p - s->special_base), w = i / 64;
	uint64_t m = s->special[w] & (~(uint64_t)0 << (i % 64));
	while (m == 0) {
		if (++w == s->special_words)
			return s->end;
		m = s->special[w];
	}
	// The masks may go on past end (into the next line of a block).
	const char *q = s->special_base + w * 64 + (size_t)__builtin_ctzll(m);
	return q < s->end ? q : s->end;
}

void js_init(struct js *s, const char *text, size_t len)
{
	*s = (struct js){.p = text, .start = text, .end = text + len, .special_base = text};
}

bool js_fail(struct js *s, const char *reason)
{
	if (s->error == NULL) {
		s->error = reason;
		s->error_offset = (size_t)(s->p - s->start);
	}
	return false;
}

void js_skip_ws(struct js *s)
{
	if (s->p < s->end && (unsigned char)*s->p > ' ')
		return; // the usual case: no white space
	while (s->p < s->end && (*s->p == ' ' || *s->p == '\t' || *s->p == '\n' || *s->p == '\r'))
		s->p++;
}

char js_peek(struct js *s)
{
	js_skip_ws(s);
	return s->p < s->end ? *s->p : 0;
}

bool js_at_end(struct js *s)
{
	js_skip_ws(s);
	return s->p == s->end;
}

// A UTF-8 byte order mark where a value should start (files saved by some
// Windows editors): named, as "expected a value" would puzzle.
static bool at_bom(const struct js *s)
{
	return s->end - s->p >= 3 && memcmp(s->p, "\xEF\xBB\xBF", 3) == 0;
}

#define JS_BOM_REASON "a UTF-8 byte order mark (BOM); bopt reads JSON without one"

bool js_expect(struct js *s, char c)
{
	if (js_peek(s) != c) {
		static const char *const reasons[] = {"expected '{'", "expected ':'",
			"expected '\"'", "expected '}'", "expected a value"};
		const char *r = c == '{' ? reasons[0] : c == ':' ? reasons[1] :
			c == '"' ? reasons[2] : c == '}' ? reasons[3] : reasons[4];
		return js_fail(s, s->p == s->end ? "unexpected end of line" :
			at_bom(s) ? JS_BOM_REASON : r);
	}
	s->p++;
	return true;
}

// The escapes other than \u: \" \\ \/ \b \f \n \r \t.
static inline bool simple_escape(char e)
{
	switch (e) {
	case '"': case '\\': case '/': case 'b': case 'f': case 'n': case 'r': case 't':
		return true;
	default:
		return false;
	}
}

static int hex_value(char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

static bool read_hex4(const char *p, const char *end, unsigned *out)
{
	if (end - p < 4)
		return false;
	unsigned v = 0;
	for (int i = 0; i < 4; i++) {
		int h = hex_value(p[i]);
		if (h < 0)
			return false;
		v = v << 4 | (unsigned)h;
	}
	*out = v;
	return true;
}

// Validates one UTF-8 sequence at s->p (first byte >= 0x80).
static bool utf8_sequence(struct js *s)
{
	const unsigned char *p = (const unsigned char *)s->p;
	size_t avail = (size_t)(s->end - s->p);
	unsigned c = p[0], need, min;
	if (c >= 0xc2 && c <= 0xdf) {
		need = 1;
		min = 0x80;
	} else if (c >= 0xe0 && c <= 0xef) {
		need = 2;
		min = 0x800;
	} else if (c >= 0xf0 && c <= 0xf4) {
		need = 3;
		min = 0x10000;
	} else {
		return js_fail(s, "invalid UTF-8");
	}
	if (avail <= need)
		return js_fail(s, "invalid UTF-8");
	unsigned cp = c & (0x3f >> need);
	for (unsigned i = 1; i <= need; i++) {
		if ((p[i] & 0xc0) != 0x80)
			return js_fail(s, "invalid UTF-8");
		cp = cp << 6 | (p[i] & 0x3f);
	}
	if (cp < min || cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff))
		return js_fail(s, "invalid UTF-8");
	s->p += need + 1;
	return true;
}

// js_expect for the usual case, c right there with no white space before.
static inline bool expect_here(struct js *s, char c)
{
	if (s->p < s->end && *s->p == c) {
		s->p++;
		return true;
	}
	return js_expect(s, c);
}

// The rest of a string from s->p, a special byte that is not its closing
// quote: escapes, UTF-8 sequences and errors, kept out of the fast path.
static __attribute__((noinline)) bool string_rest(struct js *s, struct js_string *out)
{
	for (;;) {
		if (s->p == s->end)
			return js_fail(s, "unterminated string");
		unsigned char c = (unsigned char)*s->p;
		if (c == '"')
			break;
		if (c < 0x20)
			return js_fail(s, c == 0 ? "NUL byte in string" : "control character in string");
		if (c >= 0x80) {
			if (!utf8_sequence(s))
				return false;
		} else {
			// A backslash escape.
			out->escaped = true;
			if (s->end - s->p < 2)
				return js_fail(s, "unterminated string");
			char e = s->p[1];
			unsigned u;
			if (simple_escape(e)) {
				s->p += 2;
			} else if (e != 'u' || !read_hex4(s->p + 2, s->end, &u)) {
				return js_fail(s, "invalid escape in string");
			} else if (u >= 0xdc00 && u <= 0xdfff) {
				return js_fail(s, "unpaired surrogate in string");
			} else {
				if (u >= 0xd800 && u <= 0xdbff) {
					const char *lo_p = s->p + 6;
					unsigned lo;
					if (s->end - lo_p < 6 || lo_p[0] != '\\' || lo_p[1] != 'u' ||
							!read_hex4(lo_p + 2, s->end, &lo) || lo < 0xdc00 ||
							lo > 0xdfff)
						return js_fail(s, "unpaired surrogate in string");
					s->p += 6;
				}
				s->p += 6;
			}
		}
		s->p = s->special ? next_special(s, s->p) : skip_plain(s->p, s->end);
	}
	out->len = (size_t)(s->p - out->p);
	s->p++;
	return true;
}

// A string: the usual one (plain bytes up to its closing quote) here, in
// the caller, the rest in string_rest.
static inline bool string_at(struct js *s, struct js_string *out)
{
	if (!expect_here(s, '"'))
		return false;
	const char *p = s->p;
	out->p = p;
	out->escaped = false;
	p = s->special ? next_special(s, p) : skip_plain(p, s->end);
	if (p < s->end && *p == '"') {
		out->len = (size_t)(p - out->p);
		s->p = p + 1;
		return true;
	}
	s->p = p;
	return string_rest(s, out);
}

bool js_string(struct js *s, struct js_string *out)
{
	return string_at(s, out);
}

static bool digits(struct js *s)
{
	const char *begin = s->p;
	while (s->p < s->end && *s->p >= '0' && *s->p <= '9')
		s->p++;
	return s->p > begin || js_fail(s, "invalid number");
}

static bool number(struct js *s)
{
	if (*s->p == '-')
		s->p++;
	if (s->p < s->end && *s->p == '0')
		s->p++;
	else if (!digits(s))
		return false;
	if (s->p < s->end && *s->p == '.') {
		s->p++;
		if (!digits(s))
			return false;
	}
	if (s->p < s->end && (*s->p == 'e' || *s->p == 'E')) {
		s->p++;
		if (s->p < s->end && (*s->p == '+' || *s->p == '-'))
			s->p++;
		if (!digits(s))
			return false;
	}
	return true;
}

// true, false or null: compared as one 4-byte word (and false's 'e').
static bool literal(struct js *s, const char *word, size_t len)
{
	uint32_t have, want;
	if ((size_t)(s->end - s->p) < len)
		return js_fail(s, "expected a value");
	memcpy(&have, s->p, 4);
	memcpy(&want, word, 4);
	if (have != want || (len > 4 && s->p[4] != word[4]))
		return js_fail(s, "expected a value");
	s->p += len;
	return true;
}

static bool enter(struct js *s)
{
	if (++s->depth > JS_MAX_DEPTH) {
		s->p--; // the column named is the bracket's, not the byte after it
		return js_fail(s, "nesting deeper than 128 levels");
	}
	return true;
}

bool js_object_begin(struct js *s)
{
	return js_expect(s, '{') && enter(s);
}

bool js_object_next(struct js *s, bool *first, struct js_string *key)
{
	char c = js_peek(s);
	if (*first) {
		*first = false;
		if (c == '}') {
			s->p++;
			s->depth--;
			return false;
		}
	} else {
		if (c == '}') {
			s->p++;
			s->depth--;
			return false;
		}
		if (c != ',')
			return js_fail(s, s->p == s->end ? "unexpected end of line" :
				"expected ',' or '}'");
		s->p++;
	}
	return string_at(s, key) && expect_here(s, ':');
}

static bool array(struct js *s)
{
	s->p++;
	if (!enter(s))
		return false;
	if (js_peek(s) == ']') {
		s->p++;
		s->depth--;
		return true;
	}
	for (;;) {
		if (!js_skip_value(s))
			return false;
		char c = js_peek(s);
		if (c == ']') {
			s->p++;
			s->depth--;
			return true;
		}
		if (c != ',')
			return js_fail(s, s->p == s->end ? "unexpected end of line" :
				"expected ',' or ']'");
		s->p++;
	}
}

bool js_skip_value(struct js *s)
{
	struct js_string str;
	switch (js_peek(s)) {
	case '{': {
		bool first = true;
		if (!js_object_begin(s))
			return false;
		while (js_object_next(s, &first, &str))
			if (!js_skip_value(s))
				return false;
		return s->error == NULL;
	}
	case '[':
		return array(s);
	case '"':
		return string_at(s, &str);
	case 't':
		return literal(s, "true", 4);
	case 'f':
		return literal(s, "false", 5);
	case 'n':
		return literal(s, "null", 4);
	case '-': case '0': case '1': case '2': case '3': case '4':
	case '5': case '6': case '7': case '8': case '9':
		return number(s);
	case 0:
		return js_fail(s, s->p == s->end ? "unexpected end of line" : "NUL byte");
	default:
		return js_fail(s, at_bom(s) ? JS_BOM_REASON : "expected a value");
	}
}

static size_t put_utf8(char *out, unsigned cp)
{
	if (cp < 0x80) {
		out[0] = (char)cp;
		return 1;
	}
	if (cp < 0x800) {
		out[0] = (char)(0xc0 | cp >> 6);
		out[1] = (char)(0x80 | (cp & 0x3f));
		return 2;
	}
	if (cp < 0x10000) {
		out[0] = (char)(0xe0 | cp >> 12);
		out[1] = (char)(0x80 | (cp >> 6 & 0x3f));
		out[2] = (char)(0x80 | (cp & 0x3f));
		return 3;
	}
	out[0] = (char)(0xf0 | cp >> 18);
	out[1] = (char)(0x80 | (cp >> 12 & 0x3f));
	out[2] = (char)(0x80 | (cp >> 6 & 0x3f));
	out[3] = (char)(0x80 | (cp & 0x3f));
	return 4;
}

// Assumes a string js_string validated.
bool js_string_decode(const struct js_string *str, char *buf, size_t size, size_t *len)
{
	size_t n = 0;
	for (size_t i = 0; i < str->len;) {
		char tmp[4];
		size_t k;
		char c = str->p[i];
		if (c != '\\') {
			tmp[0] = c;
			k = 1;
			i++;
		} else {
			char e = str->p[i + 1];
			static const char from[] = "\"\\/bfnrt", to[] = "\"\\/\b\f\n\r\t";
			const char *m = strchr(from, e);
			if (e != 'u' && m != NULL) {
				tmp[0] = to[m - from];
				k = 1;
				i += 2;
			} else {
				unsigned u = 0;
				read_hex4(str->p + i + 2, str->p + str->len, &u);
				i += 6;
				if (u >= 0xd800 && u <= 0xdbff) {
					unsigned lo = 0xdc00;
					read_hex4(str->p + i + 2, str->p + str->len, &lo);
					i += 6;
					u = 0x10000 + ((u - 0xd800) << 10) + (lo - 0xdc00);
				}
				k = put_utf8(tmp, u);
			}
		}
		if (n + k > size)
			return false;
		memcpy(buf + n, tmp, k);
		n += k;
	}
	*len = n;
	return true;
}

bool js_string_eq_escaped(const struct js_string *str, const char *lit, size_t len)
{
	char buf[64];
	size_t n;
	return js_string_decode(str, buf, sizeof(buf), &n) && n == len &&
		memcmp(buf, lit, len) == 0;
}

// A cut-off JSON text fails to scan at most this far before its end (inside
// "false", a \u escape or a UTF-8 sequence).
#define JS_CUT_SLACK 5

bool js_is_cut(const char *text, size_t len)
{
	struct js s;
	if (len == 0 || (text[0] != '{' && text[0] != '['))
		return false;
	js_init(&s, text, len);
	if (js_skip_value(&s))
		return false;
	return s.error_offset + JS_CUT_SLACK >= len;
}
