#include "trace/line.h"

#include <stdio.h>
#include <string.h>

#include "base/jsonscan.h"
#include "base/timestamp.h"
#include "base/util.h"
#include "trace/summary.h"
#include "trace/variant.h"

struct body {
	bool have_ts, have_meta_ts;
	struct js_string ts, meta_ts;
};

// Scans a variant's body, noting its own "timestamp" and metadata.timestamp.
// Flattened, as scan_event: the scanner's calls inlined, a fifth fewer
// instructions per line (callgrind, tests/bench/bench.sh).
BOPT_FLATTEN static bool scan_body(struct js *s, struct body *b)
{
	struct js_string key;
	bool first = true;
	if (!js_object_begin(s))
		return false;
	while (js_object_next(s, &first, &key)) {
		char c = js_peek(s);
		if (c == '"' && js_string_is(&key, "timestamp")) {
			if (!js_string(s, &b->ts))
				return false;
			b->have_ts = true;
		} else if (c == '{' && js_string_is(&key, "metadata")) {
			bool mfirst = true;
			struct js_string mkey;
			if (!js_object_begin(s))
				return false;
			while (js_object_next(s, &mfirst, &mkey)) {
				if (js_peek(s) == '"' && js_string_is(&mkey, "timestamp")) {
					if (!js_string(s, &b->meta_ts))
						return false;
					b->have_meta_ts = true;
				} else if (!js_skip_value(s)) {
					return false;
				}
			}
			if (s->error)
				return false;
		} else if (!js_skip_value(s)) {
			return false;
		}
	}
	return s->error == NULL;
}

struct event_scan {
	int members;
	struct js_string key; // the first member's key
	bool key_body;        // its value was an object, scanned into body
	struct body body;
	bool stored;          // an "event_data" object was found and scanned
	int stored_members;
	struct js_string stored_key;
	bool stored_body_ok;
	struct body stored_body;
};

// Scans {"Variant": {...}} counting members; depth 0 also looks for a
// StoredEvent's "event_data".
BOPT_FLATTEN static bool scan_event(struct js *s, struct event_scan *e, bool top)
{
	struct js_string key;
	bool first = true;
	if (!js_object_begin(s))
		return false;
	while (js_object_next(s, &first, &key)) {
		e->members++;
		char c = js_peek(s);
		if (top && c == '{' && js_string_is(&key, "event_data") && !e->stored) {
			struct event_scan inner = {0};
			if (!scan_event(s, &inner, false))
				return false;
			e->stored = true;
			e->stored_members = inner.members;
			e->stored_key = inner.key;
			e->stored_body_ok = inner.key_body;
			e->stored_body = inner.body;
		} else if (e->members == 1 && c == '{') {
			e->key = key;
			e->key_body = true;
			if (!scan_body(s, &e->body))
				return false;
		} else {
			if (e->members == 1)
				e->key = key;
			if (!js_skip_value(s))
				return false;
		}
	}
	return s->error == NULL;
}

// Lines up to this long get the scanner's SIMD pre-pass (its masks live on
// the stack); longer ones, rare in traces, are scanned without.
#define LINE_INDEXED_MAX 8192

// The line scanned by s, made ready by the caller.
static enum trace_line parse_line(struct js *s, struct trace_event *ev, char *err)
{
	if (js_at_end(s))
		return TRACE_LINE_BLANK;
	struct event_scan e = {0};
	if (js_peek(s) != '{') {
		// Valid JSON of another kind is a shape error, not a syntax error.
		if (js_skip_value(s) && js_at_end(s)) {
			bopt_errf(err, "expected an object with exactly one key, the event variant");
			return TRACE_LINE_INVALID;
		}
		if (s->error == NULL)
			js_fail(s, "trailing characters after the value");
	} else if (scan_event(s, &e, true)) {
		if (!js_at_end(s))
			js_fail(s, "trailing characters after the event");
	}
	if (s->error) {
		bopt_errf(err, "invalid JSON at column %zu: %s", s->error_offset + 1, s->error);
		return TRACE_LINE_INVALID;
	}

	struct js_string key = e.key;
	struct body *body = &e.body;
	bool body_ok = e.key_body;
	int members = e.members;
	if (e.stored) {
		key = e.stored_key;
		body = &e.stored_body;
		body_ok = e.stored_body_ok;
		members = e.stored_members;
	}
	if (members != 1) {
		bopt_errf(err, "expected an object with exactly one key, the event variant "
			"(found %d)", members);
		return TRACE_LINE_INVALID;
	}

	char name[SUMMARY_VARIANT_NAME_MAX];
	size_t name_len = key.len;
	const char *name_p = key.p;
	if (key.escaped) {
		if (!js_string_decode(&key, name, sizeof(name), &name_len)) {
			bopt_errf(err, "variant name longer than %d bytes", SUMMARY_VARIANT_NAME_MAX);
			return TRACE_LINE_INVALID;
		}
		name_p = name;
	}
	if (!body_ok) {
		bopt_errf(err, "the value of variant \"%.*s\" must be an object",
			(int)(name_len > 64 ? 64 : name_len), name_p);
		return TRACE_LINE_INVALID;
	}
	ev->variant = variant_lookup(name_p, name_len);
	ev->name = key.p;
	ev->name_len = key.len;

	// Heartbeat carries its own time; every other variant has metadata's.
	const struct js_string *ts = NULL;
	bool heartbeat = ev->variant == BOPT_V_Heartbeat;
	if (heartbeat && body->have_ts)
		ts = &body->ts;
	else if (body->have_meta_ts)
		ts = &body->meta_ts;
	if (ts == NULL) {
		bopt_errf(err, "missing timestamp (%s)", heartbeat ?
			"Heartbeat.timestamp" : "metadata.timestamp");
		return TRACE_LINE_INVALID;
	}
	char tbuf[64];
	const char *tp = ts->p;
	size_t tlen = ts->len;
	if (ts->escaped) {
		if (!js_string_decode(ts, tbuf, sizeof(tbuf), &tlen))
			tlen = sizeof(tbuf) + 1;
		tp = tbuf;
	}
	// A trace's events mostly share their minute with the one before.
	static _Thread_local struct ts_memo memo;
	enum ts_status st = tlen > sizeof(tbuf) ? TS_MALFORMED : ts_parse_memo(&memo, tp, tlen, &ev->t);
	if (st != TS_OK) {
		bopt_errf(err, "%s timestamp \"%.*s\"%s", st == TS_MALFORMED ? "malformed" :
			"out-of-range", (int)(ts->len > 48 ? 48 : ts->len), ts->p,
			st == TS_MALFORMED ? "" : " (bopt reads " BOPT_TS_RANGE ")");
		return TRACE_LINE_INVALID;
	}
	return TRACE_LINE_EVENT;
}

enum trace_line trace_parse_line(const char *line, size_t len, struct trace_event *ev,
	char *err)
{
	struct js s;
	uint64_t masks[JS_INDEX_WORDS(LINE_INDEXED_MAX)];
	js_init_indexed(&s, line, len, masks, sizeof(masks) / sizeof(masks[0]));
	return parse_line(&s, ev, err);
}

enum trace_line trace_parse_block_line(struct line_window *w, const char *line, size_t len,
	const char *text_end, struct trace_event *ev, char *err)
{
	if (w->base == NULL || line < w->base || line + len > w->base + w->nwords * 64) {
		size_t n = (size_t)(text_end - line);
		if (n > LINE_WINDOW_BYTES)
			n = LINE_WINDOW_BYTES;
		if (len > n)
			return trace_parse_line(line, len, ev, err); // a very long line
		js_index(line, n, w->words);
		w->base = line;
		w->nwords = JS_INDEX_WORDS(n);
	}
	struct js s;
	js_init_window(&s, line, len, w->words, w->nwords, w->base);
	return parse_line(&s, ev, err);
}
