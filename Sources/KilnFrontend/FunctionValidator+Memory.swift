import WasmParser
import WasmTypes

// Loads, stores, memory.size/grow and the bulk-memory instructions.
extension FunctionValidator {
    /// The alignment exponent must not exceed the access's natural alignment. In 2.0 an exponent
    /// of 32 or more is not even an encoding; multi-memory gives bit 6 of the flags a meaning (a
    /// memory index follows, which WasmParser has read) and leaves 32 to 63 merely invalid. An
    /// atomic access (threads) must declare exactly its natural alignment.
    func checkAlignment(_ memarg: MemArg, natural: Int, atomic: Bool = false) throws(WasmError) {
        if memarg.align >= 32, !module.features.allows(.multiMemory) { throw malformed("malformed memop flags") }
        if atomic, Int(memarg.align) != natural { throw invalid("atomic alignment must be natural") }
        if Int(memarg.align) > natural { throw invalid("alignment must not be larger than natural") }
    }

    public mutating func visitLoad(_ load: Instruction.Load, memarg: MemArg) throws(WasmError) {
        let address = try addressType(memarg)
        try checkAlignment(memarg, natural: load.naturalAlignment, atomic: load.isAtomic)
        try pop(address)
        try push(OperandType(load.type))
    }

    public mutating func visitStore(_ store: Instruction.Store, memarg: MemArg) throws(WasmError) {
        let address = try addressType(memarg)
        try checkAlignment(memarg, natural: store.naturalAlignment, atomic: store.isAtomic)
        try pop(OperandType(store.type))
        try pop(address)
    }

    public mutating func visitMemorySize(memory: UInt32) throws(WasmError) {
        try push(try addressType(memory))
    }

    public mutating func visitMemoryGrow(memory: UInt32) throws(WasmError) {
        let pages = try addressType(memory)
        try pop(pages)
        try push(pages)
    }

    public mutating func visitMemoryInit(dataIndex: UInt32, memory: UInt32) throws(WasmError) {
        let address = try addressType(memory)
        try requireDataSegment(dataIndex)
        try pop(.i32)
        try pop(.i32)
        try pop(address)
    }

    public mutating func visitDataDrop(dataIndex: UInt32) throws(WasmError) {
        try requireDataSegment(dataIndex)
        try requireOpenFrame()
    }

    /// The length is an i64 only when both memories are 64-bit: it must fit either.
    public mutating func visitMemoryCopy(dstMem: UInt32, srcMem: UInt32) throws(WasmError) {
        let destination = try addressType(dstMem), source = try addressType(srcMem)
        try pop(destination == .i64 && source == .i64 ? .i64 : .i32)
        try pop(source)
        try pop(destination)
    }

    public mutating func visitMemoryFill(memory: UInt32) throws(WasmError) {
        let address = try addressType(memory)
        try pop(address)
        try pop(.i32)
        try pop(address)
    }

    /// The type of the memory's addresses, sizes and page counts: i64 for a 64-bit memory
    /// (memory64), else i32.
    func addressType(_ memory: UInt32) throws(WasmError) -> OperandType {
        try requireMemory(memory)
        return module.allMemoryTypes[Int(memory)].isMemory64 ? .i64 : .i32
    }

    /// The memory's address type, once the static offset is known to be one: a 32-bit memory's
    /// offsets are below 2^32 (WasmParser reads them as u64 once memory64 is on).
    func addressType(_ memarg: MemArg) throws(WasmError) -> OperandType {
        let type = try addressType(memarg.memory)
        if type == .i32, memarg.offset > UInt64(UInt32.max) { throw invalid("offset out of range") }
        return type
    }
}
