#include "trace/workload.h"

#include <cjson/cJSON.h>
#include <stdlib.h>
#include <string.h>

#include "base/input.h"
#include "base/serde.h"
#include "base/util.h"

// A pattern file is a small JSON document.
#define PATTERN_FILE_MAX (64u << 20)

void workload_options_init(struct workload_options *o)
{
	*o = (struct workload_options){
		.classify = {.window_seconds = WORKLOAD_DEFAULT_WINDOW_S},
	};
}

bool workload_analyse(char *const *paths, size_t npaths, const struct workload_options *o,
	struct workload_analysis *a, char *err)
{
	*a = (struct workload_analysis){0};
	summary_init(&a->summary);
	pattern_init_default(&a->pattern);
	if (!trace_summarise(paths, npaths, &o->trace, &a->summary, err))
		return false;
	if (a->summary.events == 0) {
		const char *name = npaths == 1 ? (input_display_name(paths[0])) :
			npaths == 0 ? "<stdin>" : "trace";
		return bopt_errf(err, "%s: no events in the trace%s", name,
			a->summary.outside_window > 0 ? " window" : "");
	}
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
	const char *name = input_display_name(path);
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
