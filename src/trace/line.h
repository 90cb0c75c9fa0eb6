#ifndef BOPT_LINE_H
#define BOPT_LINE_H

/*
 * One line of a trace: an oxirs StreamEvent (optionally inside a StoredEvent
 * record) as NDJSON, scanned strictly for its variant and timestamp without
 * building a tree. The event points into the line; nothing is allocated.
 */

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

#endif
