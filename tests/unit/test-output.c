#include <criterion/criterion.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "base/util.h"
#include "cli/config.h"
#include "cli/output.h"

static const struct table_column columns[] = {
	TABLE_INTEGER("n"),
	TABLE_TEXT("name"),
	TABLE_NUMBER("value", "%.2f"),
};

// A table of two rows whose text needs quoting in CSV and escaping in
// Markdown, written in format f.
static char *written(enum output_format f)
{
	struct table t;
	table_init(&t, columns, 3);
	table_number(&t, 1);
	table_text(&t, "plain");
	table_number(&t, 0.1);
	table_number(&t, 2);
	table_text(&t, "a, \"b\" | c\nd");
	table_number(&t, NAN);
	char *buf = NULL;
	size_t len = 0;
	FILE *out = open_memstream(&buf, &len);
	table_write(out, &t, f);
	fclose(out);
	table_release(&t);
	return buf;
}

Test(output, csv_rfc4180)
{
	char *s = written(FORMAT_CSV);
	cr_assert_str_eq(s, "n,name,value\r\n"
		"1,plain,0.1\r\n"
		"2,\"a, \"\"b\"\" | c\nd\",\r\n");
	free(s);
}

Test(output, ndjson_one_object_a_line)
{
	char *s = written(FORMAT_NDJSON);
	cr_assert_str_eq(s, "{\"n\":1,\"name\":\"plain\",\"value\":0.1}\n"
		"{\"n\":2,\"name\":\"a, \\\"b\\\" | c\\nd\",\"value\":null}\n");
	free(s);
}

Test(output, markdown_escapes_pipes_and_line_breaks)
{
	char *s = written(FORMAT_MARKDOWN);
	cr_assert_str_eq(s, "| n | name | value |\n"
		"| ---: | --- | ---: |\n"
		"| 1 | plain | 0.10 |\n"
		"| 2 | a, \"b\" \\| c d |  |\n");
	free(s);
}

Test(output, format_names_from_the_option)
{
	enum output_format f = FORMAT_TABLE;
	cr_assert(output_parse_format(table_format_opt, "markdown", &f));
	cr_assert_eq(f, FORMAT_MARKDOWN);
	cr_assert(output_parse_format(table_format_opt, "csv", &f));
	cr_assert_eq(f, FORMAT_CSV);
	cr_assert(!output_parse_format(table_format_opt, "cs", &f));
	cr_assert(!output_parse_format(table_format_opt, "", &f));
	cr_assert(!output_parse_format(table_format_opt, "csv ", &f));
}

// A configuration file written to a temporary path; the caller unlinks it.
static char *config_file(const char *text)
{
	char *path = strdup("/tmp/bopt-config-XXXXXX");
	int fd = mkstemp(path);
	cr_assert(fd >= 0);
	cr_assert_eq(write(fd, text, strlen(text)), (ssize_t)strlen(text));
	close(fd);
	return path;
}

Test(config, every_optimizer_config_field)
{
	char *path = config_file("{\"enable_cost_modeling\": false, \"enable_ml_prediction\": false,\n"
		"\"enable_pattern_analysis\": false,\n"
		"\"optimization_interval\": {\"secs\": 2, \"nanos\": 5},\n"
		"\"min_samples_for_prediction\": 100, \"cost_weight_latency\": 0.25,\n"
		"\"cost_weight_throughput\": 0.5, \"cost_weight_reliability\": 0.125,\n"
		"\"cost_weight_resource_usage\": 2, \"alpha\": 1, \"metrics\": [\"a\", \"b\"]}\n");
	unsetenv("BOPT_ALPHA");
	struct bopt_config c;
	char err[BOPT_ERR_MAX];
	config_init(&c);
	cr_assert(config_load(&c, path, err), "%s", err);
	cr_assert(!c.enable_cost_modeling && !c.enable_ml_prediction && !c.enable_pattern_analysis);
	cr_assert_eq(c.optimization_interval_ns, 2000000005);
	cr_assert_eq(c.min_samples_for_prediction, 100);
	cr_assert_eq(c.weights.latency, 0.25);
	cr_assert_eq(c.weights.throughput, 0.5);
	cr_assert_eq(c.weights.reliability, 0.125);
	cr_assert_eq(c.weights.resource, 2);
	cr_assert_eq(c.alpha, 1);
	cr_assert_eq(c.metrics.n, 2);
	cr_assert_str_eq(c.metrics.v[1], "b");
	cr_assert_eq(c.origin[CFG_OPTIMIZATION_INTERVAL].kind, CFG_FROM_FILE);
	cr_assert_eq(c.origin[CFG_OPTIMIZATION_INTERVAL].line, 3);
	cr_assert_eq(c.origin[CFG_METRICS].line, 6);
	config_release(&c);
	unlink(path);
	free(path);
}

Test(config, environment_over_file)
{
	char *path = config_file("{\"alpha\": 0.5}");
	setenv("BOPT_ALPHA", "0.25", 1);
	struct bopt_config c;
	char err[BOPT_ERR_MAX];
	config_init(&c);
	cr_assert(config_load(&c, path, err), "%s", err);
	cr_assert_eq(c.alpha, 0.25);
	cr_assert_eq(c.origin[CFG_ALPHA].kind, CFG_FROM_ENV);
	unsetenv("BOPT_ALPHA");
	config_release(&c);
	unlink(path);
	free(path);
}

Test(config, unknown_key_names_key_and_line)
{
	char *path = config_file("{\n\"alpha\": 0.5,\n  \"alpah\": 1}");
	struct bopt_config c;
	char err[BOPT_ERR_MAX], want[BOPT_ERR_MAX];
	config_init(&c);
	cr_assert(!config_load(&c, path, err));
	snprintf(want, sizeof(want), "%s:3: unknown key 'alpah'", path);
	cr_assert_str_eq(err, want);
	config_release(&c);
	unlink(path);
	free(path);
}
