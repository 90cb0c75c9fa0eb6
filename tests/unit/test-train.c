// bopt train as a command on real files: what it writes and what it leaves
// alone.
#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "commands.h"
#include "datagen.h"
#include "jsonw.h"

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
	struct jw w;
	FILE *f = fopen(path, "wb");
	cr_assert_not_null(f);
	datagen_init(&g, &(struct datagen_params){.seed = 8, .backend = BOPT_KAFKA});
	for (int i = 0; i < 30; i++) {
		struct model_point pt;
		datagen_next(&g, &pt);
		jw_init(&w, false);
		model_write_point(&w, &pt);
		jw_write(&w, f);
		fputc('\n', f);
		jw_release(&w);
		model_point_release(&pt);
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
