#include <criterion/criterion.h>
#include <math.h>
#include <stdlib.h>

#include "base/jsonw.h"

static void expect_double(double v, const char *text)
{
	char buf[32];
	format_double(v, buf);
	cr_assert_str_eq(buf, text, "format_double(%.17g)", v);
}

Test(jsonw, doubles_as_serde)
{
	expect_double(0.0, "0.0");
	expect_double(-0.0, "-0.0");
	expect_double(100.0, "100.0");
	expect_double(2000.0, "2000.0");
	expect_double(0.1, "0.1");
	expect_double(0.7, "0.7");
	expect_double(1.0 / 3.0, "0.3333333333333333");
	expect_double(123.456, "123.456");
	expect_double(1e-5, "0.00001");
	expect_double(1e-6, "1e-6");
	expect_double(1.5e-7, "1.5e-7");
	expect_double(1e15, "1000000000000000.0");
	expect_double(1e16, "1e16");
	expect_double(1.5e16, "1.5e16");
	expect_double(-2.5, "-2.5");
	expect_double(5e-324, "5e-324");
	expect_double(1.7976931348623157e308, "1.7976931348623157e308");
}

Test(jsonw, doubles_round_trip)
{
	srand(7);
	for (int i = 0; i < 20000; i++) {
		double v = ldexp((double)rand() / RAND_MAX, rand() % 200 - 100);
		char buf[32];
		format_double(v, buf);
		cr_assert_eq(strtod(buf, NULL), v, "%s", buf);
	}
}

Test(jsonw, compact_and_pretty)
{
	struct jw w;
	for (int pretty = 0; pretty < 2; pretty++) {
		jw_init(&w, pretty);
		jw_object_begin(&w);
		jw_key(&w, "a");
		jw_array_begin(&w);
		jw_uint(&w, 1);
		jw_double(&w, NAN);
		jw_array_end(&w);
		jw_key(&w, "b\"\n\x01");
		jw_object_begin(&w);
		jw_object_end(&w);
		jw_key(&w, "c");
		jw_array_begin(&w);
		jw_array_end(&w);
		jw_key(&w, "d");
		jw_time(&w, 1500000000);
		jw_object_end(&w);
		char *s = jw_take(&w, NULL);
		if (pretty)
			cr_assert_str_eq(s, "{\n  \"a\": [\n    1,\n    null\n  ],\n"
				"  \"b\\\"\\n\\u0001\": {},\n  \"c\": [],\n"
				"  \"d\": \"1970-01-01T00:00:01.500Z\"\n}");
		else
			cr_assert_str_eq(s, "{\"a\":[1,null],\"b\\\"\\n\\u0001\":{},\"c\":[],"
				"\"d\":\"1970-01-01T00:00:01.500Z\"}");
		free(s);
	}
}

// Nothing written: an empty string of length 0, and the writer is ready for
// the next document.
Test(jsonw, take_from_an_empty_writer)
{
	struct jw w;
	size_t len = 99;
	jw_init(&w, false);
	char *s = jw_take(&w, &len);
	cr_assert_str_eq(s, "");
	cr_assert_eq(len, 0);
	free(s);
	jw_uint(&w, 12);
	s = jw_take(&w, &len);
	cr_assert_str_eq(s, "12");
	cr_assert_eq(len, 2);
	free(s);
}
