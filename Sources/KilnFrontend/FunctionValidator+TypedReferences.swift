import WasmParser
import WasmTypes

// Typed function references (WebAssembly 3.0): calls through a typed reference, and the
// instructions that test or assert that a reference is not null.
extension FunctionValidator {
    /// call_ref $t: [t1* (ref null $t)] -> [t2*] for $t = [t1*] -> [t2*].
    public mutating func visitCallRef(typeIndex: UInt32) throws(WasmError) {
        let type = try signature(ofType: typeIndex)
        try pop(calleeReference(typeIndex))
        try pop(type.parameters)
        try push(type.results)
    }

    /// return_call_ref $t: as call_ref, with the callee's results becoming the function's own.
    public mutating func visitReturnCallRef(typeIndex: UInt32) throws(WasmError) {
        let type = try signature(ofType: typeIndex)
        try requireReturnsOwnResults(type)
        try pop(calleeReference(typeIndex))
        try pop(type.parameters)
        try markUnreachable()
    }

    /// The operand call_ref takes: a nullable reference to a function of type `typeIndex` (null
    /// traps at run time).
    private func calleeReference(_ typeIndex: UInt32) -> OperandType {
        module.operandType(.ref(ReferenceType(isNullable: true, heapType: .concrete(typeIndex: typeIndex))))
    }

    /// ref.as_non_null: [(ref null ht)] -> [(ref ht)].
    public mutating func visitRefAsNonNull() throws(WasmError) {
        let reference = try popReference()
        try push(reference.withNullability(false))
    }

    /// br_on_null l: branches to l (with l's values) when the reference is null, else goes on
    /// with the reference as non-null.
    public mutating func visitBrOnNull(relativeDepth: UInt32) throws(WasmError) {
        let target = try label(relativeDepth).labelTypes
        let reference = try popReference()
        try pop(target)
        try push(target)
        try push(reference.withNullability(false))
    }

    /// br_on_non_null l: branches to l with the non-null reference as l's last value; goes on
    /// without it when it is null. l's label types must end in a reference type.
    public mutating func visitBrOnNonNull(relativeDepth: UInt32) throws(WasmError) {
        let target = try label(relativeDepth).labelTypes
        guard target.count > 0, target[target.count - 1].isReference || target[target.count - 1] == .unknown else {
            throw invalid("type mismatch")
        }
        let reference = try popReference()
        try push(reference.withNullability(false))
        try pop(target)
        for index in 0..<(target.count - 1) { try push(target[index]) }
    }
}
