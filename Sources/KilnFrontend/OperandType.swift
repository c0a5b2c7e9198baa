import WasmTypes

/// A value type as the validator tracks it: the six 2.0 value types plus the spec's Unknown
/// (the bottom type of the polymorphic stack after `unreachable`, `br`, ...).
///
/// One byte instead of `ValueType` (an enum with payloads) keeps the operand stack dense and
/// comparisons trivial. `unsupported` stands for any type outside 2.0; the decoder rejects those,
/// and it matches nothing should one ever reach the validator.
enum OperandType: UInt8, Sendable {
    case i32, i64, f32, f64, v128, funcRef, externRef, exnRef, unknown, unsupported

    init(_ type: ValueType) {
        switch type {
        case .i32: self = .i32
        case .i64: self = .i64
        case .f32: self = .f32
        case .f64: self = .f64
        case .v128: self = .v128
        case .ref(let ref):
            switch (ref.isNullable, ref.heapType) {
            case (true, .abstract(.funcRef)): self = .funcRef
            case (true, .abstract(.externRef)): self = .externRef
            case (true, .abstract(.exnRef)): self = .exnRef
            default: self = .unsupported
            }
        }
    }

    var isReference: Bool { self == .funcRef || self == .externRef || self == .exnRef }
    var isNumericOrVector: Bool { rawValue <= OperandType.v128.rawValue }

    /// The spec's matching of an actual operand against an expected type: equal, or either is
    /// Unknown.
    func matches(_ expected: OperandType) -> Bool {
        if self == .unsupported || expected == .unsupported { return false }
        return self == expected || self == .unknown || expected == .unknown
    }

    /// The `ValueType` for a known type; nil for Unknown.
    var valueType: ValueType? {
        switch self {
        case .i32: .i32
        case .i64: .i64
        case .f32: .f32
        case .f64: .f64
        case .v128: .v128
        case .funcRef: .ref(.funcRef)
        case .externRef: .ref(.externRef)
        case .exnRef: .ref(.exnRef)
        case .unknown, .unsupported: nil
        }
    }
}

/// A block's parameter or result types without allocating: block types with one result
/// (the common case) are held inline, type-index block types borrow the module's array.
struct TypeList {
    private enum Storage {
        case empty
        case single(OperandType)
        case list([ValueType])
    }
    private let storage: Storage

    static let empty = TypeList(storage: .empty)
    static func single(_ type: OperandType) -> TypeList { TypeList(storage: .single(type)) }
    static func list(_ types: [ValueType]) -> TypeList {
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
        case .list(let types): OperandType(types[index])
        }
    }

    func elementsEqual(_ other: TypeList) -> Bool {
        guard count == other.count else { return false }
        for i in 0..<count where self[i] != other[i] { return false }
        return true
    }
}
