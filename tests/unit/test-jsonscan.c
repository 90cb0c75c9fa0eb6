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

// One value: whether it scans, and where and why it fails. Offsets are the
// byte where the scanner stopped, counted by hand.
struct scan_case {
	const char *text;
	size_t len;
	const char *error; // NULL: scans and nothing follows
	size_t offset;
};
#define OK(lit) {(lit), sizeof(lit) - 1, NULL, 0}
#define BAD(lit, why, at) {(lit), sizeof(lit) - 1, (why), (at)}

static const struct scan_case scan_cases[] = {
	OK("[]"), OK(" \t\r\n[ 1 , 2 ] "), OK("{}"), OK("{\"a\":1,\"b\":[2]}"),
	OK("-0.5e10"), OK("1E-5"), OK("1e+5"), OK("0"), OK("true"), OK("false"), OK("null"),
	OK("\"\\\"\\\\\\/\\b\\f\\n\\r\\t\""), OK("\"\\u00e9\\uABCD\""),
	OK("\"\\ud83d\\ude00\""), OK("\"\\uDBFF\\uDFFF\""), OK("\"\\ud800\\udc00\""),
	OK("\"\xc2\x80\xdf\xbf\""), OK("\"\xe0\xa0\x80\xef\xbf\xbf\""),
	OK("\"\xf0\x90\x80\x80\xf4\x8f\xbf\xbf\""), OK("\" ~\x7f\""),
	OK("\"0123456789abcdef0123456789abcdef0123456789\""),
	BAD("", "unexpected end of line", 0), BAD("x", "expected a value", 0),
	BAD("\xEF\xBB\xBF{}", "a UTF-8 byte order mark (BOM); bopt reads JSON without one", 0),
	BAD("[1 2]", "expected ',' or ']'", 3), BAD("[1,", "unexpected end of line", 3),
	BAD("[1", "unexpected end of line", 2), BAD("{\"a\":1 \"b\":2}", "expected ',' or '}'", 7),
	BAD("{\"a\":1", "unexpected end of line", 6), BAD("{\"a\" 1}", "expected ':'", 5),
	BAD("{1:2}", "expected '\"'", 1), BAD("{\"a\":1,}", "expected '\"'", 7),
	BAD("{", "unexpected end of line", 1),
	BAD("-", "invalid number", 1), BAD("-x", "invalid number", 1), BAD("1.", "invalid number", 2),
	BAD("1.e5", "invalid number", 2), BAD("1e", "invalid number", 2),
	BAD("1e+", "invalid number", 3), BAD("tru", "expected a value", 0),
	BAD("nulL", "expected a value", 0), BAD("fals", "expected a value", 0),
	BAD("\"\\x\"", "invalid escape in string", 1), BAD("\"\\u12\"", "invalid escape in string", 1),
	BAD("\"\\u12g4\"", "invalid escape in string", 1),
	// Hex digits at the ends of their ranges, and the bytes just outside.
	OK("\"\\u09aF\\uA0f9\""),
	BAD("\"\\u/000\"", "invalid escape in string", 1),
	BAD("\"\\u:000\"", "invalid escape in string", 1),
	BAD("\"\\u0`00\"", "invalid escape in string", 1),
	BAD("\"\\u00@0\"", "invalid escape in string", 1),
	BAD("\"\\u000G\"", "invalid escape in string", 1),
	BAD("\"\\udc00\"", "unpaired surrogate in string", 1),
	BAD("\"\\udfff\"", "unpaired surrogate in string", 1),
	BAD("\"\\ud83d\"", "unpaired surrogate in string", 1),
	BAD("\"\\ud83d\\u0041\"", "unpaired surrogate in string", 1),
	BAD("\"\\ud83d\\ue000\"", "unpaired surrogate in string", 1),
	BAD("\"\\ud83d\\n\\ude00\"", "unpaired surrogate in string", 1),
	BAD("\"\\udbff\\udbff\"", "unpaired surrogate in string", 1),
	BAD("\"abc", "unterminated string", 4), BAD("\"a\\", "unterminated string", 2),
	BAD("\"\x01\"", "control character in string", 1),
	BAD("\"\x1f\"", "control character in string", 1),
	BAD("\"0123456789abcdef0123456789abcdef0123456789\x01\"", "control character in string", 43),
	BAD("\"0123456789abcdef0123456789abcdef\xff\"", "invalid UTF-8", 33),
	BAD("\"\xc1\x80\"", "invalid UTF-8", 1), BAD("\"\xc3\"", "invalid UTF-8", 1),
	BAD("\"\xc3(\"", "invalid UTF-8", 1), BAD("\"\xe0\x9f\xbf\"", "invalid UTF-8", 1),
	BAD("\"\xed\xa0\x80\"", "invalid UTF-8", 1), BAD("\"\xf4\x90\x80\x80\"", "invalid UTF-8", 1),
	BAD("\"\xf0\x8f\xbf\xbf\"", "invalid UTF-8", 1), BAD("\"\xf5\x80\x80\x80\"", "invalid UTF-8", 1),
	BAD("\"\xe2\x82\"", "invalid UTF-8", 1), BAD("\"\xf0\x9f\x98\"", "invalid UTF-8", 1),
};

Test(jsonscan, values_and_their_errors)
{
	for (size_t i = 0; i < sizeof(scan_cases) / sizeof(scan_cases[0]); i++) {
		const struct scan_case *c = &scan_cases[i];
		struct js s;
		js_init(&s, c->text, c->len);
		bool ok = js_skip_value(&s);
		if (c->error == NULL) {
			cr_assert(ok, "case %zu failed: %s at %zu", i, s.error, s.error_offset);
			cr_assert(js_at_end(&s), "case %zu: text left at %td", i, s.p - s.start);
			cr_assert_eq(s.depth, 0, "case %zu", i);
		} else {
			cr_assert_not(ok, "case %zu scanned", i);
			cr_assert_str_eq(s.error, c->error, "case %zu", i);
			cr_assert_eq(s.error_offset, c->offset, "case %zu: offset %zu", i,
				s.error_offset);
		}
	}
	// A leading zero ends the number.
	struct js s;
	js_init(&s, S("01"));
	cr_assert(js_skip_value(&s));
	cr_assert_eq(js_peek(&s), '1');
}

// Depth counts open brackets, not brackets seen: any number of siblings,
// and exactly 128 levels of either kind.
Test(jsonscan, siblings_do_not_nest)
{
	static char text[2000];
	struct js s;
	size_t n = 0;
	text[n++] = '[';
	for (int i = 0; i < 300; i++) {
		memcpy(text + n, i % 2 ? "{}," : "[],", 3);
		n += 3;
	}
	text[n - 1] = ']';
	js_init(&s, text, n);
	cr_assert(js_skip_value(&s), "%s at %zu", s.error, s.error_offset);
	cr_assert_eq(s.depth, 0);

	for (int levels = 128; levels <= 129; levels++) {
		n = 0;
		for (int i = 0; i < levels; i++) {
			memcpy(text + n, "{\"a\":", 5);
			n += 5;
		}
		text[n++] = '1';
		memset(text + n, '}', (size_t)levels);
		n += (size_t)levels;
		js_init(&s, text, n);
		if (levels == 128) {
			cr_assert(js_skip_value(&s), "%s", s.error);
			cr_assert(js_at_end(&s));
		} else {
			cr_assert_not(js_skip_value(&s));
			cr_assert_str_eq(s.error, "nesting deeper than 128 levels");
			cr_assert_eq(s.error_offset, 128 * 5); // the 129th '{'
		}
	}
	memset(text, '[', 128);
	memset(text + 128, ']', 128);
	js_init(&s, text, 256);
	cr_assert(js_skip_value(&s));
	cr_assert(js_at_end(&s));
}

// Scans TEXT as a string and decodes it into SIZE bytes.
static bool decode(const char *text, size_t len, char *buf, size_t size, size_t *n)
{
	struct js s;
	struct js_string str;
	js_init(&s, text, len);
	cr_assert(js_string(&s, &str), "%s", s.error);
	return js_string_decode(&str, buf, size, n);
}

Test(jsonscan, escapes_decode_to_utf8)
{
	char buf[80];
	size_t n;
	cr_assert(decode(S("\"\\ud83d\\ude00\""), buf, sizeof(buf), &n));
	cr_assert_eq(n, 4);
	cr_assert_arr_eq(buf, "\xf0\x9f\x98\x80", 4);
	cr_assert(decode(S("\"\\uDBFF\\uDFFF\""), buf, sizeof(buf), &n));
	cr_assert_eq(n, 4);
	cr_assert_arr_eq(buf, "\xf4\x8f\xbf\xbf", 4);
	cr_assert(decode(S("\"A\\u0041\\u00e9\\u07ff\\u0800\\u20ac\\uffff\""), buf, sizeof(buf), &n));
	cr_assert_eq(n, 1 + 1 + 2 + 2 + 3 + 3 + 3);
	cr_assert_arr_eq(buf, "AA\xc3\xa9\xdf\xbf\xe0\xa0\x80\xe2\x82\xac\xef\xbf\xbf", n);
	cr_assert(decode(S("\"\\u0039\\u00Fa\""), buf, sizeof(buf), &n));
	cr_assert_eq(n, 3);
	cr_assert_arr_eq(buf, "9\xc3\xba", 3);
	cr_assert(decode(S("\"\\\"\\\\\\/\\b\\f\\n\\r\\t\""), buf, sizeof(buf), &n));
	cr_assert_eq(n, 8);
	cr_assert_arr_eq(buf, "\"\\/\b\f\n\r\t", 8);
	// The room is exact: 3 bytes for the euro sign, not 2.
	cr_assert(decode(S("\"\\u20ac\""), buf, 3, &n));
	cr_assert_not(decode(S("\"\\u20ac\""), buf, 2, &n));
	cr_assert(decode(S("\"\\ud83d\\ude00\""), buf, 4, &n));
	cr_assert_not(decode(S("\"\\ud83d\\ude00\""), buf, 3, &n));
}

Test(jsonscan, escaped_names_compare_decoded)
{
	struct js s;
	struct js_string str;
	js_init(&s, S("\"\\u004bafka\""));
	cr_assert(js_string(&s, &str));
	cr_assert(str.escaped);
	cr_assert(js_string_is(&str, "Kafka"));
	cr_assert_not(js_string_is(&str, "Kafk"));
	cr_assert_not(js_string_is(&str, "Kafkb"));
	js_init(&s, S("\"Kafka\""));
	cr_assert(js_string(&s, &str));
	cr_assert_not(str.escaped);
	cr_assert(js_string_is(&str, "Kafka"));
	cr_assert_not(js_string_is(&str, "Kafk"));
	cr_assert(js_string(&(struct js){0}, &str) == false);

	// Up to 64 decoded bytes compare; a longer escaped name is no name.
	char text[80], name[80];
	for (size_t len = 64; len <= 65; len++) {
		memcpy(text, "\"\\u0041", 7);
		memset(name, 'A', len);
		memset(text + 7, 'A', len - 1);
		text[6 + len] = '"';
		js_init(&s, text, len + 7);
		cr_assert(js_string(&s, &str));
		cr_assert_eq(js_string_eq(&str, name, len), len == 64, "%zu bytes", len);
	}
}

Test(jsonscan, object_members_in_order)
{
	struct js s;
	struct js_string key;
	bool first = true;
	js_init(&s, S("{ \"a\" : 1 , \"b\\u0063\" : [2] }"));
	cr_assert(js_object_begin(&s));
	cr_assert(js_object_next(&s, &first, &key));
	cr_assert(js_string_is(&key, "a"));
	cr_assert(js_skip_value(&s));
	cr_assert(js_object_next(&s, &first, &key));
	cr_assert(js_string_is(&key, "bc"));
	cr_assert(js_skip_value(&s));
	cr_assert_not(js_object_next(&s, &first, &key));
	cr_assert_null(s.error);
	cr_assert_eq(s.depth, 0);
	cr_assert(js_at_end(&s));

	first = true;
	js_init(&s, S("[]"));
	cr_assert_not(js_object_begin(&s));
	cr_assert_str_eq(s.error, "expected '{'");
	js_init(&s, S("{}"));
	cr_assert(js_object_begin(&s));
	cr_assert_not(js_object_next(&s, &first, &key));
	cr_assert_null(s.error);
	cr_assert_eq(s.depth, 0);
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
