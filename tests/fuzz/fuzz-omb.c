// libFuzzer harness: an OpenMessaging Benchmark result document
// (metrics_is_omb, metrics_parse_omb). A parsed result must be finite and
// fold into a finite estimate.
#include <cjson/cJSON.h>
#include <math.h>
#include <stdint.h>

#include "fuzz.h"
#include "metrics.h"
#include "util.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	cJSON *doc = cJSON_ParseWithLength((const char *)data, size);
	if (doc == NULL || !metrics_is_omb(doc))
		goto out;
	struct metrics_snapshot s;
	char err[BOPT_ERR_MAX];
	if (!metrics_parse_omb(doc, &s, err))
		goto out;
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
