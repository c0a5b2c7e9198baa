import KilnFrontend
import KilnLLVM
import KilnLowering

/// The version of Kiln, part of every fingerprint.
public let kilnVersion = "0.5.52"

/// Everything that determines the machine code for given Wasm bytes. Recorded in each compiled
/// module (the runtime can show it) and, with the Wasm bytes, the input of the cache key.
public struct CompilerFingerprint: CustomStringConvertible, Sendable {
    public let kiln = kilnVersion
    public let abiVersion = ABIInfo.version
    public let llvm: String
    public let triple: String
    public let cpu: String
    public let cpuFeatures: String
    public let optimizationLevel: Int
    /// The enabled proposals: the same bytes can be accepted under one set and refused under another.
    public let wasmFeatures: FeatureSet
    public let interruptible: Bool
    public let metered: Bool
    public let debugInfo: Bool
    public let deterministicRelaxedSimd: Bool

    public init(options: CompileOptions, machine: TargetMachine) {
        llvm = llvmVersion
        triple = machine.triple
        cpu = machine.cpu
        cpuFeatures = machine.features
        optimizationLevel = options.optimizationLevel
        wasmFeatures = options.features
        interruptible = options.interruptible
        metered = options.metered
        debugInfo = options.debugInfo
        deterministicRelaxedSimd = options.deterministicRelaxedSimd
    }

    public var description: String {
        "kiln \(kiln); abi \(abiVersion); llvm \(llvm); \(triple); cpu \(cpu); features \(cpuFeatures); O\(optimizationLevel); wasm \(wasmFeatures)"
            + (interruptible ? "; interruptible" : "") + (metered ? "; metered" : "") + (debugInfo ? "; g" : "")
            + (deterministicRelaxedSimd ? "; deterministic-relaxed-simd" : "")
    }
}

extension CompilerFingerprint {
    /// The fingerprint `Compiler(options:)` records, computed without compiling anything, so a
    /// cache can form its key before deciding whether to compile. It builds (and drops) the same
    /// target machine the compiler would, so the CPU name and features are exactly the ones the
    /// code would be generated for.
    public static func current(for options: CompileOptions) throws -> CompilerFingerprint {
        do {
            let machine = try TargetMachine(cpu: options.cpu)
            return CompilerFingerprint(options: options, machine: machine)
        } catch {
            throw CompileError(error.description)
        }
    }
}
