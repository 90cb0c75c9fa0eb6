#include "trace/summary-io.h"

#include <cjson/cJSON.h>
#include <inttypes.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/input.h"
#include "base/serde.h"
#include "base/timestamp.h"
#include "base/util.h"

// Whole numbers written as JSON numbers are read back exactly up to 2^53.
#define DOC_NUMBER_MAX (UINT64_C(1) << 53)

/* The scalar fields, in the order written. */

enum kind {
	K_COUNT,  // uint64_t, a JSON number up to 2^53
	K_NS,     // int64_t >= 0, a JSON number up to 2^53
	K_BIG,    // uint64_t, a decimal string
	K_WIDE,   // bopt_u128, a decimal string
	K_TIME,   // int64_t ns, an RFC 3339 string
	K_SECOND, // int64_t s since the epoch, a JSON number
	K_FLAG,   // bool
};

struct field {
	const char *name;
	enum kind kind;
	size_t off;
};

#define F(name, kind, member) {name, kind, offsetof(struct bopt_summary, member)}
static const struct field fields[] = {
	F("events", K_COUNT, events),
	F("bytes", K_COUNT, bytes),
	F("skipped", K_COUNT, skipped),
	F("outside_window", K_COUNT, outside_window),
	F("first", K_TIME, t_min),
	F("last", K_TIME, t_max),
	F("input_first", K_TIME, in_first),
	F("input_last", K_TIME, in_last),
	F("out_of_order", K_COUNT, out_of_order),
	F("repaired", K_COUNT, repaired),
	F("late", K_COUNT, late),
	F("forced", K_COUNT, forced),
	F("max_lateness_ns", K_NS, max_lateness),
	F("first_emitted", K_TIME, first_emitted),
	F("latest_emitted", K_TIME, hwm),
	F("gaps", K_COUNT, n_gaps),
	F("gap_sum_ns", K_BIG, gap_sum),
	F("gap_sum_squares_ns2", K_WIDE, gap_sumsq),
	F("first_second", K_SECOND, first_sec),
	F("first_second_events", K_COUNT, first_sec_count),
	F("last_second", K_SECOND, cur_sec),
	F("last_second_events", K_COUNT, cur_sec_count),
	F("peak_per_second", K_COUNT, peak_per_sec),
	F("approximate_gaps", K_FLAG, approx_gaps),
	F("approximate_peak", K_FLAG, approx_peak),
	F("size_max", K_COUNT, size_max),
	F("sample_raw", K_COUNT, sample_raw),
	F("sample_compressed", K_COUNT, sample_compressed),
	F("other_lumped", K_COUNT, other_lumped),
};
#undef F
#define N_FIELDS (sizeof(fields) / sizeof(fields[0]))

// The other members of the document.
static const char K_SCHEMA[] = "schema";
static const char K_HORIZON[] = "max_disorder_ns";
static const char K_INPUTS[] = "inputs";
static const char K_INPUT_COUNT[] = "count";
static const char K_INPUT_NAMES[] = "names";
static const char K_VARIANTS[] = "variants";
static const char K_OTHERS[] = "other_variants";
static const char K_SIZES[] = "sizes";
static const char K_SERIES[] = "series";
static const char K_GAP_HIST[] = "gap_histogram";
static const char K_SHIFT[] = "shift";
static const char K_FIRST_BIN[] = "first_bin";
static const char K_COUNTS[] = "counts";

#define MEMBER(s, f, type) ((type *)((char *)(s) + (f)->off))

// Decimal digits of a 128-bit number; buf needs 40 bytes.
static void u128_format(bopt_u128 v, char *buf)
{
	char tmp[40];
	size_t n = 0;
	do {
		tmp[n++] = (char)('0' + (int)(v % 10));
		v /= 10;
	} while (v > 0);
	for (size_t i = 0; i < n; i++)
		buf[i] = tmp[n - 1 - i];
	buf[n] = '\0';
}

static bool u128_parse(const char *s, bopt_u128 max, bopt_u128 *out)
{
	size_t n = strlen(s);
	if (n == 0 || n > 39 || (n > 1 && s[0] == '0'))
		return false;
	bopt_u128 v = 0;
	for (size_t i = 0; i < n; i++) {
		if (s[i] < '0' || s[i] > '9')
			return false;
		unsigned d = (unsigned)(s[i] - '0');
		if (v > (max - d) / 10)
			return false;
		v = v * 10 + d;
	}
	*out = v;
	return true;
}

void summary_meta_add_input(struct summary_meta *m, const char *name)
{
	m->inputs++;
	if (m->n_names == SUMMARY_DOC_NAMES)
		return;
	snprintf(m->names[m->n_names++], SUMMARY_DOC_NAME_MAX + 1, "%s", name);
}

static void write_field(struct jw *w, const struct bopt_summary *s, const struct field *f)
{
	char buf[48];
	jw_key(w, f->name);
	switch (f->kind) {
	case K_COUNT:
		jw_uint(w, *MEMBER(s, f, const uint64_t));
		break;
	case K_NS:
		jw_uint(w, (uint64_t)*MEMBER(s, f, const int64_t));
		break;
	case K_BIG:
		u128_format(*MEMBER(s, f, const uint64_t), buf);
		jw_string(w, buf);
		break;
	case K_WIDE:
		u128_format(*MEMBER(s, f, const bopt_u128), buf);
		jw_string(w, buf);
		break;
	case K_TIME:
		jw_time(w, *MEMBER(s, f, const int64_t));
		break;
	case K_SECOND:
		jw_int(w, *MEMBER(s, f, const int64_t));
		break;
	case K_FLAG:
		jw_bool(w, *MEMBER(s, f, const bool));
		break;
	}
}

void summary_write_doc(struct jw *w, const struct bopt_summary *s, const struct summary_meta *m)
{
	char schema[64];
	snprintf(schema, sizeof(schema), "%s/%d", SUMMARY_SCHEMA_NAME, SUMMARY_SCHEMA_VERSION);
	jw_object_begin(w);
	jw_key(w, K_SCHEMA);
	jw_string(w, schema);
	jw_key(w, K_HORIZON);
	jw_uint(w, (uint64_t)m->horizon_ns);
	jw_key(w, K_INPUTS);
	jw_object_begin(w);
	jw_key(w, K_INPUT_COUNT);
	jw_uint(w, m->inputs);
	jw_key(w, K_INPUT_NAMES);
	jw_array_begin(w);
	for (size_t i = 0; i < m->n_names; i++)
		jw_string(w, m->names[i]);
	jw_array_end(w);
	jw_object_end(w);
	for (size_t i = 0; i < N_FIELDS; i++)
		write_field(w, s, &fields[i]);

	jw_key(w, K_VARIANTS);
	jw_object_begin(w);
	for (int v = 0; v < BOPT_VARIANT_COUNT; v++) {
		if (s->variant_counts[v] == 0)
			continue;
		jw_key(w, bopt_variant_names[v]);
		jw_uint(w, s->variant_counts[v]);
	}
	jw_object_end(w);
	// Unknown names as pairs: their order (first seen) is part of the output.
	jw_key(w, K_OTHERS);
	jw_array_begin(w);
	for (size_t i = 0; i < s->n_others; i++) {
		jw_array_begin(w);
		jw_string(w, s->others[i].name);
		jw_uint(w, s->others[i].count);
		jw_array_end(w);
	}
	jw_array_end(w);

	// The size histogram: [least size of the bin, records] of every bin in use.
	jw_key(w, K_SIZES);
	jw_array_begin(w);
	for (size_t b = 0; b < SIZE_BINS; b++) {
		if (s->size_hist[b] == 0)
			continue;
		jw_array_begin(w);
		jw_uint(w, size_bin_floor(b));
		jw_uint(w, s->size_hist[b]);
		jw_array_end(w);
	}
	jw_array_end(w);

	// The gap histogram: [bin, gaps] of every bin in use (trace/summary.h),
	// when it is known.
	if (!s->gaps_unbinned) {
		jw_key(w, K_GAP_HIST);
		jw_array_begin(w);
		for (int b = 0; b < GAP_BINS; b++) {
			if (s->gap_hist[b] == 0)
				continue;
			jw_array_begin(w);
			jw_uint(w, (uint64_t)b);
			jw_uint(w, s->gap_hist[b]);
			jw_array_end(w);
		}
		jw_array_end(w);
	}

	const struct series *se = &s->series;
	jw_key(w, K_SERIES);
	jw_object_begin(w);
	jw_key(w, K_SHIFT);
	jw_uint(w, (uint64_t)se->shift);
	jw_key(w, K_FIRST_BIN);
	jw_int(w, se->lo);
	jw_key(w, K_COUNTS);
	jw_array_begin(w);
	for (int64_t b = se->lo; b < se->lo + se->len; b++)
		jw_uint(w, se->bins[SERIES_SLOT(b)]);
	jw_array_end(w);
	jw_object_end(w);
	jw_object_end(w);
}

/* The reader. */

static bool get_int(const cJSON *obj, const char *key, int64_t *out, char *err)
{
	double d;
	if (!serde_get_number(obj, key, &d, err))
		return false;
	// The range first: a double beyond int64's has no conversion to test.
	if (!(d >= -(double)DOC_NUMBER_MAX && d <= (double)DOC_NUMBER_MAX) || d != (double)(int64_t)d)
		return bopt_errf(err, "field \"%s\" must be a whole number of at most 2^53", key);
	*out = (int64_t)d;
	return true;
}

static bool read_field(const cJSON *doc, struct bopt_summary *s, const struct field *f,
	char *err)
{
	const char *text;
	bopt_u128 wide;
	int64_t i = 0;
	switch (f->kind) {
	case K_COUNT:
		return serde_get_uint(doc, f->name, DOC_NUMBER_MAX, MEMBER(s, f, uint64_t), err);
	case K_NS:
		if (!get_int(doc, f->name, &i, err))
			return false;
		if (i < 0)
			return bopt_errf(err, "field \"%s\" must not be negative", f->name);
		*MEMBER(s, f, int64_t) = i;
		return true;
	case K_BIG:
	case K_WIDE:
		text = serde_get_string(doc, f->name, err);
		if (text == NULL)
			return false;
		if (!u128_parse(text, f->kind == K_BIG ? UINT64_MAX : ~(bopt_u128)0, &wide))
			return bopt_errf(err, "field \"%s\" must be a decimal string of a whole "
				"number below 2^%d", f->name, f->kind == K_BIG ? 64 : 128);
		if (f->kind == K_BIG)
			*MEMBER(s, f, uint64_t) = (uint64_t)wide;
		else
			*MEMBER(s, f, bopt_u128) = wide;
		return true;
	case K_TIME:
		return serde_get_time(doc, f->name, MEMBER(s, f, int64_t), err);
	case K_SECOND:
		return get_int(doc, f->name, MEMBER(s, f, int64_t), err);
	case K_FLAG:
		return serde_get_bool(doc, f->name, MEMBER(s, f, bool), err);
	}
	return false;
}

static bool known_member(const char *name)
{
	static const char *const others[] = {K_SCHEMA, K_HORIZON, K_INPUTS, K_VARIANTS,
		K_OTHERS, K_SIZES, K_SERIES, K_GAP_HIST};
	for (size_t i = 0; i < N_FIELDS; i++)
		if (strcmp(name, fields[i].name) == 0)
			return true;
	for (size_t i = 0; i < sizeof(others) / sizeof(others[0]); i++)
		if (strcmp(name, others[i]) == 0)
			return true;
	return false;
}

// Refuses any version but this bopt's, telling newer from unknown.
static bool read_schema(const cJSON *doc, char *err)
{
	const char *schema = serde_get_string(doc, K_SCHEMA, err);
	if (schema == NULL)
		return false;
	size_t n = strlen(SUMMARY_SCHEMA_NAME);
	if (strncmp(schema, SUMMARY_SCHEMA_NAME "/", n + 1) != 0)
		return bopt_errf(err, "not a bopt summary (schema \"%s\", expected \"%s/%d\")",
			schema, SUMMARY_SCHEMA_NAME, SUMMARY_SCHEMA_VERSION);
	char *end;
	const char *digits = schema + n + 1;
	unsigned long v = strtoul(digits, &end, 10);
	if (*digits < '1' || *digits > '9' || *end != '\0')
		return bopt_errf(err, "unknown summary version \"%s\"", schema);
	if (v != SUMMARY_SCHEMA_VERSION)
		return bopt_errf(err, "summary version \"%s\" is %s than this bopt reads (%s/%d)%s",
			schema, v > SUMMARY_SCHEMA_VERSION ? "newer" : "older", SUMMARY_SCHEMA_NAME,
			SUMMARY_SCHEMA_VERSION, v > SUMMARY_SCHEMA_VERSION ?
			": use the bopt that wrote it" : "");
	return true;
}

static bool read_inputs(const cJSON *doc, struct summary_meta *m, char *err)
{
	const cJSON *in = serde_get_object(doc, K_INPUTS, err);
	if (in == NULL)
		return false;
	if (!serde_get_uint(in, K_INPUT_COUNT, DOC_NUMBER_MAX, &m->inputs, err))
		return false;
	const cJSON *names = cJSON_GetObjectItemCaseSensitive(in, K_INPUT_NAMES);
	if (!cJSON_IsArray(names))
		return bopt_errf(err, "field \"%s\" must be an array", K_INPUT_NAMES);
	const cJSON *n;
	cJSON_ArrayForEach(n, names) {
		if (!cJSON_IsString(n) || strlen(n->valuestring) > SUMMARY_DOC_NAME_MAX)
			return bopt_errf(err, "field \"%s\" must hold strings of at most %d bytes",
				K_INPUT_NAMES, SUMMARY_DOC_NAME_MAX);
		if (m->n_names == SUMMARY_DOC_NAMES || m->n_names >= m->inputs)
			return bopt_errf(err, "field \"%s\" holds more names than inputs or %d",
				K_INPUT_NAMES, SUMMARY_DOC_NAMES);
		snprintf(m->names[m->n_names++], SUMMARY_DOC_NAME_MAX + 1, "%s", n->valuestring);
	}
	if (m->inputs < 1)
		return bopt_errf(err, "field \"%s\" must be at least 1", K_INPUT_COUNT);
	return true;
}

// A whole-number JSON value up to 2^53.
static bool array_uint(const cJSON *v, uint64_t *out)
{
	if (!cJSON_IsNumber(v) || v->valuedouble < 0 || v->valuedouble > (double)DOC_NUMBER_MAX ||
		v->valuedouble != (double)(uint64_t)v->valuedouble)
		return false;
	*out = (uint64_t)v->valuedouble;
	return true;
}

static bool read_variants(const cJSON *doc, struct bopt_summary *s, char *err)
{
	const cJSON *vs = serde_get_object(doc, K_VARIANTS, err);
	if (vs == NULL)
		return false;
	const cJSON *v;
	int last = -1;
	cJSON_ArrayForEach(v, vs) {
		int k = variant_lookup(v->string, strlen(v->string));
		if (k < 0)
			return bopt_errf(err, "unknown variant \"%s\" in \"%s\"", v->string, K_VARIANTS);
		if (k <= last)
			return bopt_errf(err, "variant \"%s\" out of order in \"%s\"", v->string,
				K_VARIANTS);
		last = k;
		if (!array_uint(v, &s->variant_counts[k]) || s->variant_counts[k] == 0)
			return bopt_errf(err, "variant \"%s\" must count 1 to 2^53 events", v->string);
	}
	const cJSON *others = cJSON_GetObjectItemCaseSensitive(doc, K_OTHERS);
	if (!cJSON_IsArray(others))
		return bopt_errf(err, "field \"%s\" must be an array", K_OTHERS);
	cJSON_ArrayForEach(v, others) {
		const cJSON *name = cJSON_GetArrayItem(v, 0), *count = cJSON_GetArrayItem(v, 1);
		struct other_variant *o = &s->others[s->n_others];
		if (!cJSON_IsArray(v) || cJSON_GetArraySize(v) != 2 || !cJSON_IsString(name) ||
			strlen(name->valuestring) > SUMMARY_VARIANT_NAME_MAX ||
			!array_uint(count, &o->count) || o->count == 0)
			return bopt_errf(err, "field \"%s\" must hold [name, events] pairs (names "
				"of at most %d bytes)", K_OTHERS, SUMMARY_VARIANT_NAME_MAX);
		if (s->n_others == SUMMARY_MAX_OTHER_VARIANTS)
			return bopt_errf(err, "field \"%s\" holds more than %d names", K_OTHERS,
				SUMMARY_MAX_OTHER_VARIANTS);
		for (size_t i = 0; i < s->n_others; i++)
			if (strcmp(s->others[i].name, name->valuestring) == 0)
				return bopt_errf(err, "variant \"%s\" twice in \"%s\"", name->valuestring,
					K_OTHERS);
		snprintf(o->name, sizeof(o->name), "%s", name->valuestring);
		s->n_others++;
	}
	return true;
}

// A [key, count] pair of whole numbers with a count of at least 1.
static bool counted_pair(const cJSON *v, uint64_t *key, uint64_t *count)
{
	return cJSON_IsArray(v) && cJSON_GetArraySize(v) == 2 &&
		array_uint(cJSON_GetArrayItem(v, 0), key) &&
		array_uint(cJSON_GetArrayItem(v, 1), count) && *count > 0;
}

static bool read_sizes(const cJSON *doc, struct bopt_summary *s, char *err)
{
	const cJSON *sizes = cJSON_GetObjectItemCaseSensitive(doc, K_SIZES);
	if (!cJSON_IsArray(sizes))
		return bopt_errf(err, "field \"%s\" must be an array", K_SIZES);
	const cJSON *v;
	size_t next = 0; // bins must rise
	cJSON_ArrayForEach(v, sizes) {
		uint64_t least, count;
		if (!counted_pair(v, &least, &count))
			return bopt_errf(err, "field \"%s\" must hold [least size, records] pairs",
				K_SIZES);
		size_t b = size_bin(least);
		if (size_bin_floor(b) != least || b < next)
			return bopt_errf(err, "field \"%s\": %llu is not the least size of a bin "
				"above the one before", K_SIZES, (unsigned long long)least);
		s->size_hist[b] = count;
		next = b + 1;
	}
	return true;
}

// Optional: a document without it leaves the histogram unknown.
static bool read_gap_hist(const cJSON *doc, struct bopt_summary *s, char *err)
{
	const cJSON *hist = cJSON_GetObjectItemCaseSensitive(doc, K_GAP_HIST);
	if (hist == NULL) {
		s->gaps_unbinned = true;
		return true;
	}
	if (!cJSON_IsArray(hist))
		return bopt_errf(err, "field \"%s\" must be an array", K_GAP_HIST);
	const cJSON *v;
	uint64_t next = 0; // bins must rise
	cJSON_ArrayForEach(v, hist) {
		uint64_t bin, count;
		if (!counted_pair(v, &bin, &count) || bin >= GAP_BINS || bin < next)
			return bopt_errf(err, "field \"%s\" must hold [bin, gaps] pairs, bins rising "
				"from 0 to %d", K_GAP_HIST, GAP_BINS - 1);
		s->gap_hist[bin] = count;
		next = bin + 1;
	}
	return true;
}

static bool read_series(const cJSON *doc, struct bopt_summary *s, char *err)
{
	const cJSON *se = serde_get_object(doc, K_SERIES, err);
	if (se == NULL)
		return false;
	uint64_t shift;
	int64_t lo = 0;
	if (!serde_get_uint(se, K_SHIFT, 62, &shift, err) || !get_int(se, K_FIRST_BIN, &lo, err))
		return false;
	const cJSON *counts = cJSON_GetObjectItemCaseSensitive(se, K_COUNTS);
	if (!cJSON_IsArray(counts) || cJSON_GetArraySize(counts) > (int)SERIES_CAP)
		return bopt_errf(err, "field \"%s\" must be an array of at most %u counts",
			K_COUNTS, SERIES_CAP);
	struct series *out = &s->series;
	out->shift = (int)shift;
	out->lo = lo;
	out->len = 0;
	const cJSON *v;
	cJSON_ArrayForEach(v, counts) {
		if (!array_uint(v, &out->bins[SERIES_SLOT(lo + out->len)]))
			return bopt_errf(err, "field \"%s\" must hold whole numbers", K_COUNTS);
		out->len++;
	}
	// The first and last bins hold the first and last events.
	if (out->len > 0 && (out->bins[SERIES_SLOT(lo)] == 0 ||
		out->bins[SERIES_SLOT(lo + out->len - 1)] == 0))
		return bopt_errf(err, "field \"%s\" must start and end with a bin in use", K_COUNTS);
	return true;
}

static bool read_doc(const cJSON *doc, struct bopt_summary *s, struct summary_meta *m,
	char *err)
{
	if (!cJSON_IsObject(doc))
		return bopt_errf(err, "not a bopt summary (expected a JSON object)");
	if (!read_schema(doc, err))
		return false;
	const cJSON *c;
	cJSON_ArrayForEach(c, doc)
		if (!known_member(c->string))
			return bopt_errf(err, "unknown field \"%s\"", c->string);
	if (!get_int(doc, K_HORIZON, &m->horizon_ns, err) || !read_inputs(doc, m, err))
		return false;
	for (size_t i = 0; i < N_FIELDS; i++)
		if (!read_field(doc, s, &fields[i], err))
			return false;
	if (m->horizon_ns < 0)
		return bopt_errf(err, "field \"%s\" must not be negative", K_HORIZON);
	if (s->events == 0)
		return bopt_errf(err, "field \"events\" must be at least 1");
	if (s->first_sec_count == 0 || s->cur_sec_count == 0 || s->first_sec > s->cur_sec)
		return bopt_errf(err, "the first and last seconds do not hold events in order");
	s->emitted_any = true;
	if (!read_variants(doc, s, err) || !read_sizes(doc, s, err) || !read_gap_hist(doc, s, err) ||
		!read_series(doc, s, err))
		return false;
	char why[BOPT_ERR_MAX];
	if (!summary_check(s, why))
		return bopt_errf(err, "the figures do not add up: %s", why);
	return true;
}

bool summary_read_doc(const char *path, struct bopt_summary *s, struct summary_meta *m,
	char *err)
{
	const char *name = input_display_name(path);
	char *text = NULL;
	size_t len;
	*m = (struct summary_meta){0};
	if (!input_slurp(path, SUMMARY_DOC_MAX, &text, &len, err))
		return false;
	struct serde_parse_error pe;
	cJSON *doc = serde_parse(text, len, &pe);
	bool ok = false;
	char why[BOPT_ERR_MAX];
	if (doc == NULL)
		bopt_errf(err, "%s:%zu: not a summary document: invalid JSON at column %zu: %s",
			name, pe.line, pe.column, pe.reason);
	else if (!read_doc(doc, s, m, why))
		bopt_errf(err, "%s: %s", name, why);
	else
		ok = true;
	cJSON_Delete(doc);
	free(text);
	return ok;
}
