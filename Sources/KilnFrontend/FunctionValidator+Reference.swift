import WasmParser
import WasmTypes

// Reference instructions and table instructions (reference types and bulk memory).
extension FunctionValidator {
    public mutating func visitRefNull(type: HeapType) throws(WasmError) {
        try module.checkTypeIndex(of: type, offset: binaryOffset)
        let reference = ReferenceType(isNullable: true, heapType: type)
        let operand = module.operandType(reference)
        guard operand != .unsupported else { throw unsupportedType(.ref(reference), rejectedAs: "malformed reference type") }
        try push(operand)
    }

    public mutating func visitRefIsNull() throws(WasmError) {
        _ = try popReference()
        try push(.i32)
    }

    public mutating func visitRefFunc(functionIndex: UInt32) throws(WasmError) {
        let typeIndex = try typeIndex(ofFunction: functionIndex)
        // Only functions the module declares outside function bodies (C.refs) may be named, so
        // an engine knows every function whose reference can escape before compiling bodies.
        guard module.declaredFunctionReferences.contains(functionIndex) else {
            throw invalid("undeclared function reference")
        }
        // The reference is to a function of a known type, and never null.
        try push(module.operandType(ReferenceType(isNullable: false, heapType: .concrete(typeIndex: typeIndex))))
    }

    public mutating func visitTableGet(table: UInt32) throws(WasmError) {
        let type = try tableType(table)
        try pop(try tableIndexType(table))
        try push(type)
    }

    public mutating func visitTableSet(table: UInt32) throws(WasmError) {
        let type = try tableType(table)
        try pop(type)
        try pop(try tableIndexType(table))
    }

    public mutating func visitTableSize(table: UInt32) throws(WasmError) {
        try push(try tableIndexType(table))
    }

    public mutating func visitTableGrow(table: UInt32) throws(WasmError) {
        let type = try tableType(table), index = try tableIndexType(table)
        try pop(index)
        try pop(type)
        try push(index)
    }

    public mutating func visitTableFill(table: UInt32) throws(WasmError) {
        let type = try tableType(table), index = try tableIndexType(table)
        try pop(index)
        try pop(type)
        try pop(index)
    }

    /// As memory.copy: the length is an i64 only when both tables are 64-bit.
    public mutating func visitTableCopy(dstTable: UInt32, srcTable: UInt32) throws(WasmError) {
        let destination = try tableType(dstTable)
        let source = try tableType(srcTable)
        guard source.matches(destination) else { throw invalid("type mismatch") }
        let destinationIndex = try tableIndexType(dstTable), sourceIndex = try tableIndexType(srcTable)
        try pop(destinationIndex == .i64 && sourceIndex == .i64 ? .i64 : .i32)
        try pop(sourceIndex)
        try pop(destinationIndex)
    }

    public mutating func visitTableInit(elemIndex: UInt32, table: UInt32) throws(WasmError) {
        let tableElement = try tableType(table)
        let segmentElement = try elementType(elemIndex)
        guard segmentElement.matches(tableElement) else { throw invalid("type mismatch") }
        try pop(.i32)
        try pop(.i32)
        try pop(try tableIndexType(table))
    }

    public mutating func visitElemDrop(elemIndex: UInt32) throws(WasmError) {
        _ = try elementType(elemIndex)
        try requireOpenFrame()
    }
}
