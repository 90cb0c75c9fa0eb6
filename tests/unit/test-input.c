// The one NDJSON line reader and the whole-file reader of base/input.c:
// line ends, the longest line allowed (exactly at the limit and one byte
// past it), buffers that grow, gzip members and the size limit of a slurp.
#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <zlib.h>

#include "base/input.h"
#include "base/util.h"
#include "tempfile.h"

// Reads every line of path (limit max) into one string, each line followed
// by '|'; returns the reader's last status (0 at the end, -1 on failure).
static int read_all(const char *path, size_t max, char *out, size_t out_size, char *err)
{
	struct input_lines r;
	cr_assert(input_lines_open(&r, path, max, err), "%s", err);
	const char *line;
	size_t len, n = 0;
	int st;
	while ((st = input_lines_next(&r, &line, &len, err)) == 1) {
		cr_assert_lt(n + len + 1, out_size);
		memcpy(out + n, line, len);
		n += len;
		out[n++] = '|';
	}
	out[n] = '\0';
	input_lines_close(&r);
	return st;
}

Test(input, line_ends)
{
	char out[256], err[BOPT_ERR_MAX];
	char *path = temp_file_with(S("a\r\n\nbc\r\r\nlast"));
	cr_assert_eq(read_all(path, 100, out, sizeof(out), err), 0);
	// One CR is cut off, a second stays; a last line needs no newline.
	cr_assert_str_eq(out, "a||bc\r|last|");
	unlink(path);
	free(path);

	struct input_lines r;
	const char *line;
	size_t len;
	input_lines_open_memory(&r, "mem", S("x\ny"));
	cr_assert_eq(input_lines_next(&r, &line, &len, err), 1);
	cr_assert_not(r.unterminated);
	cr_assert_eq(input_lines_next(&r, &line, &len, err), 1);
	cr_assert_eq(len, 1);
	cr_assert_eq(line[0], 'y');
	cr_assert(r.unterminated);
	cr_assert_eq(r.line, 2);
	cr_assert_eq(input_lines_next(&r, &line, &len, err), 0);
	input_lines_close(&r);
}

// A line of exactly the limit is read; one byte more is refused, naming
// the line, in bytes or in MiB when the limit is whole MiB.
Test(input, longest_line)
{
	const size_t limits[] = {8, 100000, 1u << 20};
	for (size_t k = 0; k < 3; k++) {
		size_t max = limits[k];
		char *text = xmalloc(2 * max + 8);
		for (size_t extra = 0; extra <= 1; extra++) {
			// "ab\n", then a line of max + extra bytes, then "cd\n".
			size_t n = 0;
			memcpy(text, "ab\n", 3);
			n = 3;
			memset(text + n, 'x', max + extra);
			n += max + extra;
			memcpy(text + n, "\ncd\n", 4);
			n += 4;
			char *path = temp_file_with(text, n);
			char err[BOPT_ERR_MAX] = "", want[BOPT_ERR_MAX];
			struct input_lines r;
			const char *line;
			size_t len;
			cr_assert(input_lines_open(&r, path, max, err));
			cr_assert_eq(input_lines_next(&r, &line, &len, err), 1);
			cr_assert_eq(len, 2);
			int st = input_lines_next(&r, &line, &len, err);
			if (extra == 0) {
				cr_assert_eq(st, 1, "limit %zu: %s", max, err);
				cr_assert_eq(len, max);
				cr_assert_eq(line[0], 'x');
				cr_assert_eq(line[max - 1], 'x');
				cr_assert_eq(input_lines_next(&r, &line, &len, err), 1);
				cr_assert_eq(len, 2);
				cr_assert_eq(memcmp(line, "cd", 2), 0);
				cr_assert_eq(r.line, 3);
				cr_assert_eq(input_lines_next(&r, &line, &len, err), 0);
			} else {
				cr_assert_eq(st, -1, "limit %zu", max);
				if (max % (1u << 20) == 0)
					snprintf(want, sizeof(want), "%s:2: line longer than %zu MiB",
						path, max >> 20);
				else
					snprintf(want, sizeof(want), "%s:2: line longer than %zu bytes",
						path, max);
				cr_assert_str_eq(err, want);
			}
			input_lines_close(&r);
			unlink(path);
			free(path);
		}
		free(text);
	}
}

// Many lines across the initial 64 KiB buffer: every one comes back whole.
Test(input, lines_across_refills)
{
	enum { LINES = 5000 };
	char *text = xmalloc(LINES * 40), out_line[40];
	size_t n = 0;
	for (int i = 0; i < LINES; i++)
		n += (size_t)sprintf(text + n, "%d:%.*s\n", i, i % 29, "abcdefghijklmnopqrstuvwxyz0123");
	char *path = temp_file_with(text, n);
	char err[BOPT_ERR_MAX];
	struct input_lines r;
	const char *line;
	size_t len;
	cr_assert(input_lines_open(&r, path, 1u << 20, err));
	for (int i = 0; i < LINES; i++) {
		cr_assert_eq(input_lines_next(&r, &line, &len, err), 1, "line %d", i + 1);
		int k = sprintf(out_line, "%d:%.*s", i, i % 29, "abcdefghijklmnopqrstuvwxyz0123");
		cr_assert_eq(len, (size_t)k, "line %d", i + 1);
		cr_assert_eq(memcmp(line, out_line, len), 0, "line %d", i + 1);
	}
	cr_assert_eq(input_lines_next(&r, &line, &len, err), 0);
	input_lines_close(&r);
	unlink(path);
	free(path);
	free(text);
}

// Two gzip members read as one text; the name for "-" is "<stdin>".
Test(input, gzip_members_and_names)
{
	char tmpl[] = "/tmp/bopt-input-XXXXXX";
	int fd = mkstemp(tmpl);
	for (int m = 0; m < 2; m++) {
		gzFile z = gzdopen(dup(fd), "wb");
		gzputs(z, m == 0 ? "one\ntw" : "o\nthree\n");
		gzclose(z);
	}
	close(fd);
	char out[64], err[BOPT_ERR_MAX];
	cr_assert_eq(read_all(tmpl, 100, out, sizeof(out), err), 0, "%s", err);
	cr_assert_str_eq(out, "one|two|three|");
	char *data;
	size_t len;
	cr_assert(input_slurp(tmpl, 100, &data, &len, err), "%s", err);
	cr_assert_eq(len, 14);
	cr_assert_str_eq(data, "one\ntwo\nthree\n");
	free(data);
	unlink(tmpl);
	cr_assert_str_eq(input_display_name("-"), "<stdin>");
	cr_assert_str_eq(input_display_name("a.json"), "a.json");
}

// A whole file of exactly the limit is read; one byte more is refused.
Test(input, slurp_limit)
{
	size_t max = 1u << 20;
	char *text = xmalloc(max + 1);
	memset(text, 'z', max + 1);
	for (size_t extra = 0; extra <= 1; extra++) {
		char *path = temp_file_with(text, max + extra);
		char *data = NULL, err[BOPT_ERR_MAX] = "", want[BOPT_ERR_MAX];
		size_t len = 0;
		bool ok = input_slurp(path, max, &data, &len, err);
		if (extra == 0) {
			cr_assert(ok, "%s", err);
			cr_assert_eq(len, max);
			cr_assert_eq(data[max], '\0');
			free(data);
		} else {
			cr_assert_not(ok);
			snprintf(want, sizeof(want), "%s: larger than 1 MiB", path);
			cr_assert_str_eq(err, want);
		}
		unlink(path);
		free(path);
	}
	free(text);
	char err[BOPT_ERR_MAX];
	char *data;
	size_t len;
	cr_assert_not(input_slurp("/nonexistent/bopt", max, &data, &len, err));
}

// Reads path as text, expecting a failure with exactly "PATH: why".
static void read_fails(const char *path, const char *why)
{
	char out[256], err[BOPT_ERR_MAX] = "", want[BOPT_ERR_MAX];
	struct input_lines r;
	const char *line;
	size_t len;
	int st = 1;
	if (input_lines_open(&r, path, 100, err)) {
		while ((st = input_lines_next(&r, &line, &len, err)) == 1)
			;
		input_lines_close(&r);
	} else {
		st = -1;
	}
	(void)out;
	cr_assert_eq(st, -1, "%s read", path);
	snprintf(want, sizeof(want), "%s: %s", path, why);
	cr_assert_str_eq(err, want);
}

// A gzip file: one member, then the given tail.
static char *gzip_with_tail(const char *tail, size_t tail_len)
{
	char tmpl[] = "/tmp/bopt-input-XXXXXX";
	int fd = mkstemp(tmpl);
	gzFile z = gzdopen(dup(fd), "wb");
	gzputs(z, "one\n");
	gzclose(z);
	cr_assert_eq(write(fd, tail, tail_len), (ssize_t)tail_len);
	close(fd);
	return xstrdup(tmpl);
}

// After a member, only another member may follow: text, or a first magic
// byte followed by a wrong second one, is refused; the two magic bytes
// alone are a member cut short.
Test(input, what_follows_a_gzip_member)
{
	const char *header = "invalid compressed data: incorrect header check";
	const char *cut = "unexpected end of compressed data (truncated gzip file)";
	struct {
		const char *tail;
		size_t len;
		const char *why;
	} cases[] = {
		{S("x"), header}, {S("xy"), header}, {S("\x1fx"), header}, {S("\x1fxyz"), header},
		{S("\x1f\x8b"), cut}, {S("\x1f"), cut},
	};
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		char *path = gzip_with_tail(cases[i].tail, cases[i].len);
		read_fails(path, cases[i].why);
		unlink(path);
		free(path);
	}
	// The magic bytes alone, and one of them: gzip cut short, and text.
	char *path = temp_file_with(S("\x1f\x8b"));
	read_fails(path, cut);
	unlink(path);
	free(path);
	char out[16], err[BOPT_ERR_MAX];
	path = temp_file_with(S("\x1f"));
	cr_assert_eq(read_all(path, 100, out, sizeof(out), err), 0);
	cr_assert_str_eq(out, "\x1f|");
	unlink(path);
	free(path);
}
