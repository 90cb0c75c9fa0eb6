// The strict JSON scanner of base/jsonscan.c: NUL bytes, nesting limits
// and values cut short.
#include <criterion/criterion.h>
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
