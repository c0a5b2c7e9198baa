import WasmTypes

/// A value type as the validator tracks it: the number and vector types, reference types with
/// their nullability and heap type (typed function references), and the spec's Unknown (the
/// bottom type of the polymorphic stack after `unreachable`, `br`, ...).
///
/// A concrete heap type holds its type's canonical index (`WasmModule.canonicalTypeIndex`), the
/// first index of the module with an equivalent type, so that equality of two operand types is
/// the spec's type equivalence. `unsupported` stands for a type Kiln does not compile (GC heap
/// types); the decoder rejects those, and it matches nothing should one ever reach the validator.
struct OperandType: Hashable, Sendable {
    enum Kind: UInt8 { case i32, i64, f32, f64, v128, reference, unknown, unsupported }

    /// The heap type of a reference: one of the three abstract hierarchies' tops, or a function
    /// type of the module (by canonical index), which is below `func`.
    enum Heap: Hashable, Sendable {
        case function, extern, exception
        case concrete(UInt32)
    }

    let kind: Kind
    let isNullable: Bool
    let heap: Heap

    private init(only kind: Kind) {
        self.kind = kind
        self.isNullable = false
        self.heap = .function
    }

    static func reference(_ heap: Heap, nullable: Bool) -> OperandType {
        OperandType(kind: .reference, isNullable: nullable, heap: heap)
    }

    private init(kind: Kind, isNullable: Bool, heap: Heap) {
        self.kind = kind
        self.isNullable = isNullable
        self.heap = heap
    }

    static let i32 = OperandType(only: .i32)
    static let i64 = OperandType(only: .i64)
    static let f32 = OperandType(only: .f32)
    static let f64 = OperandType(only: .f64)
    static let v128 = OperandType(only: .v128)
    static let funcRef = reference(.function, nullable: true)
    static let externRef = reference(.extern, nullable: true)
    static let exnRef = reference(.exception, nullable: true)
    static let unknown = OperandType(only: .unknown)
    static let unsupported = OperandType(only: .unsupported)

    /// The operand type of `type`, a concrete heap type keeping the index it names; use
    /// `WasmModule.operandType(_:)` where type equivalence matters.
    init(_ type: ValueType) {
        self.init(type, canonical: { $0 })
    }

    init(_ type: ValueType, canonical: (UInt32) -> UInt32) {
        switch type {
        case .i32: self = .i32
        case .i64: self = .i64
        case .f32: self = .f32
        case .f64: self = .f64
        case .v128: self = .v128
        case .ref(let reference): self = OperandType(reference, canonical: canonical)
        }
    }

    init(_ reference: ReferenceType, canonical: (UInt32) -> UInt32) {
        let heap: Heap
        switch reference.heapType {
        case .abstract(.funcRef): heap = .function
        case .abstract(.externRef): heap = .extern
        case .abstract(.exnRef): heap = .exception
        case .concrete(let index): heap = .concrete(canonical(index))
        case .abstract: self = .unsupported; return
        }
        self = .reference(heap, nullable: reference.isNullable)
    }

    var isReference: Bool { kind == .reference }
    var isNumericOrVector: Bool { kind.rawValue <= Kind.v128.rawValue }
    var isKnown: Bool { kind != .unknown }

    /// The same reference type, nullable or not (`ref.as_non_null`, `br_on_null`).
    func withNullability(_ nullable: Bool) -> OperandType {
        kind == .reference ? .reference(heap, nullable: nullable) : self
    }

    /// The spec's matching of an actual operand against an expected type: subtyping, where
    /// Unknown matches everything. Without declared supertypes (GC) the only subtyping is that a
    /// function type is below `func` and a non-null reference below its nullable form.
    func matches(_ expected: OperandType) -> Bool {
        if kind == .unsupported || expected.kind == .unsupported { return false }
        if kind == .unknown || expected.kind == .unknown { return true }
        guard kind == expected.kind else { return false }
        guard kind == .reference else { return true }
        if isNullable && !expected.isNullable { return false }
        switch (heap, expected.heap) {
        case (.concrete, .function): return true
        default: return heap == expected.heap
        }
    }

    /// Whether a value of this type may be the default of a local or a table slot: numbers,
    /// vectors and nullable references (null) have one, non-null references none.
    var isDefaultable: Bool { kind != .reference || isNullable }

    /// The `ValueType` for a known type; nil for Unknown.
    var valueType: ValueType? {
        switch kind {
        case .i32: return .i32
        case .i64: return .i64
        case .f32: return .f32
        case .f64: return .f64
        case .v128: return .v128
        case .reference:
            let heapType: HeapType
            switch heap {
            case .function: heapType = .abstract(.funcRef)
            case .extern: heapType = .abstract(.externRef)
            case .exception: heapType = .abstract(.exnRef)
            case .concrete(let index): heapType = .concrete(typeIndex: index)
            }
            return .ref(ReferenceType(isNullable: isNullable, heapType: heapType))
        case .unknown, .unsupported: return nil
        }
    }
}

/// A block's parameter or result types without allocating: block types with one result
/// (the common case) are held inline, type-index block types borrow the module's array.
struct TypeList {
    private enum Storage {
        case empty
        case single(OperandType)
        case list([OperandType])
    }
    private let storage: Storage

    static let empty = TypeList(storage: .empty)
    static func single(_ type: OperandType) -> TypeList { TypeList(storage: .single(type)) }
    static func list(_ types: [OperandType]) -> TypeList {
        types.isEmpty ? .empty : TypeList(storage: .list(types))
    }

    var count: Int {
        switch storage {
        case .empty: 0
        case .single: 1
        case .list(let types): types.count
        }
    }

    subscript(index: Int) -> OperandType {
        switch storage {
        case .empty: .unsupported
        case .single(let type): type
        case .list(let types): types[index]
        }
    }

    /// Whether each type matches (is a subtype of) the one at its position in `other`.
    func allMatch(_ other: TypeList) -> Bool {
        guard count == other.count else { return false }
        for i in 0..<count where !self[i].matches(other[i]) { return false }
        return true
    }
}
