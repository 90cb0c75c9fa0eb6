// The strict JSON scanner of base/jsonscan.c: NUL bytes, nesting limits
// and values cut short.
#include <criterion/criterion.h>
#include <stdio.h>
#include <string.h>

#include "base/jsonscan.h"
#include "tempfile.h"

Test(jsonscan, nul_is_not_the_end)
{
	struct js s;
	js_init(&s, S(" \t\r\n"));
	cr_assert(js_at_end(&s));
	js_init(&s, S(" \0 "));
	cr_assert_eq(js_peek(&s), 0);
	cr_assert_not(js_at_end(&s));
	cr_assert_not(js_skip_value(&s));
	cr_assert_str_eq(s.error, "NUL byte");
	cr_assert_eq(s.error_offset, 1);
}

Test(jsonscan, nesting_error_names_the_bracket)
{
	char text[200];
	memset(text, '[', 129);
	struct js s;
	js_init(&s, text, 129);
	cr_assert_not(js_skip_value(&s));
	// The 129th '[' (offset 128) opens level 129.
	cr_assert_eq(s.error_offset, 128);
}

Test(jsonscan, cut_values)
{
	cr_assert(js_is_cut(S("{\"a\":tr")));
	cr_assert(js_is_cut(S("{\"a\":\"x")));
	cr_assert(js_is_cut(S("{\"a\":[1,2")));
	cr_assert(js_is_cut(S("{\"a\":1.5e")));
	cr_assert(js_is_cut(S("{\"a\":\"\\u00")));
	cr_assert(js_is_cut(S("{\"a\":\"\xc3")));
	cr_assert(js_is_cut(S("[")));
	cr_assert_not(js_is_cut(S("{\"a\":1}")));
	cr_assert_not(js_is_cut(S("")));
	cr_assert_not(js_is_cut(S("not json at all")));
	cr_assert_not(js_is_cut(S("{\"a\" 1, \"b\": 2, \"c\": 3")));
}

/* The SIMD pre-pass (js_init_indexed): masks from every kind against a
   byte-by-byte expectation, at every alignment, and the scan with them
   against the scan without, at every place of an escape, a multi-byte
   character, a control byte or the text's end relative to 16-, 32- and
   64-byte chunks. */

static const char *const kinds[] = {"scalar", "sse2", "avx2"};

static bool special_byte(unsigned char c)
{
	return c < 0x20 || c == '"' || c == '\\' || c >= 0x80;
}

Test(jsonscan, index_masks_every_kind_and_alignment)
{
	// Bytes of every class, at a period prime to 64.
	static const unsigned char pattern[] = {'a', '"', 'Z', '\\', 0x1f, ' ', 0x80, '~',
		0xff, '!', 0x00, '0', 0x7f, 0xc3, 0xa9, '#', 0x20, 0x21, 0x5b, 0x5d, 0x7b, 0x7d, '\n'};
	unsigned char buf[64 + 300];
	for (size_t i = 0; i < sizeof(buf); i++)
		buf[i] = pattern[(i * 7 + i / 23) % sizeof(pattern)];
	for (size_t align = 0; align < 64; align++)
		for (size_t len = 0; len <= 200; len += len < 70 ? 1 : 13) {
			const char *text = (const char *)buf + align;
			uint64_t want[JS_INDEX_WORDS(200)] = {0};
			for (size_t i = 0; i < JS_INDEX_WORDS(len) * 64; i++)
				if (i >= len || special_byte((unsigned char)text[i]))
					want[i / 64] |= (uint64_t)1 << (i % 64);
			for (size_t k = 0; k < 3; k++) {
				uint64_t got[JS_INDEX_WORDS(200) + 1];
				memset(got, 0xa5, sizeof(got));
				js_index_with(kinds[k], text, len, got);
				for (size_t w = 0; w < JS_INDEX_WORDS(len); w++)
					cr_assert_eq(got[w], want[w], "%s, align %zu, len %zu, word %zu",
						kinds[k], align, len, w);
				// Nothing written past the text's words.
				cr_assert_eq(got[JS_INDEX_WORDS(len)], 0xa5a5a5a5a5a5a5a5u);
			}
		}
#ifdef BOPT_NO_SIMD
	cr_assert_str_eq(js_index_kind(), "scalar"); // test-jsonscan-nosimd's own copy
#else
	cr_assert(strcmp(js_index_kind(), "avx2") == 0 || strcmp(js_index_kind(), "sse2") == 0 ||
		strcmp(js_index_kind(), "scalar") == 0);
#endif
}

struct scan_outcome {
	bool ok;
	const char *error;
	size_t error_offset, len, end;
	bool escaped;
};

// Scans text as one value: without the pre-pass, or with the masks of kind.
static struct scan_outcome scan_with(const char *text, size_t len, const char *kind)
{
	struct js s;
	uint64_t words[JS_INDEX_WORDS(512)];
	js_init(&s, text, len);
	if (kind != NULL) {
		js_index_with(kind, text, len, words);
		s.special = words;
		s.special_words = JS_INDEX_WORDS(len);
	}
	struct scan_outcome o = {0};
	struct js_string str = {0};
	o.ok = js_peek(&s) == '"' ? js_string(&s, &str) : js_skip_value(&s);
	o.error = s.error;
	o.error_offset = s.error_offset;
	o.len = str.len;
	o.escaped = str.escaped;
	o.end = (size_t)(s.p - s.start);
	return o;
}

// The outcome every way, checked to be one, at every alignment.
static struct scan_outcome scan_all(const char *text, size_t len)
{
	static char buf[64 + 512];
	struct scan_outcome want = scan_with(text, len, NULL);
	for (size_t align = 0; align < 64; align += 7) {
		memcpy(buf + align, text, len);
		for (size_t k = 0; k < 3; k++) {
			struct scan_outcome o = scan_with(buf + align, len, kinds[k]);
			cr_assert_eq(o.ok, want.ok, "%s at %zu: %.*s", kinds[k], align, (int)len, text);
			cr_assert_eq(o.error, want.error, "%s: %s / %s", kinds[k],
				o.error ? o.error : "-", want.error ? want.error : "-");
			cr_assert_eq(o.error_offset, want.error_offset);
			cr_assert_eq(o.len, want.len);
			cr_assert_eq(o.escaped, want.escaped);
			cr_assert_eq(o.end, want.end);
		}
	}
	return want;
}

Test(jsonscan, indexed_strings_at_every_chunk_boundary)
{
	static const struct {
		const char *mid;   // placed inside a string
		const char *error; // NULL: valid
		size_t error_at;   // within mid
		bool escaped;
	} cases[] = {
		{"", NULL, 0, false},
		{"\\n", NULL, 0, true},
		{"\\\"", NULL, 0, true},
		{"\\u00e9", NULL, 0, true},
		{"\\ud83d\\ude00", NULL, 0, true},
		{"\xc3\xa9", NULL, 0, false},
		{"\xe2\x82\xac", NULL, 0, false},
		{"\xf0\x9f\x98\x80", NULL, 0, false},
		{"\x01", "control character in string", 0, false},
		{"\xc3(", "invalid UTF-8", 0, false},
		{"\xed\xa0\x80", "invalid UTF-8", 0, false},
		{"\\x", "invalid escape in string", 0, false},
		{"\\udc00", "unpaired surrogate in string", 0, false},
	};
	char text[512];
	for (size_t c = 0; c < sizeof(cases) / sizeof(cases[0]); c++) {
		size_t mlen = strlen(cases[c].mid);
		for (size_t before = 0; before < 140; before++)
			for (size_t after = 0; after < 70; after += 1 + after / 8) {
				size_t n = 0;
				text[n++] = '"';
				for (size_t i = 0; i < before; i++)
					text[n++] = (char)('a' + i % 26);
				memcpy(text + n, cases[c].mid, mlen);
				n += mlen;
				for (size_t i = 0; i < after; i++)
					text[n++] = (char)('A' + i % 26);
				text[n++] = '"';
				struct scan_outcome o = scan_all(text, n);
				if (cases[c].error == NULL) {
					cr_assert(o.ok, "case %zu, %zu before: %s", c, before, o.error);
					cr_assert_eq(o.len, before + mlen + after);
					cr_assert_eq(o.escaped, cases[c].escaped);
					cr_assert_eq(o.end, n);
				} else {
					cr_assert_not(o.ok);
					cr_assert_str_eq(o.error, cases[c].error);
					cr_assert_eq(o.error_offset, 1 + before + cases[c].error_at);
				}
				// Cut at its end (the closing quote, or more, missing): the
				// end of the buffer within a chunk and at its edge.
				for (size_t cut = n > 4 ? n - 4 : 0; cut < n; cut++) {
					struct scan_outcome t = scan_all(text, cut);
					cr_assert_not(t.ok);
				}
			}
	}
}

Test(jsonscan, indexed_lines_of_every_length)
{
	// Whole objects, shorter and longer than a chunk, strings crossing
	// the chunk edges as the key grows.
	char text[512];
	for (size_t k = 1; k < 150; k++) {
		int n = snprintf(text, sizeof(text), "{\"%.*s\":[\"x\",1,{\"y\":\"\xc3\xa9\\t\"}],\"z\":null}",
			(int)k, "kkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkk"
			"kkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkk");
		struct scan_outcome o = scan_all(text, (size_t)n);
		cr_assert(o.ok, "key of %zu bytes: %s", k, o.error);
		cr_assert_eq(o.end, (size_t)n);
		for (int cut = 0; cut < n; cut++)
			cr_assert_not(scan_all(text, (size_t)cut).ok);
	}
}

Test(jsonscan, keys_compare_by_length_and_loads)
{
	struct js_string k = {.p = "timestamp\":", .len = 9};
	cr_assert(js_string_is(&k, "timestamp"));
	cr_assert_not(js_string_is(&k, "timestamq"));
	cr_assert_not(js_string_is(&k, "uimestamp"));
	cr_assert_not(js_string_is(&k, "timestam"));
	cr_assert_not(js_string_is(&k, "timestamps"));
	struct js_string m = {.p = "metadata", .len = 8};
	cr_assert(js_string_is(&m, "metadata"));
	cr_assert_not(js_string_is(&m, "metadatA"));
	struct js_string e = {.p = "event_data", .len = 10};
	cr_assert(js_string_is(&e, "event_data"));
	cr_assert_not(js_string_is(&e, "event_date"));
	struct js_string esc = {.p = "ti\\u006destamp", .len = 14, .escaped = true};
	cr_assert(js_string_is(&esc, "timestamp"));
	struct js_string shrt = {.p = "ts", .len = 2};
	cr_assert(js_string_is(&shrt, "ts"));
	cr_assert_not(js_string_is(&shrt, "tt"));
}
