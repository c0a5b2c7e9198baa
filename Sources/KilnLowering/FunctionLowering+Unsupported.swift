import KilnFrontend
import WasmParser
import WasmTypes

/// Instructions outside WebAssembly 2.0 (threads, exceptions, tail calls, typed function
/// references, GC). The validator rejects them first; the throw after it only guards against an
/// instruction slipping through silently, since InstructionVisitor's defaults do nothing.
extension FunctionLowering {
    mutating func visitThrow(tagIndex: UInt32) throws(WasmError) {
        try validator.visitThrow(tagIndex: tagIndex)
        throw unsupported("Throw")
    }

    mutating func visitThrowRef() throws(WasmError) {
        try validator.visitThrowRef()
        throw unsupported("ThrowRef")
    }

    mutating func visitReturnCall(functionIndex: UInt32) throws(WasmError) {
        try validator.visitReturnCall(functionIndex: functionIndex)
        throw unsupported("ReturnCall")
    }

    mutating func visitReturnCallIndirect(typeIndex: UInt32, tableIndex: UInt32) throws(WasmError) {
        try validator.visitReturnCallIndirect(typeIndex: typeIndex, tableIndex: tableIndex)
        throw unsupported("ReturnCallIndirect")
    }

    mutating func visitCallRef(typeIndex: UInt32) throws(WasmError) {
        try validator.visitCallRef(typeIndex: typeIndex)
        throw unsupported("CallRef")
    }

    mutating func visitReturnCallRef(typeIndex: UInt32) throws(WasmError) {
        try validator.visitReturnCallRef(typeIndex: typeIndex)
        throw unsupported("ReturnCallRef")
    }

    mutating func visitTryTable(blockType: BlockType, tryCatch: TryCatch) throws(WasmError) {
        try validator.visitTryTable(blockType: blockType, tryCatch: tryCatch)
        throw unsupported("TryTable")
    }

    mutating func visitRefAsNonNull() throws(WasmError) {
        try validator.visitRefAsNonNull()
        throw unsupported("RefAsNonNull")
    }

    mutating func visitBrOnNull(relativeDepth: UInt32) throws(WasmError) {
        try validator.visitBrOnNull(relativeDepth: relativeDepth)
        throw unsupported("BrOnNull")
    }

    mutating func visitBrOnNonNull(relativeDepth: UInt32) throws(WasmError) {
        try validator.visitBrOnNonNull(relativeDepth: relativeDepth)
        throw unsupported("BrOnNonNull")
    }

    mutating func visitAtomicFence() throws(WasmError) {
        try validator.visitAtomicFence()
        throw unsupported("AtomicFence")
    }

    mutating func visitMemoryAtomicNotify(memarg: MemArg) throws(WasmError) {
        try validator.visitMemoryAtomicNotify(memarg: memarg)
        throw unsupported("MemoryAtomicNotify")
    }

    mutating func visitMemoryAtomicWait32(memarg: MemArg) throws(WasmError) {
        try validator.visitMemoryAtomicWait32(memarg: memarg)
        throw unsupported("MemoryAtomicWait32")
    }

    mutating func visitMemoryAtomicWait64(memarg: MemArg) throws(WasmError) {
        try validator.visitMemoryAtomicWait64(memarg: memarg)
        throw unsupported("MemoryAtomicWait64")
    }

    mutating func visitI32AtomicRmwAdd(memarg: MemArg) throws(WasmError) {
        try validator.visitI32AtomicRmwAdd(memarg: memarg)
        throw unsupported("I32AtomicRmwAdd")
    }

    mutating func visitI64AtomicRmwAdd(memarg: MemArg) throws(WasmError) {
        try validator.visitI64AtomicRmwAdd(memarg: memarg)
        throw unsupported("I64AtomicRmwAdd")
    }

    mutating func visitI32AtomicRmw8AddU(memarg: MemArg) throws(WasmError) {
        try validator.visitI32AtomicRmw8AddU(memarg: memarg)
        throw unsupported("I32AtomicRmw8AddU")
    }

    mutating func visitI32AtomicRmw16AddU(memarg: MemArg) throws(WasmError) {
        try validator.visitI32AtomicRmw16AddU(memarg: memarg)
        throw unsupported("I32AtomicRmw16AddU")
    }

    mutating func visitI64AtomicRmw8AddU(memarg: MemArg) throws(WasmError) {
        try validator.visitI64AtomicRmw8AddU(memarg: memarg)
        throw unsupported("I64AtomicRmw8AddU")
    }

    mutating func visitI64AtomicRmw16AddU(memarg: MemArg) throws(WasmError) {
        try validator.visitI64AtomicRmw16AddU(memarg: memarg)
        throw unsupported("I64AtomicRmw16AddU")
    }

    mutating func visitI64AtomicRmw32AddU(memarg: MemArg) throws(WasmError) {
        try validator.visitI64AtomicRmw32AddU(memarg: memarg)
        throw unsupported("I64AtomicRmw32AddU")
    }

    mutating func visitI32AtomicRmwSub(memarg: MemArg) throws(WasmError) {
        try validator.visitI32AtomicRmwSub(memarg: memarg)
        throw unsupported("I32AtomicRmwSub")
    }

    mutating func visitI64AtomicRmwSub(memarg: MemArg) throws(WasmError) {
        try validator.visitI64AtomicRmwSub(memarg: memarg)
        throw unsupported("I64AtomicRmwSub")
    }

    mutating func visitI32AtomicRmw8SubU(memarg: MemArg) throws(WasmError) {
        try validator.visitI32AtomicRmw8SubU(memarg: memarg)
        throw unsupported("I32AtomicRmw8SubU")
    }

    mutating func visitI32AtomicRmw16SubU(memarg: MemArg) throws(WasmError) {
        try validator.visitI32AtomicRmw16SubU(memarg: memarg)
        throw unsupported("I32AtomicRmw16SubU")
    }

    mutating func visitI64AtomicRmw8SubU(memarg: MemArg) throws(WasmError) {
        try validator.visitI64AtomicRmw8SubU(memarg: memarg)
        throw unsupported("I64AtomicRmw8SubU")
    }

    mutating func visitI64AtomicRmw16SubU(memarg: MemArg) throws(WasmError) {
        try validator.visitI64AtomicRmw16SubU(memarg: memarg)
        throw unsupported("I64AtomicRmw16SubU")
    }

    mutating func visitI64AtomicRmw32SubU(memarg: MemArg) throws(WasmError) {
        try validator.visitI64AtomicRmw32SubU(memarg: memarg)
        throw unsupported("I64AtomicRmw32SubU")
    }

    mutating func visitI32AtomicRmwAnd(memarg: MemArg) throws(WasmError) {
        try validator.visitI32AtomicRmwAnd(memarg: memarg)
        throw unsupported("I32AtomicRmwAnd")
    }

    mutating func visitI64AtomicRmwAnd(memarg: MemArg) throws(WasmError) {
        try validator.visitI64AtomicRmwAnd(memarg: memarg)
        throw unsupported("I64AtomicRmwAnd")
    }

    mutating func visitI32AtomicRmw8AndU(memarg: MemArg) throws(WasmError) {
        try validator.visitI32AtomicRmw8AndU(memarg: memarg)
        throw unsupported("I32AtomicRmw8AndU")
    }

    mutating func visitI32AtomicRmw16AndU(memarg: MemArg) throws(WasmError) {
        try validator.visitI32AtomicRmw16AndU(memarg: memarg)
        throw unsupported("I32AtomicRmw16AndU")
    }

    mutating func visitI64AtomicRmw8AndU(memarg: MemArg) throws(WasmError) {
        try validator.visitI64AtomicRmw8AndU(memarg: memarg)
        throw unsupported("I64AtomicRmw8AndU")
    }

    mutating func visitI64AtomicRmw16AndU(memarg: MemArg) throws(WasmError) {
        try validator.visitI64AtomicRmw16AndU(memarg: memarg)
        throw unsupported("I64AtomicRmw16AndU")
    }

    mutating func visitI64AtomicRmw32AndU(memarg: MemArg) throws(WasmError) {
        try validator.visitI64AtomicRmw32AndU(memarg: memarg)
        throw unsupported("I64AtomicRmw32AndU")
    }

    mutating func visitI32AtomicRmwOr(memarg: MemArg) throws(WasmError) {
        try validator.visitI32AtomicRmwOr(memarg: memarg)
        throw unsupported("I32AtomicRmwOr")
    }

    mutating func visitI64AtomicRmwOr(memarg: MemArg) throws(WasmError) {
        try validator.visitI64AtomicRmwOr(memarg: memarg)
        throw unsupported("I64AtomicRmwOr")
    }

    mutating func visitI32AtomicRmw8OrU(memarg: MemArg) throws(WasmError) {
        try validator.visitI32AtomicRmw8OrU(memarg: memarg)
        throw unsupported("I32AtomicRmw8OrU")
    }

    mutating func visitI32AtomicRmw16OrU(memarg: MemArg) throws(WasmError) {
        try validator.visitI32AtomicRmw16OrU(memarg: memarg)
        throw unsupported("I32AtomicRmw16OrU")
    }

    mutating func visitI64AtomicRmw8OrU(memarg: MemArg) throws(WasmError) {
        try validator.visitI64AtomicRmw8OrU(memarg: memarg)
        throw unsupported("I64AtomicRmw8OrU")
    }

    mutating func visitI64AtomicRmw16OrU(memarg: MemArg) throws(WasmError) {
        try validator.visitI64AtomicRmw16OrU(memarg: memarg)
        throw unsupported("I64AtomicRmw16OrU")
    }

    mutating func visitI64AtomicRmw32OrU(memarg: MemArg) throws(WasmError) {
        try validator.visitI64AtomicRmw32OrU(memarg: memarg)
        throw unsupported("I64AtomicRmw32OrU")
    }

    mutating func visitI32AtomicRmwXor(memarg: MemArg) throws(WasmError) {
        try validator.visitI32AtomicRmwXor(memarg: memarg)
        throw unsupported("I32AtomicRmwXor")
    }

    mutating func visitI64AtomicRmwXor(memarg: MemArg) throws(WasmError) {
        try validator.visitI64AtomicRmwXor(memarg: memarg)
        throw unsupported("I64AtomicRmwXor")
    }

    mutating func visitI32AtomicRmw8XorU(memarg: MemArg) throws(WasmError) {
        try validator.visitI32AtomicRmw8XorU(memarg: memarg)
        throw unsupported("I32AtomicRmw8XorU")
    }

    mutating func visitI32AtomicRmw16XorU(memarg: MemArg) throws(WasmError) {
        try validator.visitI32AtomicRmw16XorU(memarg: memarg)
        throw unsupported("I32AtomicRmw16XorU")
    }

    mutating func visitI64AtomicRmw8XorU(memarg: MemArg) throws(WasmError) {
        try validator.visitI64AtomicRmw8XorU(memarg: memarg)
        throw unsupported("I64AtomicRmw8XorU")
    }

    mutating func visitI64AtomicRmw16XorU(memarg: MemArg) throws(WasmError) {
        try validator.visitI64AtomicRmw16XorU(memarg: memarg)
        throw unsupported("I64AtomicRmw16XorU")
    }

    mutating func visitI64AtomicRmw32XorU(memarg: MemArg) throws(WasmError) {
        try validator.visitI64AtomicRmw32XorU(memarg: memarg)
        throw unsupported("I64AtomicRmw32XorU")
    }

    mutating func visitI32AtomicRmwXchg(memarg: MemArg) throws(WasmError) {
        try validator.visitI32AtomicRmwXchg(memarg: memarg)
        throw unsupported("I32AtomicRmwXchg")
    }

    mutating func visitI64AtomicRmwXchg(memarg: MemArg) throws(WasmError) {
        try validator.visitI64AtomicRmwXchg(memarg: memarg)
        throw unsupported("I64AtomicRmwXchg")
    }

    mutating func visitI32AtomicRmw8XchgU(memarg: MemArg) throws(WasmError) {
        try validator.visitI32AtomicRmw8XchgU(memarg: memarg)
        throw unsupported("I32AtomicRmw8XchgU")
    }

    mutating func visitI32AtomicRmw16XchgU(memarg: MemArg) throws(WasmError) {
        try validator.visitI32AtomicRmw16XchgU(memarg: memarg)
        throw unsupported("I32AtomicRmw16XchgU")
    }

    mutating func visitI64AtomicRmw8XchgU(memarg: MemArg) throws(WasmError) {
        try validator.visitI64AtomicRmw8XchgU(memarg: memarg)
        throw unsupported("I64AtomicRmw8XchgU")
    }

    mutating func visitI64AtomicRmw16XchgU(memarg: MemArg) throws(WasmError) {
        try validator.visitI64AtomicRmw16XchgU(memarg: memarg)
        throw unsupported("I64AtomicRmw16XchgU")
    }

    mutating func visitI64AtomicRmw32XchgU(memarg: MemArg) throws(WasmError) {
        try validator.visitI64AtomicRmw32XchgU(memarg: memarg)
        throw unsupported("I64AtomicRmw32XchgU")
    }

    mutating func visitI32AtomicRmwCmpxchg(memarg: MemArg) throws(WasmError) {
        try validator.visitI32AtomicRmwCmpxchg(memarg: memarg)
        throw unsupported("I32AtomicRmwCmpxchg")
    }

    mutating func visitI64AtomicRmwCmpxchg(memarg: MemArg) throws(WasmError) {
        try validator.visitI64AtomicRmwCmpxchg(memarg: memarg)
        throw unsupported("I64AtomicRmwCmpxchg")
    }

    mutating func visitI32AtomicRmw8CmpxchgU(memarg: MemArg) throws(WasmError) {
        try validator.visitI32AtomicRmw8CmpxchgU(memarg: memarg)
        throw unsupported("I32AtomicRmw8CmpxchgU")
    }

    mutating func visitI32AtomicRmw16CmpxchgU(memarg: MemArg) throws(WasmError) {
        try validator.visitI32AtomicRmw16CmpxchgU(memarg: memarg)
        throw unsupported("I32AtomicRmw16CmpxchgU")
    }

    mutating func visitI64AtomicRmw8CmpxchgU(memarg: MemArg) throws(WasmError) {
        try validator.visitI64AtomicRmw8CmpxchgU(memarg: memarg)
        throw unsupported("I64AtomicRmw8CmpxchgU")
    }

    mutating func visitI64AtomicRmw16CmpxchgU(memarg: MemArg) throws(WasmError) {
        try validator.visitI64AtomicRmw16CmpxchgU(memarg: memarg)
        throw unsupported("I64AtomicRmw16CmpxchgU")
    }

    mutating func visitI64AtomicRmw32CmpxchgU(memarg: MemArg) throws(WasmError) {
        try validator.visitI64AtomicRmw32CmpxchgU(memarg: memarg)
        throw unsupported("I64AtomicRmw32CmpxchgU")
    }

    mutating func visitRefI31() throws(WasmError) {
        try validator.visitRefI31()
        throw unsupported("RefI31")
    }

    mutating func visitI31GetS() throws(WasmError) {
        try validator.visitI31GetS()
        throw unsupported("I31GetS")
    }

    mutating func visitI31GetU() throws(WasmError) {
        try validator.visitI31GetU()
        throw unsupported("I31GetU")
    }

    mutating func visitStructNew(typeIndex: UInt32) throws(WasmError) {
        try validator.visitStructNew(typeIndex: typeIndex)
        throw unsupported("StructNew")
    }

    mutating func visitStructNewDefault(typeIndex: UInt32) throws(WasmError) {
        try validator.visitStructNewDefault(typeIndex: typeIndex)
        throw unsupported("StructNewDefault")
    }

    mutating func visitStructGet(typeIndex: UInt32, fieldIndex: UInt32) throws(WasmError) {
        try validator.visitStructGet(typeIndex: typeIndex, fieldIndex: fieldIndex)
        throw unsupported("StructGet")
    }

    mutating func visitStructGetS(typeIndex: UInt32, fieldIndex: UInt32) throws(WasmError) {
        try validator.visitStructGetS(typeIndex: typeIndex, fieldIndex: fieldIndex)
        throw unsupported("StructGetS")
    }

    mutating func visitStructGetU(typeIndex: UInt32, fieldIndex: UInt32) throws(WasmError) {
        try validator.visitStructGetU(typeIndex: typeIndex, fieldIndex: fieldIndex)
        throw unsupported("StructGetU")
    }

    mutating func visitStructSet(typeIndex: UInt32, fieldIndex: UInt32) throws(WasmError) {
        try validator.visitStructSet(typeIndex: typeIndex, fieldIndex: fieldIndex)
        throw unsupported("StructSet")
    }

    mutating func visitArrayNew(typeIndex: UInt32) throws(WasmError) {
        try validator.visitArrayNew(typeIndex: typeIndex)
        throw unsupported("ArrayNew")
    }

    mutating func visitArrayNewDefault(typeIndex: UInt32) throws(WasmError) {
        try validator.visitArrayNewDefault(typeIndex: typeIndex)
        throw unsupported("ArrayNewDefault")
    }

    mutating func visitArrayNewFixed(typeIndex: UInt32, size: UInt32) throws(WasmError) {
        try validator.visitArrayNewFixed(typeIndex: typeIndex, size: size)
        throw unsupported("ArrayNewFixed")
    }

    mutating func visitArrayGet(typeIndex: UInt32) throws(WasmError) {
        try validator.visitArrayGet(typeIndex: typeIndex)
        throw unsupported("ArrayGet")
    }

    mutating func visitArrayGetS(typeIndex: UInt32) throws(WasmError) {
        try validator.visitArrayGetS(typeIndex: typeIndex)
        throw unsupported("ArrayGetS")
    }

    mutating func visitArrayGetU(typeIndex: UInt32) throws(WasmError) {
        try validator.visitArrayGetU(typeIndex: typeIndex)
        throw unsupported("ArrayGetU")
    }

    mutating func visitArraySet(typeIndex: UInt32) throws(WasmError) {
        try validator.visitArraySet(typeIndex: typeIndex)
        throw unsupported("ArraySet")
    }

    mutating func visitArrayLen() throws(WasmError) {
        try validator.visitArrayLen()
        throw unsupported("ArrayLen")
    }

    mutating func visitRefEq() throws(WasmError) {
        try validator.visitRefEq()
        throw unsupported("RefEq")
    }

    mutating func visitAnyConvertExtern() throws(WasmError) {
        try validator.visitAnyConvertExtern()
        throw unsupported("AnyConvertExtern")
    }

    mutating func visitExternConvertAny() throws(WasmError) {
        try validator.visitExternConvertAny()
        throw unsupported("ExternConvertAny")
    }

    mutating func visitArrayNewData(typeIndex: UInt32, dataIndex: UInt32) throws(WasmError) {
        try validator.visitArrayNewData(typeIndex: typeIndex, dataIndex: dataIndex)
        throw unsupported("ArrayNewData")
    }

    mutating func visitArrayNewElem(typeIndex: UInt32, elemIndex: UInt32) throws(WasmError) {
        try validator.visitArrayNewElem(typeIndex: typeIndex, elemIndex: elemIndex)
        throw unsupported("ArrayNewElem")
    }

    mutating func visitArrayFill(typeIndex: UInt32) throws(WasmError) {
        try validator.visitArrayFill(typeIndex: typeIndex)
        throw unsupported("ArrayFill")
    }

    mutating func visitArrayCopy(destType: UInt32, srcType: UInt32) throws(WasmError) {
        try validator.visitArrayCopy(destType: destType, srcType: srcType)
        throw unsupported("ArrayCopy")
    }

    mutating func visitArrayInitData(typeIndex: UInt32, dataIndex: UInt32) throws(WasmError) {
        try validator.visitArrayInitData(typeIndex: typeIndex, dataIndex: dataIndex)
        throw unsupported("ArrayInitData")
    }

    mutating func visitArrayInitElem(typeIndex: UInt32, elemIndex: UInt32) throws(WasmError) {
        try validator.visitArrayInitElem(typeIndex: typeIndex, elemIndex: elemIndex)
        throw unsupported("ArrayInitElem")
    }

    mutating func visitRefTest(_ operand: Instruction.RefTest, type: HeapType) throws(WasmError) {
        try validator.visitRefTest(operand, type: type)
        throw unsupported("RefTest")
    }

    mutating func visitRefCast(_ operand: Instruction.RefCast, type: HeapType) throws(WasmError) {
        try validator.visitRefCast(operand, type: type)
        throw unsupported("RefCast")
    }

    mutating func visitBrOnCast(relativeDepth: UInt32, castFrom: ReferenceType, castTo: ReferenceType) throws(WasmError) {
        try validator.visitBrOnCast(relativeDepth: relativeDepth, castFrom: castFrom, castTo: castTo)
        throw unsupported("BrOnCast")
    }

    mutating func visitBrOnCastFail(relativeDepth: UInt32, castFrom: ReferenceType, castTo: ReferenceType) throws(WasmError) {
        try validator.visitBrOnCastFail(relativeDepth: relativeDepth, castFrom: castFrom, castTo: castTo)
        throw unsupported("BrOnCastFail")
    }

    mutating func visitUnknown(_ opcode: [UInt8]) throws(WasmError) {
        try validator.visitUnknown(opcode)
        throw unsupported("Unknown")
    }

    func unsupported(_ instruction: String) -> WasmError {
        WasmError(.unsupported, "instruction \(instruction) is not supported", offset: binaryOffset)
    }
}
