// libFuzzer harness: a workload pattern file (workload_read_pattern, which
// parses with cJSON and reads the serde WorkloadPattern). A pattern it
// accepts must write out and read back.
#include <cjson/cJSON.h>
#include <stdint.h>
#include <stdlib.h>

#include "base/jsonw.h"
#include "base/serde.h"
#include "base/util.h"
#include "fuzz.h"
#include "trace/workload.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct fuzzfile f;
	struct bopt_pattern p, again;
	char err[BOPT_ERR_MAX];
	fuzzfile_open(&f, data, size);
	bool ok = workload_read_pattern(f.path, &p, err);
	fuzzfile_close(&f);
	if (ok) {
		fuzz_check_no_nul(data, size, "a pattern file with a NUL byte was accepted");
		struct jw w;
		jw_init(&w, false);
		serde_write_pattern(&w, &p);
		size_t len;
		char *text = jw_take(&w, &len);
		cJSON *doc = cJSON_ParseWithLength(text, len);
		pattern_init_default(&again);
		if (doc == NULL || !serde_read_pattern(doc, &again, err))
			fuzz_fail("an accepted pattern does not read back");
		pattern_release(&again);
		cJSON_Delete(doc);
		free(text);
		jw_release(&w);
	}
	pattern_release(&p);
	return 0;
}
