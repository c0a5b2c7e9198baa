import CLLVM
import KilnFrontend
import WasmParser
import WasmTypes

/// References, table instructions and bulk memory. The bulk operations check their whole range
/// before touching anything (the spec's semantics), which the runtime does in one place.
extension FunctionLowering {
    mutating func visitRefNull(type: HeapType) throws(WasmError) {
        try validator.visitRefNull(type: type)
        if isReachable { push(ir.nullPointer()) }
    }

    mutating func visitRefIsNull() throws(WasmError) {
        try validator.visitRefIsNull()
        guard isReachable else { return }
        let isNull = LLVMBuildIsNull(ir.builder, pop(), "")!
        push(LLVMBuildZExt(ir.builder, isNull, ir.i32, "")!)
    }

    mutating func visitRefFunc(functionIndex: UInt32) throws(WasmError) {
        try validator.visitRefFunc(functionIndex: functionIndex)
        if isReachable { push(vm.arrayElement(ABI.VMContext.funcs, functionIndex)) }
    }

    mutating func visitTableGet(table: UInt32) throws(WasmError) {
        try validator.visitTableGet(table: table)
        guard isReachable else { return }
        let index = popTableOperand()
        push(runtime(ABI.Runtime.tableGet, returns: ir.ptr, [ir.i32(table), index]))
    }

    mutating func visitTableSet(table: UInt32) throws(WasmError) {
        try validator.visitTableSet(table: table)
        guard isReachable else { return }
        let value = pop()
        let index = popTableOperand()
        runtime(ABI.Runtime.tableSet, [ir.i32(table), index, value])
    }

    mutating func visitTableSize(table: UInt32) throws(WasmError) {
        try validator.visitTableSize(table: table)
        guard isReachable else { return }
        let object = vm.arrayElement(ABI.VMContext.tables, table)
        let size = vm.loadField(object, ABI.Table.size, ir.i32, invariant: false)
        push(isTable64(table) ? LLVMBuildZExt(ir.builder, size, ir.i64, "")! : size)
    }

    mutating func visitTableGrow(table: UInt32) throws(WasmError) {
        try validator.visitTableGrow(table: table)
        guard isReachable else { return }
        let delta = popTableOperand()
        let initial = pop()
        let old = runtime(ABI.Runtime.tableGrow, returns: ir.i32, [ir.i32(table), initial, delta])
        // -1 (a failure) stays -1; an old size is below KILN_MAX_TABLE_ELEMENTS, so positive.
        push(isTable64(table) ? LLVMBuildSExt(ir.builder, old, ir.i64, "")! : old)
    }

    mutating func visitTableFill(table: UInt32) throws(WasmError) {
        try validator.visitTableFill(table: table)
        guard isReachable else { return }
        let (start, value, count) = pop3()
        runtime(ABI.Runtime.tableFill, [ir.i32(table), tableOperand(start), value, tableOperand(count)])
    }

    mutating func visitTableCopy(dstTable: UInt32, srcTable: UInt32) throws(WasmError) {
        try validator.visitTableCopy(dstTable: dstTable, srcTable: srcTable)
        guard isReachable else { return }
        let (destination, source, count) = pop3()
        runtime(ABI.Runtime.tableCopy, [ir.i32(dstTable), ir.i32(srcTable)] + [destination, source, count].map(tableOperand))
    }

    mutating func visitTableInit(elemIndex: UInt32, table: UInt32) throws(WasmError) {
        try validator.visitTableInit(elemIndex: elemIndex, table: table)
        guard isReachable else { return }
        let (destination, source, count) = pop3()
        runtime(ABI.Runtime.tableInit, [ir.i32(table), ir.i32(elemIndex), tableOperand(destination), source, count])
    }

    mutating func visitElemDrop(elemIndex: UInt32) throws(WasmError) {
        try validator.visitElemDrop(elemIndex: elemIndex)
        if isReachable { runtime(ABI.Runtime.elemDrop, [ir.i32(elemIndex)]) }
    }

    mutating func visitMemoryInit(dataIndex: UInt32, memory: UInt32) throws(WasmError) {
        try validator.visitMemoryInit(dataIndex: dataIndex, memory: memory)
        guard isReachable else { return }
        let (destination, source, count) = pop3()
        runtime(ABI.Runtime.memoryInit, [ir.i32(memory), ir.i32(dataIndex), widenedAddress(destination), source, count])
    }

    mutating func visitDataDrop(dataIndex: UInt32) throws(WasmError) {
        try validator.visitDataDrop(dataIndex: dataIndex)
        if isReachable { runtime(ABI.Runtime.dataDrop, [ir.i32(dataIndex)]) }
    }

    mutating func visitMemoryCopy(dstMem: UInt32, srcMem: UInt32) throws(WasmError) {
        try validator.visitMemoryCopy(dstMem: dstMem, srcMem: srcMem)
        guard isReachable else { return }
        let (destination, source, count) = pop3()
        runtime(ABI.Runtime.memoryCopy, [ir.i32(dstMem), ir.i32(srcMem)] + [destination, source, count].map(widenedAddress))
    }

    mutating func visitMemoryFill(memory: UInt32) throws(WasmError) {
        try validator.visitMemoryFill(memory: memory)
        guard isReachable else { return }
        let (destination, value, count) = pop3()
        runtime(ABI.Runtime.memoryFill, [ir.i32(memory), widenedAddress(destination), value, widenedAddress(count)])
    }

    // MARK: Helpers

    func isTable64(_ table: UInt32) -> Bool { context.module.allTableTypes[Int(table)].limits.isMemory64 }

    /// A table index, size or length as the runtime's entry points take it, an i32. A 64-bit
    /// table's (table64) saturates at 2^32 - 1: every table is smaller than that
    /// (KILN_MAX_TABLE_ELEMENTS), so an index or length that does not fit in 32 bits is out of
    /// bounds before and after, and a growth by it fails either way.
    func tableOperand(_ value: LLVMValueRef) -> LLVMValueRef {
        guard LLVMTypeOf(value) == ir.i64 else { return value }
        let fits = LLVMBuildICmp(ir.builder, LLVMIntULE, value, ir.i64(UInt64(UInt32.max)), "")!
        return LLVMBuildSelect(ir.builder, fits, LLVMBuildTrunc(ir.builder, value, ir.i32, "")!, ir.i32(UInt32.max), "")!
    }

    /// The top of the stack as `tableOperand` makes it.
    mutating func popTableOperand() -> LLVMValueRef {
        let value = pop()
        return tableOperand(value)
    }

    private mutating func pop3() -> (LLVMValueRef, LLVMValueRef, LLVMValueRef) {
        let third = pop()
        let second = pop()
        return (pop(), second, third)
    }

    /// Calls a runtime entry point with the vmctx prepended; the parameter types are those of the
    /// arguments, as the entry points in kiln_runtime_api take exactly the Wasm operands.
    @discardableResult
    private mutating func runtime(_ entry: UInt64, returns result: LLVMTypeRef? = nil, _ args: [LLVMValueRef]) -> LLVMValueRef {
        makesCalls = true
        loadWitness.publish()
        let type = ir.functionType(result ?? ir.void, [ir.ptr] + args.map { LLVMTypeOf($0)! })
        return vm.callRuntime(entry, type, args)
    }
}
