// libFuzzer harness: a metrics file of snapshot lines (metrics_load, which
// also tries the whole file as an OpenMessaging Benchmark result). Every
// estimate it folds must stay finite.
#include <stdint.h>

#include "base/util.h"
#include "decide/metrics.h"
#include "fuzz.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct fuzzfile f;
	struct metrics_set m;
	char err[BOPT_ERR_MAX];
	fuzzfile_open(&f, data, size);
	metrics_init(&m, METRICS_DEFAULT_ALPHA);
	if (metrics_load(&m, f.path, NULL, 0, err) && metrics_finish(&m, 361, false, 0, err)) {
		fuzz_check_no_nul(data, size, "a metrics file with a NUL byte was accepted");
		for (size_t i = 0; i < m.n; i++)
			fuzz_check_performance(&m.c[i].perf);
	}
	metrics_release(&m);
	fuzzfile_close(&f);
	return 0;
}
