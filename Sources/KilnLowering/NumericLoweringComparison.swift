import CLLVM
import KilnLLVM
import WasmParser
import WasmTypes

/// Scalar comparisons; all produce i32 0 or 1.
extension NumericLowering {
    func compare(_ op: Instruction.Cmp, _ lhs: LLVMValueRef, _ rhs: LLVMValueRef) -> LLVMValueRef {
        switch op {
        case .i32Eq, .i64Eq: return integerCompare(LLVMIntEQ, lhs, rhs)
        case .i32Ne, .i64Ne: return integerCompare(LLVMIntNE, lhs, rhs)
        case .i32LtS, .i64LtS: return integerCompare(LLVMIntSLT, lhs, rhs)
        case .i32LtU, .i64LtU: return integerCompare(LLVMIntULT, lhs, rhs)
        case .i32GtS, .i64GtS: return integerCompare(LLVMIntSGT, lhs, rhs)
        case .i32GtU, .i64GtU: return integerCompare(LLVMIntUGT, lhs, rhs)
        case .i32LeS, .i64LeS: return integerCompare(LLVMIntSLE, lhs, rhs)
        case .i32LeU, .i64LeU: return integerCompare(LLVMIntULE, lhs, rhs)
        case .i32GeS, .i64GeS: return integerCompare(LLVMIntSGE, lhs, rhs)
        case .i32GeU, .i64GeU: return integerCompare(LLVMIntUGE, lhs, rhs)
        // Every float comparison is false when an operand is NaN (ordered), except `ne`, which
        // is then true (unordered).
        case .f32Eq, .f64Eq: return floatCompare(LLVMRealOEQ, lhs, rhs)
        case .f32Ne, .f64Ne: return floatCompare(LLVMRealUNE, lhs, rhs)
        case .f32Lt, .f64Lt: return floatCompare(LLVMRealOLT, lhs, rhs)
        case .f32Gt, .f64Gt: return floatCompare(LLVMRealOGT, lhs, rhs)
        case .f32Le, .f64Le: return floatCompare(LLVMRealOLE, lhs, rhs)
        case .f32Ge, .f64Ge: return floatCompare(LLVMRealOGE, lhs, rhs)
        }
    }

    private func integerCompare(_ predicate: LLVMIntPredicate, _ lhs: LLVMValueRef, _ rhs: LLVMValueRef) -> LLVMValueRef {
        boolToI32(LLVMBuildICmp(builder, predicate, lhs, rhs, ""))
    }

    private func floatCompare(_ predicate: LLVMRealPredicate, _ lhs: LLVMValueRef, _ rhs: LLVMValueRef) -> LLVMValueRef {
        // A quiet and a signalling NaN compare alike, so a marked operand's marker is not needed.
        boolToI32(LLVMBuildFCmp(builder, predicate, ArithmeticNaN.unmarked(lhs), ArithmeticNaN.unmarked(rhs), ""))
    }
}
