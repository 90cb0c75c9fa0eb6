#include <getopt.h>
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "base/fileio.h"
#include "base/jsonw.h"
#include "base/util.h"
#include "cli/commands.h"
#include "cli/options.h"
#include "cli/output.h"
#include "cli/report.h"
#include "decide/model.h"

static const struct opt train_opts[] = {
	{'m', "model", "FILE", "the model file", NULL},
	{OPT_SHOW, "show", NULL, "print the model's summary; change nothing", NULL},
	{OPT_EVALUATE, "evaluate", NULL, "hold out every 5th point of each backend, fit on the\n"
		"rest and compare the regression with the reference's\n"
		"similarity mean on them; write nothing", NULL},
	{OPT_RIDGE, "ridge", "L", "ridge penalty on standardised features (default 1e-12;\n"
		"kept in the model file)", NULL},
	OPT_END,
};

// The versions of the JSON documents (schemas/train.schema.json): the
// model's summary (train, --show) and --evaluate's figures.
#define TRAIN_SCHEMA "bopt.train/1"
#define TRAIN_EVALUATION_SCHEMA "bopt.train-evaluation/1"

static opt_groups train_options = {
	train_opts, table_format_opt, config_opt, output_opts, help_opt, NULL,
};

const struct command_help train_help = {
	.synopsis =
		"usage: bopt train -m MODEL [OPTIONS] [DATA...]\n"
		"       bopt train --show -m MODEL\n"
		"       bopt train --evaluate [-m MODEL] [OPTIONS] [DATA...]\n"
		"\n"
		"Adds PerformanceDataPoint NDJSON (plain or gzip; none or - is stdin) to the\n"
		"model file's history (created when missing), refits a ridge regression per\n"
		"backend for latency and throughput, prints its 5-fold cross-validated R2 and\n"
		"RMSE and rewrites the file atomically.\n",
	.groups = train_options,
	.examples =
		"  bopt train -m model.json points.ndjson\n"
		"  bopt train --evaluate points.ndjson.gz\n"
		"  bopt train --show -m model.json -f json\n",
};

enum train_mode {
	MODE_TRAIN,
	MODE_SHOW,
	MODE_EVALUATE,
};

struct train_result {
	const char *path;
	bool created;
	size_t added;
};

static void print_target_row(FILE *out, enum bopt_backend b, const struct model_backend *be,
	int t)
{
	const struct model_target_fit *f = &be->target[t];
	const char *use = f->qualified ? "model" : "similar";
	if (be->fitted)
		fprintf(out, "%-9s %6zu  %-10s  %10.6g  %10.6g  %s\n", backend_name(b), be->points,
			model_target_names[t], f->cv.r2, f->cv.rmse, use);
	else
		fprintf(out, "%-9s %6zu  %-10s  %10s  %10s  %s\n", backend_name(b), be->points,
			model_target_names[t], "-", "-", use);
}

static void print_summary(FILE *out, const struct bopt_model *m, const struct train_result *r,
	enum train_mode mode)
{
	report_row(out, "model", "%s%s", r->path, r->created ? " (created)" : "");
	if (mode == MODE_TRAIN)
		report_row(out, "points", "%zu (%zu added, %zu dropped by the cap)", m->npoints,
			r->added, m->dropped);
	else
		report_row(out, "points", "%zu", m->npoints);
	report_row(out, "ridge", "%g", m->ridge);
	report_gap(out);
	fprintf(out, "%-9s %6s  %-10s  %10s  %10s  %s\n", "backend", "points", "target",
		"cv r2", "cv rmse", "prediction");
	for (int b = 0; b < BOPT_BACKEND_COUNT; b++)
		for (int t = 0; t < MODEL_TARGET_COUNT && m->backends[b].points > 0; t++)
			print_target_row(out, b, &m->backends[b], t);
}

// The rows of -f csv, ndjson and markdown: the table's, one per backend
// and target (schemas/train-row.schema.json, train-evaluation-row).
static const struct table_column summary_columns[] = {
	TABLE_TEXT("backend_type"),
	TABLE_INTEGER("points"),
	TABLE_TEXT("target"),
	TABLE_NUMBER("cv_r2", "%.6g"),
	TABLE_NUMBER("cv_rmse", "%.6g"),
	TABLE_TEXT("prediction"),
};

static const struct table_column evaluation_columns[] = {
	TABLE_TEXT("backend_type"),
	TABLE_INTEGER("train"),
	TABLE_INTEGER("test"),
	TABLE_TEXT("target"),
	TABLE_NUMBER("regression_mae", "%.6g"),
	TABLE_NUMBER("similar_mae", "%.6g"),
};

#define COLUMNS(c) (c), sizeof(c) / sizeof(*(c))

static void write_summary_rows(FILE *out, const struct bopt_model *m, enum output_format f)
{
	struct table t;
	table_init(&t, COLUMNS(summary_columns));
	for (int b = 0; b < BOPT_BACKEND_COUNT; b++) {
		const struct model_backend *be = &m->backends[b];
		for (int k = 0; k < MODEL_TARGET_COUNT && be->points > 0; k++) {
			table_text(&t, backend_name(b));
			table_number(&t, (double)be->points);
			table_text(&t, model_target_names[k]);
			// No fit (too few points): empty in CSV, null in NDJSON.
			table_number(&t, be->fitted ? be->target[k].cv.r2 : NAN);
			table_number(&t, be->fitted ? be->target[k].cv.rmse : NAN);
			table_text(&t, be->target[k].qualified ? "model" : "similar");
		}
	}
	table_write(out, &t, f);
	table_release(&t);
}

static void write_evaluation_rows(FILE *out, const struct model_eval ev[BOPT_BACKEND_COUNT],
	enum output_format f)
{
	struct table t;
	table_init(&t, COLUMNS(evaluation_columns));
	for (int b = 0; b < BOPT_BACKEND_COUNT; b++) {
		for (int k = 0; k < MODEL_TARGET_COUNT && ev[b].test > 0; k++) {
			const struct model_eval_target *et = &ev[b].target[k];
			table_text(&t, backend_name(b));
			table_number(&t, (double)ev[b].train);
			table_number(&t, (double)ev[b].test);
			table_text(&t, model_target_names[k]);
			table_number(&t, et->have_regression ? et->regression_mae : NAN);
			table_number(&t, et->similar_mae);
		}
	}
	table_write(out, &t, f);
	table_release(&t);
}

static void write_summary_json(FILE *out, const struct bopt_model *m, const struct train_result *r,
	enum train_mode mode)
{
	struct jw w;
	jw_init(&w, true);
	output_json_begin(&w, TRAIN_SCHEMA);
	jw_key(&w, "model");
	jw_string(&w, r->path);
	if (mode == MODE_TRAIN) {
		jw_key(&w, "created");
		jw_bool(&w, r->created);
		jw_key(&w, "added");
		jw_uint(&w, r->added);
		jw_key(&w, "dropped");
		jw_uint(&w, m->dropped);
	}
	jw_key(&w, "points");
	jw_uint(&w, m->npoints);
	jw_key(&w, "ridge");
	jw_double(&w, m->ridge);
	jw_key(&w, "backends");
	model_write_backends(&w, m);
	jw_object_end(&w);
	output_json(out, &w);
}

static void print_evaluation(FILE *out, const struct bopt_model *m,
	const struct model_eval ev[BOPT_BACKEND_COUNT])
{
	report_row(out, "points", "%zu", m->npoints);
	report_row(out, "held out", "every %dth point of each backend", MODEL_EVAL_EVERY);
	report_row(out, "ridge", "%g", m->ridge);
	report_gap(out);
	fprintf(out, "%-9s %6s %5s  %-10s  %14s  %14s\n", "backend", "train", "test", "target",
		"regression mae", "similar mae");
	for (int b = 0; b < BOPT_BACKEND_COUNT; b++) {
		for (int t = 0; t < MODEL_TARGET_COUNT && ev[b].test > 0; t++) {
			const struct model_eval_target *et = &ev[b].target[t];
			char reg[32] = "-";
			if (et->have_regression)
				snprintf(reg, sizeof(reg), "%.6g", et->regression_mae);
			fprintf(out, "%-9s %6zu %5zu  %-10s  %14s  %14.6g\n", backend_name(b),
				ev[b].train, ev[b].test, model_target_names[t], reg, et->similar_mae);
		}
	}
}

static void write_evaluation_json(FILE *out, const struct bopt_model *m,
	const struct model_eval ev[BOPT_BACKEND_COUNT])
{
	struct jw w;
	jw_init(&w, true);
	output_json_begin(&w, TRAIN_EVALUATION_SCHEMA);
	jw_key(&w, "points");
	jw_uint(&w, m->npoints);
	jw_key(&w, "holdout_every");
	jw_uint(&w, MODEL_EVAL_EVERY);
	jw_key(&w, "ridge");
	jw_double(&w, m->ridge);
	jw_key(&w, "backends");
	jw_array_begin(&w);
	for (int b = 0; b < BOPT_BACKEND_COUNT; b++) {
		if (ev[b].test == 0)
			continue;
		jw_object_begin(&w);
		jw_key(&w, "backend_type");
		jw_string(&w, backend_name(b));
		jw_key(&w, "train");
		jw_uint(&w, ev[b].train);
		jw_key(&w, "test");
		jw_uint(&w, ev[b].test);
		for (int t = 0; t < MODEL_TARGET_COUNT; t++) {
			const struct model_eval_target *et = &ev[b].target[t];
			jw_key(&w, model_target_names[t]);
			jw_object_begin(&w);
			jw_key(&w, "regression_mae");
			if (et->have_regression)
				jw_double(&w, et->regression_mae);
			else
				jw_null(&w);
			jw_key(&w, "similar_mae");
			jw_double(&w, et->similar_mae);
			jw_object_end(&w);
		}
		jw_object_end(&w);
	}
	jw_array_end(&w);
	jw_object_end(&w);
	output_json(out, &w);
}

// Reads the DATA files (standard input when there are none) into the model.
static bool read_all_data(struct bopt_model *m, char **paths, size_t npaths, size_t *added,
	char *err)
{
	static char *const stdin_path[] = {"-"};
	if (npaths == 0) {
		paths = (char **)stdin_path;
		npaths = 1;
	}
	*added = 0;
	for (size_t i = 0; i < npaths; i++) {
		size_t n;
		if (!model_read_data(m, paths[i], &n, err))
			return false;
		*added += n;
	}
	return true;
}

static int usage_error(const char *msg)
{
	bopt_warn("%s", msg);
	command_help_write(stderr, &train_help);
	return BOPT_EXIT_USAGE;
}

// train's own options.
struct train_args {
	struct train_result *r; // -m
	enum train_mode mode;
	bool have_ridge;
	double ridge;
	const char *config_path;
};

static int train_option(void *ctx, int opt, const char *arg)
{
	struct train_args *ta = ctx;
	switch (opt) {
	case 'm':
		ta->r->path = arg;
		return 1;
	case OPT_SHOW:
	case OPT_EVALUATE: {
		enum train_mode want = opt == OPT_SHOW ? MODE_SHOW : MODE_EVALUATE;
		if (ta->mode != MODE_TRAIN && ta->mode != want) {
			usage_error("--show and --evaluate exclude each other");
			return -1;
		}
		ta->mode = want;
		return 1;
	}
	case OPT_CONFIG:
		ta->config_path = arg;
		return 1;
	case OPT_RIDGE:
		if (!parse_double(arg, &ta->ridge) || ta->ridge < 0) {
			bopt_warn("invalid --ridge '%s': expected a number of at least 0", arg);
			return -1;
		}
		ta->have_ridge = true;
		return 1;
	default:
		return 0;
	}
}

int cmd_train(int argc, char *argv[])
{
	struct train_result r = {0};
	struct train_args ta = {.r = &r, .mode = MODE_TRAIN};
	struct format_choice f = {table_format_opt, FORMAT_TABLE, NULL};
	struct output o = {0};
	const struct opt_handler handlers[] = {
		{format_option, &f}, {train_option, &ta}, {output_option, &o}, OPT_HANDLERS_END,
	};
	int parsed = opt_parse(argc, argv, &train_help, handlers);
	if (parsed != OPT_PARSED)
		return parsed;
	enum train_mode mode = ta.mode;
	bool json = f.format == FORMAT_JSON, have_ridge = ta.have_ridge;
	bool rows = !json && f.format != FORMAT_TABLE;
	double ridge = ta.ridge;
	const char *config_path = ta.config_path;
	char **data = argv + optind;
	size_t ndata = (size_t)(argc - optind);
	bool show = mode == MODE_SHOW;
	if (show && (ndata > 0 || have_ridge))
		return usage_error("--show takes neither DATA nor --ridge");
	if (r.path == NULL && mode != MODE_EVALUATE)
		return usage_error("missing -m MODEL");
	if (r.path != NULL && strcmp(r.path, "-") == 0)
		return usage_error("the model must be a file, not standard input");

	struct bopt_model m, fresh;
	model_init(&m);
	model_init(&fresh);
	fresh.staging = true;
	char err[BOPT_ERR_MAX];
	int status = BOPT_EXIT_FAILURE;
	int lock = -1;
	struct bopt_config config;
	config_init(&config);
	bool configured = config_load(&config, config_path, err);
	m.min_points = config.min_samples_for_prediction;
	config_release(&config);
	if (!configured)
		goto fail;
	// The data is read first, then the model under a lock, so that
	// concurrent trainings of one model take turns (none loses the other's
	// points) without waiting on each other's input.
	if (!show && (r.path == NULL || ndata > 0 || mode == MODE_TRAIN) &&
			!read_all_data(&fresh, data, ndata, &r.added, err))
		goto fail;
	if (mode == MODE_TRAIN && (lock = model_lock(r.path, err)) < 0)
		goto fail;
	if (show ? !model_load_existing(&m, r.path, err) :
			r.path != NULL && !model_load(&m, r.path, &r.created, err))
		goto fail;
	if (have_ridge)
		m.ridge = ridge;
	model_take_points(&m, &fresh);
	if (!show && !model_refit(&m, err))
		goto fail;
	if (mode == MODE_EVALUATE) {
		struct model_eval ev[BOPT_BACKEND_COUNT];
		if (!model_evaluate(&m, ev, err))
			goto fail;
		if (json)
			write_evaluation_json(output_stream(&o), &m, ev);
		else if (rows)
			write_evaluation_rows(output_stream(&o), ev, f.format);
		else
			print_evaluation(output_stream(&o), &m, ev);
	} else {
		if (mode == MODE_TRAIN && !model_save(&m, r.path, err))
			goto fail;
		if (json)
			write_summary_json(output_stream(&o), &m, &r, mode);
		else if (rows)
			write_summary_rows(output_stream(&o), &m, f.format);
		else
			print_summary(output_stream(&o), &m, &r, mode);
	}
	status = BOPT_EXIT_OK;
	goto out;
fail:
	bopt_warn("%s", err);
out:
	file_unlock(lock);
	model_destroy(&fresh);
	model_destroy(&m);
	return output_finish(&o, status);
}
