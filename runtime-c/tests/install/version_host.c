/* A host built from an installed Kiln with nothing but pkg-config: it sees the header's version
 * and links the library's. */
#include <kiln.h>
#include <stdio.h>
#include <string.h>

int main(void)
{
    printf("%s %s\n", KILN_VERSION_STRING, kiln_version());
    kiln_error *err = NULL;
    kiln_module *m = kiln_module_load("/nonexistent/module.so", &err);
    printf("%s\n", m == NULL && err && strstr(kiln_error_message(err), "/nonexistent/module.so") ? "error named" : "no error");
    kiln_error_free(err);
    return strcmp(KILN_VERSION_STRING, kiln_version()) != 0;
}
