// libFuzzer harness: one trace line (trace_parse_line). The input is not
// NUL-terminated, so any read past its end is a finding. Then the input as
// a block of lines, as bopt reads a trace: each line parsed with the
// pre-pass shared by the block (trace_parse_block_line) must get the same
// answer as on its own.
#include <stdint.h>
#include <string.h>

#include "base/util.h"
#include "fuzz.h"
#include "trace/trace.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void block_agrees(const char *text, size_t size)
{
	struct line_window w = {0};
	const char *p = text, *end = text + size;
	while (p < end) {
		const char *nl = memchr(p, '\n', (size_t)(end - p));
		const char *eol = nl ? nl : end;
		size_t len = (size_t)(eol - p);
		if (len > 0 && p[len - 1] == '\r')
			len--;
		struct trace_event a, b;
		char ea[BOPT_ERR_MAX] = "", eb[BOPT_ERR_MAX] = "";
		enum trace_line ra = trace_parse_line(p, len, &a, ea);
		if (trace_parse_block_line(&w, p, len, end, &b, eb) != ra)
			fuzz_fail("a line parsed in its block got another answer");
		if (ra == TRACE_LINE_EVENT && (a.t != b.t || a.variant != b.variant))
			fuzz_fail("a line parsed in its block got another event");
		if (ra == TRACE_LINE_INVALID && strcmp(ea, eb) != 0)
			fuzz_fail("a line parsed in its block got another reason");
		p = nl ? nl + 1 : end;
	}
}

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
	block_agrees(line, size);
	return 0;
}
