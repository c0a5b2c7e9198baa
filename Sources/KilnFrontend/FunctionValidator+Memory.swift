import WasmParser
import WasmTypes

// Loads, stores, memory.size/grow and the bulk-memory instructions.
extension FunctionValidator {
    /// The alignment exponent must not exceed the access's natural alignment. In 2.0 an exponent
    /// of 32 or more is not even an encoding; multi-memory gives bit 6 of the flags a meaning (a
    /// memory index follows, which WasmParser has read) and leaves 32 to 63 merely invalid.
    func checkAlignment(_ memarg: MemArg, natural: Int) throws(WasmError) {
        if memarg.align >= 32, !module.features.allows(.multiMemory) { throw malformed("malformed memop flags") }
        if Int(memarg.align) > natural { throw invalid("alignment must not be larger than natural") }
    }

    public mutating func visitLoad(_ load: Instruction.Load, memarg: MemArg) throws(WasmError) {
        switch load {
        case .i32AtomicLoad, .i64AtomicLoad, .i32AtomicLoad8U, .i32AtomicLoad16U, .i64AtomicLoad8U,
            .i64AtomicLoad16U, .i64AtomicLoad32U:
            throw unimplemented(.load(load, memarg: memarg))
        default:
            break
        }
        try requireMemory(memarg.memory)
        try checkAlignment(memarg, natural: load.naturalAlignment)
        try pop(.i32)
        try push(OperandType(load.type))
    }

    public mutating func visitStore(_ store: Instruction.Store, memarg: MemArg) throws(WasmError) {
        switch store {
        case .i32AtomicStore, .i64AtomicStore, .i32AtomicStore8, .i32AtomicStore16, .i64AtomicStore8,
            .i64AtomicStore16, .i64AtomicStore32:
            throw unimplemented(.store(store, memarg: memarg))
        default:
            break
        }
        try requireMemory(memarg.memory)
        try checkAlignment(memarg, natural: store.naturalAlignment)
        try pop(OperandType(store.type))
        try pop(.i32)
    }

    public mutating func visitMemorySize(memory: UInt32) throws(WasmError) {
        try requireMemory(memory)
        try push(.i32)
    }

    public mutating func visitMemoryGrow(memory: UInt32) throws(WasmError) {
        try requireMemory(memory)
        try pop(.i32)
        try push(.i32)
    }

    public mutating func visitMemoryInit(dataIndex: UInt32, memory: UInt32) throws(WasmError) {
        try requireMemory(memory)
        try requireDataSegment(dataIndex)
        try pop(.i32)
        try pop(.i32)
        try pop(.i32)
    }

    public mutating func visitDataDrop(dataIndex: UInt32) throws(WasmError) {
        try requireDataSegment(dataIndex)
        try requireOpenFrame()
    }

    public mutating func visitMemoryCopy(dstMem: UInt32, srcMem: UInt32) throws(WasmError) {
        try requireMemory(dstMem)
        try requireMemory(srcMem)
        try pop(.i32)
        try pop(.i32)
        try pop(.i32)
    }

    public mutating func visitMemoryFill(memory: UInt32) throws(WasmError) {
        try requireMemory(memory)
        try pop(.i32)
        try pop(.i32)
        try pop(.i32)
    }
}
