import CLLVM

/// Retires the load witness after the last IR pass: each value it still holds is handed to an
/// empty `asm sideeffect` that takes the value in a register where it is computed, and the
/// accumulators, their phis and the publishes go.
///
/// The witness (LoadWitness) is made for LLVM's IR passes, which delete a load whose value they
/// find unused and sink one past a trap. Once they have run, only the code generator is left, and
/// for it a use at a fixed place does the same work for nothing: an inline-asm statement with side
/// effects is never deleted, and never moved across a call, a store or another such statement
/// (SelectionDAG chains it after every load before it; the machine passes treat it as a barrier).
/// Its operand must be in a register, so the load it takes is emitted whole, where it was:
/// neither deleted, narrowed nor sunk past the statement, and so not past any trap, call or
/// return after it. The statement emits no instruction. What the code generator no longer sees
/// is what the witness cost there: an addition per load, its accumulators' registers round every
/// loop, and a read-modify-write of the cell before every call, trap and return.
///
/// A value is kept right after the instruction that computes it, which is no later than the
/// witness took it (its plumbing uses the value, and every way on from there publishes). Most are
/// loads; the rest are whatever the passes folded a load into before it reached the plumbing (the
/// vectoriser's reduction of a vector accumulator, say).
public enum LoadWitnessRetirement {
    public static func retire(in module: LLVMModuleRef) {
        guard let cell = LLVMGetNamedGlobal(module, LoadWitness.symbol) else { return }
        let builder = LLVMCreateBuilderInContext(LLVMGetModuleContext(module))!
        defer { LLVMDisposeBuilder(builder) }
        for function in IRWalk.functions(of: module) {
            retire(in: function, cell: cell, builder)
        }
        if LLVMGetFirstUse(cell) == nil { LLVMDeleteGlobal(cell) }
    }

    private static func retire(in function: LLVMValueRef, cell: LLVMValueRef, _ builder: LLVMBuilderRef) {
        let instructions = IRWalk.instructions(of: function)
        let witness = LoadWitness.Plumbing(of: instructions, cell: cell)
        guard !witness.sinks.isEmpty else { return }
        var keptWhereComputed: Set<LLVMValueRef> = []
        // In the function's order, not the sets': the same input must give the same code.
        for user in instructions where witness.instructions.contains(user) || witness.sinks.contains(user) {
            for value in heldValues(of: user) where !witness.instructions.contains(value) {
                if let place = placeRightAfter(value) {
                    let kept = extensionKeeping(load: value, place: place, outside: witness.instructions, builder) ?? value
                    guard keptWhereComputed.insert(kept).inserted else { continue }
                    LLVMPositionBuilderBefore(builder, placeRightAfter(kept)!)
                    keepInRegister(kept, builder)
                } else {
                    for place in placesBefore(user, using: value) {
                        LLVMPositionBuilderBefore(builder, place)
                        keepInRegister(value, builder)
                    }
                }
            }
        }
        for store in witness.sinks { LLVMInstructionEraseFromParent(store) }
        for instruction in witness.instructions {
            LLVMReplaceAllUsesWith(instruction, LLVMGetPoison(LLVMTypeOf(instruction)))
        }
        for instruction in witness.instructions { LLVMInstructionEraseFromParent(instruction) }
    }

    /// The values an instruction of the witness takes in: a store's value (not the cell's
    /// address), a read of the cell nothing; every operand of the rest, constants left out.
    private static func heldValues(of instruction: LLVMValueRef) -> [LLVMValueRef] {
        let operands: [LLVMValueRef]
        if LLVMIsAStoreInst(instruction) != nil {
            operands = [LLVMGetOperand(instruction, 0)!]
        } else if LLVMIsALoadInst(instruction) != nil {
            operands = []
        } else {
            operands = (0..<UInt32(max(0, LLVMGetNumOperands(instruction)))).compactMap { LLVMGetOperand(instruction, $0) }
        }
        return operands.filter { LLVMIsConstant($0) == 0 && LLVMIsABasicBlock($0) == nil }
    }

    /// The instruction before which a use of `value` comes right after it is computed, if there
    /// is one: after the phis of its block for a phi, none for an argument or a terminator's
    /// result (an `invoke`'s), or in a block that begins with an exception pad.
    private static func placeRightAfter(_ value: LLVMValueRef) -> LLVMValueRef? {
        guard LLVMIsAInstruction(value) != nil, LLVMIsATerminatorInst(value) == nil else { return nil }
        var next = LLVMGetNextInstruction(value)
        while let instruction = next, LLVMIsAPHINode(instruction) != nil { next = LLVMGetNextInstruction(instruction) }
        guard let place = next, LLVMIsALandingPadInst(place) == nil, LLVMIsACatchPadInst(place) == nil,
              LLVMIsACleanupPadInst(place) == nil, LLVMIsACatchSwitchInst(place) == nil else { return nil }
        return place
    }

    /// For a load that a sign or zero extension in its block widens, that extension, moved up to
    /// right after the load: keeping the wider value keeps the load as surely (the extension
    /// needs it), and leaves the load's only use in the block to the extension, so that the code
    /// generator folds the two into one instruction (`movsbl` from memory instead of a `movzbl`
    /// to a register and a `movsbl` of it: base64's decoder has four such loads an iteration).
    /// Nothing for any other value, or for an extension wider than one general register; never
    /// one of the witness' own instructions, which go.
    private static func extensionKeeping(
        load value: LLVMValueRef, place: LLVMValueRef, outside witness: Set<LLVMValueRef>, _ builder: LLVMBuilderRef
    ) -> LLVMValueRef? {
        guard LLVMIsALoadInst(value) != nil, LLVMGetTypeKind(LLVMTypeOf(value)) == LLVMIntegerTypeKind else { return nil }
        let block = LLVMGetInstructionParent(value)
        let extensions = Set(IRWalk.instructionUsers(of: value).filter {
            (LLVMIsASExtInst($0) != nil || LLVMIsAZExtInst($0) != nil) && LLVMGetInstructionParent($0) == block
                && LoadWitness.bitWidth(of: LLVMTypeOf($0)) <= 64 && !witness.contains($0)
        })
        guard !extensions.isEmpty else { return nil }
        // It depends on the load alone, so it can move up to it; the first after the load moves least.
        var next = LLVMGetNextInstruction(value)
        while let instruction = next, !extensions.contains(instruction) { next = LLVMGetNextInstruction(instruction) }
        guard let widened = next else { return nil }
        if widened != place {
            LLVMInstructionRemoveFromParent(widened)
            LLVMPositionBuilderBefore(builder, place)
            LLVMInsertIntoBuilder(builder, widened)
        }
        return widened
    }

    /// Where a use of `value` comes just before `user` does: before the user, or for a phi
    /// before the end of each block it takes the value from.
    private static func placesBefore(_ user: LLVMValueRef, using value: LLVMValueRef) -> [LLVMValueRef] {
        guard LLVMIsAPHINode(user) != nil else { return [user] }
        return (0..<LLVMCountIncoming(user)).compactMap { index in
            LLVMGetIncomingValue(user, index) == value ? LLVMGetBasicBlockTerminator(LLVMGetIncomingBlock(user, index)) : nil
        }
    }

    /// Emits, at the builder, the empty statements that take `value` in registers: integers and
    /// vectors of up to 64 bits in one general register, floats in a vector register, wider
    /// values in 128-bit pieces, each in a vector register (an odd last 64 bits in a general one). Anything else (no Wasm load gives one) goes to a volatile
    /// stack slot instead, slower but as sure.
    private static func keepInRegister(_ value: LLVMValueRef, _ builder: LLVMBuilderRef) {
        let context = LLVMGetTypeContext(LLVMTypeOf(value))!
        let type = LLVMTypeOf(value)!
        let bits = LoadWitness.bitWidth(of: type)
        switch LLVMGetTypeKind(type) {
        case LLVMIntegerTypeKind where bits <= 64, LLVMPointerTypeKind:
            let register = [8, 16, 32, 64].contains(bits) || LLVMGetTypeKind(type) == LLVMPointerTypeKind
                ? value : LLVMBuildZExt(builder, value, LLVMIntTypeInContext(context, bits <= 8 ? 8 : 64), "")!
            emitUse(register, constraint: "r", builder)
        case LLVMFloatTypeKind, LLVMDoubleTypeKind:
            emitUse(value, constraint: "x", builder)
        case LLVMVectorTypeKind where [8, 16, 32, 64].contains(bits):
            emitUse(LLVMBuildBitCast(builder, value, LLVMIntTypeInContext(context, UInt32(bits)), "")!, constraint: "r", builder)
        case LLVMIntegerTypeKind where bits % 64 == 0, LLVMVectorTypeKind where bits % 64 == 0:
            let count = bits / 64
            let lanes = LLVMBuildBitCast(builder, value, LLVMVectorType(LLVMInt64TypeInContext(context), UInt32(count)), "")!
            for first in stride(from: 0, to: count, by: 2) {
                if first + 1 == count {
                    emitUse(LLVMBuildExtractElement(builder, lanes, lane(first, context), "")!, constraint: "r", builder)
                } else if count == 2 {
                    emitUse(lanes, constraint: "x", builder)
                } else {
                    var pair = [lane(first, context), lane(first + 1, context)]
                    let piece = LLVMBuildShuffleVector(builder, lanes, LLVMGetPoison(LLVMTypeOf(lanes)), LLVMConstVector(&pair, 2), "")!
                    emitUse(piece, constraint: "x", builder)
                }
            }
        default:
            LLVMSetVolatile(LLVMBuildStore(builder, value, stackSlot(type, builder)), 1)
        }
    }

    private static func lane(_ index: Int, _ context: LLVMContextRef) -> LLVMValueRef? {
        LLVMConstInt(LLVMInt32TypeInContext(context), UInt64(index), 0)
    }

    /// A slot in the entry block of the builder's function, so that a loop does not grow the stack.
    private static func stackSlot(_ type: LLVMTypeRef, _ builder: LLVMBuilderRef) -> LLVMValueRef {
        let function = LLVMGetBasicBlockParent(LLVMGetInsertBlock(builder))!
        let entry = LLVMCreateBuilderInContext(LLVMGetTypeContext(type))!
        defer { LLVMDisposeBuilder(entry) }
        LLVMPositionBuilderBefore(entry, LLVMGetFirstInstruction(LLVMGetEntryBasicBlock(function))!)
        return LLVMBuildAlloca(entry, type, "")!
    }

    /// `asm sideeffect "", constraint(value)`: no instruction, but a use nothing deletes or moves.
    private static func emitUse(_ value: LLVMValueRef, constraint: String, _ builder: LLVMBuilderRef) {
        var parameters = [LLVMTypeOf(value)]
        let type = LLVMFunctionType(LLVMVoidTypeInContext(LLVMGetTypeContext(LLVMTypeOf(value))), &parameters, 1, 0)!
        let statement = LLVMGetInlineAsm(type, "", 0, constraint, constraint.utf8.count, 1, 0, LLVMInlineAsmDialectATT, 0)!
        var arguments = [value as LLVMValueRef?]
        let call = LLVMBuildCall2(builder, type, statement, &arguments, 1, "")!
        LLVMAddCallSiteAttribute(call, LLVMAttributeIndex(bitPattern: Int32(LLVMAttributeFunctionIndex)), nounwind(LLVMGetTypeContext(LLVMTypeOf(value))))
    }

    private static func nounwind(_ context: LLVMContextRef) -> LLVMAttributeRef {
        let kind = LLVMGetEnumAttributeKindForName("nounwind", 8)
        return LLVMCreateEnumAttribute(context, kind, 0)
    }
}
