// libFuzzer harness: one trace line (trace_parse_line). The input is not
// NUL-terminated, so any read past its end is a finding.
#include <stdint.h>
#include <string.h>

#include "base/util.h"
#include "fuzz.h"
#include "trace/trace.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const char *line = (const char *)data;
	struct trace_event ev;
	char err[BOPT_ERR_MAX];
	err[0] = '\0';
	switch (trace_parse_line(line, size, &ev, err)) {
	case TRACE_LINE_EVENT:
		if (ev.variant < -1 || ev.variant >= (int)BOPT_VARIANT_COUNT)
			fuzz_fail("variant index out of range");
		if (ev.name != NULL && (ev.name < line || ev.name + ev.name_len > line + size))
			fuzz_fail("variant name outside the line");
		break;
	case TRACE_LINE_BLANK:
		for (size_t i = 0; i < size; i++)
			if (strchr(" \t\r\n", line[i]) == NULL || line[i] == '\0')
				fuzz_fail("a line with more than white space called blank");
		break;
	case TRACE_LINE_INVALID:
		if (memchr(err, '\0', sizeof(err)) == NULL || err[0] == '\0')
			fuzz_fail("invalid line without a reason");
		break;
	}
	return 0;
}
