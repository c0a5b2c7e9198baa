import KilnRuntimeC

/// The CPU features a module's code may use, as the kiln_cpu_feature bits the runtime checks on
/// the loading machine. LLVM's feature string names many more; these are the ones that matter
/// for whether code compiled for one x86-64 runs on another.
struct CPUFeatureSet {
    let bits: UInt32

    private static let known: [(String, kiln_cpu_feature)] = [
        ("sse4.1", KILN_CPU_SSE41), ("sse4.2", KILN_CPU_SSE42), ("popcnt", KILN_CPU_POPCNT),
        ("avx", KILN_CPU_AVX), ("avx2", KILN_CPU_AVX2), ("bmi", KILN_CPU_BMI1), ("bmi2", KILN_CPU_BMI2),
        ("lzcnt", KILN_CPU_LZCNT), ("fma", KILN_CPU_FMA), ("avx512f", KILN_CPU_AVX512F),
        ("ssse3", KILN_CPU_SSSE3), ("f16c", KILN_CPU_F16C),
    ]

    /// - Parameter llvmFeatures: LLVM's "+name,-name,..." list.
    init(llvmFeatures: String) {
        let enabled = Set(llvmFeatures.split(separator: ",").filter { $0.hasPrefix("+") }.map { String($0.dropFirst()) })
        bits = Self.known.reduce(0) { enabled.contains($1.0) ? $0 | $1.1.rawValue : $0 }
    }
}
