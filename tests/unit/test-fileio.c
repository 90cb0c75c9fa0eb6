// The append and replace rules of base/fileio.c: what a killed appender
// leaves is mended, a file bopt did not write is refused.
#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "base/fileio.h"
#include "base/util.h"
#include "tempfile.h"

static void append_and_expect(const char *before, size_t before_len, const char *after,
	size_t after_len)
{
	char *path = temp_file_with(before, before_len);
	char err[BOPT_ERR_MAX];
	cr_assert(file_append_locked(path, S("{\"n\":2}\n"), err), "%s", err);
	size_t len;
	char *got = slurp_file(path, &len);
	cr_assert_eq(len, after_len, "%zu bytes, wanted %zu", len, after_len);
	cr_assert_eq(memcmp(got, after, len), 0);
	free(got);
	unlink(path);
	free(path);
}

Test(fileio, append_cuts_off_a_killed_record)
{
	append_and_expect(S("{\"n\":1}\n{\"n\":1.2,\"x\":\"ab"), S("{\"n\":1}\n{\"n\":2}\n"));
	append_and_expect(S("{\"n\":1,\"x\":tr"), S("{\"n\":2}\n"));
}

Test(fileio, append_ends_a_whole_last_line)
{
	append_and_expect(S("{\"n\":1}\n{\"n\":1.5}"), S("{\"n\":1}\n{\"n\":1.5}\n{\"n\":2}\n"));
	append_and_expect(S(""), S("{\"n\":2}\n"));
	append_and_expect(S("{\"n\":1}\r\n"), S("{\"n\":1}\r\n{\"n\":2}\n"));
}

Test(fileio, append_refuses_a_file_it_did_not_write)
{
	static const char text[] = "{\"n\":1}\nthis is not json";
	char *path = temp_file_with(text, sizeof(text) - 1);
	char err[BOPT_ERR_MAX], want[BOPT_ERR_MAX];
	cr_assert_not(file_append_locked(path, S("{\"n\":2}\n"), err));
	snprintf(want, sizeof(want), "%s: ends in an unfinished line that is not JSON; "
		"not appending", path);
	cr_assert_str_eq(err, want);
	size_t len;
	char *got = slurp_file(path, &len);
	cr_assert_eq(len, sizeof(text) - 1);
	cr_assert_eq(memcmp(got, text, len), 0);
	free(got);
	unlink(path);
	free(path);
}
