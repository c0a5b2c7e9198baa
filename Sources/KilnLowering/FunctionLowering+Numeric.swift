import CLLVM
import KilnFrontend
import WasmParser
import WasmTypes

/// Numeric instructions: validation here, the arithmetic itself in NumericLowering.
extension FunctionLowering {
    mutating func visitI32Eqz() throws(WasmError) {
        try validator.visitI32Eqz()
        if isReachable { push(numeric.eqz(pop())) }
    }

    mutating func visitI64Eqz() throws(WasmError) {
        try validator.visitI64Eqz()
        if isReachable { push(numeric.eqz(pop())) }
    }

    mutating func visitUnary(_ op: Instruction.Unary) throws(WasmError) {
        try validator.visitUnary(op)
        if isReachable { push(numeric.unary(op, pop())) }
    }

    mutating func visitBinary(_ op: Instruction.Binary) throws(WasmError) {
        try validator.visitBinary(op)
        guard isReachable else { return }
        let rhs = pop()
        let lhs = pop()
        push(numeric.binary(op, lhs, rhs))
    }

    mutating func visitCmp(_ op: Instruction.Cmp) throws(WasmError) {
        try validator.visitCmp(op)
        guard isReachable else { return }
        let rhs = pop()
        let lhs = pop()
        push(numeric.compare(op, lhs, rhs))
    }

    mutating func visitConversion(_ op: Instruction.Conversion) throws(WasmError) {
        try validator.visitConversion(op)
        if isReachable { push(numeric.convert(op, pop())) }
    }
}
