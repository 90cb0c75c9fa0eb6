// bopt-record HISTORY INDEX [PAD]: appends generated decision INDEX (see
// decisiongen.h) to HISTORY with history_record, as recommend --record does.
// For the concurrency test of the history; not installed.

#include <stdio.h>
#include <stdlib.h>

#include "base/util.h"
#include "decide/history.h"
#include "decisiongen.h"

int main(int argc, char *argv[])
{
	size_t index, pad = 0;
	if (argc < 3 || argc > 4 || !parse_size(argv[2], &index) ||
			(argc == 4 && !parse_size(argv[3], &pad))) {
		fputs("usage: bopt-record HISTORY INDEX [PAD]\n", stderr);
		return 2;
	}
	struct bopt_decision d;
	decisiongen(index, pad, &d);
	char err[BOPT_ERR_MAX];
	bool ok = history_record(argv[1], &d, err);
	if (!ok)
		bopt_warn("%s", err);
	history_decision_release(&d);
	return ok ? 0 : 1;
}
