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
/* Fold the file at path into c as a fast 64-bit digest of its bytes plus
 * its length, not the bytes themselves: inputs (datasets, fonts) run to
 * hundreds of megabytes, and SHA-256 over them cost more than the rest of
 * a build. The digest multiplies and mixes 8 bytes a step; it identifies
 * content (an accidental collision has odds near 2^-64), it is not a
 * defence against crafted files. Returns 0, or -1 if the file cannot be
 * read (c then holds what was read). */
int sha256_update_file_digest(struct sha256_ctx *c, const char *path);

/* That digest over bytes as they arrive, in pieces of any size: a reader
 * that goes through a file anyway (the CSV loader) computes it on the way
 * and records it (infile_set_digest), and sha256_update_file_digest then
 * takes it instead of reading the file a second time. Plain value. */
struct file_digest {
	uint64_t h, total;
	unsigned char tail[8];
	unsigned ntail;
};
void file_digest_init(struct file_digest *d);
void file_digest_update(struct file_digest *d, const void *data, size_t n);
/* Fold d into c exactly as sha256_update_file_digest folds a file. */
void file_digest_fold(struct sha256_ctx *c, const struct file_digest *d);

/* One-shot convenience. */
void sha256(const void *data, size_t len, uint8_t out[32]);

#endif
