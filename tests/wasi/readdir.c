/* fd_readdir: a small listing, then one large enough to need several fd_readdir calls, then a
 * rewind. Names are sorted before printing: the host's order is not specified. */
#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

static int cmp(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

static int list(const char *path, int print)
{
    DIR *d = opendir(path);
    if (!d) {
        perror(path);
        return -1;
    }
    char *names[2000];
    int n = 0;
    struct dirent *de;
    while ((de = readdir(d)) && n < 2000) {
        char tag = de->d_type == DT_DIR ? 'd' : de->d_type == DT_REG ? 'f' : de->d_type == DT_LNK ? 'l' : '?';
        char *s = malloc(strlen(de->d_name) + 3);
        sprintf(s, "%c %s", tag, de->d_name);
        names[n++] = s;
    }
    rewinddir(d);
    int again = 0;
    while (readdir(d))
        again++;
    closedir(d);
    qsort(names, n, sizeof names[0], cmp);
    if (print)
        for (int k = 0; k < n; k++)
            printf("  %s\n", names[k]);
    for (int k = 0; k < n; k++)
        free(names[k]);
    printf("%s: %d entries, %d after rewind\n", path, n, again);
    return n;
}

int main(void)
{
    mkdir("small", 0755);
    mkdir("small/subdir", 0755);
    fclose(fopen("small/a.txt", "w"));
    fclose(fopen("small/b.txt", "w"));
    symlink("a.txt", "small/link");
    list("small", 1);

    mkdir("big", 0755);
    char name[300];
    for (int k = 0; k < 600; k++) {
        /* long names so the listing spans several buffers */
        snprintf(name, sizeof name, "big/file-%04d-%0200d", k, 0);
        FILE *f = fopen(name, "w");
        if (!f) {
            perror(name);
            return 1;
        }
        fclose(f);
    }
    list("big", 0);
    list(".", 1);
    return 0;
}
