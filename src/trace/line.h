#ifndef BOPT_LINE_H
#define BOPT_LINE_H

/*
 * One line of a trace: an oxirs StreamEvent (optionally inside a StoredEvent
 * record) as NDJSON, scanned strictly for its variant and timestamp without
 * building a tree. The event points into the line; nothing is allocated.
 */

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct trace_event {
	int64_t t;          // ns since the epoch
	int variant;        // index into bopt_variant_names, or -1
	const char *name;   // the variant name as written (undecoded if escaped)
	size_t name_len;
};

enum trace_line {
	TRACE_LINE_EVENT,
	TRACE_LINE_BLANK,
	TRACE_LINE_INVALID,
};

// Parses one line (without its newline). For an invalid line err holds the
// reason, e.g. "invalid JSON at column 17: expected ':'".
enum trace_line trace_parse_line(const char *line, size_t len, struct trace_event *ev,
	char *err);

// The SIMD pre-pass over a window of a block of lines, shared by the lines
// in it (one pass, and no padding per line).
#define LINE_WINDOW_BYTES (64u << 10)
struct line_window {
	const char *base; // the window is [base, base + nwords * 64)
	size_t nwords;
	uint64_t words[LINE_WINDOW_BYTES / 64];
};

// trace_parse_line for a line of the text [.., text_end) (line + len at
// most text_end), indexing the window w (zeroed at first) from the line on
// when the line is not in it. The same answers.
enum trace_line trace_parse_block_line(struct line_window *w, const char *line, size_t len,
	const char *text_end, struct trace_event *ev, char *err);

#endif
