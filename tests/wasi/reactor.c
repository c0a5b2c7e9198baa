/* kiln-test: reactor */
/* A reactor (built with -mexec-model=reactor): the host calls _initialize, then these exports,
 * passing data through linear memory at addresses from the exported allocator. */
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static int calls;

__attribute__((export_name("buffer_alloc"))) void *buffer_alloc(size_t n) { return malloc(n); }
__attribute__((export_name("buffer_free"))) void buffer_free(void *p) { free(p); }

/* Upper-cases s[0..n) in place, prints a line through WASI stdout, returns the call count. */
__attribute__((export_name("shout"))) int shout(char *s, size_t n)
{
    for (size_t k = 0; k < n; k++)
        s[k] = (char)toupper((unsigned char)s[k]);
    printf("shout #%d: %.*s\n", ++calls, (int)n, s);
    fflush(stdout);
    return calls;
}

/* Returns a new string (host frees it with buffer_free) reading a file from the preopen. */
__attribute__((export_name("read_file"))) char *read_file(const char *name)
{
    FILE *f = fopen(name, "r");
    if (!f)
        return NULL;
    char *buf = calloc(1, 4096);
    fread(buf, 1, 4095, f);
    fclose(f);
    return buf;
}

__attribute__((export_name("quit"))) void quit(int status) { exit(status); }
