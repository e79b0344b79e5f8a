/*
 * attn_sha256.h - SHA-256 (FIPS 180-4), for the key of a cached program: the native client and
 * the JVM name a cache entry by the same digest.
 */
#ifndef ATTN_SHA256_H
#define ATTN_SHA256_H

#include <stddef.h>
#include <stdint.h>

struct attn_sha256 {
    uint32_t h[8];
    uint64_t length; /* bytes hashed so far */
    unsigned char block[64];
    size_t used;
};

void attn_sha256_init(struct attn_sha256 *s);
void attn_sha256_update(struct attn_sha256 *s, const void *data, size_t len);
/* Writes the digest as 64 lower-case hex digits and a NUL into hex[65]. */
void attn_sha256_hex(struct attn_sha256 *s, char hex[65]);

#endif /* ATTN_SHA256_H */
