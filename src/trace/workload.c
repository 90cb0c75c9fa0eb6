#include "trace/workload.h"

#include <cjson/cJSON.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/input.h"
#include "base/serde.h"
#include "base/util.h"
#include "trace/shards.h"

// A pattern file is a small JSON document.
#define PATTERN_FILE_MAX (64u << 20)

void workload_options_init(struct workload_options *o)
{
	*o = (struct workload_options){
		.trace = {.max_disorder_ns = REORDER_DEFAULT_HORIZON_NS},
		.classify = {.window_seconds = WORKLOAD_DEFAULT_WINDOW_S},
	};
}

// Says how much disorder defeated the repair, and what to do about it.
static void disorder_warning(const struct bopt_summary *s, const struct trace_options *o,
	char *out)
{
	char forced[160] = "";
	if (s->forced > 0)
		snprintf(forced, sizeof(forced), "; the memory cap of %u held events released "
			"%llu early", REORDER_CAP, (unsigned long long)s->forced);
	// A horizon that would have repaired it: the largest lateness, in whole ms up.
	unsigned long long ms = (unsigned long long)((s->max_lateness + 999999) / 1000000);
	bopt_errf(out, "%llu of %llu events came more than %.6g s behind a later one (at "
		"most %.6g s%s): the inter-arrival times and peak rate leave them out; use "
		"--max-disorder %llums or sort the trace by time", (unsigned long long)s->late,
		(unsigned long long)s->events, (double)o->max_disorder_ns / 1e9,
		(double)s->max_lateness / 1e9, forced, ms);
}

// Checks and classifies a summarised workload.
static bool workload_finish(const struct workload_options *o, const struct trace_options *t,
	struct workload_analysis *a, char *err)
{
	char why[BOPT_ERR_MAX];
	if (!summary_check(&a->summary, why))
		return bopt_errf(err, "the figures do not add up (%s): this is a bug in bopt", why);
	if (a->summary.late > 0) {
		disorder_warning(&a->summary, t, a->warning);
		if (o->strict)
			return bopt_errf(err, "%s", a->warning);
	}
	summary_classify(&a->summary, &o->classify, &a->pattern, &a->features);
	return true;
}

bool workload_analyse(char *const *paths, size_t npaths, const struct workload_options *o,
	struct workload_analysis *a, char *err)
{
	*a = (struct workload_analysis){0};
	summary_init(&a->summary);
	pattern_init_default(&a->pattern);
	struct bopt_summary *files = NULL;
	if (o->per_file && !o->trace.concat && npaths > 0) {
		a->nfiles = npaths;
		a->files = xcalloc(npaths, sizeof(*a->files));
		files = xcalloc(npaths, sizeof(*files));
		for (size_t i = 0; i < npaths; i++)
			summary_init(&files[i]);
	}
	bool ok = trace_summarise(paths, npaths, &o->trace, &a->summary, files, err);
	for (size_t i = 0; i < a->nfiles; i++) {
		struct workload_file *f = &a->files[i];
		f->path = paths[i];
		f->summary = files[i]; // moved
		struct bopt_pattern p;
		pattern_init_default(&p);
		summary_classify(&f->summary, &o->classify, &p, &f->features);
		pattern_release(&p);
	}
	free(files);
	if (!ok)
		return false;
	const char *name = npaths == 1 ? input_display_name(paths[0]) :
		npaths == 0 ? "<stdin>" : "trace";
	if (a->summary.events == 0)
		return bopt_errf(err, "%s: no events in the trace%s", name,
			a->summary.outside_window > 0 ? " window" : "");
	if (summary_descending(&a->summary))
		return bopt_errf(err, "%s: the events are in strictly descending time order "
			"(newest first); bopt reads a trace oldest first: reverse it (e.g. with tac)",
			name);
	return workload_finish(o, &o->trace, a, err);
}

bool workload_from_summaries(char *const *paths, size_t npaths,
	const struct workload_options *o, struct workload_analysis *a, struct summary_meta *m,
	char *err)
{
	*a = (struct workload_analysis){0};
	summary_init(&a->summary);
	pattern_init_default(&a->pattern);
	struct shards sh;
	shards_begin(&sh, &a->summary);
	bool ok = true;
	for (size_t i = 0; i < npaths && ok; i++)
		ok = shards_add(&sh, paths[i], err);
	ok = ok && shards_end(&sh, m, err);
	shards_release(&sh);
	if (!ok)
		return false;
	// The disorder figures are the horizon's that the summaries were made with.
	struct trace_options t = o->trace;
	t.max_disorder_ns = m->horizon_ns;
	return workload_finish(o, &t, a, err);
}

void workload_release(struct workload_analysis *a)
{
	summary_destroy(&a->summary);
	pattern_release(&a->pattern);
	for (size_t i = 0; i < a->nfiles; i++)
		summary_destroy(&a->files[i].summary);
	free(a->files);
	a->files = NULL;
	a->nfiles = 0;
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
