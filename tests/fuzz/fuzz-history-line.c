// libFuzzer harness: one decision history line (history_parse_line). A
// decision it accepts must format as one line that parses back.
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "base/util.h"
#include "decide/history.h"
#include "fuzz.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct bopt_decision d, again;
	char err[BOPT_ERR_MAX];
	enum history_line r = history_parse_line((const char *)data, size, &d, err);
	if (r == HISTORY_LINE_DECISION) {
		size_t len;
		char *line = history_format(&d, &len);
		if (len == 0 || line[len - 1] != '\n' || memchr(line, '\n', len - 1) != NULL)
			fuzz_fail("a decision does not format as one line");
		if (history_parse_line(line, len - 1, &again, err) != HISTORY_LINE_DECISION)
			fuzz_fail("a formatted decision does not parse back");
		if (again.selected_backend != d.selected_backend || again.timestamp != d.timestamp)
			fuzz_fail("a formatted decision parses back differently");
		history_decision_release(&again);
		free(line);
	}
	history_decision_release(&d);
	return 0;
}
