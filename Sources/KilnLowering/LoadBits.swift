import CLLVM

/// Which bits of a load a value still certainly depends on, step by step along its users, for
/// LoadWitnessRelease.
///
/// A load given up by its witness stays only as long as something needs its value. Needing "some
/// function of it" is not enough: the optimisation half and the code generator keep folding, and
/// with facts that simplification did not have (unrolled constants, SelectionDAG's known bits
/// through vector bitcasts and shuffles) they decide comparisons, selects and masks, and then
/// delete the load (smith seed 1000119: an `i8x16.bitmask` of a splatted `all_true` is always 0,
/// which only the code generator saw). They also narrow a load to the bytes whose bits are
/// needed, and a narrower load at the same address does not fault where the whole one straddles
/// the end of memory.
///
/// So a load bit counts as needed only when flipping it, all else fixed, certainly changes the
/// value that reaches an instruction nothing can delete; no fold can then remove it, whatever it
/// learns about the other operands. Integer values track where each such bit sits (`exact`):
/// shifts and multiplications by constants move it, constant masks and truncation keep or drop
/// it, and add, sub, xor and disjoint or keep it where it is (flipping an operand's lowest
/// changed bit flips the same bit of the sum). Other values (vectors, floats, addresses) only
/// carry a set of bits (`mixed`), through operations whose result depends on every bit of the
/// operand: casts, integer add, sub and xor, IEEE arithmetic unless the other operand is a NaN,
/// and the scalar of an insertelement.
enum LoadBits: Equatable {
    /// Position in the value (bit index) -> the load bit it carries there.
    case exact([Int: Int])
    /// Load bits the value depends on, positions unknown.
    case mixed(Set<Int>)

    var bits: Set<Int> {
        switch self {
        case .exact(let positions): Set(positions.values)
        case .mixed(let bits): bits
        }
    }

    /// The whole of a loaded value of `width` bits.
    static func whole(_ load: LLVMValueRef, width: Int) -> LoadBits {
        let positions = Dictionary(uniqueKeysWithValues: (0..<width).map { ($0, $0) })
        return LLVMGetTypeKind(LLVMTypeOf(load)) == LLVMIntegerTypeKind ? .exact(positions) : .mixed(Set(positions.keys))
    }

    enum Step {
        /// The user needs these load bits and cannot be deleted: a store of the value or through
        /// it (not into a local slot, which can vanish), a call that may have effects, a return,
        /// a load through it that is itself kept. (LoadWitnessRelease also counts a phi that
        /// takes the value from the load's block.)
        case anchor(Set<Int>)
        /// The user's result still depends on these load bits: follow its users.
        case carrier(LoadBits)
        case neither
    }

    /// How `user` passes on `self`, the state of `value`, one of its operands. `isKeptLoad` tells
    /// whether a load whose address depends on the value stays; `dependsOnLoad`, whether another
    /// operand depends on the same load too (then `(x + a) - (x + b)` may fold to `a - b`).
    func step(to user: LLVMValueRef, from value: LLVMValueRef, isKeptLoad: (LLVMValueRef) -> Bool,
              dependsOnLoad: (LLVMValueRef) -> Bool) -> Step {
        if bits.isEmpty { return .neither }
        if LLVMIsAStoreInst(user) != nil { return Self.isIntoAlloca(LLVMGetOperand(user, 1)) ? .neither : .anchor(bits) }
        if LLVMIsALoadInst(user) != nil { return isKeptLoad(user) ? .anchor(bits) : .neither }
        if LLVMIsAReturnInst(user) != nil { return .anchor(bits) }
        if LLVMIsACallInst(user) != nil || LLVMIsAInvokeInst(user) != nil {
            if Self.isNaNPropagating(user) { return .carrier(.mixed(bits)) }
            return Self.mayHaveEffects(user) ? .anchor(bits) : .neither
        }
        if LLVMIsAFreezeInst(user) != nil { return .carrier(self) }
        let opcode = LLVMGetInstructionOpcode(user)
        let isInteger = LLVMGetTypeKind(LLVMTypeOf(user)) == LLVMIntegerTypeKind
        let width = isInteger ? Int(LLVMGetIntTypeWidth(LLVMTypeOf(user))) : 0
        let other = Self.otherOperand(of: user, than: value)
        // For integer operations the other operand must not depend on the same load.
        let independent = other.flatMap { dependsOnLoad($0) ? nil : $0 }
        switch opcode {
        case LLVMZExt, LLVMSExt:
            return .carrier(self)
        case LLVMTrunc:
            return .carrier(kept { $0 < width ? $0 : nil })
        case LLVMBitCast:
            return .carrier(isInteger && LLVMGetTypeKind(LLVMTypeOf(value)) == LLVMIntegerTypeKind ? self : .mixed(bits))
        case LLVMAdd, LLVMSub, LLVMXor:
            // x - x and x ^ x do not depend on x (nor do (x + a) - (x + b) on it). But x ^ (x >> k),
            // x ^ (x << k), x ± (x << k) and (x << k) - x (x times an odd number) are bijections of x, as in
            // xorshift and hash mixing: no fold makes them independent of any bit of x.
            if isInteger, let other, Self.isShift(other, of: value, width: width),
               opcode == LLVMXor || LLVMGetInstructionOpcode(other) == LLVMShl {
                return .carrier(.mixed(bits))
            }
            guard independent != nil else { return .neither }
            return .carrier(isInteger ? self : .mixed(bits))
        case LLVMOr:
            // Disjoint: no bit set in both, so it is an add. Otherwise a bit survives where the
            // other operand's is certainly 0.
            guard let other = independent, isInteger else { return .neither }
            if LLVMGetIsDisjoint(user) != 0 { return .carrier(self) }
            let zeros = Self.certainZeros(other, 0)
            return .carrier(kept { zeros >> UInt64($0) & 1 == 1 ? $0 : nil })
        case LLVMAnd:
            guard isInteger, let mask = Self.constant(other) else { return .neither }
            return .carrier(kept { mask >> UInt64($0) & 1 == 1 ? $0 : nil })
        case LLVMShl, LLVMLShr, LLVMAShr:
            guard isInteger, LLVMGetOperand(user, 0) == value, let amount = Self.constant(LLVMGetOperand(user, 1)),
                  amount < UInt64(width) else { return .neither }
            let shift = opcode == LLVMShl ? Int(amount) : -Int(amount)
            return .carrier(kept { (0..<width).contains($0 + shift) ? $0 + shift : nil })
        case LLVMMul:
            // Times odd * 2^k: a shift by k, then a bijection that keeps the lowest changed bit.
            guard isInteger, let factor = Self.constant(other), factor != 0 else { return .neither }
            let shift = factor.trailingZeroBitCount
            return .carrier(kept { $0 + shift < width ? $0 + shift : nil })
        case LLVMFNeg:
            return .carrier(.mixed(bits))
        case LLVMFAdd, LLVMFSub, LLVMFMul, LLVMFDiv:
            // Unless the other operand is a NaN constant, the result is a NaN only when an operand
            // is, so no fold without fast-math flags (which Wasm never has) makes it constant,
            // even when both operands come from x (x - x is 0 or NaN). Floats are not narrowed.
            guard !Self.mayBeNaNConstant(other ?? value) else { return .neither }
            return .carrier(.mixed(bits))
        case LLVMInsertElement:
            // The inserted scalar lands in the result; the vector operand may be overwritten.
            return LLVMGetOperand(user, 1) == value && LLVMGetOperand(user, 0) != value ? .carrier(.mixed(bits)) : .neither
        case LLVMGetElementPtr:
            // An index times a constant element size, or the base: an address that moves with
            // every carried bit (indices are 64-bit extensions of 32-bit values).
            return .carrier(.mixed(bits))
        default:
            return .neither
        }
    }

    /// Exact positions mapped through `move` (nil: the bit is lost); a mixed value cannot say
    /// which of its bits a position operation keeps, so it keeps none.
    private func kept(_ move: (Int) -> Int?) -> LoadBits {
        guard case .exact(let positions) = self else { return .mixed([]) }
        var result: [Int: Int] = [:]
        for (position, bit) in positions { if let moved = move(position) { result[moved] = bit } }
        return .exact(result)
    }

    /// The other operand of a binary operation, nil when both are `value`.
    private static func otherOperand(of user: LLVMValueRef, than value: LLVMValueRef) -> LLVMValueRef? {
        guard LLVMGetNumOperands(user) == 2 else { return nil }
        let (lhs, rhs) = (LLVMGetOperand(user, 0)!, LLVMGetOperand(user, 1)!)
        if lhs == value && rhs == value { return nil }
        return lhs == value ? rhs : lhs
    }

    /// Whether `shifted` is `value` shifted left or right (logically) by a constant in 1..<width.
    private static func isShift(_ shifted: LLVMValueRef, of value: LLVMValueRef, width: Int) -> Bool {
        guard LLVMIsAInstruction(shifted) != nil, [LLVMShl, LLVMLShr].contains(LLVMGetInstructionOpcode(shifted)),
              LLVMGetOperand(shifted, 0) == value, let amount = constant(LLVMGetOperand(shifted, 1)) else { return false }
        return amount > 0 && amount < UInt64(width)
    }

    /// Bits of an integer value (of at most 64 bits) that are 0 in every execution, from the
    /// shape of its computation: fewer than LLVM may know, never more, so a load bit kept where
    /// they are 0 really reaches the result.
    private static func certainZeros(_ value: LLVMValueRef, _ depth: Int) -> UInt64 {
        if let constant = constant(value) { return ~constant }
        guard depth < 8, LLVMIsAInstruction(value) != nil,
              LLVMGetTypeKind(LLVMTypeOf(value)) == LLVMIntegerTypeKind else { return 0 }
        let width = LLVMGetIntTypeWidth(LLVMTypeOf(value))
        guard width <= 64 else { return 0 }
        let beyond: UInt64 = width == 64 ? 0 : ~0 << UInt64(width)
        let operand = { (index: UInt32) in LLVMGetOperand(value, index)! }
        switch LLVMGetInstructionOpcode(value) {
        case LLVMZExt:
            let source = LLVMGetIntTypeWidth(LLVMTypeOf(operand(0)))
            guard LLVMGetTypeKind(LLVMTypeOf(operand(0))) == LLVMIntegerTypeKind, source < 64 else { return 0 }
            return (certainZeros(operand(0), depth + 1) & ~(~0 << UInt64(source))) | (~0 << UInt64(source)) | beyond
        case LLVMShl:
            guard let amount = constant(operand(1)), amount < UInt64(width) else { return 0 }
            return (certainZeros(operand(0), depth + 1) << amount) | ~(~0 << amount) | beyond
        case LLVMLShr:
            guard let amount = constant(operand(1)), amount < UInt64(width) else { return 0 }
            let shifted = (certainZeros(operand(0), depth + 1) | beyond) >> amount
            return shifted | ~(~0 >> amount) | beyond
        case LLVMAnd:
            return certainZeros(operand(0), depth + 1) | certainZeros(operand(1), depth + 1)
        case LLVMOr, LLVMXor:
            return certainZeros(operand(0), depth + 1) & certainZeros(operand(1), depth + 1)
        default:
            return beyond
        }
    }

    /// `llvm.sqrt` (a NaN only for a NaN or a negative operand) and the arithmetic-NaN marker
    /// (`ArithmeticNaN`, which becomes its operand or a NaN test of it): never folded for an
    /// unknown operand.
    private static func isNaNPropagating(_ call: LLVMValueRef) -> Bool {
        guard let callee = LLVMGetCalledValue(call), LLVMIsAFunction(callee) != nil else { return false }
        return nanPropagatingIntrinsics.contains(LLVMGetIntrinsicID(callee))
    }

    private static let nanPropagatingIntrinsics = IRWalk.intrinsicIDs("llvm.sqrt", ArithmeticNaN.marker)

    /// An integer constant of at most 64 bits.
    private static func constant(_ value: LLVMValueRef?) -> UInt64? {
        guard let value, LLVMIsAConstantInt(value) != nil, LLVMGetIntTypeWidth(LLVMTypeOf(value)) <= 64 else { return nil }
        return LLVMConstIntGetZExtValue(value)
    }

    /// A constant that is, or (being a vector or an expression) might contain, a NaN.
    private static func mayBeNaNConstant(_ value: LLVMValueRef) -> Bool {
        guard LLVMIsAConstant(value) != nil else { return false }
        guard LLVMIsAConstantFP(value) != nil else { return true }
        var losesInfo: LLVMBool = 0
        return LLVMConstRealGetDouble(value, &losesInfo).isNaN
    }

    static func isIntoAlloca(_ pointer: LLVMValueRef?) -> Bool {
        var current = pointer
        while let value = current, LLVMIsAGetElementPtrInst(value) != nil { current = LLVMGetOperand(value, 0) }
        return current.map { LLVMIsAAllocaInst($0) != nil } ?? false
    }

    /// Whether a call cannot be deleted when its result is unused: anything but an intrinsic or
    /// a callee known to return, not to unwind and to write no memory. A loop's keeper is none
    /// either: it goes before code generation wherever its loop can leave.
    static func mayHaveEffects(_ call: LLVMValueRef) -> Bool {
        guard let callee = LLVMGetCalledValue(call), LLVMIsAFunction(callee) != nil else { return true }
        if LLVMGetIntrinsicID(callee) != 0 || LoopWitnessKeeper.isKeeper(call) { return false }
        let index = LLVMAttributeIndex(bitPattern: Int32(LLVMAttributeFunctionIndex))
        func has(_ name: String) -> LLVMAttributeRef? {
            let kind = LLVMGetEnumAttributeKindForName(name, name.utf8.count)
            return LLVMGetEnumAttributeAtIndex(callee, index, kind) ?? LLVMGetCallSiteEnumAttribute(call, index, kind)
        }
        guard has("willreturn") != nil, has("nounwind") != nil, let memory = has("memory") else { return true }
        // MemoryEffects: two bits per location, the higher one "modifies".
        return LLVMGetEnumAttributeValue(memory) & 0xAAAA_AAAA != 0
    }
}
