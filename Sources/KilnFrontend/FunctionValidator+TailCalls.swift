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
        try pop(try tableIndexType(tableIndex))
        try pop(type.parameters)
        try markUnreachable()
    }

    /// The signature call_indirect and return_call_indirect expect, in a table whose elements
    /// are function references (funcref or any typed function reference).
    func indirectCalleeType(typeIndex: UInt32, tableIndex: UInt32) throws(WasmError) -> Signature {
        let elementType = try tableType(tableIndex)
        guard elementType.matches(.funcRef) else { throw invalid("type mismatch") }
        return try signature(ofType: typeIndex)
    }

    /// The callee's results become this function's: each must be a subtype of the function's
    /// result at its position.
    func requireReturnsOwnResults(_ callee: Signature) throws(WasmError) {
        guard TypeList.list(callee.results).allMatch(.list(functionType.results)) else { throw invalid("type mismatch") }
    }
}
