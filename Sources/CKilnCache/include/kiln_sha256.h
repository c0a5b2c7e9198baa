/* kiln_sha256.h — SHA-256 (FIPS 180-4) for the cache's C side: the launcher checks a cached .so
 * and names a wasm module's warm index without Swift or a crypto library loaded. */
#ifndef KILN_SHA256_H
#define KILN_SHA256_H

#include <stddef.h>
#include <stdint.h>

typedef struct {
    uint32_t state[8];
    uint64_t length;     /* bytes hashed so far */
    uint8_t block[64];   /* the partial block */
    size_t used;         /* bytes in `block` */
} kiln_sha256;

void kiln_sha256_init(kiln_sha256 *ctx);
void kiln_sha256_update(kiln_sha256 *ctx, const void *data, size_t count);
void kiln_sha256_final(kiln_sha256 *ctx, uint8_t digest[32]);

/* The digest of `count` bytes as 64 lowercase hex digits and a NUL. */
void kiln_sha256_hex(const void *data, size_t count, char hex[65]);
/* The same for the first `size` bytes of `fd` (mapped, not read). 0, or -1 with errno set. */
int kiln_sha256_fd_hex(int fd, uint64_t size, char hex[65]);

#endif
