// libFuzzer harness: an OpenMessaging Benchmark result document, read as
// metrics_load reads one (serde_parse, omb_is_result, omb_parse). A parsed
// result must be finite, and its combination with itself too.
#include <cjson/cJSON.h>
#include <math.h>
#include <stdint.h>

#include "base/serde.h"
#include "base/util.h"
#include "decide/omb.h"
#include "fuzz.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static bool finite_latency(const struct omb_latency *l)
{
	return isfinite(l->p50) && isfinite(l->p95) && isfinite(l->p99) && isfinite(l->p999);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct serde_parse_error e;
	struct omb_run r = {0};
	cJSON *doc = serde_parse((const char *)data, size, &e);
	if (doc == NULL || !omb_is_result(doc))
		goto out;
	char err[BOPT_ERR_MAX];
	if (!omb_parse(doc, &r, err))
		goto out;
	fuzz_check_no_nul(data, size, "an OMB result with a NUL byte was accepted");
	if (!finite_latency(&r.publish) || !finite_latency(&r.e2e) ||
			!isfinite(r.publish_rate) || !isfinite(r.consume_rate) ||
			!isfinite(r.backlog_peak) || !(r.message_size >= 1) ||
			!(r.reliability >= 0 && r.reliability <= 1))
		fuzz_fail("an OMB result parsed to a non-finite figure");
	r.file = xstrdup("fuzz.json");
	const struct omb_run *set[2] = {&r, &r};
	struct omb_figures f;
	omb_combine(set, 2, 361, &f);
	if (!isfinite(f.capacity_events) || !finite_latency(&f.publish) ||
			!(f.reliability >= 0 && f.reliability <= 1) || f.capacity_from != &r)
		fuzz_fail("an OMB result combined to a non-finite figure");
out:
	omb_run_release(&r);
	cJSON_Delete(doc);
	return 0;
}
