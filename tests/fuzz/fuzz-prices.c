// libFuzzer harness: a --prices file (prices_parse). A file it rejects
// leaves the table unchanged; one it accepts gives prices from 0 to 1e9.
#include <stdint.h>
#include <string.h>

#include "base/util.h"
#include "decide/capacity.h"
#include "fuzz.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct price_table t, before;
	char err[BOPT_ERR_MAX];
	prices_builtin(&t);
	before = t;
	if (!prices_parse("fuzz.json", (const char *)data, size, &t, err)) {
		if (memcmp(&t, &before, sizeof(t)) != 0)
			fuzz_fail("a rejected prices file changed the table");
		return 0;
	}
	for (int i = 0; i < PRICE_COUNT; i++)
		if (!(t.dollars[i] >= 0 && t.dollars[i] <= 1e9))
			fuzz_fail("an accepted price is out of range");
	return 0;
}
