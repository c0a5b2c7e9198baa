/* cpu_signature.c — what the host CPU offers, for the warm index (kiln_warm_index.h). It stands in
 * for the CPU name and features in the cache key, which LLVM computes and the launcher cannot. It
 * must change whenever LLVM's view of the host would: the family/model/stepping word names the CPU,
 * the feature leaves give the features; the APIC id (leaf 1 ebx) differs per core and is left out. */
#include "kiln_warm_index.h"

#include <stdio.h>
#include <string.h>
#include <sys/utsname.h>

#if defined(__x86_64__) || defined(__i386__)
#include <cpuid.h>

size_t kiln_cpu_signature(char *out, size_t capacity)
{
    unsigned max = 0, ebx = 0, ecx = 0, edx = 0;
    __cpuid(0, max, ebx, ecx, edx);
    char vendor[13];
    memcpy(vendor, &ebx, 4);
    memcpy(vendor + 4, &edx, 4);
    memcpy(vendor + 8, &ecx, 4);
    vendor[12] = '\0';

    unsigned l1a = 0, l1c = 0, l1d = 0, l7b = 0, l7c = 0, l7d = 0, l71a = 0, e1c = 0, e1d = 0;
    unsigned long long xcr0 = 0;
    unsigned unused;
    if (max >= 1)
        __cpuid(1, l1a, unused, l1c, l1d);
    if (max >= 7) {
        unsigned subleaves = 0;
        __cpuid_count(7, 0, subleaves, l7b, l7c, l7d);
        if (subleaves >= 1)
            __cpuid_count(7, 1, l71a, unused, unused, unused);
    }
    unsigned extended = __get_cpuid_max(0x80000000, NULL);
    if (extended >= 0x80000001)
        __cpuid(0x80000001, unused, unused, e1c, e1d);
    /* OSXSAVE: the OS enables AVX/AVX-512 state, which LLVM checks before enabling those features. */
    if (l1c & (1u << 27)) {
        unsigned lo, hi;
        __asm__ volatile("xgetbv" : "=a"(lo), "=d"(hi) : "c"(0));
        xcr0 = (unsigned long long)hi << 32 | lo;
    }
    int n = snprintf(out, capacity, "x86_64 %s 1:%08x,%08x,%08x 7:%08x,%08x,%08x 7.1:%08x e1:%08x,%08x xcr0:%llx",
                     vendor, l1a, l1c, l1d, l7b, l7c, l7d, l71a, e1c, e1d, xcr0);
    return n < 0 ? 0 : (size_t)n;
}

#else
#include <sys/auxv.h>

size_t kiln_cpu_signature(char *out, size_t capacity)
{
    struct utsname name;
    if (uname(&name) != 0)
        strcpy(name.machine, "unknown");
    const char *platform = (const char *)getauxval(AT_PLATFORM);
    int n = snprintf(out, capacity, "%s %s hwcap:%lx hwcap2:%lx", name.machine, platform ? platform : "-",
                     getauxval(AT_HWCAP), getauxval(AT_HWCAP2));
    return n < 0 ? 0 : (size_t)n;
}
#endif
