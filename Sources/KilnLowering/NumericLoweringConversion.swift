import CLLVM
import KilnLLVM
import KilnRuntimeC
import WasmParser
import WasmTypes

/// Conversions between the four scalar types.
extension NumericLowering {
    func convert(_ op: Instruction.Conversion, _ x: LLVMValueRef) -> LLVMValueRef {
        // Reinterpretation keeps a NaN's bits; every other conversion quiets or traps on a NaN.
        let isBitwise = [.i32ReinterpretF32, .i64ReinterpretF64, .f32ReinterpretI32, .f64ReinterpretI64].contains(op)
        let operand = x
        let x = isBitwise ? x : ArithmeticNaN.unmarked(x)
        switch op {
        case .i32WrapI64: return LLVMBuildTrunc(builder, x, ir.i32, "")
        case .i64ExtendI32S: return LLVMBuildSExt(builder, x, ir.i64, "")
        case .i64ExtendI32U: return LLVMBuildZExt(builder, x, ir.i64, "")

        case .i32TruncF32S, .i32TruncF64S: return truncateTrapping(operand, to: ir.i32, signed: true)
        case .i32TruncF32U, .i32TruncF64U: return truncateTrapping(operand, to: ir.i32, signed: false)
        case .i64TruncF32S, .i64TruncF64S: return truncateTrapping(operand, to: ir.i64, signed: true)
        case .i64TruncF32U, .i64TruncF64U: return truncateTrapping(operand, to: ir.i64, signed: false)

        // The saturating intrinsics are exactly Wasm's trunc_sat: NaN -> 0, clamp to the range.
        case .i32TruncSatF32S, .i32TruncSatF64S: return truncateSaturating(x, to: ir.i32, signed: true)
        case .i32TruncSatF32U, .i32TruncSatF64U: return truncateSaturating(x, to: ir.i32, signed: false)
        case .i64TruncSatF32S, .i64TruncSatF64S: return truncateSaturating(x, to: ir.i64, signed: true)
        case .i64TruncSatF32U, .i64TruncSatF64U: return truncateSaturating(x, to: ir.i64, signed: false)

        // sitofp/uitofp round to nearest-even in one step (no double rounding through a wider
        // type), which is what Wasm specifies, including u64 -> f32.
        case .f32ConvertI32S, .f32ConvertI64S: return LLVMBuildSIToFP(builder, x, ir.f32, "")
        case .f32ConvertI32U, .f32ConvertI64U: return LLVMBuildUIToFP(builder, x, ir.f32, "")
        case .f64ConvertI32S, .f64ConvertI64S: return LLVMBuildSIToFP(builder, x, ir.f64, "")
        case .f64ConvertI32U, .f64ConvertI64U: return LLVMBuildUIToFP(builder, x, ir.f64, "")

        case .f32DemoteF64: return ArithmeticNaN.mark(LLVMBuildFPTrunc(builder, x, ir.f32, "")!, ir)
        case .f64PromoteF32: return LLVMBuildFPExt(builder, x, ir.f64, "")

        case .i32ReinterpretF32: return LLVMBuildBitCast(builder, x, ir.i32, "")
        case .i64ReinterpretF64: return LLVMBuildBitCast(builder, x, ir.i64, "")
        case .f32ReinterpretI32: return LLVMBuildBitCast(builder, x, ir.f32, "")
        case .f64ReinterpretI64: return LLVMBuildBitCast(builder, x, ir.f64, "")
        }
    }

    func truncateSaturating(_ x: LLVMValueRef, to type: LLVMTypeRef, signed: Bool) -> LLVMValueRef {
        ir.callIntrinsic(signed ? "llvm.fptosi.sat" : "llvm.fptoui.sat", [type, LLVMTypeOf(x)], [x])
    }

    /// `trunc_f*_s/u`: traps on NaN ("invalid conversion to integer") and when the truncated value
    /// does not fit ("integer overflow"); otherwise fptosi/fptoui, which are then well defined.
    ///
    /// The common case is decided first, by the test clang puts around every C cast from float to
    /// integer for wasm32 (`fabs(x) < 2^(N-1)` signed, `x < 2^N && x >= 0` unsigned): where the
    /// program has just made that test, GVN finds this one identical and known true, and the
    /// conversion is left with no check at all. Only values outside it (NaN, out of range, and
    /// the few in range that it leaves out: -2^(N-1), and (-1, 0) unsigned) reach the exact checks.
    ///
    /// `operand` may be marked (ArithmeticNaN): the program's `f32.abs` keeps the mark, so the
    /// signed test takes the absolute value of the marked operand, as the program's does; the
    /// comparisons and the conversion, which do not care whether a NaN is quiet, take what it wraps.
    private func truncateTrapping(_ operand: LLVMValueRef, to type: LLVMTypeRef, signed: Bool) -> LLVMValueRef {
        let x = ArithmeticNaN.unmarked(operand)
        let floatType = LLVMTypeOf(x)!
        let bounds = Self.exclusiveTruncationBounds(
            integerBits: LLVMGetIntTypeWidth(type), signed: signed, isDouble: isDouble(x))
        // The upper bound, 2^(N-1) or 2^N, is the one clang tests against.
        let upper = LLVMConstReal(floatType, bounds.upper)!
        let surelyFits: LLVMValueRef
        if signed {
            let magnitude = ir.callIntrinsic("llvm.fabs", [floatType], [operand])
            surelyFits = LLVMBuildFCmp(builder, LLVMRealOLT, magnitude, upper, "")!
        } else {
            let belowTop = LLVMBuildFCmp(builder, LLVMRealOLT, x, upper, "")!
            let notNegative = LLVMBuildFCmp(builder, LLVMRealOGE, x, LLVMConstReal(floatType, 0), "")!
            surelyFits = LLVMBuildAnd(builder, belowTop, notNegative, "")!
        }
        let convert = ir.appendBlock("truncate")
        let check = ir.appendBlock("truncate.check")
        ir.conditionalBranch(surelyFits, convert, check, rarely: false)

        ir.position(at: check)
        let isNaN = LLVMBuildFCmp(builder, LLVMRealUNO, x, x, "")!
        trapIf(isNaN, Self.trapCode(KILN_TRAP_INVALID_CONVERSION))
        // Both bounds are exactly representable in the float type, so these compares are exact.
        let tooLow = LLVMBuildFCmp(builder, bounds.lowerInclusive ? LLVMRealOLT : LLVMRealOLE,
                                   x, LLVMConstReal(floatType, bounds.lower), "")
        let tooHigh = LLVMBuildFCmp(builder, LLVMRealOGE, x, upper, "")
        trapIf(LLVMBuildOr(builder, tooLow, tooHigh, "")!, Self.trapCode(KILN_TRAP_INT_OVERFLOW))
        LLVMBuildBr(builder, convert)

        ir.position(at: convert)
        return signed ? LLVMBuildFPToSI(builder, x, type, "") : LLVMBuildFPToUI(builder, x, type, "")
    }

    /// The float range whose truncation fits the integer type: `x < upper` always, and
    /// `x > lower` (or `x >= lower` when `lowerInclusive`).
    ///
    /// The upper bound 2^(N-1) (signed) or 2^N (unsigned) is a power of two, exact in any float
    /// type. Below, a signed value fits while it is greater than -2^(N-1) - 1; that bound is exact
    /// only if the float has at least N significand bits (f64 for i32). Otherwise (f32 for i32,
    /// either float for i64) the largest float below -2^(N-1) is already a whole number too small,
    /// so the test becomes `x >= -2^(N-1)`. Unsigned values fit while x > -1 (trunc(-0.5) = 0).
    static func exclusiveTruncationBounds(integerBits: UInt32, signed: Bool, isDouble: Bool)
        -> (lower: Double, lowerInclusive: Bool, upper: Double)
    {
        let significandBits: UInt32 = isDouble ? 53 : 24
        guard signed else { return (-1, false, Double(sign: .plus, exponent: Int(integerBits), significand: 1)) }
        let half = Double(sign: .plus, exponent: Int(integerBits) - 1, significand: 1)
        if integerBits <= significandBits {
            return (-half - 1, false, half)
        }
        return (-half, true, half)
    }
}
