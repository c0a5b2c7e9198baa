import CLLVM
import KilnLLVM
import KilnRuntimeC
import WasmParser
import WasmTypes

/// Lowers WebAssembly's numeric instructions (integer, float, comparison, conversion and, in the
/// `Simd*` files, 128-bit SIMD) to LLVM IR at the builder's current position.
///
/// Every method is a pure function of its operand values: it emits instructions and returns the
/// result, never touching the operand stack, locals or control flow. The one exception is
/// `trapIf`, which the function lowering supplies; it branches to a trap and leaves the builder in
/// a fresh block where the condition is known false, so instructions emitted after it (a `sdiv`
/// after its zero check, say) never see the operands that would make them undefined.
///
/// No fast-math flags and no nsw/nuw/exact flags are ever set: Wasm wraps on overflow and
/// specifies NaN and signed-zero behaviour exactly.
struct NumericLowering {
    let ir: IRBuilder
    /// Emits `if condition (i1) { trap(code) }` and continues in a fresh block. Provided by the caller.
    let trapIf: (_ condition: LLVMValueRef, _ code: UInt32) -> Void
    /// How relaxed-SIMD instructions are lowered (SimdLoweringRelaxed).
    var relaxed: RelaxedSimdChoice = .deterministic

    var builder: LLVMBuilderRef { ir.builder }

    /// `i32.eqz` / `i64.eqz`.
    func eqz(_ value: LLVMValueRef) -> LLVMValueRef {
        boolToI32(LLVMBuildICmp(builder, LLVMIntEQ, value, ir.zero(LLVMTypeOf(value)), ""))
    }

    func unary(_ op: Instruction.Unary, _ x: LLVMValueRef) -> LLVMValueRef {
        switch op {
        case .i32Clz, .i64Clz, .i32Ctz, .i64Ctz, .i32Popcnt, .i64Popcnt,
             .i32Extend8S, .i32Extend16S, .i64Extend8S, .i64Extend16S, .i64Extend32S:
            return integerUnary(op, x)
        case .f32Abs, .f32Neg, .f32Ceil, .f32Floor, .f32Trunc, .f32Nearest, .f32Sqrt,
             .f64Abs, .f64Neg, .f64Ceil, .f64Floor, .f64Trunc, .f64Nearest, .f64Sqrt:
            return floatUnary(op, x)
        }
    }

    func binary(_ op: Instruction.Binary, _ lhs: LLVMValueRef, _ rhs: LLVMValueRef) -> LLVMValueRef {
        switch op {
        case .f32Add, .f32Sub, .f32Mul, .f32Div, .f32Min, .f32Max, .f32Copysign,
             .f64Add, .f64Sub, .f64Mul, .f64Div, .f64Min, .f64Max, .f64Copysign:
            return floatBinary(op, lhs, rhs)
        default:
            return integerBinary(op, lhs, rhs)
        }
    }

    // MARK: Shared helpers

    /// Wasm booleans are i32 0 or 1.
    func boolToI32(_ flag: LLVMValueRef) -> LLVMValueRef {
        LLVMBuildZExt(builder, flag, ir.i32, "")
    }

    /// An integer constant of `value`'s type (scalar or vector: vectors get a splat).
    func constant(like value: LLVMValueRef, _ bits: UInt64) -> LLVMValueRef {
        let type = LLVMTypeOf(value)!
        return constant(type, bits)
    }

    func constant(_ type: LLVMTypeRef, _ bits: UInt64) -> LLVMValueRef {
        if LLVMGetTypeKind(type) == LLVMVectorTypeKind {
            let element = constant(LLVMGetElementType(type), bits)
            return splatConstant(element, count: LLVMGetVectorSize(type))
        }
        return LLVMConstInt(type, bits, 0)
    }

    func splatConstant(_ element: LLVMValueRef, count: UInt32) -> LLVMValueRef {
        constantVector(Array(repeating: element, count: Int(count)))
    }

    /// Bit width of an integer type, or of the elements of an integer vector type.
    func scalarBitWidth(_ value: LLVMValueRef) -> UInt32 {
        var type = LLVMTypeOf(value)!
        if LLVMGetTypeKind(type) == LLVMVectorTypeKind { type = LLVMGetElementType(type) }
        return LLVMGetIntTypeWidth(type)
    }

    func isDouble(_ value: LLVMValueRef) -> Bool {
        var type = LLVMTypeOf(value)!
        if LLVMGetTypeKind(type) == LLVMVectorTypeKind { type = LLVMGetElementType(type) }
        return LLVMGetTypeKind(type) == LLVMDoubleTypeKind
    }

    /// The integer type with the same bit layout as a float (or float vector) type.
    func integerType(matching floatType: LLVMTypeRef) -> LLVMTypeRef {
        if LLVMGetTypeKind(floatType) == LLVMVectorTypeKind {
            return ir.vector(integerType(matching: LLVMGetElementType(floatType)), LLVMGetVectorSize(floatType))
        }
        return LLVMGetTypeKind(floatType) == LLVMDoubleTypeKind ? ir.i64 : ir.i32
    }

    /// Calls an intrinsic overloaded on the type of its first argument.
    func intrinsic(_ name: String, _ args: LLVMValueRef...) -> LLVMValueRef {
        ir.callIntrinsic(name, [LLVMTypeOf(args[0])], args)
    }

    static func trapCode(_ code: kiln_trap_code) -> UInt32 { code.rawValue }
}
