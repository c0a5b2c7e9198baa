import WasmParser
import WasmTypes

/// return_call and return_call_indirect (the tail-call proposal, part of WebAssembly 3.0): typed
/// as their ordinary forms, except that the callee's results become the function's own, so they
/// must be the function's result types; like `return`, they make the rest of the frame
/// unreachable.
extension FunctionValidator {
    public mutating func visitReturnCall(functionIndex: UInt32) throws(WasmError) {
        let type = try functionType(ofFunction: functionIndex)
        try requireReturnsOwnResults(type)
        try pop(type.parameters)
        try markUnreachable()
    }

    public mutating func visitReturnCallIndirect(typeIndex: UInt32, tableIndex: UInt32) throws(WasmError) {
        let type = try indirectCalleeType(typeIndex: typeIndex, tableIndex: tableIndex)
        try requireReturnsOwnResults(type)
        try pop(.i32)
        try pop(type.parameters)
        try markUnreachable()
    }

    /// The signature call_indirect and return_call_indirect expect, in a table of funcrefs.
    func indirectCalleeType(typeIndex: UInt32, tableIndex: UInt32) throws(WasmError) -> FunctionType {
        let elementType = try tableType(tableIndex)
        guard elementType == .funcRef else { throw invalid("type mismatch") }
        guard Int(typeIndex) < module.types.count else { throw invalid("unknown type \(typeIndex)") }
        return module.types[Int(typeIndex)]
    }

    /// The spec asks the callee's results to be subtypes of the function's; without typed
    /// function references every value type is its only subtype, so they must be equal.
    private func requireReturnsOwnResults(_ callee: FunctionType) throws(WasmError) {
        guard callee.results == functionType.results else { throw invalid("type mismatch") }
    }
}
