import CLLVM

/// How much effort code generation spends, from LLVM's fast instruction selector and register
/// allocator (`none`) to its most aggressive scheduling (`aggressive`).
public enum CodeGenerationLevel: Sendable {
    /// Fast instruction selection and register allocation: unoptimised code, fastest.
    case none
    case `default`
    case aggressive
}

/// An LLVM target machine for the host architecture, tuned for one CPU, that optimises modules
/// with the new pass manager and emits position-independent object code. Not thread-safe: a
/// thread that compiles makes its own.
public final class TargetMachine {
    public let triple: String
    public let cpu: String
    public let features: String
    let machine: LLVMTargetMachineRef

    /// - Parameters:
    ///   - cpu: nil for the host CPU and all its features; "generic" for portable x86-64 code.
    public init(cpu: String?, codeGeneration: CodeGenerationLevel = .default) throws(LLVMError) {
        _ = NativeTargetRegistration.done
        triple = HostCPU.triple
        switch cpu {
        case nil: (self.cpu, features) = (HostCPU.name, HostCPU.features + "," + Self.tuning)
        case "generic"?: (self.cpu, features) = ("x86-64", "")
        case let name?:
            guard kiln_llvm_is_known_cpu(triple, name) != 0 else {
                throw LLVMError("unknown CPU \"\(name)\" for \(triple): give a name LLVM 19 knows (`llc-19 -mcpu=help` lists them, e.g. x86-64-v3 or skylake), or generic")
            }
            (self.cpu, features) = (name, Self.tuning)
        }
        var target: LLVMTargetRef?
        var message: UnsafeMutablePointer<CChar>?
        guard LLVMGetTargetFromTriple(triple, &target, &message) == 0, let target else {
            throw LLVMError("no LLVM target for \(triple): \(consumeLLVMMessage(message))")
        }
        let level: LLVMCodeGenOptLevel = switch codeGeneration {
        case .none: LLVMCodeGenLevelNone
        case .default: LLVMCodeGenLevelDefault
        case .aggressive: LLVMCodeGenLevelAggressive
        }
        guard let machine = LLVMCreateTargetMachine(target, triple, self.cpu, features, level, LLVMRelocPIC, LLVMCodeModelDefault) else {
            throw LLVMError("cannot create a target machine for \(triple) (\(self.cpu))")
        }
        self.machine = machine
    }

    deinit { LLVMDisposeTargetMachine(machine) }

    /// No gathers from the vectorisers. In Kiln's IR every linear-memory load is the memory's base
    /// plus an offset, so lookups in different tables (AES's four T-tables, each round's 16
    /// loads) look to the SLP vectoriser like one cheap gather, where native code's loads from
    /// four globals do not: it made a holdout AES 2.5x slower, its rounds' loads serialised
    /// through AVX-512 gathers on the critical path. Nor scatters: stores down a column, which the
    /// loop vectoriser made AVX-512 scatters, took 1.27x the time of scalar stores in a holdout's
    /// eigenvalue solver (0.79 of its time without them; nothing measured slower).
    static let tuning = "+prefer-no-gather,+prefer-no-scatter"

    /// Sets the module's triple and data layout to this machine's; do it before building IR that
    /// depends on type sizes.
    public func configure(_ module: LLVMModuleRef) {
        LLVMSetTarget(module, triple)
        let layout = LLVMCreateTargetDataLayout(machine)
        LLVMSetModuleDataLayout(module, layout)
        LLVMDisposeTargetData(layout)
    }

    /// Checks the IR when `verifying`, then runs each of `phases` (pipelines in the new pass
    /// manager's syntax, e.g. "default<O2>") in turn, with `betweenPhases(n, module)` run before
    /// phase n, for n > 0.
    /// With `orderingTraps`, alias analysis never lets an access that carries one of those tags
    /// move past another access the host can see (trap_ordering_alias_analysis.cpp).
    public func optimize(
        _ module: LLVMModuleRef, phases: [String], verifying: Bool = true, orderingTraps: TrappingAccessTags? = nil,
        betweenPhases: (Int, LLVMModuleRef) throws(LLVMError) -> Void = { _, _ in }
    ) throws(LLVMError) {
        if verifying { try verify(module) }
        for (index, phase) in phases.enumerated() {
            if index > 0 {
                try PhaseReport.measure("Kiln passes before LLVM pipeline \(index + 1)") { () throws(LLVMError) in
                    try betweenPhases(index, module)
                }
            }
            try PhaseReport.measure("LLVM pipeline \(index + 1) of \(phases.count)") { () throws(LLVMError) in
                try runPasses(phase, on: module, orderingTraps: orderingTraps)
            }
        }
    }

    /// Throws when `module` is not valid IR: a bug in Kiln's lowering or in a rewrite of its own.
    public func verify(_ module: LLVMModuleRef) throws(LLVMError) {
        try PhaseReport.measure("IR verification") { () throws(LLVMError) in try verifyNow(module) }
    }

    private func verifyNow(_ module: LLVMModuleRef) throws(LLVMError) {
        var message: UnsafeMutablePointer<CChar>?
        let invalid = LLVMVerifyModule(module, LLVMReturnStatusAction, &message) != 0
        let verifierReport = consumeLLVMMessage(message)
        if invalid { throw LLVMError("generated IR is invalid: \(verifierReport)") }
    }

    private func runPasses(_ pipeline: String, on module: LLVMModuleRef, orderingTraps: TrappingAccessTags?) throws(LLVMError) {
        let failure = if let tags = orderingTraps {
            kiln_run_passes_ordering_traps(module, pipeline, machine, tags.store, tags.load)
        } else {
            runDefaultPasses(pipeline, on: module)
        }
        if let error = failure {
            let text = LLVMGetErrorMessage(error)
            defer { LLVMDisposeErrorMessage(text) }
            throw LLVMError("optimisation failed: \(text.map { String(cString: $0) } ?? "")")
        }
    }

    private func runDefaultPasses(_ pipeline: String, on module: LLVMModuleRef) -> LLVMErrorRef? {
        let options = LLVMCreatePassBuilderOptions()
        defer { LLVMDisposePassBuilderOptions(options) }
        return LLVMRunPasses(module, pipeline, machine, options)
    }

    /// Emits a relocatable object file into memory.
    public func emitObject(_ module: LLVMModuleRef) throws(LLVMError) -> [UInt8] {
        try PhaseReport.measure("code generation") { () throws(LLVMError) in try emit(module, as: LLVMObjectFile) }
    }

    /// Emits the assembly text the object would hold, for debugging. The code generator changes
    /// the module it runs on, so this runs on a copy, and the object still comes from the module.
    public func emitAssembly(of module: LLVMModuleRef) throws(LLVMError) -> String {
        let copy = LLVMCloneModule(module)!
        defer { LLVMDisposeModule(copy) }
        return String(decoding: try emit(copy, as: LLVMAssemblyFile), as: UTF8.self)
    }

    private func emit(_ module: LLVMModuleRef, as fileType: LLVMCodeGenFileType) throws(LLVMError) -> [UInt8] {
        var buffer: LLVMMemoryBufferRef?
        var message: UnsafeMutablePointer<CChar>?
        guard LLVMTargetMachineEmitToMemoryBuffer(machine, module, fileType, &message, &buffer) == 0, let buffer else {
            throw LLVMError("code generation failed: \(consumeLLVMMessage(message))")
        }
        defer { LLVMDisposeMemoryBuffer(buffer) }
        let size = LLVMGetBufferSize(buffer)
        guard let start = LLVMGetBufferStart(buffer) else { return [] }
        return start.withMemoryRebound(to: UInt8.self, capacity: size) { Array(UnsafeBufferPointer(start: $0, count: size)) }
    }
}

/// The tags (type-based alias metadata) of the accesses to linear memory that may fault: the
/// ones whose order against other accesses the host can observe.
public struct TrappingAccessTags {
    public let store: LLVMMetadataRef
    public let load: LLVMMetadataRef
    public init(store: LLVMMetadataRef, load: LLVMMetadataRef) { (self.store, self.load) = (store, load) }
}

public struct LLVMError: Error, CustomStringConvertible, Sendable {
    public var message: String
    public init(_ message: String) { self.message = message }
    public var description: String { message }
}
