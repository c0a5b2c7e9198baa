import CLLVM
import Foundation
import KilnFrontend
import KilnLLVM
import KilnLowering
import Synchronization

/// Compiles WebAssembly modules to native shared objects.
///
/// The pipeline runs one way: decode -> validate -> partition -> (lower + validate bodies ->
/// optimise -> object, per partition, on `jobs` threads) -> link -> rename. Each partition has
/// its own LLVM context, so partitions share nothing while they compile and peak memory follows
/// the largest partition in flight, not the module (DESIGN.md, decision 12).
public struct Compiler: Sendable {
    public let options: CompileOptions
    /// Threads compiling partitions at once. It changes how long a compile takes, never its
    /// output: partitions depend on the module alone and are linked in their order, so the
    /// shared object is byte-identical for every value, and it is not part of the cache key.
    public let jobs: Int

    public static var defaultJobs: Int { ProcessInfo.processInfo.activeProcessorCount }

    /// Bodies larger than this get the bounded pipeline; tests lower it to reach that path with
    /// small modules.
    var largestOptimizedFunction = PartitionPlan.largestOptimizedFunction
    /// Tests settle loop keepers before any pass, to reach the recompile that holds them
    /// (PartitionCompilation.settlesLoopKeepersFirst).
    var settlesLoopKeepersFirst = false
    /// Tests lower it to reach the bound of the load-witness release's walks with small modules.
    var loadWitnessWalkBudget = LoadWitnessRelease.walkBudget

    /// Told about problems that do not stop the compile (malformed debug info), one line each,
    /// without a "warning:" prefix. By default they go to stderr as "kiln: warning: ...".
    public var warn: @Sendable (String) -> Void = Compiler.printWarning

    public init(options: CompileOptions = CompileOptions(), jobs: Int = Compiler.defaultJobs) {
        self.options = options
        self.jobs = max(1, jobs)
    }

    public static let printWarning: @Sendable (String) -> Void = { message in
        FileHandle.standardError.write(Data("kiln: warning: \(message)\n".utf8))
    }

    /// Decodes, validates, lowers, optimises and links `wasm` into a shared object at `outputPath`.
    /// The object is written to a temporary file in the same directory and renamed into place, so a
    /// reader never sees a partial file.
    ///
    /// - Parameter progress: called (from any thread, never twice at once) as functions are
    ///   lowered and partitions optimised and emitted.
    /// - Throws: `WasmError` for a malformed, invalid or unsupported module, `CompileError` when the
    ///   back end or the linker fails.
    public func compile(
        wasm: [UInt8], to outputPath: String, progress: CompileProgressHandler? = nil
    ) throws {
        defer { PhaseReport.write() }
        try SharedObjectLinker.checkOutputPath(outputPath)
        let module = try ModuleDecoder.decode(wasm, features: options.features)
        try ModuleValidator.validate(module)
        let pipeline = OptimizationPipeline(level: options.optimizationLevel)
        let fingerprint = try CompilerFingerprint.current(for: options)
        let cpuFeatures = CPUFeatureSet(llvmFeatures: fingerprint.cpuFeatures).bits
        let lowering = ModuleLowering(
            module: module, fingerprint: fingerprint.description, cpuFeatures: cpuFeatures,
            inlining: InliningBudget(isEnabled: pipeline.inlines), loadKeeping: pipeline.loadKeeping,
            tagsAliasDomains: pipeline.runsAliasAnalysis, interruptible: options.interruptible,
            metered: options.metered,
            relaxedSimd: options.deterministicRelaxedSimd
                ? .deterministic : .host(triple: fingerprint.triple, cpuFeatures: cpuFeatures),
            debugInfo: debugInfo(for: module))
        let partitions = PartitionPlan.partitions(
            of: module, targetCodeSize: pipeline.partitionCodeSize, largestOptimizedFunction: largestOptimizedFunction)
        let objects = try PartitionCompilation(
            lowering: lowering, partitions: partitions, pipeline: pipeline, cpu: options.cpu, progress: progress,
            settlesLoopKeepersFirst: settlesLoopKeepersFirst, loadWitnessWalkBudget: loadWitnessWalkBudget
        ).run(jobs: jobs)
        progress?(CompileProgress.linking(module: module, partitions: partitions))
        try SharedObjectLinker().link(objects: objects, to: outputPath)
    }
}

extension Compiler {
    /// The module's line tables when compiling with debug info. Debug info is advisory: a
    /// module without it compiles as without -g, and malformed DWARF is reported and ignored.
    func debugInfo(for module: WasmModule) -> DebugInfoSource? {
        guard options.debugInfo else { return nil }
        do throws(DWARFError) {
            guard let lines = try WasmLineMap.read(module) else { return nil }
            return DebugInfoSource(lines: lines, isOptimized: options.optimizationLevel > 0)
        } catch {
            warn("ignoring the debug info: \(error)")
            return nil
        }
    }
}

/// A failure after the module was accepted: code generation, linking or writing the output.
public struct CompileError: Error, CustomStringConvertible, Sendable {
    public var message: String
    public init(_ message: String) { self.message = message }
    public var description: String { message }
}
