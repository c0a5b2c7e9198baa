import CLLVM
import KilnLLVM
import WasmParser
import WasmTypes

/// The per-signature glue between the runtime and Wasm-convention code (kiln_abi.h):
/// array-call trampolines (host -> Wasm) and host thunks (Wasm -> host).
struct Trampolines {
    let ir: IRBuilder
    private var arrayCalls: [FunctionType: LLVMValueRef] = [:]
    private var hostThunks: [FunctionType: LLVMValueRef] = [:]

    init(ir: IRBuilder) { self.ir = ir }

    /// `kiln_exception *array_call(void *code, void *ctx, kiln_cell *cells)`: parameters from the
    /// cells, results back into them. An exception that leaves `code` is caught here and returned,
    /// so none ever unwinds into the runtime's or the host's frames; NULL otherwise.
    mutating func arrayCall(for type: FunctionType) -> LLVMValueRef {
        if let existing = arrayCalls[type] { return existing }
        let function = LLVMAddFunction(ir.module, "kiln.array_call.\(arrayCalls.count)", ir.functionType(ir.ptr, [ir.ptr, ir.ptr, ir.ptr]))!
        LLVMSetLinkage(function, LLVMInternalLinkage)
        LLVMAddAttributeAtIndex(function, LLVMAttributeIndex(bitPattern: Int32(LLVMAttributeFunctionIndex)), ir.enumAttribute("uwtable", 2))
        ir.position(at: ir.appendBlock("entry", to: function))
        let uncaught = ir.appendBlock("uncaught", to: function)
        let cells = LLVMGetParam(function, 2)!
        let args = type.parameters.enumerated().map { index, parameter in
            LLVMBuildLoad2(ir.builder, ir.type(of: parameter), ir.cell(cells, index), "")!
        }
        let call = ir.wasmCall(
            type, LLVMGetParam(function, 0), context: LLVMGetParam(function, 1), args, .ordinary, unwindTo: uncaught)
        for (index, result) in call.results.enumerated() {
            LLVMBuildStore(ir.builder, result, ir.cell(cells, index))
        }
        LLVMBuildRet(ir.builder, ir.nullPointer())
        ir.position(at: uncaught)
        LLVMBuildRet(ir.builder, Personality.catchEverything(ir, in: function))
        arrayCalls[type] = function
        return function
    }

    /// Wasm-convention entry whose ctx is a kiln_host_func: spills the parameters to cells on
    /// the stack, calls ctx->invoke(ctx, cells) and returns the results it wrote back.
    mutating func hostThunk(for type: FunctionType) -> LLVMValueRef {
        if let existing = hostThunks[type] { return existing }
        let function = ir.addWasmFunction("kiln.host_thunk.\(hostThunks.count)", type)
        LLVMSetLinkage(function, LLVMInternalLinkage)
        ir.position(at: ir.appendBlock("entry", to: function))
        let cellCount = max(1, type.parameters.count, type.results.count)
        let storage = LLVMBuildArrayAlloca(ir.builder, ir.i8, ir.i32(UInt32(cellCount * ABI.cellSize)), "cells")!
        LLVMSetAlignment(storage, 16)
        for index in type.parameters.indices {
            LLVMBuildStore(ir.builder, ir.wasmParameter(function, type, index), ir.cell(storage, index))
        }
        let hostFunction = LLVMGetParam(function, 0)!
        let invoke = LLVMBuildLoad2(ir.builder, ir.ptr, hostFunction, "invoke")!
        ir.call(ir.functionType(ir.void, [ir.ptr, ir.ptr]), invoke, [hostFunction, storage])
        let results = type.results.enumerated().map { index, result in
            LLVMBuildLoad2(ir.builder, ir.type(of: result), ir.cell(storage, index), "")!
        }
        ir.wasmReturn(type, results)
        hostThunks[type] = function
        return function
    }
}
