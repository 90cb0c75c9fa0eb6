#include "base/jsonw.h"

#include <inttypes.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "base/timestamp.h"
#include "base/util.h"

void jw_init(struct jw *w, bool pretty)
{
	*w = (struct jw){.pretty = pretty, .first = true};
}

void jw_release(struct jw *w)
{
	free(w->buf);
	jw_init(w, w->pretty);
}

static void put(struct jw *w, const char *s, size_t n)
{
	if (w->len + n + 1 > w->cap) {
		size_t cap = w->cap ? w->cap : 256;
		while (w->len + n + 1 > cap)
			cap *= 2;
		w->buf = xrealloc(w->buf, cap);
		w->cap = cap;
	}
	memcpy(w->buf + w->len, s, n);
	w->len += n;
	w->buf[w->len] = '\0';
}

static void puts_(struct jw *w, const char *s)
{
	put(w, s, strlen(s));
}

char *jw_take(struct jw *w, size_t *len)
{
	if (w->buf == NULL)
		put(w, "", 0);
	char *buf = w->buf;
	if (len)
		*len = w->len;
	jw_init(w, w->pretty);
	return buf;
}

bool jw_write(struct jw *w, FILE *out)
{
	return w->len == 0 || fwrite(w->buf, 1, w->len, out) == w->len;
}

static void newline(struct jw *w)
{
	if (!w->pretty)
		return;
	put(w, "\n", 1);
	for (int i = 0; i < w->depth; i++)
		put(w, "  ", 2);
}

// Separator before a value: a comma between members, a newline in pretty mode.
static void before_value(struct jw *w)
{
	if (w->after_key) {
		w->after_key = false;
		return;
	}
	if (w->depth > 0) {
		if (!w->first)
			put(w, ",", 1);
		newline(w);
	}
	w->first = false;
}

static void container_begin(struct jw *w, char c)
{
	before_value(w);
	put(w, &c, 1);
	w->depth++;
	w->first = true;
}

static void container_end(struct jw *w, char c)
{
	w->depth--;
	if (!w->first)
		newline(w);
	put(w, &c, 1);
	w->first = false;
}

void jw_object_begin(struct jw *w) { container_begin(w, '{'); }
void jw_object_end(struct jw *w) { container_end(w, '}'); }
void jw_array_begin(struct jw *w) { container_begin(w, '['); }
void jw_array_end(struct jw *w) { container_end(w, ']'); }

static void quoted(struct jw *w, const char *s, size_t len)
{
	static const char hex[] = "0123456789abcdef";
	put(w, "\"", 1);
	size_t start = 0;
	for (size_t i = 0; i < len; i++) {
		unsigned char c = (unsigned char)s[i];
		if (c >= 0x20 && c != '"' && c != '\\')
			continue;
		put(w, s + start, i - start);
		start = i + 1;
		switch (c) {
		case '"': puts_(w, "\\\""); break;
		case '\\': puts_(w, "\\\\"); break;
		case '\n': puts_(w, "\\n"); break;
		case '\r': puts_(w, "\\r"); break;
		case '\t': puts_(w, "\\t"); break;
		case '\b': puts_(w, "\\b"); break;
		case '\f': puts_(w, "\\f"); break;
		default: {
			char esc[7] = {'\\', 'u', '0', '0', hex[c >> 4], hex[c & 15], 0};
			puts_(w, esc);
		}
		}
	}
	put(w, s + start, len - start);
	put(w, "\"", 1);
}

void jw_key(struct jw *w, const char *key)
{
	before_value(w);
	quoted(w, key, strlen(key));
	puts_(w, w->pretty ? ": " : ":");
	w->after_key = true;
}

void jw_string_n(struct jw *w, const char *s, size_t len)
{
	before_value(w);
	quoted(w, s, len);
}

void jw_string(struct jw *w, const char *s)
{
	jw_string_n(w, s, strlen(s));
}

void format_double(double v, char buf[static 32])
{
	if (v == 0) {
		strcpy(buf, signbit(v) ? "-0.0" : "0.0");
		return;
	}
	// Shortest %.*e that reads back to the same value.
	char tmp[40];
	int prec;
	for (prec = 0; prec < 17; prec++) {
		snprintf(tmp, sizeof(tmp), "%.*e", prec, v);
		if (strtod(tmp, NULL) == v)
			break;
	}
	if (prec == 17)
		snprintf(tmp, sizeof(tmp), "%.16e", v);
	// Split "-d.ddde±XX" into sign, digits and decimal exponent.
	const char *p = tmp;
	bool neg = *p == '-';
	if (neg)
		p++;
	char dig[20] = {0};
	int nd = 0;
	for (; *p != 'e'; p++)
		if (*p != '.')
			dig[nd++] = *p;
	int exp = atoi(p + 1); // value = 0.d1d2... * 10^(exp+1)
	char *o = buf;
	if (neg)
		*o++ = '-';
	if (exp >= -5 && exp < 16) {
		if (exp < 0) {
			*o++ = '0';
			*o++ = '.';
			for (int i = -1; i > exp; i--)
				*o++ = '0';
			memcpy(o, dig, (size_t)nd);
			o += nd;
		} else {
			for (int i = 0; i <= exp; i++)
				*o++ = i < nd ? dig[i] : '0';
			*o++ = '.';
			if (nd > exp + 1) {
				memcpy(o, dig + exp + 1, (size_t)(nd - exp - 1));
				o += nd - exp - 1;
			} else {
				*o++ = '0';
			}
		}
		*o = '\0';
	} else {
		*o++ = dig[0];
		if (nd > 1) {
			*o++ = '.';
			memcpy(o, dig + 1, (size_t)(nd - 1));
			o += nd - 1;
		}
		snprintf(o, 8, "e%d", exp);
	}
}

void jw_double(struct jw *w, double v)
{
	if (!isfinite(v)) {
		jw_null(w);
		return;
	}
	char buf[32];
	format_double(v, buf);
	before_value(w);
	puts_(w, buf);
}

void jw_uint(struct jw *w, uint64_t v)
{
	char buf[24];
	snprintf(buf, sizeof(buf), "%" PRIu64, v);
	before_value(w);
	puts_(w, buf);
}

void jw_int(struct jw *w, int64_t v)
{
	char buf[24];
	snprintf(buf, sizeof(buf), "%" PRId64, v);
	before_value(w);
	puts_(w, buf);
}

void jw_bool(struct jw *w, bool v)
{
	before_value(w);
	puts_(w, v ? "true" : "false");
}

void jw_null(struct jw *w)
{
	before_value(w);
	puts_(w, "null");
}

void jw_time(struct jw *w, int64_t ns)
{
	char buf[BOPT_TS_MAX];
	size_t n = ts_format(ns, buf);
	jw_string_n(w, buf, n);
}
