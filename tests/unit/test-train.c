// The model file and bopt train as a command on real files: what they write
// and what they leave alone.
#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cli/commands.h"
#include "datagen.h"

struct scratch {
	char dir[64];
	char model[128], data[128], empty[128], bad[128];
};

static void write_file(const char *path, const char *text, size_t len)
{
	FILE *f = fopen(path, "wb");
	cr_assert_not_null(f, "%s", path);
	fwrite(text, 1, len, f);
	fclose(f);
}

static char *slurp(const char *path, size_t *len)
{
	FILE *f = fopen(path, "rb");
	cr_assert_not_null(f, "%s", path);
	char *buf = malloc(1 << 24);
	*len = fread(buf, 1, 1 << 24, f);
	fclose(f);
	return buf;
}

static void same_bytes(const char *path, const char *text, size_t len)
{
	size_t now_len;
	char *now = slurp(path, &now_len);
	cr_assert_eq(now_len, len, "%s changed size", path);
	cr_assert(memcmp(now, text, len) == 0, "%s changed", path);
	free(now);
}

// 30 noise-free Kafka points as NDJSON.
static void write_data(const char *path)
{
	struct datagen g;
	FILE *f = fopen(path, "wb");
	cr_assert_not_null(f);
	datagen_init(&g, &(struct datagen_params){.seed = 8, .backend = BOPT_KAFKA});
	for (int i = 0; i < 30; i++) {
		struct bopt_data_point pt;
		datagen_next(&g, &pt);
		datagen_write_point(f, &pt);
		data_point_release(&pt);
	}
	fclose(f);
}

static void setup(struct scratch *s)
{
	strcpy(s->dir, "/tmp/bopt-train-XXXXXX");
	cr_assert_not_null(mkdtemp(s->dir));
	snprintf(s->model, sizeof(s->model), "%s/model.json", s->dir);
	snprintf(s->data, sizeof(s->data), "%s/data.ndjson", s->dir);
	snprintf(s->empty, sizeof(s->empty), "%s/empty.ndjson", s->dir);
	snprintf(s->bad, sizeof(s->bad), "%s/bad.ndjson", s->dir);
	write_data(s->data);
	write_file(s->empty, "", 0);
	write_file(s->bad, "{\"timestamp\":\n", 14);
	// Keep the command's table off the TAP stream.
	cr_assert_not_null(freopen("/dev/null", "w", stdout));
}

static void teardown(struct scratch *s)
{
	unlink(s->model);
	unlink(s->data);
	unlink(s->empty);
	unlink(s->bad);
	rmdir(s->dir);
}

static int run(char *a0, char *a1, char *a2, char *a3, char *a4)
{
	char *argv[] = {a0, a1, a2, a3, a4, NULL};
	int argc = 0;
	while (argv[argc] != NULL)
		argc++;
	return cmd_train(argc, argv);
}

Test(train, creates_the_model_and_refits_to_stable_bytes)
{
	struct scratch s;
	setup(&s);
	cr_assert_eq(access(s.model, F_OK), -1);
	cr_assert_eq(run("train", "-m", s.model, s.data, NULL), 0);
	size_t len;
	char *first = slurp(s.model, &len);
	cr_assert(strncmp(first, "{\"format\":\"bopt-model\",\"version\":1,", 35) == 0);
	cr_assert_not_null(strstr(first, "\"backend_type\":\"Kafka\",\"points\":30,"));
	// Adding nothing refits the same history to the same bytes; --show
	// changes nothing.
	cr_assert_eq(run("train", "-m", s.model, s.empty, NULL), 0);
	same_bytes(s.model, first, len);
	cr_assert_eq(run("train", "--show", "-m", s.model, NULL), 0);
	same_bytes(s.model, first, len);
	// Adding the data again doubles the history.
	cr_assert_eq(run("train", "-m", s.model, s.data, NULL), 0);
	char *second = slurp(s.model, &len);
	cr_assert_not_null(strstr(second, "\"backend_type\":\"Kafka\",\"points\":60,"));
	free(first);
	free(second);
	teardown(&s);
}

Test(train, bad_data_leaves_the_model_untouched)
{
	struct scratch s;
	setup(&s);
	cr_assert_eq(run("train", "-m", s.model, s.data, NULL), 0);
	size_t len;
	char *before = slurp(s.model, &len);
	cr_assert_eq(run("train", "-m", s.model, s.data, s.bad), 1);
	same_bytes(s.model, before, len);
	free(before);
	teardown(&s);
}

Test(train, corrupt_or_foreign_models_stay_untouched)
{
	static const char *const texts[] = {
		"{\"format\":\"bopt-model\",\"version\":1,\"ridge\":1e-10,\"cv_folds\":5,\"fea",
		"{\"format\":\"something-else\",\"version\":1}\n",
		"\x1f\x8b\x08\x00 not json at all",
	};
	for (size_t i = 0; i < sizeof(texts) / sizeof(texts[0]); i++) {
		struct scratch s;
		setup(&s);
		size_t len = strlen(texts[i]);
		write_file(s.model, texts[i], len);
		cr_assert_eq(run("train", "-m", s.model, s.data, NULL), 1, "text %zu", i);
		same_bytes(s.model, texts[i], len);
		cr_assert_eq(run("train", "--show", "-m", s.model, NULL), 1);
		same_bytes(s.model, texts[i], len);
		teardown(&s);
	}
}

Test(train, evaluate_writes_nothing)
{
	struct scratch s;
	setup(&s);
	cr_assert_eq(run("train", "--evaluate", "-m", s.model, s.data), 0);
	cr_assert_eq(access(s.model, F_OK), -1);
	teardown(&s);
}

static char *temp_dir(void)
{
	char *dir = strdup("/tmp/bopt-test-XXXXXX");
	cr_assert_not_null(mkdtemp(dir));
	return dir;
}

Test(modelfile, file_round_trip_is_byte_for_byte_stable)
{
	char *dir = temp_dir();
	char a[256], b[256], err[512];
	snprintf(a, sizeof(a), "%s/a.json", dir);
	snprintf(b, sizeof(b), "%s/b.json", dir);
	struct bopt_model m, m2;
	model_init(&m);
	datagen_fill(&m, &(struct datagen_params){.seed = 1, .backend = BOPT_KAFKA,
		.noise = {1, 100}, .start_ns = 1784451255123456789}, 40);
	datagen_fill(&m, &(struct datagen_params){.seed = 2, .backend = BOPT_NATS}, 4);
	struct bopt_data_point pt = {.backend = BOPT_REDIS, .latency = 0.1, .throughput = 1e300,
		.reliability = 1.0 / 3};
	pattern_init_default(&pt.pattern);
	pt.pattern.temporal_distribution.kind = BOPT_DIST_CUSTOM;
	pt.pattern.temporal_distribution.name = strdup("zipf \"1.1\"");
	pt.factors = calloc(2, sizeof(*pt.factors));
	pt.factors[0] = (struct bopt_factor){strdup("load"), 0.75};
	pt.factors[1] = (struct bopt_factor){strdup("ünïcode"), -1e-7};
	pt.nfactors = 2;
	model_add_point(&m, &pt);
	m.ridge = 0.25;
	cr_assert(model_refit(&m, err), "%s", err);
	cr_assert(model_save(&m, a, err), "%s", err);

	bool created = true;
	model_init(&m2);
	cr_assert(model_load(&m2, a, &created, err), "%s", err);
	cr_assert_not(created);
	cr_assert_eq(m2.npoints, 45);
	cr_assert_eq(m2.ridge, 0.25);
	cr_assert_eq(m2.points[44].nfactors, 2);
	cr_assert_str_eq(m2.points[44].factors[1].name, "ünïcode");
	cr_assert_eq(m2.points[0].timestamp, 1784451255123456789);
	cr_assert(model_save(&m2, b, err), "%s", err);

	size_t la, lb;
	char *ta = slurp(a, &la), *tb = slurp(b, &lb);
	cr_assert_eq(la, lb);
	cr_assert(memcmp(ta, tb, la) == 0);
	cr_assert(strncmp(ta, "{\"format\":\"bopt-model\",\"version\":1,", 35) == 0);
	cr_assert_eq(ta[la - 1], '\n');
	// The fits are those of the original model.
	for (int t = 0; t < MODEL_TARGET_COUNT; t++) {
		cr_assert_eq(m2.backends[BOPT_KAFKA].target[t].cv.r2, m.backends[BOPT_KAFKA].target[t].cv.r2);
		cr_assert_eq(m2.backends[BOPT_KAFKA].target[t].fit.intercept,
			m.backends[BOPT_KAFKA].target[t].fit.intercept);
	}
	free(ta);
	free(tb);
	model_destroy(&m);
	model_destroy(&m2);
	unlink(a);
	unlink(b);
	rmdir(dir);
	free(dir);
}

static void expect_load_error(const char *text, const char *want_fmt)
{
	char *dir = temp_dir();
	char path[256], want[512], err[512];
	snprintf(path, sizeof(path), "%s/m.json", dir);
	write_file(path, text, strlen(text));
	snprintf(want, sizeof(want), want_fmt, path);
	struct bopt_model m;
	bool created;
	model_init(&m);
	cr_assert_not(model_load(&m, path, &created, err), "loaded: %s", text);
	cr_assert_str_eq(err, want);
	same_bytes(path, text, strlen(text));
	model_destroy(&m);
	unlink(path);
	rmdir(dir);
	free(dir);
}

Test(modelfile, corrupt_and_foreign_files_are_errors)
{
	// Line 2 is "hist: the string runs to the end, column 6.
	expect_load_error("{\"format\":\"bopt-model\",\"version\":1,\"ridge\":1e-10,\n\"hist",
		"%s:2: not a bopt model file: invalid JSON at column 6: unterminated string");
	expect_load_error("", "%s:1: not a bopt model file: invalid JSON at column 1: "
		"unexpected end of line");
	expect_load_error("{\"format\":\"bopt-model\"} trailing",
		"%s:1: not a bopt model file: invalid JSON at column 25: "
		"trailing characters after the value");
	expect_load_error("[1, 2]", "%s: not a bopt model file (not a JSON object)");
	expect_load_error("{\"name\":\"something else\"}",
		"%s: not a bopt model file (no \"format\":\"bopt-model\")");
	expect_load_error("{\"format\":\"bopt-model\",\"version\":2}",
		"%s: unsupported bopt model version (this bopt reads version 1)");
	expect_load_error("{\"format\":\"bopt-model\",\"version\":1,\"history\":[]}",
		"%s: missing field \"ridge\"");
	expect_load_error("{\"format\":\"bopt-model\",\"version\":1,\"ridge\":-1,\"history\":[]}",
		"%s: field \"ridge\" must not be negative");
	expect_load_error("{\"format\":\"bopt-model\",\"version\":1,\"ridge\":0}",
		"%s: field \"history\" must be an array");
	expect_load_error("{\"format\":\"bopt-model\",\"version\":1,\"ridge\":0,\"history\":[{}]}",
		"%s: history[0]: missing field \"timestamp\"");
}

Test(modelfile, a_missing_file_is_an_empty_model)
{
	struct bopt_model m;
	bool created = false;
	char err[512];
	model_init(&m);
	cr_assert(model_load(&m, "/nonexistent-bopt-dir/m.json", &created, err), "%s", err);
	cr_assert(created);
	cr_assert_eq(m.npoints, 0);
	cr_assert_eq(m.ridge, MODEL_DEFAULT_RIDGE);
	model_destroy(&m);
}
