/* stats_counter.c — one more hit, miss or background compile in <cache>/stats, as HitCounters
 * (KilnCache/CacheStats.swift) reads them: little-endian UInt64s, updated in place under an
 * exclusive flock; a short file reads as zeros for the counters it lacks. */
#include "kiln_warm_index.h"

#include <fcntl.h>
#include <sys/file.h>
#include <unistd.h>

enum { counter_count = 3 };

int kiln_cache_count(const char *stats_path, unsigned index)
{
    if (index >= counter_count)
        return -1;
    int fd = open(stats_path, O_RDWR | O_CREAT | O_CLOEXEC, 0600);
    if (fd < 0)
        return -1;
    int status = -1;
    if (flock(fd, LOCK_EX) == 0) {
        uint8_t bytes[counter_count * 8] = {0};
        ssize_t got = pread(fd, bytes, sizeof bytes, 0);
        uint64_t values[counter_count] = {0};
        for (unsigned c = 0; c < counter_count; c++) {
            /* Only whole counters count; a partial one is zero. */
            if (got < 0 || (size_t)got < (c + 1) * 8)
                continue;
            for (int b = 7; b >= 0; b--)
                values[c] = values[c] << 8 | bytes[c * 8 + b];
        }
        values[index] += 1;
        for (unsigned c = 0; c < counter_count; c++)
            for (int b = 0; b < 8; b++)
                bytes[c * 8 + b] = (uint8_t)(values[c] >> (8 * b));
        status = pwrite(fd, bytes, sizeof bytes, 0) == (ssize_t)sizeof bytes ? 0 : -1;
    }
    close(fd); /* releases the lock */
    return status;
}
