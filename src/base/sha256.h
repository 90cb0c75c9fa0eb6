#ifndef BOPT_SHA256_H
#define BOPT_SHA256_H

/*
 * SHA-256 (FIPS 180-4), written out here so that provenance needs no crypto
 * library: a hash of each input file that a reader can check with
 * sha256sum(1). A context is plain data on the caller's stack.
 */

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define SHA256_HEX_LEN 64

struct sha256 {
	uint32_t h[8];
	uint64_t length; // bytes hashed so far
	unsigned char block[64];
	size_t used;     // bytes waiting in block
};

void sha256_init(struct sha256 *c);
void sha256_update(struct sha256 *c, const void *data, size_t len);
// Writes the digest as SHA256_HEX_LEN lowercase hex digits and a NUL.
void sha256_final_hex(struct sha256 *c, char hex[SHA256_HEX_LEN + 1]);

// Hashes a whole file; *bytes is its length. err says why on failure.
bool sha256_file(const char *path, char hex[SHA256_HEX_LEN + 1], uint64_t *bytes, char *err);

#endif
