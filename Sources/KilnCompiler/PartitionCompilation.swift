import CLLVM
#if canImport(Glibc)
import Glibc
#endif
import KilnFrontend
import KilnLLVM
import KilnLowering
import Synchronization

/// Compiles the partitions of one module to object code, on several threads.
///
/// Errors are reported as a sequential compile would report them: of all invalid function
/// bodies, the one with the lowest index. So once a body fails, partitions that start after it
/// are skipped, but earlier ones still lower (one of them may hold an earlier invalid body), and
/// no partition is optimised any more.
struct PartitionCompilation: Sendable {
    let lowering: ModuleLowering
    let partitions: [Partition]
    let pipeline: OptimizationPipeline
    let cpu: String?
    let progress: CompileProgressHandler?
    /// A test seam: settle the loop keepers before any pass instead of after simplification, so
    /// that simplification removes loops' ways out after their keepers went, the failure that
    /// `optimize`'s check exists to catch.
    var settlesLoopKeepersFirst = false
    /// A test seam: how far each load's release decision may walk (LoadWitnessRelease.walkBudget).
    var loadWitnessWalkBudget = LoadWitnessRelease.walkBudget

    private struct State {
        var objects: [Int: [UInt8]] = [:]
        var progress: CompileProgress
        /// The earliest failure so far, by the defined function it names.
        var failure: (function: Int, error: any Error)?
        var hasFailed: Bool { failure != nil }
    }

    /// What the worker threads share.
    private final class Shared: Sendable {
        let state: Mutex<State>
        init(_ state: State) { self.state = Mutex(state) }
        func withLock<R>(_ body: (inout State) throws -> R) rethrows -> R { try state.withLock { try body(&$0) } }
    }

    /// The objects in partition order.
    func run(jobs: Int) throws -> [[UInt8]] {
        let module = lowering.module
        let state = Shared(State(progress: CompileProgress(
            functionCount: module.codes.count, partitionCount: partitions.count,
            totalCode: partitions.reduce(0) { $0 + $1.codeSize })))
        // Largest first, so that the last partition to finish is a small one.
        let order = partitions.indices.sorted { (partitions[$0].codeSize, $1) > (partitions[$1].codeSize, $0) }
        WorkerThreads.run(order, jobs: jobs) { index in
            compile(partitions[index], state: state)
        }
        return try state.withLock { state in
            if let failure = state.failure { throw failure.error }
            return partitions.indices.map { state.objects[$0]! }
        }
    }

    private func compile(_ partition: Partition, state: Shared) {
        let skip = state.withLock { state in
            state.failure.map { partition.functions.lowerBound > $0.function } ?? false
        }
        if skip { return }
        do {
            let pipeline = partition.holdsOversizedFunction ? pipeline.forOversizedFunction() : pipeline
            let machine = try TargetMachine(cpu: cpu, codeGeneration: pipeline.codeGeneration)
            let ordersTraps = pipeline.loadKeeping == .witness
            var holdingKeepers: Set<String> = []
            var ir: IRBuilder
            while true {
                ir = IRBuilder(moduleName: "wasm.\(partition.index)", keepsValueNames: irDumpPath != nil)
                machine.configure(ir.module)
                let firstTime = holdingKeepers.isEmpty
                try PhaseReport.measure("lowering") {
                    try lowering.lower(partition, into: ir) {
                        if firstTime { report(state) { $0.functionsLowered += 1 } }
                    }
                }
                if state.withLock({ $0.hasFailed }) { return }
                let withoutAWayOut = try optimize(
                    ir.module, pipeline: pipeline, machine: machine, ordersTraps: ordersTraps, holdingKeepersIn: holdingKeepers)
                if withoutAWayOut.isEmpty { break }
                holdingKeepers.formUnion(withoutAWayOut)
            }
            PhaseReport.measure("Kiln passes after the last LLVM pipeline") {
                prepareForCodeGeneration(ir.module, pipeline: pipeline, ordersTraps: ordersTraps)
            }
            if pipeline.verifiesFinalIR { try machine.verify(ir.module) }
            dumpIR(ir.module, partition: partition)
            try dumpAssembly(ir.module, machine: machine, partition: partition)
            report(state) {
                $0.partitionsOptimized += 1
                $0.optimizedCode += partition.codeSize
            }
            let object = try machine.emitObject(ir.module)
            state.withLock { state in
                state.objects[partition.index] = object
                state.progress.partitionsEmitted += 1
                state.progress.emittedCode += partition.codeSize
                progress?(state.progress)
            }
        } catch let error as PartitionLoweringError {
            fail(state, function: error.definedFunction ?? Int.max, error.error)
        } catch {
            fail(state, function: Int.max, CompileError(String(describing: error)))
        }
    }

    /// What comes between the last IR pass and the code generator.
    private func prepareForCodeGeneration(_ module: LLVMModuleRef, pipeline: OptimizationPipeline, ordersTraps: Bool) {
        // Keepers left (the oversized function's pipeline has no cleanup phase; held ones)
        // settle after the last pass.
        LoopWitnessKeeper.settleAfterTheLastPass(in: module)
        // No IR pass comes any more: the code generator keeps a load for an empty asm's use.
        LoadWitnessRetirement.retire(in: module)
        // On loops as the pipeline left them, before trap ordering reads the accesses' tags.
        if pipeline.inlines { WindowSkipping.insertPrologues(in: module, of: lowering.module) }
        // After the last IR pass: x86 cannot select the markers, and no IR fold comes later.
        ArithmeticNaN.settle(in: module)
        // After the markers settle, so that the range test and the conversion read the same x.
        if pipeline.inlines { GuardedFloatToInt.fold(in: module) }
        if pipeline.inlines { EmulatedGatherWidth.split(in: module) }
        if ordersTraps { TrapOrdering.orderInCodeGeneration(module) }
        // Only inlining copies stack checks away from their function's entry.
        if pipeline.inlines { StackCheckPruning.prune(module) }
        // Last, so that no pass turns the compare chains back into switches.
        if pipeline.codeGeneration == .none {
            kiln_lower_small_switches(module, OptimizationPipeline.smallSwitchCases)
        }
    }

    /// Runs the pipeline over a lowered partition, holding the loop keepers of the functions
    /// named in `holding` until after the last pass.
    ///
    /// - Returns: the functions, not held, in which a loop lost its last way out after its keeper
    ///   was settled (LoopWitnessKeeper.functionsThatLostAWayOut): their loads may be gone, so
    ///   the partition must be compiled again holding their keepers.
    private func optimize(
        _ module: LLVMModuleRef, pipeline: OptimizationPipeline, machine: TargetMachine, ordersTraps: Bool,
        holdingKeepersIn holding: Set<String>
    ) throws -> Set<String> {
        var trustingTheirExits: Set<String> = []
        if settlesLoopKeepersFirst { trustingTheirExits = LoopWitnessKeeper.settle(in: module, holding: holding) }
        try machine.optimize(
            module, phases: pipeline.phases, verifying: pipeline.verifiesIR,
            orderingTraps: ordersTraps ? TrapOrdering.trappingAccessTags(of: module) : nil
        ) { (next, module) throws(LLVMError) in
            switch next {
            case OptimizationPipeline.cleanupPhase:
                trustingTheirExits.formUnion(LoopWitnessKeeper.settle(in: module, holding: holding))
                LoadWitnessRelease.releaseAnchoredLoads(in: module, walkBudget: loadWitnessWalkBudget)
                AddressNoWrap.markNoWrapAdds(in: module)
            case OptimizationPipeline.loopOptimizationPhase:
                // First, so that the loops it leaves without a check can be versioned too.
                if lowering.interruptible { InterruptCheckStripMining.stripMine(module) }
                if pipeline.verifiesIR { try machine.verify(module) }
                MemoryLoopVersioning.versionLoops(in: module, of: lowering.module)
                WindowSkipping.keepLoopsRolled(in: module, of: lowering.module)
                LoadWitnessRelease.releaseLoadsInBounds(in: module)
                FloatDoubling.writeAsMultiplies(in: module)
                RemainderRecomposition.recompose(in: module)
            default:
                break
            }
        }
        return LoopWitnessKeeper.functionsThatLostAWayOut(in: module, among: trustingTheirExits)
    }

    private func report(_ state: Shared, _ change: (inout CompileProgress) -> Void) {
        state.withLock { state in
            change(&state.progress)
            progress?(state.progress)
        }
    }

    private func fail(_ state: Shared, function: Int, _ error: any Error) {
        state.withLock { state in
            if let earlier = state.failure, earlier.function <= function { return }
            state.failure = (function, error)
        }
    }

    private var irDumpPath: String? { requestedDumpPath("KILN_DUMP_IR") }

    private func requestedDumpPath(_ variable: String) -> String? {
        getenv(variable).map { String(cString: $0) }.flatMap { $0.isEmpty ? nil : $0 }
    }

    /// Where partition N's dump goes: the path itself for a module of one partition, else the
    /// path with ".N" appended.
    private func dumpPath(_ path: String, of partition: Partition) -> String {
        partitions.count == 1 ? path : "\(path).\(partition.index)"
    }

    /// A debugging aid, not an option: KILN_DUMP_IR=path writes the optimised IR there.
    private func dumpIR(_ module: LLVMModuleRef, partition: Partition) {
        guard let path = irDumpPath else { return }
        LLVMPrintModuleToFile(module, dumpPath(path, of: partition), nil)
    }

    /// A debugging aid, not an option: KILN_DUMP_ASM=path writes the machine code there as
    /// assembly text.
    private func dumpAssembly(_ module: LLVMModuleRef, machine: TargetMachine, partition: Partition) throws {
        guard let path = requestedDumpPath("KILN_DUMP_ASM") else { return }
        let text = try machine.emitAssembly(of: module)
        guard let file = fopen(dumpPath(path, of: partition), "w") else { return }
        defer { fclose(file) }
        fputs(text, file)
    }
}

extension CompileProgress {
    static func linking(module: WasmModule, partitions: [Partition]) -> CompileProgress {
        let total = partitions.reduce(0) { $0 + $1.codeSize }
        var progress = CompileProgress(functionCount: module.codes.count, partitionCount: partitions.count, totalCode: total)
        progress.functionsLowered = module.codes.count
        progress.partitionsOptimized = partitions.count
        progress.partitionsEmitted = partitions.count
        (progress.optimizedCode, progress.emittedCode) = (total, total)
        progress.isLinking = true
        return progress
    }
}
