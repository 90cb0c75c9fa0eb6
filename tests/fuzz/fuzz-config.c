// libFuzzer harness: a configuration file (config_load, which validates
// with serde_parse and finds each key's line with the JSON scanner). A
// configuration it accepts must write out (bopt config -f json's "config")
// and read back to the same document.
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "base/jsonw.h"
#include "base/util.h"
#include "cli/config.h"
#include "fuzz.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static char *config_text(const struct bopt_config *c, size_t *len)
{
	struct jw w;
	jw_init(&w, true);
	config_write_json(&w, c);
	return jw_take(&w, len);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct fuzzfile f;
	struct bopt_config c, again;
	char err[BOPT_ERR_MAX];
	config_init(&c);
	config_init(&again);
	fuzzfile_open(&f, data, size);
	bool ok = config_load(&c, f.path, err);
	fuzzfile_close(&f);
	if (ok) {
		fuzz_check_no_nul(data, size, "a configuration with a NUL byte was accepted");
		size_t len, len2;
		char *text = config_text(&c, &len);
		fuzzfile_open(&f, (const uint8_t *)text, len);
		if (!config_load(&again, f.path, err))
			fuzz_fail("an accepted configuration does not read back");
		fuzzfile_close(&f);
		char *text2 = config_text(&again, &len2);
		if (len != len2 || memcmp(text, text2, len) != 0)
			fuzz_fail("a configuration reads back different");
		free(text);
		free(text2);
	}
	config_release(&c);
	config_release(&again);
	return 0;
}
