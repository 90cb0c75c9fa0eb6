#include "cli/output.h"

#include <assert.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "base/fileio.h"
#include "base/jsonw.h"
#include "base/util.h"
#include "cli/commands.h"

const struct opt output_opts[] = {
	{'o', "output", "FILE", "write the output to FILE (replaced atomically; gzip when\n"
		"FILE ends in .gz) instead of standard output", NULL},
	{'q', "quiet", NULL, "print nothing on standard output (errors and the exit\n"
		"status only)", NULL},
	OPT_END,
};

const struct opt table_format_opt[] = {
	{'f', "format", "FMT", "table (default), json, ndjson, csv or markdown",
		"table json ndjson csv markdown"},
	OPT_END,
};

const struct opt analysis_format_opt[] = {
	{'f', "format", "FMT", "table (default), json or summary (a document for bopt merge)",
		"table json summary"},
	OPT_END,
};

// In enum output_format order.
static const char *const format_names[] = {"table", "json", "ndjson", "csv", "markdown",
	"summary"};

bool output_parse_format(const struct opt *f, const char *arg, enum output_format *out)
{
	size_t len = strlen(arg);
	for (const char *v = f->values; len > 0 && *v != '\0'; v += strcspn(v, " "), v += *v == ' ')
		if (strncmp(v, arg, len) == 0 && (v[len] == ' ' || v[len] == '\0'))
			for (size_t i = 0; i < sizeof(format_names) / sizeof(*format_names); i++)
				if (strcmp(format_names[i], arg) == 0) {
					*out = (enum output_format)i;
					return true;
				}
	// "table, json or csv"
	char want[128] = "";
	size_t n = 0;
	for (const char *v = f->values; *v != '\0';) {
		size_t w = strcspn(v, " ");
		bool last = v[w] == '\0';
		n += (size_t)snprintf(want + n, sizeof(want) - n, "%s%.*s",
			n == 0 ? "" : last ? " or " : ", ", (int)w, v);
		v += w + !last;
	}
	bopt_warn("invalid --format '%s' (expected %s)", arg, want);
	return false;
}

int format_option(void *ctx, int opt, const char *arg)
{
	struct format_choice *f = ctx;
	if (opt != 'f')
		return 0;
	if (!output_parse_format(f->opt, arg, &f->format))
		return -1;
	f->arg = arg;
	return 1;
}

int output_option(void *ctx, int opt, const char *arg)
{
	struct output *o = ctx;
	switch (opt) {
	case 'o':
		o->path = arg;
		return 1;
	case 'q':
		o->quiet = true;
		return 1;
	default:
		return 0;
	}
}

FILE *output_stream(struct output *o)
{
	if (o->path == NULL && !o->quiet)
		return stdout;
	o->mem = open_memstream(&o->buf, &o->len);
	if (o->mem == NULL)
		abort(); // out of memory, as x* helpers do
	return o->mem;
}

int output_finish(struct output *o, int status)
{
	if (o->mem == NULL)
		return status;
	fclose(o->mem);
	o->mem = NULL;
	if (o->path != NULL && (status == BOPT_EXIT_OK || status == BOPT_EXIT_POLICY)) {
		char err[BOPT_ERR_MAX];
		size_t n = strlen(o->path);
		bool gz = n >= 3 && strcmp(o->path + n - 3, ".gz") == 0;
		char *z = NULL;
		size_t zlen;
		if ((gz && !gzip_member(o->buf, o->len, &z, &zlen, err)) ||
				!file_replace_atomic(o->path, gz ? z : o->buf, gz ? zlen : o->len, err)) {
			bopt_warn("%s", err);
			status = BOPT_EXIT_FAILURE;
		}
		free(z);
	}
	free(o->buf);
	o->buf = NULL;
	return status;
}

void output_json(FILE *out, struct jw *w)
{
	jw_write(w, out);
	fputc('\n', out);
	jw_release(w);
}

void output_json_begin(struct jw *w, const char *name)
{
	jw_object_begin(w);
	jw_key(w, "schema");
	jw_string(w, name);
}

void table_init(struct table *t, const struct table_column *cols, size_t ncols)
{
	*t = (struct table){.cols = cols, .ncols = ncols};
}

void table_release(struct table *t)
{
	for (size_t i = 0; i < t->ncells; i++)
		if (!t->cols[i % t->ncols].number)
			free(t->cells[i].text);
	free(t->cells);
	t->cells = NULL;
	t->ncells = t->cap = 0;
}

static union table_cell *next_cell(struct table *t)
{
	if (t->ncells == t->cap) {
		t->cap = t->cap ? 2 * t->cap : 16;
		t->cells = xrealloc(t->cells, t->cap * sizeof(*t->cells));
	}
	return &t->cells[t->ncells++];
}

void table_text(struct table *t, const char *s)
{
	assert(!t->cols[t->ncells % t->ncols].number);
	next_cell(t)->text = xstrdup(s);
}

void table_number(struct table *t, double v)
{
	assert(t->cols[t->ncells % t->ncols].number);
	next_cell(t)->number = v;
}

// RFC 4180: a field with a comma, a quote or a line break is quoted, its
// quotes doubled.
static void csv_field(FILE *out, const char *s)
{
	if (strpbrk(s, ",\"\r\n") == NULL) {
		fputs(s, out);
		return;
	}
	fputc('"', out);
	for (; *s != '\0'; s++) {
		if (*s == '"')
			fputc('"', out);
		fputc(*s, out);
	}
	fputc('"', out);
}

// A Markdown table cell: '|' escaped, line breaks as spaces.
static void markdown_field(FILE *out, const char *s)
{
	for (; *s != '\0'; s++) {
		if (*s == '|')
			fputs("\\|", out);
		else
			fputc(*s == '\n' || *s == '\r' ? ' ' : *s, out);
	}
}

static void write_csv(FILE *out, const struct table *t)
{
	for (size_t c = 0; c < t->ncols; c++) {
		fputs(c ? "," : "", out);
		csv_field(out, t->cols[c].name);
	}
	fputs("\r\n", out);
	for (size_t i = 0; i < t->ncells; i++) {
		const struct table_column *col = &t->cols[i % t->ncols];
		fputs(i % t->ncols ? "," : "", out);
		if (!col->number) {
			csv_field(out, t->cells[i].text);
		} else if (isfinite(t->cells[i].number)) {
			char buf[32];
			if (col->integer)
				snprintf(buf, sizeof(buf), "%.0f", t->cells[i].number);
			else
				format_double(t->cells[i].number, buf);
			fputs(buf, out);
		}
		if (i % t->ncols == t->ncols - 1)
			fputs("\r\n", out);
	}
}

static void write_ndjson(FILE *out, const struct table *t)
{
	struct jw w;
	jw_init(&w, false);
	for (size_t i = 0; i < t->ncells; i++) {
		const struct table_column *col = &t->cols[i % t->ncols];
		if (i % t->ncols == 0)
			jw_object_begin(&w);
		jw_key(&w, col->name);
		if (col->integer)
			jw_uint(&w, (uint64_t)t->cells[i].number);
		else if (col->number)
			jw_double(&w, t->cells[i].number);
		else
			jw_string(&w, t->cells[i].text);
		if (i % t->ncols == t->ncols - 1) {
			jw_object_end(&w);
			jw_write(&w, out);
			fputc('\n', out);
			jw_release(&w);
		}
	}
	jw_release(&w);
}

static void write_markdown(FILE *out, const struct table *t)
{
	for (size_t c = 0; c < t->ncols; c++) {
		fputs("| ", out);
		markdown_field(out, t->cols[c].name);
		fputc(' ', out);
	}
	fputs("|\n", out);
	for (size_t c = 0; c < t->ncols; c++)
		fputs(t->cols[c].number ? "| ---: " : "| --- ", out);
	fputs("|\n", out);
	for (size_t i = 0; i < t->ncells; i++) {
		const struct table_column *col = &t->cols[i % t->ncols];
		fputs("| ", out);
		if (!col->number)
			markdown_field(out, t->cells[i].text);
		else if (isfinite(t->cells[i].number))
			fprintf(out, col->format, t->cells[i].number);
		fputc(' ', out);
		if (i % t->ncols == t->ncols - 1)
			fputs("|\n", out);
	}
}

void table_write(FILE *out, const struct table *t, enum output_format f)
{
	switch (f) {
	case FORMAT_CSV:
		write_csv(out, t);
		break;
	case FORMAT_NDJSON:
		write_ndjson(out, t);
		break;
	case FORMAT_MARKDOWN:
		write_markdown(out, t);
		break;
	default:
		abort(); // the command writes table and json itself
	}
}
