#ifndef BOPT_TIMESTAMP_H
#define BOPT_TIMESTAMP_H

/*
 * RFC 3339 timestamps as integer nanoseconds since 1970-01-01T00:00:00Z.
 * Pure functions; nothing here allocates or depends on TZ.
 */

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

// Longest text ts_format writes, with the terminating NUL.
#define BOPT_TS_MAX 40

#define BOPT_NS_PER_SEC INT64_C(1000000000)

// Parses "YYYY-MM-DD(T|t| )HH:MM:SS[.F{1,9}](Z|z|+HH:MM|-HH:MM)" of exactly
// len bytes. Fails on any other form and on instants outside the int64
// nanosecond range (1677-09-21 to 2262-04-11).
bool ts_parse(const char *s, size_t len, int64_t *ns);

// The same, telling a well-formed instant outside that range from a text of
// another form.
enum ts_status {
	TS_OK,
	TS_MALFORMED,
	TS_OUT_OF_RANGE,
};
enum ts_status ts_parse_status(const char *s, size_t len, int64_t *ns);
// ts_parse_status for a run of timestamps that mostly share their minute
// ("YYYY-MM-DDTHH:MM"): the minute last parsed is remembered in m (zeroed
// at first) and not parsed again. The same answers as ts_parse_status.
#define TS_MEMO_PREFIX 16
struct ts_memo {
	char prefix[TS_MEMO_PREFIX];
	int64_t minute; // its seconds since the epoch
	bool valid;
};
enum ts_status ts_parse_memo(struct ts_memo *m, const char *s, size_t len, int64_t *ns);
// For messages about TS_OUT_OF_RANGE.
#define BOPT_TS_RANGE "1677-09-21 to 2262-04-11"

// Writes the instant as UTC, "2026-07-19T08:54:15.123Z": the fraction has
// 0, 3, 6 or 9 digits, as few as represent it exactly (chrono's serde form).
size_t ts_format(int64_t ns, char buf[static BOPT_TS_MAX]);

// Days since 1970-01-01 of a proleptic Gregorian date, and back.
int64_t days_from_civil(int64_t y, unsigned m, unsigned d);
void civil_from_days(int64_t z, int64_t *y, unsigned *m, unsigned *d);

#endif
