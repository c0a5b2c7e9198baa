/// Everything that changes the machine code Kiln produces. Every field is part of the compiler
/// fingerprint (and so of the cache key): add a field here and it must go into `fingerprint`.
public struct CompileOptions: Sendable, Hashable {
    /// LLVM optimisation level, 0 to 3.
    public var optimizationLevel: Int
    /// Target CPU name; nil means the host CPU with all its features, "generic" a portable x86-64.
    public var cpu: String?

    public init(optimizationLevel: Int = 2, cpu: String? = nil) {
        self.optimizationLevel = optimizationLevel
        self.cpu = cpu
    }
}
