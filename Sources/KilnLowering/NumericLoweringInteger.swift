import CLLVM
import KilnLLVM
import KilnRuntimeC
import WasmParser
import WasmTypes

/// Integer arithmetic: i32 and i64 share one lowering; the operand type selects the width.
extension NumericLowering {
    func integerUnary(_ op: Instruction.Unary, _ x: LLVMValueRef) -> LLVMValueRef {
        // `false`: Wasm defines clz/ctz of zero as the bit width, so zero must not be poison.
        let zeroIsDefined = LLVMConstInt(ir.i1, 0, 0)!
        switch op {
        case .i32Clz, .i64Clz: return intrinsic("llvm.ctlz", x, zeroIsDefined)
        case .i32Ctz, .i64Ctz: return intrinsic("llvm.cttz", x, zeroIsDefined)
        case .i32Popcnt, .i64Popcnt: return intrinsic("llvm.ctpop", x)
        case .i32Extend8S, .i64Extend8S: return signExtendLow(x, from: ir.i8)
        case .i32Extend16S, .i64Extend16S: return signExtendLow(x, from: ir.i16)
        case .i64Extend32S: return signExtendLow(x, from: ir.i32)
        default: preconditionFailure("not an integer unary operator: \(op)")
        }
    }

    func integerBinary(_ op: Instruction.Binary, _ lhs: LLVMValueRef, _ rhs: LLVMValueRef) -> LLVMValueRef {
        switch op {
        case .i32Add, .i64Add: return LLVMBuildAdd(builder, lhs, rhs, "")
        case .i32Sub, .i64Sub: return LLVMBuildSub(builder, lhs, rhs, "")
        case .i32Mul, .i64Mul: return LLVMBuildMul(builder, lhs, rhs, "")
        case .i32DivS, .i64DivS: return divideSigned(lhs, rhs)
        case .i32DivU, .i64DivU: return divideUnsigned(lhs, rhs)
        case .i32RemS, .i64RemS: return remainderSigned(lhs, rhs)
        case .i32RemU, .i64RemU: return remainderUnsigned(lhs, rhs)
        case .i32And, .i64And: return LLVMBuildAnd(builder, lhs, rhs, "")
        case .i32Or, .i64Or: return LLVMBuildOr(builder, lhs, rhs, "")
        case .i32Xor, .i64Xor: return LLVMBuildXor(builder, lhs, rhs, "")
        case .i32Shl, .i64Shl: return LLVMBuildShl(builder, lhs, maskedShiftCount(rhs), "")
        case .i32ShrS, .i64ShrS: return LLVMBuildAShr(builder, lhs, maskedShiftCount(rhs), "")
        case .i32ShrU, .i64ShrU: return LLVMBuildLShr(builder, lhs, maskedShiftCount(rhs), "")
        // Funnel shifts with both halves equal are rotates; they take the count modulo the width.
        case .i32Rotl, .i64Rotl: return intrinsic("llvm.fshl", lhs, lhs, rhs)
        case .i32Rotr, .i64Rotr: return intrinsic("llvm.fshr", lhs, lhs, rhs)
        default: preconditionFailure("not an integer binary operator: \(op)")
        }
    }

    /// Wasm takes shift counts modulo the bit width; LLVM makes oversized counts poison.
    /// Works lane-wise for vectors too.
    func maskedShiftCount(_ count: LLVMValueRef) -> LLVMValueRef {
        LLVMBuildAnd(builder, count, constant(like: count, UInt64(scalarBitWidth(count) - 1)), "")
    }

    func signExtendLow(_ x: LLVMValueRef, from narrow: LLVMTypeRef) -> LLVMValueRef {
        let low = LLVMBuildTrunc(builder, x, narrow, "")
        return LLVMBuildSExt(builder, low, LLVMTypeOf(x), "")
    }

    private func trapIfZero(_ divisor: LLVMValueRef) {
        let isZero = LLVMBuildICmp(builder, LLVMIntEQ, divisor, constant(like: divisor, 0), "")!
        trapIf(isZero, Self.trapCode(KILN_TRAP_INT_DIVIDE_BY_ZERO))
    }

    private func isMinusOne(_ value: LLVMValueRef) -> LLVMValueRef {
        LLVMBuildICmp(builder, LLVMIntEQ, value, LLVMConstAllOnes(LLVMTypeOf(value)), "")
    }

    private func divideSigned(_ lhs: LLVMValueRef, _ rhs: LLVMValueRef) -> LLVMValueRef {
        trapIfZero(rhs)
        // INT_MIN / -1 overflows; x86 idiv would raise #DE, and LLVM calls it undefined.
        let minimum = constant(like: lhs, 1 << UInt64(scalarBitWidth(lhs) - 1))
        let lhsIsMinimum = LLVMBuildICmp(builder, LLVMIntEQ, lhs, minimum, "")
        let overflows = LLVMBuildAnd(builder, lhsIsMinimum, isMinusOne(rhs), "")!
        trapIf(overflows, Self.trapCode(KILN_TRAP_INT_OVERFLOW))
        return LLVMBuildSDiv(builder, lhs, rhs, "")
    }

    private func divideUnsigned(_ lhs: LLVMValueRef, _ rhs: LLVMValueRef) -> LLVMValueRef {
        trapIfZero(rhs)
        return LLVMBuildUDiv(builder, lhs, rhs, "")
    }

    private func remainderSigned(_ lhs: LLVMValueRef, _ rhs: LLVMValueRef) -> LLVMValueRef {
        trapIfZero(rhs)
        // Wasm defines INT_MIN % -1 = 0, but srem overflows there exactly as sdiv does. Any x % -1
        // equals x % 1 (both 0), so dividing by 1 instead gives the right answer with no overflow
        // and no extra select on the result.
        let safeDivisor = LLVMBuildSelect(builder, isMinusOne(rhs), constant(like: rhs, 1), rhs, "")
        return LLVMBuildSRem(builder, lhs, safeDivisor, "")
    }

    private func remainderUnsigned(_ lhs: LLVMValueRef, _ rhs: LLVMValueRef) -> LLVMValueRef {
        trapIfZero(rhs)
        return LLVMBuildURem(builder, lhs, rhs, "")
    }
}
