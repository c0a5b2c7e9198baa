import WasmParser
import WasmTypes

// Instructions of proposals beyond WebAssembly 2.0. InstructionVisitor gives every method a
// do-nothing default, so each one is overridden here to reject the instruction instead of
// letting it validate silently. WasmParser decodes their opcodes regardless of the feature set,
// and to a 2.0 decoder they are unknown opcodes, hence "illegal opcode" (malformed).
extension FunctionValidator {
    func unsupportedOpcode(_ name: String, proposal: String) -> WasmError {
        malformed("illegal opcode: \(name) belongs to the \(proposal) proposal, which is not part of WebAssembly 2.0")
    }

    public mutating func visitThrow(tagIndex: UInt32) throws(WasmError) {
        throw unsupportedOpcode("throw", proposal: "exception handling")
    }
    public mutating func visitThrowRef() throws(WasmError) {
        throw unsupportedOpcode("throwRef", proposal: "exception handling")
    }
    public mutating func visitReturnCall(functionIndex: UInt32) throws(WasmError) {
        throw unsupportedOpcode("returnCall", proposal: "tail calls")
    }
    public mutating func visitReturnCallIndirect(typeIndex: UInt32, tableIndex: UInt32) throws(WasmError) {
        throw unsupportedOpcode("returnCallIndirect", proposal: "tail calls")
    }
    public mutating func visitCallRef(typeIndex: UInt32) throws(WasmError) {
        throw unsupportedOpcode("callRef", proposal: "typed function references")
    }
    public mutating func visitReturnCallRef(typeIndex: UInt32) throws(WasmError) {
        throw unsupportedOpcode("returnCallRef", proposal: "tail calls")
    }
    public mutating func visitTryTable(blockType: BlockType, tryCatch: TryCatch) throws(WasmError) {
        throw unsupportedOpcode("tryTable", proposal: "exception handling")
    }
    public mutating func visitRefAsNonNull() throws(WasmError) {
        throw unsupportedOpcode("refAsNonNull", proposal: "typed function references")
    }
    public mutating func visitBrOnNull(relativeDepth: UInt32) throws(WasmError) {
        throw unsupportedOpcode("brOnNull", proposal: "typed function references")
    }
    public mutating func visitBrOnNonNull(relativeDepth: UInt32) throws(WasmError) {
        throw unsupportedOpcode("brOnNonNull", proposal: "typed function references")
    }
    public mutating func visitAtomicFence() throws(WasmError) {
        throw unsupportedOpcode("atomicFence", proposal: "threads")
    }
    public mutating func visitMemoryAtomicNotify(memarg: MemArg) throws(WasmError) {
        throw unsupportedOpcode("memoryAtomicNotify", proposal: "threads")
    }
    public mutating func visitMemoryAtomicWait32(memarg: MemArg) throws(WasmError) {
        throw unsupportedOpcode("memoryAtomicWait32", proposal: "threads")
    }
    public mutating func visitMemoryAtomicWait64(memarg: MemArg) throws(WasmError) {
        throw unsupportedOpcode("memoryAtomicWait64", proposal: "threads")
    }
    public mutating func visitI32AtomicRmwAdd(memarg: MemArg) throws(WasmError) {
        throw unsupportedOpcode("i32AtomicRmwAdd", proposal: "threads")
    }
    public mutating func visitI64AtomicRmwAdd(memarg: MemArg) throws(WasmError) {
        throw unsupportedOpcode("i64AtomicRmwAdd", proposal: "threads")
    }
    public mutating func visitI32AtomicRmw8AddU(memarg: MemArg) throws(WasmError) {
        throw unsupportedOpcode("i32AtomicRmw8AddU", proposal: "threads")
    }
    public mutating func visitI32AtomicRmw16AddU(memarg: MemArg) throws(WasmError) {
        throw unsupportedOpcode("i32AtomicRmw16AddU", proposal: "threads")
    }
    public mutating func visitI64AtomicRmw8AddU(memarg: MemArg) throws(WasmError) {
        throw unsupportedOpcode("i64AtomicRmw8AddU", proposal: "threads")
    }
    public mutating func visitI64AtomicRmw16AddU(memarg: MemArg) throws(WasmError) {
        throw unsupportedOpcode("i64AtomicRmw16AddU", proposal: "threads")
    }
    public mutating func visitI64AtomicRmw32AddU(memarg: MemArg) throws(WasmError) {
        throw unsupportedOpcode("i64AtomicRmw32AddU", proposal: "threads")
    }
    public mutating func visitI32AtomicRmwSub(memarg: MemArg) throws(WasmError) {
        throw unsupportedOpcode("i32AtomicRmwSub", proposal: "threads")
    }
    public mutating func visitI64AtomicRmwSub(memarg: MemArg) throws(WasmError) {
        throw unsupportedOpcode("i64AtomicRmwSub", proposal: "threads")
    }
    public mutating func visitI32AtomicRmw8SubU(memarg: MemArg) throws(WasmError) {
        throw unsupportedOpcode("i32AtomicRmw8SubU", proposal: "threads")
    }
    public mutating func visitI32AtomicRmw16SubU(memarg: MemArg) throws(WasmError) {
        throw unsupportedOpcode("i32AtomicRmw16SubU", proposal: "threads")
    }
    public mutating func visitI64AtomicRmw8SubU(memarg: MemArg) throws(WasmError) {
        throw unsupportedOpcode("i64AtomicRmw8SubU", proposal: "threads")
    }
    public mutating func visitI64AtomicRmw16SubU(memarg: MemArg) throws(WasmError) {
        throw unsupportedOpcode("i64AtomicRmw16SubU", proposal: "threads")
    }
    public mutating func visitI64AtomicRmw32SubU(memarg: MemArg) throws(WasmError) {
        throw unsupportedOpcode("i64AtomicRmw32SubU", proposal: "threads")
    }
    public mutating func visitI32AtomicRmwAnd(memarg: MemArg) throws(WasmError) {
        throw unsupportedOpcode("i32AtomicRmwAnd", proposal: "threads")
    }
    public mutating func visitI64AtomicRmwAnd(memarg: MemArg) throws(WasmError) {
        throw unsupportedOpcode("i64AtomicRmwAnd", proposal: "threads")
    }
    public mutating func visitI32AtomicRmw8AndU(memarg: MemArg) throws(WasmError) {
        throw unsupportedOpcode("i32AtomicRmw8AndU", proposal: "threads")
    }
    public mutating func visitI32AtomicRmw16AndU(memarg: MemArg) throws(WasmError) {
        throw unsupportedOpcode("i32AtomicRmw16AndU", proposal: "threads")
    }
    public mutating func visitI64AtomicRmw8AndU(memarg: MemArg) throws(WasmError) {
        throw unsupportedOpcode("i64AtomicRmw8AndU", proposal: "threads")
    }
    public mutating func visitI64AtomicRmw16AndU(memarg: MemArg) throws(WasmError) {
        throw unsupportedOpcode("i64AtomicRmw16AndU", proposal: "threads")
    }
    public mutating func visitI64AtomicRmw32AndU(memarg: MemArg) throws(WasmError) {
        throw unsupportedOpcode("i64AtomicRmw32AndU", proposal: "threads")
    }
    public mutating func visitI32AtomicRmwOr(memarg: MemArg) throws(WasmError) {
        throw unsupportedOpcode("i32AtomicRmwOr", proposal: "threads")
    }
    public mutating func visitI64AtomicRmwOr(memarg: MemArg) throws(WasmError) {
        throw unsupportedOpcode("i64AtomicRmwOr", proposal: "threads")
    }
    public mutating func visitI32AtomicRmw8OrU(memarg: MemArg) throws(WasmError) {
        throw unsupportedOpcode("i32AtomicRmw8OrU", proposal: "threads")
    }
    public mutating func visitI32AtomicRmw16OrU(memarg: MemArg) throws(WasmError) {
        throw unsupportedOpcode("i32AtomicRmw16OrU", proposal: "threads")
    }
    public mutating func visitI64AtomicRmw8OrU(memarg: MemArg) throws(WasmError) {
        throw unsupportedOpcode("i64AtomicRmw8OrU", proposal: "threads")
    }
    public mutating func visitI64AtomicRmw16OrU(memarg: MemArg) throws(WasmError) {
        throw unsupportedOpcode("i64AtomicRmw16OrU", proposal: "threads")
    }
    public mutating func visitI64AtomicRmw32OrU(memarg: MemArg) throws(WasmError) {
        throw unsupportedOpcode("i64AtomicRmw32OrU", proposal: "threads")
    }
    public mutating func visitI32AtomicRmwXor(memarg: MemArg) throws(WasmError) {
        throw unsupportedOpcode("i32AtomicRmwXor", proposal: "threads")
    }
    public mutating func visitI64AtomicRmwXor(memarg: MemArg) throws(WasmError) {
        throw unsupportedOpcode("i64AtomicRmwXor", proposal: "threads")
    }
    public mutating func visitI32AtomicRmw8XorU(memarg: MemArg) throws(WasmError) {
        throw unsupportedOpcode("i32AtomicRmw8XorU", proposal: "threads")
    }
    public mutating func visitI32AtomicRmw16XorU(memarg: MemArg) throws(WasmError) {
        throw unsupportedOpcode("i32AtomicRmw16XorU", proposal: "threads")
    }
    public mutating func visitI64AtomicRmw8XorU(memarg: MemArg) throws(WasmError) {
        throw unsupportedOpcode("i64AtomicRmw8XorU", proposal: "threads")
    }
    public mutating func visitI64AtomicRmw16XorU(memarg: MemArg) throws(WasmError) {
        throw unsupportedOpcode("i64AtomicRmw16XorU", proposal: "threads")
    }
    public mutating func visitI64AtomicRmw32XorU(memarg: MemArg) throws(WasmError) {
        throw unsupportedOpcode("i64AtomicRmw32XorU", proposal: "threads")
    }
    public mutating func visitI32AtomicRmwXchg(memarg: MemArg) throws(WasmError) {
        throw unsupportedOpcode("i32AtomicRmwXchg", proposal: "threads")
    }
    public mutating func visitI64AtomicRmwXchg(memarg: MemArg) throws(WasmError) {
        throw unsupportedOpcode("i64AtomicRmwXchg", proposal: "threads")
    }
    public mutating func visitI32AtomicRmw8XchgU(memarg: MemArg) throws(WasmError) {
        throw unsupportedOpcode("i32AtomicRmw8XchgU", proposal: "threads")
    }
    public mutating func visitI32AtomicRmw16XchgU(memarg: MemArg) throws(WasmError) {
        throw unsupportedOpcode("i32AtomicRmw16XchgU", proposal: "threads")
    }
    public mutating func visitI64AtomicRmw8XchgU(memarg: MemArg) throws(WasmError) {
        throw unsupportedOpcode("i64AtomicRmw8XchgU", proposal: "threads")
    }
    public mutating func visitI64AtomicRmw16XchgU(memarg: MemArg) throws(WasmError) {
        throw unsupportedOpcode("i64AtomicRmw16XchgU", proposal: "threads")
    }
    public mutating func visitI64AtomicRmw32XchgU(memarg: MemArg) throws(WasmError) {
        throw unsupportedOpcode("i64AtomicRmw32XchgU", proposal: "threads")
    }
    public mutating func visitI32AtomicRmwCmpxchg(memarg: MemArg) throws(WasmError) {
        throw unsupportedOpcode("i32AtomicRmwCmpxchg", proposal: "threads")
    }
    public mutating func visitI64AtomicRmwCmpxchg(memarg: MemArg) throws(WasmError) {
        throw unsupportedOpcode("i64AtomicRmwCmpxchg", proposal: "threads")
    }
    public mutating func visitI32AtomicRmw8CmpxchgU(memarg: MemArg) throws(WasmError) {
        throw unsupportedOpcode("i32AtomicRmw8CmpxchgU", proposal: "threads")
    }
    public mutating func visitI32AtomicRmw16CmpxchgU(memarg: MemArg) throws(WasmError) {
        throw unsupportedOpcode("i32AtomicRmw16CmpxchgU", proposal: "threads")
    }
    public mutating func visitI64AtomicRmw8CmpxchgU(memarg: MemArg) throws(WasmError) {
        throw unsupportedOpcode("i64AtomicRmw8CmpxchgU", proposal: "threads")
    }
    public mutating func visitI64AtomicRmw16CmpxchgU(memarg: MemArg) throws(WasmError) {
        throw unsupportedOpcode("i64AtomicRmw16CmpxchgU", proposal: "threads")
    }
    public mutating func visitI64AtomicRmw32CmpxchgU(memarg: MemArg) throws(WasmError) {
        throw unsupportedOpcode("i64AtomicRmw32CmpxchgU", proposal: "threads")
    }
    public mutating func visitRefI31() throws(WasmError) {
        throw unsupportedOpcode("refI31", proposal: "GC")
    }
    public mutating func visitI31GetS() throws(WasmError) {
        throw unsupportedOpcode("i31GetS", proposal: "GC")
    }
    public mutating func visitI31GetU() throws(WasmError) {
        throw unsupportedOpcode("i31GetU", proposal: "GC")
    }
    public mutating func visitStructNew(typeIndex: UInt32) throws(WasmError) {
        throw unsupportedOpcode("structNew", proposal: "GC")
    }
    public mutating func visitStructNewDefault(typeIndex: UInt32) throws(WasmError) {
        throw unsupportedOpcode("structNewDefault", proposal: "GC")
    }
    public mutating func visitStructGet(typeIndex: UInt32, fieldIndex: UInt32) throws(WasmError) {
        throw unsupportedOpcode("structGet", proposal: "GC")
    }
    public mutating func visitStructGetS(typeIndex: UInt32, fieldIndex: UInt32) throws(WasmError) {
        throw unsupportedOpcode("structGetS", proposal: "GC")
    }
    public mutating func visitStructGetU(typeIndex: UInt32, fieldIndex: UInt32) throws(WasmError) {
        throw unsupportedOpcode("structGetU", proposal: "GC")
    }
    public mutating func visitStructSet(typeIndex: UInt32, fieldIndex: UInt32) throws(WasmError) {
        throw unsupportedOpcode("structSet", proposal: "GC")
    }
    public mutating func visitArrayNew(typeIndex: UInt32) throws(WasmError) {
        throw unsupportedOpcode("arrayNew", proposal: "GC")
    }
    public mutating func visitArrayNewDefault(typeIndex: UInt32) throws(WasmError) {
        throw unsupportedOpcode("arrayNewDefault", proposal: "GC")
    }
    public mutating func visitArrayNewFixed(typeIndex: UInt32, size: UInt32) throws(WasmError) {
        throw unsupportedOpcode("arrayNewFixed", proposal: "GC")
    }
    public mutating func visitArrayGet(typeIndex: UInt32) throws(WasmError) {
        throw unsupportedOpcode("arrayGet", proposal: "GC")
    }
    public mutating func visitArrayGetS(typeIndex: UInt32) throws(WasmError) {
        throw unsupportedOpcode("arrayGetS", proposal: "GC")
    }
    public mutating func visitArrayGetU(typeIndex: UInt32) throws(WasmError) {
        throw unsupportedOpcode("arrayGetU", proposal: "GC")
    }
    public mutating func visitArraySet(typeIndex: UInt32) throws(WasmError) {
        throw unsupportedOpcode("arraySet", proposal: "GC")
    }
    public mutating func visitArrayLen() throws(WasmError) {
        throw unsupportedOpcode("arrayLen", proposal: "GC")
    }
    public mutating func visitRefEq() throws(WasmError) {
        throw unsupportedOpcode("refEq", proposal: "GC")
    }
    public mutating func visitAnyConvertExtern() throws(WasmError) {
        throw unsupportedOpcode("anyConvertExtern", proposal: "GC")
    }
    public mutating func visitExternConvertAny() throws(WasmError) {
        throw unsupportedOpcode("externConvertAny", proposal: "GC")
    }
    public mutating func visitArrayNewData(typeIndex: UInt32, dataIndex: UInt32) throws(WasmError) {
        throw unsupportedOpcode("arrayNewData", proposal: "GC")
    }
    public mutating func visitArrayNewElem(typeIndex: UInt32, elemIndex: UInt32) throws(WasmError) {
        throw unsupportedOpcode("arrayNewElem", proposal: "GC")
    }
    public mutating func visitArrayFill(typeIndex: UInt32) throws(WasmError) {
        throw unsupportedOpcode("arrayFill", proposal: "GC")
    }
    public mutating func visitArrayCopy(destType: UInt32, srcType: UInt32) throws(WasmError) {
        throw unsupportedOpcode("arrayCopy", proposal: "GC")
    }
    public mutating func visitArrayInitData(typeIndex: UInt32, dataIndex: UInt32) throws(WasmError) {
        throw unsupportedOpcode("arrayInitData", proposal: "GC")
    }
    public mutating func visitArrayInitElem(typeIndex: UInt32, elemIndex: UInt32) throws(WasmError) {
        throw unsupportedOpcode("arrayInitElem", proposal: "GC")
    }
    public mutating func visitRefTest(_ _: Instruction.RefTest, type: HeapType) throws(WasmError) {
        throw unsupportedOpcode("refTest", proposal: "GC")
    }
    public mutating func visitRefCast(_ _: Instruction.RefCast, type: HeapType) throws(WasmError) {
        throw unsupportedOpcode("refCast", proposal: "GC")
    }
    public mutating func visitBrOnCast(relativeDepth: UInt32, castFrom: ReferenceType, castTo: ReferenceType) throws(WasmError) {
        throw unsupportedOpcode("brOnCast", proposal: "GC")
    }
    public mutating func visitBrOnCastFail(relativeDepth: UInt32, castFrom: ReferenceType, castTo: ReferenceType) throws(WasmError) {
        throw unsupportedOpcode("brOnCastFail", proposal: "GC")
    }
    public mutating func visitUnknown(_ opcode: [UInt8]) throws(WasmError) -> Bool {
        throw malformed("illegal opcode")
    }
}
