import CLLVM
#if canImport(Glibc)
import Glibc
#endif
import KilnFrontend
import KilnLLVM
import KilnLowering

/// Compiles WebAssembly modules to native shared objects.
///
/// The pipeline runs one way: decode -> validate + lower -> optimise -> object -> link -> rename.
public struct Compiler: Sendable {
    public let options: CompileOptions

    public init(options: CompileOptions = CompileOptions()) {
        self.options = options
    }

    /// Decodes, validates, lowers, optimises and links `wasm` into a shared object at `outputPath`.
    /// The object is written to a temporary file in the same directory and renamed into place, so a
    /// reader never sees a partial file.
    ///
    /// - Parameter progress: called after each function is lowered with (done, total).
    /// - Throws: `WasmError` for a malformed, invalid or unsupported module, `CompileError` when the
    ///   back end or the linker fails.
    public func compile(
        wasm: [UInt8], to outputPath: String, progress: ((_ done: Int, _ total: Int) -> Void)? = nil
    ) throws {
        let module = try ModuleDecoder.decode(wasm)
        try ModuleValidator.validate(module)
        let machine: TargetMachine
        do {
            machine = try TargetMachine(cpu: options.cpu, optimizationLevel: options.optimizationLevel)
        } catch {
            throw CompileError(error.description)
        }
        let ir = IRBuilder(moduleName: "wasm")
        machine.configure(ir.module)
        let lowering = ModuleLowering(
            module: module, fingerprint: CompilerFingerprint(options: options, machine: machine).description,
            cpuFeatures: CPUFeatureSet(llvmFeatures: machine.features).bits)
        try lowering.lower(into: ir, progress: progress)
        let object: [UInt8]
        do {
            try machine.optimize(ir.module, betweenPhases: LoadWitnessRelease.releaseAnchoredLoads)
            StackCheckPruning.prune(ir.module)
            // A debugging aid, not an option: KILN_DUMP_IR=path writes the optimised IR there.
            if let path = getenv("KILN_DUMP_IR").map({ String(cString: $0) }), !path.isEmpty {
                LLVMPrintModuleToFile(ir.module, path, nil)
            }
            object = try machine.emitObject(ir.module)
        } catch {
            throw CompileError(error.description)
        }
        try SharedObjectLinker().link(object: object, to: outputPath)
    }
}

/// A failure after the module was accepted: code generation, linking or writing the output.
public struct CompileError: Error, CustomStringConvertible, Sendable {
    public var message: String
    public init(_ message: String) { self.message = message }
    public var description: String { message }
}
