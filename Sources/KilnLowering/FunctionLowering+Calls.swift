import CLLVM
import KilnFrontend
import WasmParser
import WasmTypes

/// Direct calls, calls to imports, and call_indirect through a table; and their tail-call forms,
/// return_call and return_call_indirect, which do the same checks and then leave the function
/// through the call (WasmCallKind.tail).
extension FunctionLowering {
    mutating func visitCall(functionIndex: UInt32) throws(WasmError) {
        try validator.visitCall(functionIndex: functionIndex)
        guard isReachable else { return }
        callFunction(functionIndex, .ordinary)
    }

    mutating func visitReturnCall(functionIndex: UInt32) throws(WasmError) {
        try validator.visitReturnCall(functionIndex: functionIndex)
        guard isReachable else { return }
        callFunction(functionIndex, .tail)
    }

    mutating func visitCallIndirect(typeIndex: UInt32, tableIndex: UInt32) throws(WasmError) {
        try validator.visitCallIndirect(typeIndex: typeIndex, tableIndex: tableIndex)
        guard isReachable else { return }
        callIndirect(typeIndex: typeIndex, tableIndex: tableIndex, .ordinary)
    }

    mutating func visitReturnCallIndirect(typeIndex: UInt32, tableIndex: UInt32) throws(WasmError) {
        try validator.visitReturnCallIndirect(typeIndex: typeIndex, tableIndex: tableIndex)
        guard isReachable else { return }
        callIndirect(typeIndex: typeIndex, tableIndex: tableIndex, .tail)
    }

    private mutating func callFunction(_ functionIndex: UInt32, _ kind: WasmCallKind) {
        let module = context.module
        let type = module.types[Int(module.allFunctionTypeIndices[Int(functionIndex)])]
        let args = pop(type.parameters.count)
        let importedCount = module.importedFunctionCount
        if Int(functionIndex) >= importedCount {
            let callee = Int(functionIndex) - importedCount
            let call = emitCall(type, context.function(callee), context: vmContext, args, kind)
            if context.inlining.isEnabled && !admitInlining(of: callee) {
                LLVMAddCallSiteAttribute(call, LLVMAttributeIndex(bitPattern: Int32(LLVMAttributeFunctionIndex)), ir.enumAttribute("noinline"))
            }
        } else {
            // Imports go through their function record: another instance's code and vmctx, or a
            // host thunk with its kiln_host_func.
            let record = vm.arrayElement(ABI.VMContext.funcs, functionIndex)
            callThroughRecord(record, type, args, kind)
        }
    }

    private mutating func callIndirect(typeIndex: UInt32, tableIndex: UInt32, _ kind: WasmCallKind) {
        let type = context.module.types[Int(typeIndex)]
        let elementIndex = popTableOperand()
        let args = pop(type.parameters.count)
        if let arrays = context.arrays(ofFixedTable: tableIndex) {
            return callThroughFixedTable(tableIndex, arrays, elementIndex, typeIndex: typeIndex, type, args, kind)
        }

        let table = vm.arrayElement(ABI.VMContext.tables, tableIndex)
        let size = vm.loadField(table, ABI.Table.size, ir.i32, invariant: false)
        trapIf(LLVMBuildICmp(ir.builder, LLVMIntUGE, elementIndex, size, "")!, ABI.Trap.undefinedElement)
        let elements = vm.loadField(table, ABI.Table.elements, ir.ptr, invariant: false)
        let slot = LLVMBuildGEP2(ir.builder, ir.ptr, elements, [LLVMBuildZExt(ir.builder, elementIndex, ir.i64, "")!], "")!
        let record = LLVMBuildLoad2(ir.builder, ir.ptr, slot, "")!
        vm.aliasTags.tag(record, .runtimeData)
        trapIf(LLVMBuildIsNull(ir.builder, record, "")!, ABI.Trap.uninitializedElement)

        // Signatures are compared by their runtime-wide canonical ids, so a function from any
        // module with a structurally equal type matches.
        let actual = vm.loadField(record, ABI.Func.typeID, ir.i32, invariant: true)
        let ids = vm.loadField(vmContext, ABI.VMContext.typeIDs, ir.ptr, invariant: true)
        let expected = vm.loadField(ids, UInt64(typeIndex) * 4, ir.i32, invariant: true)
        trapIf(LLVMBuildICmp(ir.builder, LLVMIntNE, actual, expected, "")!, ABI.Trap.indirectCallMismatch)
        callThroughRecord(record, type, args, kind)
    }

    /// `call_indirect` through a table whose slots are known (FixedTables): the same checks in the
    /// same order, against constants, and a call of one of this module's own functions.
    private mutating func callThroughFixedTable(
        _ table: UInt32, _ arrays: FixedTableArrays, _ elementIndex: LLVMValueRef, typeIndex: UInt32, _ type: FunctionType,
        _ args: [LLVMValueRef], _ kind: WasmCallKind
    ) {
        trapIf(LLVMBuildICmp(ir.builder, LLVMIntUGE, elementIndex, ir.i32(UInt32(arrays.count)), "")!, ABI.Trap.undefinedElement)
        let slot = LLVMBuildZExt(ir.builder, elementIndex, ir.i64, "")!
        let slotType = LLVMBuildLoad2(ir.builder, ir.i32, arrays.typeAddress(ofSlot: slot, ir), "")!
        vm.aliasTags.tag(slotType, .runtimeData)
        let expected = ir.i32(context.module.canonicalTypeIndices[Int(typeIndex)])
        let mismatched = LLVMBuildICmp(ir.builder, LLVMIntNE, slotType, expected, "")!
        let matched = ir.appendBlock("call_indirect.matched")
        let mismatch = ir.appendBlock("call_indirect.mismatch")
        ir.conditionalBranch(mismatched, mismatch, matched, rarely: true)
        ir.position(at: mismatch)
        trapIf(LLVMBuildICmp(ir.builder, LLVMIntEQ, slotType, ir.i32(FixedTables.emptySlot), "")!, ABI.Trap.uninitializedElement)
        traps.trap(ABI.Trap.indirectCallMismatch)

        ir.position(at: matched)
        let code = LLVMBuildLoad2(ir.builder, ir.ptr, arrays.codeAddress(ofSlot: slot, ir), "")!
        vm.aliasTags.tag(code, .runtimeData)
        emitCall(type, code, context: vmContext, args, kind, convention: context.conventions.llvmID(ofCallsThrough: table))
    }

    mutating func callThroughRecord(_ record: LLVMValueRef, _ type: FunctionType, _ args: [LLVMValueRef], _ kind: WasmCallKind) {
        let code = vm.loadField(record, ABI.Func.code, ir.ptr, invariant: true)
        let calleeContext = vm.loadField(record, ABI.Func.context, ir.ptr, invariant: true)
        emitCall(type, code, context: calleeContext, args, kind)
    }

    /// Spends this function's inlining allowance on a call to `callee` if it is small enough and
    /// the allowance lasts (InliningBudget).
    private mutating func admitInlining(of callee: Int) -> Bool {
        let size = context.module.codes[callee].expression.count
        guard size <= InliningBudget.largestInlinedCallee, size <= inlineAllowance, context.makeInlinable(callee) else {
            return false
        }
        inlineAllowance -= size
        return true
    }

    /// Every call publishes the load witness first: the callee may trap or never return, and a
    /// tail call is this function's way out. A function that calls, tail calls included, checks
    /// the stack limit in its prologue (finishPrologue).
    /// The call instruction.
    @discardableResult
    private mutating func emitCall(
        _ type: FunctionType, _ callee: LLVMValueRef, context calleeContext: LLVMValueRef, _ args: [LLVMValueRef],
        _ kind: WasmCallKind, convention: UInt32? = nil
    ) -> LLVMValueRef {
        makesCalls = true
        loadWitness.publish()
        // Inside a try_table an ordinary call may unwind to its handler; a tail call has left this
        // frame, and with it the handler, by the time the callee runs.
        let call = ir.wasmCall(
            type, callee, context: calleeContext, args, kind, unwindTo: kind == .ordinary ? currentLandingPad() : nil,
            convention: convention)
        switch kind {
        case .ordinary:
            call.results.forEach { push($0) }
        case .tail:
            preventInliningOfThisFunction()
            markUnreachable()
        }
        return call.instruction
    }

    /// A function that makes tail calls is never inlined. Inlined at an ordinary call site, LLVM
    /// demotes its `musttail` calls to plain calls, which tail-recursion elimination may then
    /// turn into a loop (and tailcc into jumps): `f` calling `g` that tail-calls `f` would run
    /// forever in constant stack instead of exhausting it and trapping.
    private func preventInliningOfThisFunction() {
        let functionIndex = LLVMAttributeIndex(bitPattern: Int32(LLVMAttributeFunctionIndex))
        LLVMAddAttributeAtIndex(function, functionIndex, ir.enumAttribute("noinline"))
    }
}
