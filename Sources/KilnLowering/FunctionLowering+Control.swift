import CLLVM
import KilnFrontend
import WasmParser
import WasmTypes

/// A structured-control frame of the lowering (the validator keeps its own, typed one).
///
/// Values flow between blocks through phis: branches to a block/if/function label add incoming
/// values to `mergePhis` in `mergeBlock`; branches to a loop label add them to `latchPhis`.
struct ControlFrame {
    enum Kind { case function, block, loop, ifThen, ifElse, tryTable, legacyTry, legacyCatch }

    var kind: Kind
    let signature: FunctionType
    /// Operand stack height below the frame's parameters.
    let stackBase: Int
    /// Where `br` to this label goes: the loop's latch for loops, `mergeBlock` otherwise.
    let branchTarget: LLVMBasicBlockRef?
    /// The block after `end`.
    let mergeBlock: LLVMBasicBlockRef?
    let mergePhis: [LLVMValueRef]
    var headerPhis: [LLVMValueRef] = []
    /// For `loop`: its header, and the one block every branch to the label goes through (the
    /// loop's only latch), with phis for the label's values and a count of the branches in.
    var loopHeader: LLVMBasicBlockRef? = nil
    var latchPhis: [LLVMValueRef] = []
    var backEdges = 0
    /// For `if`: where the false edge goes, the conditional branch that takes it, and the
    /// parameters the else arm starts with.
    var elseBlock: LLVMBasicBlockRef? = nil
    var ifBranch: LLVMValueRef? = nil
    var ifParameters: [LLVMValueRef] = []
    /// Number of edges into `mergeBlock`; none means the code after `end` is unreachable.
    var mergeEdges = 0
    var isReachable = true
    /// Opened in unreachable code: no IR exists for it at all.
    var isDead = false
    /// For `try_table`: its clauses, and the landing pad of the calls in its body once one exists.
    var catches: [CatchClause] = []
    var landingPad: LLVMBasicBlockRef? = nil
    /// For a legacy `try`: the caught exception and its tag (defined in the landing pad), where
    /// the next `catch` tests the tag (nil once a catch_all took everything), and in a handler
    /// body the exception `rethrow` throws again.
    var legacyException: LLVMValueRef? = nil
    var legacyTag: LLVMValueRef? = nil
    var dispatchCursor: LLVMBasicBlockRef? = nil

    var labelTypes: [ValueType] { kind == .loop ? signature.parameters : signature.results }
}

extension FunctionLowering {
    mutating func visitUnreachable() throws(WasmError) {
        try validator.visitUnreachable()
        guard isReachable else { return }
        traps.trap(ABI.Trap.unreachable)
        markUnreachable()
    }

    mutating func visitNop() throws(WasmError) {
        if context.module.legacyOpcode(at: binaryOffset) != nil { return try visitLegacyCatchAll() }
        try validator.visitNop()
    }

    mutating func visitBlock(blockType: BlockType) throws(WasmError) {
        if context.module.legacyOpcode(at: binaryOffset) != nil { return try visitLegacyTry(blockType: blockType) }
        try validator.visitBlock(blockType: blockType)
        openBlockFrame(.block, try context.module.blockSignature(blockType), "block.end")
    }

    /// Opens a frame whose label is its end, as `block` has (try_table and legacy try too): a
    /// dead frame in unreachable code. The new frame is on top of `frames`.
    mutating func openBlockFrame(_ kind: ControlFrame.Kind, _ type: FunctionType, _ endName: String) {
        guard isReachable else { return pushDeadFrame(kind, type) }
        let merge = ir.appendBlock(endName, to: function)
        frames.append(ControlFrame(
            kind: kind, signature: type, stackBase: stack.count - type.parameters.count,
            branchTarget: merge, mergeBlock: merge, mergePhis: makePhis(in: merge, for: type.results)))
    }

    mutating func visitLoop(blockType: BlockType) throws(WasmError) {
        try validator.visitLoop(blockType: blockType)
        let type = try context.module.blockSignature(blockType)
        guard isReachable else { return pushDeadFrame(.loop, type) }
        let header = ir.appendBlock("loop", to: function)
        // Every branch to the label enters one latch block, which alone jumps back to the header.
        // An interpreter's dispatch loop has thousands of branches back; as thousands of latches
        // they make LLVM's loop passes and instcombine quadratic in the function's size (60 s
        // instead of 2 for a 0.5 MB interpreter), and LoopSimplify merges no more than eight.
        let latch = ir.appendBlock("loop.continue", to: function)
        let merge = ir.appendBlock("loop.end", to: function)
        let entering = pop(type.parameters.count)
        let predecessor = LLVMGetInsertBlock(ir.builder)!
        LLVMBuildBr(ir.builder, header)
        var frame = ControlFrame(
            kind: .loop, signature: type, stackBase: stack.count,
            branchTarget: latch, mergeBlock: merge, mergePhis: makePhis(in: merge, for: type.results))
        frame.loopHeader = header
        frame.headerPhis = makePhis(in: header, for: type.parameters)
        frame.latchPhis = makePhis(in: latch, for: type.parameters)
        for (phi, value) in zip(frame.headerPhis, entering) { addIncoming(phi, value, from: predecessor) }
        ir.position(at: header)
        stack.append(contentsOf: frame.headerPhis)
        frames.append(frame)
    }

    mutating func visitIf(blockType: BlockType) throws(WasmError) {
        try validator.visitIf(blockType: blockType)
        let type = try context.module.blockSignature(blockType)
        guard isReachable else { return pushDeadFrame(.ifThen, type) }
        let condition = pop()
        let thenBlock = ir.appendBlock("then", to: function)
        let elseBlock = ir.appendBlock("else", to: function)
        let merge = ir.appendBlock("if.end", to: function)
        let ifBranch = LLVMBuildCondBr(ir.builder, isNonZero(condition), thenBlock, elseBlock)
        var frame = ControlFrame(
            kind: .ifThen, signature: type, stackBase: stack.count - type.parameters.count,
            branchTarget: merge, mergeBlock: merge, mergePhis: makePhis(in: merge, for: type.results))
        frame.elseBlock = elseBlock
        frame.ifBranch = ifBranch
        frame.ifParameters = Array(stack.suffix(type.parameters.count))
        frames.append(frame)
        ir.position(at: thenBlock)
    }

    mutating func visitElse() throws(WasmError) {
        try validator.visitElse()
        let index = frames.count - 1
        guard !frames[index].isDead else { return }
        if frames[index].isReachable { branchToMerge(ofFrameAt: index) }
        stack.removeLast(stack.count - frames[index].stackBase)
        stack.append(contentsOf: frames[index].ifParameters)
        frames[index].kind = .ifElse
        frames[index].isReachable = true
        ir.position(at: frames[index].elseBlock!)
    }

    mutating func visitEnd() throws(WasmError) {
        try validator.visitEnd()
        closeInnermostFrame()
    }

    /// The lowering half of `end` (and of a legacy `delegate`, which ends a try body too).
    mutating func closeInnermostFrame() {
        let index = frames.count - 1
        if !frames[index].isDead, frames[index].kind == .legacyTry || frames[index].kind == .legacyCatch {
            finishLegacyDispatch(ofFrameAt: index, handlerSearchBelow: index)
        }
        let frame = frames[index]
        if frame.isDead {
            frames.removeLast()
            return
        }
        if frame.isReachable { branchToMerge(ofFrameAt: index) }
        if frame.kind == .ifThen {
            // An `if` without `else` passes its parameters through (validation made them the
            // results): its false edge goes straight to the merge block instead of an empty arm.
            LLVMDeleteBasicBlock(frame.elseBlock!)
            LLVMSetSuccessor(frame.ifBranch!, 1, frame.mergeBlock!)
            addEdge(toFrameAt: index, values: frame.ifParameters, from: LLVMGetInstructionParent(frame.ifBranch!)!)
        }
        let merged = frames.removeLast()
        if merged.kind == .loop { closeLatch(of: merged) }
        stack.removeLast(stack.count - merged.stackBase)
        ir.position(at: merged.mergeBlock!)
        if merged.kind == .function {
            emitReturn(merged)
        } else if merged.mergeEdges == 0 {
            // Nothing reaches the code after this `end`.
            LLVMBuildUnreachable(ir.builder)
            markUnreachable()
        } else {
            stack.append(contentsOf: merged.mergePhis)
        }
    }

    mutating func visitBr(relativeDepth: UInt32) throws(WasmError) {
        if let legacy = context.module.legacyOpcode(at: binaryOffset) { return try visitLegacy(legacy, immediate: relativeDepth) }
        try validator.visitBr(relativeDepth: relativeDepth)
        guard isReachable else { return }
        branch(toLabel: Int(relativeDepth))
        markUnreachable()
    }

    mutating func visitBrIf(relativeDepth: UInt32) throws(WasmError) {
        try validator.visitBrIf(relativeDepth: relativeDepth)
        guard isReachable else { return }
        let condition = pop()
        branch(toLabel: Int(relativeDepth), if: isNonZero(condition), "br_if")
    }

    mutating func visitBrTable(targets: BrTable) throws(WasmError) {
        try validator.visitBrTable(targets: targets)
        guard isReachable else { return }
        let selector = pop()
        // One intermediate block per distinct label keeps each phi at one incoming edge per
        // predecessor; LLVM folds these blocks away.
        var edgeBlocks: [UInt32: LLVMBasicBlockRef] = [:]
        func edge(_ depth: UInt32) -> LLVMBasicBlockRef {
            if let block = edgeBlocks[depth] { return block }
            let block = ir.appendBlock("br_table.\(depth)", to: function)
            edgeBlocks[depth] = block
            return block
        }
        let defaultBlock = edge(targets.defaultIndex)
        let switchInstruction = LLVMBuildSwitch(ir.builder, selector, defaultBlock, UInt32(targets.labelIndices.count))!
        for (caseValue, depth) in targets.labelIndices.enumerated() {
            LLVMAddCase(switchInstruction, ir.i32(UInt32(caseValue)), edge(depth))
        }
        for (depth, block) in edgeBlocks.sorted(by: { $0.key < $1.key }) {
            ir.position(at: block)
            branch(toLabel: Int(depth))
        }
        markUnreachable()
    }

    mutating func visitReturn() throws(WasmError) {
        try validator.visitReturn()
        guard isReachable else { return }
        branch(toLabel: frames.count - 1)
        markUnreachable()
    }

    // MARK: Helpers

    /// Branches to the label `depth` frames out, passing the label's values from the stack top
    /// (they stay on the stack: br_if continues with them).
    mutating func branch(toLabel depth: Int) {
        let index = frames.count - 1 - depth
        branch(toFrameAt: index, values: Array(stack.suffix(frames[index].labelTypes.count)))
    }

    /// Branches to the label `depth` frames out when `condition` holds (br_if, br_on_null,
    /// br_on_non_null), passing the label's values from the stack top; lowering goes on in the
    /// block where it does not.
    mutating func branch(toLabel depth: Int, if condition: LLVMValueRef, _ name: String) {
        let index = frames.count - 1 - depth
        let values = Array(stack.suffix(frames[index].labelTypes.count))
        // The edge leaves from this block; the fall-through block is new, so it is the only one.
        let target = addEdge(toFrameAt: index, values: values, from: LLVMGetInsertBlock(ir.builder)!)
        let notTaken = ir.appendBlock("\(name).else", to: function)
        LLVMBuildCondBr(ir.builder, condition, target, notTaken)
        ir.position(at: notTaken)
    }

    /// Branches to the label of the frame at `index` with `values`.
    mutating func branch(toFrameAt index: Int, values: [LLVMValueRef]) {
        LLVMBuildBr(ir.builder, addEdge(toFrameAt: index, values: values, from: LLVMGetInsertBlock(ir.builder)!))
    }

    /// Records an edge from `block` to the label of the frame at `index`, carrying `values`, and
    /// returns the block the edge must enter. The caller builds the branch, and it must be the
    /// only edge from `block` to that label (phis take one incoming value per predecessor).
    @discardableResult
    mutating func addEdge(toFrameAt index: Int, values: [LLVMValueRef], from block: LLVMBasicBlockRef) -> LLVMBasicBlockRef {
        if frames[index].kind == .loop {
            for (phi, value) in zip(frames[index].latchPhis, values) { addIncoming(phi, value, from: block) }
            frames[index].backEdges += 1
        } else {
            for (phi, value) in zip(frames[index].mergePhis, values) { addIncoming(phi, value, from: block) }
            frames[index].mergeEdges += 1
        }
        return frames[index].branchTarget!
    }

    /// Ends a loop's latch with the jump back to its header, placed after the loop's body, or
    /// removes it when nothing branches back.
    func closeLatch(of loop: ControlFrame) {
        let latch = loop.branchTarget!
        guard loop.backEdges > 0 else { return LLVMDeleteBasicBlock(latch) }
        LLVMMoveBasicBlockAfter(latch, LLVMGetLastBasicBlock(function))
        loadWitness.keepRoundLoop(headedBy: loop.loopHeader!)
        ir.position(at: latch)
        checkForInterrupt()
        consumeFuel()
        // The checks may have split the latch: the back edge leaves from the block it ends in.
        let backEdgeBlock = LLVMGetInsertBlock(ir.builder)!
        for (headerPhi, latchPhi) in zip(loop.headerPhis, loop.latchPhis) { addIncoming(headerPhi, latchPhi, from: backEdgeBlock) }
        let backEdge = LLVMBuildBr(ir.builder, loop.loopHeader!)!
        if !unrollsLoops { LoopUnrollBudget.disableUnrolling(of: backEdge, ir) }
    }

    /// Falls through from the end of a frame's body (or arm) into its merge block.
    mutating func branchToMerge(ofFrameAt index: Int) {
        let frame = frames[index]
        let values = Array(stack.suffix(frame.signature.results.count))
        let current = LLVMGetInsertBlock(ir.builder)!
        for (phi, value) in zip(frame.mergePhis, values) { addIncoming(phi, value, from: current) }
        frames[index].mergeEdges += 1
        LLVMBuildBr(ir.builder, frame.mergeBlock)
    }

    func emitReturn(_ frame: ControlFrame) {
        if frame.mergeEdges == 0 {
            LLVMBuildUnreachable(ir.builder)
            return
        }
        loadWitness.publish()
        ir.wasmReturn(signature, frame.mergePhis)
    }

    mutating func pushDeadFrame(_ kind: ControlFrame.Kind, _ type: FunctionType) {
        var frame = ControlFrame(
            kind: kind, signature: type, stackBase: stack.count, branchTarget: nil, mergeBlock: nil, mergePhis: [])
        frame.isDead = true
        frame.isReachable = false
        frames.append(frame)
    }

    func addIncoming(_ phi: LLVMValueRef, _ value: LLVMValueRef, from block: LLVMBasicBlockRef) {
        var value: LLVMValueRef? = value
        var block: LLVMBasicBlockRef? = block
        LLVMAddIncoming(phi, &value, &block, 1)
    }

    /// Wasm conditions are i32: any non-zero value is true. A condition that is a comparison's
    /// result widened to i32 (`i32.lt_s` then `br_if`) is tested as the comparison itself, which
    /// spares the fast tier a compare of a compare.
    func isNonZero(_ value: LLVMValueRef) -> LLVMValueRef {
        if LLVMIsAZExtInst(value) != nil, let bit = LLVMGetOperand(value, 0), LLVMTypeOf(bit) == ir.i1 { return bit }
        return LLVMBuildICmp(ir.builder, LLVMIntNE, value, ir.zero(LLVMTypeOf(value)), "")!
    }
}
