import WasmParser
import WasmTypes

/// An atomic read-modify-write instruction of the threads proposal as data: what it does, the
/// type of its operands and result, and how many bytes of memory it reads and writes. The 49
/// `*.atomic.rmw*` instructions differ only in these, so validation and lowering each handle all
/// of them in one place, from one exhaustive table.
public struct AtomicReadModifyWrite: Sendable {
    public enum Operation: Sendable {
        case add, sub, and, or, xor, xchg
        /// Compare and exchange: takes the expected value and the replacement.
        case cmpxchg
    }

    public let operation: Operation
    /// i32 or i64. A narrow instruction (`i64.atomic.rmw8.add_u`) wraps its operands to `width`
    /// bytes and zero-extends the old value it returns.
    public let type: ValueType
    /// Bytes accessed: 1, 2, 4 or 8; the access must be aligned to it.
    public let width: Int
    public let memarg: MemArg

    /// log2 of `width`: the only alignment an atomic access may declare.
    public var naturalAlignment: Int { width.trailingZeroBitCount }

    /// The instruction's description, or nil for any instruction that is not an atomic
    /// read-modify-write.
    public init?(_ instruction: Instruction) {
        let row: (Operation, ValueType, Int, MemArg)
        switch instruction {
        case .i32AtomicRmwAdd(let m): row = (.add, .i32, 4, m)
        case .i64AtomicRmwAdd(let m): row = (.add, .i64, 8, m)
        case .i32AtomicRmw8AddU(let m): row = (.add, .i32, 1, m)
        case .i32AtomicRmw16AddU(let m): row = (.add, .i32, 2, m)
        case .i64AtomicRmw8AddU(let m): row = (.add, .i64, 1, m)
        case .i64AtomicRmw16AddU(let m): row = (.add, .i64, 2, m)
        case .i64AtomicRmw32AddU(let m): row = (.add, .i64, 4, m)
        case .i32AtomicRmwSub(let m): row = (.sub, .i32, 4, m)
        case .i64AtomicRmwSub(let m): row = (.sub, .i64, 8, m)
        case .i32AtomicRmw8SubU(let m): row = (.sub, .i32, 1, m)
        case .i32AtomicRmw16SubU(let m): row = (.sub, .i32, 2, m)
        case .i64AtomicRmw8SubU(let m): row = (.sub, .i64, 1, m)
        case .i64AtomicRmw16SubU(let m): row = (.sub, .i64, 2, m)
        case .i64AtomicRmw32SubU(let m): row = (.sub, .i64, 4, m)
        case .i32AtomicRmwAnd(let m): row = (.and, .i32, 4, m)
        case .i64AtomicRmwAnd(let m): row = (.and, .i64, 8, m)
        case .i32AtomicRmw8AndU(let m): row = (.and, .i32, 1, m)
        case .i32AtomicRmw16AndU(let m): row = (.and, .i32, 2, m)
        case .i64AtomicRmw8AndU(let m): row = (.and, .i64, 1, m)
        case .i64AtomicRmw16AndU(let m): row = (.and, .i64, 2, m)
        case .i64AtomicRmw32AndU(let m): row = (.and, .i64, 4, m)
        case .i32AtomicRmwOr(let m): row = (.or, .i32, 4, m)
        case .i64AtomicRmwOr(let m): row = (.or, .i64, 8, m)
        case .i32AtomicRmw8OrU(let m): row = (.or, .i32, 1, m)
        case .i32AtomicRmw16OrU(let m): row = (.or, .i32, 2, m)
        case .i64AtomicRmw8OrU(let m): row = (.or, .i64, 1, m)
        case .i64AtomicRmw16OrU(let m): row = (.or, .i64, 2, m)
        case .i64AtomicRmw32OrU(let m): row = (.or, .i64, 4, m)
        case .i32AtomicRmwXor(let m): row = (.xor, .i32, 4, m)
        case .i64AtomicRmwXor(let m): row = (.xor, .i64, 8, m)
        case .i32AtomicRmw8XorU(let m): row = (.xor, .i32, 1, m)
        case .i32AtomicRmw16XorU(let m): row = (.xor, .i32, 2, m)
        case .i64AtomicRmw8XorU(let m): row = (.xor, .i64, 1, m)
        case .i64AtomicRmw16XorU(let m): row = (.xor, .i64, 2, m)
        case .i64AtomicRmw32XorU(let m): row = (.xor, .i64, 4, m)
        case .i32AtomicRmwXchg(let m): row = (.xchg, .i32, 4, m)
        case .i64AtomicRmwXchg(let m): row = (.xchg, .i64, 8, m)
        case .i32AtomicRmw8XchgU(let m): row = (.xchg, .i32, 1, m)
        case .i32AtomicRmw16XchgU(let m): row = (.xchg, .i32, 2, m)
        case .i64AtomicRmw8XchgU(let m): row = (.xchg, .i64, 1, m)
        case .i64AtomicRmw16XchgU(let m): row = (.xchg, .i64, 2, m)
        case .i64AtomicRmw32XchgU(let m): row = (.xchg, .i64, 4, m)
        case .i32AtomicRmwCmpxchg(let m): row = (.cmpxchg, .i32, 4, m)
        case .i64AtomicRmwCmpxchg(let m): row = (.cmpxchg, .i64, 8, m)
        case .i32AtomicRmw8CmpxchgU(let m): row = (.cmpxchg, .i32, 1, m)
        case .i32AtomicRmw16CmpxchgU(let m): row = (.cmpxchg, .i32, 2, m)
        case .i64AtomicRmw8CmpxchgU(let m): row = (.cmpxchg, .i64, 1, m)
        case .i64AtomicRmw16CmpxchgU(let m): row = (.cmpxchg, .i64, 2, m)
        case .i64AtomicRmw32CmpxchgU(let m): row = (.cmpxchg, .i64, 4, m)
        default: return nil
        }
        (operation, type, width, memarg) = row
    }
}
