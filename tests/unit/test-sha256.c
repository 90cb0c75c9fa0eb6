/*
 * SHA-256 against the examples of FIPS 180-4 (NIST's published digests),
 * fed whole and in pieces, and a file against the same digest.
 */
#include <criterion/criterion.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "base/sha256.h"
#include "base/util.h"

static void expect(const char *msg, const char *hex)
{
	char got[SHA256_HEX_LEN + 1];
	struct sha256 c;
	sha256_init(&c);
	sha256_update(&c, msg, strlen(msg));
	sha256_final_hex(&c, got);
	cr_assert_str_eq(got, hex, "sha256(\"%s\")", msg);
	// The same bytes one at a time.
	sha256_init(&c);
	for (const char *p = msg; *p; p++)
		sha256_update(&c, p, 1);
	sha256_final_hex(&c, got);
	cr_assert_str_eq(got, hex, "sha256(\"%s\") byte by byte", msg);
}

Test(sha256, fips_examples)
{
	expect("", "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
	expect("abc", "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
	expect("abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq",
		"248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1");
	expect("abcdefghbcdefghicdefghijdefghijkefghijklfghijklmghijklmnhijklmnoijklmnopjklmnopq"
		"klmnopqrlmnopqrsmnopqrstnopqrstu",
		"cf5b16a778af8380036ce59e7b0492370b249b11e8f07a51afac45037afee9d1");
}

Test(sha256, a_million_a_from_a_file)
{
	char path[] = "/tmp/bopt-sha256-XXXXXX";
	int fd = mkstemp(path);
	cr_assert(fd >= 0);
	FILE *f = fdopen(fd, "w");
	for (int i = 0; i < 1000000; i++)
		fputc('a', f);
	fclose(f);
	char hex[SHA256_HEX_LEN + 1], err[BOPT_ERR_MAX];
	uint64_t bytes = 0;
	cr_assert(sha256_file(path, hex, &bytes, err), "%s", err);
	unlink(path);
	cr_assert_eq(bytes, 1000000);
	cr_assert_str_eq(hex, "cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0");
	cr_assert_not(sha256_file(path, hex, &bytes, err));
	cr_assert(strstr(err, path) != NULL, "%s", err);
}
