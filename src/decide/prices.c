#include "decide/capacity.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "base/input.h"
#include "base/jsonscan.h"
#include "base/util.h"

static const struct {
	const char *key;
	double dollars;
	const char *unit;
	const char *source;
} prices[PRICE_COUNT] = {
#define PRICE(id, key, dollars, unit, source) [PRICE_##id] = {key, dollars, unit, source},
#include "decide/prices.def"
#undef PRICE
};

// A prices file is a small document.
#define PRICES_FILE_MAX (1u << 20)
// A price above this is a typing error, not a price.
#define PRICE_MAX 1e9

const char *price_key(enum price_id id)
{
	return prices[id].key;
}

const char *price_unit(enum price_id id)
{
	return prices[id].unit;
}

const char *price_source(enum price_id id)
{
	return prices[id].source;
}

void prices_builtin(struct price_table *t)
{
	*t = (struct price_table){.origin = "built-in"};
	for (int i = 0; i < PRICE_COUNT; i++)
		t->dollars[i] = prices[i].dollars;
	strcpy(t->region, PRICES_BUILTIN_REGION);
	strcpy(t->date, PRICES_BUILTIN_DATE);
}

static size_t line_of(const char *text, const char *at)
{
	size_t line = 1;
	for (const char *p = text; p < at; p++)
		line += *p == '\n';
	return line;
}

static int price_lookup(const struct js_string *key)
{
	for (int i = 0; i < PRICE_COUNT; i++)
		if (js_string_eq(key, prices[i].key, strlen(prices[i].key)))
			return i;
	return -1;
}

// Reads a number value at the scanner into *out.
static bool scan_number(struct js *s, double *out)
{
	js_skip_ws(s);
	const char *start = s->p;
	if (start == s->end || !(*start == '-' || (*start >= '0' && *start <= '9')))
		return js_skip_value(s) && false;
	if (!js_skip_value(s))
		return false;
	char buf[64];
	size_t n = (size_t)(s->p - start);
	if (n >= sizeof(buf))
		return false;
	memcpy(buf, start, n);
	buf[n] = '\0';
	return parse_double(buf, out);
}

// Reads a string value into buf.
static bool scan_text(struct js *s, char *buf, size_t size)
{
	struct js_string str;
	size_t len;
	if (js_peek(s) != '"')
		return js_skip_value(s) && false;
	// size - 1: room for the terminating NUL.
	if (!js_string(s, &str) || !js_string_decode(&str, buf, size - 1, &len) || len == 0)
		return false;
	buf[len] = '\0';
	return strlen(buf) == len; // no NUL inside
}

static bool scan_prices(const char *name, const char *text, struct js *s,
	struct price_table *t, char *err)
{
	if (js_peek(s) != '{')
		return bopt_errf(err, "%s:%zu: prices: expected an object of price names and dollars",
			name, line_of(text, s->p));
	if (!js_object_begin(s))
		return false;
	bool first = true;
	struct js_string key;
	while (js_object_next(s, &first, &key)) {
		size_t line = line_of(text, key.p);
		int id = price_lookup(&key);
		if (id < 0)
			return bopt_errf(err, "%s:%zu: prices.%.*s: unknown price (bopt(1), PRICES, "
				"lists them)", name, line, (int)(key.len > 64 ? 64 : key.len), key.p);
		if (t->replaced[id])
			return bopt_errf(err, "%s:%zu: prices.%s: given twice", name, line,
				prices[id].key);
		double v;
		if (!scan_number(s, &v) || !isfinite(v) || v < 0 || v > PRICE_MAX) {
			if (s->error != NULL)
				return false;
			return bopt_errf(err, "%s:%zu: prices.%s: expected dollars per %s, a number "
				"from 0 to %g", name, line, prices[id].key, prices[id].unit, PRICE_MAX);
		}
		t->dollars[id] = v;
		t->replaced[id] = true;
	}
	return s->error == NULL;
}

// Scans the document into out. Fails with err set, or with s->error set
// (a JSON syntax error) and err untouched.
static bool scan_document(const char *name, const char *text, struct js *s,
	struct price_table *out, char *err)
{
	if (js_peek(s) != '{')
		return s->p == s->end ? js_fail(s, "empty document") :
			bopt_errf(err, "%s:%zu: expected a JSON object with \"prices\"", name,
				line_of(text, s->p));
	js_object_begin(s);
	bool first = true, any = false;
	struct js_string key;
	while (js_object_next(s, &first, &key)) {
		size_t line = line_of(text, key.p);
		bool region = js_string_is(&key, "region");
		if (region || js_string_is(&key, "date")) {
			char *field = region ? out->region : out->date;
			size_t size = region ? sizeof(out->region) : sizeof(out->date);
			if (!scan_text(s, field, size))
				return s->error == NULL && bopt_errf(err, "%s:%zu: %s: expected a non-empty "
					"string of at most %zu bytes", name, line, region ? "region" : "date",
					size - 1);
		} else if (js_string_is(&key, "prices")) {
			if (!scan_prices(name, text, s, out, err))
				return false;
			any = true;
		} else {
			return bopt_errf(err, "%s:%zu: unknown field '%.*s' (expected region, date or "
				"prices)", name, line, (int)(key.len > 64 ? 64 : key.len), key.p);
		}
	}
	if (s->error != NULL)
		return false;
	if (!js_at_end(s))
		return js_fail(s, "text after the object");
	if (!any)
		return bopt_errf(err, "%s:1: no \"prices\" object", name);
	return true;
}

bool prices_parse(const char *name, const char *text, size_t len, struct price_table *t,
	char *err)
{
	struct price_table out = *t;
	strcpy(out.region, "region not stated");
	strcpy(out.date, "undated");
	struct js s;
	js_init(&s, text, len);
	if (!scan_document(name, text, &s, &out, err)) {
		if (s.error != NULL)
			bopt_errf(err, "%s:%zu: invalid JSON: %s", name,
				line_of(text, s.start + s.error_offset), s.error);
		return false;
	}
	out.origin = name;
	*t = out;
	return true;
}

bool prices_read(const char *path, struct price_table *t, char *err)
{
	char *text = NULL;
	size_t len;
	if (!input_slurp(path, PRICES_FILE_MAX, &text, &len, err))
		return false;
	bool ok = prices_parse(input_display_name(path), text, len, t, err);
	free(text);
	return ok;
}
