/* Reads stdin to the end and reports lines, words and bytes; echoes the first line. */
#include <ctype.h>
#include <poll.h>
#include <stdio.h>

int main(void)
{
    /* poll_oneoff with an fd subscription (stdin is a file: readable at once) and with a clock. */
    struct pollfd p = { .fd = 0, .events = POLLIN };
    int r = poll(&p, 1, 1000);
    printf("poll stdin: %d readable %d\n", r, (p.revents & POLLIN) != 0);
    r = poll(NULL, 0, 10);
    printf("poll timeout: %d\n", r);
    long lines = 0, words = 0, bytes = 0;
    int ch, in_word = 0, first_done = 0;
    while ((ch = getchar()) != EOF) {
        bytes++;
        if (!first_done)
            putchar(ch);
        if (ch == '\n') {
            lines++;
            first_done = 1;
        }
        if (isspace(ch))
            in_word = 0;
        else if (!in_word) {
            in_word = 1;
            words++;
        }
    }
    printf("lines=%ld words=%ld bytes=%ld\n", lines, words, bytes);
    fprintf(stderr, "done\n");
    return 0;
}
