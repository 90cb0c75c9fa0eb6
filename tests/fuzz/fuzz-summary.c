// libFuzzer harness: a summary document (summary_read_doc, the reader of
// bopt merge). A document it accepts must write out and read back to the
// same bytes: the writer is deterministic and the reader loses nothing.
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "base/jsonw.h"
#include "base/util.h"
#include "fuzz.h"
#include "trace/summary-io.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static char *write_doc(const struct bopt_summary *s, const struct summary_meta *m, size_t *len)
{
	struct jw w;
	jw_init(&w, false);
	summary_write_doc(&w, s, m);
	char *text = jw_take(&w, len);
	jw_release(&w);
	return text;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct fuzzfile f;
	struct bopt_summary s;
	struct summary_meta m;
	char err[BOPT_ERR_MAX];
	summary_init(&s);
	fuzzfile_open(&f, data, size);
	bool ok = summary_read_doc(f.path, &s, &m, err);
	fuzzfile_close(&f);
	if (ok) {
		size_t len, len2;
		char *text = write_doc(&s, &m, &len);
		struct fuzzfile g;
		struct bopt_summary again;
		struct summary_meta m2;
		summary_init(&again);
		fuzzfile_open(&g, (const uint8_t *)text, len);
		if (!summary_read_doc(g.path, &again, &m2, err))
			fuzz_fail("an accepted summary document does not read back");
		fuzzfile_close(&g);
		char *text2 = write_doc(&again, &m2, &len2);
		if (len != len2 || memcmp(text, text2, len) != 0)
			fuzz_fail("a summary document does not write back the same");
		free(text);
		free(text2);
		summary_destroy(&again);
	}
	summary_destroy(&s);
	return 0;
}
