import WasmParser
import WasmTypes

// The threads proposal's instructions other than atomic loads and stores (FunctionValidator+Memory).
// Each validates on any memory, shared or not: waiting on an unshared one traps when it runs.
extension FunctionValidator {
    public mutating func visitAtomicFence() throws(WasmError) {
        try requireOpenFrame()
    }

    public mutating func visitMemoryAtomicNotify(memarg: MemArg) throws(WasmError) {
        let address = try addressType(memarg)
        try checkAlignment(memarg, natural: 2, atomic: true)
        try pop(.i32)
        try pop(address)
        try push(.i32)
    }

    public mutating func visitMemoryAtomicWait32(memarg: MemArg) throws(WasmError) {
        try validateWait(memarg, expected: .i32, natural: 2)
    }

    public mutating func visitMemoryAtomicWait64(memarg: MemArg) throws(WasmError) {
        try validateWait(memarg, expected: .i64, natural: 3)
    }

    /// address, expected value, timeout in nanoseconds (i64) -> 0 woken, 1 not equal, 2 timed out.
    private mutating func validateWait(_ memarg: MemArg, expected: OperandType, natural: Int) throws(WasmError) {
        let address = try addressType(memarg)
        try checkAlignment(memarg, natural: natural, atomic: true)
        try pop(.i64)
        try pop(expected)
        try pop(address)
        try push(.i32)
    }

    /// address, operand (expected value and replacement for cmpxchg) -> the old value.
    mutating func validate(_ rmw: AtomicReadModifyWrite) throws(WasmError) {
        let address = try addressType(rmw.memarg)
        try checkAlignment(rmw.memarg, natural: rmw.naturalAlignment, atomic: true)
        let operand = OperandType(rmw.type)
        if rmw.operation == .cmpxchg { try pop(operand) }
        try pop(operand)
        try pop(address)
        try push(operand)
    }
}

extension Instruction.Load {
    /// The threads proposal's `*.atomic.load*`.
    public var isAtomic: Bool { Feature.introducing(self) == .threads }
}

extension Instruction.Store {
    /// The threads proposal's `*.atomic.store*`.
    public var isAtomic: Bool { Feature.introducing(self) == .threads }
}
