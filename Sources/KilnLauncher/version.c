/* version.c — `kiln --version` without loading LLVM: the same three versions kiln-full prints
 * (KilnCommand's configuration), taken from the headers they come from at build time. Kiln's
 * version is kiln.h's (a test keeps it equal to Swift's kilnVersion), the ABI kiln_abi.h's, and
 * LLVM's that of the headers the compiler is built against (VersionTests compares both binaries). */
#include "launcher.h"

#include <stdio.h>

#include "kiln_abi.h"
#include "llvm/Config/llvm-config.h"

void print_version(void)
{
    printf("kiln %s (ABI %u, LLVM %s)\n", KILN_VERSION_STRING, (unsigned)KILN_ABI_VERSION, LLVM_VERSION_STRING);
}
