#include "base/timestamp.h"

#include <stdio.h>
#include <string.h>

int64_t days_from_civil(int64_t y, unsigned m, unsigned d)
{
	// Howard Hinnant's algorithm: eras of 400 years starting in March.
	y -= m <= 2;
	int64_t era = (y >= 0 ? y : y - 399) / 400;
	unsigned yoe = (unsigned)(y - era * 400);
	unsigned doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
	unsigned doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
	return era * 146097 + (int64_t)doe - 719468;
}

void civil_from_days(int64_t z, int64_t *y, unsigned *m, unsigned *d)
{
	z += 719468;
	int64_t era = (z >= 0 ? z : z - 146096) / 146097;
	unsigned doe = (unsigned)(z - era * 146097);
	unsigned yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
	unsigned doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
	unsigned mp = (5 * doy + 2) / 153;
	*d = doy - (153 * mp + 2) / 5 + 1;
	*m = mp < 10 ? mp + 3 : mp - 9;
	*y = (int64_t)yoe + era * 400 + (*m <= 2);
}

static bool is_leap(int64_t y)
{
	return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
}

static unsigned days_in_month(int64_t y, unsigned m)
{
	static const unsigned days[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
	return m == 2 && is_leap(y) ? 29 : days[m - 1];
}

// Reads exactly n decimal digits.
static bool digits(const char *s, size_t n, unsigned *out)
{
	unsigned v = 0;
	for (size_t i = 0; i < n; i++) {
		if (s[i] < '0' || s[i] > '9')
			return false;
		v = v * 10 + (unsigned)(s[i] - '0');
	}
	*out = v;
	return true;
}

// The minute "YYYY-MM-DD(T|t| )HH:MM" at s (TS_MEMO_PREFIX bytes, len
// at least 20 known) as seconds since the epoch; false if malformed.
static bool parse_minute(const char *s, int64_t *secs)
{
	unsigned year, mon, day, hour, min;
	if (!digits(s, 4, &year) || s[4] != '-' || !digits(s + 5, 2, &mon) ||
			s[7] != '-' || !digits(s + 8, 2, &day))
		return false;
	if (s[10] != 'T' && s[10] != 't' && s[10] != ' ')
		return false;
	if (!digits(s + 11, 2, &hour) || s[13] != ':' || !digits(s + 14, 2, &min))
		return false;
	if (mon < 1 || mon > 12 || day < 1 || day > days_in_month(year, mon) ||
			hour > 23 || min > 59)
		return false;
	*secs = days_from_civil(year, mon, day) * 86400 + hour * 3600 + min * 60;
	return true;
}

// The rest, from ":SS" on, given the minute's seconds.
static enum ts_status parse_rest(const char *s, size_t len, int64_t minute, int64_t *ns)
{
	unsigned sec;
	if (s[16] != ':' || !digits(s + 17, 2, &sec) || sec > 60)
		return TS_MALFORMED;

	size_t i = 19;
	int64_t frac = 0;
	if (s[i] == '.') {
		i++;
		size_t start = i;
		while (i < len && s[i] >= '0' && s[i] <= '9' && i - start < 10)
			frac = frac * 10 + (s[i++] - '0');
		size_t nd = i - start;
		if (nd == 0 || nd > 9)
			return TS_MALFORMED;
		for (; nd < 9; nd++)
			frac *= 10;
	}

	int64_t offset = 0; // seconds east of UTC
	if (i < len && (s[i] == 'Z' || s[i] == 'z')) {
		i++;
	} else if (i < len && (s[i] == '+' || s[i] == '-')) {
		unsigned oh, om;
		if (len - i < 6 || !digits(s + i + 1, 2, &oh) || s[i + 3] != ':' ||
				!digits(s + i + 4, 2, &om) || oh > 23 || om > 59)
			return TS_MALFORMED;
		offset = (int64_t)(oh * 3600 + om * 60);
		if (s[i] == '-')
			offset = -offset;
		i += 6;
	} else {
		return TS_MALFORMED;
	}
	if (i != len)
		return TS_MALFORMED;

	// A leap second (:60) is taken as the first instant of the next minute,
	// whatever its fraction: 23:59:60.5 is 00:00:00, not 00:00:00.5.
	if (sec == 60)
		frac = 0;
	int64_t secs = minute + sec - offset;
	const int64_t max_secs = INT64_MAX / BOPT_NS_PER_SEC;
	if (secs > max_secs || secs < -max_secs - 1)
		return TS_OUT_OF_RANGE;
	if (secs >= 0) {
		int64_t base = secs * BOPT_NS_PER_SEC;
		if (base > INT64_MAX - frac)
			return TS_OUT_OF_RANGE;
		*ns = base + frac;
	} else {
		// Count from the next whole second so that nothing overflows.
		int64_t base = (secs + 1) * BOPT_NS_PER_SEC;
		int64_t back = BOPT_NS_PER_SEC - frac;
		if (base < INT64_MIN + back)
			return TS_OUT_OF_RANGE;
		*ns = base - back;
	}
	return TS_OK;
}

enum ts_status ts_parse_memo(struct ts_memo *m, const char *s, size_t len, int64_t *ns)
{
	// "YYYY-MM-DDTHH:MM:SS" and a zone: 20 bytes at least.
	if (len < 20)
		return TS_MALFORMED;
	if (!m->valid || memcmp(s, m->prefix, TS_MEMO_PREFIX) != 0) {
		int64_t minute;
		if (!parse_minute(s, &minute))
			return TS_MALFORMED;
		memcpy(m->prefix, s, TS_MEMO_PREFIX);
		m->minute = minute;
		m->valid = true;
	}
	return parse_rest(s, len, m->minute, ns);
}

enum ts_status ts_parse_status(const char *s, size_t len, int64_t *ns)
{
	struct ts_memo none = {0};
	return ts_parse_memo(&none, s, len, ns);
}

bool ts_parse(const char *s, size_t len, int64_t *ns)
{
	return ts_parse_status(s, len, ns) == TS_OK;
}

size_t ts_format(int64_t ns, char buf[static BOPT_TS_MAX])
{
	int64_t secs = ns / BOPT_NS_PER_SEC;
	int64_t frac = ns % BOPT_NS_PER_SEC;
	if (frac < 0) {
		frac += BOPT_NS_PER_SEC;
		secs--;
	}
	int64_t days = secs / 86400;
	int64_t rem = secs % 86400;
	if (rem < 0) {
		rem += 86400;
		days--;
	}
	int64_t y;
	unsigned m, d;
	civil_from_days(days, &y, &m, &d);
	int n = snprintf(buf, BOPT_TS_MAX, "%04lld-%02u-%02uT%02u:%02u:%02u",
		(long long)y, m, d, (unsigned)(rem / 3600),
		(unsigned)(rem / 60 % 60), (unsigned)(rem % 60));
	if (frac == 0)
		n += snprintf(buf + n, BOPT_TS_MAX - (size_t)n, "Z");
	else if (frac % 1000000 == 0)
		n += snprintf(buf + n, BOPT_TS_MAX - (size_t)n, ".%03lldZ", (long long)(frac / 1000000));
	else if (frac % 1000 == 0)
		n += snprintf(buf + n, BOPT_TS_MAX - (size_t)n, ".%06lldZ", (long long)(frac / 1000));
	else
		n += snprintf(buf + n, BOPT_TS_MAX - (size_t)n, ".%09lldZ", (long long)frac);
	return (size_t)n;
}
