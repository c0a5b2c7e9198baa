import CLLVM
import KilnLLVM

/// Keeps float arithmetic's NaN results quiet through LLVM's identity folds.
///
/// Wasm's `add`, `sub`, `mul`, `div` and `demote` never return a signalling NaN: a NaN result
/// is an *arithmetic* NaN, quiet bit set. LLVM lets arithmetic hand a NaN operand through
/// unchanged (the LangRef's "unchanged NaN propagation"), so InstSimplify folds `x * 1`,
/// `x / 1`, `x + -0`, `x - 0` to `x`, `x * -1` and `-0 - x` to `-x`, and fptrunc(fpext x) to x,
/// even when x is a signalling NaN loaded from memory. Whether the constant is visible when
/// Kiln lowers the instruction or only after inlining or propagation makes it so, the folded
/// result would carry the signalling NaN on into a store or a return.
///
/// So the lowering wraps each such result in `llvm.canonicalize`, a marker LLVM keeps in place
/// (it does not fold it away, vectorises it lane by lane and hoists it like any arithmetic),
/// and `settle`, run once the optimiser is done, looks at what each marker wraps now: still
/// an arithmetic instruction (or a merge of them) with no identity constant in reach, and the
/// marker goes; anything else (a load, a parameter, a negation of one: a fold happened) and it
/// becomes a NaN test that substitutes the canonical NaN. x86's code generator cannot select
/// `llvm.canonicalize` anyway, so none may reach it.
///
/// A result consumed by another arithmetic instruction, a comparison or a conversion needs no
/// marker (a folded `x * 1` under an `add` is quieted by the `add`), so those consumers take
/// the marked value's operand (`unmarked`), which spares the optimiser most markers.
public enum ArithmeticNaN {
    static let marker = "llvm.canonicalize"

    /// `result`, marked as an arithmetic result that must stay quiet.
    static func mark(_ result: LLVMValueRef, _ ir: IRBuilder) -> LLVMValueRef {
        ir.callIntrinsic(marker, [LLVMTypeOf(result)], [result])
    }

    /// What a marked operand wraps, for a consumer that quiets NaNs itself or does not care
    /// (the marker stays for the value's other uses, if any; `settle` deletes an unused one);
    /// any other value unchanged.
    static func unmarked(_ value: LLVMValueRef) -> LLVMValueRef {
        isMarker(value) ? LLVMGetOperand(value, 0)! : value
    }

    /// Replaces every marker in `module` by what it wraps, or by a NaN test where that may no
    /// longer quiet a signalling NaN. Run after the last IR pass and before code generation.
    public static func settle(in module: LLVMModuleRef) {
        let markers = IRWalk.functions(of: module).filter { LLVMGetIntrinsicID($0) == markerID }
        guard !markers.isEmpty else { return }
        let builder = LLVMCreateBuilderInContext(LLVMGetModuleContext(module))!
        defer { LLVMDisposeBuilder(builder) }
        for declaration in markers {
            for call in IRWalk.instructionUsers(of: declaration) {
                let wrapped = LLVMGetOperand(call, 0)!
                guard LLVMGetFirstUse(call) != nil else {
                    LLVMInstructionEraseFromParent(call)
                    continue
                }
                var visited: Set<LLVMValueRef> = []
                var replacement = wrapped
                if !quiets(wrapped, visited: &visited) {
                    LLVMPositionBuilderBefore(builder, call)
                    replacement = quietingNaN(wrapped, builder)
                }
                LLVMReplaceAllUsesWith(call, replacement)
                LLVMInstructionEraseFromParent(call)
            }
            LLVMDeleteFunction(declaration)
        }
    }

    private static let markerID = LLVMLookupIntrinsicID(marker, marker.utf8.count)

    private static func isMarker(_ value: LLVMValueRef) -> Bool {
        guard LLVMIsACallInst(value) != nil, let callee = LLVMGetCalledValue(value) else { return false }
        return LLVMGetIntrinsicID(callee) == markerID
    }

    /// Whether `value` is certainly not a signalling NaN: the result of an instruction that
    /// quiets NaNs and that no code-generator fold can turn into its operand, a constant that is
    /// no signalling NaN, or a merge or sign change of those. `visited` ends the walk at loop
    /// phis, which count as quiet if everything else they merge is.
    private static func quiets(_ value: LLVMValueRef, visited: inout Set<LLVMValueRef>) -> Bool {
        if LLVMIsAConstant(value) != nil { return !mayBeSignallingNaN(constant: value) }
        guard LLVMIsAInstruction(value) != nil else { return false }
        if !visited.insert(value).inserted { return true }
        let operands = (0..<UInt32(max(0, LLVMGetNumOperands(value)))).compactMap { LLVMGetOperand(value, $0) }
        switch LLVMGetInstructionOpcode(value) {
        // The folds: x + ±0, ±0 + x, x - ±0, -0 - x; x * ±1, ±1 * x, x / ±1.
        case LLVMFAdd, LLVMFSub: return !operands.contains { mayBe($0, oneOf: [0]) }
        case LLVMFMul: return !operands.contains { mayBe($0, oneOf: [1, -1]) }
        case LLVMFDiv: return !mayBe(operands[1], oneOf: [1, -1])
        case LLVMFPTrunc:
            // fptrunc(fpext x) is the one conversion pair that folds to x, also through lane moves
            // and bitcasts (the code generator folds those of `f32x4.demote_f64x2_zero` of a
            // promotion even at -O0).
            return !mayBeExtended(operands[0], depth: 0)
        case LLVMFPExt, LLVMSIToFP, LLVMUIToFP:
            return true
        case LLVMPHI:
            return (0..<LLVMCountIncoming(value)).allSatisfy { quiets(LLVMGetIncomingValue(value, $0), visited: &visited) }
        case LLVMSelect:
            return quiets(operands[1], visited: &visited) && quiets(operands[2], visited: &visited)
        case LLVMFNeg, LLVMExtractElement:
            return quiets(operands[0], visited: &visited)
        case LLVMShuffleVector, LLVMInsertElement:
            return operands.prefix(2).allSatisfy { quiets($0, visited: &visited) }
        case LLVMCall:
            return quietingIntrinsics.contains(LLVMGetIntrinsicID(operands.last!))
                || (isSignPreserving(value) && quiets(operands[0], visited: &visited))
        default:
            return false
        }
    }

    /// Whether `value` may be an fpext, seen through bitcasts and lane moves.
    private static func mayBeExtended(_ value: LLVMValueRef, depth: Int) -> Bool {
        guard LLVMIsAInstruction(value) != nil else { return false }
        switch LLVMGetInstructionOpcode(value) {
        case LLVMFPExt: return true
        case LLVMBitCast, LLVMShuffleVector, LLVMExtractElement, LLVMInsertElement:
            guard depth < 8 else { return true }
            let vectors = LLVMGetInstructionOpcode(value) == LLVMBitCast || LLVMGetInstructionOpcode(value) == LLVMExtractElement ? 1 : 2
            return (0..<UInt32(vectors)).contains { LLVMGetOperand(value, $0).map { mayBeExtended($0, depth: depth + 1) } ?? false }
        default: return false
        }
    }

    /// Intrinsics whose result is never a signalling NaN and never folds to an operand, and the
    /// markers, each of which becomes such a value when settled.
    private static let quietingIntrinsics = IRWalk.intrinsicIDs(
        "llvm.sqrt", "llvm.ceil", "llvm.floor", "llvm.trunc", "llvm.roundeven", "llvm.rint",
        "llvm.nearbyint", "llvm.fma", "llvm.fmuladd", marker)

    /// fabs and copysign change only the sign bit, so their first operand decides.
    private static let signPreservingIntrinsics = IRWalk.intrinsicIDs("llvm.fabs", "llvm.copysign")

    private static func isSignPreserving(_ call: LLVMValueRef) -> Bool {
        signPreservingIntrinsics.contains(LLVMGetIntrinsicID(LLVMGetCalledValue(call)))
    }

    /// Whether an operand could be, or become in the code generator, one of `identities` (±0
    /// compare equal): a constant with such a lane (or one this cannot read), or a select of
    /// one, which the code generator folds into its users. (A phi's constants come from other
    /// blocks, which the code generator does not see.)
    private static func mayBe(_ operand: LLVMValueRef, oneOf identities: [Double]) -> Bool {
        if LLVMIsAConstant(operand) != nil {
            guard let scalars = scalars(of: operand) else { return true }
            return scalars.contains { scalar in
                var losesInfo: LLVMBool = 0
                return identities.contains(LLVMConstRealGetDouble(scalar, &losesInfo))
            }
        }
        guard LLVMIsASelectInst(operand) != nil else { return false }
        return [1, 2].contains { (arm: UInt32) in
            let value = LLVMGetOperand(operand, arm)!
            return LLVMIsAConstant(value) != nil && mayBe(value, oneOf: identities)
        }
    }

    private static func mayBeSignallingNaN(constant: LLVMValueRef) -> Bool {
        guard let scalars = scalars(of: constant) else { return true }
        let context = LLVMGetTypeContext(LLVMTypeOf(constant))
        return scalars.contains { scalar in
            let width: UInt64 = LLVMGetTypeKind(LLVMTypeOf(scalar)) == LLVMDoubleTypeKind ? 64 : 32
            guard let word = LLVMConstBitCast(scalar, LLVMIntTypeInContext(context, UInt32(width))),
                  LLVMIsAConstantInt(word) != nil else { return true }
            let bits = LLVMConstIntGetZExtValue(word)
            let quietBit: UInt64 = 1 << (width == 64 ? 51 : 22)
            let payload = quietBit << 1 - 1
            let exponent = (width == 64 ? 0x7ff : 0xff) << (width == 64 ? 52 : 23) as UInt64
            return bits & exponent == exponent && bits & payload != 0 && bits & quietBit == 0
        }
    }

    /// The scalar lanes of a float constant (one for a scalar), or nil for a form this does not
    /// read (a constant expression).
    private static func scalars(of constant: LLVMValueRef) -> [LLVMValueRef]? {
        if LLVMIsAConstantFP(constant) != nil { return [constant] }
        if LLVMIsAUndefValue(constant) != nil { return [] }
        guard LLVMGetTypeKind(LLVMTypeOf(constant)) == LLVMVectorTypeKind,
              LLVMIsAConstantAggregateZero(constant) != nil || LLVMIsAConstantDataVector(constant) != nil
                || LLVMIsAConstantVector(constant) != nil else { return nil }
        var result: [LLVMValueRef] = []
        for lane in 0..<LLVMGetVectorSize(LLVMTypeOf(constant)) {
            guard let element = LLVMGetAggregateElement(constant, lane), let lanes = scalars(of: element) else { return nil }
            result += lanes
        }
        return result
    }

    /// `select(value is NaN, canonical NaN, value)`, built where `builder` stands.
    private static func quietingNaN(_ value: LLVMValueRef, _ builder: LLVMBuilderRef) -> LLVMValueRef {
        let isNaN = LLVMBuildFCmp(builder, LLVMRealUNO, value, value, "")
        return LLVMBuildSelect(builder, isNaN, canonicalNaN(of: LLVMTypeOf(value)), value, "")!
    }

    /// The canonical NaN (quiet bit only, positive) of a float or float-vector type. Every NaN
    /// result Wasm allows includes it: it is the canonical NaN required when all NaN inputs are
    /// canonical, and an arithmetic NaN otherwise.
    static func canonicalNaN(of type: LLVMTypeRef) -> LLVMValueRef {
        let scalarType = IRConstants.scalarType(of: type)
        let context = LLVMGetTypeContext(type)
        let isDouble = LLVMGetTypeKind(scalarType) == LLVMDoubleTypeKind
        let bits = isDouble
            ? LLVMConstInt(LLVMInt64TypeInContext(context), 0x7ff8_0000_0000_0000, 0)
            : LLVMConstInt(LLVMInt32TypeInContext(context), 0x7fc0_0000, 0)
        return IRConstants.splat(LLVMConstBitCast(bits, scalarType)!, as: type)
    }
}
