import CLLVM
import KilnLLVM
import WasmParser
import WasmTypes

/// Float arithmetic, f32 and f64 alike. The helpers are shape-agnostic, so the SIMD lowering
/// reuses them for f32x4 and f64x2.
extension NumericLowering {
    func floatUnary(_ op: Instruction.Unary, _ x: LLVMValueRef) -> LLVMValueRef {
        switch op {
        // fabs and fneg are bitwise in LLVM (only the sign bit changes), as Wasm requires even
        // for NaNs, whose payload must survive.
        case .f32Abs, .f64Abs: return intrinsic("llvm.fabs", x)
        case .f32Neg, .f64Neg: return LLVMBuildFNeg(builder, x, "")
        case .f32Ceil, .f64Ceil: return intrinsic("llvm.ceil", x)
        case .f32Floor, .f64Floor: return intrinsic("llvm.floor", x)
        case .f32Trunc, .f64Trunc: return intrinsic("llvm.trunc", x)
        // Wasm's nearest rounds half to even, which is roundeven (llvm.round rounds half away).
        case .f32Nearest, .f64Nearest: return intrinsic("llvm.roundeven", x)
        case .f32Sqrt, .f64Sqrt: return intrinsic("llvm.sqrt", x)
        default: preconditionFailure("not a float unary operator: \(op)")
        }
    }

    func floatBinary(_ op: Instruction.Binary, _ lhs: LLVMValueRef, _ rhs: LLVMValueRef) -> LLVMValueRef {
        switch op {
        // The identities LLVM folds: x + ±0 and ±0 + x, x - ±0 and -0 - x (zeros); x * ±1 and
        // ±1 * x (ones); x / ±1 (a one on the right only: 1 / x is never folded to x).
        case .f32Add, .f64Add: return quietingFoldableIdentity(LLVMBuildFAdd(builder, lhs, rhs, ""), guardedBy: isZero(lhs) || isZero(rhs))
        case .f32Sub, .f64Sub: return quietingFoldableIdentity(LLVMBuildFSub(builder, lhs, rhs, ""), guardedBy: isZero(lhs) || isZero(rhs))
        case .f32Mul, .f64Mul: return quietingFoldableIdentity(LLVMBuildFMul(builder, lhs, rhs, ""), guardedBy: isOne(lhs) || isOne(rhs))
        case .f32Div, .f64Div: return quietingFoldableIdentity(LLVMBuildFDiv(builder, lhs, rhs, ""), guardedBy: isOne(rhs))
        case .f32Min, .f64Min: return floatMinimum(lhs, rhs)
        case .f32Max, .f64Max: return floatMaximum(lhs, rhs)
        // copysign is bitwise too: magnitude bits from lhs, sign bit from rhs.
        case .f32Copysign, .f64Copysign: return intrinsic("llvm.copysign", lhs, rhs)
        default: preconditionFailure("not a float binary operator: \(op)")
        }
    }

    /// Wasm `min`: NaN if either operand is NaN, and -0 < +0.
    func floatMinimum(_ lhs: LLVMValueRef, _ rhs: LLVMValueRef) -> LLVMValueRef {
        nanPropagating("llvm.minimum", lhs, rhs)
    }

    /// Wasm `max`: NaN if either operand is NaN, and -0 < +0.
    func floatMaximum(_ lhs: LLVMValueRef, _ rhs: LLVMValueRef) -> LLVMValueRef {
        nanPropagating("llvm.maximum", lhs, rhs)
    }

    /// llvm.minimum/maximum have the right ordering (-0 < +0) and LLVM 19's x86 backend selects
    /// them for scalars and vectors, but for a NaN operand it returns that operand unchanged: a
    /// signalling NaN stays signalling, where Wasm requires an arithmetic (quiet) NaN. So NaN
    /// cases yield the canonical NaN instead, which Wasm allows whatever the inputs were.
    private func nanPropagating(_ name: String, _ lhs: LLVMValueRef, _ rhs: LLVMValueRef) -> LLVMValueRef {
        let unordered = LLVMBuildFCmp(builder, LLVMRealUNO, lhs, rhs, "")
        let ordered = intrinsic(name, lhs, rhs)
        return LLVMBuildSelect(builder, unordered, canonicalNaN(like: lhs), ordered, "")
    }

    // MARK: NaN quieting that survives LLVM's folds

    /// The canonical NaN (quiet bit only, positive) of a float or float-vector type. Every NaN
    /// result Wasm allows includes it: it is the canonical NaN required when all NaN inputs are
    /// canonical, and an arithmetic NaN otherwise.
    func canonicalNaN(like value: LLVMValueRef) -> LLVMValueRef {
        let type = LLVMTypeOf(value)!
        let isVector = LLVMGetTypeKind(type) == LLVMVectorTypeKind
        let scalar = isDouble(value) ? ir.f64(bits: 0x7ff8_0000_0000_0000) : ir.f32(bits: 0x7fc0_0000)
        return isVector ? splatConstant(scalar, count: LLVMGetVectorSize(type)) : scalar
    }

    /// `value`, with any NaN replaced by the canonical NaN.
    func canonicalizingNaN(_ value: LLVMValueRef) -> LLVMValueRef {
        let isNaN = LLVMBuildFCmp(builder, LLVMRealUNO, value, value, "")
        return LLVMBuildSelect(builder, isNaN, canonicalNaN(like: value), value, "")
    }

    /// LLVM lets arithmetic pass a NaN operand through unchanged ("unchanged NaN propagation" in
    /// the LangRef), so InstSimplify and the constant folder rewrite x + -0, x - 0, x * 1,
    /// x / 1 to x and x * -1, x / -1, -0 - x to -x, even for a signalling x. Wasm requires those
    /// to return a quiet NaN (float_exprs.wast tests exactly this). Only an operand that is
    /// literally the identity of that operation (±0 for + and -, ±1 for * and a divisor of ±1)
    /// enables the rewrite, so only then is the result guarded; the guard costs a compare and a
    /// select, which in a hot loop (1 / x, x - 1) is worth not paying.
    private func quietingFoldableIdentity(_ result: LLVMValueRef, guardedBy foldable: Bool) -> LLVMValueRef {
        foldable ? canonicalizingNaN(result) : result
    }

    private func isZero(_ value: LLVMValueRef) -> Bool { isConstant(value) { $0 == 0 } }
    private func isOne(_ value: LLVMValueRef) -> Bool { isConstant(value) { $0 == 1 || $0 == -1 } }

    /// Whether `value` is a constant with a lane for which `matches` holds (vectors fold lane by
    /// lane).
    private func isConstant(_ value: LLVMValueRef, _ matches: (Double) -> Bool) -> Bool {
        if LLVMIsAConstantFP(value) != nil {
            var losesInfo: LLVMBool = 0
            return matches(LLVMConstRealGetDouble(value, &losesInfo))
        }
        if LLVMIsAConstantAggregateZero(value) != nil { return matches(0) }
        if LLVMIsAConstantDataVector(value) != nil || LLVMIsAConstantVector(value) != nil {
            let count = LLVMGetVectorSize(LLVMTypeOf(value))
            return (0..<count).contains { lane in LLVMGetAggregateElement(value, lane).map { isConstant($0, matches) } ?? false }
        }
        // A v128.const reaches float lanes as a bitcast of <2 x i64>, which the builder cannot fold
        // without a data layout (InstCombine folds it later, then the multiply by 1.0 too).
        if LLVMIsAConstantExpr(value) != nil, LLVMGetConstOpcode(value) == LLVMBitCast,
           let words = integerWords(LLVMGetOperand(value, 0)) {
            let width = scalarBitWidthOfFloat(value)
            return lanesBits(words, width: width).contains { bits in
                matches(width == 32 ? Double(Float(bitPattern: UInt32(truncatingIfNeeded: bits))) : Double(bitPattern: bits))
            }
        }
        return false
    }

    /// The 64-bit words of a constant <2 x i64> (or other i64 vector), or nil.
    private func integerWords(_ value: LLVMValueRef?) -> [UInt64]? {
        guard let value, LLVMGetTypeKind(LLVMTypeOf(value)) == LLVMVectorTypeKind,
              scalarBitWidth(value) == 64 else { return nil }
        if LLVMIsAConstantAggregateZero(value) != nil { return Array(repeating: 0, count: Int(LLVMGetVectorSize(LLVMTypeOf(value)))) }
        var words: [UInt64] = []
        for lane in 0..<LLVMGetVectorSize(LLVMTypeOf(value)) {
            guard let element = LLVMGetAggregateElement(value, lane), LLVMIsAConstantInt(element) != nil else { return nil }
            words.append(LLVMConstIntGetZExtValue(element))
        }
        return words
    }

    private func lanesBits(_ words: [UInt64], width: UInt64) -> [UInt64] {
        width == 64 ? words : words.flatMap { [$0 & 0xffff_ffff, $0 >> 32] }
    }

    private func scalarBitWidthOfFloat(_ value: LLVMValueRef) -> UInt64 { isDouble(value) ? 64 : 32 }
}
