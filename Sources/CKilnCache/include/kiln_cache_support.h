/* kiln_cache_support.h — the Linux calls the cache needs that Swift's Glibc module does not
 * expose (memfd_create and file seals are _GNU_SOURCE-only). */
#ifndef KILN_CACHE_SUPPORT_H
#define KILN_CACHE_SUPPORT_H

#include <stdint.h>

/* Copies the first `size` bytes of `src_fd` into a new memfd and seals it against every change
 * (write, grow, shrink, further seals). Returns the memfd, or -1 with errno set; ENOSYS/EINVAL
 * mean the kernel offers no sealed memfds and the caller should fall back. */
int kiln_cache_sealed_copy(int src_fd, uint64_t size);

#endif
