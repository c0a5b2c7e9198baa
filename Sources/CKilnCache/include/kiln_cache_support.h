/* kiln_cache_support.h — the Linux calls the cache needs that Swift's Glibc module does not
 * expose (memfd_create, file seals, POSIX_SPAWN_SETSID and closefrom are _GNU_SOURCE-only). */
#ifndef KILN_CACHE_SUPPORT_H
#define KILN_CACHE_SUPPORT_H

#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

/* Copies the first `size` bytes of `src_fd` into a new memfd and seals it against every change
 * (write, grow, shrink, further seals). Returns the memfd, or -1 with errno set; ENOSYS/EINVAL
 * mean the kernel offers no sealed memfds and the caller should fall back. */
int kiln_cache_sealed_copy(int src_fd, uint64_t size);

/* A new memfd (close-on-exec) holding `count` bytes, positioned at its start: the input of a
 * background process, passed as its stdin. Returns -1 with errno set on failure. */
int kiln_cache_memfd_holding(const uint8_t *bytes, size_t count);

/* Starts `path` with `argv` (NULL-terminated) and the current environment as a detached process:
 * its own session, stdin from `stdin_fd`, stdout and stderr to /dev/null, no other descriptors,
 * default signal dispositions. Never waits for it. Returns its pid, or -1 with errno set. */
pid_t kiln_cache_spawn_detached(const char *path, char *const argv[], int stdin_fd);

#endif
