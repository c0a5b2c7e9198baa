import KilnFrontend

/// Everything that changes the machine code Kiln produces. Every field is part of the compiler
/// fingerprint (and so of the cache key): add a field here and it must go into `fingerprint`.
public struct CompileOptions: Sendable, Hashable {
    /// LLVM optimisation level, 0 to 3.
    public var optimizationLevel: Int
    /// Target CPU name; nil means the host CPU with all its features, "generic" a portable x86-64.
    public var cpu: String?
    /// The WebAssembly proposals the module may use; WebAssembly 2.0 and tail calls by default.
    public var features: FeatureSet
    /// Whether every loop iteration checks for `kiln_instance_interrupt`, so that a host can stop
    /// any guest (function entries that can call always check). Off by default: the check is a
    /// load and a branch per iteration, and it keeps LLVM from vectorising the loop.
    public var interruptible: Bool
    /// Whether the code takes fuel (`kiln_imports_set_fuel`): one unit at every function entry
    /// and every loop iteration, trapping "all fuel consumed" when none is left. Off by default:
    /// it costs a load, a store and a branch at each, and keeps LLVM from vectorising loops.
    public var metered: Bool
    /// Whether the shared object carries DWARF line tables and function names translated from
    /// the module's own DWARF (`kiln compile -g`), so a native debugger shows the program's
    /// source. Off by default: it costs compile time and size, and changes the object's bytes.
    public var debugInfo: Bool
    /// Whether every relaxed-SIMD instruction gives its deterministic result, the same bits on
    /// every CPU (`--deterministic-relaxed-simd`). Off by default: each takes the target CPU's
    /// fastest instruction among those whose result the proposal allows (RelaxedSimdChoice).
    public var deterministicRelaxedSimd: Bool

    public init(
        optimizationLevel: Int = 2, cpu: String? = nil, features: FeatureSet = .default, interruptible: Bool = false,
        metered: Bool = false, debugInfo: Bool = false, deterministicRelaxedSimd: Bool = false
    ) {
        self.optimizationLevel = optimizationLevel
        self.cpu = cpu
        self.features = features
        self.interruptible = interruptible
        self.metered = metered
        self.debugInfo = debugInfo
        self.deterministicRelaxedSimd = deterministicRelaxedSimd
    }
}
