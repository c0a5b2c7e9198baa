import CLLVM
import KilnFrontend
import WasmParser
import WasmTypes

/// The legacy exception instructions (try, catch, catch_all, delegate, rethrow), lowered with the
/// machinery of try_table (FunctionLowering+Exceptions): calls in a try body unwind to its
/// landing pad. The handlers come after the body, so the pad's tag tests are added one `catch`
/// at a time, each where the previous one failed (`dispatchCursor`); whatever no handler takes
/// is thrown on at the try's `end`, and a `delegate` throws it on to the try it names.
///
/// A handler may `rethrow` its exception until it ends, so the exception is held by the instance
/// (freed with it) rather than freed when the handler ends: a program that catches exceptions in
/// a loop through this form uses memory for each until the instance is freed.
extension FunctionLowering {
    mutating func visitLegacy(_ opcode: UInt8, immediate: UInt32) throws(WasmError) {
        switch opcode {
        case LegacyExceptionOpcode.catch: try visitLegacyCatch(tagIndex: immediate)
        case LegacyExceptionOpcode.delegate: try visitLegacyDelegate(relativeDepth: immediate)
        default: try visitLegacyRethrow(relativeDepth: immediate)
        }
    }

    mutating func visitLegacyTry(blockType: BlockType) throws(WasmError) {
        try validator.visitLegacyTry(blockType: blockType)
        openBlockFrame(.legacyTry, try context.module.blockSignature(blockType), "try.end")
    }

    mutating func visitLegacyCatch(tagIndex: UInt32) throws(WasmError) {
        try validator.visitLegacyCatch(tagIndex: tagIndex)
        try startHandler { lowering, exception, tag in
            let next = lowering.ir.appendBlock("catch.next", to: lowering.function)
            let values = lowering.testTag(tag, of: exception, against: tagIndex, otherwise: next)
            return (values, next)
        }
    }

    mutating func visitLegacyCatchAll() throws(WasmError) {
        try validator.visitLegacyCatchAll()
        try startHandler { _, _, _ in ([], nil) }
    }

    mutating func visitLegacyDelegate(relativeDepth: UInt32) throws(WasmError) {
        try validator.visitLegacyDelegate(relativeDepth: relativeDepth)
        let index = frames.count - 1
        if !frames[index].isDead, let exception = frames[index].legacyException, let cursor = frames[index].dispatchCursor {
            let resume = LLVMGetInsertBlock(ir.builder)!
            ir.position(at: cursor)
            // The try `relativeDepth` labels out from this one takes what its body throws; if that
            // label is not a try in its body, the next one outside it does.
            rethrow(exception, toHandlerBelow: index - Int(relativeDepth))
            frames[index].dispatchCursor = nil
            ir.position(at: resume)
        }
        closeInnermostFrame()
    }

    mutating func visitLegacyRethrow(relativeDepth: UInt32) throws(WasmError) {
        try validator.visitLegacyRethrow(relativeDepth: relativeDepth)
        guard isReachable else { return }
        // Validation made the label a handler, and a reachable handler has caught something.
        guard let exception = frames[frames.count - 1 - Int(relativeDepth)].legacyException else { return markUnreachable() }
        loadWitness.publish()
        callRuntimeMayThrow(ABI.Runtime.throwRef, ir.functionType(ir.void, [ir.ptr, ir.ptr]), [exception])
        LLVMBuildUnreachable(ir.builder)
        markUnreachable()
    }

    /// Ends the try body (or the previous handler) and starts a handler where the landing pad's
    /// dispatch stands: `test` emits the handler's test there and returns the values the handler
    /// starts with and where the dispatch goes on (nil: this handler takes everything).
    private mutating func startHandler(
        _ test: (inout FunctionLowering, LLVMValueRef, LLVMValueRef) -> ([LLVMValueRef], LLVMBasicBlockRef?)
    ) throws(WasmError) {
        let index = frames.count - 1
        guard !frames[index].isDead else { return }
        if frames[index].isReachable { branchToMerge(ofFrameAt: index) }
        stack.removeLast(stack.count - frames[index].stackBase)
        frames[index].kind = .legacyCatch
        guard let exception = frames[index].legacyException, let tag = frames[index].legacyTag,
            let cursor = frames[index].dispatchCursor
        else {
            // Nothing in the body can throw, or a catch_all before took everything: dead code.
            frames[index].isReachable = false
            return
        }
        ir.position(at: cursor)
        let (values, next) = test(&self, exception, tag)
        frames[index].dispatchCursor = next
        holdException(exception)
        frames[index].isReachable = true
        stack.append(contentsOf: values)
    }

    /// At the end of a legacy try or handler: an exception no handler took goes on outward.
    mutating func finishLegacyDispatch(ofFrameAt index: Int, handlerSearchBelow limit: Int) {
        guard let exception = frames[index].legacyException, let cursor = frames[index].dispatchCursor else { return }
        let resume = LLVMGetInsertBlock(ir.builder)!
        ir.position(at: cursor)
        rethrow(exception, toHandlerBelow: limit)
        frames[index].dispatchCursor = nil
        ir.position(at: resume)
    }
}
