import CLLVM
import KilnFrontend
import KilnLLVM
import WasmParser
import WasmTypes

/// Lowers one partition of a decoded module to one LLVM module: a Wasm-convention function per
/// defined function the partition owns, copies of small functions of other partitions that its
/// calls may inline, and, in partition 0, the per-signature trampolines and the descriptor.
/// Function bodies are validated as they are lowered, so an invalid module fails here with the
/// validator's error.
public struct ModuleLowering: Sendable {
    public let module: WasmModule
    public let fingerprint: String
    public let cpuFeatures: UInt32
    public let inlining: InliningBudget
    public let loadKeeping: LoadKeeping
    /// Whether memory accesses carry `AliasTags`: only for pipelines that run alias analysis.
    public let tagsAliasDomains: Bool
    /// Whether loops check for interruption on every iteration (`CompileOptions.interruptible`).
    public let interruptible: Bool
    /// Whether function entries and loop iterations take fuel (`CompileOptions.metered`).
    public let metered: Bool
    /// How relaxed-SIMD instructions are lowered (`CompileOptions.deterministicRelaxedSimd`).
    public let relaxedSimd: RelaxedSimdChoice
    /// The module's line tables when compiling with debug info (`CompileOptions.debugInfo`).
    public let debugInfo: DebugInfoSource?
    let conventions: ConventionChoice
    let fixedTables: FixedTables

    public init(
        module: WasmModule, fingerprint: String, cpuFeatures: UInt32, inlining: InliningBudget,
        loadKeeping: LoadKeeping = .witness, tagsAliasDomains: Bool = true, interruptible: Bool = false,
        metered: Bool = false, relaxedSimd: RelaxedSimdChoice = .deterministic, debugInfo: DebugInfoSource? = nil
    ) {
        self.module = module
        self.fingerprint = fingerprint
        self.cpuFeatures = cpuFeatures
        self.inlining = inlining
        self.loadKeeping = loadKeeping
        self.tagsAliasDomains = tagsAliasDomains
        self.interruptible = interruptible
        self.metered = metered
        self.relaxedSimd = relaxedSimd
        self.debugInfo = debugInfo
        self.fixedTables = FixedTables(module: module)
        self.conventions = ConventionChoice(module: module, fixedTables: fixedTables)
    }

    /// - Parameter lowered: called after each of the partition's own functions is lowered.
    /// - Throws: `PartitionLoweringError`, naming the function whose body failed.
    public func lower(
        _ partition: Partition, into ir: IRBuilder, lowered: () -> Void = {}
    ) throws(PartitionLoweringError) {
        // Trampolines come first so that they precede the Wasm functions in the object.
        var trampolines = Trampolines(ir: ir)
        if partition.carriesModuleData {
            for type in module.types {
                _ = trampolines.arrayCall(for: type)
                _ = trampolines.hostThunk(for: type)
            }
        }
        // An oversized function's partition runs no inliner (OptimizationPipeline), so it needs
        // no inlining decisions and no copies of callees.
        let inlining = partition.holdsOversizedFunction ? InliningBudget(isEnabled: false) : inlining
        let context = ModuleContext(
            ir: ir, module: module, partition: partition, inlining: inlining, loadKeeping: loadKeeping,
            tagsAliasDomains: tagsAliasDomains, interruptible: interruptible, metered: metered, relaxedSimd: relaxedSimd,
            conventions: conventions, fixedTables: fixedTables,
            debugInfo: debugInfo.map { DebugInfoEmitter(ir: ir, source: $0) })
        for index in partition.functions {
            try lowerFunction(index, context: context, ir: ir)
            lowered()
        }
        // Copies may want further copies (what they call); the context's allowance bounds them.
        var next = 0
        while next < context.wantedCopies.count {
            let index = context.wantedCopies[next]
            next += 1
            try lowerFunction(index, context: context, ir: ir)
            // The optimiser may inline it; code generation drops it, and calls that are left bind
            // to the owning partition's definition.
            LLVMSetLinkage(context.function(index), LLVMAvailableExternallyLinkage)
        }
        context.debugInfo?.finalize()
        guard partition.carriesModuleData else { return }
        let functions = module.codes.indices.map { context.function($0) }
        context.defineFixedTableArrays()
        do throws(WasmError) {
            try DescriptorEmitter(ir: ir, module: module).emit(
                definedFunctions: functions, trampolines: &trampolines, fingerprint: fingerprint, cpuFeatures: cpuFeatures)
        } catch {
            throw PartitionLoweringError(definedFunction: nil, error: error)
        }
    }

    private func lowerFunction(_ index: Int, context: ModuleContext, ir: IRBuilder) throws(PartitionLoweringError) {
        do throws(WasmError) {
            var lowering = try FunctionLowering(ir: ir, context: context, definedIndex: index)
            try lowering.lower(module.codes[index])
        } catch {
            throw PartitionLoweringError(definedFunction: index, error: error)
        }
    }
}

/// A module rejected while one partition was lowered.
public struct PartitionLoweringError: Error, Sendable {
    /// The defined function whose body is invalid; nil for the module-wide data (descriptor).
    public let definedFunction: Int?
    public let error: WasmError
}
