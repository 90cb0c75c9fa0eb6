#ifndef BOPT_INPUT_H
#define BOPT_INPUT_H

/*
 * Input files: a path, or "-" for standard input, read as a byte stream;
 * gzip data (recognised by its magic bytes, several members allowed) is
 * inflated on the way: by isa-l's igzip where bopt was built with it (2.4
 * times zlib's speed), else by zlib; BGZF data (bgzip's) by several
 * threads, a member each. The input owns its descriptor, buffers
 * and inflater; input_close releases them and accepts a half-opened input.
 */

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

struct bopt_input {
	const char *name; // as given, or "<stdin>"
	int fd;
	bool is_stdin;
	bool regular;     // a regular file (it can be read again or in parallel)
	bool gzip;
	off_t size;       // of the file, when regular
	struct inflater *inflater; // gzip only
	struct bgzf *bgzf;         // BGZF members inflated in parallel, else NULL
	bool member_done;
	unsigned char *raw; // bytes read from fd: compressed, or the peeked start
	size_t raw_len, raw_pos;
	bool raw_eof;
	off_t raw_consumed; // bytes of the file read so far (for progress)
};

// The name of a path in messages: "<stdin>" for "-".
const char *input_display_name(const char *path);

bool input_open(struct bopt_input *in, const char *path, char *err);
// Reads up to n bytes of content; returns the count, 0 at the end, -1 on
// failure with a message in err.
ssize_t input_read(struct bopt_input *in, char *buf, size_t n, char *err);
void input_close(struct bopt_input *in);

// Reads the whole input into memory (for small JSON documents); fails on
// files larger than max. The caller frees *data.
bool input_slurp(const char *path, size_t max, char **data, size_t *len, char *err);

// Lines of an input, one at a time, in memory bounded by the longest line:
// the one NDJSON line reader. Owns its input and buffer (unless borrowed); input_lines_close accepts a half-opened reader.
struct input_lines {
	struct bopt_input in;
	char *buf;
	size_t cap, max_line;
	size_t start, have; // unread bytes are buf[start, have)
	size_t scanned;     // bytes from start already searched for a newline
	bool eof;
	uint64_t line;      // number of the line last returned (1-based)
	bool unterminated;  // that line ended the input without a newline
	bool borrowed;      // buf is the caller's text (input_lines_open_memory)
};

bool input_lines_open(struct input_lines *r, const char *path, size_t max_line, char *err);
// The lines of text already in memory, named name in messages; the text
// must outlive the reader.
void input_lines_open_memory(struct input_lines *r, const char *name, const char *text,
	size_t len);
// Returns 1 with the next line (newline and a trailing CR cut off; valid
// until the next call), 0 at the end, -1 on failure with "FILE:LINE: line
// longer than N bytes" or a read error in err.
int input_lines_next(struct input_lines *r, const char **line, size_t *len, char *err);
void input_lines_close(struct input_lines *r);

#endif
