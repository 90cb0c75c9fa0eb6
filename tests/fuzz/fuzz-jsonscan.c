// libFuzzer harness: the JSON scanner with its SIMD pre-pass against the
// scanner without it. Every kind of masks (AVX2 where the processor has
// it, SSE2, the portable loop) must give the outcome of the plain scan:
// success, reason, offset and where the scan stopped; and the masks must
// agree byte for byte. The input is not NUL-terminated.
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "base/jsonscan.h"
#include "fuzz.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

struct outcome {
	bool ok;
	const char *error;
	size_t error_offset, end;
};

static struct outcome scan(const char *text, size_t size, const uint64_t *words)
{
	struct js s;
	js_init(&s, text, size);
	if (words != NULL) {
		s.special = words;
		s.special_words = JS_INDEX_WORDS(size);
	}
	struct outcome o;
	// A whole text: one value, then nothing.
	o.ok = js_skip_value(&s) && js_at_end(&s);
	o.error = s.error;
	o.error_offset = s.error_offset;
	o.end = (size_t)(s.p - s.start);
	return o;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const char *const kinds[] = {"scalar", "sse2", "avx2"};
	if (size > 1 << 16)
		return 0;
	const char *text = (const char *)data;
	size_t nwords = JS_INDEX_WORDS(size);
	uint64_t *words[3];
	struct outcome plain = scan(text, size, NULL);
	for (int k = 0; k < 3; k++) {
		words[k] = malloc((nwords ? nwords : 1) * sizeof(uint64_t));
		if (words[k] == NULL)
			abort();
		js_index_with(kinds[k], text, size, words[k]);
		if (k > 0 && memcmp(words[k], words[0], nwords * sizeof(uint64_t)) != 0)
			fuzz_fail("the pre-pass masks differ between kinds");
		struct outcome o = scan(text, size, words[k]);
		if (o.ok != plain.ok || o.error != plain.error ||
				o.error_offset != plain.error_offset || o.end != plain.end)
			fuzz_fail("the scan with the pre-pass differs from the scan without");
	}
	for (int k = 0; k < 3; k++)
		free(words[k]);
	return 0;
}
