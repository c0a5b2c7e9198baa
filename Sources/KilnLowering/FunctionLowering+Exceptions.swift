import CLLVM
import KilnFrontend
import WasmParser
import WasmTypes

/// Exception handling (kiln_abi.h, "Exceptions"): `throw` and `throw_ref` call the runtime, which
/// raises through the unwinder; inside a `try_table` every call that may throw is an `invoke`
/// whose landing pad tests the exception's tag against the clauses in order and branches to the
/// first that matches, or throws it on to the enclosing handler.
///
/// Code outside any try_table keeps plain calls and no landing pads: exceptions pass through its
/// frames by the unwind tables alone, so a function that catches nothing pays nothing.
extension FunctionLowering {
    mutating func visitThrow(tagIndex: UInt32) throws(WasmError) {
        try validator.visitThrow(tagIndex: tagIndex)
        guard isReachable else { return }
        let parameters = tagParameters(tagIndex)
        let values = pop(parameters.count)
        let cells = exceptionCells(count: parameters.count)
        for (index, value) in values.enumerated() {
            LLVMBuildStore(ir.builder, value, ir.cell(cells, index))
        }
        loadWitness.publish()
        callRuntimeMayThrow(ABI.Runtime.throw, ir.functionType(ir.void, [ir.ptr, ir.i32, ir.ptr]),
                            [ir.i32(tagIndex), cells])
        LLVMBuildUnreachable(ir.builder)
        markUnreachable()
    }

    mutating func visitThrowRef() throws(WasmError) {
        try validator.visitThrowRef()
        guard isReachable else { return }
        let exception = pop()
        loadWitness.publish()
        callRuntimeMayThrow(ABI.Runtime.throwRef, ir.functionType(ir.void, [ir.ptr, ir.ptr]), [exception])
        LLVMBuildUnreachable(ir.builder)
        markUnreachable()
    }

    mutating func visitTryTable(blockType: BlockType, tryCatch: TryCatch) throws(WasmError) {
        try validator.visitTryTable(blockType: blockType, tryCatch: tryCatch)
        openBlockFrame(.tryTable, try context.module.blockSignature(blockType), "try_table.end")
        frames[frames.count - 1].catches = tryCatch.catches
    }

    // MARK: Calls that may throw

    /// The landing pad a call that may throw must unwind to: the innermost try_table's, or nil
    /// outside any.
    mutating func currentLandingPad() -> LLVMBasicBlockRef? {
        innermostHandler().map { landingPad(ofTryAt: $0) }
    }

    /// A call to a runtime entry that may raise: an `invoke` unwinding to the innermost
    /// try_table's landing pad, or a plain call outside any.
    private mutating func callMayThrow(_ type: LLVMTypeRef, _ callee: LLVMValueRef, _ args: [LLVMValueRef]) -> LLVMValueRef {
        guard let pad = currentLandingPad() else { return ir.call(type, callee, args) }
        let normal = ir.appendBlock("invoke.cont", to: function)
        let call = ir.invoke(type, callee, args, normal: normal, unwind: pad)
        ir.position(at: normal)
        return call
    }

    /// Calls a kiln_runtime_api entry point that may throw, with `args` after the kiln_vmctx.
    @discardableResult
    mutating func callRuntimeMayThrow(_ entry: UInt64, _ type: LLVMTypeRef, _ args: [LLVMValueRef]) -> LLVMValueRef {
        callMayThrow(type, vm.runtimeEntry(entry), [vm.runtimeContext] + args)
    }

    /// Index of the innermost frame below `limit` whose handlers cover the code inside it: a
    /// try_table, or a legacy try while in its body (not in its handlers).
    func innermostHandler(below limit: Int? = nil) -> Int? {
        var index = (limit ?? frames.count) - 1
        while index >= 0 {
            if frames[index].kind == .tryTable || frames[index].kind == .legacyTry, !frames[index].isDead { return index }
            index -= 1
        }
        return nil
    }

    /// The landing pad of the try at `index`, built on first use. A try_table's dispatches on the
    /// caught exception's tag, clause by clause, at once; a legacy try's clauses come after its
    /// body, so its pad only catches, and each `catch` adds its test where the last one failed.
    mutating func landingPad(ofTryAt index: Int) -> LLVMBasicBlockRef {
        if let pad = frames[index].landingPad { return pad }
        let pad = ir.appendBlock("catch", to: function)
        frames[index].landingPad = pad
        let resume = LLVMGetInsertBlock(ir.builder)!
        ir.position(at: pad)
        let exception = Personality.catchEverything(ir, in: function)
        let tag = vm.loadField(exception, ABI.Exception.tag, ir.ptr, invariant: false)
        if frames[index].kind == .legacyTry {
            (frames[index].legacyException, frames[index].legacyTag, frames[index].dispatchCursor) = (exception, tag, pad)
            ir.position(at: resume)
            return pad
        }
        for clause in frames[index].catches {
            let (tagIndex, label, byReference): (UInt32?, UInt32, Bool) = switch clause {
            case .catch(let tag, let label): (tag, label, false)
            case .catchRef(let tag, let label): (tag, label, true)
            case .catchAll(let label): (nil, label, false)
            case .catchAllRef(let label): (nil, label, true)
            }
            var values: [LLVMValueRef] = []
            var next: LLVMBasicBlockRef? = nil
            if let tagIndex {
                next = ir.appendBlock("catch.next", to: function)
                values = testTag(tag, of: exception, against: tagIndex, otherwise: next!)
            }
            if byReference {
                holdException(exception)
                values.append(exception)
            } else {
                vm.callRuntime(ABI.Runtime.exceptionRelease, ir.functionType(ir.void, [ir.ptr, ir.ptr]), [exception])
            }
            // Clause labels are relative to the try_table's enclosing context.
            branch(toFrameAt: index - 1 - Int(label), values: values)
            guard let next else { break }  // a catch_all: later clauses never run
            ir.position(at: next)
        }
        if LLVMGetBasicBlockTerminator(LLVMGetInsertBlock(ir.builder)) == nil {
            // No clause matched: on to the enclosing handler, or out of the function.
            rethrow(exception, toHandlerBelow: index)
        }
        ir.position(at: resume)
        return pad
    }

    /// Continues in a new block when `tag` is tag `tagIndex`, with the exception's values loaded
    /// there; goes to `otherwise` when it is not.
    func testTag(_ tag: LLVMValueRef, of exception: LLVMValueRef, against tagIndex: UInt32, otherwise: LLVMBasicBlockRef) -> [LLVMValueRef] {
        let matched = ir.appendBlock("catch.match", to: function)
        let expected = vm.arrayElement(ABI.VMContext.tags, tagIndex)
        LLVMBuildCondBr(ir.builder, LLVMBuildICmp(ir.builder, LLVMIntEQ, tag, expected, "")!, matched, otherwise)
        ir.position(at: matched)
        let cells = vm.loadField(exception, ABI.Exception.values, ir.ptr, invariant: false)
        return tagParameters(tagIndex).enumerated().map { position, parameter in
            LLVMBuildLoad2(ir.builder, ir.type(of: parameter), ir.cell(cells, position), "")!
        }
    }

    /// An exnref (or a legacy `rethrow`) may name the exception from now on.
    func holdException(_ exception: LLVMValueRef) {
        vm.callRuntime(ABI.Runtime.exceptionHold, ir.functionType(ir.void, [ir.ptr, ir.ptr]), [exception])
    }

    /// Throws `exception` on to the innermost handler below frame `limit`, or out of the
    /// function; ends the block.
    mutating func rethrow(_ exception: LLVMValueRef, toHandlerBelow limit: Int) {
        let type = ir.functionType(ir.void, [ir.ptr, ir.ptr])
        let throwRef = vm.runtimeEntry(ABI.Runtime.throwRef)
        if let outer = innermostHandler(below: limit) {
            let unreachableBlock = ir.appendBlock("rethrow.cont", to: function)
            _ = ir.invoke(type, throwRef, [vm.runtimeContext, exception], normal: unreachableBlock, unwind: landingPad(ofTryAt: outer))
            ir.position(at: unreachableBlock)
        } else {
            _ = ir.call(type, throwRef, [vm.runtimeContext, exception])
        }
        LLVMBuildUnreachable(ir.builder)
    }

    /// The tag's parameters; validation has checked the index before any lowering names it.
    func tagParameters(_ tagIndex: UInt32) -> [ValueType] {
        let module = context.module
        return module.types[Int(module.allTagTypeIndices[Int(tagIndex)])].parameters
    }

    /// Cells (kiln_cell) for an exception's values, in the entry block so they are one fixed frame slot.
    private func exceptionCells(count: Int) -> LLVMValueRef {
        let current = LLVMGetInsertBlock(ir.builder)!
        ir.position(at: entryBlock)
        let cells = LLVMBuildArrayAlloca(ir.builder, ir.i8, ir.i32(UInt32(max(1, count) * ABI.cellSize)), "exception.values")!
        LLVMSetAlignment(cells, 16)
        ir.position(at: current)
        return cells
    }

}
