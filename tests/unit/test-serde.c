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

// A complete pattern as serde_json writes it.
static const char pattern_json[] =
	"{\"pattern_type\":\"Bursty\",\"event_rate\":10.5,\"batch_size\":4,"
	"\"event_size_bytes\":100,\"temporal_distribution\":{\"Custom\":"
	"{\"distribution_name\":\"bursty\"}},\"data_characteristics\":"
	"{\"compression_ratio\":0.5,\"serialization_overhead\":0.1,"
	"\"has_complex_structures\":false,\"requires_ordering\":true,"
	"\"has_time_windows\":false,\"requires_deduplication\":false},"
	"\"consistency_requirements\":\"Strong\"}";

// Reads the pattern with KEY (in OBJ: the top level, or a member object)
// removed, then replaced by [], and checks both messages exactly.
static void pattern_field_fails(const char *obj, const char *key, const char *wrong)
{
	char err[BOPT_ERR_MAX], want[BOPT_ERR_MAX];
	struct bopt_pattern p;
	for (int replace = 0; replace < (wrong ? 2 : 1); replace++) {
		cJSON *j = cJSON_Parse(pattern_json);
		cJSON *holder = obj ? cJSON_GetObjectItemCaseSensitive(j, obj) : j;
		if (replace)
			cJSON_ReplaceItemInObjectCaseSensitive(holder, key, cJSON_CreateArray());
		else
			cJSON_DeleteItemFromObjectCaseSensitive(holder, key);
		strcpy(err, "unset");
		cr_assert_not(serde_read_pattern(j, &p, err), "%s read without %s", key,
			replace ? "its type" : "itself");
		if (replace)
			snprintf(want, sizeof(want), "field \"%s\" must be %s", key, wrong);
		else
			snprintf(want, sizeof(want), "missing field \"%s\"", key);
		cr_assert_str_eq(err, want);
		pattern_release(&p);
		cJSON_Delete(j);
	}
}

Test(serde, every_pattern_field_is_required_with_its_type)
{
	char err[BOPT_ERR_MAX];
	struct bopt_pattern p;
	cJSON *j = cJSON_Parse(pattern_json);
	cr_assert(serde_read_pattern(j, &p, err), "%s", err);
	cr_assert_eq(p.pattern_type, BOPT_BURSTY);
	cr_assert_eq(p.event_rate, 10.5);
	cr_assert_eq(p.batch_size, 4);
	cr_assert_eq(p.event_size_bytes, 100);
	cr_assert_eq(p.temporal_distribution.kind, BOPT_DIST_CUSTOM);
	cr_assert_str_eq(p.temporal_distribution.name, "bursty");
	cr_assert_eq(p.data_characteristics.compression_ratio, 0.5);
	cr_assert(p.data_characteristics.requires_ordering);
	cr_assert_eq(p.consistency_requirements, BOPT_STRONG);
	pattern_release(&p);
	cJSON_Delete(j);

	const char *number = "a finite number", *flag = "true or false";
	pattern_field_fails(NULL, "pattern_type", "a string");
	pattern_field_fails(NULL, "event_rate", number);
	pattern_field_fails(NULL, "batch_size", number);
	pattern_field_fails(NULL, "event_size_bytes", number);
	pattern_field_fails(NULL, "data_characteristics", "an object");
	pattern_field_fails(NULL, "consistency_requirements", "a string");
	pattern_field_fails("data_characteristics", "compression_ratio", number);
	pattern_field_fails("data_characteristics", "serialization_overhead", number);
	pattern_field_fails("data_characteristics", "has_complex_structures", flag);
	pattern_field_fails("data_characteristics", "requires_ordering", flag);
	pattern_field_fails("data_characteristics", "has_time_windows", flag);
	pattern_field_fails("data_characteristics", "requires_deduplication", flag);
	pattern_field_fails(NULL, "temporal_distribution", NULL);

	// A custom distribution's name: missing, then not a string.
	const char *custom[][2] = {
		{"{}", "missing field \"distribution_name\""},
		{"{\"distribution_name\":1}", "field \"distribution_name\" must be a string"},
	};
	for (int i = 0; i < 2; i++) {
		cJSON *d = cJSON_Parse(pattern_json);
		cJSON *td = cJSON_GetObjectItemCaseSensitive(d, "temporal_distribution");
		cJSON_ReplaceItemInObjectCaseSensitive(td, "Custom", cJSON_Parse(custom[i][0]));
		cr_assert_not(serde_read_pattern(d, &p, err));
		cr_assert_str_eq(err, custom[i][1]);
		pattern_release(&p);
		cJSON_Delete(d);
	}
}

// A training record: its pattern must be an object; actual_reliability runs
// from 0 to 1, both ends included.
Test(serde, data_point_pattern_and_reliability_bounds)
{
	static const char head[] = "{\"timestamp\":\"2026-07-19T08:54:15Z\",\"backend_type\":\"Kafka\","
		"\"workload_pattern\":%s,\"actual_latency\":15.5,\"actual_throughput\":20858.4,"
		"\"actual_reliability\":%s,\"resource_usage\":{\"cpu_usage_percent\":24.6,"
		"\"memory_usage_mb\":1312.2,\"network_usage_mbps\":10.0,\"disk_io_ops_per_sec\":100.0,"
		"\"connection_count\":10},\"external_factors\":{}}";
	const struct {
		const char *pattern, *reliability, *err;
	} cases[] = {
		{pattern_json, "1", NULL},
		{pattern_json, "0", NULL},
		{pattern_json, "1.0000001", "field \"actual_reliability\" must be from 0 to 1"},
		{pattern_json, "-0.0000001", "field \"actual_reliability\" must be from 0 to 1"},
		{"[]", "1", "field \"workload_pattern\" must be an object"},
	};
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		char text[2048], err[BOPT_ERR_MAX] = "";
		snprintf(text, sizeof(text), head, cases[i].pattern, cases[i].reliability);
		cJSON *j = cJSON_Parse(text);
		cr_assert_not_null(j, "%s", text);
		struct bopt_data_point d;
		bool ok = serde_read_data_point(j, &d, err);
		if (cases[i].err == NULL) {
			cr_assert(ok, "case %zu: %s", i, err);
			cr_assert_eq(d.reliability, atof(cases[i].reliability));
		} else {
			cr_assert_not(ok, "case %zu", i);
			cr_assert_str_eq(err, cases[i].err, "case %zu", i);
		}
		data_point_release(&d);
		cJSON_Delete(j);
	}
	// Read on its own, a pattern that is not an object.
	cJSON *a = cJSON_CreateArray();
	struct bopt_pattern p;
	char err[BOPT_ERR_MAX] = "";
	cr_assert_not(serde_read_pattern(a, &p, err));
	cr_assert_str_eq(err, "a workload pattern must be a JSON object");
	pattern_release(&p);
	cJSON_Delete(a);
}
