// libFuzzer harness: RFC 3339 timestamps (ts_parse). Whatever parses must
// format and parse back to the same instant. ts_parse_memo, its memo
// running on from one input to the next, must answer as ts_parse_status.
#include <stdint.h>
#include <string.h>

#include "base/timestamp.h"
#include "fuzz.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static struct ts_memo memo;

static void memo_agrees(const char *s, size_t len)
{
	int64_t ns, memo_ns;
	enum ts_status st = ts_parse_status(s, len, &ns);
	if (ts_parse_memo(&memo, s, len, &memo_ns) != st)
		fuzz_fail("ts_parse_memo and ts_parse_status disagree");
	if (st == TS_OK && memo_ns != ns)
		fuzz_fail("ts_parse_memo gives another instant");
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	int64_t ns, again;
	// The input whole, then its lines one after another (a run of
	// timestamps that may share their minute).
	const char *p = (const char *)data, *end = p + size;
	memo_agrees(p, size);
	while (p < end) {
		const char *nl = memchr(p, '\n', (size_t)(end - p));
		const char *eol = nl ? nl : end;
		memo_agrees(p, (size_t)(eol - p));
		p = nl ? nl + 1 : end;
	}
	if (!ts_parse((const char *)data, size, &ns))
		return 0;
	char buf[BOPT_TS_MAX];
	size_t n = ts_format(ns, buf);
	if (n == 0 || n >= BOPT_TS_MAX)
		fuzz_fail("ts_format length out of range");
	if (!ts_parse(buf, n, &again))
		fuzz_fail("formatted timestamp does not parse");
	if (again != ns)
		fuzz_fail("timestamp does not round-trip");
	return 0;
}
