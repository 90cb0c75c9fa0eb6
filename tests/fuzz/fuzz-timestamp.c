// libFuzzer harness: RFC 3339 timestamps (ts_parse). Whatever parses must
// format and parse back to the same instant.
#include <stdint.h>

#include "base/timestamp.h"
#include "fuzz.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	int64_t ns, again;
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
