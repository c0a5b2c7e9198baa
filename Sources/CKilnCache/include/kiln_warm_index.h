/* kiln_warm_index.h — the warm index: how the `kiln` launcher (plain C, no LLVM) finds the
 * optimised cache entry of a wasm module without computing the cache key, which needs LLVM's host
 * CPU name and features.
 *
 * Whenever `kiln run` gets the entry for the default compile options at the optimised tier, the
 * Swift side writes <cache>/warm/<NAME>, NAME = kiln_warm_index_name(...): a record naming that
 * entry's key and the .so's size, SHA-256 and fingerprint. The launcher computes the same NAME,
 * reads the record and checks the .so against it; anything missing or different sends the run to
 * kiln-full, which re-validates the entry and rewrites the record. A record is only ever a hint:
 * a stale or dangling one costs an exec, never a wrong module.
 *
 * Both sides call these functions, so the name and the record format are defined once. */
#ifndef KILN_WARM_INDEX_H
#define KILN_WARM_INDEX_H

#include <stddef.h>
#include <stdint.h>

/* What the host CPU offers, as text: on x86-64 the cpuid vendor, leaves 1 (eax, ecx, edx),
 * 7.0 (ebx, ecx, edx), 7.1 (eax), 0x80000001 (ecx, edx) and XCR0 when the OS saves extended state;
 * elsewhere the machine name and AT_HWCAP/AT_HWCAP2. Two machines that share a cache directory and
 * give LLVM different CPU names or features give different signatures, so the launcher never takes
 * an entry compiled for the other. Writes at most `capacity` bytes with the NUL; returns the length
 * it needed (as snprintf does). */
size_t kiln_cpu_signature(char *out, size_t capacity);

/* The index file name for a module: hex SHA-256 over length-prefixed fields (the length as a
 * little-endian UInt64, as CacheKey does): "kiln-warm/1", the Kiln version, the ABI version in
 * decimal, the LLVM version, kiln_cpu_signature(), and the hex SHA-256 of the wasm bytes. */
void kiln_warm_index_name(const char *kiln_version, unsigned abi_version, const char *llvm_version,
                          const char *wasm_sha256_hex, char name[65]);

/* One record. */
typedef struct {
    char key[65];            /* the cache key: the entry is <cache>/<key>.so and .meta */
    uint64_t size;           /* the .so's size and SHA-256 */
    char sha256[65];
    char fingerprint[8192];  /* the compiler fingerprint the loaded module must report */
} kiln_warm_record;

/* Makes <cache_dir>/warm/<name> the record of this entry, unless it already is: written to a
 * temporary file in <cache_dir>/tmp (named <pid>-..., so the cache's sweep of dead processes' work
 * files removes a leftover), then renamed into place. Creates warm/ if needed. 0, or -1 with errno
 * set (EINVAL for a key or digest that is not 64 hex digits, or a fingerprint too long or with a
 * newline). */
int kiln_warm_record_write(const char *cache_dir, const char *name, const char *key, uint64_t size,
                           const char *sha256, const char *fingerprint);

/* Reads <cache_dir>/warm/<name>. 0 on success; -1 if it is missing or not a well-formed record of
 * the current format. */
int kiln_warm_record_read(const char *cache_dir, const char *name, kiln_warm_record *record);

/* The key a record names, without the rest: 0, or -1 if <cache_dir>/warm/<name> is not a record. */
int kiln_warm_record_key(const char *cache_dir, const char *name, char key[65]);

/* The cache's hit/miss/background counters (<cache>/stats, little-endian UInt64s in that order)
 * gain one at `index` (0 hits, 1 misses, 2 background compiles): read-modify-write in place under
 * an exclusive flock of the file. Best effort, as statistics are: -1 on failure, else 0. */
int kiln_cache_count(const char *stats_path, unsigned index);

#endif
