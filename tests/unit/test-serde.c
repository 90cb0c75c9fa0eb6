// Whole JSON documents (serde_parse) and the oxirs field readers of
// base/serde.c. Expected values follow RFC 8259, worked out by hand.
#include <criterion/criterion.h>
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "base/serde.h"
#include "base/util.h"
#include "tempfile.h"

// Parses TEXT, expecting failure: checks the line and the description.
static void doc_fails(const char *text, size_t len, size_t line, const char *description)
{
	struct serde_parse_error e;
	char buf[BOPT_ERR_MAX];
	cr_assert_null(serde_parse(text, len, &e));
	snprintf(buf, sizeof(buf), "invalid JSON at column %zu: %s", e.column, e.reason);
	cr_assert_eq(e.line, line, "line %zu for %s", e.line, description);
	cr_assert_str_eq(buf, description);
}

Test(serde, document_must_end_after_its_value)
{
	struct serde_parse_error e;
	cJSON *doc = serde_parse(S("{\"a\":1}\n  \n"), &e);
	cr_assert_not_null(doc);
	cJSON_Delete(doc);
	doc_fails(S("{\"a\":1} x"), 1, "invalid JSON at column 9: trailing characters after the value");
	doc_fails(S("{\"a\":1}\n\n\0garbage"), 3,
		"invalid JSON at column 1: trailing characters after the value");
	doc_fails(S("{\"a\":1,\n\"b\":}\n{}"), 2, "invalid JSON at column 5: expected a value");
}

Test(serde, document_is_checked_strictly)
{
	// What cJSON lets through: a NUL byte, a raw tab and invalid UTF-8 in
	// a string, 200 levels of nesting.
	doc_fails(S("{\n\"driver\":\"Kafka\0x\"}"), 2,
		"invalid JSON at column 16: NUL byte in string");
	doc_fails(S("{\"a\":\"\t\"}"), 1, "invalid JSON at column 7: control character in string");
	doc_fails(S("{\"a\":\"\xff\"}"), 1, "invalid JSON at column 7: invalid UTF-8");
	char deep[400];
	memset(deep, '[', 200);
	memset(deep + 200, ']', 200);
	doc_fails(deep, sizeof(deep), 1, "invalid JSON at column 129: nesting deeper than 128 levels");
}

Test(serde, negative_zero_reads_as_zero)
{
	cJSON *j = cJSON_Parse("{\"a\":-0,\"b\":-0.0,\"c\":-0e5}");
	char err[BOPT_ERR_MAX];
	const char *keys[] = {"a", "b", "c"};
	for (int i = 0; i < 3; i++) {
		double v = 1;
		cr_assert(serde_get_number(j, keys[i], &v, err));
		cr_assert_eq(v, 0.0);
		cr_assert_not(signbit(v), "%s read as -0", keys[i]);
	}
	cJSON_Delete(j);
}
