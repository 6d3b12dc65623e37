/* sha256.h — SHA-256 (FIPS 180-4), streaming, for the document's input hash. */
#ifndef BRIEF_SHA256_H
#define BRIEF_SHA256_H

#include <stddef.h>
#include <stdint.h>

/* Plain value: no heap. Init, update any number of times, final once. */
struct sha256_ctx {
	uint32_t h[8];
	uint64_t nbytes;
	uint8_t buf[64];
	size_t nbuf;
};

void sha256_init(struct sha256_ctx *c);
void sha256_update(struct sha256_ctx *c, const void *data, size_t len);
void sha256_final(struct sha256_ctx *c, uint8_t out[32]);
/* One-shot convenience. */
void sha256(const void *data, size_t len, uint8_t out[32]);

#endif
