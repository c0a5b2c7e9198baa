/* sealed_copy.c — an immutable private copy of a cache entry.
 *
 * The cache checks an entry's SHA-256 before the dynamic loader maps it. Checking the file and then
 * dlopen()ing its path leaves a window in which the file could change; checking a sealed memfd
 * copy and loading that copy through /proc/self/fd/N leaves none: the kernel refuses every write
 * to it once sealed, so the bytes hashed are the bytes mapped. */
#include "kiln_cache_support.h"

#include <errno.h>
#include <fcntl.h>
#include <sys/mman.h>
#include <sys/sendfile.h>
#include <unistd.h>

int kiln_cache_sealed_copy(int src_fd, uint64_t size)
{
    int fd = memfd_create("kiln-cache-entry", MFD_CLOEXEC | MFD_ALLOW_SEALING);
    if (fd < 0)
        return -1;
    off_t offset = 0;
    while ((uint64_t)offset < size) {
        /* sendfile copies inside the kernel; it advances `offset` itself. */
        ssize_t n = sendfile(fd, src_fd, &offset, (size_t)(size - (uint64_t)offset));
        if (n < 0 && errno == EINTR)
            continue;
        if (n <= 0) {
            int saved = n == 0 ? EIO : errno; /* n == 0: the file is shorter than recorded */
            close(fd);
            errno = saved;
            return -1;
        }
    }
    if (fcntl(fd, F_ADD_SEALS, F_SEAL_SHRINK | F_SEAL_GROW | F_SEAL_WRITE | F_SEAL_SEAL) != 0) {
        int saved = errno;
        close(fd);
        errno = saved;
        return -1;
    }
    return fd;
}
