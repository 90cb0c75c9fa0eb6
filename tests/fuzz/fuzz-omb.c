// libFuzzer harness: an OpenMessaging Benchmark result document, read as
// metrics_load reads one (serde_parse, metrics_is_omb,
// metrics_parse_omb). A parsed result must be finite and fold into a
// finite estimate.
#include <cjson/cJSON.h>
#include <math.h>
#include <stdint.h>

#include "base/serde.h"
#include "base/util.h"
#include "decide/metrics.h"
#include "fuzz.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct serde_parse_error e;
	cJSON *doc = serde_parse((const char *)data, size, &e);
	if (doc == NULL || !metrics_is_omb(doc))
		goto out;
	struct metrics_snapshot s;
	char err[BOPT_ERR_MAX];
	if (!metrics_parse_omb(doc, &s, err))
		goto out;
	fuzz_check_no_nul(data, size, "an OMB result with a NUL byte was accepted");
	if (!isfinite(s.p50) || !isfinite(s.p95) || !isfinite(s.p99) ||
			!isfinite(s.throughput) || !(s.reliability >= 0 && s.reliability <= 1))
		fuzz_fail("an OMB result parsed to a non-finite figure");
	struct metrics_set m;
	metrics_init(&m, METRICS_DEFAULT_ALPHA);
	metrics_fold(&m, &s, 0);
	metrics_fold(&m, &s, 0);
	fuzz_check_performance(&m.perf[s.backend]);
out:
	cJSON_Delete(doc);
	return 0;
}
