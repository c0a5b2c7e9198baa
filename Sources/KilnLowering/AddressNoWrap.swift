import CLLVM

/// Marks `x + c` as not wrapping (`nuw`) where an access to linear memory at `x` has just
/// succeeded, so that LLVM sees the Wasm address arithmetic of a loop as the 64-bit address
/// arithmetic it is and vectorises it.
///
/// Wasm computes addresses in i32, which wraps, and Kiln zero-extends the result: the address of
/// `p[j + 1]` is `zext(p + 8)`, not `zext(p) + 8`. Scalar evolution cannot tell that the two are
/// 8 bytes apart, so the loop vectoriser sees no consecutive accesses in `c[j] += a * b[j]`
/// unrolled by two and falls back to gathers and scatters (an i-k-j matrix multiply through
/// pointers ran 3.9x native -O2).
///
/// Why the flag is true. Every 32-bit linear memory is at most `maxMemoryBytes`: 65,535 pages,
/// one page short of 4 GiB (the runtime's implementation limit, `KILN_MEMORY32_MAX_PAGES` in
/// kiln_abi.h; the spec lets `memory.grow` fail and instantiation run out of resources). An access to
/// `zext(x) + offset` that did not trap therefore had `x < 2^32 - 65,536`, so `x + c` with
/// `0 < c <= 65,536` does not wrap. The access must come before the add in the same block: the
/// add is only reached when the access did not trap. Loads keep their traps at -O2 (the load
/// witness) and so do stores, so the access the argument rests on is never deleted; where LLVM
/// moves a store past later code (README, "Known deviations", 1), a trap was already late there.
public enum AddressNoWrap {
    /// The largest size of a 32-bit linear memory, in bytes.
    static let maxMemoryBytes = ABI.memory32MaxPages * ABI.wasmPageSize
    /// The largest constant whose addition to an in-bounds index cannot wrap.
    static let largestConstant: UInt64 = (1 << 32) - maxMemoryBytes

    public static func markNoWrapAdds(in module: LLVMModuleRef) {
        let context = LLVMGetModuleContext(module)!
        let tags = AliasTags.linearMemoryTags(context)
        let memoryTags: Set = [tags.store, tags.load]
        let tbaa = LLVMGetMDKindIDInContext(context, "tbaa", 4)
        let builder = LLVMCreateBuilderInContext(context)!
        defer { LLVMDisposeBuilder(builder) }
        for function in IRWalk.functions(of: module) {
            for block in IRWalk.blocks(of: function) {
                markNoWrapAdds(in: block, builder: builder) { access in
                    LLVMGetMetadata(access, tbaa).map(memoryTags.contains) ?? false
                }
            }
        }
    }

    /// Marks the adds of one block, and widens their zero extensions: `zext(x +nuw c)` becomes
    /// `zext(x) + c`, since scalar evolution folds a constant into a recurrence's start without
    /// the flag and would again see `zext(s + 8)`, not `zext(s) + 8`.
    private static func markNoWrapAdds(
        in block: LLVMBasicBlockRef, builder: LLVMBuilderRef, isLinearMemoryAccess: (LLVMValueRef) -> Bool
    ) {
        // Each index proven in bounds, with the `zext` of it that the access used, which comes
        // before every later instruction of the block and so dominates their users.
        var inBounds: [LLVMValueRef: LLVMValueRef] = [:]
        var instruction = LLVMGetFirstInstruction(block)
        while let current = instruction {
            instruction = LLVMGetNextInstruction(current)
            let address: LLVMValueRef? = if LLVMIsALoadInst(current) != nil {
                LLVMGetOperand(current, 0)
            } else if LLVMIsAStoreInst(current) != nil {
                LLVMGetOperand(current, 1)
            } else {
                nil
            }
            if let address, isLinearMemoryAccess(current), let extended = zeroExtendedIndex(of: address) {
                inBounds[LLVMGetOperand(extended, 0)] = extended
                continue
            }
            guard LLVMGetInstructionOpcode(current) == LLVMAdd,
                  let lhs = LLVMGetOperand(current, 0), let extendedLHS = inBounds[lhs],
                  let rhs = LLVMGetOperand(current, 1), LLVMIsAConstantInt(rhs) != nil else { continue }
            let constant = LLVMConstIntGetZExtValue(rhs)
            guard constant > 0, constant <= largestConstant else { continue }
            LLVMSetNUW(current, 1)
            for user in IRWalk.instructionUsers(of: current) where LLVMIsAZExtInst(user) != nil && LLVMTypeOf(user) == LLVMTypeOf(extendedLHS) {
                LLVMPositionBuilderBefore(builder, user)
                let sum = LLVMBuildNUWAdd(builder, extendedLHS, LLVMConstInt(LLVMTypeOf(user), constant, 0), "")!
                LLVMSetNSW(sum, 1)
                LLVMReplaceAllUsesWith(user, sum)
                LLVMInstructionEraseFromParent(user)
                if user == instruction { instruction = LLVMGetNextInstruction(sum) }
            }
        }
    }

    /// The `zext(x)` of an address `base + zext(x) + offset`, x an i32 and `offset >= 0` a constant,
    /// as lowering builds it (`effectiveAddress`) and as InstCombine may rewrite it. A typed GEP
    /// scales the index by its element's positive size, which only makes `x` smaller; another
    /// non-negative term added to it does too.
    private static func zeroExtendedIndex(of address: LLVMValueRef) -> LLVMValueRef? {
        var pointer = address
        while LLVMIsAGetElementPtrInst(pointer) != nil, LLVMGetNumOperands(pointer) == 2 {
            guard let offset = LLVMGetOperand(pointer, 1) else { return nil }
            if LLVMIsAConstantInt(offset) != nil {
                guard LLVMConstIntGetSExtValue(offset) >= 0, let inner = LLVMGetOperand(pointer, 0) else { return nil }
                pointer = inner
                continue
            }
            return zeroExtension(in: offset)
        }
        return nil
    }

    private static func zeroExtension(in offset: LLVMValueRef) -> LLVMValueRef? {
        var value = offset
        if LLVMIsAInstruction(value) != nil, LLVMGetInstructionOpcode(value) == LLVMAdd,
           let constant = LLVMGetOperand(value, 1), LLVMIsAConstantInt(constant) != nil,
           LLVMConstIntGetSExtValue(constant) >= 0 {
            value = LLVMGetOperand(value, 0)
        }
        guard LLVMIsAZExtInst(value) != nil, let index = LLVMGetOperand(value, 0),
              LLVMGetTypeKind(LLVMTypeOf(index)) == LLVMIntegerTypeKind, LLVMGetIntTypeWidth(LLVMTypeOf(index)) == 32
        else { return nil }
        return value
    }
}
