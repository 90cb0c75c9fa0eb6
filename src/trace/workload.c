#include "trace/workload.h"

#include <cjson/cJSON.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "base/input.h"
#include "base/serde.h"
#include "base/util.h"

// A pattern file is a small JSON document.
#define PATTERN_FILE_MAX (64u << 20)

void workload_options_init(struct workload_options *o)
{
	*o = (struct workload_options){
		.trace = {.progress = isatty(STDERR_FILENO)},
		.classify = {.window_seconds = WORKLOAD_DEFAULT_WINDOW_S},
	};
}

int workload_option(struct workload_options *o, int opt, const char *arg)
{
	long long ns;
	size_t jobs;
	switch (opt) {
	case OPT_WINDOW:
		if (!parse_duration(arg, &ns)) {
			bopt_warn("invalid --window '%s' (expected a duration such as 90s, 15m, 2h)", arg);
			return -1;
		}
		o->trace.has_window = true;
		o->trace.window_ns = ns;
		o->classify.window_seconds = (double)ns / 1e9;
		return 1;
	case OPT_SKIP_INVALID:
		o->trace.skip_invalid = true;
		return 1;
	case OPT_NO_PROGRESS:
		o->trace.progress = false;
		return 1;
	case 'j':
		if (!parse_size(arg, &jobs) || jobs < 1 || jobs > 256) {
			bopt_warn("invalid --jobs '%s' (expected 1 to 256)", arg);
			return -1;
		}
		o->trace.jobs = (int)jobs;
		return 1;
	default:
		return 0;
	}
}

bool workload_analyse(char *const *paths, size_t npaths, const struct workload_options *o,
	struct workload_analysis *a, char *err)
{
	*a = (struct workload_analysis){0};
	summary_init(&a->summary);
	pattern_init_default(&a->pattern);
	if (!trace_summarise(paths, npaths, &o->trace, &a->summary, err))
		return false;
	const char *name = npaths == 1 ? (strcmp(paths[0], "-") == 0 ? "<stdin>" : paths[0]) :
		npaths == 0 ? "<stdin>" : "trace";
	if (a->summary.events == 0)
		return bopt_errf(err, "%s: no events in the trace%s", name,
			a->summary.outside_window > 0 ? " window" : "");
	if (summary_descending(&a->summary))
		return bopt_errf(err, "%s: the events are in strictly descending time order "
			"(newest first); bopt reads a trace oldest first: reverse it (e.g. with tac)",
			name);
	summary_classify(&a->summary, &o->classify, &a->pattern, &a->features);
	return true;
}

void workload_release(struct workload_analysis *a)
{
	summary_destroy(&a->summary);
	pattern_release(&a->pattern);
}

bool workload_read_pattern(const char *path, struct bopt_pattern *p, char *err)
{
	char *text = NULL;
	size_t len;
	bool ok = false;
	cJSON *doc = NULL;
	pattern_init_default(p);
	const char *name = strcmp(path, "-") == 0 ? "<stdin>" : path;
	if (!input_slurp(path, PATTERN_FILE_MAX, &text, &len, err))
		goto out;
	struct serde_parse_error pe;
	doc = serde_parse(text, len, &pe);
	if (doc == NULL) {
		bopt_errf(err, "%s:%zu: invalid JSON at column %zu: %s", name, pe.line, pe.column,
			pe.reason);
		goto out;
	}
	// The output of bopt analyze wraps the pattern.
	const cJSON *j = cJSON_GetObjectItemCaseSensitive(doc, "pattern");
	if (!cJSON_IsObject(j))
		j = doc;
	char why[BOPT_ERR_MAX];
	if (!serde_read_pattern(j, p, why)) {
		bopt_errf(err, "%s: not a workload pattern: %s", name, why);
		goto out;
	}
	ok = true;
out:
	cJSON_Delete(doc);
	free(text);
	return ok;
}
