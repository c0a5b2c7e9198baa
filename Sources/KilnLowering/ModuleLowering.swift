import CLLVM
import KilnFrontend
import KilnLLVM
import WasmParser
import WasmTypes

/// Lowers a decoded module to one LLVM module: a Wasm-convention function per defined function,
/// the per-signature trampolines and the descriptor. Function bodies are validated as they are
/// lowered, so an invalid module fails here with the validator's error.
public struct ModuleLowering {
    public let module: WasmModule
    public let fingerprint: String
    public let cpuFeatures: UInt32

    public init(module: WasmModule, fingerprint: String, cpuFeatures: UInt32) {
        self.module = module
        self.fingerprint = fingerprint
        self.cpuFeatures = cpuFeatures
    }

    /// - Parameters:
    ///   - progress: called after each function with (lowered, total).
    public func lower(
        into ir: IRBuilder, progress: ((_ done: Int, _ total: Int) -> Void)? = nil
    ) throws(WasmError) {
        // Trampolines come first so that they precede the Wasm functions in the object: the
        // runtime names a trap's frames by the nearest function start below each address.
        var trampolines = Trampolines(ir: ir)
        for type in module.types {
            _ = trampolines.arrayCall(for: type)
            _ = trampolines.hostThunk(for: type)
        }
        let functions = declareFunctions(ir)
        let context = ModuleContext(module: module, definedFunctions: functions)
        for index in module.codes.indices {
            var lowering = try FunctionLowering(ir: ir, context: context, definedIndex: index)
            try lowering.lower(module.codes[index])
            progress?(index + 1, module.codes.count)
        }
        try DescriptorEmitter(ir: ir, module: module)
            .emit(definedFunctions: functions, trampolines: &trampolines, fingerprint: fingerprint, cpuFeatures: cpuFeatures)
    }

    private func declareFunctions(_ ir: IRBuilder) -> [LLVMValueRef] {
        let nounwind = LLVMCreateEnumAttribute(ir.context, LLVMGetEnumAttributeKindForName("nounwind", 8), 0)
        // Unwind tables (not exceptions) let the runtime walk the stack of a trap for its backtrace.
        let unwindTable = LLVMCreateEnumAttribute(ir.context, LLVMGetEnumAttributeKindForName("uwtable", 7), 2)
        return module.functionTypeIndices.enumerated().map { index, typeIndex in
            let functionIndex = UInt32(module.importedFunctionCount + index)
            let name = module.functionNames[functionIndex].map { "wasm[\(functionIndex)]:\($0)" } ?? "wasm[\(functionIndex)]"
            let function = LLVMAddFunction(ir.module, name, ir.wasmFunctionType(of: module.types[Int(typeIndex)]))!
            // Only the descriptor is exported; internal linkage lets LLVM inline and specialise.
            LLVMSetLinkage(function, LLVMInternalLinkage)
            // Traps leave Wasm code by longjmp, never by unwinding.
            let functionAttributes = LLVMAttributeIndex(bitPattern: Int32(LLVMAttributeFunctionIndex))
            LLVMAddAttributeAtIndex(function, functionAttributes, nounwind)
            LLVMAddAttributeAtIndex(function, functionAttributes, unwindTable)
            return function
        }
    }
}
