/* size_text.c — `--max-memory SIZE` as SizeText.parse (KilnCLI/SizeText.swift) reads it: binary
 * units K, M, G, T, case-insensitive, with or without "iB"/"B", a fraction allowed with a unit.
 * Only the plain forms are taken here (digits, a point, a unit); anything else (spaces, signs,
 * exponents, hex) goes to kiln-full, which parses it or reports it exactly as it always has. */
#include "launcher.h"

#include <ctype.h>
#include <stdlib.h>
#include <string.h>

int parse_size(const char *text, uint64_t *bytes)
{
    char digits[64];
    size_t length = strlen(text);
    if (length == 0 || length >= sizeof digits)
        return -1;
    for (size_t i = 0; i <= length; i++)
        digits[i] = (char)toupper((unsigned char)text[i]);
    /* "IB" or else "B", as SizeText strips at most one of them. */
    if (length >= 2 && strcmp(digits + length - 2, "IB") == 0)
        length -= 2;
    else if (length >= 1 && digits[length - 1] == 'B')
        length -= 1;
    digits[length] = '\0';
    int shift = 0;
    if (length > 0) {
        switch (digits[length - 1]) {
        case 'K': shift = 10; break;
        case 'M': shift = 20; break;
        case 'G': shift = 30; break;
        case 'T': shift = 40; break;
        default: break;
        }
        if (shift != 0)
            digits[--length] = '\0';
    }
    size_t whole = strspn(digits, "0123456789");
    if (whole == 0)
        return -1;
    if (shift == 0) {
        /* Without a unit SizeText takes an integer only. */
        if (whole != length || whole > 19)
            return -1;
        *bytes = strtoull(digits, NULL, 10);
    } else {
        if (whole != length && (digits[whole] != '.' || strspn(digits + whole + 1, "0123456789") != length - whole - 1
                                || whole + 1 == length))
            return -1;
        /* SizeText multiplies a Double and truncates; strtod rounds correctly as Swift's
         * Double(_:) does, so the product is the same. */
        double value = strtod(digits, NULL) * (double)(1ull << shift);
        if (!(value < 18446744073709551616.0))
            return -1;
        *bytes = (uint64_t)value;
    }
    return *bytes > 0 ? 0 : -1;
}
