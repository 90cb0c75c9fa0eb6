#include <getopt.h>
#include <stdio.h>

#include "base/jsonw.h"
#include "base/util.h"
#include "cli/commands.h"
#include "cli/config.h"
#include "cli/options.h"
#include "cli/output.h"
#include "cli/report.h"

static const struct opt config_cmd_opts[] = {
	{OPT_SHOW_ORIGIN, "show-origin", NULL, "start each line with where the value came from:\n"
		"built-in, file:FILE:LINE or env:VARIABLE", NULL},
	OPT_END,
};

static opt_groups config_options = {
	format_opt, config_cmd_opts, config_opt, output_opts, help_opt, NULL,
};

const struct command_help config_help = {
	.synopsis =
		"usage: bopt config [--show-origin] [--config FILE] [OPTIONS]\n"
		"\n"
		"Prints the effective configuration: each key of the configuration file\n"
		"(the reference's OptimizerConfig and bopt's own defaults) with its value\n"
		"after the file and the environment, as key=value lines.\n",
	.groups = config_options,
	.examples =
		"  bopt config --show-origin\n"
		"  bopt config -f json | jq .config > ~/.config/bopt/config.json\n"
		"  BOPT_ALPHA=0.2 bopt config --config ci/bopt.json\n",
};

// The version of the JSON document (schemas/config.schema.json).
#define CONFIG_SCHEMA "bopt.config/1"

static void write_json(FILE *out, const struct bopt_config *c)
{
	struct jw w;
	jw_init(&w, true);
	output_json_begin(&w, CONFIG_SCHEMA);
	jw_key(&w, "file");
	if (c->file)
		jw_string(&w, c->file);
	else
		jw_null(&w);
	jw_key(&w, "config");
	config_write_json(&w, c);
	jw_key(&w, "origin");
	config_write_origins(&w, c);
	jw_object_end(&w);
	jw_write(&w, out);
	fputc('\n', out);
	jw_release(&w);
}

// config's own options.
struct config_cmd_args {
	bool show_origin;
	const char *path; // --config
};

static int config_cmd_option(void *ctx, int opt, const char *arg)
{
	struct config_cmd_args *ca = ctx;
	switch (opt) {
	case OPT_SHOW_ORIGIN:
		ca->show_origin = true;
		return 1;
	case OPT_CONFIG:
		ca->path = arg;
		return 1;
	default:
		return 0;
	}
}

int cmd_config(int argc, char *argv[])
{
	struct bopt_config c;
	struct output o = {0};
	struct config_cmd_args ca = {0};
	struct format_choice f = {format_opt, FORMAT_TABLE, NULL};
	config_init(&c);
	const struct opt_handler handlers[] = {
		{format_option, &f}, {config_cmd_option, &ca}, {output_option, &o},
		OPT_HANDLERS_END,
	};
	int status = opt_parse(argc, argv, &config_help, handlers);
	if (status != OPT_PARSED)
		goto out;
	status = BOPT_EXIT_USAGE;
	const char *path = ca.path;
	bool json = f.format == FORMAT_JSON, show_origin = ca.show_origin;
	if (optind < argc) {
		bopt_warn("unexpected argument '%s'", argv[optind]);
		command_help_write(stderr, &config_help);
		goto out;
	}
	char err[BOPT_ERR_MAX];
	if (!config_load(&c, path, err)) {
		bopt_warn("%s", err);
		status = BOPT_EXIT_FAILURE;
		goto out;
	}
	FILE *out = output_stream(&o);
	if (json)
		write_json(out, &c);
	else
		config_write_text(out, &c, show_origin);
	status = BOPT_EXIT_OK;
out:
	status = output_finish(&o, status);
	config_release(&c);
	return status;
}
