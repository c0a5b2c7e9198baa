/* Exit statuses: exit(N) with N from argv[1], after buffered output that must not be lost. */
#include <stdio.h>
#include <stdlib.h>

int main(int argc, char **argv)
{
    int status = argc > 1 ? atoi(argv[1]) : 0;
    printf("exiting with %d\n", status);
    if (argc > 2)
        return status;     /* through main's return instead of exit() */
    exit(status);
}
