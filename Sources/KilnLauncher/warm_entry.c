/* warm_entry.c — a cache hit without the compiler: the warm index names the optimised entry of
 * these wasm bytes (kiln_warm_index.h), and the entry is checked as CompilationCache checks a hit
 * (CachedArtifact.swift's VerifiedCopy, CachedModuleLoading.swift's fingerprint check) before it
 * is loaded. Any doubt is a NULL, and the run goes to kiln-full, which re-validates, repairs and
 * rewrites the index. */
#include "launcher.h"

#include <errno.h>
#include <fcntl.h>
#include <pwd.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include "kiln_abi.h"
#include "kiln_cache_support.h"
#include "kiln_sha256.h"
#include "kiln_warm_index.h"
#include "llvm/Config/llvm-config.h"

/* CacheLocation.directory: $KILN_CACHE_DIR, else $XDG_CACHE_HOME/kiln when absolute, else
 * $HOME/.cache/kiln, else the passwd entry's home; empty variables count as unset. */
static int cache_directory(char *out, size_t capacity)
{
    const char *dir = getenv("KILN_CACHE_DIR"), *xdg = getenv("XDG_CACHE_HOME"), *home = getenv("HOME");
    int n;
    if (dir && dir[0])
        n = snprintf(out, capacity, "%s", dir);
    else if (xdg && xdg[0] == '/')
        n = snprintf(out, capacity, "%s/kiln", xdg);
    else if (home && home[0])
        n = snprintf(out, capacity, "%s/.cache/kiln", home);
    else {
        struct passwd *entry = getpwuid(geteuid());
        if (entry == NULL || entry->pw_dir == NULL)
            return -1;
        n = snprintf(out, capacity, "%s/.cache/kiln", entry->pw_dir);
    }
    return n < 0 || (size_t)n >= capacity ? -1 : 0;
}

/* What kiln-full would refuse or warn about before a hit: a bad KILN_BACKGROUND_COMPILE (an error
 * whatever the level), a KILN_CACHE_MAX_SIZE that is not plainly a size (a warning, and no cache),
 * a cache directory that is missing, not a directory or someone else's (CacheLocation.prepare). */
static const char *environment_doubt(const char *cache)
{
    const char *background = getenv("KILN_BACKGROUND_COMPILE");
    if (background) {
        static const char *const accepted[] = {"", "1", "on", "yes", "true", "0", "off", "no", "false"};
        int known = 0;
        for (size_t i = 0; i < sizeof accepted / sizeof *accepted; i++)
            known |= strcasecmp(background, accepted[i]) == 0;
        if (!known)
            return "KILN_BACKGROUND_COMPILE is not a boolean";
    }
    const char *max_size = getenv("KILN_CACHE_MAX_SIZE");
    if (max_size && max_size[0]) {
        /* Plain digits with an optional unit only: kiln-full judges the rest. */
        size_t digits = strspn(max_size, "0123456789");
        const char *rest = max_size + digits;
        static const char *const units[] = {"", "K", "M", "G", "T", "KB", "MB", "GB", "TB", "KIB", "MIB", "GIB", "TIB", "B", "IB"};
        int known = 0;
        for (size_t i = 0; i < sizeof units / sizeof *units; i++)
            known |= strcasecmp(rest, units[i]) == 0;
        if (digits == 0 || digits > 12 || !known)
            return "KILN_CACHE_MAX_SIZE left to kiln-full";
    }
    struct stat info;
    if (stat(cache, &info) != 0 || !S_ISDIR(info.st_mode) || info.st_uid != geteuid())
        return "no usable cache directory";
    return NULL;
}

/* The sealed private copy of the entry's .so, as VerifiedCopy.make makes it: -1 unless it is a
 * regular file of `size` bytes whose copy hashes to `sha256`. */
static int verified_copy(const char *path, uint64_t size, const char *sha256)
{
    int file = open(path, O_RDONLY | O_CLOEXEC);
    if (file < 0)
        return -1;
    struct stat info;
    if (fstat(file, &info) != 0 || !S_ISREG(info.st_mode) || (uint64_t)info.st_size != size) {
        close(file);
        return -1;
    }
    int copy = kiln_cache_sealed_copy(file, size);
    if (copy >= 0) {
        close(file);
    } else if (errno == ENOSYS || errno == EINVAL) {
        copy = file; /* no sealed memfds: as VerifiedCopy, hash the file itself */
    } else {
        close(file);
        return -1;
    }
    char digest[65];
    if (kiln_sha256_fd_hex(copy, size, digest) != 0 || strcmp(digest, sha256) != 0) {
        close(copy);
        return -1;
    }
    return copy;
}

/* The entry's last use, for eviction and `kiln cache list`, without rewriting its JSON record:
 * <key>.used's mtime (CacheMaintenance takes the later of the two). */
static void touch_used(const char *cache, const char *key)
{
    char path[4096];
    snprintf(path, sizeof path, "%s/%s.used", cache, key);
    int fd = open(path, O_WRONLY | O_CREAT | O_CLOEXEC, 0600);
    if (fd >= 0) {
        futimens(fd, NULL);
        close(fd);
    }
}

kiln_module *load_warm_entry(const char *path, const char **reason)
{
    char cache[3072]; /* leaves room for the file names below in 4096 */
    if (cache_directory(cache, sizeof cache) != 0) {
        *reason = "no cache directory";
        return NULL;
    }
    if ((*reason = environment_doubt(cache)) != NULL)
        return NULL;

    int fd = open(path, O_RDONLY | O_CLOEXEC);
    struct stat info;
    if (fd < 0 || fstat(fd, &info) != 0 || !S_ISREG(info.st_mode) || info.st_size < 8) {
        if (fd >= 0)
            close(fd);
        *reason = "not a readable wasm file";
        return NULL;
    }
    size_t size = (size_t)info.st_size;
    void *bytes = mmap(NULL, size, PROT_READ, MAP_PRIVATE, fd, 0);
    close(fd);
    if (bytes == MAP_FAILED) {
        *reason = "not a readable wasm file";
        return NULL;
    }
    char wasm_sha256[65], name[65];
    kiln_sha256_hex(bytes, size, wasm_sha256);
    munmap(bytes, size);
    kiln_warm_index_name(KILN_VERSION_STRING, KILN_ABI_VERSION, LLVM_VERSION_STRING, wasm_sha256, name);

    static kiln_warm_record record; /* 8 KiB: not on the stack */
    if (kiln_warm_record_read(cache, name, &record) != 0) {
        *reason = "no warm index entry";
        return NULL;
    }
    char entry[4096], meta[4096];
    snprintf(entry, sizeof entry, "%s/%s.so", cache, record.key);
    snprintf(meta, sizeof meta, "%s/%s.meta", cache, record.key);
    /* The record is the entry's commit: without it the entry is absent or being removed. */
    if (access(meta, F_OK) != 0) {
        *reason = "the indexed entry has no record";
        return NULL;
    }
    int copy = verified_copy(entry, record.size, record.sha256);
    if (copy < 0) {
        *reason = "the indexed entry is missing or altered";
        return NULL;
    }
    char load_path[64];
    snprintf(load_path, sizeof load_path, "/proc/self/fd/%d", copy);
    kiln_module *module = kiln_module_load(load_path, NULL);
    if (module == NULL) {
        close(copy);
        *reason = "the loader refused the indexed entry";
        return NULL;
    }
    const char *fingerprint = kiln_module_fingerprint(module);
    if (fingerprint == NULL || strcmp(fingerprint, record.fingerprint) != 0) {
        kiln_module_release(module);
        close(copy);
        *reason = "the indexed entry reports another fingerprint";
        return NULL;
    }
    /* The copy stays open for the life of the process, as CachedArtifact keeps it: the name
     * /proc/self/fd/N stays unique while the module is loaded. */
    char stats[4096];
    snprintf(stats, sizeof stats, "%s/stats", cache);
    kiln_cache_count(stats, 0);
    touch_used(cache, record.key);
    return module;
}
