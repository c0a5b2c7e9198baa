/* Reads input.txt from the preopened directory, writes its upper-cased copy to output.txt, and
 * exits with status 3. */
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>

int main(void)
{
    FILE *in = fopen("input.txt", "r");
    if (!in) {
        perror("input.txt");
        return 1;
    }
    FILE *out = fopen("output.txt", "w");
    if (!out) {
        perror("output.txt");
        return 1;
    }
    long n = 0;
    int ch;
    while ((ch = fgetc(in)) != EOF) {
        fputc(toupper(ch), out);
        n++;
    }
    fclose(in);
    fclose(out);
    printf("copied %ld bytes\n", n);
    exit(3);
}
