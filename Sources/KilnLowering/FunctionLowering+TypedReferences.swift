import CLLVM
import KilnFrontend
import WasmParser
import WasmTypes

/// Typed function references: call_ref and return_call_ref call through a function reference (a
/// kiln_func record, as table elements and ref.func are) after a null check; the reference's
/// static type is the callee's signature, so no signature check is needed. ref.as_non_null,
/// br_on_null and br_on_non_null test the reference against null.
extension FunctionLowering {
    mutating func visitCallRef(typeIndex: UInt32) throws(WasmError) {
        try validator.visitCallRef(typeIndex: typeIndex)
        guard isReachable else { return }
        callReference(typeIndex: typeIndex, .ordinary)
    }

    mutating func visitReturnCallRef(typeIndex: UInt32) throws(WasmError) {
        try validator.visitReturnCallRef(typeIndex: typeIndex)
        guard isReachable else { return }
        callReference(typeIndex: typeIndex, .tail)
    }

    private mutating func callReference(typeIndex: UInt32, _ kind: WasmCallKind) {
        let type = context.module.types[Int(typeIndex)]
        let record = pop()
        let args = pop(type.parameters.count)
        trapIf(LLVMBuildIsNull(ir.builder, record, "")!, ABI.Trap.nullFunctionReference)
        callThroughRecord(record, type, args, kind)
    }

    mutating func visitRefAsNonNull() throws(WasmError) {
        try validator.visitRefAsNonNull()
        guard isReachable else { return }
        let reference = pop()
        trapIf(LLVMBuildIsNull(ir.builder, reference, "")!, ABI.Trap.nullReference)
        push(reference)
    }

    /// Null: branch with the values below the reference. Not null: go on with the reference.
    mutating func visitBrOnNull(relativeDepth: UInt32) throws(WasmError) {
        try validator.visitBrOnNull(relativeDepth: relativeDepth)
        guard isReachable else { return }
        let reference = pop()
        branch(toLabel: Int(relativeDepth), if: LLVMBuildIsNull(ir.builder, reference, "")!, "br_on_null")
        push(reference)
    }

    /// Not null: branch with the reference as the label's last value. Null: go on without it.
    mutating func visitBrOnNonNull(relativeDepth: UInt32) throws(WasmError) {
        try validator.visitBrOnNonNull(relativeDepth: relativeDepth)
        guard isReachable else { return }
        let reference = stack[stack.count - 1]
        branch(toLabel: Int(relativeDepth), if: LLVMBuildIsNotNull(ir.builder, reference, "")!, "br_on_non_null")
        _ = pop()
    }
}
