import WasmTypes

/// Type equivalence of the module's function types, as WebAssembly 3.0 defines it: types are
/// compared by the structure of their recursion groups (iso-recursively), a reference to an
/// earlier group by that group's identity, a reference within the group by its position in it.
/// Two type indices are equivalent iff they get the same canonical index, the first index of the
/// module with an equivalent type.
///
/// Without GC every type is a final function type with no supertypes, so equivalent types are
/// also the only subtypes of each other: subtyping between function types is equality here.
enum TypeCanonicalization {
    /// One element of a group's structural key.
    private enum KeyItem: Hashable {
        case count(Int)
        case code(UInt8)
        case reference(nullable: Bool)
        /// A type of an earlier group, by its canonical index.
        case outer(UInt32)
        /// A type of the same group, by its position in the group.
        case inner(Int)
    }

    /// Canonical index of every type. `groups` partitions `types` into consecutive recursion
    /// groups (their sizes). A reference past the end of its own group is an unknown type (a
    /// type may only name itself, its group and earlier types).
    static func canonicalIndices(of types: [FunctionType], groupSizes: [Int]) throws(WasmError) -> [UInt32] {
        var canonical: [UInt32] = []
        canonical.reserveCapacity(types.count)
        var firstGroupStart: [[KeyItem]: Int] = [:]
        var start = 0
        for size in groupSizes {
            let end = start + size
            var key: [KeyItem] = [.count(size)]
            for type in types[start..<end] {
                key.append(.count(type.parameters.count))
                key.append(.count(type.results.count))
                for valueType in type.parameters + type.results {
                    try append(valueType, to: &key, groupStart: start, groupEnd: end, canonical: canonical)
                }
            }
            let representative = firstGroupStart[key] ?? start
            firstGroupStart[key] = representative
            for position in 0..<size { canonical.append(UInt32(representative + position)) }
            start = end
        }
        return canonical
    }

    private static func append(
        _ type: ValueType, to key: inout [KeyItem], groupStart: Int, groupEnd: Int, canonical: [UInt32]
    ) throws(WasmError) {
        switch type {
        case .i32: key.append(.code(0x7F))
        case .i64: key.append(.code(0x7E))
        case .f32: key.append(.code(0x7D))
        case .f64: key.append(.code(0x7C))
        case .v128: key.append(.code(0x7B))
        case .ref(let reference):
            key.append(.reference(nullable: reference.isNullable))
            switch reference.heapType {
            case .abstract(let heap): key.append(.code(heap.rawValue))
            case .concrete(let index):
                let index = Int(index)
                if index >= groupEnd { throw WasmError(.invalid, "unknown type \(index)") }
                key.append(index >= groupStart ? .inner(index - groupStart) : .outer(canonical[index]))
            }
        }
    }
}

extension WasmModule {
    /// The operand type of `type` with a concrete heap type replaced by its canonical index, so
    /// that equal operand types are equivalent types. An index out of range is kept (the
    /// validators report it first through `checkTypeIndices`).
    func operandType(_ type: ValueType) -> OperandType {
        OperandType(type, canonical: canonicalIndex)
    }

    func operandType(_ type: ReferenceType) -> OperandType {
        OperandType(type, canonical: canonicalIndex)
    }

    private func canonicalIndex(_ index: UInt32) -> UInt32 {
        Int(index) < canonicalTypeIndices.count ? canonicalTypeIndices[Int(index)] : index
    }

    /// Throws "unknown type" when `type` names a type the module does not have.
    func checkTypeIndex(of type: ValueType, offset: Int?) throws(WasmError) {
        if case .ref(let reference) = type { try checkTypeIndex(of: reference, offset: offset) }
    }

    func checkTypeIndex(of reference: ReferenceType, offset: Int?) throws(WasmError) {
        if case .concrete(let index) = reference.heapType, Int(index) >= types.count {
            throw WasmError(.invalid, "unknown type \(index)", offset: offset)
        }
    }

    func checkTypeIndex(of heap: HeapType, offset: Int?) throws(WasmError) {
        try checkTypeIndex(of: ReferenceType(isNullable: true, heapType: heap), offset: offset)
    }

    /// The parameter and result operand types of type `index` (validated as in range).
    func signature(_ index: Int) -> (parameters: [OperandType], results: [OperandType]) {
        signatures[index]
    }
}
