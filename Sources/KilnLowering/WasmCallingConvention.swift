import CLLVM
import KilnLLVM
import WasmTypes

/// The Wasm convention of kiln_abi.h: how every function that Wasm code can call is declared and
/// how every such call is emitted. The one place that sets LLVM's calling convention for them.
///
/// It is LLVM's `tailcc`, which guarantees that a `musttail` call reuses the caller's frame even
/// when the callee takes more stack arguments than the caller (callee-popped arguments), so
/// `return_call` runs in constant native stack (DESIGN.md, decision 11). LLVM requires a call and
/// its callee to agree on the convention, and a mismatch is undefined behaviour that the verifier
/// does not catch for indirect calls: hence declarations and calls only through here.
enum WasmCallingConvention {
    /// `llvm::CallingConv::Tail` (llvm/IR/CallingConv.h). The C API's LLVMCallConv enum does not
    /// list it; the number is part of LLVM's bitcode format, so it is stable, and
    /// WasmCallingConventionTests checks that the IR prints it as `tailcc`.
    static let llvmID: UInt32 = 18
}

/// How a Wasm-convention call leaves its caller.
enum WasmCallKind {
    /// An ordinary call: the caller's frame stays, so deep recursion exhausts the stack and traps,
    /// as Wasm requires. Marked `notail`, so that no pass turns it into a jump or a loop.
    case ordinary
    /// `return_call`: a `musttail` call followed by the return of its result. The caller's frame
    /// is gone during the call; the block is terminated.
    case tail
}

extension IRBuilder {
    /// `R code(void *ctx, params...)`. Private: a function of this type is only made or called
    /// below, with the convention set.
    fileprivate func wasmFunctionType(of type: FunctionType) -> LLVMTypeRef {
        functionType(returnType(of: type), [ptr] + type.parameters.map { self.type(of: $0) })
    }

    /// A new function with the Wasm convention: a defined function, its copy, or a host thunk.
    func addWasmFunction(_ name: String, _ type: FunctionType) -> LLVMValueRef {
        let function = LLVMAddFunction(module, name, wasmFunctionType(of: type))!
        LLVMSetFunctionCallConv(function, WasmCallingConvention.llvmID)
        return function
    }

    /// Calls `callee` (a Wasm-convention function or code pointer) with `args`, ctx first. For
    /// `.tail` the current function must have the Wasm convention too, and its results must be
    /// `type`'s (validation guarantees both): LLVM's verifier rejects anything else.
    ///
    /// With `unwindTo` (a landing pad; ordinary calls only) the call is an `invoke` that unwinds
    /// there and otherwise goes on in a new block, where the builder is left.
    @discardableResult
    func wasmCall(
        _ type: FunctionType, _ callee: LLVMValueRef, _ args: [LLVMValueRef], _ kind: WasmCallKind,
        unwindTo landingPad: LLVMBasicBlockRef? = nil
    ) -> LLVMValueRef {
        if let landingPad {
            precondition(kind == .ordinary, "a tail call cannot have a handler in its caller")
            let normal = appendBlock("invoke.cont", to: LLVMGetBasicBlockParent(LLVMGetInsertBlock(builder)))
            let result = invoke(wasmFunctionType(of: type), callee, args, normal: normal, unwind: landingPad)
            LLVMSetInstructionCallConv(result, WasmCallingConvention.llvmID)
            position(at: normal)
            return result
        }
        let result = call(wasmFunctionType(of: type), callee, args)
        LLVMSetInstructionCallConv(result, WasmCallingConvention.llvmID)
        switch kind {
        case .ordinary:
            LLVMSetTailCallKind(result, LLVMTailCallKindNoTail)
        case .tail:
            LLVMSetTailCallKind(result, LLVMTailCallKindMustTail)
            if type.results.isEmpty { LLVMBuildRetVoid(builder) } else { LLVMBuildRet(builder, result) }
        }
        return result
    }
}
