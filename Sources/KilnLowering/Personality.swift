import CLLVM
import KilnLLVM

/// The personality routine of a compiled module's landing pads (kiln_abi.h, "Exceptions").
///
/// The unwinder calls a frame's personality through the module's unwind tables, so the routine
/// must be in the module itself: a reference to the runtime's would be a symbol of the host
/// process to resolve, which compiled modules never have. Instead it is a few instructions that
/// decline every exception but Kiln's and forward Kiln's to the routine the runtime stored in the
/// exception object.
enum Personality {
    static let name = "kiln.personality"
    /// _URC_CONTINUE_UNWIND: "not mine, keep unwinding".
    private static let continueUnwind: UInt32 = 8

    /// The partition's personality function, created on first use.
    static func function(in ir: IRBuilder) -> LLVMValueRef {
        if let existing = LLVMGetNamedFunction(ir.module, name) { return existing }
        let type = ir.functionType(ir.i32, [ir.i32, ir.i32, ir.i64, ir.ptr, ir.ptr])
        let function = LLVMAddFunction(ir.module, name, type)!
        LLVMSetLinkage(function, LLVMInternalLinkage)
        let saved = LLVMGetInsertBlock(ir.builder)
        // Made while a Wasm function is lowered: that function's debug location (kiln compile
        // -g) must not follow the builder into this one, which has no subprogram.
        let savedLocation = LLVMGetCurrentDebugLocation2(ir.builder)
        LLVMSetCurrentDebugLocation2(ir.builder, nil)
        defer { LLVMSetCurrentDebugLocation2(ir.builder, savedLocation) }
        let entry = ir.appendBlock("entry", to: function)
        let forward = ir.appendBlock("kiln", to: function)
        let foreign = ir.appendBlock("foreign", to: function)
        ir.position(at: entry)
        let parameters = (0..<5).map { LLVMGetParam(function, UInt32($0))! }
        let isKiln = LLVMBuildICmp(ir.builder, LLVMIntEQ, parameters[2], ir.i64(ABI.Exception.exceptionClass), "")!
        LLVMBuildCondBr(ir.builder, isKiln, forward, foreign)
        ir.position(at: forward)
        let slot = LLVMBuildGEP2(ir.builder, ir.i8, parameters[3], [ir.i64(ABI.Exception.personality)], "")!
        let runtimeRoutine = LLVMBuildLoad2(ir.builder, ir.ptr, slot, "")!
        LLVMBuildRet(ir.builder, ir.call(type, runtimeRoutine, parameters))
        ir.position(at: foreign)
        LLVMBuildRet(ir.builder, ir.i32(continueUnwind))
        if let saved { ir.position(at: saved) }
        return function
    }

    /// The `{ ptr, i32 }` a landing pad produces: the exception object and a selector Kiln ignores.
    static func landingPadType(_ ir: IRBuilder) -> LLVMTypeRef {
        ir.structType([ir.ptr, ir.i32])
    }

    /// Starts a landing pad at the builder's position that catches every Kiln exception (the code
    /// after it decides by tag) and returns the exception object.
    static func catchEverything(_ ir: IRBuilder, in function: LLVMValueRef) -> LLVMValueRef {
        LLVMSetPersonalityFn(function, Self.function(in: ir))
        let pad = LLVMBuildLandingPad(ir.builder, landingPadType(ir), Self.function(in: ir), 1, "")!
        // `catch ptr null` makes this a handler, not a cleanup, for the search phase.
        LLVMAddClause(pad, ir.nullPointer())
        return LLVMBuildExtractValue(ir.builder, pad, 0, "exception")!
    }
}
