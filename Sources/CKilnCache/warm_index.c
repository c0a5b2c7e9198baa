/* warm_index.c — the warm index's file name and record (kiln_warm_index.h).
 *
 * A record is five lines of text:
 *
 *     kiln-warm-record 1
 *     key <64 hex digits>
 *     size <decimal>
 *     sha256 <64 hex digits>
 *     fingerprint <the compiler fingerprint, to the end of the line>
 */
#include "kiln_warm_index.h"
#include "kiln_sha256.h"

#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#define RECORD_TAG "kiln-warm-record 1"

static void add_field(kiln_sha256 *ctx, const char *text)
{
    uint64_t length = strlen(text);
    uint8_t prefix[8];
    for (int b = 0; b < 8; b++)
        prefix[b] = (uint8_t)(length >> (8 * b));
    kiln_sha256_update(ctx, prefix, sizeof prefix);
    kiln_sha256_update(ctx, text, (size_t)length);
}

void kiln_warm_index_name(const char *kiln_version, unsigned abi_version, const char *llvm_version,
                          const char *wasm_sha256_hex, char name[65])
{
    char abi[16], cpu[512];
    snprintf(abi, sizeof abi, "%u", abi_version);
    kiln_cpu_signature(cpu, sizeof cpu);
    kiln_sha256 ctx;
    kiln_sha256_init(&ctx);
    add_field(&ctx, "kiln-warm/1");
    add_field(&ctx, kiln_version);
    add_field(&ctx, abi);
    add_field(&ctx, llvm_version);
    add_field(&ctx, cpu);
    add_field(&ctx, wasm_sha256_hex);
    uint8_t digest[32];
    kiln_sha256_final(&ctx, digest);
    static const char digits[] = "0123456789abcdef";
    for (int i = 0; i < 32; i++) {
        name[2 * i] = digits[digest[i] >> 4];
        name[2 * i + 1] = digits[digest[i] & 15];
    }
    name[64] = '\0';
}

static int is_hex64(const char *text)
{
    if (strlen(text) != 64)
        return 0;
    for (const char *p = text; *p; p++)
        if (!((*p >= '0' && *p <= '9') || (*p >= 'a' && *p <= 'f')))
            return 0;
    return 1;
}

/* A name is 64 hex digits, so it cannot climb out of warm/. */
static int index_path(const char *cache_dir, const char *name, char *path, size_t capacity)
{
    if (!is_hex64(name))
        return -1;
    int n = snprintf(path, capacity, "%s/warm/%s", cache_dir, name);
    return n < 0 || (size_t)n >= capacity ? -1 : 0;
}

int kiln_warm_record_write(const char *cache_dir, const char *name, const char *key, uint64_t size,
                           const char *sha256, const char *fingerprint)
{
    char path[4096], dir[4096], temporary[4096];
    kiln_warm_record *existing = malloc(sizeof *existing);
    if (index_path(cache_dir, name, path, sizeof path) != 0 || !is_hex64(key) || !is_hex64(sha256)
        || strchr(fingerprint, '\n') != NULL || existing == NULL || strlen(fingerprint) >= sizeof existing->fingerprint) {
        free(existing);
        errno = EINVAL;
        return -1;
    }
    /* Every full run of a module rewrites nothing when the record is already right. */
    int same = kiln_warm_record_read(cache_dir, name, existing) == 0 && strcmp(existing->key, key) == 0
               && existing->size == size && strcmp(existing->sha256, sha256) == 0
               && strcmp(existing->fingerprint, fingerprint) == 0;
    free(existing);
    if (same)
        return 0;
    snprintf(dir, sizeof dir, "%s/warm", cache_dir);
    if (mkdir(dir, 0700) != 0 && errno != EEXIST)
        return -1;
    /* <pid>-<random>: the form the cache's sweep recognises as a work file of a live or dead process. */
    unsigned long long nonce = 0;
    int urandom = open("/dev/urandom", O_RDONLY | O_CLOEXEC);
    if (urandom >= 0) {
        if (read(urandom, &nonce, sizeof nonce) != (ssize_t)sizeof nonce)
            nonce = 0;
        close(urandom);
    }
    if (nonce == 0)
        nonce = (unsigned long long)(uintptr_t)&nonce ^ (unsigned long long)getpid() << 32;
    int n = snprintf(temporary, sizeof temporary, "%s/tmp/%d-%llu.warm", cache_dir, (int)getpid(), nonce);
    if (n < 0 || (size_t)n >= sizeof temporary) {
        errno = ENAMETOOLONG;
        return -1;
    }
    int fd = open(temporary, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
    if (fd < 0)
        return -1;
    FILE *file = fdopen(fd, "w");
    if (file == NULL) {
        int saved = errno;
        close(fd);
        unlink(temporary);
        errno = saved;
        return -1;
    }
    fprintf(file, RECORD_TAG "\nkey %s\nsize %" PRIu64 "\nsha256 %s\nfingerprint %s\n", key, size, sha256,
            fingerprint);
    /* No fsync: after a power loss a record may be empty or stale, and either only sends the next
     * run to kiln-full, which rewrites it. */
    int failed = ferror(file);
    if (fclose(file) != 0 || failed || rename(temporary, path) != 0) {
        int saved = errno ? errno : EIO;
        unlink(temporary);
        errno = saved;
        return -1;
    }
    return 0;
}

/* Copies the rest of `line` after `label` and a space into `out`, without the newline. */
static int field(const char *line, const char *label, char *out, size_t capacity)
{
    size_t length = strlen(label);
    if (strncmp(line, label, length) != 0 || line[length] != ' ')
        return -1;
    const char *value = line + length + 1;
    size_t count = strcspn(value, "\n");
    if (value[count] != '\n' || count >= capacity)
        return -1;
    memcpy(out, value, count);
    out[count] = '\0';
    return 0;
}

int kiln_warm_record_read(const char *cache_dir, const char *name, kiln_warm_record *record)
{
    char path[4096];
    if (index_path(cache_dir, name, path, sizeof path) != 0)
        return -1;
    FILE *file = fopen(path, "re");
    if (file == NULL)
        return -1;
    char line[sizeof record->fingerprint + 32], size[32];
    int ok = fgets(line, sizeof line, file) && strcmp(line, RECORD_TAG "\n") == 0
             && fgets(line, sizeof line, file) && field(line, "key", record->key, sizeof record->key) == 0
             && fgets(line, sizeof line, file) && field(line, "size", size, sizeof size) == 0
             && fgets(line, sizeof line, file) && field(line, "sha256", record->sha256, sizeof record->sha256) == 0
             && fgets(line, sizeof line, file)
             && field(line, "fingerprint", record->fingerprint, sizeof record->fingerprint) == 0
             && fgetc(file) == EOF;
    fclose(file);
    if (!ok || !is_hex64(record->key) || !is_hex64(record->sha256) || size[0] < '0' || size[0] > '9')
        return -1;
    char *end;
    errno = 0;
    unsigned long long value = strtoull(size, &end, 10);
    if (*end != '\0' || errno != 0)
        return -1;
    record->size = value;
    return 0;
}

int kiln_warm_record_key(const char *cache_dir, const char *name, char key[65])
{
    kiln_warm_record *record = malloc(sizeof *record); /* 8 KiB: not on a thread's stack */
    int status = record != NULL ? kiln_warm_record_read(cache_dir, name, record) : -1;
    if (status == 0)
        memcpy(key, record->key, 65);
    free(record);
    return status;
}
