/* Arguments and environment: printed in order, plus a few lookups. */
#include <stdio.h>
#include <stdlib.h>

extern char **environ;

int main(int argc, char **argv)
{
    printf("argc=%d\n", argc);
    for (int k = 0; k < argc; k++)
        printf("argv[%d]=%s\n", k, argv[k]);
    int n = 0;
    for (char **e = environ; *e; e++, n++)
        printf("env[%d]=%s\n", n, *e);
    printf("envc=%d\n", n);
    const char *g = getenv("GREETING"), *m = getenv("MISSING");
    printf("GREETING=%s MISSING=%s\n", g ? g : "(null)", m ? m : "(null)");
    return 0;
}
