// libFuzzer harness: a model file (model_load_existing: the JSON document,
// its history of data points, and the refit). A model it accepts must save
// and load back with the same number of points.
#include <stdint.h>
#include <stdlib.h>

#include "base/jsonw.h"
#include "base/util.h"
#include "decide/model.h"
#include "fuzz.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct fuzzfile f;
	struct bopt_model m, again;
	char err[BOPT_ERR_MAX];
	model_init(&m);
	model_init(&again);
	fuzzfile_open(&f, data, size);
	bool ok = model_load_existing(&m, f.path, err);
	fuzzfile_close(&f);
	if (ok) {
		fuzz_check_no_nul(data, size, "a model file with a NUL byte was accepted");
		struct jw w;
		jw_init(&w, true);
		model_write_json(&w, &m);
		size_t len;
		char *text = jw_take(&w, &len);
		fuzzfile_open(&f, (const uint8_t *)text, len);
		if (!model_load_existing(&again, f.path, err))
			fuzz_fail("a saved model does not load back");
		if (again.npoints != m.npoints)
			fuzz_fail("a saved model loads back with other points");
		fuzzfile_close(&f);
		free(text);
		jw_release(&w);
	}
	model_destroy(&again);
	model_destroy(&m);
	return 0;
}
