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
